/**
 * `npm run bench`: every benchmark, one after the other, each writing its section of
 * docs/benchmarks.md (with its command, the machine and its reference). A failing benchmark is
 * reported and the others still run; the exit code says whether all passed.
 */
import { spawnSync } from "node:child_process";

const BENCHES = ["bench:api", "bench:register", "bench:core", "eval:valuation", "bench:merkle", "bench:evidence", "bench:oracle"];
const scripts = (await import("../../package.json", { with: { type: "json" } })).default.scripts as Record<string, string>;
const outcomes: string[] = [];
for (const name of BENCHES) {
  if (!scripts[name]) {
    outcomes.push(`${name}: not defined`);
    continue;
  }
  const started = Date.now();
  console.log(`\n=== npm run ${name} ===`);
  const run = spawnSync("npm", ["run", "--silent", name], { stdio: "inherit" });
  outcomes.push(`${name}: ${run.status === 0 ? "ok" : `FAILED (exit ${run.status})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
console.log(`\n${outcomes.join("\n")}\nfigures: docs/benchmarks.md`);
process.exitCode = outcomes.some((o) => o.includes("FAILED")) ? 1 : 0;
