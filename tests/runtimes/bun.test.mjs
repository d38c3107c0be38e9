// Bun (from the `bun` npm package): the README's Node ESM example and webhook verification,
// importing the installed package.
import { test } from "node:test";
import { checkReport, runCheck } from "./helpers.mjs";

test("Bun: trigger + wait against the simulator, and webhooks verified", async (t) => {
  const report = await runCheck(t, "bun", ["run"]);
  checkReport(report, "bun");
});
