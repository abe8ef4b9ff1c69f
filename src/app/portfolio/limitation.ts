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
import { EXPIRING_WITHIN_DAYS, type PeriodStatus } from "../../core/limitation/types.js";
import { dayOf, formatDay } from "../../core/dates.js";
import { slicer } from "./order.js";

export interface RowLimitation {
  /** The last day, before any extension past rest days. */
  expiresAt: string;
  /** The last day on which the right can be exercised (moved past rest days, 民法典第二百零三条). */
  lastDay: string;
  /** running, expiring (ends within 90 days) or expired (time-barred). */
  status: PeriodStatus;
}

/** What a period reads of the claim's record (the console's model keeps it per row: rows.ts limitationFacts). */
export interface LimitationFacts {
  claimId: string;
  maturityAt: string;
  collateral: boolean;
  installments?: readonly string[];
}

/** The row's main period as of the China day `today` (a day number), or null when the record cannot give one. */
export function rowLimitation(record: ClaimRecord, evidence: readonly RecordRef[], today: number): RowLimitation | null {
  return periodOf({
    claimId: record.claimId, maturityAt: record.maturityAt, collateral: record.collateral != null,
    ...(record.legal?.installments ? { installments: record.legal.installments } : {}),
  }, evidence, today);
}

/** {@link rowLimitation} from the record's facts: pure (the console's assessment worker runs it for claims without evidence). */
export function periodOf(facts: LimitationFacts, evidence: readonly RecordRef[], today: number): RowLimitation | null {
  try {
    const { claim } = claimFromRecords(
      facts,
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

/** A period as the model's rows keep it: day numbers of the last day before and after rest days ({@link NO_PERIOD}: none). */
export const NO_PERIOD = -0x8000_0000;
export interface PeriodDays {
  expires: number;
  last: number;
}

/**
 * The console's limitation periods, beside the read model. A claim without evidence records (nearly all of a
 * large book) has its period from its record alone: the model computes it with the assessment, in the worker,
 * when it loads the book or the day changes (`fromModel`: the row's days, undefined for a claim the model does
 * not hold). A claim with evidence records (`claimsWithEvidence`, read once; {@link touch} adds to them) needs its
 * record and evidence read from the store: computed when first asked for and kept until the claim's evidence or
 * legal status changes or the day changes. Status (running / expiring / expired) follows from the last day and
 * the day asked about.
 */
export function createLimitations(deps: {
  records: { get(claimId: string): Promise<ClaimRecord | undefined> };
  evidence: (claimId: string) => Promise<RecordRef[]>;
  fromModel?: (claimId: string) => PeriodDays | undefined;
  claimsWithEvidence?: () => AsyncIterable<string>;
}) {
  const kept = new Map<string, { expiresAt: string; lastDay: string } | null>();
  const stale = new Set<string>();
  const withEvidence = new Set<string>();
  let evidenceRead: Promise<void> | null = null;
  let day = -1;
  let version = 0;

  async function readEvidenceClaims(): Promise<void> {
    if (!deps.claimsWithEvidence) return;
    let n = 0;
    for await (const id of deps.claimsWithEvidence()) {
      withEvidence.add(id.toLowerCase());
      if (++n % 5_000 === 0) await new Promise((r) => setImmediate(r));
    }
  }

  /** The model's days for `id`, when it answers for it (no evidence records). */
  const modelDays = (id: string): PeriodDays | undefined => (deps.fromModel && !withEvidence.has(id) ? deps.fromModel(id) : undefined);

  /** Reads the claims with evidence records, once (the model answers for the others). */
  async function ready(): Promise<void> {
    if (!deps.fromModel) return;
    evidenceRead ??= readEvidenceClaims().catch((e: unknown) => {
      evidenceRead = null;
      throw e;
    });
    await evidenceRead;
  }

  /** Computes the periods of `ids` not known for `today` (a new day starts afresh); yields now and then. */
  async function ensure(ids: Iterable<string>, today: number): Promise<void> {
    if (today !== day) {
      kept.clear();
      stale.clear();
      day = today;
      version++;
    }
    await ready();
    const s = slicer();
    for (const id of ids) {
      if (s.due()) await s.next();
      if (modelDays(id) !== undefined) continue;
      if (kept.has(id) && !stale.has(id)) continue;
      const record = await deps.records.get(id);
      const lim = record ? rowLimitation(record, await deps.evidence(id), today) : null;
      kept.set(id, lim ? { expiresAt: lim.expiresAt, lastDay: lim.lastDay } : null);
      stale.delete(id);
      version++;
    }
  }

  const statusOf = (last: number, today: number): PeriodStatus => (last < today ? "expired" : last - today <= EXPIRING_WITHIN_DAYS ? "expiring" : "running");

  /** The claim's period as of `today` (after {@link ensure}); null when unknown. */
  function of(id: string, today: number): RowLimitation | null {
    const m = modelDays(id);
    if (m !== undefined) return m.expires === NO_PERIOD ? null : { expiresAt: formatDay(m.expires), lastDay: formatDay(m.last), status: statusOf(m.last, today) };
    const k = kept.get(id);
    if (!k) return null;
    return { expiresAt: k.expiresAt, lastDay: k.lastDay, status: statusOf(dayOf(k.lastDay), today) };
  }

  /** Only the status (no strings made): what counts over a whole scope read. */
  function statusOfId(id: string, today: number): PeriodStatus | null {
    const m = modelDays(id);
    if (m !== undefined) return m.expires === NO_PERIOD ? null : statusOf(m.last, today);
    const k = kept.get(id);
    return k ? statusOf(dayOf(k.lastDay), today) : null;
  }

  return {
    ready,
    ensure,
    /** The claims whose periods are read from their evidence records, not the model's (after {@link ready}). */
    withEvidence: (): ReadonlySet<string> => withEvidence,
    of,
    status: statusOfId,
    /** A claim's evidence or legal status changed: its period is computed again when next asked for. */
    touch(ids: Iterable<string>): void {
      for (const id of ids) {
        stale.add(id.toLowerCase());
        withEvidence.add(id.toLowerCase());
      }
      version++;
    },
    /** Changes whenever a kept period does (memo keys). */
    get version() {
      return version;
    },
  };
}

export type Limitations = ReturnType<typeof createLimitations>;
