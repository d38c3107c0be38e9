// Assembles the package's .d.ts from wasm-bindgen's output and the hand-written error types.
import { readFileSync } from "node:fs";
const [glue, errors] = process.argv.slice(2);
let d = readFileSync(glue, "utf8");
const cut = d.indexOf("export type InitInput");
if (cut >= 0) d = d.slice(0, cut);
d = d.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, "");
// The executor's raw exports (src/wasm/executor.rs) are for js/runtime.js, not callers.
d = d.replace(/\/\*\*(?:(?!\*\/)[\s\S])*\*\/\nexport function __encore_\w+\([^)]*\): void;\n\n/g, "");
// free() is documented here (wasm-bindgen emits it bare); pkg-template/freed.js guards it.
d = d.replace(/^([ \t]*)free\(\): void;/m, (_, i) => `${i}/**\n${i} * Releases the client's memory now rather than at garbage collection (optional). Also\n${i} * \`[Symbol.dispose]\`, so \`using client = new EncoreClient(…)\` frees it at the end of the block.\n${i} * Afterwards every call rejects with \`EncoreValidationError\`; calls already running finish.\n${i} */\n${i}free(): void;`);
// Trailing option arguments are optional (wasm-bindgen drops the "?" with a custom type).
d = d.replace(/options: (RequestOptions|WaitForRolloutOptions|VerifyWebhookOptions)\)/g, "options?: $1)");
d = d.replace(/now: Date\)/g, "now?: Date)");
d = d.replace(/now: Date, context: SummaryContext\)/g, "now?: Date, context?: SummaryContext)");
process.stdout.write(d.trimEnd() + "\n\n" + readFileSync(errors, "utf8"));
