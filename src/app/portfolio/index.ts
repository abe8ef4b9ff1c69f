import type { IndexListener } from "../../chain/indexer.js";
import type { ChainIndex } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { SublevelOf } from "../../store/db.js";
import type { StoreMemo } from "../../store/memo.js";
import type { EvidenceRepo } from "../../store/repos/evidence.js";
import type { OffersRepo } from "../../store/repos/offers.js";
import { createLists } from "./list.js";
import { createListingLocks } from "./locks.js";
import { createLimitations } from "./limitation.js";
import { claimRecordRefs } from "../evidence/reads.js";
import { createPortfolioModel } from "./model.js";
import { assessLoans } from "./assess-worker.js";
import type { Assess } from "./model-load.js";
import { createQueue } from "./queue.js";
import { createSummary } from "./summary.js";
import { createTrend } from "./trend.js";
import type { Snapshot } from "../../store/repos/portfolio.js";
import { createTxDecoder, type TxChain } from "./tx.js";
import { createTxPeople } from "./tx-people.js";
import type { Accounts } from "./views.js";

/**
 * The console's API behind GET /v1/portfolio, /v1/claims, /v1/queue, POST /v1/packages/preview and
 * GET /v1/tx/:hash (issue 6), on the read model of src/app/portfolio/model.ts:
 *
 * - summary.ts — the dashboard's figures and daily trend (trend.ts);
 * - list.ts — the claims list and the package preview;
 * - queue.ts — the work queue: priority, reasons, next clause deadline, last contact, offer;
 * - tx.ts — a transaction decoded (the one chain read: receipts are not indexed).
 *
 * **Scope** (src/app/access.ts listScope): the operator's admin sees every claim; a bank the claims it
 * originated or holds; an AMC the claims it holds; a collector the claims held by the AMC it works for; a
 * court the claims whose case is before it (a dispute); oracle peers and feeds none. Personal data (the
 * debtor's name) only as mayReadPersonalData allows.
 */
export interface PortfolioDeps {
  repos: {
    index: ChainIndex;
    records: SublevelOf<ClaimRecord>;
    snapshots: SublevelOf<Snapshot>;
    evidence: EvidenceRepo;
    offers: OffersRepo;
  };
  /** The indexer whose commits feed the read model. */
  feed: { subscribe(listener: IndexListener): () => void };
  chain: TxChain;
  clock: { now(): number };
  log: { warn(message: string): void };
  /** Names of this deployment's configured accounts, by lower-case address. */
  accounts: Accounts;
  memo: StoreMemo;
  /** A package sale by its on-chain ref (its name), for the transaction page. */
  packageOf?(ref: string): Promise<{ label: string } | undefined>;
  /** Where the scoring core runs for the model (a worker thread in the API); in this thread when absent. */
  assess?: Assess;
}

export function createPortfolio(deps: PortfolioDeps) {
  const { repos, clock, log, accounts } = deps;
  const assess: Assess = deps.assess ?? (async (input) => assessLoans(input));
  const model = createPortfolioModel({ index: repos.index, records: repos.records, clock, log, assess });
  // 诉讼时效 per claim from its record and evidence, beside the model (./limitation.ts).
  const limitations = createLimitations({
    records: repos.records,
    evidence: (id) => claimRecordRefs(repos.evidence, id),
    fromModel: (id) => model.row(id)?.limitation,
    claimsWithEvidence: () => claimsWithEvidence(repos.evidence),
  });
  deps.feed.subscribe(model.listener);
  // The claims locked in market listings, from the index's listing rows as the indexer commits them.
  const locks = createListingLocks({ listings: () => repos.index.listings() });
  deps.feed.subscribe(locks.listener);
  const trend = createTrend({ index: repos.index, snapshots: repos.snapshots, clock });
  return {
    model,
    limitations,
    summary: createSummary({ model, trend, accounts, limitations }),
    ...createLists({ model, accounts, limitations, locks }),
    queue: createQueue({ model, accounts, repos, memo: deps.memo, limitations }),
    tx: createTxDecoder(deps.chain),
    txPeople: createTxPeople({ model, accounts, packageOf: deps.packageOf ?? (async () => undefined) }),
  };
}

/** The claims that have evidence records (keys `claimId!…` of the by-claim index, in order), each once. */
async function* claimsWithEvidence(es: EvidenceRepo): AsyncGenerator<string> {
  let last = "";
  for await (const [key] of es.byClaim.iterator()) {
    const id = key.slice(0, key.indexOf("!"));
    if (id !== last) yield (last = id);
  }
}

export type Portfolio = ReturnType<typeof createPortfolio>;
export type { PortfolioFilters } from "./rows.js";
