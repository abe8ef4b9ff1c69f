import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";
import { documentCommitment } from "../../src/core/commitment.js";
import type { FastifyInstance } from "fastify";
import { startStack, buildApi, call, callAt, claimRequest, freePort, appScope, type TestStack } from "../helpers/stack.js";
import { chainIso, peerOracleConfig } from "../helpers/oracle.js";
import { devWallet, DEV_EXTRA_ORACLE_ACCOUNTS } from "../../src/config/dev-accounts.js";
import { CollectionClauses__factory } from "../../types/ethers-contracts/index.js";
import { batchDigest, decodeReports, reportDomain } from "../../src/chain/reports.js";
import { toReport } from "../../src/oracle/types.js";
import { advanceCouncil } from "../../src/chain/council.js";

/** The leader's key at each peer: it asks for signatures, nothing else. A production-strength key (>= 128 bits): the peers run outside dev mode. */
const PEER_KEY = "peer-oracle-key-0f3c9a7e5b2d4c6a8e1f0b3d5a7c9e2f";
/** Each peer organisation's own feed of loan statuses: what it co-signs from. */
const PEER_FEED = "peer-own-feed-key-7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f90";
let stack: TestStack;
let provider: JsonRpcProvider;
const peerPorts: number[] = [];
const peerDirs: string[] = [];
const peers: Array<FastifyInstance | undefined> = [undefined, undefined];

/** A co-signing daemon: its own key (an extra dev oracle account), its own LevelDB, the same chain. */
function peerConfig(i: number) {
  return peerOracleConfig(stack, i, peerDirs[i]!, {
    oracle: { key: PEER_KEY, name: `oracle peer ${i}` },
    feed: { key: PEER_FEED, name: `own loan feed of peer ${i}` },
  }, `peer-${i}-pii-secret-0123456789`);
}

function atPeer(i: number, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAt(`http://127.0.0.1:${peerPorts[i]}`, method, path, key, body);
}

async function startPeer(i: number): Promise<void> {
  peers[i] = await buildApi(peerConfig(i), peerPorts[i]);
}
async function stopPeer(i: number): Promise<void> {
  await peers[i]?.close();
  peers[i] = undefined;
}

/** The same status, fed to the leader (as the bank) and to each running peer (by its own feed). */
async function feed(claimId: string, daysPastDue: number, peerDaysPastDue = daysPastDue) {
  const asOf = await chainIso(provider);
  const body = (dpd: number) => ({ claimId, asOf, daysPastDue: dpd, outstanding: "85000000", collateralValue: "30000000", product: "mortgage", debtorType: "retail" });
  expect((await call(stack, "POST", "/v1/loan-status", "dev-bank", body(daysPastDue))).status).toBe(202);
  for (const [i, p] of peers.entries()) {
    if (!p) continue;
    expect((await atPeer(i, "POST", "/v1/loan-status", PEER_FEED, body(peerDaysPastDue))).status).toBe(202);
  }
}

async function cycle() {
  const r = await call(stack, "POST", "/v1/oracle/run", "dev-admin");
  expect(r.status).toBe(200);
  return r.body;
}

/** Signatures on the batches that applied reports for `claimId`, from the submitReports calldata (one set per batch). */
async function appliedSignatureCounts(claimId: string): Promise<number[]> {
  const clauses = CollectionClauses__factory.connect(stack.deployment.contracts.CollectionClauses.address, provider);
  const events = await clauses.queryFilter(clauses.filters.ReportApplied(claimId), 0);
  const counts: number[] = [];
  for (const e of events) {
    const tx = await provider.getTransaction(e.transactionHash);
    const [encoded, signatures] = clauses.interface.decodeFunctionData("submitReports", tx!.data);
    expect(decodeReports(encoded).map((r) => r.claimId)).toContain(claimId);
    counts.push(signatures.length);
  }
  return counts;
}

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    peerPorts.push(await freePort());
    peerDirs.push(mkdtempSync(join(tmpdir(), `debtrail-peer-${i}-`)));
  }
  const extra = DEV_EXTRA_ORACLE_ACCOUNTS.map((n) => devWallet(n).address).join(",");
  stack = await startStack({
    ORACLE_QUORUM: "2",
    ORACLE_ADDRESSES: extra,
    ORACLE_ENABLED: "0",
    ORACLE_PEERS: JSON.stringify(peerPorts.map((p) => ({ url: `http://127.0.0.1:${p}`, key: PEER_KEY }))),
  });
  provider = new JsonRpcProvider(stack.chainUrl);
  await startPeer(0);
  await startPeer(1);
}, 120_000);
afterAll(async () => {
  for (let i = 0; i < 2; i++) await stopPeer(i).catch(() => undefined);
  provider?.destroy();
  await stack?.stop();
  for (const d of peerDirs) rmSync(d, { recursive: true, force: true });
});

