// Browsers (the `browser` condition only): fetch and instantiate the browser module once, then
// export the API. The browser module is the library built without webhook verification (cargo
// feature `webhooks`, ~12 KB gzip of HMAC-SHA256 and event decoding): a page must never hold a
// webhook secret. Every other runtime's entry loads the full module (encore_cloud.js).
import init, { EncoreClient } from "./encore_cloud_browser.js";
import { EncoreValidationError } from "./errors.js";
import { guardFree } from "./freed.js";

await init({ module_or_path: new URL("./encore_cloud_browser_bg.wasm", import.meta.url) });
guardFree(EncoreClient);

const serverOnly =
  "webhook verification runs on servers (Node, Deno, Bun, Workers): a browser must never hold a webhook secret, so this browser build of encore-cloud has no verifyWebhook";

/** Throws: webhooks are verified on servers only. */
export function verifyWebhook() {
  throw new EncoreValidationError(serverOnly);
}

/** Rejects (as the server version does for bad arguments): webhooks are verified on servers only. */
export async function webhookFromRequest() {
  throw new EncoreValidationError(serverOnly);
}

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud_browser.js";
export * from "./errors.js";
