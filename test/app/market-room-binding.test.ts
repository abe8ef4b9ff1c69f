import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { chainTimeMs } from "../helpers/clock.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { handoverDomain } from "../../src/app/handover/crypto.js";
import { createRemoteRooms } from "../../src/app/market-room/remote.js";
import { hashOf } from "../../src/app/market-room/signing.js";
import { openMarketRoomRepos } from "../../src/store/repos/market-rooms.js";
import { codeOfError } from "../../src/api/error-codes.js";
import { renderError } from "../../src/i18n/errors.js";
import type { DebtrailError } from "../../src/core/errors.js";

/**
 * A listing binds its data room's tape (issue 19), against a real hardhat node, written as the dishonest seller:
 * the bank lists a package over its data room, so the listing's on-chain terms commitment names the room and the
 * tape's hash; a buyer's node reads the room (a request its account signed, over HTTP), re-derives the commitment
 * and checks it against its own chain index. Then the seller swaps the tape — keeping the room self-consistent, a
 * new tape under a new hash, and then rewriting the terms it shows too — and the buyer's node refuses the room
 * each time, keeping the tape it checked before.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
}, 120_000);
afterAll(async () => stack?.stop());

describe("a listing's commitment binds its data room's tape", () => {
  it("the buyer's node checks the tape it read against the listing on chain and refuses one the seller changed", async () => {
    const claimIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`BIND-${Date.now()}-${i}`));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      claimIds.push(r.body.claimId);
    }
    const nowS = Math.floor((await chainTimeMs(stack.chainUrl)) / 1000);
    const yesterday = new Date((nowS + 8 * 3600 - 86_400) * 1000).toISOString().slice(0, 10);
    const opened = await call(stack, "POST", "/v1/market/rooms", "dev-bank", { claimIds, cutOff: yesterday });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const roomId = opened.body.roomId as string;
    const listing = { label: "资料室挂牌", claimIds, cutoffDate: yesterday, commitEnd: nowS + 3600, revealEnd: nowS + 7200, executionPeriodSeconds: 3600, deposit: "0" };

    // The room must hold exactly the listing's claims.
    const fewer = await call(stack, "POST", "/v1/market/listings", "dev-bank", { ...listing, claimIds: claimIds.slice(0, 1), roomId });
    expect(fewer.status, JSON.stringify(fewer.body)).toBe(400);
    expect(fewer.body).toMatchObject({ field: "roomId", rule: "room-claims-differ" });
    expect((await call(stack, "POST", "/v1/market/listings", "dev-bank", { ...listing, roomId: `0x${"6".repeat(64)}` })).status).toBe(404);
    const listed = await call(stack, "POST", "/v1/market/listings", "dev-bank", { ...listing, roomId });
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    const listingId = listed.body.listingId as string;

    // The buyer's node (dev-amc's account, a licensed AMC) reads the room over HTTP, signed, and checks the binding.
    const api = appScope(stack.api);
    const repos = openMarketRoomRepos(api.store);
    const amc = devWallet(2);
    const buyer = { role: "amc" as const, name: "Demo AMC (dev)", keyId: "test-amc", address: amc.address, privateKey: amc.privateKey };
    const seller = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address.toLowerCase();
    const remote = createRemoteRooms({
      store: api.store, repos, clock: { now: () => Date.now() },
      domain: handoverDomain(stack.deployment.chainId, stack.deployment.contracts.ClaimRegistry.address.toLowerCase()),
      peers: { urlOf: async () => stack.baseUrl } as never,
      listingOf: async (id) => (await api.reads.index.listing(id)).listing,
    });
    const first = await remote.fetchRoom(buyer, seller, roomId);
    expect(first.listings).toEqual([{ listingId: listingId.toLowerCase(), verified: true }]);
    const checkedHash = first.room.tapeHash;
    expect(hashOf(first.tape)).toBe(checkedHash);

    // The live listings as the market's source: the bound listing is recommended to the buyer for its profile; a
    // listing whose room this node has not read (nothing to price it by) is not.
    const more = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`BIND-${Date.now()}-x`));
    const unbound = await call(stack, "POST", "/v1/market/listings", "dev-bank", { ...listing, label: "无资料室", claimIds: [more.body.claimId] });
    expect(unbound.status, JSON.stringify(unbound.body)).toBe(201);
    expect((await call(stack, "GET", "/v1/market/recommended-listings", "dev-amc")).status).toBe(404); // no profile yet
    expect((await call(stack, "PUT", "/v1/market/profile", "dev-amc", { regions: ["上海"], assetTypes: ["mortgage"] })).status).toBe(200);
    const rec = await call(stack, "GET", "/v1/market/recommended-listings?lang=en", "dev-amc");
    expect(rec.status, JSON.stringify(rec.body)).toBe(200);
    expect(rec.body.recommendations.map((r: any) => r.listingId)).toEqual([listingId]);
    expect(rec.body.recommendations[0]).toMatchObject({ seller: expect.stringMatching(/^0x/i), claims: 2, commitEnd: listing.commitEnd });
    expect(rec.body.recommendations[0].reasons.join(" ")).toMatch(/Shanghai|mortgage|Mortgage/);
    expect((await call(stack, "GET", "/v1/market/recommended-listings", "dev-bank")).status).toBe(403);

    // The dishonest seller swaps the tape: a rosier claim, the room kept self-consistent (a new tape, its new hash).
    const record = (await repos.rooms.get(roomId))!;
    const tape = structuredClone(record.tape);
    tape.lines[0]!.daysPastDue = 1;
    tape.lines[0]!.class = "special-mention" as never;
    await repos.rooms.put(roomId, { ...record, tape, tapeHash: hashOf(tape) });
    const swapped = await remote.fetchRoom(buyer, seller, roomId).then(() => null, (e: DebtrailError) => e);
    expect(swapped).not.toBeNull();
    expect(codeOfError(swapped!)).toMatchObject({ code: "conflict.room-tape-mismatch", params: { listingId: listingId.toLowerCase(), problem: "tape-differs" } });
    expect(renderError("conflict.room-tape-mismatch", codeOfError(swapped!).params, "zh-CN")).toContain("在链上承诺");

    // Bolder: it also rewrites the terms it shows to name the new hash — the chain's commitment does not follow.
    const key = `${roomId.toLowerCase()}!${listingId.toLowerCase()}`;
    const binding = (await repos.listings.get(key))!;
    await repos.listings.put(key, { ...binding, terms: { ...binding.terms, dataRoom: { roomId: roomId.toLowerCase(), tapeHash: hashOf(tape) } } });
    const rewritten = await remote.fetchRoom(buyer, seller, roomId).then(() => null, (e: DebtrailError) => e);
    expect(codeOfError(rewritten!).params).toMatchObject({ problem: "commitment-differs" });

    // What the buyer's node kept is the tape it checked, not the swapped one.
    const kept = await remote.kept(buyer, seller, roomId);
    expect(kept.room.tapeHash).toBe(checkedHash);
    expect(kept.tape.lines[0]!.daysPastDue).toBe(first.tape.lines[0]!.daysPastDue);

    // An honest seller restoring the tape is accepted again.
    await repos.rooms.put(roomId, record);
    await repos.listings.put(key, binding);
    expect((await remote.fetchRoom(buyer, seller, roomId)).listings).toHaveLength(1);
  }, 180_000);
});