describe("oracle daemons, k = 2 of n = 3", () => {
  it("the leader's report carries its own and a peer's signature and applies", async () => {
    const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("Q-1"))).body.claimId;
    await feed(claimId, 0);
    const r = await cycle();
    expect(r.applied).toBe(1);
    expect(await appliedSignatureCounts(claimId)).toEqual([2]);
    expect((await call(stack, "GET", "/v1/oracle/status", "dev-admin")).body.quorum).toBe(2);
  });

  it("one peer down: the other co-signs; both down: the report waits, signed and stored, and applies once a peer is back", async () => {
    const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("Q-2"))).body.claimId;
    await stopPeer(0);
    await feed(claimId, 0);
    expect((await cycle()).applied).toBe(1);

    await stopPeer(1);
    await new Promise((r) => setTimeout(r, 1100)); // a newer asOf (seconds)
    await provider.send("evm_mine", []);
    await feed(claimId, 5);
    const waiting = await cycle();
    expect(waiting.applied).toBe(0);
    expect(waiting.waitingForSignatures).toBe(1);
    expect((await call(stack, "GET", `/v1/cases/${claimId}`, "dev-court")).body.state).toBe("performing");

    await startPeer(1);
    // The restarted peer needs the status too (its own feed), then it co-signs the stored report.
    expect((await call(stack, "GET", "/v1/oracle/status", "dev-admin")).body.pendingReports).toBe(1);
    await feedPeerOnly(1, claimId, 5);
    const done = await cycle();
    expect(done.applied).toBe(1);
    expect((await call(stack, "GET", `/v1/cases/${claimId}`, "dev-court")).body.state).toBe("warned");
    expect(await appliedSignatureCounts(claimId)).toEqual([2, 2]);
  });

  it("a peer whose own feed differs refuses to sign; without a quorum nothing reaches the chain", async () => {
    await startPeer(0);
    await stopPeer(1);
    const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("Q-3"))).body.claimId;
    await feed(claimId, 40, 3); // the leader says 40 days, the running peer 3
    const r = await cycle();
    expect(r.applied).toBe(0);
    expect(r.waitingForSignatures).toBe(1);
    expect(await appliedSignatureCounts(claimId)).toEqual([]);
  });

  it("a notice is co-signed from its text and salt: the peer recomputes the salted commitment and refuses a bare hash or a wrong salt", async () => {
    if (!peers[0]) await startPeer(0);
    const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("Q-4"))).body.claimId;
    await feed(claimId, 0);
    expect((await cycle()).applied).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await provider.send("evm_mine", []);
    await feed(claimId, 5); // warning due
    await stopPeer(0);
    expect((await cycle()).waitingForSignatures).toBeGreaterThanOrEqual(1); // this one (and Q-3's)
    await startPeer(0);
    const pending = await appScope(stack.api).store.sub<any>("oracle-pending").get(claimId);
    const { report, notice } = pending;
    expect(notice.text).toContain("逾期还款提醒函");
    expect(report.noticeHash).toBe(documentCommitment(notice.salt, keccak256(toUtf8Bytes(notice.text))));
    expect(report.noticeHash).not.toBe(keccak256(toUtf8Bytes(notice.text)));
    const sign = async (item: unknown) => {
      const res = await atPeer(0, "POST", "/v1/oracle/sign", PEER_KEY, { reports: [item] });
      expect(res.status).toBe(200);
      const body = res.body as { results: Array<{ agreed?: true; refused?: string }>; signature?: string; digest?: string };
      return body.signature ? { ...body.results[0], signature: body.signature, digest: body.digest } : body.results[0];
    };
    expect(await sign({ report, notice: { text: notice.text } })).toEqual({ refused: "notice-text-differs" });
    expect(await sign({ report, notice: { text: notice.text, salt: keccak256(toUtf8Bytes("guess")) } })).toEqual({ refused: "notice-text-differs" });
    expect(await sign({ report, notice: { text: `${notice.text} `, salt: notice.salt } })).toEqual({ refused: "notice-text-differs" });
    // The old form (the letter's bare hash on chain) is no longer signed.
    expect(await sign({ report: { ...report, noticeHash: keccak256(toUtf8Bytes(notice.text)) }, notice: { text: notice.text } })).toEqual({ refused: "notice-text-differs" });
    // Agreed: one signature over the batch of exactly that report, under this deployment's domain.
    const agreed = await sign({ report, notice: { text: notice.text, salt: notice.salt } }) as { agreed?: true; signature?: string; digest?: string };
    expect(agreed.agreed).toBe(true);
    expect(agreed.signature).toMatch(/^0x/);
    const domain = reportDomain(BigInt(stack.deployment.chainId), stack.deployment.contracts.CollectionClauses.address);
    expect(agreed.digest).toBe(batchDigest(domain, [toReport(report)]));
    await cycle();
    const warned = (await call(stack, "GET", `/v1/cases/${claimId}`, "dev-court")).body.timeline.find((t: any) => t.details.to === "warned");
    expect(warned.details.noticeHash).toBe(report.noticeHash);
  });
});

