import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, type TestStack } from "../helpers/stack.js";
import { JsonRpcProvider } from "ethers";
import { seedDemo, firstDemoClaimId, demoHistoryDays } from "../../src/demo/seed.js";

let stack: TestStack;
beforeAll(async () => {
  // As `npm start` does: the dev chain's history starts in the past, for the seed to walk to now.
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" }, { startDaysAgo: demoHistoryDays() });
}, 120_000);
afterAll(async () => stack?.stop());

describe("demo seed", () => {
  it("seeds claims across case states, sold packages, anchored evidence and two disputes (one ruled); ends the chain at or before now; a second run does nothing", async () => {
    const lines: string[] = [];
    const result = await seedDemo({ api: stack.baseUrl, rpcUrl: stack.chainUrl, claims: 60, log: (l) => lines.push(l) });
    expect(result).toMatchObject({ seeded: true, claims: 60, sold: 40, disputes: 2 });
    // Old seed: the chain ended 17 days ahead of the wall clock. Its history now ends at or before now.
    const provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
    const latest = (await provider.getBlock("latest"))!.timestamp;
    provider.destroy();
    expect(latest).toBeLessThanOrEqual(Date.now() / 1000 + 3);
    expect(latest).toBeGreaterThan(Date.now() / 1000 - 120); // brought up to now, not left in the past
    expect(result.evidence).toBeGreaterThan(20);
    const states = new Map<string, number>();
    const ids: string[] = [];
    const first = await call(stack, "GET", `/v1/claims/${await firstDemoClaimId(stack.config.loanRefSecret)}`, "dev-admin");
    expect(first.status).toBe(200);
    // Every demo claim's case, read back from the chain.
    for (let i = 0; i < 60; i++) {
      const { normalizeClaim } = await import("../../src/core/claim-input.js");
      const id = normalizeClaim({ originatorCode: "DEVBANK", contractNo: `DEMO-${String(i).padStart(4, "0")}`, debtor: { name: "x", idNumber: "X0000", type: "retail", debtorId: "x" }, principal: "1", outstanding: "1", originatedAt: "2020-01-01", maturityAt: "2021-01-01", product: "consumer" } as never, stack.config.loanRefSecret).claimId;
      ids.push(id);
      const c = await call(stack, "GET", `/v1/cases/${id}`, "dev-court");
      states.set(c.body.state, (states.get(c.body.state) ?? 0) + 1);
    }
    for (const s of ["performing", "warned", "demanded", "in-arbitration", "ruled"]) expect(states.get(s) ?? 0, `state ${s}`).toBeGreaterThan(0);
    // Names read as Chinese names: a company after its own city (never pinyin glued to Chinese), every region canonical.
    const listed = (await call(stack, "GET", "/v1/claims?limit=100", "dev-bank")).body.claims as Array<{ region: string; debtorName: string; product: string }>;
    const { regionOf } = await import("../../src/core/regions.js");
    for (const c of listed) {
      expect(regionOf(c.region)?.key, c.region).toBe(c.region);
      expect(c.debtorName, c.debtorName).not.toMatch(/[a-z]/i);
      if (c.debtorName.endsWith("有限公司")) expect(c.debtorName.startsWith(regionOf(c.region)!.zh.replace(/市$/, "")), `${c.debtorName} in ${c.region}`).toBe(true);
    }
    const refused = await call(stack, "GET", "/v1/evidence/refused", "dev-admin");
    expect(refused.body.refused.map((r: { rule: string }) => r.rule)).toContain("contact-hours");
    expect(await seedDemo({ api: stack.baseUrl, rpcUrl: stack.chainUrl, claims: 60 })).toMatchObject({ seeded: false });
  }, 240_000);
});
