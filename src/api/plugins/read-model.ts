import { Wallet } from "ethers";
import { Counter, Gauge, type Registry } from "prom-client";
import type { FastifyBaseLogger, FastifyReply } from "fastify";
import { UnavailableError, ValidationError } from "../../core/errors.js";
import type { Config } from "../../config/config.js";
import type { Chain } from "../../chain/client.js";
import { connectProvider } from "../../chain/provider.js";
import type { MinedReceipt } from "../../chain/receipts.js";
import { createIndexer, systemClock } from "../../chain/indexer.js";
import { indexerProviderOf } from "../../chain/index-provider.js";
import type { Store } from "../../store/db.js";
import { openChainIndex } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { Repos } from "../../store/repos/index.js";
import { packageByRef } from "../../store/repos/packages.js";
import { keptChainIndex } from "../../store/repos/chain-index-kept.js";
import { createStoreMemo } from "../../store/memo.js";
import { createClaimReads } from "../../app/claims/reads.js";
import { createDisputeReads } from "../../app/cases/disputes.js";
import { createCaseReads, type OffChainItem } from "../../app/cases/reads.js";
import { createPortfolio } from "../../app/portfolio/index.js";
import { CONSOLE_TABLES } from "../../app/portfolio/queue.js";
import type { AssessOutput } from "../../app/portfolio/assess-worker.js";
import { createWorkerPool } from "../../app/workers/pool.js";
import type { KnownAccount } from "../../app/portfolio/views.js";
import { createRenderCache, sendRendered, type Viewer } from "../rendered.js";

/** Longest a read waits for `?minBlock=` before it answers 503. */
export const MIN_BLOCK_WAIT_MS = 10_000;
/** Longest a write of this process waits for the index to reach its block before it answers anyway. */
const WRITE_WAIT_MS = 10_000;
/** A write does not wait while the index is further behind than this (a first index of a long chain). */
const WRITE_WAIT_MAX_LAG = 1_000;

/** What the read model needs from the services created before it. */
export interface ReadModelDeps {
  config: Config;
  store: Store;
  repos: Repos;
  chain: Chain;
  log: FastifyBaseLogger;
  registry: Registry;
  /** This process's clock (src/config/clock.ts): a new day re-assesses the console's rows. */
  clock: { now(): number };
  offChainTimeline(claimId: string): Promise<OffChainItem[]>;
}

/**
 * The API's read model (issue 15): one chain indexer over this process's store, following the node
 * (src/chain/indexer.ts), and the reads built on its tables — claims, cases, disputes, the console's
 * portfolio — none of which calls the chain node. Writes of this process wait (bounded) until the index
 * reached their block, so a read after a write reflects it; a client that wrote elsewhere passes the
 * write's block as `?minBlock=`.
 */
