// Assembles the package's .d.ts from wasm-bindgen's output and the hand-written error types.
import { readFileSync } from "node:fs";
const [glue, errors] = process.argv.slice(2);
let d = readFileSync(glue, "utf8");
const cut = d.indexOf("export type InitInput");
if (cut >= 0) d = d.slice(0, cut);
d = d.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, "");
// Trailing option arguments are optional (wasm-bindgen drops the "?" with a custom type).
d = d.replace(/options: (RequestOptions|WaitForRolloutOptions|VerifyWebhookOptions)\)/g, "options?: $1)");
d = d.replace(/now: Date\)/g, "now?: Date)");
process.stdout.write(d.trimEnd() + "\n\n" + readFileSync(errors, "utf8"));
