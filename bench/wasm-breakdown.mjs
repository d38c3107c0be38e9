// Where the .wasm's bytes go, by group: `node bench/wasm-breakdown.mjs top.csv [top.csv…]`
// where each CSV is `twiggy top -n 100000 -f csv x.wasm` of a build that kept its names:
// wasm-bindgen of target/wasm32-unknown-unknown/release/encore_cloud.wasm, then the wasm-opt
// line of scripts/build.sh plus -g. One column per build; the first pattern a name matches wins.
// OTHER=n lists the n largest items of the last build that no group matched.
import { readFileSync } from "node:fs";

const GROUPS = [
  ["names section (not shipped)", /"function names"|"local names"|"global names"|"data names"|"type names"|"elem names"|"table names"|"memory names"/],
  ["data segments (strings, tables)", /^data segment/],
  ["allocator", /dlmalloc|talc|__rdl_|__rust_(alloc|dealloc|realloc)|raw_vec|RawVec|finish_grow|handle_alloc_error/],
  ["async glue (future_to_promise, JsFuture, queue)", /wasm_bindgen_futures|js_sys::futures|future_to_promise|JsFuture|::Task|queue::Queue|spawn_local/],
  ["drop glue", /drop_in_place/],
  ["core::fmt", /core::fmt|alloc::fmt|Formatter|as core::fmt::|write_fmt|PostPadding/],
  ["panics", /panic|slice_error_fail|str_index_overflow|unwrap_failed|expect_failed|slice_(start|end)_index|index_out_of_bounds|slice_index_fail|assert_failed/],
  ["str / char searching", /core::str|StrSearcher|TwoWaySearcher|CharSearcher|pattern::|do_count_chars|memchr|is_whitespace|from_utf8|str>::replace/],
  ["export shims (option reading inlined)", /externref shim|multivalue shim|^encoreclient_|^summarizeRollout|^isRolloutDone/],
  ["project: core::client (per-operation futures)", /encore_cloud::core::client/],
  ["project: core::decode / json / timestamp", /encore_cloud::core::(decode|json|timestamp|models|enums)/],
  ["project: core::error / retry / progress / rest", /encore_cloud::core::/],
  ["project: wasm layer", /encore_cloud::wasm/],
  ["wasm-bindgen / js-sys glue", /__wbg|wasm_bindgen|__wbindgen|js_sys::|__externref|describe/],
];
const builds = process.argv.slice(2).map((file) => {
  const lines = readFileSync(file, "utf8").trim().split("\n").slice(1);
  const sums = new Map([...GROUPS.map(([g]) => [g, 0]), ["other", 0]]);
  let total = 0;
  const other = [];
  for (const line of lines) {
    // Name,ShallowSize,…: the name is quoted ("" for ") when it holds a comma or a quote.
    const m = /^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/.exec(line);
    if (!m) continue;
    const name = (m[1]?.replaceAll('""', '"') ?? m[2]).replace(/\[[0-9a-f]{16}\]/g, ""), bytes = Number(m[3]);
    total += bytes;
    const g = GROUPS.find(([, re]) => re.test(name))?.[0] ?? "other";
    sums.set(g, sums.get(g) + bytes);
    if (g === "other") other.push([bytes, name]);
  }
  return { file, sums, total, other };
});
const names = builds[0].sums.keys();
console.log("group".padEnd(50) + builds.map((b, i) => `build ${i + 1}`.padStart(10)).join(""));
for (const g of names) console.log(g.padEnd(50) + builds.map((b) => String(b.sums.get(g)).padStart(10)).join(""));
console.log("total".padEnd(50) + builds.map((b) => String(b.total).padStart(10)).join(""));
builds.forEach((b, i) => console.log(`build ${i + 1}: ${b.file}`));
if (process.env.OTHER) for (const [b, n] of builds.at(-1).other.sort((x, y) => y[0] - x[0]).slice(0, Number(process.env.OTHER))) console.log(String(b).padStart(8), n.slice(0, 140));
