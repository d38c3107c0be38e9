// Other ESM runtimes and bundlers (the `import` and `default` conditions: no `node`, `browser`
// or `workerd` condition): fetch and instantiate the full module once, then export the API.
import init, { EncoreClient } from "./encore_cloud.js";
import { guardFree } from "./freed.js";

await init({ module_or_path: new URL("./encore_cloud_bg.wasm", import.meta.url) });
guardFree(EncoreClient);

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud.js";
export { verifyWebhook, webhookFromRequest } from "./encore_cloud.js";
export * from "./errors.js";
