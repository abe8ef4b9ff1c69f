import { NotFoundError } from "../../core/errors.js";
import { CASE_STATES_ZH } from "../../core/oracle-plan.js";
import type { ChainIndex, TimelineItem } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { SublevelOf } from "../../store/db.js";
import { mayReadDetails, type Party } from "../access.js";
import { partiesOf } from "../claims/reads.js";

/** Rulings of CollectionClauses' meta-evidence. */
export const RULINGS = ["refused", "enforce", "dismiss", "settle"] as const;

const ZERO32 = `0x${"0".repeat(64)}`;
const iso = (unix: number) => new Date(unix * 1000).toISOString();

/** An off-chain item of a case's timeline (a feed or survey), as its service gives it. */
export interface OffChainItem {
  type: string;
  offChain: true;
  timestamp: string;
  recordId: string;
  details: Record<string, unknown>;
  provenance?: { source: string; fetchedAt: string; contentHash: string; reference?: string };
}

/**
 * Reading a case (GET /v1/cases/:id) and a dispute (GET /v1/disputes/:id): the chain's facts from the
 * chain index — state, clause terms (the claim's terms, read once at index time), the timeline of
 * reports, transitions, notices, arbitration and rulings — and, for the claim's parties, the off-chain
 * items (feeds, surveys) from the store. No JSON-RPC call; every answer names its `asOfBlock`.
 */
export interface CaseReadDeps {
  repos: {
    index: Pick<ChainIndex, "caseOf" | "dispute">;
    records: Pick<SublevelOf<ClaimRecord>, "get">;
    /** The evidence record behind a notice commitment of the timeline (src/app/evidence). */
    noticeRecordOf(commitment: string): Promise<string | undefined>;
    /** The claim's off-chain timeline items: outside-data feeds and field surveys. */
    offChainTimeline(claimId: string): Promise<OffChainItem[]>;
  };
}

/** Timeline items the route shows (the index also keeps deferred arbitrations and ERC-1497 evidence). */
const SHOWN = new Set<TimelineItem["type"]>(["report", "state-changed", "arbitration-started", "ruling-applied", "enforcement-ordered", "closed", "restructured", "notice-delivered"]);

export function createCaseReads(deps: CaseReadDeps) {
  const { index, records, noticeRecordOf, offChainTimeline } = deps.repos;

  async function itemView(item: TimelineItem, entitled: boolean) {
    const at = { txHash: item.txHash, blockNumber: item.blockNumber };
    let details: Record<string, unknown>;
    switch (item.type) {
      case "report": {
        const d = item.details;
        details = {
          nonce: d.nonce, asOf: iso(d.asOf), daysPastDue: d.daysPastDue, outstanding: d.outstanding, collateralValue: d.collateralValue,
          classification: d.classification, riskGrade: "ABCDE"[d.riskGrade], digest: d.digest,
        };
        break;
      }
      case "state-changed": {
        const d = item.details;
        const noticeRecordId = d.noticeHash && entitled ? await noticeRecordOf(d.noticeHash) : undefined;
        details = { from: d.from, to: d.to, toZh: CASE_STATES_ZH[d.to], ...(d.noticeHash ? { noticeHash: d.noticeHash } : {}), ...(noticeRecordId ? { noticeRecordId } : {}) };
        break;
      }
      case "arbitration-started":
        details = { disputeId: item.details.disputeId, daysPastDue: item.details.daysPastDue, coverageBps: Number(item.details.coverageBps) };
        break;
      case "ruling-applied":
        details = { disputeId: item.details.disputeId, ruling: RULINGS[item.details.ruling] ?? item.details.ruling };
        break;
      case "restructured":
        details = { planHash: item.details.planHash, installments: item.details.installments };
        break;
      case "notice-delivered":
        details = { deliveredAt: iso(item.details.deliveredAt), by: item.details.by };
        break;
      default:
        details = item.details as Record<string, unknown>;
    }
    return { type: item.type, ...at, details, timestamp: iso(item.timestamp) };
  }

  return {
    /** The case; its off-chain items (feeds, surveys) only for the claim's parties (src/app/access.ts). */
    async get(p: Party, claimIdIn: string) {
      const id = claimIdIn.toLowerCase();
      const [read, record] = await Promise.all([index.caseOf(id), records.get(id)]);
      const { claim } = read;
      if (!claim) throw new NotFoundError("claim", id);
      const c = read.case;
      const details = mayReadDetails(p, partiesOf(id, claim, c, record, p));
      const timeline = [];
      for (const item of read.timeline) if (SHOWN.has(item.type)) timeline.push(await itemView(item, details));
      const offChain = details ? await offChainTimeline(id) : [];
      const merged = [...timeline, ...offChain].sort((x, y) => Date.parse(x.timestamp) - Date.parse(y.timestamp));
      const state = c?.state ?? "performing";
      return {
        claimId: id,
        asOfBlock: read.asOfBlock,
        state,
        stateZh: CASE_STATES_ZH[state],
        nonce: c?.nonce ?? 0,
        lastAsOf: c?.lastReport ? iso(c.lastReport.asOf) : null,
        lastNoticeAt: c?.lastNoticeAt ? iso(c.lastNoticeAt) : null,
        disputeId: c?.disputeId ?? null,
        clauses: claim.terms.clauses,
        timeline: merged,
        ...(details ? {} : { offChainWithheld: true }),
      };
    },

    /** A dispute at the deployment's arbitrator (ERC-792). */
    async dispute(disputeId: string) {
      if (!/^\d+$/.test(disputeId) || BigInt(disputeId) === 0n) throw new NotFoundError("dispute", disputeId);
      const { dispute: d, asOfBlock } = await index.dispute(BigInt(disputeId).toString());
      if (!d) throw new NotFoundError("dispute", disputeId);
      const solved = d.status === "solved";
      return {
        disputeId,
        asOfBlock,
        claimId: d.claimId ?? ZERO32,
        arbitrable: d.arbitrable,
        choices: d.choices,
        status: d.status,
        ruling: solved && d.ruling !== null ? RULINGS[d.ruling] ?? String(d.ruling) : null,
        executed: solved,
        ruledAt: d.ruledAt === null ? null : iso(d.ruledAt),
      };
    },
  };
}

export type CaseReads = ReturnType<typeof createCaseReads>;
