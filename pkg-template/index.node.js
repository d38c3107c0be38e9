// Node (ESM): compile the wasm synchronously from disk, then export the API.
import { createRequire } from "node:module";
import { EncoreClient, initSync } from "./encore_cloud.js";
import { guardFree } from "./freed.js";

// `import … from "node:fs"` would cost ~3.5 ms at start-up (Node builds an ES module facade of
// fs, which loads its streams); `getBuiltinModule` (Node ≥ 20.16) hands the module over as is.
const fs = process.getBuiltinModule?.("node:fs") ?? createRequire(import.meta.url)("node:fs");
initSync({ module: fs.readFileSync(new URL("./encore_cloud_bg.wasm", import.meta.url)) });
guardFree(EncoreClient);

// console.log / util.inspect print the same safe description as String(client).
EncoreClient.prototype[Symbol.for("nodejs.util.inspect.custom")] = function inspect() {
  return this.toString();
};

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud.js";
export { verifyWebhook, webhookFromRequest } from "./encore_cloud.js";
export * from "./errors.js";
