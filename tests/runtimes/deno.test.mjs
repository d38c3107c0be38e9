// Deno (from the `deno` npm package): the README's Node ESM example and webhook verification,
// importing the installed package Node-style (package.json + node_modules in the project).
import { test } from "node:test";
import { checkReport, runCheck } from "./helpers.mjs";

test("Deno: trigger + wait against the simulator, and webhooks verified", async (t) => {
  const report = await runCheck(t, "deno", ["run", "--allow-env", "--allow-net", "--allow-read", "--no-prompt"]);
  checkReport(report, "deno");
});
