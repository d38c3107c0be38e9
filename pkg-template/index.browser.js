// Browsers and bundlers: fetch and instantiate the wasm once, then export the API.
import init from "./encore_cloud.js";

await init({ module_or_path: new URL("./encore_cloud_bg.wasm", import.meta.url) });

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud.js";
export { verifyWebhook, webhookFromRequest } from "./encore_cloud.js";
export * from "./errors.js";
