import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

describe("contracts lint", () => {
  it("solhint (recommended + security rules, .solhint.json) reports no error and no warning", () => {
    const run = spawnSync(process.execPath, [resolve("node_modules/solhint/solhint.js"), "--max-warnings", "0", "contracts/*.sol", "contracts/interfaces/*.sol"], { encoding: "utf8" });
    expect(run.stdout + run.stderr).not.toMatch(/\d+ problems?/);
    expect(run.status).toBe(0);
  });
});