export async function createReadModel(deps: ReadModelDeps) {
  const { config, store, chain, log } = deps;
  // Its own connection: a long eth_getLogs never sits in the same JSON-RPC batch as a request's call.
  const provider = await connectProvider(config.chainRpcUrl);
  const index = openChainIndex(store);
  const indexed = new Gauge({ name: "debtrail_chain_index_block", help: "Last block the chain index reflects", registers: [deps.registry] });
  const head = new Gauge({ name: "debtrail_chain_head_block", help: "The chain node's head as the indexer last saw it", registers: [deps.registry] });
  const blocks = new Counter({ name: "debtrail_chain_index_blocks_total", help: "Blocks this process read into the chain index (a restart resumes after its cursor)", registers: [deps.registry] });
  const reorgs = new Counter({ name: "debtrail_chain_index_reorgs_total", help: "Reorgs the chain index undid (reindex: deeper than its undo data)", labelNames: ["reindex"], registers: [deps.registry] });
  let lastHead: number | null = null;
  // The node as the indexer last polled it (every second): /healthz answers from it.
  let seen: { head: number; at: number } | null = null;
  let failedAt = 0;
  const indexer = createIndexer({
    provider: indexerProviderOf(provider), index, deployment: chain.deployment, clock: systemClock, // polling, not a rule's time
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    metrics: {
      head: (h) => {
        lastHead = h.head;
        indexed.set(h.indexed);
        head.set(h.head);
      },
      chunk: (c) => blocks.inc(c.to - c.from + 1),
      reorg: (r) => reorgs.inc({ reindex: String(r.reindex) }),
      polled: (p) => (seen = p),
      error: () => (failedAt = Date.now()),
    },
  });
  const { repos } = deps;
  const records = repos.claims;
  const assessWorkers = createWorkerPool(new URL("../../app/portfolio/assess-worker.ts", import.meta.url));
  // Reads kept in memory until the store's next write (an index commit is one): a hot read makes no store read either.
  const memo = createStoreMemo(store);
  // A claim's chain rows and its record are kept until a write to those rows: an import's index commits
  // (of other claims) leave them (src/store/repos/chain-index-kept.ts).
  const keptIndex = keptChainIndex(index, memo);
  const kept = {
    claim: keptIndex.claim,
    history: keptIndex.history,
    caseOf: keptIndex.caseOf,
    dispute: (id: string) => memo.get(`dispute|${id}`, () => index.dispute(id)),
    disputes: () => memo.get("disputes", () => index.disputes()),
    record: { get: (id: string) => memo.getKeyed<ClaimRecord | undefined>(`record|${id}`, () => records.get(id), [[records.name, id], [records.name, id.toLowerCase()]]) },
    // A package sale's notice (its salt, for who may read the claim) and a case notice's evidence record, by commitment.
    noticeOf: (c: string) => memo.get(`notice|${c}`, () => repos.assignments.notices.get(c.toLowerCase())),
    noticeRecordOf: (c: string) => memo.get(`notice-record|${c}`, () => repos.evidence.byCommitment.get(c.toLowerCase())),
    // A package sale by its on-chain ref (src/app/packages/sales.ts): its name and each claim's share of the price.
    packageOf: (ref: string) => memo.get(`package|${ref}`, () => packageByRef(repos.packages, ref)),
    offChainTimeline: (id: string) => memo.get(`off-chain|${id}`, () => deps.offChainTimeline(id)),
  };
  const accounts = new Map<string, KnownAccount>();
  for (const k of config.apiKeys) {
    if (!k.privateKey) continue;
    try {
      const address = new Wallet(k.privateKey).address;
      accounts.set(address.toLowerCase(), { address, name: k.name ?? k.role, role: k.role });
    } catch {
      /* a bad key is refused elsewhere */
    }
  }
  const contracts = [
    { name: "ClaimRegistry", address: chain.deployment.contracts.ClaimRegistry.address, iface: chain.registry.interface },
    { name: "CollectionClauses", address: chain.deployment.contracts.CollectionClauses!.address, iface: chain.clauses.interface },
    { name: "EvidenceLog", address: chain.deployment.contracts.EvidenceLog!.address, iface: chain.evidenceLog.interface },
    { name: "Arbitrator", address: chain.deployment.contracts.Arbitrator!.address, iface: chain.arbitrator.interface },
  ];
  const portfolio = createPortfolio({
    repos: { index, records, snapshots: repos.snapshots, evidence: repos.evidence, offers: repos.offers },
    feed: indexer,
    chain: { provider: chain.provider, chainId: chain.deployment.chainId, contracts },
    clock: deps.clock,
    log: { warn: (m) => log.warn(m) },
    accounts,
    memo,
    packageOf: kept.packageOf,
    // The scoring core for the console's model (a book of a million claims), off the event loop.
    assess: (input) => assessWorkers.run<AssessOutput>("assessLoans", input),
  });

  // Answers rendered once per state (src/api/rendered.ts).
  const chainAnswers = createRenderCache();
  const consoleAnswers = createRenderCache();

  /** A write of this process: wait until the index holds its block (bounded; never fails the write). */
  async function afterMined(receipt: MinedReceipt): Promise<void> {
    const at = indexer.cursor()?.number ?? indexer.startBlock - 1;
    if ((lastHead ?? receipt.blockNumber) - at > WRITE_WAIT_MAX_LAG) return;
    await indexer.waitFor(receipt.blockNumber, { blockHash: receipt.blockHash, timeoutMs: WRITE_WAIT_MS }).catch((e: unknown) => {
      log.warn(`chain index: a write's block ${receipt.blockNumber} is not indexed yet (${(e as Error).message}); reads may lag it`);
    });
  }

  return {
    index,
    indexer,
    /** The indexer's own JSON-RPC connection (tests count its calls). */
    provider,
    claims: createClaimReads({ repos: { index: kept, records: kept.record, noticeOf: kept.noticeOf, packageOf: kept.packageOf } }),
    disputes: createDisputeReads({ model: portfolio.model, index: kept }),
    cases: createCaseReads({ repos: { index: kept, records: kept.record, noticeRecordOf: kept.noticeRecordOf, offChainTimeline: kept.offChainTimeline } }),
    portfolio,

    /**
     * `?minBlock=` (with `minBlockHash`, that very block): waits until the index reached it, at most
     * {@link MIN_BLOCK_WAIT_MS}.
     * @throws UnavailableError (503) naming the block asked for and the block the index is at
     */
    async atLeast(query: { minBlock?: string; minBlockHash?: string }): Promise<void> {
      if (query.minBlock === undefined) {
        if (query.minBlockHash !== undefined) throw new ValidationError("minBlockHash", "needs minBlock (the block's number)");
        return;
      }
      const block = Number(query.minBlock);
      const hash = query.minBlockHash?.toLowerCase();
      try {
        await indexer.waitFor(block, { blockHash: hash, timeoutMs: MIN_BLOCK_WAIT_MS });
      } catch (e) {
        if (!(e instanceof UnavailableError)) throw e;
        const at = indexer.cursor()?.number ?? null;
        throw new UnavailableError(
          `minBlock: the chain index has not reached block ${block}${hash ? ` (${hash.slice(0, 10)}…)` : ""} within ${MIN_BLOCK_WAIT_MS / 1000} s (it is at block ${at ?? "none"}${lastHead !== null ? `, the node at ${lastHead}` : ""}); try again, or read without minBlock`,
          { field: "minBlock", minBlock: block, asOfBlock: at, nodeHead: lastHead },
        );
      }
    },

    /** Sends a chain read (claim, history, case, dispute), rendered once per store state. */
    sendChainRead<T>(reply: FastifyReply, viewer: Viewer, what: string, compute: () => Promise<T>): Promise<FastifyReply> {
      return sendRendered(chainAnswers, String(memo.generation), reply, viewer, what, compute);
    },

    /** Sends a console read (portfolio, claims list, queue), rendered once per model state, state of the tables it reads beside the model, and second. */
    async sendConsoleRead<T>(reply: FastifyReply, viewer: Viewer, what: string, compute: () => Promise<T>): Promise<FastifyReply> {
      const view = await portfolio.model.read();
      // Kept while the model and the tables a console answer reads beside it stay as they are (an import's
      // writes to other tables do not make every dashboard render again).
      return sendRendered(consoleAnswers, `${memo.generationOf(CONSOLE_TABLES)}|${view.version}|${view.asOfBlock}|${view.now}`, reply, viewer, what, compute);
    },

    /**
     * The chain node as the indexer last polled it (every second, or sooner when a write waits): reachable
     * with its head, or not (its last poll failed). Null when that is older than `maxAgeMs`: ask the node.
     */
    chainSeen(maxAgeMs = 5_000): { reachable: true; head: number } | { reachable: false } | null {
      const now = Date.now();
      if (failedAt > (seen?.at ?? 0) && now - failedAt <= maxAgeMs) return { reachable: false };
      if (seen && now - seen.at <= maxAgeMs) return { reachable: true, head: seen.head };
      return null;
    },

    /** Starts following the chain; this process's writes wait for their block from now on. */
    start(): void {
      chain.outbox.afterMined = afterMined;
      indexer.start();
    },

    async stop(): Promise<void> {
      chain.outbox.afterMined = null;
      await indexer.stop();
      await assessWorkers.close();
      memo.close();
      provider.destroy();
    },
  };
}

export type ReadModel = Awaited<ReturnType<typeof createReadModel>>;
