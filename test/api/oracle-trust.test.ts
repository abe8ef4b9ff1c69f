/**
 * Oracle daemons of organisations that do not trust each other (issue 14, "Quorum bypass").
 *
 * Written as the dishonest party: the operator of the leader daemon holds an `oracle` key at each peer
 * (so that its daemon can ask them for signatures) and tries to use it, and its own node, to put a
 * figure on chain that the claim's holder never reported.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import { JsonRpcProvider, Wallet } from "ethers";
import type { FastifyInstance } from "fastify";
import { batchDigest, reportDomain } from "../../src/chain/reports.js";
import { toReport, type StoredReport } from "../../src/oracle/types.js";
import { startStack, buildApi, call, callAt, claimRequest, freePort, appScope, type TestStack } from "../helpers/stack.js";
import { chainIso as chainIsoOf, peerOracleConfig } from "../helpers/oracle.js";
import { devApiKeys, devWallet, DEV_EXTRA_ORACLE_ACCOUNTS } from "../../src/config/dev-accounts.js";
import { CollectionClauses__factory } from "../../types/ethers-contracts/index.js";

/** The leader daemon's key at each peer: it may ask for signatures, nothing else. */
const LEADER_KEY = "leader-oracle-key-at-peer-d5648940c48165abab82dfa5b90762bf";
/** Each peer organisation's own feed of loan observations, at its own node. */
const PEER_FEED = "peer-own-feed-key-5bb4dd0143e5bd94e460ce2b3347583b";
/** At the leader's node: a servicer's feed that dev-amc named (worksFor), and the leader organisation's own feed. */
const SERVICER_FEED = "amc-servicer-feed-key-ce03857fb0c86f826dafbd112904a4dc";
const LEADER_FEED = "leader-own-feed-key-06f16a0a29081123ddce1960db3cfdb6";
/** dev-amc (keys in DEBTRAIL_API_KEYS need 8 characters). */
const AMC = "dev-amc-1";

let stack: TestStack;
let provider: JsonRpcProvider;
/**
 * A third "peer" run by a dishonest operator: it agrees to every report it is asked without looking, and
 * signs either with a key that holds no ORACLE role, or in the name of a real oracle with a key that is not
 * that oracle's.
 */
let liar: Server;
let liarPort = 0;
let liarAnswers = 0;
const liarKey = Wallet.createRandom();
const peerPorts: number[] = [];
const peerDirs: string[] = [];
const peers: Array<FastifyInstance | undefined> = [undefined, undefined];

function peerConfig(i: number) {
  return peerOracleConfig(stack, i, peerDirs[i]!, {
    oracle: { key: LEADER_KEY, name: "the leader's daemon" },
    feed: { key: PEER_FEED, name: `peer ${i}'s own loan feed` },
  }, `trust-peer-${i}-pii-secret-0123456789`);
}

function atPeer(i: number, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAt(`http://127.0.0.1:${peerPorts[i]}`, method, path, key, body);
}

const chainIso = () => chainIsoOf(provider);

async function appliedReports(claimId: string): Promise<number> {
  const clauses = CollectionClauses__factory.connect(stack.deployment.contracts.CollectionClauses.address, provider);
  return (await clauses.queryFilter(clauses.filters.ReportApplied(claimId), 0)).length;
}

/** A claim the bank registers and sells to dev-amc: another AMC's claim, as far as the leader's operator is concerned. */
async function amcClaim(contractNo: string): Promise<string> {
  const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(contractNo))).body.claimId as string;
  const amc = (await call(stack, "GET", "/v1/me", AMC)).body.address;
  const sold = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [claimId], to: amc, packageId: `PKG-${contractNo}`, price: "1000", notice: "债权转让通知" });
  expect(sold.status, JSON.stringify(sold.body)).toBe(201);
  return claimId;
}

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    peerPorts.push(await freePort());
    peerDirs.push(mkdtempSync(join(tmpdir(), `debtrail-trust-peer-${i}-`)));
  }
  liarPort = await freePort();
  liar = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const items = (JSON.parse(body) as { reports: Array<{ report: StoredReport }> }).reports;
      const domain = reportDomain(BigInt(stack.deployment.chainId), stack.deployment.contracts.CollectionClauses.address);
      const digest = batchDigest(domain, items.map((i) => toReport(i.report)));
      const signature = liarKey.signingKey.sign(digest).serialized;
      const signer = liarAnswers++ % 2 === 0 ? liarKey.address : devWallet(DEV_EXTRA_ORACLE_ACCOUNTS[0]!).address;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ results: items.map(() => ({ agreed: true })), signer, digest, signature }));
    });
  }).listen(liarPort, "127.0.0.1");
  stack = await startStack({
    DEBTRAIL_API_KEYS: JSON.stringify([
      ...devApiKeys().map((k) => (k.key === "dev-amc" ? { ...k, key: AMC } : k)),
      { key: SERVICER_FEED, role: "feed", name: "servicer of Demo AMC", worksFor: devWallet(2).address },
      { key: LEADER_FEED, role: "feed", name: "the leader's own loan feed" },
    ]),
    ORACLE_QUORUM: "2",
    ORACLE_ADDRESSES: DEV_EXTRA_ORACLE_ACCOUNTS.map((n) => devWallet(n).address).join(","),
    ORACLE_ENABLED: "0",
    ORACLE_PEERS: JSON.stringify([...peerPorts, liarPort].map((p) => ({ url: `http://127.0.0.1:${p}`, key: LEADER_KEY }))),
  });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
  for (let i = 0; i < 2; i++) peers[i] = await buildApi(peerConfig(i), peerPorts[i]);
}, 120_000);
afterAll(async () => {
  liar?.close();
  for (const p of peers) await p?.close().catch(() => undefined);
  provider?.destroy();
  await stack?.stop();
  for (const d of peerDirs) rmSync(d, { recursive: true, force: true });
});

