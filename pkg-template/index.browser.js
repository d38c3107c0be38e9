// Browsers and bundlers: fetch and instantiate the wasm once, then export the API.
import init, { EncoreClient } from "./encore_cloud.js";
import { guardFree } from "./freed.js";

await init({ module_or_path: new URL("./encore_cloud_bg.wasm", import.meta.url) });
guardFree(EncoreClient);

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud.js";
export { verifyWebhook, webhookFromRequest } from "./encore_cloud.js";
export * from "./errors.js";
