import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBeHex, ZeroHash } from "ethers";
import type { Deployment } from "../../../src/chain/deployment.js";
import type { IndexCommit, IndexListener } from "../../../src/chain/indexer.js";
import { openStore, TypedBatch, type Store } from "../../../src/store/db.js";
import { openRepos } from "../../../src/store/repos/index.js";
import { openChainIndex, type CaseRow, type ClaimRow, type ListingRow, type RowTable } from "../../../src/store/repos/chain-index.js";
import type { CellFilter } from "../../../src/app/portfolio/aggregate.js";
import { createStoreMemo } from "../../../src/store/memo.js";
import { createPortfolio } from "../../../src/app/portfolio/index.js";
import type { TxChain } from "../../../src/app/portfolio/tx.js";
import { byContractNo, byPriority, isOpen } from "../../../src/app/portfolio/order.js";
import { matcher, type PortfolioRow } from "../../../src/app/portfolio/rows.js";
import { devWallet } from "../../../src/config/dev-accounts.js";
import { Random } from "../../../src/core/synthetic.js";
import { CASE_STATES } from "../../../src/core/oracle-plan.js";
import { writeSyntheticBook } from "../../../scripts/bench/scale-book.js";
import { NO_PERIOD } from "../../../src/app/portfolio/limitation.js";
import { dayOf } from "../../../src/core/dates.js";
import type { ListScope } from "../../../src/app/access.js";

/**
 * The console's read model over a real LevelDB book (bench:scale's synthetic book: records and chain-index rows
 * made by the indexer's own projection), changed by indexer commits: its kept orders and per-holder cells, and
 * the package preview by filter read from them, equal what a pass over the rows gives — and a fresh load of
 * the same store.
 */

const address = (i: number) => `0x${(0x2000 + i).toString(16).padStart(40, "0")}`;
const deployment: Deployment = {
  chainId: "31337", genesisHash: `0x${"cd".repeat(32)}`, deploymentId: "test-model",
  contracts: { ClaimRegistry: { address: address(1), blockNumber: 10 }, EvidenceLog: { address: address(2), blockNumber: 10 }, CollectionClauses: { address: address(3), blockNumber: 10 }, Arbitrator: { address: address(4), blockNumber: 10 } },
};
const bank = devWallet(1).address;
const amc = devWallet(2).address;
const amc2 = devWallet(3).address;
const BOOK = 3_000;

