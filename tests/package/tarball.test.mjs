// What `npm pack pkg/` puts in the tarball besides code: the licence files the `license` field
// names, and the links (repository, homepage, bugs) npm shows next to the README.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ROOT, ensureScratch } from "./scratch.mjs";

const run = promisify(execFile);
const { dir } = await ensureScratch();
const REPO = "https://github.com/encore-cloud/encore-cloud";

test("the tarball holds LICENSE-MIT and LICENSE-APACHE, identical to the repository's", async () => {
  const tgz = (await readdir(dir)).filter((f) => f.endsWith(".tgz"));
  assert.equal(tgz.length, 1, `one tarball in the scratch project: ${tgz}`);
  const { stdout } = await run("tar", ["-tzf", join(dir, tgz[0])], { maxBuffer: 16 << 20 });
  const entries = stdout.split("\n");
  for (const name of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(entries.includes(`package/${name}`), `package/${name} in ${tgz[0]}`);
    const shipped = await readFile(join(dir, "node_modules", "encore-cloud", name), "utf8");
    assert.equal(shipped, await readFile(join(ROOT, name), "utf8"), `${name} as installed`);
  }
  const mit = await readFile(join(ROOT, "LICENSE-MIT"), "utf8");
  assert.match(mit, /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.match(mit, /THE SOFTWARE IS PROVIDED "AS IS"/);
  const apache = await readFile(join(ROOT, "LICENSE-APACHE"), "utf8");
  assert.match(apache, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(apache, /END OF TERMS AND CONDITIONS/);
});

test("package.json names the licences, the repository, the homepage and the issue tracker", async () => {
  const p = JSON.parse(await readFile(join(dir, "node_modules", "encore-cloud", "package.json"), "utf8"));
  assert.equal(p.license, "MIT OR Apache-2.0");
  assert.deepEqual(p.repository, { type: "git", url: `git+${REPO}.git` });
  assert.equal(p.homepage, `${REPO}#readme`);
  assert.deepEqual(p.bugs, { url: `${REPO}/issues` });
  // The same repository as the crate's.
  const cargo = await readFile(join(ROOT, "Cargo.toml"), "utf8");
  assert.match(cargo, new RegExp(`^repository = "${REPO}"$`, "m"));
  // The README sends readers to make targets: it must say where they are.
  const readme = await readFile(join(dir, "node_modules", "encore-cloud", "README.md"), "utf8");
  assert.ok(readme.includes(REPO), "the packaged README links the repository");
  assert.match(readme, /LICENSE-MIT/);
});
