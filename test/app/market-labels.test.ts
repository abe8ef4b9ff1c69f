import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Contract, JsonRpcProvider, JsonRpcSigner } from "ethers";
import { roleId } from "../../src/chain/roles.js";
import { packageRefOf } from "../../src/core/packages.js";
import { packageKey } from "../../src/store/repos/packages.js";
import { chainClock } from "../helpers/clock.js";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";

/**
 * A listing's label is the package id its award is sold under, once per seller on chain (PackageIdAlreadyUsed), so
 * a listing reserves it. Written as the seller who names two listings alike, sells directly under a listed label,
 * or lists under a label it sold under: each refused before anything is sent (409 validation.package-id-taken), so
 * no winner pays for an award that cannot execute. A listing withdrawn frees its label: listed again under it, the
 * award executes. Against a real hardhat node and LevelDB.
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
async function register(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`LBL-${Date.now()}-${++seq}`));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(r.body.claimId);
  }
  return ids;
}
async function listingBody(label: string, claimIds: string[]) {
  const now = await chainNow();
  return { label, claimIds, cutoffDate: new Date((now - 86_400) * 1000).toISOString().slice(0, 10), commitEnd: now + 600, revealEnd: now + 1200, executionPeriodSeconds: 3600, deposit: "100000" };
}

describe("a listing's label is its seller's package id", () => {
  it("a second live listing, a direct sale, or a listing under a label sold under: refused 409 before anything is sent", async () => {
    const [a, b, c, d] = await register(4);
    const label = `同名包 ${Date.now()}`;
    const first = await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody(label, [a!]));
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    // The same label again (other spacing: the same package id once normalised).
    const twin = await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody(`  ${label.replace(" ", "   ")} `, [b!]));
    expect(twin.status, JSON.stringify(twin.body)).toBe(409);
    expect(twin.body).toMatchObject({ code: "validation.package-id-taken", field: "label", params: { packageId: label } });
    expect(await appScope(stack.api).repos.market.listings.get(twin.body.listingId ?? "none")).toBeUndefined();

    // A direct sale under the listed label: the award could never execute after it.
    const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
    const direct = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [c], to: amc, packageId: label, price: "100", notice: "债权转让通知" });
    expect(direct.status, JSON.stringify(direct.body)).toBe(409);
    expect(direct.body).toMatchObject({ code: "validation.package-id-taken", field: "packageId" });
    expect((await call(stack, "GET", `/v1/claims/${c}`, "dev-amc")).body.onChain.holder).not.toBe(amc);

    // A label a sale went under: no listing under it.
    const soldLabel = `直售包 ${Date.now()}`;
    const sold = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [c], to: amc, packageId: soldLabel, price: "100", notice: "债权转让通知" });
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    const after = await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody(soldLabel, [d!]));
    expect(after.status, JSON.stringify(after.body)).toBe(409);
    expect(after.body).toMatchObject({ code: "validation.package-id-taken", field: "label" });

    // A label no package id can be (over 64 characters, a control character): 400 naming the field, before the bids.
    const long = await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody("包".repeat(65), [d!]));
    expect(long.status, JSON.stringify(long.body)).toBe(400);
    expect(long.body).toMatchObject({ field: "label" });
    expect((await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody("a\u200bb", [d!]))).body).toMatchObject({ field: "label" });

    // Two listings under one new label at once (a double click, two consoles): one is listed, the other refused.
    const race = `并发包 ${Date.now()}`;
    const [e, f] = await register(2);
    const both = await Promise.all([e, f].map(async (c) => call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody(race, [c!]))));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);

    // Another seller may use the same label: package ids are per seller (the AMC lists what it bought under it).
    const resold = await call(stack, "POST", "/v1/market/listings", "dev-amc", await listingBody(label, [c!]));
    expect(resold.status, JSON.stringify(resold.body)).not.toBe(409);
  }, 240_000);

  it("a withdrawn listing frees its label: listed again under it, bid, awarded, paid, the award executes", async () => {
    const [a, b] = await register(2);
    const label = `撤回再挂 ${Date.now()}`;
    const first = await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody(label, [a!]));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect((await call(stack, "POST", `/v1/market/listings/${first.body.listingId}/cancel`, "dev-bank")).status).toBe(200);

    const body = await listingBody(label, [a!, b!]);
    const again = await call(stack, "POST", "/v1/market/listings", "dev-bank", body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const id = again.body.listingId;
    await bidToAward(id, body, "7000000", "DEP-L-1");
    expect((await call(stack, "POST", `/v1/market/listings/${id}/payment`, "dev-amc", { paymentProof: "PAY-L-1" })).status).toBe(200);
    const exec = await call(stack, "POST", `/v1/market/listings/${id}/execute`, "dev-bank", { notice: "债权转让通知：贵方所欠债务已转让。" });
    expect(exec.status, JSON.stringify(exec.body)).toBe(201);
    expect(exec.body.packageId).toBe(label);
    // Sold under it: taken for good, for listings and direct sales alike.
    const [c] = await register(1);
    const later = await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody(label, [c!]));
    expect(later.status, JSON.stringify(later.body)).toBe(409);
    expect(later.body).toMatchObject({ code: "validation.package-id-taken" });
  }, 240_000);

  it("a listing from before labels were reserved, its label since sold under: the award still executes, under the label with the listing's digits", async () => {
    const [a, b] = await register(2);
    const label = `旧同名 ${Date.now()}`;
    const body = await listingBody(label, [a!]);
    const listed = await call(stack, "POST", "/v1/market/listings", "dev-bank", body);
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    const id = listed.body.listingId as string;
    // The store as an older node left it: no reservation, and a direct sale went under the label meanwhile.
    const repos = appScope(stack.api).repos;
    for await (const [k, v] of repos.market.labels.iterator()) if (v === id.toLowerCase()) await repos.market.labels.del(k);
    const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
    const direct = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [b], to: amc, packageId: label, price: "100", notice: "债权转让通知" });
    expect(direct.status, JSON.stringify(direct.body)).toBe(201);

    await bidToAward(id, body, "5000000", "DEP-L-2");
    expect((await call(stack, "POST", `/v1/market/listings/${id}/payment`, "dev-amc", { paymentProof: "PAY-L-2" })).status).toBe(200);
    const exec = await call(stack, "POST", `/v1/market/listings/${id}/execute`, "dev-bank", { notice: "债权转让通知：贵方所欠债务已转让。" });
    expect(exec.status, JSON.stringify(exec.body)).toBe(201);
    expect(exec.body.packageId).toBe(`${label} · ${id.slice(2, 10)}`);
    expect((await call(stack, "GET", `/v1/claims/${a}`, "dev-amc")).body.onChain.holder).toBe(amc);
  }, 240_000);
});

/** A listing the bank lists under `label`, dev-amc bids `bid` fen, and the award ends it (unsold when under the reserve). */
async function auctioned(label: string, claimIds: string[], bid: string, reserve = "500000000") {
  const body = { ...(await listingBody(label, claimIds)), reserve };
  const listed = await call(stack, "POST", "/v1/market/listings", "dev-bank", body);
  expect(listed.status, JSON.stringify(listed.body)).toBe(201);
  const id = listed.body.listingId as string;
  await bidToAward(id, body, bid, `DEP-${label}`);
  return id;
}

