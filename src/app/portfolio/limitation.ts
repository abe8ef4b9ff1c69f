/**
 * A console row's limitation period (诉讼时效, or the enforcement period after a judgment): the core's main period
 * (core/limitation.ts) from the claim's record (maturity, installments) and its evidence records with their
 * delivery proofs (core/delivery.ts), as of the model's day. The holder's kind is not known to the model, so no
 * announcement counts as an AMC's (the conservative answer; GET /v1/claims/:id/limitation knows the holder).
 */
import { deliveriesOf, type RecordRef } from "../../core/delivery.js";
import { claimFromRecords } from "../../core/limitation/records.js";
import { claimPeriods } from "../../core/limitation.js";
import { DebtrailError } from "../../core/errors.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { PeriodStatus } from "../../core/limitation/types.js";

export interface RowLimitation {
  /** The last day, before any extension past rest days. */
  expiresAt: string;
  /** The last day on which the right can be exercised (moved past rest days, 民法典第二百零三条). */
  lastDay: string;
  /** running, expiring (ends within 90 days) or expired (time-barred). */
  status: PeriodStatus;
}

/** The row's main period as of the China day `today` (a day number), or null when the record cannot give one. */
export function rowLimitation(record: ClaimRecord, evidence: readonly RecordRef[], today: number): RowLimitation | null {
  try {
    const { claim } = claimFromRecords(
      {
        claimId: record.claimId, maturityAt: record.maturityAt, collateral: record.collateral != null,
        ...(record.legal?.installments ? { installments: record.legal.installments } : {}),
      },
      evidence.map((e) => ({
        recordId: e.recordId, kind: e.record.kind, ...(e.record.priorEvent ? { priorEvent: e.record.priorEvent } : {}),
        occurredAt: e.record.occurredAt, relation: e.record.counterparty?.relation ?? null, ...(e.altered ? { altered: true } : {}),
      })),
      deliveriesOf(evidence, (today + 1) * 86_400_000 - 8 * 3_600_000 - 1),
    );
    const main = claimPeriods(claim, today)[0];
    if (!main) return null;
    return { expiresAt: main.expiresAt, lastDay: main.extendedTo ?? main.expiresAt, status: main.status };
  } catch (e) {
    if (e instanceof DebtrailError) return null; // a corrupt record: no period rather than no console
    throw e;
  }
}
