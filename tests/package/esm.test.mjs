// The package as an ES module: `import … from "encore-cloud"` inside the scratch project.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { copyInto, ensureScratch } from "./scratch.mjs";
import { defineClientSuite } from "./suite.mjs";

const { dir } = await ensureScratch();
const entry = await copyInto(dir, new URL("./fixtures/esm-entry.mjs", import.meta.url), "package-tests/esm-entry.mjs");
const mod = await import(pathToFileURL(entry).href);

defineClientSuite({ label: "ESM import", expectedEntry: "index.node.js", ...mod });
