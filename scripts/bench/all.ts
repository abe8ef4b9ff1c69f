/**
 * `npm run bench`: every benchmark, one after the other, each writing its section of
 * docs/benchmarks.md (with its command, the machine and its reference). A failing benchmark is
 * reported and the others still run; the exit code says whether all passed.
 */
import { spawnSync } from "node:child_process";
import { machine, writeSection } from "./report.js";

const BENCHES = ["bench:api", "bench:register", "bench:core", "eval:valuation", "bench:match", "bench:merkle", "bench:evidence", "bench:oracle"];
const scripts = (await import("../../package.json", { with: { type: "json" } })).default.scripts as Record<string, string>;
const outcomes: string[] = [];
const rows: string[] = [];
const runStarted = new Date();
for (const name of BENCHES) {
  if (!scripts[name]) {
    outcomes.push(`${name}: not defined`);
    continue;
  }
  const started = Date.now();
  console.log(`\n=== npm run ${name} ===`);
  const run = spawnSync("npm", ["run", "--silent", name], { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  outcomes.push(`${name}: ${run.status === 0 ? "ok" : `FAILED (exit ${run.status})`} in ${seconds} s`);
  rows.push(`| \`npm run ${name}\` | ${run.status === 0 ? "ok" : `FAILED (exit ${run.status})`} | ${seconds} |`);
}
const stamp = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
writeSection("run", [
  "## The last full run (`npm run bench`)",
  "",
  `Every benchmark below, one after the other on ${machine()}, ${stamp(runStarted)}–${stamp(new Date()).slice(11)} UTC, nothing else running. A section refreshed alone since then says its own date.`,
  "",
  "| command | outcome | seconds |",
  "| --- | --- | ---: |",
  ...rows,
].join("\n"));
console.log(`\n${outcomes.join("\n")}\nfigures: docs/benchmarks.md`);
process.exitCode = outcomes.some((o) => o.includes("FAILED")) ? 1 : 0;
