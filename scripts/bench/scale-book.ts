/**
 * The synthetic part of `npm run bench:scale`'s book: claims written straight into the store as if they had
 * been registered, sold and reported on chain and indexed — because registering 900,000 claims through a
 * local hardhat node would take hours. What is written, per claim, is what the store holds for a real one:
 *
 * - the claim's off-chain record (`claims`), built by the same code as an import's (normalizeClaim,
 *   recordOf: real claim ids, salted loan references, collateral hashes), status registered;
 * - the job item an import leaves (`job-items`, under one finished synthetic job);
 * - the chain index's rows (`chain-claims`, `chain-cases`, `chain-ownership`, `chain-holder-claims`,
 *   `chain-timeline`, `chain-aggregates`), made by the indexer's own projection (src/chain/index-projection.ts
 *   `applyEvent`, the step after a log is decoded) from ClaimRegistered events (with the whole terms row the
 *   indexer would have built), a Transfer to the AMC for two claims in three, and for two in five a ReportApplied
 *   and a CaseStateChanged — at block numbers below the deployment's, never on the node's chain.
 *
 * The index's cursor is not moved: the API's indexer then follows the real chain from the deployment block
 * and never meets these claims' ids. The console's model loads them like any indexed claim.
 */
import { getAddress, toBeHex, ZeroHash, type LogDescription } from "ethers";
import { normalizeClaim, type ClaimRequest } from "../../src/core/claim-input.js";
import { initHashing } from "../../src/core/merkle.js";
import { Random, REGION_NAMES } from "../../src/core/synthetic.js";
import { collateralHashOf, recordOf, toRegistration } from "../../src/app/claims/registration.js";
import { createProjection, type IndexedLog } from "../../src/chain/index-projection.js";
import type { Deployment } from "../../src/chain/deployment.js";
import { TypedBatch, type Store } from "../../src/store/db.js";
import { IndexWriter, openChainIndex, type AggregateCell, type Sublevels, type TermsRow } from "../../src/store/repos/chain-index.js";
import { openClaimRecords } from "../../src/store/repos/claims.js";
import { itemKey, openJobRepos } from "../../src/store/repos/jobs.js";
import type { JobHeader, JobItem } from "../../src/app/jobs/types.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

const PRODUCTS = ["mortgage", "consumer", "credit-card", "sme", "corporate"] as const;
const PRODUCT_WEIGHTS = [0.35, 0.2, 0.15, 0.18, 0.12];
const REGIONS = REGION_NAMES;
const DAY = 86_400;

/** Claim request `i` of a bench book: products, regions, debtors, amounts and collateral varied (seeded). */
export function bookClaim(prefix: string, i: number, originatorCode = "DEVBANK", corporateDebtors = 20_000): ClaimRequest {
  const rng = new Random(i * 7919 + prefix.length);
  const product = rng.weighted([...PRODUCTS], PRODUCT_WEIGHTS);
  const corporate = product === "corporate" || (product === "sme" && rng.next() < 0.5);
  const region = REGIONS[rng.int(0, REGIONS.length - 1)]!;
  const principal = rng.int(50_000, 5_000_000) * 100;
  const outstanding = Math.round(principal * (0.3 + 0.7 * rng.next()));
  const year = rng.int(2015, 2023);
  return {
    originatorCode,
    contractNo: `${prefix}-${String(i).padStart(7, "0")}`,
    debtor: corporate
      ? { name: `企业${i % corporateDebtors}有限公司`, idNumber: `91${String(310000000000000 + (i % corporateDebtors) * 7919).padStart(16, "0")}`, type: "corporate", debtorId: `${prefix}-C-${i % corporateDebtors}` }
      : { name: `债务人${i}`, idNumber: syntheticIdNumber("110101", i), phone: `138${String(i).padStart(8, "0")}`, type: "retail", debtorId: `${prefix}-R-${i}` },
    principal: String(principal),
    outstanding: String(outstanding),
    originatedAt: `${year}-0${rng.int(1, 9)}-15`,
    maturityAt: `${year + rng.int(2, 6)}-06-30`,
    product,
    region,
    ...(rng.next() < 0.4 ? { collateral: { type: "residential", region, areaSqm: rng.int(50, 200), appraisedValue: String(Math.round(outstanding * (0.6 + rng.next()))) } } : {}),
  };
}

export interface BookOptions {
  store: Store;
  deployment: Deployment;
  count: number;
  bank: string;
  amc: string;
  loanRefSecret: string;
  piiSecret: string;
  /** Unix seconds: the chain's time now (reports are dated in the days before). */
  now: number;
  /** Corporate debtors the book's corporate claims are spread over (default 20,000). */
  corporateDebtors?: number;
  log?: (line: string) => void;
}

/** Claims written per store batch. */
const SLICE = 1_000;