/** dev-amc bids `bid` fen on listing `id` and reveals it after commitEnd; the bank awards after revealEnd. */
async function bidToAward(id: string, body: { commitEnd: number; revealEnd: number }, bid: string, depositProof: string) {
  expect((await call(stack, "POST", `/v1/market/listings/${id}/bids`, "dev-amc", { amount: bid, depositProof })).status).toBe(201);
  await jumpTo(body.commitEnd + 1);
  expect((await call(stack, "POST", `/v1/market/listings/${id}/reveal`, "dev-amc")).status).toBe(200);
  await jumpTo(body.revealEnd + 1);
  expect((await call(stack, "POST", `/v1/market/listings/${id}/award`, "dev-bank")).status).toBe(200);
}
async function wholeRelist(id: string) {
  const now = await chainNow();
  return { option: "whole", parts: [{ deposit: "50000" }], commitEnd: now + 3_600, revealEnd: now + 7_200, executionPeriodSeconds: 3_600 };
}

describe("an award an older node began to execute and died", () => {
  it("is executed under its label again (the begun sale reconciled), not under a new one beside it", async () => {
    const [a] = await register(1);
    const label = `中断执行 ${Date.now()}`;
    const body = await listingBody(label, [a!]);
    const listed = await call(stack, "POST", "/v1/market/listings", "dev-bank", body);
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    const id = listed.body.listingId as string;
    await bidToAward(id, body, "4000000", "DEP-L-3");
    expect((await call(stack, "POST", `/v1/market/listings/${id}/payment`, "dev-amc", { paymentProof: "PAY-L-3" })).status).toBe(200);

    // The store as an older node left it: no label reserved, the award's sale reserved under the label, nothing sent.
    const repos = appScope(stack.api).repos;
    for await (const [k, v] of repos.market.labels.iterator()) if (v === id.toLowerCase()) await repos.market.labels.del(k);
    const seller = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address as string;
    const winner = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address as string;
    const { ref, salt } = packageRefOf(stack.config.loanRefSecret, seller, label);
    await repos.packages.byLabel.put(packageKey(seller, label), {
      label, ref, salt, seller, buyer: winner, claimIds: [a!.toLowerCase()], price: "4000000", shares: { [a!.toLowerCase()]: "4000000" }, outstanding: {},
      cutoffBlock: null, assignmentId: `older-${Date.now()}`, status: "pending", createdAt: new Date().toISOString(),
    });
    await repos.packages.byRef.put(ref.toLowerCase(), packageKey(seller, label));

    const exec = await call(stack, "POST", `/v1/market/listings/${id}/execute`, "dev-bank", { notice: "债权转让通知：贵方所欠债务已转让。" });
    expect(exec.status, JSON.stringify(exec.body)).toBe(201);
    expect(exec.body.packageId).toBe(label);
    expect(exec.body.packageRef).toBe(ref);
  }, 240_000);
});

