import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { chainClock } from "../helpers/clock.js";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { relistedListingId } from "../../src/core/market/relist.js";

/**
 * A package that did not sell (issue 19), against a real hardhat node: the disposal model's advice to its seller
 * only (another organisation, an unknown listing, one still open: refused with a code), then the relist as the
 * advice's split — retried, it returns the same listings and lists nothing twice; after a crash between sending a
 * listing and answering, the restarted node finds the transaction it sent and lists nothing twice.
 */
let stack: TestStack;
let provider: JsonRpcProvider;
const chainNow = () => chainClock(provider).chainNow();
const jumpTo = (t: number) => chainClock(provider).jumpTo(t);

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
  appScope(stack.api).market.stop(); // bids are revealed by hand here
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

let seq = 0;
async function register(personal: number, corporate: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < personal + corporate; i++) {
    const no = `RL-${Date.now()}-${++seq}`;
    const body = i < personal ? claimRequest(no) : claimRequest(no, { product: "sme", debtor: { name: "周九商贸有限公司", idNumber: "91110101MA0000005X", type: "corporate", debtorId: `D-${no}` } });
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(r.body.claimId);
  }
  return ids;
}

/** A listing the bank lists, dev-amc bids `bid` fen under the reserve, and the award ends unsold. */
async function unsoldListing(claimIds: string[], bid: string, reserve = "500000000") {
  const now = await chainNow();
  const listed = await call(stack, "POST", "/v1/market/listings", "dev-bank", {
    label: `流拍包 ${++seq}`, claimIds, cutoffDate: new Date((now - 86_400) * 1000).toISOString().slice(0, 10), commitEnd: now + 600, revealEnd: now + 1200,
    executionPeriodSeconds: 3600, deposit: "100000", reserve,
  });
  expect(listed.status, JSON.stringify(listed.body)).toBe(201);
  const id = listed.body.listingId as string;
  expect((await call(stack, "POST", `/v1/market/listings/${id}/bids`, "dev-amc", { amount: bid, depositProof: `DEP-${seq}` })).status).toBe(201);
  // Still open: no advice yet, with the code that says why.
  const early = await call(stack, "GET", `/v1/market/listings/${id}/advice`, "dev-bank");
  expect(early.status, JSON.stringify(early.body)).toBe(409);
  expect(early.body).toMatchObject({ code: "conflict.listing-not-unsold", params: { status: "open" } });
  await jumpTo(now + 700);
  expect((await call(stack, "POST", `/v1/market/listings/${id}/reveal`, "dev-amc")).status).toBe(200);
  await jumpTo(now + 1300);
  expect((await call(stack, "POST", `/v1/market/listings/${id}/award`, "dev-bank")).status).toBe(200);
  expect((await call(stack, "GET", `/v1/market/listings/${id}`, "dev-bank")).body.listing.status).toBe("unsold");
  return id;
}

async function relistBody(id: string, option: string) {
  const advice = (await call(stack, "GET", `/v1/market/listings/${id}/advice`, "dev-bank")).body;
  if (!advice.options?.some((o: any) => o.id === option)) throw new Error(`no ${option} in ${JSON.stringify(advice)}`);
  const parts = advice.options.find((o: any) => o.id === option).parts;
  const now = await chainNow();
  return { option, parts: parts.map(() => ({ deposit: "50000" })), commitEnd: now + 3_600, revealEnd: now + 7_200, executionPeriodSeconds: 3_600 };
}

describe("GET /v1/me", () => {
  it("says what the chain makes the caller as a buyer: a licensed AMC, a qualified investor, or neither", async () => {
    expect((await call(stack, "GET", "/v1/me", "dev-amc")).body.buyerKind).toBe("licensed-amc");
    expect((await call(stack, "GET", "/v1/me", "dev-investor")).body.buyerKind).toBe("qualified-investor");
    expect((await call(stack, "GET", "/v1/me", "dev-bank")).body.buyerKind).toBeNull();
  });
});

