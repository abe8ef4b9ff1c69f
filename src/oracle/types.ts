import type { Wallet } from "ethers";
import type { Counter } from "prom-client";
import type { LoanRequest } from "../core/batch.js";
import type { NoticeType } from "../core/notices.js";
import type { ReportFigures } from "../core/clauses.js";
import type { FeedEffects } from "../core/feeds.js";
import type { Report } from "../chain/reports.js";
import type { Chain } from "../chain/client.js";
import type { ApiRole } from "../config/roles.js";
import type { OracleConfig, ApiKeyConfig } from "../config/config.js";
import type { OracleRepos } from "../store/repos/oracle.js";
import type { ClaimRecord } from "../store/repos/claims.js";
import type { EvidenceRequest } from "../app/evidence/index.js";

/** A loan's status as a bank or servicer reports it (POST /v1/loan-status). */
export interface LoanStatusInput {
  claimId: string;
  /** Date or date-time the figures are valid at. */
  asOf: string;
  daysPastDue?: number;
  schedule?: Array<{ dueDate: string; principal: string; interest?: string }>;
  payments?: Array<{ paidAt: string; amount: string }>;
  /** Fen, decimal string. */
  outstanding: string;
  collateralValue?: string;
  /** Product and debtor type, so a co-signing daemon without the claim's record scores it alike. */
  product?: LoanRequest["product"];
  debtorType?: LoanRequest["debtorType"];
}

/** Who posted a status (its API key): decides whether it may propose a report (src/app/access.ts). */
export interface StatusSource {
  role: ApiRole;
  keyId: string;
  name: string;
  address?: string;
  worksFor?: string;
}

export interface StoredStatus extends LoanStatusInput {
  asOfUnix: number;
  receivedAt: string;
  /** The key id of the source (kept for records written before `source`). */
  by: string;
  /** Absent in records written before sources were kept: such a status proposes nothing. */
  source?: StatusSource;
}

/** A report as stored: big numbers as decimal strings. */
export type StoredReport = { [K in keyof Report]: K extends "asOf" | "outstanding" | "collateralValue" ? string : Report[K] };

/** A report on its way to the chain: written before its batch is signed by the quorum or sent. */
export interface PendingReport {
  claimId: string;
  report: StoredReport;
  /** The report's identity here (its EIP-712 struct hash); on chain it is (claimId, nonce). */
  digest: string;
  /**
   * The notice the report's noticeHash commits to: noticeHash = keccak256(abi.encode(salt, contentHash))
   * (core/commitment.ts), never the bare hash of a letter anyone could re-render from a name dictionary.
   */
  notice?: { type: NoticeType; text: string; contentHash: string; salt: string; commitment: string; recordId: string };
  transitions: string[];
  /** "signed": checked against this organisation's data, to be sent in a quorum-signed batch; "submitted": in `txHash`. */
  status: "signed" | "submitted";
  txHash?: string;
  createdAt: string;
  /** When the status that produced it was accepted (latency figures). */
  statusReceivedAt: string;
  /** Who posted that status: the report is sent only while it still acts for the claim's holder. */
  source?: StatusSource;
}

export interface AppliedReport {
  figures: { [K in keyof ReportFigures]: K extends "outstanding" | "collateralValue" ? string : ReportFigures[K] };
  /** The report's identity (PendingReport.digest). */
  digest: string;
  txHash: string;
  blockNumber: number;
  appliedAt: string;
  statusReceivedAt: string;
}

/** A report applied in a recent block, kept until the block is deep enough to be final. */
export interface RecentReport {
  claimId: string;
  digest: string;
  blockNumber: number;
  /** The report's nonce and transaction (absent in records before batch signatures). */
  nonce?: number;
  txHash?: string;
}

export interface OracleFailure {
  at: string;
  claimId: string;
  reason: string;
  message: string;
}

/** A dispute a report started: its evidence is linked once (ERC-1497). */
export interface NotedDispute {
  disputeId: string;
  claimId: string;
  evidenceSubmitted: boolean;
}

