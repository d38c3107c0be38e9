// Packs pkg/ with `npm pack` and installs the tarball into a scratch project, like a user would.
// Not a test file: test files `await ensureScratch()` (idempotent, memoised per process).
//
// Layout (all under test-output/, never committed):
//   test-output/scratch/<sha256 prefix>/              the scratch project for one tarball
//     package.json, encore-cloud-<v>.tgz, node_modules/encore-cloud/, .installed
//   test-output/scratch/.lock                          a mkdir lock (owner pid inside)
//   test-output/scratch/.pkg-<fingerprint prefix>      which project holds the tarball of pkg/
//                                                      as it is (its files' paths and bytes)
//
// One directory per tarball hash: a reinstall (after another engineer rebuilt pkg/) never
// pulls a package from under a test file still using the previous one. Concurrent test files
// serialize on the lock; whoever comes second finds `.installed` and reuses the project.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PKG_DIR = join(ROOT, "pkg");
export const OUTPUT_DIR = join(ROOT, "test-output");
export const SCRATCH_BASE = join(OUTPUT_DIR, "scratch");
export const BIN = join(ROOT, "node_modules", ".bin");

/** Demo credentials of the simulator. */
export const DEMO_ID = "o2c_demo_client";
export const DEMO_SECRET = "demo-secret-do-not-use";

const LOCK = join(SCRATCH_BASE, ".lock");
const STALE_AFTER_MS = 6 * 60 * 60 * 1000; // prune other scratch projects unused this long

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

async function withLock(fn, { timeoutMs = 120_000 } = {}) {
  await mkdir(SCRATCH_BASE, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(join(LOCK, "owner"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      // Stale lock: its owner died (or never wrote its pid and the lock is old).
      const owner = Number(await readFile(join(LOCK, "owner"), "utf8").catch(() => ""));
      const age = Date.now() - ((await stat(LOCK).catch(() => null))?.mtimeMs ?? Date.now());
      if ((owner && !alive(owner)) || (!owner && age > 10_000)) {
        await rm(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`scratch lock ${LOCK} held by pid ${owner} for too long`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** pkg/ may be rebuilt at any time (rm -rf + copy): wait for it; build it only if it stays absent. */
async function waitForPkg() {
  const marker = join(PKG_DIR, "encore_cloud_bg.wasm");
  for (let i = 0; i < 600 && !(existsSync(join(PKG_DIR, "package.json")) && existsSync(marker)); i++) {
    if (i === 100 && !existsSync(PKG_DIR)) {
      // Nobody is rebuilding it: build it ourselves (serialized by the caller's lock).
      await run("bash", ["scripts/build.sh"], { cwd: ROOT, maxBuffer: 64 << 20 });
      continue;
    }
    await sleep(100);
  }
}

/** `npm pack pkg/` into a private temp dir; returns { tarball, sha256, name }. */
async function pack() {
  await mkdir(OUTPUT_DIR, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    await waitForPkg();
    const dest = await mkdtemp(join(OUTPUT_DIR, "pack-"));
    try {
      const { stdout } = await run("npm", ["pack", PKG_DIR, "--pack-destination", dest, "--json"], {
        cwd: ROOT, maxBuffer: 64 << 20,
      });
      const [info] = JSON.parse(stdout);
      const tarball = join(dest, info.filename);
      const bytes = await readFile(tarball);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      return { dest, tarball, sha256, filename: info.filename };
    } catch (e) {
      await rm(dest, { recursive: true, force: true });
      if (attempt >= 5) throw e; // pkg/ vanished mid-pack (a concurrent rebuild): retry
      await sleep(1000);
    }
  }
}

async function prune(keep) {
  const now = Date.now();
  for (const name of await readdir(SCRATCH_BASE).catch(() => [])) {
    if (name === keep || (name.startsWith(".") && !name.startsWith(".pkg-"))) continue;
    const p = join(SCRATCH_BASE, name);
    const s = await stat(join(p, ".installed")).catch(() => stat(p).catch(() => null));
    if (s && now - s.mtimeMs > STALE_AFTER_MS) await rm(p, { recursive: true, force: true });
  }
}

/**
 * A fingerprint of pkg/: every file's path and bytes. The tarball is made of these, so an equal
 * fingerprint means an equal tarball: the scratch project installed from it is reused without
 * packing again (`npm pack` costs a second or two in every test file's process).
 */
async function pkgFingerprint() {
  const hash = createHash("sha256");
  const walk = async (rel) => {
    const entries = (await readdir(join(PKG_DIR, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else hash.update(`${r}\0`).update(await readFile(join(PKG_DIR, r))).update("\0");
    }
  };
  await walk("");
  return hash.digest("hex");
}

async function setup() {
  return withLock(async () => {
    await waitForPkg();
    const fingerprint = await pkgFingerprint().catch(() => null);
    const known = fingerprint && join(SCRATCH_BASE, `.pkg-${fingerprint.slice(0, 16)}`);
    if (known) {
      const [dir, sha256] = (await readFile(known, "utf8").catch(() => "")).trim().split("\n");
      const installed = dir && (await readFile(join(dir, ".installed"), "utf8").catch(() => ""));
      if (installed && installed.trim() === sha256 && existsSync(join(dir, "node_modules", "encore-cloud", "package.json"))) {
        await writeFile(join(dir, ".installed"), `${sha256}\n`); // touch: in use
        return { dir, sha256, reused: true };
      }
    }
    const packed = await pack();
    try {
      const dir = join(SCRATCH_BASE, packed.sha256.slice(0, 16));
      const marker = join(dir, ".installed");
      const installed = await readFile(marker, "utf8").catch(() => "");
      if (installed.trim() === packed.sha256 && existsSync(join(dir, "node_modules", "encore-cloud", "package.json"))) {
        await writeFile(marker, `${packed.sha256}\n`); // touch: in use
        if (known) await writeFile(known, `${dir}\n${packed.sha256}\n`);
        return { dir, sha256: packed.sha256, reused: true };
      }
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "package.json"), `${JSON.stringify({
        name: "encore-cloud-scratch", version: "0.0.0", private: true, type: "module",
        description: "Scratch consumer project for the package tests (generated).",
      }, null, 2)}\n`);
      await cp(packed.tarball, join(dir, packed.filename));
      await run("npm", ["install", "--no-audit", "--no-fund", `./${packed.filename}`], {
        cwd: dir, maxBuffer: 64 << 20,
      });
      await writeFile(marker, `${packed.sha256}\n`);
      if (known) await writeFile(known, `${dir}\n${packed.sha256}\n`);
      await prune(packed.sha256.slice(0, 16));
      return { dir, sha256: packed.sha256, reused: false };
    } finally {
      await rm(packed.dest, { recursive: true, force: true });
    }
  });
}

let memo = null;

/**
 * The scratch project with the packed package installed.
 * @returns {Promise<{ dir: string, sha256: string, reused: boolean }>}
 */
export function ensureScratch() {
  memo ??= setup();
  return memo;
}

/** Copy files into the scratch project: `{ "rel/path": "contents" }`; returns absolute paths. */
export async function writeInto(dir, files) {
  const out = {};
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, text);
    out[rel] = p;
  }
  return out;
}

/** Copy a fixture file or directory from tests/ into the scratch project. */
export async function copyInto(dir, from, to) {
  const dest = join(dir, to);
  await mkdir(dirname(dest), { recursive: true });
  await cp(from, dest, { recursive: true });
  return dest;
}