describe("console model: incremental orders, holder cells and package preview over a real store", () => {
  let dir: string;
  let store: Store;
  const listeners: IndexListener[] = [];
  let portfolio: ReturnType<typeof createPortfolio>;
  let block = 1_000;

  function open(feed: IndexListener[]) {
    const repos = openRepos(store);
    return createPortfolio({
      repos: { index: openChainIndex(store), records: repos.claims, snapshots: repos.snapshots, evidence: repos.evidence, offers: repos.offers },
      feed: { subscribe: (l) => (feed.push(l), () => undefined) },
      chain: { contracts: [] } as unknown as TxChain,
      clock: { now: () => Date.now() },
      log: { warn: () => {} },
      accounts: new Map([[amc.toLowerCase(), { address: amc, name: "AMC", role: "amc" }], [amc2.toLowerCase(), { address: amc2, name: "AMC 2", role: "amc" }]]),
      memo: createStoreMemo(store),
    });
  }

  /** Writes rows into the index's tables and tells the model, as the indexer does with a commit. */
  async function commit(rows: { claims?: ClaimRow[]; cases?: CaseRow[]; listings?: ListingRow[] }) {
    const index = openChainIndex(store);
    const batch = new TypedBatch();
    for (const c of rows.claims ?? []) batch.put(index.tables.claims, c.claimId, c);
    for (const c of rows.cases ?? []) batch.put(index.tables.cases, c.claimId, c);
    for (const l of rows.listings ?? []) batch.put(index.tables.listings, l.listingId, l);
    await batch.write(store);
    const of: Record<string, Array<[string, unknown]>> = {
      claims: (rows.claims ?? []).map((c) => [c.claimId, c]), cases: (rows.cases ?? []).map((c) => [c.claimId, c]), listings: (rows.listings ?? []).map((l) => [l.listingId, l]),
    };
    const c: IndexCommit = { cursor: { number: ++block, hash: toBeHex(block, 32), timestamp: Math.floor(Date.now() / 1000) }, rows: ((t: RowTable) => of[t] ?? []) as IndexCommit["rows"] };
    for (const l of listeners) l.committed(c);
  }

  /** The model's kept orders and holder cells against a pass over its rows. */
  async function expectIndexesMatchRows() {
    const view = await portfolio.model.read();
    const rows = [...view.rows.values()];
    expect(view.byContract.map((r) => r.claimId)).toEqual([...rows].sort(byContractNo).map((r) => r.claimId));
    expect(view.byPriority.map((r) => r.claimId)).toEqual(rows.filter(isOpen).sort(byPriority).map((r) => r.claimId));
    // The kept limitation counts: open claims whose period (from the record, as of the model's day) ends within 90 days / has ended.
    const today = dayOf(view.today);
    const status = (r: PortfolioRow) => (r.limitation.last === NO_PERIOD ? "none" : r.limitation.last < today ? "expired" : r.limitation.last - today <= 90 ? "expiring" : "running");
    for (const [scope, keep] of [[{ kind: "all" }, () => true], [{ kind: "holder", address: amc.toLowerCase() }, (r: PortfolioRow) => r.holderKey === amc.toLowerCase()]] as const) {
      const a = view.aggregate(scope as ListScope);
      const open = rows.filter((r) => keep(r) && isOpen(r));
      expect({ expiring: a.expiring, expired: a.expired }, JSON.stringify(scope)).toEqual({
        expiring: open.filter((r) => status(r) === "expiring").length, expired: open.filter((r) => status(r) === "expired").length,
      });
      expect(a.expired, "the book holds time-barred claims: the count is not trivially zero").toBeGreaterThan(0);
      expect(a.open, JSON.stringify(scope)).toBe(open.length);
    }
    // The work queue's totals: the kept counts, equal to the open rows of the holder (with a cell filter too).
    const me = amc.toLowerCase();
    for (const f of [{}, { region: "wuhan" }, { product: "mortgage", classification: "doubtful" }]) {
      const q = await portfolio.queue({ role: "amc", address: amc }, f, 5, 0);
      const m = matcher(f);
      expect(q.total, JSON.stringify(f)).toBe(rows.filter((r) => r.holderKey === me && isOpen(r) && m(r)).length);
    }
    for (const holder of [amc, amc2, bank].map((a) => a.toLowerCase())) {
      for (const f of [{}, { region: "wuhan" }, { classification: 3 }, { region: "shanghai", product: "mortgage", state: "performing" as const }]) {
        const match = (r: PortfolioRow) => r.holderKey === holder && (f.region === undefined || r.region === f.region)
          && (!("product" in f) || r.product === f.product) && (!("classification" in f) || r.classification === f.classification) && (!("state" in f) || r.state === f.state);
        const ids = (list: PortfolioRow[]) => list.map((r) => r.claimId).sort();
        const { region, ...rest } = f as { region?: string };
        const cells: CellFilter = { ...rest, ...(region !== undefined ? { region: (r: string) => r === region } : {}) };
        expect(ids(view.heldRows(holder, cells)), `${holder} ${JSON.stringify(f)}`).toEqual(ids(rows.filter(match)));
      }
    }
    return view;
  }

  /** The preview by filter against the same preview computed by a pass over the rows. */
  async function expectPreviewMatchesRows(p: ReturnType<typeof createPortfolio>, filter: Record<string, string>) {
    const party = { role: "amc" as const, address: amc };
    const got = await p.previewPackage(party, { filter });
    const view = await p.model.read();
    const me = amc.toLowerCase();
    const expected = view.byContract.filter((r) => r.holderKey === me && r.state !== "closed"
      && (filter.region === undefined || r.region === filter.region) && (filter.product === undefined || r.product === filter.product));
    expect(got.claims.map((c) => c.claimId)).toEqual(expected.slice(0, 1_000).map((r) => r.claimId));
    expect(got.all.count).toBe(expected.length);
    expect(got.all.outstanding).toBe(expected.reduce((x, r) => x + r.outstanding, 0n).toString());
    return got;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "debtrail-model-"));
    store = await openStore(dir, "test-model");
    await writeSyntheticBook({ store, deployment, count: BOOK, bank, amc, loanRefSecret: "test-secret-0123456789", piiSecret: "test-pii-0123456789", now: Math.floor(Date.now() / 1000), corporateDebtors: 60 });
    portfolio = open(listeners);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads the book in slices: other work runs while it loads; the kept indexes equal a pass over the rows", async () => {
    let turns = 0;
    let loading = true;
    const other = (async () => {
      while (loading) {
        await new Promise((r) => setTimeout(r, 1));
        turns++;
      }
    })();
    const view = await portfolio.model.read(60_000);
    loading = false;
    await other;
    expect(view.rows.size).toBe(BOOK);
    expect(turns).toBeGreaterThan(5);
    await expectIndexesMatchRows();
    await expectPreviewMatchesRows(portfolio, { region: "wuhan" });
  }, 60_000);

  it("commits that sell claims, close and reopen cases and report on them: orders, cells and the preview follow, equal to a fresh load", async () => {
    const index = openChainIndex(store);
    const rng = new Random(5);
    const all = (await portfolio.model.read()).byContract.map((r) => r.claimId);
    for (let round = 0; round < 12; round++) {
      const picked = [...new Set(Array.from({ length: round === 11 ? 400 : rng.int(1, 8) }, () => all[rng.int(0, all.length - 1)]!))];
      const claims: ClaimRow[] = [];
      const cases: CaseRow[] = [];
      for (const id of picked) {
        const claim = (await index.tables.claims.get(id))!;
        const c = (await index.tables.cases.get(id)) ?? null;
        const move = rng.next();
        if (move < 0.4) claims.push({ ...claim, holder: [amc, amc2, bank][rng.int(0, 2)]! });
        const state = CASE_STATES[rng.int(0, CASE_STATES.length - 1)]!;
        const outstanding = String(rng.int(1_000, 9_000_000));
        cases.push({
          claimId: id, state, stateSince: Math.floor(Date.now() / 1000) - 86_400, stateSinceBlock: block, nonce: (c?.nonce ?? 0) + 1,
          lastReport: { nonce: c?.nonce ?? 0, asOf: Math.floor(Date.now() / 1000) - 3_600, daysPastDue: rng.int(0, 500), outstanding, collateralValue: "0", classification: rng.int(0, 4), riskGrade: rng.int(0, 4), digest: ZeroHash, blockNumber: block, txHash: ZeroHash },
          lastNoticeAt: null, lastNoticeBlock: null, lastNoticeHash: null, disputeId: null, planHash: null, installments: null,
          closedReason: state === "closed" ? "repaid" : null, arbitrationDeferred: null,
        });
      }
      await commit({ claims, cases });
      await expectIndexesMatchRows();
      await expectPreviewMatchesRows(portfolio, round % 2 === 0 ? { region: "wuhan" } : { product: "mortgage" });
    }
    // A fresh model over the same store (what a restart loads) holds the same rows in the same orders.
    const fresh = open([]);
    const [a, b] = [await portfolio.model.read(), await fresh.model.read(60_000)];
    expect(b.byContract.map((r) => [r.claimId, r.holder, r.state, r.classification, r.outstanding])).toEqual(a.byContract.map((r) => [r.claimId, r.holder, r.state, r.classification, r.outstanding]));
    expect(b.byPriority.map((r) => r.claimId)).toEqual(a.byPriority.map((r) => r.claimId));
    const [pa, pb] = [await portfolio.previewPackage({ role: "amc", address: amc }, { filter: { region: "wuhan" } }), await fresh.previewPackage({ role: "amc", address: amc }, { filter: { region: "wuhan" } })];
    expect({ ...pb, asOfBlock: null }).toEqual({ ...pa, asOfBlock: null });
  }, 120_000);

  it("a claim locked in a market listing: claim-listed in the preview from the listing's commit, released when the listing is cancelled", async () => {
    const party = { role: "amc" as const, address: amc };
    const before = await expectPreviewMatchesRows(portfolio, { region: "wuhan" });
    const target = before.claims.find((c) => c.assignable)!;
    const listing: ListingRow = {
      listingId: toBeHex(77, 32), seller: amc, claimIds: [target.claimId], termsCommitment: ZeroHash, cutoffDate: 0, commitEnd: 0, revealEnd: 0, executionPeriod: 0,
      deposit: "0", reserve: "0", reserveHidden: false, licensedAmcOnly: false, retailClaims: 0, status: "open", bidders: [], revealed: 0, winner: null, winningBid: null,
      deadline: null, paid: false, packageId: null, defaults: [], listedBlock: block, listedTx: ZeroHash, listedAt: 0, updatedBlock: block, updatedTx: ZeroHash,
    };
    await commit({ listings: [listing] });
    const during = await portfolio.previewPackage(party, { filter: { region: "wuhan" } });
    expect(during.claims.find((c) => c.claimId === target.claimId)).toMatchObject({ assignable: false, reason: "claim-listed", listingId: listing.listingId });
    expect(during.assignable.count).toBe(before.assignable.count - 1);
    // A fresh portfolio reads the listing from the table (not only from commits).
    const fresh = open([]);
    expect((await fresh.previewPackage(party, { filter: { region: "wuhan" } })).claims.find((c) => c.claimId === target.claimId)).toMatchObject({ reason: "claim-listed" });
    await commit({ listings: [{ ...listing, status: "cancelled" }] });
    const after = await portfolio.previewPackage(party, { filter: { region: "wuhan" } });
    expect(after.claims.find((c) => c.claimId === target.claimId)!.assignable).toBe(true);
    expect(after.assignable).toEqual(before.assignable);
  }, 60_000);
});