describe("relisting, as a dishonest seller", () => {
  it("a listing still awarded is not relisted; the advice carries no debtor's personal data", async () => {
    const claimIds = await register(2);
    const id = await auctioned(`待执行 ${Date.now()}`, claimIds, "600000000");
    expect((await call(stack, "GET", `/v1/market/listings/${id}`, "dev-bank")).body.listing.status).toBe("awarded");
    // Relisting claims a winner is paying for: refused, nothing written.
    const early = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", await wholeRelist(id));
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    expect(early.body).toMatchObject({ code: "conflict.listing-not-unsold", params: { status: "awarded" } });
    expect(await appScope(stack.api).repos.market.relists.get(id.toLowerCase())).toBeUndefined();

    const unsold = await auctioned(`流拍 ${Date.now()}`, await register(2), "1000");
    const advice = await call(stack, "GET", `/v1/market/listings/${unsold}/advice?lang=zh-CN`, "dev-bank");
    expect(advice.status, JSON.stringify(advice.body)).toBe(200);
    const text = JSON.stringify(advice.body);
    for (const personal of ["张三", "110101199003077774", "13800138000", "LBL-"]) expect(text).not.toContain(personal);
  }, 240_000);

  it("claims locked in another listing, or sold since: the relist is refused naming the part, and nothing is written", async () => {
    const [a, b] = await register(2);
    const id = await auctioned(`再挂 ${Date.now()}`, [a!, b!], "300000000");
    expect((await call(stack, "GET", `/v1/market/listings/${id}`, "dev-bank")).body.listing.status).toBe("unsold");
    const repos = appScope(stack.api).repos;

    // Claim a listed again meanwhile, in a listing of its own.
    const side = await call(stack, "POST", "/v1/market/listings", "dev-bank", await listingBody(`另挂 ${Date.now()}`, [a!]));
    expect(side.status, JSON.stringify(side.body)).toBe(201);
    const locked = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", await wholeRelist(id));
    expect(locked.status, JSON.stringify(locked.body)).toBe(409);
    expect(locked.body).toMatchObject({ code: "conflict.claim-listed" });
    expect(await repos.market.relists.get(id.toLowerCase())).toBeUndefined();
    expect((await call(stack, "POST", `/v1/market/listings/${side.body.listingId}/cancel`, "dev-bank")).status).toBe(200);

    // Claim b sold directly since: the seller no longer holds it.
    const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
    expect((await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [b], to: amc, packageId: `售出 ${Date.now()}`, price: "100", notice: "债权转让通知" })).status).toBe(201);
    const gone = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", await wholeRelist(id));
    expect(gone.status, JSON.stringify(gone.body)).toBe(400);
    expect(gone.body).toMatchObject({ field: "parts[0].claimIds" });
    expect(await repos.market.relists.get(id.toLowerCase())).toBeUndefined();
  }, 240_000);

  it("a part's label the seller already sold under: the part gets its new id's digits, so its award can execute", async () => {
    const claimIds = await register(2);
    const label = `拆包 ${Date.now()}`;
    const id = await auctioned(label, claimIds, "300000000");
    // The seller sells something else under the label the relist's part would take.
    const [other] = await register(1);
    const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
    expect((await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [other], to: amc, packageId: `${label} · 1/1`, price: "100", notice: "债权转让通知" })).status).toBe(201);

    const relisted = await call(stack, "POST", `/v1/market/listings/${id}/relist`, "dev-bank", await wholeRelist(id));
    expect(relisted.status, JSON.stringify(relisted.body)).toBe(201);
    const part = relisted.body.listings[0].listingId as string;
    const mine = (await call(stack, "GET", `/v1/market/listings/${part}`, "dev-bank")).body.mine;
    expect(mine.label).toBe(`${label} · 1/1 · ${part.slice(2, 8)}`);
    // The part holds that label now: a direct sale under it is refused.
    const [third] = await register(1);
    const direct = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [third], to: amc, packageId: mine.label, price: "100", notice: "债权转让通知" });
    expect(direct.status, JSON.stringify(direct.body)).toBe(409);
    expect(direct.body).toMatchObject({ code: "validation.package-id-taken" });
  }, 240_000);
});