describe("quorum bypass (2 of 3): one operator holding an oracle key at each peer", () => {
  it("cannot close another AMC's case with a fake \"outstanding 0\": its keys post no status, here or at the peers", async () => {
    const claimId = await amcClaim("TRUST-Q-1");
    const fake = { claimId, asOf: await chainIso(), daysPastDue: 0, outstanding: "0", collateralValue: "0", product: "mortgage", debtorType: "retail" };
    // At its own node, with the keys its operator holds there (not the holder's).
    const own = await call(stack, "POST", "/v1/loan-status", "dev-admin", fake);
    // At each peer, with the key the peer gave it for asking signatures.
    const atPeers = [await atPeer(0, "POST", "/v1/loan-status", LEADER_KEY, fake), await atPeer(1, "POST", "/v1/loan-status/batch", LEADER_KEY, { statuses: [fake] })];
    await call(stack, "POST", "/v1/oracle/run", "dev-admin");

    // The harm first: the case of dev-amc's claim is not closed, nothing was applied to it.
    expect((await call(stack, "GET", `/v1/cases/${claimId}`, AMC)).body.state).toBe("performing");
    expect(await appliedReports(claimId)).toBe(0);
    expect(own.status, JSON.stringify(own.body)).toBe(403);
    expect(atPeers.map((r) => r.status), JSON.stringify(atPeers.map((r) => r.body))).toEqual([403, 403]);
  });
});