export async function writeSyntheticBook(o: BookOptions): Promise<{ seconds: number; records: number; firstClaimId: string | null }> {
  const started = performance.now();
  const a = o.deployment.contracts;
  const projection = createProjection({ ClaimRegistry: a.ClaimRegistry.address, EvidenceLog: a.EvidenceLog.address, CollectionClauses: a.CollectionClauses.address, Arbitrator: a.Arbitrator.address });
  const index = openChainIndex(o.store);
  const records = openClaimRecords(o.store);
  const jobs = openJobRepos(o.store);
  const jobId = "00000000-0000-4000-8000-000000000000";
  const baseBlock = Math.max(1, a.ClaimRegistry.blockNumber - 1);
  const created = new Date((o.now - 30 * DAY) * 1000).toISOString();
  const bank = getAddress(o.bank);
  const amc = getAddress(o.amc);
  const rules = { minNoticeDays: 7 };
  await initHashing();
  let written = 0;
  let firstClaimId: string | null = null;
  // Events as the indexer's projection takes them once decoded (arguments by name): no ABI encoding here.
  const at = (block: number, index: number, tx: string): IndexedLog => ({ address: "", topics: [], data: "0x", blockNumber: block, blockHash: ZeroHash, transactionHash: tx, index });
  const event = (name: string, args: Record<string, unknown>) => ({ name, args: args as unknown as LogDescription["args"] });

  // The projection reads a row before it writes it: none of these claims has one yet, and the aggregate
  // cells are kept here between slices, so the writer never waits for a store read.
  const cells = new Map<string, AggregateCell>();
  const none = async () => undefined;
  const tables: Sublevels = {
    ...index.tables,
    claims: { ...index.tables.claims, get: none }, cases: { ...index.tables.cases, get: none }, ownership: { ...index.tables.ownership, get: none },
    timeline: { ...index.tables.timeline, get: none }, holderClaims: { ...index.tables.holderClaims, get: none },
    aggregates: { ...index.tables.aggregates, get: async (k: string) => cells.get(k) },
  };
  for (let start = 0; start < o.count; start += SLICE) {
    const w = new IndexWriter(tables);
    w.beginBlock(baseBlock, false);
    const batch = new TypedBatch();
    for (let i = start; i < Math.min(o.count, start + SLICE); i++) {
      const req = bookClaim("BOOK", i, undefined, o.corporateDebtors);
      const n = normalizeClaim(req, o.loanRefSecret, "", rules);
      const collateralHash = collateralHashOf(o.piiSecret, req.collateral);
      const reg = toRegistration(n, collateralHash);
      firstClaimId ??= n.claimId;
      const tx = toBeHex(i + 1, 32);
      const record = { ...recordOf({ address: bank }, req, n, collateralHash, created, jobId), status: "registered" as const, txHash: tx, blockNumber: baseBlock };
      batch.put(records, n.claimId, record);
      const item: JobItem = { index: i, claimId: n.claimId, status: "registered", txHash: tx, blockNumber: baseBlock };
      batch.put(jobs.items, itemKey(jobId, i), item);
      const t = reg.terms;
      const terms: TermsRow = {
        currency: "CNY", originatedAt: t.originatedAt, maturityAt: t.maturityAt, retail: t.retail, clauses: t.clauses,
        collateralHash: t.collateralHash, documentsRoot: t.documentsRoot,
      };
      const registeredAt = o.now - 20 * DAY;
      await projection.applyEvent(w, "ClaimRegistry", event("ClaimRegistered", {
        claimId: n.claimId, originatorCode: reg.originatorCode, originator: bank, loanRef: n.loanRef, principal: n.principal, outstanding: n.outstanding,
      }), at(baseBlock, 0, tx), registeredAt, new Map([[`terms:${n.claimId}`, terms]]));
      if (i % 3 !== 0) {
        await projection.applyEvent(w, "ClaimRegistry", event("Transfer", { from: bank, to: amc, tokenId: BigInt(n.claimId) }), at(baseBlock, 1, tx), registeredAt);
      }
      if (i % 5 < 2) {
        const dpd = [12, 45, 95, 200, 400][i % 5 === 0 ? (i >> 3) % 5 : (i >> 4) % 5]!;
        const cls = dpd > 360 ? 4 : dpd > 270 ? 3 : dpd > 90 ? 2 : 1;
        const reportedAt = o.now - ((i % 14) + 1) * DAY;
        const outstanding = BigInt(req.outstanding);
        await projection.applyEvent(w, "CollectionClauses", event("ReportApplied", {
          claimId: n.claimId, nonce: 0n, asOf: BigInt(reportedAt), daysPastDue: BigInt(dpd), outstanding, collateralValue: outstanding / 2n,
          classification: BigInt(cls), riskGrade: BigInt(Math.min(4, cls + 1)), digest: ZeroHash,
        }), at(baseBlock, 2, tx), reportedAt);
        await projection.applyEvent(w, "CollectionClauses", event("CaseStateChanged", {
          claimId: n.claimId, from: 0n, to: dpd > 30 ? 3n : 1n, noticeHash: dpd > 30 ? toBeHex(i + 7, 32) : ZeroHash,
        }), at(baseBlock, 3, tx), reportedAt);
      }
      written++;
    }
    w.flushInto(batch);
    for (const [k, v] of w.written("aggregates")) {
      if (v) cells.set(k, v);
      else cells.delete(k);
    }
    await batch.write(o.store);
    if (start % 50_000 === 0) o.log?.(`synthetic book: ${written} of ${o.count} claims written`);
  }
  const header: JobHeader = {
    id: jobId, kind: "register-claims", status: "done", total: o.count, registered: o.count, failed: 0, createdAt: created, updatedAt: created,
    owner: { keyId: "synthetic", address: bank, name: "synthetic book" },
  };
  await new TypedBatch().put(jobs.headers, jobId, header).write(o.store);
  return { seconds: (performance.now() - started) / 1000, records: written, firstClaimId };
}