describe("oracle daemons, k = 3 of n = 3: the batch is what every quorum member agrees to", () => {
  it("each peer answers with the subset its own data backs; the proposer submits their intersection, the rest waits; the refusals show on both sides", async () => {
    for (const i of [0, 1]) if (!peers[i]) await startPeer(i);
    // The quorum is a rule: the council changes it (the dev stack's council is its deployer alone, without delay).
    const council = stack.deployment.contracts.Council!.address;
    const clauses = CollectionClauses__factory.connect(stack.deployment.contracts.CollectionClauses.address, provider);
    const raise = [{ to: await clauses.getAddress(), data: clauses.interface.encodeFunctionData("setQuorum", [3]) }];
    const member = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 }); // each transaction sees the last one's nonce
    expect((await advanceCouncil(devWallet(0).connect(member), council, raise)).state).toBe("executed");
    member.destroy();
    expect(Number(await clauses.quorum())).toBe(3);

    const [a, b, c] = await Promise.all(["Q3-A", "Q3-B", "Q3-C"].map(async (no) => (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no))).body.claimId as string));
    const asOf = await chainIso(provider);
    const status = (claimId: string, daysPastDue: number) => ({ claimId, asOf, daysPastDue, outstanding: "85000000", collateralValue: "30000000", product: "mortgage", debtorType: "retail" });
    for (const id of [a, b, c]) expect((await call(stack, "POST", "/v1/loan-status", "dev-bank", status(id, 0))).status).toBe(202);
    // Peer 0's own data backs a and b; peer 1's backs b and c.
    const own = [[0, 0, 3], [3, 0, 0]];
    for (const i of [0, 1]) {
      for (const [k, id] of [a, b, c].entries()) expect((await atPeer(i, "POST", "/v1/loan-status", PEER_FEED, status(id, own[i]![k]!))).status).toBe(202);
    }
    const r = await cycle();
    // (Q-3's report of the test above still waits too: its leader and peer disagree.)
    expect(r).toMatchObject({ planned: 3, applied: 1 });
    expect(r.refusedByPeers["figures-differ"]).toBeGreaterThanOrEqual(2);
    const pending = appScope(stack.api).store.sub<{ status: string }>("oracle-pending");
    expect([await pending.get(a), await pending.get(b), await pending.get(c)].map((p) => p?.status ?? "applied")).toEqual(["signed", "applied", "signed"]);
    expect(await appliedSignatureCounts(b)).toEqual([3]);
    expect([await appliedSignatureCounts(a), await appliedSignatureCounts(c)]).toEqual([[], []]);
    // Each refusing operator sees its disagreement in its own status, with its own figures; so does the proposer.
    for (const [i, refusedHere] of [[0, c], [1, a]] as const) {
      const recent = (await atPeer(i, "GET", "/v1/oracle/status", PEER_KEY)).body.disagreements.recent
        .filter((d: { claimId: string }) => [a, b, c].includes(d.claimId));
      expect(recent.map((d: { claimId: string; side: string; reason: string }) => [d.claimId, d.side, d.reason])).toEqual([[refusedHere, "refused-peer", "figures-differ"]]);
      expect(recent[0].ours.daysPastDue).toBe(3);
    }
    const atLeader = (await call(stack, "GET", "/v1/oracle/status", "dev-admin")).body.disagreements.recent
      .filter((d: { claimId: string }) => [a, b, c].includes(d.claimId)).map((d: { claimId: string; side: string; party: string }) => [d.claimId, d.side, d.party]);
    expect(atLeader.sort()).toEqual([[a, "peer-refused", `http://127.0.0.1:${peerPorts[1]}`], [c, "peer-refused", `http://127.0.0.1:${peerPorts[0]}`]].sort());
    expect((await call(stack, "GET", "/v1/oracle/status", "dev-admin")).body.lastCycle.refusedByPeers).toEqual(r.refusedByPeers);
  });
});

/** Feeds one peer the leader's latest status of the claim (the same asOf). */
async function feedPeerOnly(i: number, claimId: string, daysPastDue: number) {
  const status = await appScope(stack.api).store.sub<{ asOf: string }>("oracle-status").get(claimId);
  const res = await atPeer(i, "POST", "/v1/loan-status", PEER_FEED,
    { claimId, asOf: status!.asOf, daysPastDue, outstanding: "85000000", collateralValue: "30000000", product: "mortgage", debtorType: "retail" });
  expect(res.status).toBe(202);
}