describe("a buyer whose licence the chain revoked", () => {
  it("is shut out of a licensed-AMC data room at once, not a minute later", async () => {
    const claimIds = await register(1);
    const cutOff = new Date(((await chainNow()) - 86_400) * 1000).toISOString().slice(0, 10);
    const room = await call(stack, "POST", "/v1/market/rooms", "dev-bank", { claimIds, cutOff });
    expect(room.status, JSON.stringify(room.body)).toBe(201);
    expect(room.body.rule.buyers).toEqual(["licensed-amc"]);
    const roomId = room.body.roomId as string;
    const amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address as string;
    expect((await call(stack, "GET", `/v1/market/rooms/${roomId}`, "dev-amc2")).status).toBe(200);

    // The council's timelock holds ADMIN: its decision to revoke the licence, as the chain carries it out.
    const council = new Contract(stack.deployment.contracts.Council!.address, ["function timelock() view returns (address)"], provider);
    const timelock = String(await council.getFunction("timelock")());
    await provider.send("hardhat_impersonateAccount", [timelock]);
    await provider.send("hardhat_setBalance", [timelock, "0xde0b6b3a7640000"]);
    const admin = appScope(stack.api).chain.registry.connect(new JsonRpcSigner(provider, timelock));
    await (await admin.revokeRole(roleId("LICENSED_AMC"), amc2)).wait();
    try {
      const after = await call(stack, "GET", `/v1/market/rooms/${roomId}`, "dev-amc2");
      expect(after.status, JSON.stringify(after.body)).toBe(403);
    } finally {
      await (await admin.grantRole(roleId("LICENSED_AMC"), amc2)).wait();
    }
    expect((await call(stack, "GET", `/v1/market/rooms/${roomId}`, "dev-amc2")).status).toBe(200);
  }, 120_000);
});

describe("region inputs over HTTP, from a hostile caller", () => {
  it("a region of half a megabyte or odd unicode: 400 naming the field, quickly, the answer not echoing the input", async () => {
    for (const region of ["朝阳".repeat(150_000), "\u202e上海\u202c", "🏙️".repeat(2_000), "上\u0000海"]) {
      const t0 = Date.now();
      const r = await call(stack, "POST", "/v1/claims", "dev-bank", { ...claimRequest(`RGN-${Date.now()}-${++seq}`), region });
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(400);
      expect(r.body.field).toMatch(/^(body\.)?region$/);
      expect(JSON.stringify(r.body).length).toBeLessThan(2_000);
    }
  }, 60_000);
});
