// The three contenders of every figure, built the same way for bench.mjs and rss.mjs: raw
// fetch, the plain-JS baseline, and the package (pkg/, as built by scripts/build.sh, or the
// build in BENCH_PKG, to compare two builds).
import { pathToFileURL } from "node:url";
import { rawClient } from "./raw.mjs";
import { BaselineClient } from "./baseline.mjs";

export const NAMES = ["raw", "baseline", "package"];
export const LABELS = { raw: "raw fetch", baseline: "plain-JS client", package: "encore-cloud" };
const CREDS = { clientId: "o2c_bench", clientSecret: "bench-secret" };
const TRIGGER = { branch: "main" };

/** `{ get, trigger }` for one contender against `baseUrl` (optionally with a custom fetch). */
export async function contender(name, baseUrl, fetch) {
  const extra = fetch ? { fetch } : {};
  let c;
  if (name === "raw") c = rawClient({ baseUrl, ...CREDS, ...extra });
  else if (name === "baseline") c = new BaselineClient({ baseUrl, ...CREDS, ...extra });
  else {
    const dir = process.env.BENCH_PKG ? pathToFileURL(`${process.env.BENCH_PKG}/`) : new URL("../pkg/", import.meta.url);
    const { EncoreClient } = await import(new URL("index.node.js", dir).href);
    c = new EncoreClient({ baseUrl, ...CREDS, ...extra });
  }
  return {
    get: () => c.getRollout("my-app", "roll_bench"),
    trigger: () => c.triggerRollout("my-app", "production", TRIGGER),
  };
}
