import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { createOracle } from "../../src/oracle/oracle.js";
import { openOracleRepos } from "../../src/store/repos/oracle.js";
import type { OracleDeps } from "../../src/oracle/types.js";
import { CASE_STATES } from "../../src/core/clauses.js";

/**
 * A status accepted while a cycle plans from the previous one — in another process, with `debtrail oracle`
 * beside the API — must not be lost. The cycle is held at its first read of the case on chain (a gate in
 * the explicit Deps), a newer status is posted to the API meanwhile, then the cycle goes on. Before dirty
 * marks had keys of their own, the cycle's write cleared the claim's one mark, newer status included: the
 * claim waited for yet another status.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0" });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

function oracleWithGate(gate: Promise<void>, reached: () => void) {
  const scope = appScope(stack.api);
  const clauses = new Proxy(scope.chain.clauses, {
    get(target, prop) {
      if (prop === "caseOf") {
        return async (claimId: string) => {
          reached();
          await gate;
          return target.caseOf(claimId);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const deps: OracleDeps = {
    repos: openOracleRepos(scope.store),
    chain: { ...scope.chain, clauses },
    clock: { now: () => Date.now() },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    metrics: scope.metrics,
    signer: scope.chain.wallet(scope.config.servicePrivateKey),
    settings: { ...scope.config.oracle, apiKeys: scope.config.apiKeys },
    claims: { get: (id) => scope.repos.claims.get(id) },
    feeds: scope.feeds,
    evidence: scope.evidence,
  };
  return createOracle(deps);
}

describe("dirty marks", () => {
  it("a newer status accepted while a cycle plans from the older one is planned by the next cycle", async () => {
    const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("DIRTY-1", {
      debtor: { name: "吴十", idNumber: "110101198005050052", type: "retail", debtorId: "D-DIRTY-1" },
    }))).body.claimId as string;
    const scope = appScope(stack.api);
    const now = (await scope.chain.provider.getBlock("latest"))!.timestamp;
    const older = { claimId, asOf: new Date((now - 120) * 1000).toISOString(), daysPastDue: 0, outstanding: "85000000", collateralValue: "40000000" };
    const newer = { ...older, asOf: new Date(now * 1000).toISOString(), daysPastDue: 5 };
    expect((await call(stack, "POST", "/v1/loan-status", "dev-bank", older)).status).toBe(202);

    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const atGate = new Promise<void>((ok) => (reached = ok));
    const oracle = oracleWithGate(gate, reached);
    const first = oracle.run();
    await atGate; // the cycle has read the older status and waits on the chain
    expect((await call(stack, "POST", "/v1/loan-status", "dev-bank", newer)).status).toBe(202);
    release();
    const summary = await first;
    expect(summary).toMatchObject({ planned: 1, applied: 1 });
    expect((await oracle.lastApplied(claimId))?.figures.daysPastDue).toBe(0); // from the older status
    expect((await oracle.status()).waitingClaims).toBe(1); // the newer one still waits

    const second = await oracle.run();
    expect(second).toMatchObject({ considered: 1, planned: 1, applied: 1 });
    expect((await oracle.lastApplied(claimId))?.figures.daysPastDue).toBe(5);
    const c = await scope.chain.clauses.caseOf(claimId);
    expect(CASE_STATES[Number(c.state)]).toBe("warned");
    expect((await oracle.status()).waitingClaims).toBe(0);
  }, 60_000);
});
