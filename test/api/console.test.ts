import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { startStack, call, appScope, type TestStack } from "../helpers/stack.js";
import { seedDemo, demoHistoryDays } from "../../src/demo/seed.js";
import { CLASSIFICATIONS } from "../../src/core/classification.js";

/**
 * The console's API (issue 6) on a seeded demo portfolio: GET /v1/portfolio, GET /v1/claims, GET /v1/queue,
 * POST /v1/packages/preview, GET /v1/tx/:txHash — figures checked against the per-claim routes, scopes per
 * role, 4xx naming the field, no JSON-RPC call per read (all from the chain index), and the daily trend
 * kept in LevelDB.
 */

let stack: TestStack;
let rpcCalls = 0;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" }, { startDaysAgo: demoHistoryDays() });
  await seedDemo({ api: stack.baseUrl, rpcUrl: stack.chainUrl, claims: 60 });
  countRpc();
}, 150_000);
afterAll(async () => stack?.stop());

/** Counts the JSON-RPC requests the API sends to its node (each request of a batch counts). */
function countRpc(): void {
  const provider = appScope(stack.api).chain.provider as unknown as { _send(p: unknown): Promise<unknown> };
  const send = provider._send.bind(provider);
  provider._send = async (payload: unknown) => {
    rpcCalls += Array.isArray(payload) ? payload.length : 1;
    return send(payload);
  };
}

/** Counts the chain indexer's own JSON-RPC requests from now on. */
function countIndexerRpc(): () => number {
  let n = 0;
  const provider = appScope(stack.api).reads.provider as unknown as { _send(p: unknown): Promise<unknown> };
  const send = provider._send.bind(provider);
  provider._send = async (payload: unknown) => {
    n += Array.isArray(payload) ? payload.length : 1;
    return send(payload);
  };
  return () => n;
}

async function rpcOf(fn: () => Promise<unknown>): Promise<number> {
  const before = rpcCalls;
  await fn();
  return rpcCalls - before;
}

