import { describe, it, expect, beforeAll, afterAll, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, randomBytes, toBeHex, toUtf8Bytes, type JsonRpcProvider, type TypedDataDomain, type Wallet } from "ethers";
import {
  Arbitrator__factory, ClaimRegistry__factory, CollectionClauses__factory, EvidenceLog__factory,
  type Arbitrator, type ClaimRegistry, type CollectionClauses, type EvidenceLog,
} from "../../types/ethers-contracts/index.js";
import { startChain } from "../helpers/stack.js";
import { advanceDays, chainNow } from "../helpers/oracle.js";
import { loadConfig, deployOptionsFrom } from "../../src/config/config.js";
import { deployDebtrail } from "../../src/chain/deploy.js";
import { connectProvider } from "../../src/chain/provider.js";
import { indexerProviderOf } from "../../src/chain/index-provider.js";
import { fetchReceipt } from "../../src/chain/receipts.js";
import { TxOutbox } from "../../src/chain/outbox.js";
import { ChainRevertError } from "../../src/chain/errors.js";
import { openOutbox } from "../../src/store/repos/outbox.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { reportDomain, signBatchByQuorum, ZERO_HASH, type Report } from "../../src/chain/reports.js";
import type { Deployment } from "../../src/chain/deployment.js";
import { openStore, type Store } from "../../src/store/db.js";
import { openChainIndex, type ChainIndex, type PortfolioScope } from "../../src/store/repos/chain-index.js";
import { createIndexer, systemClock, type Indexer, type IndexerOptions, type IndexerProvider, type IndexerMetrics } from "../../src/chain/indexer.js";
import { CASE_STATES } from "../../src/core/oracle-plan.js";

/** No loan files committed with these sales (ClaimRegistry.assign's filesCommitment). */
const ZERO_FILES = `0x${"0".repeat(64)}`;

const silent = { info: () => {}, warn: () => {} };

/** The indexer's view of the node, recording every eth_getLogs range; optionally refusing wide ranges or capping the head. */
function recordingProvider(p: JsonRpcProvider, opts: { refuseAbove?: number; head?: number } = {}) {
  const ranges: Array<{ from: number; to: number; refused: boolean }> = [];
  const provider: IndexerProvider = {
    getBlockNumber: async () => opts.head ?? (await p.getBlockNumber()),
    getBlock: (n) => p.getBlock(n),
    getLogs: async (f) => {
      const refused = opts.refuseAbove !== undefined && f.toBlock - f.fromBlock + 1 > opts.refuseAbove;
      ranges.push({ from: f.fromBlock, to: f.toBlock, refused });
      if (refused) throw new Error(`block range too large: at most ${opts.refuseAbove} blocks`);
      return p.getLogs(f);
    },
    call: (tx) => p.call(tx),
  };
  return { provider, ranges };
}

