#!/usr/bin/env node
// encore-cloud: deploy to Encore Cloud from CI (trigger, wait, report). This entry only reads
// argv and the environment, makes the client calls the core asks for, and writes the text the
// core returns: every decision (meaning of flags, outcomes, exit codes, output) is in
// src/core/cli/ (see CliRun in src/wasm/cli.rs).
import { appendFileSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CliRun, EncoreClient, cliParseOptions, initSync, verifyWebhook } from "../cli/encore_cloud_cli.js";

// The command's own wasm module: the client plus the CLI's policy (the library's module, which
// browsers load too, does not carry the latter).
initSync({ module: readFileSync(new URL("../cli/encore_cloud_cli_bg.wasm", import.meta.url)) });

const argv = process.argv.slice(2);
let parsed = { values: {}, positionals: [] };
let parseError;
try {
  parsed = parseArgs({ args: argv, options: cliParseOptions(), allowPositionals: true, strict: true });
} catch (e) {
  parseError = String(e?.message ?? e);
}
let appFile;
try {
  appFile = readFileSync("encore.app", "utf8");
} catch {}

const run = new CliRun(
  { argv, values: parsed.values, positionals: parsed.positionals, parseError, env: { ...process.env }, appFile, stderrTty: Boolean(process.stderr.isTTY) },
  Date.now(),
);
const err = (text) => {
  if (text) process.stderr.write(text);
};

// Ctrl-C / SIGTERM: stop the call under way (the core says what that means); a second one
// leaves at once.
const stop = new AbortController();
const onSignal = () => {
  if (stop.signal.aborted) process.exit(run.interruptedExitCode);
  stop.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// Placeholders in a call's arguments: the raw body from stdin, a variable's value.
const fill = (arg) => (arg?.$stdin ? readFileSync(0) : arg?.$env !== undefined ? process.env[arg.$env] : arg);
const functions = { verifyWebhook };

let client;
let step = run.first(Date.now());
while (step.call) {
  err(step.stderr);
  const { method, follow, client: onClient } = step.call;
  const ticker = setInterval(() => err(run.tick(Date.now())), run.tickMs);
  let value;
  let error;
  try {
    const args = step.call.args.map(fill);
    const options = args[args.length - 1];
    if (onClient) options.signal = stop.signal;
    if (follow) options.onUpdate = (rollout) => err(run.update(rollout, Date.now()));
    if (onClient) {
      client ??= new EncoreClient({ ...run.clientOptions(), logger: (event) => err(run.attempt(event, Date.now())) });
      value = await client[method](...args);
    } else {
      value = functions[method](...args);
    }
  } catch (e) {
    error = e ?? new Error(String(e));
  } finally {
    clearInterval(ticker);
  }
  step = run.next(value, error, Date.now());
}
err(step.stderr);
const { stdout, exitCode, files } = step.done;
for (const { path, text } of files) {
  try {
    appendFileSync(path, text);
  } catch (e) {
    err(`encore-cloud: could not write ${path}: ${e.message}\n`);
  }
}
process.exitCode = exitCode;
process.stdout.write(stdout, () => process.exit(exitCode));
