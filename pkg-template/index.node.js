// Node (ESM): compile the wasm synchronously from disk, then export the API.
import { readFileSync } from "node:fs";
import { initSync } from "./encore_cloud.js";

initSync({ module: readFileSync(new URL("./encore_cloud_bg.wasm", import.meta.url)) });

export { EncoreClient, isRolloutDone, summarizeRollout } from "./encore_cloud.js";
export * from "./errors.js";