/** A status with the product and debtor type, so a co-signer without the claim's record scores it alike. */
function status(claimId: string, asOf: string, daysPastDue: number, outstanding = "85000000") {
  return { claimId, asOf, daysPastDue, outstanding, collateralValue: "30000000", product: "mortgage", debtorType: "retail" };
}
async function peersObserve(body: unknown): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const r = await atPeer(i, "POST", "/v1/loan-status", PEER_FEED, body);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
  }
}
async function cycle() {
  const r = await call(stack, "POST", "/v1/oracle/run", "dev-admin");
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
const stateOf = async (claimId: string) => (await call(stack, "GET", `/v1/cases/${claimId}`, AMC)).body.state;

describe("a peer's oracle key only asks for signatures", () => {
  it("writes nothing else and reads no organisation's claims", async () => {
    const claimId = await amcClaim("TRUST-Q-2");
    const now = await chainIso();
    const item = {
      type: "appraisal", claimId,
      provenance: { source: "appraiser.example", fetchedAt: now, contentHash: `0x${"ab".repeat(32)}` },
      data: { appraiser: "Appraiser Co.", reportNo: "R-Q-2", valuedAt: now.slice(0, 10), value: "1", method: "market-comparison" },
    };
    const writes = {
      "loan-status": await atPeer(0, "POST", "/v1/loan-status", LEADER_KEY, status(claimId, now, 0, "0")),
      "loan-status/batch": await atPeer(0, "POST", "/v1/loan-status/batch", LEADER_KEY, { statuses: [status(claimId, now, 0, "0")] }),
      feeds: await atPeer(0, "POST", "/v1/feeds", LEADER_KEY, { items: [item] }),
      "feeds/import": await atPeer(0, "POST", "/v1/feeds/import", LEADER_KEY, { format: "debtrail-feeds/1", items: [item] }),
      "oracle/run": await atPeer(0, "POST", "/v1/oracle/run", LEADER_KEY),
    };
    expect(Object.fromEntries(Object.entries(writes).map(([k, v]) => [k, v.status]))).toEqual(Object.fromEntries(Object.keys(writes).map((k) => [k, 403])));
    // Asking for a signature is what the key is for: answered (here refused: the peer's own feed has no such status).
    const sign = await atPeer(0, "POST", "/v1/oracle/sign", LEADER_KEY, { reports: [{ report: {
      claimId, asOf: String(Math.floor(Date.parse(now) / 1000)), daysPastDue: 0, outstanding: "0", collateralValue: "30000000",
      classification: 0, riskGrade: 0, noticeHash: `0x${"0".repeat(64)}`, nonce: 0,
    } }] });
    expect(sign.status).toBe(200);
    expect(sign.body.results).toEqual([{ refused: "no-matching-status" }]);
    // At the leader's node, an oracle-role key lists no claims either.
    expect((await atPeer(0, "GET", "/v1/claims", LEADER_KEY)).body).toMatchObject({ total: 0, claims: [] });
  });
});

describe("co-signing from the peer organisations' own data", () => {
  it("the holder's figure is signed only once the peers' own feeds hold it", async () => {
    const claimId = await amcClaim("TRUST-Q-3");
    const asOf = await chainIso();
    await peersObserve(status(claimId, asOf, 0)); // what the peers see: still owed
    // The holder says repaid: its daemon proposes, the peers refuse (their feeds do not hold that figure).
    expect((await call(stack, "POST", "/v1/loan-status", AMC, status(claimId, asOf, 0, "0"))).status).toBe(202);
    const refused = await cycle();
    expect(refused).toMatchObject({ planned: 1, applied: 0, waitingForSignatures: 1 });
    expect(await stateOf(claimId)).toBe("performing");
    // Their own feeds later show the repayment too: the stored report is signed and applies.
    await peersObserve(status(claimId, asOf, 0, "0"));
    const signed = await cycle();
    expect(signed).toMatchObject({ applied: 1, waitingForSignatures: 0 });
    expect(await stateOf(claimId)).toBe("closed");
  });

  it("a servicer the holder named proposes; the leader organisation's own feed of another's claim does not", async () => {
    const served = await amcClaim("TRUST-Q-4");
    const observedOnly = await amcClaim("TRUST-Q-5");
    const asOf = await chainIso();
    await peersObserve(status(served, asOf, 3));
    await peersObserve(status(observedOnly, asOf, 3));
    expect((await call(stack, "POST", "/v1/loan-status", SERVICER_FEED, status(served, asOf, 3))).status).toBe(202);
    expect((await call(stack, "POST", "/v1/loan-status", LEADER_FEED, status(observedOnly, asOf, 3))).status).toBe(202);
    const r = await cycle();
    expect(r).toMatchObject({ considered: 1, planned: 1, applied: 1 });
    expect(await stateOf(served)).not.toBe("performing");
    expect(await stateOf(observedOnly)).toBe("performing");
    expect(await appliedReports(observedOnly)).toBe(0);
  });

  it("a peer's own feed never proposes at the peer", async () => {
    const claimId = await amcClaim("TRUST-Q-6");
    await peersObserve(status(claimId, await chainIso(), 9));
    const summary = await appScope(peers[0]!).oracle.run();
    expect(summary).toMatchObject({ considered: 0, planned: 0, submitted: 0 });
  });

  it("a report planned from the seller's status before a sale, still short of signatures, is not sent after it", async () => {
    const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("TRUST-Q-7"))).body.claimId as string;
    const asOf = await chainIso();
    expect((await call(stack, "POST", "/v1/loan-status", "dev-bank", status(claimId, asOf, 5))).status).toBe(202);
    expect(await cycle()).toMatchObject({ planned: 1, waitingForSignatures: 1 }); // the peers have not seen it yet
    const amc = (await call(stack, "GET", "/v1/me", AMC)).body.address;
    expect((await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [claimId], to: amc, packageId: "PKG-Q-7", price: "1", notice: "债权转让通知" })).status).toBe(201);
    await peersObserve(status(claimId, asOf, 5)); // they would sign it now
    const r = await cycle();
    expect(r).toMatchObject({ applied: 0, submitted: 0, waitingForSignatures: 0 });
    expect(r.skipped["not-from-holder"]).toBe(1);
    expect(await stateOf(claimId)).toBe("performing");
    expect((await call(stack, "GET", "/v1/oracle/status", "dev-admin")).body.pendingReports).toBe(0);
  });
});

describe("a peer that agrees to everything, unchecked", () => {
  it("counts for nothing without a signature of its own ORACLE key over the batch: the report waits for an honest peer", async () => {
    const claimId = await amcClaim("TRUST-Q-LIAR");
    const asOf = await chainIso();
    expect((await call(stack, "POST", "/v1/loan-status", AMC, status(claimId, asOf, 0, "0"))).status).toBe(202);
    for (let round = 0; round < 2; round++) {
      // Once it signs with a key holding no ORACLE, once it names peer 0's oracle but signs with another key.
      const r = await cycle();
      expect(r).toMatchObject({ applied: 0, waitingForSignatures: 1 });
    }
    expect(liarAnswers).toBeGreaterThanOrEqual(2);
    expect(await stateOf(claimId)).toBe("performing");
    expect(await appliedReports(claimId)).toBe(0);
  });
});