export interface CycleSummary {
  startedAt: string;
  finishedAt: string;
  considered: number;
  planned: number;
  skipped: Record<string, number>;
  submitted: number;
  applied: number;
  failed: number;
  transactions: string[];
  notices: number;
  waitingForSignatures: number;
  /** Why peers refused to co-sign this cycle's reports (reason → count; one per peer and report). */
  refusedByPeers: Record<string, number>;
  /** Applied reports found gone from the chain (reorg) and planned again. */
  reverted: number;
  /** Demand letters recorded because a claim's 诉讼时效 ends soon (src/oracle/limitation.ts). */
  limitationDemands?: number;
}

/** The oracle's settings: its part of the configuration. */
export interface OracleSettings extends Pick<OracleConfig, "enabled" | "intervalMs" | "batchSize" | "peers">, Partial<Pick<OracleConfig, "limitationDemandDays">> {
  /** Names of this organisation's accounts (a notice names the holder by its key's name). */
  apiKeys: Pick<ApiKeyConfig, "name" | "privateKey">[];
  /** This node's base URL as other organisations reach it (PUBLIC_URL): the evidence linked to a dispute names it. */
  publicUrl?: string | null;
}

/** A log with pino's call shape (fastify's logger, or main.ts's own). */
export interface OracleLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the oracle needs of the claims feature: the off-chain record of a claim (debtor, contract number). */
export interface ClaimRecords {
  get(claimId: string): Promise<ClaimRecord | undefined>;
}

/** What the oracle needs of the feeds feature: the outside data in force for a claim on a day. */
export interface FeedStates {
  stateFor(claimId: string, asOfDay: number): Promise<{ effects: FeedEffects; current: unknown[] }>;
}

/** What the oracle needs of the evidence feature: its notices recorded (once per content) before they go on chain. */
export interface NoticeRecorder {
  recordSystemMany(reqs: EvidenceRequest[]): Promise<Array<{ recordId: string; created: boolean; document?: { salt: string; commitment: string } }>>;
}

/**
 * Everything a use case of the oracle needs, passed in: no Fastify, no look-ups of siblings.
 * main.ts builds it from the configuration; the API's services plugin builds it from its own parts.
 */
export interface OracleDeps {
  repos: OracleRepos;
  chain: Pick<Chain, "provider" | "deployment" | "registry" | "clauses" | "errors" | "outbox">;
  clock: { now(): number };
  log: OracleLog;
  metrics: { chainTransactions: Counter<"kind" | "outcome"> };
  /** This organisation's oracle key (SERVICE_PRIVATE_KEY). */
  signer: Wallet;
  settings: OracleSettings;
  claims: ClaimRecords;
  feeds?: FeedStates;
  evidence: NoticeRecorder;
  /** A claim's 诉讼时效 from this node's record and evidence (src/app/limitation/of-claim.ts); without it, no limitation demands. */
  limitationOf?: (claimId: string, asOfDay: number) => Promise<{ lastDay: string; status: "running" | "expiring" | "expired" } | null>;
}

/** Open reports checked against the chain at once (concurrent calls travel as one JSON-RPC batch). */
export const SETTLE_CONCURRENCY = 100;
/** Claims planned at once: their case reads go out together; their reports are written in one batch. */
export const PLAN_CHUNK = 200;
/** Statuses whose claims are checked on chain at once when accepted. */
export const ACCEPT_CHUNK = 200;
/** Blocks after which an applied report is final (no longer re-checked for reorgs). */
export const REORG_DEPTH = 64;
/** Latency samples kept (status accepted → report applied). */
export const LATENCY_SAMPLES = 10_000;

export const toReport = (p: StoredReport): Report => ({
  ...p, asOf: BigInt(p.asOf), outstanding: BigInt(p.outstanding), collateralValue: BigInt(p.collateralValue),
});
export const fromReport = (r: Report): StoredReport => ({
  ...r, asOf: r.asOf.toString(), outstanding: r.outstanding.toString(), collateralValue: r.collateralValue.toString(),
});

export const ZERO_HASH = `0x${"0".repeat(64)}`;

/** YYYY-MM-DD of a unix time in China Standard Time (the core's dates are calendar days). */
export function dayOfUnix(unix: number): string {
  return new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

/** ISO time of the deps' clock. */
export const isoNow = (deps: Pick<OracleDeps, "clock">): string => new Date(deps.clock.now()).toISOString();
