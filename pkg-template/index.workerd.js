// Cloudflare Workers (the `workerd` and `worker` conditions): Workers import a .wasm file as a
// compiled WebAssembly.Module (wrangler's default rule; no fetch of a URL, which Workers
// cannot do at start), so it is instantiated synchronously here.
import wasm from "./encore_cloud_bg.wasm";
import { initSync } from "./encore_cloud.js";

initSync({ module: wasm });

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud.js";
export { verifyWebhook, webhookFromRequest } from "./encore_cloud.js";
export * from "./errors.js";
