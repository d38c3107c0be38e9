// Injected into the CommonJS bundle: import.meta.url for code written as ESM.
export const __import_meta_url = require("node:url").pathToFileURL(__filename).href;
