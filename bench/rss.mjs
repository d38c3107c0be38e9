// One contender in its own process: `node --expose-gc bench/rss.mjs <name> <baseUrl> [calls]`
// makes `calls` (default 20000) sequential getRollout calls and prints, as JSON, the RSS and the
// JS heap + external memory after full GCs at 5k calls and at the end.
import { contender } from "./contenders.mjs";

const [name, base, total = "20000"] = process.argv.slice(2);
const c = await contender(name, base);
const sample = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
};
let at5k;
for (let i = 1; i <= Number(total); i++) {
  await c.get();
  if (i === 5000) at5k = sample();
}
console.log(JSON.stringify({ at5k, end: sample() }));