describe("chain indexer against a real hardhat node", () => {
  let chain: Awaited<ReturnType<typeof startChain>>;
  let provider: JsonRpcProvider;
  let deployment: Deployment;
  let namespace: string;
  const dirs: string[] = [];
  const stores: Store[] = [];
  const running: Indexer[] = [];
  let live: { store: Store; index: ChainIndex; indexer: Indexer; reorgs: Parameters<NonNullable<IndexerMetrics["reorg"]>>[0][] };

  // The dev accounts: 0 admin, 1 bank (DEVBANK), 2 and 3 AMCs (HOLDER), 5 court (ARBITRATOR), 6 service (ORACLE, RECORDER).
  type Account = ReturnType<typeof devWallet>;
  let admin: Account, bank: Account, amc: Account, amc2: Account, court: Account, service: Account;
  let registry: ClaimRegistry, clauses: CollectionClauses, arbitrator: Arbitrator, evidenceLog: EvidenceLog;
  let domain: TypedDataDomain;
  const bankCode = originatorCodeToBytes32("DEVBANK");
  const claims: string[] = [];
  const roots: string[] = [];
  let lastReceipt: { blockNumber: number; blockHash: string; hash: string } | null = null;

  async function openIndex(dir?: string) {
    const d = dir ?? mkdtempSync(join(tmpdir(), "debtrail-index-"));
    if (!dir) dirs.push(d);
    const store = await openStore(d, namespace);
    stores.push(store);
    return { dir: d, store, index: openChainIndex(store) };
  }

  function indexerOf(index: ChainIndex, options: IndexerOptions = {}, p: IndexerProvider = provider, metrics: IndexerMetrics = {}) {
    const indexer = createIndexer({ provider: p, index, deployment, clock: systemClock, log: silent, metrics }, { pollIntervalMs: 100, ...options });
    running.push(indexer);
    return indexer;
  }

  /** A fresh index of the chain as it is now, from the deployment block (deep reads, since reorgDepth is small). */
  async function freshDump(options: IndexerOptions = {}, p: IndexerProvider = provider) {
    const { index } = await openIndex();
    const indexer = indexerOf(index, { reorgDepth: 4, ...options }, p);
    await indexer.sync();
    return { dump: await index.dump(), cursor: await index.cursor(), index };
  }

  async function head() {
    const b = (await provider.getBlock("latest"))!;
    return { number: b.number, hash: b.hash! };
  }

  /** Waits until `indexer` reached the node's head (that very block). */
  async function caughtUp(indexer: Indexer) {
    const h = await head();
    return indexer.waitFor(h.number, { blockHash: h.hash, timeoutMs: 30_000 });
  }

  async function register(n: number, retail: (i: number) => boolean = () => false): Promise<string[]> {
    const regs = await registrations(n, retail);
    lastReceipt = (await (await registry.connect(bank).registerBatch(regs)).wait())!;
    const ids = await Promise.all(regs.map((r) => registry.claimIdOf(r.originatorCode, r.loanRef)));
    claims.push(...ids.map((x) => x.toLowerCase()));
    return ids.map((x) => x.toLowerCase());
  }

  /** `n` new registrations of the bank's (fresh loan references), matured ten days ago. */
  async function registrations(n: number, retail: (i: number) => boolean = () => false) {
    const now = await chainNow(provider);
    return Array.from({ length: n }, (_, i) => ({
      originatorCode: bankCode,
      loanRef: keccak256(randomBytes(32)),
      terms: {
        principal: 1_000_000_00n + BigInt(i), outstanding: 800_000_00n + BigInt(i) * 1000n, currency: "0x434e59",
        originatedAt: now - 1000 * 86_400, maturityAt: now - 10 * 86_400, retail: retail(i),
        clauses: { warnDays: 0, demandDays: 0, arbitrationDays: 0, coverageBps: 0, noticeDays: 0 },
        collateralHash: ZERO_HASH, documentsRoot: ZERO_HASH,
      },
    }));
  }

  async function report(claimId: string, daysPastDue: number, outstanding: bigint, collateralValue: bigint, notice?: string): Promise<Report> {
    const nonce = Number((await clauses.caseOf(claimId)).nonce);
    return {
      claimId, asOf: BigInt(await chainNow(provider)), daysPastDue, outstanding, collateralValue,
      classification: daysPastDue > 90 ? 2 : daysPastDue > 0 ? 1 : 0, riskGrade: 2,
      noticeHash: notice ? keccak256(toUtf8Bytes(`${notice}-${claimId}-${randomUUID()}`)) : ZERO_HASH, nonce,
    };
  }

  /** One quorum-signed batch (quorum 1: the service account is the ORACLE), relayed by the admin. */
  async function submit(...reports: Report[]) {
    const batch = await signBatchByQuorum([service], domain, reports);
    return (await (await clauses.connect(admin).submitReports(batch.reports, batch.signatures)).wait())!;
  }

  async function anchor(label: string) {
    const root = keccak256(toUtf8Bytes(`${label}-${randomUUID()}`));
    await (await evidenceLog.connect(service).anchor(root, 7, `debtrail://batch/${label}`)).wait();
    roots.push(root);
    return root;
  }

  /** Every claim, case, dispute and anchor of the index against the contracts' own views at the head. */
  async function expectTruth(index: ChainIndex) {
    for (const id of claims) {
      const { claim } = await index.claim(id);
      if (!(await registry.isRegistered(id))) {
        expect(claim, `claim ${id} is not on chain`).toBeNull();
        continue;
      }
      expect(claim, id).not.toBeNull();
      expect(claim!.holder).toBe(await registry.holderOf(id));
      expect(claim!.resaleRestricted).toBe(await registry.isResaleRestricted(id));
      // The terms the registration's event carries, and those the registry stores (read once at index time).
      const [ev] = await registry.queryFilter(registry.filters.ClaimRegistered(id), 0);
      const t = ev!.args;
      const k = await registry.clausesOf(id);
      expect(claim!.terms).toEqual({
        currency: "CNY", originatedAt: Number(t.originatedAt), maturityAt: Number(t.maturityAt), retail: await registry.isRetail(id),
        clauses: { warnDays: Number(k.warnDays), demandDays: Number(k.demandDays), arbitrationDays: Number(k.arbitrationDays), coverageBps: Number(k.coverageBps), noticeDays: Number(k.noticeDays) },
        collateralHash: t.collateralHash, documentsRoot: t.documentsRoot,
      });
      expect([claim!.principal, claim!.outstanding]).toEqual([t.principal.toString(), t.outstanding.toString()]);
      const onChain = await clauses.caseOf(id);
      const { case: c } = await index.caseOf(id);
      expect(c!.state).toBe(CASE_STATES[Number(onChain.state)]);
      expect(c!.nonce).toBe(Number(onChain.nonce));
      expect(c!.stateSince ?? 0).toBe(Number(onChain.stateSince));
      expect(c!.lastNoticeAt ?? 0).toBe(Number(onChain.lastNoticeAt));
      expect(c!.lastReport?.asOf ?? 0).toBe(Number(onChain.lastAsOf));
      expect(c!.disputeId ?? "0").toBe(onChain.disputeId.toString());
    }
    const count = Number(await arbitrator.disputeCount());
    for (let d = 1; d <= count; d++) {
      const { dispute } = await index.dispute(String(d));
      const [info, ruledAt, claimOf] = await Promise.all([arbitrator.disputeOf(d), arbitrator.ruledAt(d), clauses.claimOfDispute(d)]);
      expect(dispute!.arbitrable).toBe(info.arbitrable);
      expect(dispute!.choices).toBe(Number(info.choices));
      expect(dispute!.status).toBe(info.executed ? "solved" : "waiting");
      expect(dispute!.ruling).toBe(info.executed ? Number(info.ruling) : null);
      expect(dispute!.ruledAt ?? 0).toBe(Number(ruledAt));
      expect(dispute!.claimId ?? ZERO_HASH).toBe(claimOf.toLowerCase());
    }
    for (const root of roots) {
      const { anchor: a } = await index.anchor(root);
      const on = await evidenceLog.anchoredAt(root);
      if (on.timestamp === 0n) expect(a).toBeNull();
      else expect({ block: a!.blockNumber, at: a!.timestamp, by: a!.submitter }).toEqual({ block: Number(on.blockNumber), at: Number(on.timestamp), by: on.submitter });
    }
  }

  /** The incrementally kept aggregates equal a count over the claim and case rows. */
  async function expectAggregatesMatchRows(index: ChainIndex) {
    const dump = await index.dump();
    const cases = new Map(dump.cases.map(([k, v]) => [k, v as { state: string; lastReport: { classification: number; outstanding: string } | null }]));
    const rows = dump.claims.map(([k, v]) => ({ ...(v as { holder: string; originator: string; outstanding: string }), c: cases.get(k)! }));
    const scopes: Array<[PortfolioScope, (r: (typeof rows)[number]) => boolean]> = [
      [{ kind: "all" }, () => true],
      [{ kind: "holder", address: amc.address }, (r) => r.holder === amc.address],
      [{ kind: "holder", address: amc2.address }, (r) => r.holder === amc2.address],
      [{ kind: "bank", address: bank.address }, (r) => r.holder === bank.address || r.originator === bank.address],
    ];
    for (const [scope, pick] of scopes) {
      const expected = new Map<string, { count: number; unreported: number; outstanding: bigint }>();
      for (const r of rows.filter(pick)) {
        const key = `${r.c.state}!${r.c.lastReport?.classification ?? 0}`;
        const cell = expected.get(key) ?? { count: 0, unreported: 0, outstanding: 0n };
        cell.count++;
        if (!r.c.lastReport) cell.unreported++;
        cell.outstanding += BigInt(r.c.lastReport?.outstanding ?? r.outstanding);
        expected.set(key, cell);
      }
      const got = await index.portfolio(scope);
      expect(Object.fromEntries(got.cells.map((c) => [`${c.state}!${c.classification}`, { count: c.count, unreported: c.unreported, outstanding: BigInt(c.outstanding) }])), JSON.stringify(scope))
        .toEqual(Object.fromEntries(expected));
      expect(got.count).toBe(rows.filter(pick).length);
    }
  }

  beforeAll(async () => {
    chain = await startChain();
    const dataDir = mkdtempSync(join(tmpdir(), "debtrail-indexer-deploy-"));
    dirs.push(dataDir);
    const config = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: chain.url, DATA_DIR: dataDir, LOG_LEVEL: "silent" });
    deployment = await deployDebtrail({ ...deployOptionsFrom(config, {}), deploymentId: `test-indexer-${randomUUID()}` });
    namespace = `test-${randomUUID()}`;
    provider = await connectProvider(chain.url);
    [admin, bank, amc, amc2, court, service] = [0, 1, 2, 3, 5, 6].map((i) => devWallet(i).connect(provider));
    registry = ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, admin);
    clauses = CollectionClauses__factory.connect(deployment.contracts.CollectionClauses!.address, admin);
    arbitrator = Arbitrator__factory.connect(deployment.contracts.Arbitrator!.address, admin);
    evidenceLog = EvidenceLog__factory.connect(deployment.contracts.EvidenceLog!.address, service);
    domain = reportDomain((await provider.getNetwork()).chainId, deployment.contracts.CollectionClauses!.address);

    // The live indexer follows the whole scenario as it happens.
    const opened = await openIndex();
    const reorgs: typeof live.reorgs = [];
    live = { ...opened, indexer: indexerOf(opened.index, {}, provider, { reorg: (r) => reorgs.push(r) }), reorgs };
    live.indexer.start();
  }, 180_000);

  afterAll(async () => {
    for (const i of running) await i.stop().catch(() => undefined);
    for (const s of stores) await s.close().catch(() => undefined);
    provider?.destroy();
    await chain?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (deployment) rmSync(`ignition/deployments/${deployment.deploymentId}`, { recursive: true, force: true });
  });

  it("indexes registrations, sales, transfers, reports, rulings and anchors; equals a fresh re-index and the contracts' views", async () => {
    const signer = (x: Account) => x;
    const [c0, c1, c2, c3, c4, c5] = await register(6, (i) => i < 2);
    // A package sale of four claims to the AMC (the two retail ones become resale-restricted), then a plain transfer.
    const packageId = originatorCodeToBytes32("PKG-1");
    const noticeHash = keccak256(randomBytes(32));
    await (await registry.connect(signer(bank)).assign([c0, c1, c2, c3], amc.address, packageId, 4_000_000_00n, noticeHash, ZERO_FILES)).wait();
    await (await registry.connect(signer(amc)).transferFrom(amc.address, amc2.address, BigInt(c2))).wait();

    await submit(await report(c0, 1, 500_000_00n, 100_000_00n), await report(c1, 1, 500_000_00n, 100_000_00n), await report(c3, 1, 700_000_00n, 0n), await report(c4, 0, 600_000_00n, 0n));
    await advanceDays(provider, 1);
    await submit(await report(c0, 3, 500_000_00n, 100_000_00n, "warning"), await report(c1, 3, 500_000_00n, 100_000_00n, "warning"), await report(c3, 2, 700_000_00n, 0n));
    await (await clauses.connect(signer(amc)).restructure(c3, keccak256(toUtf8Bytes("plan")), 6)).wait();
    await advanceDays(provider, 16);
    await submit(await report(c0, 30, 500_000_00n, 100_000_00n, "demand"), await report(c1, 30, 500_000_00n, 100_000_00n, "demand"));
    await advanceDays(provider, 16);
    await submit(await report(c0, 95, 500_000_00n, 100_000_00n), await report(c1, 95, 500_000_00n, 100_000_00n), await report(c4, 0, 0n, 0n));
    const d0 = (await clauses.caseOf(c0)).disputeId;
    const d1 = (await clauses.caseOf(c1)).disputeId;
    // A dispute some other party opens at the arbitrator directly names no claim.
    await (await arbitrator.connect(signer(amc2)).createDispute(3, "0x")).wait();
    await (await arbitrator.connect(signer(court)).giveRuling(d0, 1)).wait(); // enforce
    await (await arbitrator.connect(signer(court)).giveRuling(d1, 0)).wait(); // refused: back to Demanded
    await (await clauses.connect(signer(amc)).submitEvidence(c0, "ipfs://bundle-c0")).wait();
    await advanceDays(provider, 1);
    await submit(await report(c0, 96, 0n, 0n));
    await anchor("a");
    await anchor("b");

    const reached = await caughtUp(live.indexer);
    expect(reached.number).toBe((await head()).number);

    // The rows say what happened.
    const h0 = await live.index.history(c0);
    expect(h0.asOfBlock).toBe(reached.number);
    expect(h0.events.map((e) => e.type)).toEqual(["registered", "assigned"]);
    expect(h0.events[1]).toMatchObject({ from: bank.address, to: amc.address, packageId, price: "400000000", noticeHash });
    expect((await live.index.history(c2)).events.map((e) => [e.type, e.to])).toEqual([["registered", bank.address], ["assigned", amc.address], ["transferred", amc2.address]]);
    expect((await live.index.claim(c0)).claim!.resaleRestricted).toBe(true);
    expect((await live.index.claim(c2)).claim!.resaleRestricted).toBe(false);
    const case0 = await live.index.caseOf(c0);
    expect(case0.case).toMatchObject({ state: "closed", closedReason: "repaid", disputeId: d0.toString() });
    expect(case0.timeline.map((t) => t.type)).toEqual([
      "report", "state-changed", "report", "state-changed", "report", "state-changed", "report", "state-changed", "arbitration-started",
      "ruling-applied", "state-changed", "enforcement-ordered", "evidence", "report", "state-changed", "closed",
    ]);
    const warned = case0.timeline.find((t) => t.type === "state-changed" && t.details.to === "warned");
    expect(warned?.type === "state-changed" && warned.details.noticeHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await live.index.caseOf(c1)).case).toMatchObject({ state: "demanded", disputeId: null });
    expect((await live.index.caseOf(c3)).case).toMatchObject({ state: "restructured", planHash: keccak256(toUtf8Bytes("plan")), installments: 6 });
    expect((await live.index.caseOf(c5)).case).toMatchObject({ state: "performing", lastReport: null });
    const foreign = await live.index.dispute(String(Number(d1) + 1));
    expect(foreign.dispute).toMatchObject({ arbitrable: amc2.address, claimId: null, status: "waiting" });
    expect((await live.index.claimsOfHolder(amc.address)).claimIds.sort()).toEqual([c0, c1, c3].sort());
    expect((await live.index.claimsOfHolder(bank.address)).claimIds.sort()).toEqual([c4, c5].sort());
    expect((await live.index.claim(keccak256(toUtf8Bytes("no such claim")))).claim).toBeNull();

    await expectTruth(live.index);
    await expectAggregatesMatchRows(live.index);
    // (a) the followed index equals a fresh re-index from the deployment block.
    const fresh = await freshDump();
    expect(fresh.cursor).toEqual(reached);
    expect(await live.index.dump()).toEqual(fresh.dump);
  }, 120_000);

  it("a fresh index tracking undo and committing after every block of one chunk (rows read ahead, kept across its commits) equals the live one; claim rows are read in one getMany, not a get each", async () => {
    const target = await head();
    const { index } = await openIndex();
    const singleGets = vi.spyOn(index.tables.claims, "get");
    const manyGets = vi.spyOn(index.tables.claims, "getMany");
    // One eth_getLogs range for the whole chain; reorgDepth above its height: every block of the one chunk is
    // read tracking undo; a commit per block.
    const ranges = recordingProvider(provider);
    const indexer = indexerOf(index, { reorgDepth: 100_000, maxWritesPerBatch: 1, initialBlockRange: 100_000, maxBlockRange: 100_000 }, ranges.provider);
    await indexer.sync();
    expect(await index.cursor()).toEqual(expect.objectContaining({ number: target.number }));
    expect(ranges.ranges, JSON.stringify(ranges.ranges)).toHaveLength(1);
    await caughtUp(live.indexer);
    // A registration, the sale and the transfer of the same claim in later blocks of the chunk saw the rows
    // the chunk's earlier commits wrote (not what was read ahead before them).
    expect(await index.dump()).toEqual(await live.index.dump());
    expect(singleGets).not.toHaveBeenCalled();
    expect(manyGets.mock.calls.length).toBeGreaterThan(0);
    expect(manyGets.mock.calls.flatMap(([keys]) => keys)).toEqual(expect.arrayContaining(claims.slice(0, 6)));
  }, 60_000);

  it("reads eth_getLogs field by field as the API does (indexerProviderOf): ethers' logs, the same index", async () => {
    const target = await head();
    const filter = {
      address: Object.values(deployment.contracts).map((c) => c.address),
      topics: [] as string[][],
      fromBlock: Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber)),
      toBlock: target.number,
    };
    const raw = indexerProviderOf(provider);
    const ours = await raw.getLogs(filter);
    const theirs = await provider.getLogs(filter);
    expect(ours.length).toBeGreaterThan(20);
    expect(ours).toEqual(theirs.map((l) => ({
      address: l.address, topics: [...l.topics], data: l.data, blockNumber: l.blockNumber, blockHash: l.blockHash,
      transactionHash: l.transactionHash, index: l.index, removed: l.removed,
    })));
    // The whole scenario's index (every event kind above) is the same through it.
    const viaEthers = await freshDump();
    const viaRaw = await freshDump({}, raw);
    expect(viaRaw.cursor).toEqual(viaEthers.cursor);
    expect(viaRaw.dump).toEqual(viaEthers.dump);
  }, 120_000);

  it("reads a receipt field by field as the outbox does (fetchReceipt): ethers' receipt, null for a hash not mined", async () => {
    await register(3);
    const hash = lastReceipt!.hash;
    const ours = await fetchReceipt(provider, hash);
    const theirs = (await provider.getTransactionReceipt(hash))!;
    expect(theirs.logs.length).toBeGreaterThan(3);
    expect(ours).toEqual({
      hash: theirs.hash, blockNumber: theirs.blockNumber, blockHash: theirs.blockHash, status: theirs.status, gasUsed: theirs.gasUsed,
      logs: theirs.logs.map((l) => ({ address: l.address, topics: [...l.topics], data: l.data, index: l.index, blockNumber: l.blockNumber, blockHash: l.blockHash, transactionHash: l.transactionHash })),
    });
    expect(await fetchReceipt(provider, keccak256(randomBytes(32)))).toBeNull();
  }, 60_000);

  it("the indexer's eth_call (calldata sent as it is): a revert rejects with CALL_EXCEPTION and the contract's error data", async () => {
    const unknown = keccak256(randomBytes(32));
    const [known] = await register(1);
    const call = indexerProviderOf(provider).call({ to: deployment.contracts.ClaimRegistry.address, data: registry.interface.encodeFunctionData("registeredTermsOf", [[known!, unknown]]) });
    const e = (await call.catch((x: unknown) => x)) as { code?: string; data?: string };
    expect(e.code).toBe("CALL_EXCEPTION");
    expect(registry.interface.parseError(e.data!)).toMatchObject({ name: "ClaimNotRegistered", args: [unknown] });
  });

  it("the outbox estimates with the calldata as it is: a revert is refused decoded with nothing stored; a registration is stored, mined and its receipt read", async () => {
    const { store } = await openIndex();
    const entries = openOutbox(store);
    const outbox = new TxOutbox(provider, entries, registry.interface, { confirmations: 1 });
    const regs = await registrations(3);
    const data = registry.interface.encodeFunctionData("registerBatch", [regs]);
    const to = deployment.contracts.ClaimRegistry.address;
    // Registering is the bank's role: the AMC's send is refused at estimation, with the contract's own error.
    const refused = await outbox.send(amc as unknown as Wallet, { to, data }, "register:refused").catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(ChainRevertError);
    expect(registry.interface.getError((refused as ChainRevertError).errorName)).not.toBeNull();
    for await (const stored of entries.values()) expect.unreachable(`nothing stored, found ${stored.hash}`);
    const entry = await outbox.send(bank as unknown as Wallet, { to, data }, "register:ok");
    expect(await entries.get(entry.hash)).toMatchObject({ status: "sent", from: bank.address });
    const receipt = await outbox.wait(entry);
    expect(receipt).toMatchObject({ hash: entry.hash, status: 1 });
    expect(receipt.logs.map((l) => registry.interface.parseLog({ topics: [...l.topics], data: l.data })?.name).filter((n) => n === "ClaimRegistered")).toHaveLength(3);
    expect(await entries.get(entry.hash)).toMatchObject({ status: "mined", blockNumber: receipt.blockNumber });
  }, 60_000);

  it("follows an interval-mining chain (no automine): waitFor(receipt block) then reads reflect the write", async () => {
    await provider.send("evm_setAutomine", [false]);
    await provider.send("evm_setIntervalMining", [300]);
    try {
      const [id] = await register(1);
      const receipt = lastReceipt!;
      const cursor = await live.indexer.waitFor(receipt.blockNumber, { blockHash: receipt.blockHash });
      expect(cursor.number).toBeGreaterThanOrEqual(receipt.blockNumber);
      const read = await live.index.claim(id);
      expect(read.claim).toMatchObject({ registeredBlock: receipt.blockNumber, registeredTx: receipt.hash, holder: bank.address });
      expect(read.asOfBlock).toBeGreaterThanOrEqual(receipt.blockNumber);
      // Empty blocks keep coming; the index follows them.
      const later = (await provider.getBlockNumber()) + 2;
      expect((await live.indexer.waitFor(later, { timeoutMs: 10_000 })).number).toBeGreaterThanOrEqual(later);
    } finally {
      await provider.send("evm_setIntervalMining", [0]);
      await provider.send("evm_setAutomine", [true]);
    }
  }, 60_000);

  it("(c) resumes from its cursor after the store is closed mid-scan, with rows and cursor from one batch", async () => {
    const target = await head();
    const first = await openIndex();
    let chunks = 0;
    let closed: Promise<void> | null = null;
    const crashing = indexerOf(first.index, { maxBlockRange: 2, reorgDepth: 4, pollIntervalMs: 50 }, provider, {
      chunk: () => {
        if (++chunks === 6) closed = first.store.close(); // the process "dies" in the middle of the scan
      },
    });
    crashing.start();
    while (!closed) await new Promise((r) => setTimeout(r, 20));
    await closed;
    await crashing.stop();

    const reopened = await openIndex(first.dir);
    const cursor = (await reopened.index.cursor())!;
    expect(cursor.number).toBeGreaterThanOrEqual(crashing.startBlock + 6 * 2 - 1);
    expect(cursor.number).toBeLessThan(target.number);
    // Rows and cursor were committed together: the store equals a fresh index of exactly the blocks up to the cursor.
    const upToCursor = recordingProvider(provider, { head: cursor.number });
    expect(await reopened.index.dump()).toEqual((await freshDump({}, upToCursor.provider)).dump);

    const rec = recordingProvider(provider);
    const resumed = indexerOf(reopened.index, { maxBlockRange: 50, reorgDepth: 4 }, rec.provider);
    await resumed.sync();
    expect(rec.ranges[0]!.from).toBe(cursor.number + 1);
    expect(await reopened.index.cursor()).toMatchObject(target);
    expect(await reopened.index.dump()).toEqual((await freshDump()).dump);
  }, 120_000);

  it("(d) never asks eth_getLogs for more blocks than configured, and halves the range when the node refuses it", async () => {
    await provider.send("hardhat_mine", ["0x64"]); // 100 empty blocks
    const target = await head();
    const reference = await freshDump();

    const capped = recordingProvider(provider);
    const { index } = await openIndex();
    await indexerOf(index, { maxBlockRange: 7, reorgDepth: 4 }, capped.provider).sync();
    expect(Math.max(...capped.ranges.map((r) => r.to - r.from + 1))).toBeLessThanOrEqual(7);
    // Contiguous, each block asked for once.
    capped.ranges.forEach((r, i) => i > 0 && expect(r.from).toBe(capped.ranges[i - 1]!.to + 1));
    expect(capped.ranges.at(-1)!.to).toBe(target.number);
    expect(await index.dump()).toEqual(reference.dump);

    const refusing = recordingProvider(provider, { refuseAbove: 5 });
    const second = await openIndex();
    await indexerOf(second.index, { maxBlockRange: 40, reorgDepth: 4 }, refusing.provider).sync();
    expect(Math.max(...refusing.ranges.map((r) => r.to - r.from + 1))).toBeLessThanOrEqual(40);
    expect(refusing.ranges.some((r) => r.refused)).toBe(true);
    expect(refusing.ranges.filter((r) => !r.refused).every((r) => r.to - r.from + 1 <= 5)).toBe(true);
    expect(await second.index.cursor()).toMatchObject(target);
    expect(await second.index.dump()).toEqual(reference.dump);
  }, 120_000);

  it("(b) evm_revert under the running indexers, then another history: the tables equal a fresh index of the new chain", async () => {
    // A second live index keeps undo data for 3 blocks only: this reorg is deeper, so it re-indexes. It polls
    // rarely: only waitFor wakes it, so it is still on the orphaned branch when asked for the new one.
    const shallow = await openIndex();
    const shallowReorgs: Parameters<NonNullable<IndexerMetrics["reorg"]>>[0][] = [];
    const shallowIndexer = indexerOf(shallow.index, { reorgDepth: 3, pollIntervalMs: 600_000 }, provider, { reorg: (r) => shallowReorgs.push(r) });
    shallowIndexer.start();
    await caughtUp(live.indexer);
    await caughtUp(shallowIndexer);
    const before = await live.index.dump();

    const snapshot = await provider.send("evm_snapshot", []);
    const signer = (x: Account) => x;
    const [r0, r1] = await register(2);
    await (await registry.connect(signer(bank)).assign([r0], amc2.address, originatorCodeToBytes32("PKG-R"), 1n, keccak256(randomBytes(32)), ZERO_FILES)).wait();
    const c5 = claims[5]!;
    await submit(await report(c5, 5, 700_000_00n, 0n));
    const orphanRoot = await anchor("orphan");
    const orphanHead = await caughtUp(live.indexer);
    await caughtUp(shallowIndexer);
    expect((await live.index.claim(r0)).claim?.holder).toBe(amc2.address);
    expect((await live.index.anchor(orphanRoot)).anchor).not.toBeNull();
    expect((await live.index.caseOf(c5)).case?.state).toBe("overdue");

    expect(await provider.send("evm_revert", [snapshot])).toBe(true);
    // Another history on top: a different claim, report and anchor, and more blocks than the orphaned branch had.
    const [n0] = await register(1);
    await submit(await report(c5, 0, 650_000_00n, 0n));
    const newRoot = await anchor("new");
    // The new branch reaches the orphaned head's height: waitFor(that height, its hash) must not take the
    // orphaned block of the same height for it.
    while ((await provider.getBlockNumber()) < orphanHead.number) await provider.send("evm_mine", []);
    const sameHeight = await head();
    expect(sameHeight.number).toBe(orphanHead.number);
    expect(sameHeight.hash).not.toBe(orphanHead.hash);
    expect(shallowIndexer.cursor()).toMatchObject(orphanHead);
    const reached = await shallowIndexer.waitFor(sameHeight.number, { blockHash: sameHeight.hash, timeoutMs: 30_000 });
    expect(reached).toMatchObject(sameHeight);
    expect((await shallow.index.claim(n0)).claim).not.toBeNull();
    expect((await shallow.index.claim(r0)).claim).toBeNull();
    await provider.send("hardhat_mine", [toBeHex(3)]);
    const now = await caughtUp(live.indexer);
    await caughtUp(shallowIndexer);
    expect(now.number).toBeGreaterThan(orphanHead.number);

    expect(live.reorgs.some((r) => !r.reindex && r.ancestor !== null && r.ancestor < orphanHead.number)).toBe(true);
    expect(shallowReorgs.some((r) => r.reindex)).toBe(true);
    for (const index of [live.index, shallow.index]) {
      expect((await index.claim(r0)).claim).toBeNull();
      expect((await index.claim(r1)).claim).toBeNull();
      expect((await index.history(r0)).events).toEqual([]);
      expect((await index.anchor(orphanRoot)).anchor).toBeNull();
      expect((await index.claim(n0)).claim).not.toBeNull();
      expect((await index.anchor(newRoot)).anchor).not.toBeNull();
      expect((await index.caseOf(c5)).case).toMatchObject({ state: "performing", nonce: 1 });
      expect((await index.claimsOfHolder(amc2.address)).claimIds).not.toContain(r0);
    }
    const fresh = await freshDump();
    expect(await live.index.dump()).toEqual(fresh.dump);
    expect(await shallow.index.dump()).toEqual(fresh.dump);
    expect(await live.index.cursor()).toEqual(fresh.cursor);
    // Nothing of the orphaned branch is left: the claims table is the old one plus the new claim.
    expect(fresh.dump.claims.map(([k]) => k).sort()).toEqual([...before.claims.map(([k]) => k), n0].sort());
    await expectTruth(live.index);
    await expectAggregatesMatchRows(live.index);
  }, 120_000);

  it("a pass that read the head just before a revert aims at the new, lower head once it resolved the reorg", async () => {
    const { index } = await openIndex();
    // Its view of the node: the first head it asks for is the one before the revert (the pass began then).
    let staleHead: number | null = null;
    const stale: IndexerProvider = {
      ...recordingProvider(provider).provider,
      getBlockNumber: async () => {
        const h = staleHead ?? (await provider.getBlockNumber());
        staleHead = null;
        return h;
      },
    };
    const indexer = indexerOf(index, {}, stale);
    const snapshot = await provider.send("evm_snapshot", []);
    await provider.send("hardhat_mine", [toBeHex(5)]);
    const [gone] = await register(1);
    const top = await head();
    await indexer.sync();
    expect((await index.claim(gone!)).claim).not.toBeNull();
    expect(await provider.send("evm_revert", [snapshot])).toBe(true);
    const [kept] = await register(1);
    staleHead = top.number;
    expect(await indexer.sync()).toMatchObject(await head());
    expect((await index.claim(gone!)).claim).toBeNull();
    expect((await index.claim(kept!)).claim).not.toBeNull();
    expect(await index.dump()).toEqual((await freshDump()).dump);
  }, 60_000);
});
