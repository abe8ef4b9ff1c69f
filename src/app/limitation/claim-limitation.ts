/**
 * GET /v1/claims/:id/limitation: a registered claim's legal periods computed from its own records — the
 * maturity from its off-chain record, its evidence records as events (core/limitation/records.ts), its
 * holder from the chain. For the claim's parties only (src/app/access.ts: who may read its off-chain
 * details), since the answer is read from them.
 *
 * Dependencies are explicit; the clock is one of them (the core never reads it).
 */
import type { Lang } from "../../i18n/messages.js";
import { recordNote } from "../../i18n/limitation-records.js";
import { NotFoundError } from "../../core/errors.js";
import { chinaDay, chinaDayOfMs } from "../../core/input-fields.js";
import { claimPeriods, renderLimitation, type PeriodReport } from "../../core/limitation.js";
import { claimFromRecords, type ClaimFacts, type LimitationRecord, type RecordUse } from "../../core/limitation/records.js";
import type { Holder } from "../../core/limitation/types.js";
import { formatDay } from "../../core/dates.js";
import { requireReadDetails, sameAddress, type ClaimParties, type Party } from "../access.js";
import type { AppDeps } from "../deps.js";
import type { ClaimAccess } from "../claims/parties.js";
import type { Evidence } from "../evidence/index.js";
import type { DeliveryMethod } from "../../core/delivery-record.js";
import { deliveriesOf, type DeliveryReason, type NoticeDelivery, type RecordRef } from "../../core/delivery.js";
import { deliveryReason } from "../../i18n/delivery.js";
import { claimCatalogue, claimInterruptionProof, type ClaimProofDeps } from "./proofs.js";
import { verifyInterruptionProofOnChain } from "../../chain/verify-proof.js";

const ZERO32 = "0x" + "0".repeat(64);

export interface ClaimLimitationDeps {
  /** The claim's parties for the access decision (the dispute only for a court). */
  parties(claimId: string, caller: Party): Promise<ClaimParties>;
  /**
   * The claim's maturity and whether collateral secures it (from this node's record, else the chain's terms), and
   * from the record's legal terms its installments and guarantee.
   */
  terms(claimId: string): Promise<Pick<ClaimFacts, "maturityAt" | "collateral" | "installments" | "guarantee">>;
  /** The claim's evidence records in hash-chain order (altered ones marked), and whether the chain is complete. */
  evidence(claimId: string): Promise<{ complete: boolean; entries: RecordRef[] }>;
  /** Accounts this node knows as AMCs and as banks (its API keys' accounts). */
  accountsOf(role: "amc" | "bank"): readonly string[];
  /** Now, in ms since the epoch. */
  now(): number;
}

/** Who holds the claim, as far as the limitation rules care (only an AMC's announcement interrupts). */
export type HolderKind = Holder | "unknown";

/**
 * The holder's kind from what is known without taking anyone's word: the originating bank still holding
 * it, or an account this node's keys name as an AMC or a bank. An unknown holder is not taken for an AMC.
 */
export function holderKind(parties: ClaimParties, deps: Pick<ClaimLimitationDeps, "accountsOf">): HolderKind {
  const { holder, originator } = parties;
  if (!holder) return "unknown";
  if (sameAddress(holder, originator)) return "bank";
  if (deps.accountsOf("amc").some((a) => sameAddress(a, holder))) return "amc";
  if (deps.accountsOf("bank").some((a) => sameAddress(a, holder))) return "bank";
  return "unknown";
}

export interface ClaimLimitationReport {
  id: string;
  asOf: string;
  holder: { account: string; kind: HolderKind };
  periods: PeriodReport[];
  evidence: { count: number; complete: boolean };
  /** Each record read: the event it became (named in the basis), or why it is not counted. */
  records: Array<Omit<RecordUse, "note"> & { noteCode?: RecordUse["note"]; note?: string }>;
  /** Each notice with delivery proofs: its proven delivery (core/delivery.ts) and what each proof counted for. */
  deliveries: Array<{
    notice: string;
    delivered: NoticeDelivery["delivered"];
    proofs: Array<{ proof: string; method: DeliveryMethod; counted: boolean; reasonCode: DeliveryReason; reason: string }>;
  }>;
}

/** The last instant (ms) of a China calendar day. */
export function endOfChinaDay(day: number): number {
  return (day + 1) * 86_400_000 - 8 * 3_600_000 - 1;
}

/** A claim's records as the limitation mapping reads them. */
export function limitationRecords(entries: readonly RecordRef[]): LimitationRecord[] {
  return entries.map((e) => ({
    recordId: e.recordId, kind: e.record.kind, ...(e.record.priorEvent ? { priorEvent: e.record.priorEvent } : {}),
    occurredAt: e.record.occurredAt, relation: e.record.counterparty?.relation ?? null, ...(e.altered ? { altered: true } : {}),
  }));
}

/**
 * The claim's periods as of `asOf` (default: today in China), reasons and notes in `lang`.
 * @throws NotFoundError when the claim is not registered; ForbiddenError for a caller who is not a party;
 *   ValidationError naming `asOf` when it is not a date
 */