describe("relisting an unsold package", () => {
  it("the advice is its seller's only; it says why the package did not sell and what to do, in both languages", async () => {
    const claimIds = await register(2, 2);
    // A bid high enough that a sale beats the disposal model's path for every claim (no claim to withdraw).
    const id = await unsoldListing(claimIds, "300000000");

    expect((await call(stack, "GET", `/v1/market/listings/${id}/advice`, "dev-amc")).status).toBe(403); // a bidder, not the seller
    expect((await call(stack, "GET", `/v1/market/listings/0x${"5".repeat(64)}/advice`, "dev-bank")).status).toBe(404);
    expect((await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-amc", await relistBody(id, "whole"))).status).toBe(403);

    const en = await call(stack, "GET", `/v1/market/listings/${id}/advice?lang=en`, "dev-bank");
    expect(en.status, JSON.stringify(en.body)).toBe(200);
    expect(en.body.outcome).toBe("below-reserve");
    expect(en.body.reasons[0]).toMatchObject({ code: "outcome-below-reserve", params: { bids: 1, bestBid: "300000000", reserve: "500000000" } });
    expect(en.body.reasons[0].text).toContain("¥3,000,000.00");
    expect(en.body.withdraw).toEqual([]);
    // Personal and corporate claims of a bank's small package: split, the corporate part open to qualified investors.
    expect(en.body.recommended).toBe("split:personal");
    const split = en.body.options[0];
    expect(split.id).toBe("split:personal");
    const byKey = Object.fromEntries(split.parts.map((p: any) => [p.key, p]));
    expect(byKey.personal.claimIds.sort()).toEqual(claimIds.slice(0, 2).map((c) => c.toLowerCase()).sort());
    expect(byKey.personal.licensedAmcOnly).toBe(true);
    expect(byKey.corporate.licensedAmcOnly).toBe(false);
    expect(split.reasons[0].text).toMatch(/qualified investors/);
    // Every reserve is within the one that did not sell.
    for (const o of en.body.options) for (const p of o.parts) expect(BigInt(p.reserve)).toBeLessThanOrEqual(500000000n);
    const zh = await call(stack, "GET", `/v1/market/listings/${id}/advice?lang=zh-CN`, "dev-bank");
    expect(zh.body.options[0].reasons[0].text).toMatch(/合格投资者/);
    expect(zh.body.reasons[0].text).toMatch(/低于保留价/);
    expect(en.body.relisted).toBeNull();
  }, 240_000);

  it("relists as the advised split: a retry returns the same listings and lists nothing twice; another plan is refused", async () => {
    const claimIds = await register(1, 2);
    const id = await unsoldListing(claimIds, "250000000");
    const body = await relistBody(id, "split:personal");

    // One entry per part, and an option the advice offers.
    const short = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", { ...body, parts: body.parts.slice(0, 1) });
    expect(short.status, JSON.stringify(short.body)).toBe(400);
    expect(short.body).toMatchObject({ field: "parts" });
    const secured = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", { ...body, option: "split:secured" });
    expect(secured.status).toBe(400);
    expect(secured.body).toMatchObject({ field: "option" });
    const far = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", { ...body, commitEnd: body.commitEnd + 400 * 86_400, revealEnd: body.revealEnd + 400 * 86_400 });
    expect(far.status).toBe(400);
    expect(far.body).toMatchObject({ field: "commitEnd" });
    expect(await appScope(stack.api).repos.market.relists.get(id.toLowerCase())).toBeUndefined(); // nothing written by a refusal

    const first = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.resumed).toBe(false);
    const ids = first.body.listings.map((l: any) => l.listingId);
    expect(ids).toEqual([relistedListingId(id, 0), relistedListingId(id, 1)]);
    const listed = first.body.listings.flatMap((l: any) => l.claimIds).sort();
    expect(listed).toEqual(claimIds.map((c) => c.toLowerCase()).sort());

    const again = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.resumed).toBe(true);
    expect(again.body.listings.map((l: any) => l.listingId)).toEqual(ids);
    expect(again.body.listings.map((l: any) => l.txHash)).toEqual(first.body.listings.map((l: any) => l.txHash));
    for (const l of ids) {
      expect((await appScope(stack.api).chain.outbox.findByTag(`market-list:${l}`)).length, l).toBe(1);
      const row = (await call(stack, "GET", `/v1/market/listings/${l}`, "dev-bank")).body.listing;
      expect(row.status).toBe("open");
    }
    const corporate = first.body.listings.find((l: any) => l.key === "corporate");
    expect(corporate.licensedAmcOnly).toBe(false);

    const other = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", { ...body, parts: body.parts.map(() => ({ deposit: "1" })) });
    expect(other.status, JSON.stringify(other.body)).toBe(409);
    expect(other.body).toMatchObject({ code: "conflict.relist-exists" });
    expect((await call(stack, "GET", `/v1/market/listings/${id}/advice`, "dev-bank")).body.relisted).toMatchObject({ option: "split:personal", status: "listed", listings: ids });
  }, 240_000);

  it("an award the winner did not pay, with no runner-up: the advice reads it as failed and leaves the defaulter's bid out", async () => {
    const claimIds = await register(0, 2);
    const now = await chainNow();
    const listed = await call(stack, "POST", "/v1/market/listings", "dev-bank", {
      label: `违约包 ${++seq}`, claimIds, cutoffDate: new Date((now - 86_400) * 1000).toISOString().slice(0, 10), commitEnd: now + 600, revealEnd: now + 1200,
      executionPeriodSeconds: 3600, deposit: "100000", reserve: "100000000",
    });
    const id = listed.body.listingId as string;
    expect((await call(stack, "POST", `/v1/market/listings/${id}/bids`, "dev-amc", { amount: "300000000", depositProof: `DEP-${seq}` })).status).toBe(201);
    await jumpTo(now + 700);
    expect((await call(stack, "POST", `/v1/market/listings/${id}/reveal`, "dev-amc")).status).toBe(200);
    await jumpTo(now + 1300);
    expect((await call(stack, "POST", `/v1/market/listings/${id}/award`, "dev-bank")).status).toBe(200);
    // Awarded: no advice yet.
    expect((await call(stack, "GET", `/v1/market/listings/${id}/advice`, "dev-bank")).body).toMatchObject({ code: "conflict.listing-not-unsold", params: { status: "awarded" } });
    await jumpTo(now + 1300 + 3700); // the winner never paid; the deadline passed
    expect((await call(stack, "POST", `/v1/market/listings/${id}/runner-up`, "dev-bank")).status).toBe(200);
    expect((await call(stack, "GET", `/v1/market/listings/${id}`, "dev-bank")).body.listing.status).toBe("failed");
    const advice = await call(stack, "GET", `/v1/market/listings/${id}/advice?lang=en`, "dev-bank");
    expect(advice.status, JSON.stringify(advice.body)).toBe(200);
    expect(advice.body.outcome).toBe("award-failed");
    expect(advice.body.reasons.map((r: any) => r.code)).toEqual(["outcome-award-failed"]);
    // The defaulter's 3,000,000 yuan is no bid to price by: a claim weighed for withdrawal counts its sale value
    // without a share of it (1,500,000 yuan each), and each part's reserve comes from the valuation.
    expect(advice.body.withdraw.length + advice.body.options.length).toBeGreaterThan(0);
    for (const w of advice.body.withdraw) expect(BigInt(w.saleValue)).toBeLessThan(150000000n);
    for (const o of advice.body.options) for (const p of o.parts) {
      expect(p.bidShare).toBeNull();
      expect(p.reasons.map((r: any) => r.code)).not.toContain("reserve-best-bid");
    }
  }, 240_000);

  it("a plan none of whose listings went out (refused before sending) gives way to another plan", async () => {
    const claimIds = await register(0, 2);
    const id = await unsoldListing(claimIds, "200000000");
    const body = await relistBody(id, "whole");
    // The node refuses to send (as a chain node that rejects the transaction before it is broadcast would).
    const outbox = appScope(stack.api).chain.outbox;
    const send = outbox.send;
    outbox.send = async () => { throw new Error("simulated: the node refused the transaction"); };
    try {
      expect((await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", body)).status).toBeGreaterThanOrEqual(500);
    } finally {
      outbox.send = send;
    }
    expect(await appScope(stack.api).repos.market.listings.get(relistedListingId(id, 0))).toMatchObject({ status: "failed" });
    // Another plan (another deposit) now: accepted, the failed plan replaced; the same ids (nothing of the first went out).
    const next = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", { ...body, parts: body.parts.map(() => ({ deposit: "7" })) });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.resumed).toBe(false);
    expect(next.body.listings[0].listingId).toBe(relistedListingId(id, 0));
    expect((await call(stack, "GET", `/v1/market/listings/${relistedListingId(id, 0)}`, "dev-bank")).body.listing).toMatchObject({ status: "open", deposit: "7" });
    // Now something is on chain: another plan is refused.
    expect((await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", body)).body).toMatchObject({ code: "conflict.relist-exists" });
  }, 240_000);

  it("a crash between sending a listing and answering: the restarted node finds the transaction it sent and lists nothing twice", async () => {
    const claimIds = await register(0, 2);
    const id = await unsoldListing(claimIds, "200000000");
    const body = await relistBody(id, "whole");
    const newId = relistedListingId(id, 0);

    // The node dies right after the outbox broadcast the listing, before the record kept its hash or anything answered.
    const outbox = appScope(stack.api).chain.outbox;
    const send = outbox.send.bind(outbox);
    outbox.send = async (...args: Parameters<typeof send>) => {
      const entry = await send(...args);
      if (args[2] === `market-list:${newId}`) throw new Error("simulated crash after the broadcast");
      return entry;
    };
    const crashed = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", body);
    expect(crashed.status).toBeGreaterThanOrEqual(500);
    const written = await appScope(stack.api).repos.market.listings.get(newId);
    expect(written).toMatchObject({ status: "pending", relistOf: { listingId: id.toLowerCase(), part: 0 } });
    expect(written!.txHash).toBeUndefined();
    await stack.restartApi();

    const retry = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", body);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toMatchObject({ resumed: true, option: "whole" });
    expect(retry.body.listings.map((l: any) => l.listingId)).toEqual([newId]);
    const sent = await appScope(stack.api).chain.outbox.findByTag(`market-list:${newId}`);
    expect(sent).toHaveLength(1);
    expect(retry.body.listings[0].txHash).toBe(sent[0]!.hash);
    expect((await call(stack, "GET", `/v1/market/listings/${newId}`, "dev-bank")).body.listing).toMatchObject({ status: "open", claimIds: claimIds.map((c) => c.toLowerCase()) });
    // And once more: the same answer.
    const third = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", body);
    expect(third.body.listings.map((l: any) => l.txHash)).toEqual([sent[0]!.hash]);
  }, 240_000);
});