describe("console API", () => {
  it("GET /v1/portfolio agrees with the chain read claim by claim (GET /v1/cases), for the AMC's 40 demo claims", async () => {
    const p = (await call(stack, "GET", "/v1/portfolio", "dev-amc")).body;
    expect(p.count).toBe(40);
    const ids: string[] = [];
    for (let cursor: string | null = null; ;) {
      const page: any = (await call(stack, "GET", `/v1/claims?limit=7${cursor ? `&cursor=${cursor}` : ""}`, "dev-amc")).body;
      ids.push(...page.claims.map((c: any) => c.claimId));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    let outstanding = 0n;
    const classCount = [0, 0, 0, 0, 0];
    const states: Record<string, number> = {};
    for (const id of ids) {
      const c = (await call(stack, "GET", `/v1/cases/${id}`, "dev-court")).body;
      const reports = c.timeline.filter((i: any) => i.type === "report");
      const last = reports.at(-1).details;
      outstanding += BigInt(last.outstanding);
      classCount[last.classification]++;
      states[c.state] = (states[c.state] ?? 0) + 1;
    }
    expect(p.outstanding).toBe(outstanding.toString());
    expect(p.byClass.map((c: any) => c.count)).toEqual(classCount);
    expect(p.byClass.map((c: any) => c.classification)).toEqual([...CLASSIFICATIONS]);
    expect(p.byClass.map((c: any) => c.classificationZh)).toEqual(["正常", "关注", "次级", "可疑", "损失"]);
    for (const s of p.byState) expect({ state: s.state, count: s.count }).toEqual({ state: s.state, count: states[s.state] ?? 0 });
    expect(p.byHolder).toHaveLength(1);
    expect(p.byHolder[0].name).toBe("Demo AMC (dev)");
    expect(p.byRegion.reduce((n: number, r: any) => n + r.count, 0)).toBe(40);
    expect(p.byProduct.reduce((s: bigint, r: any) => s + BigInt(r.outstanding), 0n)).toBe(outstanding);
    expect(BigInt(p.expectedRecovery)).toBeGreaterThan(0n);
    expect(BigInt(p.expectedRecovery)).toBeLessThanOrEqual(outstanding);
    // Filters narrow the same figures.
    const sub = (await call(stack, "GET", "/v1/portfolio?classification=次级&product=sme", "dev-amc")).body;
    expect(sub.byClass.filter((c: any) => c.classification !== "substandard").every((c: any) => c.count === 0)).toBe(true);
    expect(sub.byProduct.every((r: any) => r.product === "sme")).toBe(true);
  }, 60_000);

  it("the dashboard's chain figures equal the chain index's incrementally kept aggregates, scope by scope", async () => {
    const index = appScope(stack.api).reads.index;
    const me = async (key: string) => (await call(stack, "GET", "/v1/me", key)).body.address as string;
    const scopes: Array<[string, Parameters<typeof index.portfolio>[0]]> = [
      ["dev-admin", { kind: "all" }], ["dev-bank", { kind: "bank", address: await me("dev-bank") }], ["dev-amc", { kind: "holder", address: await me("dev-amc") }],
    ];
    for (const [key, scope] of scopes) {
      const p = (await call(stack, "GET", "/v1/portfolio", key)).body;
      const kept = await index.portfolio(scope);
      expect({ key, count: p.count, outstanding: p.outstanding, asOfBlock: p.asOfBlock }).toEqual({ key, count: kept.count, outstanding: kept.outstanding, asOfBlock: kept.asOfBlock });
      for (const s of p.byState) {
        const cells = kept.cells.filter((c) => c.state === s.state);
        expect({ key, state: s.state, count: s.count, outstanding: s.outstanding }).toEqual({
          key, state: s.state, count: cells.reduce((n, c) => n + c.count, 0), outstanding: cells.reduce((n, c) => n + BigInt(c.outstanding), 0n).toString(),
        });
      }
    }
  });

  it("scopes: a bank sees what it originated, an AMC what it holds, a court the claims whose case is before it (with personal data), another AMC none", async () => {
    expect((await call(stack, "GET", "/v1/portfolio", "dev-bank")).body.count).toBe(60);
    expect((await call(stack, "GET", "/v1/portfolio", "dev-admin")).body.count).toBe(60);
    expect((await call(stack, "GET", "/v1/portfolio", "dev-amc2")).body.count).toBe(0);
    expect((await call(stack, "GET", "/v1/portfolio", "dev-court")).status).toBe(403);
    expect((await call(stack, "GET", "/v1/portfolio", "dev-collector")).status).toBe(403);
    expect((await call(stack, "GET", "/v1/portfolio")).status).toBe(401);
    // A court sees the claims with a dispute (issue 14), not every claim.
    const all = (await call(stack, "GET", "/v1/claims?limit=100", "dev-admin")).body;
    const disputed = all.claims.filter((c: any) => c.disputeId !== null).map((c: any) => c.claimId).sort();
    expect(all.total).toBe(60);
    expect(disputed.length).toBeLessThan(60);
    const court = (await call(stack, "GET", "/v1/claims?limit=100", "dev-court")).body;
    expect(court.claims.map((c: any) => c.claimId).sort()).toEqual(disputed);
    expect(court.claims.every((c: any) => typeof c.debtorName === "string" && !c.personalDataRedacted)).toBe(true);
    // The operator's admin sees every claim, without personal data.
    expect(all.claims.every((c: any) => c.debtorName === undefined && c.personalDataRedacted)).toBe(true);
    const collector = (await call(stack, "GET", "/v1/claims?limit=100", "dev-collector")).body;
    expect(collector.total).toBe(40);
    expect(collector.claims.every((c: any) => typeof c.debtorName === "string")).toBe(true);
    // The bank sold 40 of its 60: it still sees them (it originated them) and their personal data (as originator).
    const bank = (await call(stack, "GET", "/v1/claims?limit=100", "dev-bank")).body;
    expect(bank.total).toBe(60);
    // The bank's work queue holds only the claims it still holds.
    const bankQueue = (await call(stack, "GET", "/v1/queue?limit=100", "dev-bank")).body;
    const bankAddress = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address;
    expect(bankQueue.items.every((i: any) => i.holder === bankAddress)).toBe(true);
    expect((await call(stack, "GET", "/v1/queue", "dev-court")).status).toBe(403);
  });

  it("GET /v1/queue: open cases by priority (the core's expected loss × urgency), reasons, next clause deadline, last contact, disposal path", async () => {
    const q = (await call(stack, "GET", "/v1/queue?limit=100", "dev-amc")).body;
    expect(q.total).toBe(q.items.length);
    const collector = (await call(stack, "GET", "/v1/queue?limit=100", "dev-collector")).body;
    expect(collector.items.map((i: any) => i.claimId)).toEqual(q.items.map((i: any) => i.claimId));
    for (let i = 1; i < q.items.length; i++) expect(BigInt(q.items[i - 1].priority) >= BigInt(q.items[i].priority)).toBe(true);
    expect(q.items.map((i: any) => i.rank)).toEqual(q.items.map((_: unknown, k: number) => k + 1));
    for (const item of q.items) {
      expect(item.state).not.toBe("closed");
      expect(item.offer).toBeNull(); // no settlement offer proposed yet (issue 8: the queue shows its status)
      expect(item.reasons.length).toBeGreaterThan(0);
      expect(item.recommended.path).toMatch(/^(self-collection|restructuring|package-sale|litigation-auction|write-off)$/);
    }
    // A warned claim's next clause is the formal demand, due when days past due reach demandDays and the
    // warning is noticeDays old in block time (issue 14: the demand waits the warning's notice period).
    const warned = q.items.find((i: any) => i.state === "warned")!;
    const kase = (await call(stack, "GET", `/v1/cases/${warned.claimId}`, "dev-amc")).body;
    const last = kase.timeline.filter((i: any) => i.type === "report").at(-1).details;
    const warning = kase.timeline.find((i: any) => i.type === "state-changed" && i.details.to === "warned");
    expect(warned.nextDeadline.clause).toBe("demand");
    expect(Date.parse(warned.nextDeadline.at)).toBe(Math.max(
      Date.parse(last.asOf) + Math.max(0, kase.clauses.demandDays - last.daysPastDue) * 86_400_000,
      Date.parse(warning.timestamp) + kase.clauses.noticeDays * 86_400_000,
    ));
    // Last contact: the claim's latest evidence record with a person.
    const contacted = q.items.find((i: any) => i.lastContact?.kind === "call" || i.lastContact?.kind === "sms");
    const evidence = (await call(stack, "GET", `/v1/claims/${contacted.claimId}/evidence`, "dev-amc")).body;
    expect(evidence.records.map((r: any) => r.recordId)).toContain(contacted.lastContact.recordId);
    // Pages: the cursor continues where the last page ended.
    const first = (await call(stack, "GET", "/v1/queue?limit=5", "dev-amc")).body;
    const second = (await call(stack, "GET", `/v1/queue?limit=5&cursor=${first.nextCursor}`, "dev-amc")).body;
    expect([...first.items, ...second.items].map((i: any) => i.claimId)).toEqual(q.items.slice(0, 10).map((i: any) => i.claimId));
    expect(second.items[0].rank).toBe(6);
  });

  it("bad input → 400 naming the field; unknown → 404; wrong role → 403", async () => {
    const bad = async (method: string, path: string, body: unknown, field: string, key = "dev-amc") => {
      const r = await call(stack, method, path, key, body);
      expect({ path, status: r.status, field: r.body.field }).toEqual({ path, status: 400, field });
    };
    await bad("GET", "/v1/portfolio?classification=bad", undefined, "querystring.classification");
    await bad("GET", "/v1/portfolio?holder=0x12", undefined, "querystring.holder");
    await bad("GET", "/v1/portfolio?state=sleeping", undefined, "querystring.state");
    await bad("GET", "/v1/portfolio?color=red", undefined, "querystring.color");
    await bad("GET", "/v1/claims?limit=0", undefined, "querystring.limit");
    await bad("GET", "/v1/claims?cursor=bm90LWEtY3Vyc29y", undefined, "cursor");
    await bad("GET", "/v1/queue?cursor=abc", undefined, "querystring.cursor");
    await bad("POST", "/v1/packages/preview", {}, "filter");
    await bad("POST", "/v1/packages/preview", { filter: {}, claimIds: [`0x${"ab".repeat(32)}`] }, "claimIds");
    await bad("POST", "/v1/packages/preview", { claimIds: [`0x${"ab".repeat(32)}`] }, "claimIds[0]");
    await bad("POST", "/v1/packages/preview", { claimIds: ["0x12"] }, "body.claimIds[0]");
    await bad("POST", "/v1/packages/preview", { filter: { classification: "grim" } }, "body.filter.classification");
    const some = (await call(stack, "GET", "/v1/claims?limit=1", "dev-amc")).body.claims[0].claimId;
    await bad("POST", "/v1/packages/preview", { claimIds: [some, some] }, "claimIds[1]");
    await bad("GET", "/v1/tx/0x1234", undefined, "params.txHash");
    expect((await call(stack, "GET", `/v1/tx/0x${"cd".repeat(32)}`, "dev-amc")).status).toBe(404);
    expect((await call(stack, "POST", "/v1/packages/preview", "dev-collector", { filter: {} })).status).toBe(403);
  });

  it("POST /v1/packages/preview: the caller's claims of a filter with totals; claims it may not sell are marked", async () => {
    const all = (await call(stack, "POST", "/v1/packages/preview", "dev-amc", { filter: {} })).body;
    expect(all.all.count).toBe(all.claims.length);
    expect(all.claims.length).toBeGreaterThan(30); // every open claim the AMC holds
    // Retail claims bought in the demo package may not be sold on (pilot rule); the preview says so.
    const restricted = all.claims.filter((c: any) => c.reason === "resale-restricted");
    expect(restricted.length).toBeGreaterThan(0);
    for (const c of restricted.slice(0, 3)) {
      expect((await call(stack, "GET", `/v1/claims/${c.claimId}`, "dev-amc")).body.onChain.resaleRestricted).toBe(true);
    }
    expect(all.assignable.count).toBe(all.claims.filter((c: any) => c.assignable).length);
    const sum = (list: any[], k: string) => list.reduce((s, c) => s + BigInt(c[k]), 0n).toString();
    expect(all.all.outstanding).toBe(sum(all.claims, "outstanding"));
    expect(all.assignable.indicativePrice).toBe(sum(all.claims.filter((c: any) => c.assignable), "packagePrice"));
    // Every other buyer this deployment knows: the second AMC and (issue 19) the qualified investor.
    expect(all.knownHolders.map((h: any) => h.name)).toEqual(["Second AMC (dev)", "Demo Investor (dev)"]);
    // By ids: a claim the bank holds tells the AMC nothing (issue 14: another holder's contract number and figures).
    const bankAddress = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address;
    const bankClaim = (await call(stack, "GET", `/v1/claims?holder=${bankAddress}&limit=1`, "dev-bank")).body.claims[0];
    const foreign = await call(stack, "POST", "/v1/packages/preview", "dev-amc", { claimIds: [all.claims[0].claimId, bankClaim.claimId] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.field).toBe("claimIds[1]");
    expect(JSON.stringify(foreign.body)).not.toContain(bankClaim.contractNo);
    // The bank previews one it kept and one it sold (it originated both): the sold one is listed, not assignable.
    const byIds = (await call(stack, "POST", "/v1/packages/preview", "dev-bank", { claimIds: [all.claims[0].claimId, bankClaim.claimId] })).body;
    expect(byIds.claims.map((c: any) => c.reason ?? null)).toEqual(["not-holder", null]);
  });

  it("POST /v1/packages/preview: a claim locked in a market listing is marked claim-listed and left out of the assignable totals until the listing ends", async () => {
    const preview = async (minBlock: number) => (await call(stack, "POST", `/v1/packages/preview?minBlock=${minBlock}`, "dev-amc", { filter: { product: "corporate" } })).body;
    const before = await preview(0);
    const claim = before.claims.find((c: any) => c.assignable);
    const now = (await new JsonRpcProvider(stack.chainUrl).getBlock("latest"))!.timestamp;
    const listed = await call(stack, "POST", "/v1/market/listings", "dev-amc", {
      label: "控制台预览", claimIds: [claim.claimId], cutoffDate: "2025-12-31", commitEnd: now + 86_400, revealEnd: now + 2 * 86_400, executionPeriodSeconds: 86_400, deposit: "0",
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    const during = await preview(listed.body.blockNumber);
    expect(during.claims.find((c: any) => c.claimId === claim.claimId)).toMatchObject({ assignable: false, reason: "claim-listed", listingId: listed.body.listingId });
    expect(during.assignable.count).toBe(before.assignable.count - 1);
    expect(BigInt(during.assignable.outstanding)).toBe(BigInt(before.assignable.outstanding) - BigInt(claim.outstanding));
    expect(during.all).toEqual(before.all);
    // As the registry: a sale of it outside the listing is refused.
    const amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address;
    const sale = await call(stack, "POST", "/v1/assignments", "dev-amc", { claimIds: [claim.claimId], to: amc2, packageId: "PKG-CONSOLE-LISTED", price: "1", notice: "债权转让通知" });
    expect(sale.status, JSON.stringify(sale.body)).toBe(409);
    // The seller cancels (no bid yet): the claim is its own to sell again.
    const cancelled = await call(stack, "POST", `/v1/market/listings/${listed.body.listingId}/cancel`, "dev-amc");
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const after = await preview(cancelled.body.blockNumber);
    expect(after.claims.find((c: any) => c.claimId === claim.claimId)).toMatchObject({ assignable: true });
    expect(after.claims.find((c: any) => c.claimId === claim.claimId).reason).toBeUndefined();
    expect(after.assignable).toEqual(before.assignable);
  });

  it("GET /v1/tx/:txHash decodes a transaction's events with the contracts' ABIs", async () => {
    const id = (await call(stack, "GET", "/v1/claims?state=in-arbitration", "dev-amc")).body.claims[0].claimId;
    const history = (await call(stack, "GET", `/v1/claims/${id}/history`, "dev-amc")).body.events;
    const sale = (await call(stack, "GET", `/v1/tx/${history[1].txHash}`, "dev-court")).body;
    expect(sale).toMatchObject({ txHash: history[1].txHash, blockNumber: history[1].blockNumber, contract: "ClaimRegistry", status: "success" });
    const assigned = sale.events.find((e: any) => e.name === "ClaimAssigned" && e.args.claimId === id);
    expect(assigned.args).toMatchObject({ to: history[1].to, from: history[1].from });
    expect(sale.events.some((e: any) => e.name === "PackageAssigned")).toBe(true);
  });

  it("a read makes no JSON-RPC call once the index caught up (the indexer polls on its own, not per read); a write is in the index when it answers", async () => {
    // The bidder node's automatic reveal reads the latest block every 5 s on the same connection: stopped here so
    // that a pass falling inside a measured read is not counted as the read's.
    appScope(stack.api).market.stop();
    const some = (await call(stack, "GET", "/v1/claims?state=in-arbitration&limit=1", "dev-amc")).body.claims[0];
    const reads: Array<[string, string]> = [
      ["/v1/portfolio", "dev-amc"], ["/v1/queue?limit=50", "dev-collector"], ["/v1/claims?limit=100", "dev-bank"],
      [`/v1/claims/${some.claimId}`, "dev-amc"], [`/v1/claims/${some.claimId}/history`, "dev-amc"], [`/v1/cases/${some.claimId}`, "dev-court"],
      [`/v1/disputes/${some.disputeId}`, "dev-court"],
    ];
    for (const [path, key] of reads) await call(stack, "GET", path, key); // warm
    for (const [path, key] of reads) expect({ path, rpc: await rpcOf(() => call(stack, "GET", path, key)) }).toEqual({ path, rpc: 0 });
    // The indexer's own connection: a poll (head, and the cursor block's hash) per interval, however many reads.
    const polls = countIndexerRpc();
    const started = Date.now();
    for (let i = 0; i < 10; i++) for (const [path, key] of reads) await call(stack, "GET", path, key);
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(polls()).toBeLessThanOrEqual(2 * (seconds + 1));
    // A sale through this API: its answer comes once the index holds its block, so the next load shows it.
    const preview = (await call(stack, "POST", "/v1/packages/preview", "dev-amc", { filter: { product: "corporate" } })).body;
    const amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address;
    const sold = preview.claims.filter((c: any) => c.assignable).slice(0, 2).map((c: any) => c.claimId);
    const sale = await call(stack, "POST", "/v1/assignments", "dev-amc", { claimIds: sold, to: amc2, packageId: "PKG-CONSOLE-1", price: "1000", notice: "债权转让通知" });
    expect(sale.status).toBe(201);
    let after: any;
    expect(await rpcOf(async () => (after = (await call(stack, "GET", "/v1/portfolio", "dev-amc2")).body))).toBe(0);
    expect(after.count).toBe(2);
    expect(after.asOfBlock).toBeGreaterThanOrEqual(sale.body.blockNumber);
    expect((await call(stack, "GET", "/v1/portfolio", "dev-amc")).body.count).toBe(38);
  });

  it("the trend: daily snapshots in LevelDB, the seeded oracle history rebuilt from chain reports; a later day adds a point", async () => {
    const before = (await call(stack, "GET", "/v1/portfolio", "dev-bank")).body.trend;
    expect(before.length).toBeGreaterThanOrEqual(3); // the seed's three oracle days (the last is today, live)
    expect(before.slice(0, -1).every((d: any) => d.source === "reports" && d.expectedRecovery === null)).toBe(true);
    expect(before.at(-1).source).toBe("live");
    // Snapshots survive a restart (they are in the store, not in memory).
    await stack.restartApi();
    countRpc();
    const again = (await call(stack, "GET", "/v1/portfolio", "dev-bank")).body.trend;
    expect(again.map((d: any) => d.day)).toEqual(before.map((d: any) => d.day));
    // Two days later (the dev chain's clock), after an oracle cycle: a new point; yesterday's stays.
    const provider = new JsonRpcProvider(stack.chainUrl);
    await provider.send("evm_increaseTime", [2 * 86_400]);
    await provider.send("evm_mine", []);
    const now = (await provider.getBlock("latest"))!.timestamp;
    provider.destroy();
    const claim = (await call(stack, "GET", "/v1/claims?state=warned&limit=1", "dev-bank")).body.claims[0];
    // Its holder reports (the bank for a claim it kept, the AMC for one it bought).
    const bankAddress = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address;
    expect((await call(stack, "POST", "/v1/loan-status", claim.holder === bankAddress ? "dev-bank" : "dev-amc", {
      claimId: claim.claimId, asOf: new Date(now * 1000).toISOString(), daysPastDue: 0, outstanding: claim.outstanding, collateralValue: "0",
    })).status).toBe(202);
    expect((await call(stack, "POST", "/v1/oracle/run", "dev-admin")).body.applied).toBe(1);
    const later = (await call(stack, "GET", "/v1/portfolio", "dev-bank")).body;
    expect(later.trend.length).toBe(before.length + 1);
    expect(later.trend.at(-2)).toMatchObject({ day: before.at(-1).day, source: "live" });
    expect(later.trend.at(-1).day > before.at(-1).day).toBe(true);
    expect(later.byState.find((s: any) => s.state === "performing").count).toBe(before.at(-1).stateCount.performing + 1);
  }, 60_000);
});