export async function claimLimitation(
  deps: ClaimLimitationDeps, caller: Party, claimIdIn: string, q: { asOf?: string; lang: Lang },
): Promise<ClaimLimitationReport> {
  const claimId = claimIdIn.toLowerCase();
  const asOf = q.asOf !== undefined ? chinaDay(q.asOf, "asOf") : chinaDayOfMs(deps.now());
  const parties = await deps.parties(claimId, caller);
  if (!parties.registered) throw new NotFoundError("claim", claimId);
  requireReadDetails(caller, parties);
  const [terms, evidence] = await Promise.all([deps.terms(claimId), deps.evidence(claimId)]);
  const kind = holderKind(parties, deps);
  const deliveries = deliveriesOf(evidence.entries, endOfChinaDay(asOf));
  const { claim, uses } = claimFromRecords(
    { claimId, ...terms, ...(kind !== "unknown" ? { holder: kind } : {}) },
    limitationRecords(evidence.entries),
    deliveries,
  );
  const [result] = renderLimitation([{ id: claimId, periods: claimPeriods(claim, asOf) }], q.lang).results;
  return {
    id: claimId,
    asOf: formatDay(asOf),
    holder: { account: parties.holder!, kind },
    periods: result!.periods,
    evidence: { count: evidence.entries.length, complete: evidence.complete },
    records: uses.map(({ note, ...u }) => ({ ...u, ...(note ? { noteCode: note, note: recordNote(q.lang, note) } : {}) })),
    deliveries: [...deliveries.values()].map((d) => ({
      notice: d.notice,
      delivered: d.delivered,
      proofs: d.proofs.map((x) => ({ proof: x.proof, method: x.method, counted: x.counted, reasonCode: x.reason, reason: deliveryReason(q.lang, x.reason, x.vars) })),
    })),
  };
}

/** A collateral description secures the claim unless it says it is unsecured. */
function secured(collateral: unknown): boolean {
  if (!collateral || typeof collateral !== "object") return false;
  const type = (collateral as { type?: unknown }).type;
  return !(typeof type === "string" && type.trim().toLowerCase() === "unsecured");
}

/**
 * GET /v1/claims/:id/limitation over the application's Deps: the claim's record (else the chain's terms), its
 * evidence hash chain, the accounts of this node's API keys.
 */
export function createClaimLimitation(deps: Pick<AppDeps, "repos" | "chain" | "clock"> & {
  access: ClaimAccess; accounts: ReadonlyArray<{ role: string; address?: string }>; evidence: Pick<Evidence, "proofEntries">;
}) {
  const limitation = claimLimitationDeps(deps);
  const proofs: ClaimProofDeps = {
    async facts(caller, claimId) {
      const parties = await limitation.parties(claimId, caller);
      if (!parties.registered) throw new NotFoundError("claim", claimId);
      requireReadDetails(caller, parties);
      const terms = await limitation.terms(claimId);
      return {
        maturityAt: terms.maturityAt, collateral: terms.collateral, holder: holderKind(parties, limitation),
        ...(terms.installments ? { installments: [...terms.installments] } : {}),
      };
    },
    entries: (claimId) => deps.evidence.proofEntries(claimId, true),
    events(claimId, entries, facts, asOf) {
      const { uses } = claimFromRecords(
        {
          claimId, maturityAt: facts.maturityAt, collateral: facts.collateral,
          ...(facts.holder !== "unknown" ? { holder: facts.holder } : {}), ...(facts.installments ? { installments: facts.installments } : {}),
        },
        limitationRecords(entries), deliveriesOf(entries, endOfChinaDay(asOf)),
      );
      return new Map(uses.filter((u) => u.event !== null).map((u) => [u.recordId, u.event!]));
    },
    now: () => deps.clock.now(),
  };
  return {
    ofClaim: (caller: Party, claimId: string, q: { asOf?: string; lang: Lang }) => claimLimitation(limitation, caller, claimId, q),
    /** GET /v1/claims/:id/evidence-catalogue (证据目录). */
    catalogue: (caller: Party, claimId: string, q: { asOf?: string }) => claimCatalogue(proofs, caller, claimId, q),
    /** GET /v1/claims/:id/interruption-proof (时效中断证明). */
    interruptionProof: (caller: Party, claimId: string, q: { asOf?: string }) => claimInterruptionProof(proofs, caller, claimId, q),
    /** POST /v1/verify/interruption-proof: anyone; the proof against this node's chain and ClaimRegistry. */
    verifyProof: (proof: unknown) => verifyInterruptionProofOnChain(proof, deps.chain.provider, deps.chain.deployment.contracts.ClaimRegistry.address),
  };
}

function claimLimitationDeps(deps: Parameters<typeof createClaimLimitation>[0]): ClaimLimitationDeps {
  const { repos, chain } = deps;
  return {
    parties: (claimId, caller) => deps.access.parties(claimId, caller),
    async terms(claimId) {
      const record = await repos.claims.get(claimId);
      if (record) {
        const g = record.legal?.guarantors?.[0];
        return {
          maturityAt: record.maturityAt, collateral: secured(record.collateral),
          ...(record.legal?.installments ? { installments: record.legal.installments } : {}),
          ...(g ? { guarantee: { type: g.type, ...(g.periodEndsAt ? { periodEndsAt: g.periodEndsAt } : {}) } } : {}),
        };
      }
      // No loan file here: the chain's terms (its maturity and whether a collateral commitment was registered),
      // which the registration's event carries.
      const [ev] = await chain.registry.queryFilter(chain.registry.filters.ClaimRegistered(claimId), chain.deployment.contracts.ClaimRegistry.blockNumber);
      if (!ev) throw new NotFoundError("claim", claimId);
      return { maturityAt: new Date(Number(ev.args.maturityAt) * 1000).toISOString(), collateral: ev.args.collateralHash !== ZERO32 };
    },
    evidence: (claimId) => deps.evidence.proofEntries(claimId, false),
    accountsOf: (role) => deps.accounts.filter((c) => c.role === role && c.address).map((c) => c.address!),
    now: () => deps.clock.now(),
  };
}

export type ClaimLimitation = ReturnType<typeof createClaimLimitation>;
