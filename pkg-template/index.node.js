// Node (ESM): compile the wasm synchronously from disk, then export the API.
import { readFileSync } from "node:fs";
import { EncoreClient, initSync } from "./encore_cloud.js";

initSync({ module: readFileSync(new URL("./encore_cloud_bg.wasm", import.meta.url)) });

// console.log / util.inspect print the same safe description as String(client).
EncoreClient.prototype[Symbol.for("nodejs.util.inspect.custom")] = function inspect() {
  return this.toString();
};

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud.js";
export { verifyWebhook, webhookFromRequest } from "./encore_cloud.js";
export * from "./errors.js";
