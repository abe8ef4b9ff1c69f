#!/usr/bin/env node
// Runs every test runner (Solidity tests under Hardhat, then vitest) and prints one summary line
// "N passed, M failed" summed over all of them. Exit code is non-zero when anything failed.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, mkdirSync } from "node:fs";

function run(cmd, args) {
  return new Promise((resolve) => {
    let out = "";
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    child.stdout.on("data", (d) => { out += d; process.stdout.write(d); });
    child.stderr.on("data", (d) => { out += d; process.stderr.write(d); });
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
    // An orphan a test failed to kill can hold the pipes open after the runner exited: do not wait for it.
    child.on("exit", (code) => setTimeout(() => resolve({ code: code ?? 1, out }), 5000).unref());
  });
}

let passed = 0;
let failed = 0;
let broken = false;

const compile = await run("npx", ["hardhat", "compile"]);
if (compile.code !== 0) broken = true;

if (!broken) {
  const sol = await run("npx", ["hardhat", "test", "solidity"]);
  const p = sol.out.match(/(\d+) passing/);
  const f = sol.out.match(/(\d+) failing/);
  passed += p ? Number(p[1]) : 0;
  failed += f ? Number(f[1]) : 0;
  if (sol.code !== 0 && !f) { failed += 1; console.error("solidity tests exited with", sol.code); }
}

if (!broken) {
  mkdirSync("test-results", { recursive: true });
  rmSync("test-results/vitest.json", { force: true });
  const vt = await run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json"]);
  try {
    const report = JSON.parse(readFileSync("test-results/vitest.json", "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites;
  } catch {
    failed += 1;
    console.error("vitest produced no report; exit code", vt.code);
  }
  if (vt.code !== 0 && failed === 0) failed += 1;
}

if (broken) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
