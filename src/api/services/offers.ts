import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { Wallet } from "ethers";
import { classifyAndScore } from "../../core/batch.js";
import { CLASSIFICATIONS, type Classification } from "../../core/classification.js";
import { auctionPlan } from "../../core/auction.js";
import { parseMinor } from "../../core/money.js";
import { documentCommitment, newSalt } from "../../core/commitment.js";
import {
  mayApprove, proposeOffers, renderAcceptance, renderOfferLetter, trackInstallments,
  type DeclinedOffer, type InstallmentTracking, type MediationProposal, type Offer, type OfferTerms,
} from "../../core/mediation.js";
import { CASE_STATES, CASE_STATES_ZH, type CaseStateName } from "../../core/oracle-plan.js";
import type { Channel } from "../../core/evidence.js";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import { DURABLE, writeBatch, type BatchOp, type SublevelOf } from "../../store/db.js";
import type { Caller } from "../plugins/auth.js";
import type { ClaimRecord } from "./claims.js";
import type { StoredStatus as OracleStatus } from "../../oracle/types.js";
import { openOracleRepos } from "../../store/repos/oracle.js";
import { actsForHolder, mayPropose, mayReadPersonalData, notHolderError, requireReadDetails, sameAddress, type ClaimParties } from "../../app/access.js";

/** Body of POST /v1/claims/:claimId/offers. Figures are used only when the oracle has no loan status of the claim. */
export interface OfferRequest {
  outstanding?: string;
  daysPastDue?: number;
  classification?: Classification;
  collateralValue?: string;
  region?: string;
  /** Fixed lump-sum terms, or false for no lump-sum offer. */
  lumpSum?: OfferTerms | false;
  /** Fixed plan terms, or false for no plan. */
  plan?: OfferTerms | false;
  /** How the offer letter goes to the debtor (default post). */
  channel?: Channel;
}

/** Body of POST /v1/offers/:id/accept: how and when the debtor accepted. */
export interface AcceptRequest {
  channel: Channel;
  /** Default: now. */
  occurredAt?: string;
  /** Hash of the signed acceptance (scan, recording), attached to the evidence record. */
  signedCopyHash?: string;
}

export const OFFER_STATUSES = ["pending-approval", "proposed", "accepting", "accepted", "superseded", "expired"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
type StoredStatusName = Exclude<OfferStatus, "expired">;

interface Who { name: string; keyId: string; role: string }

/** The figures an offer rests on and where they came from. */
export interface OfferFacts {
  source: "loan-status" | "request";
  /** When the figures were valid (the loan status' asOf, or the proposal time). */
  asOf: string;
  outstanding: string;
  daysPastDue: number;
  classification: Classification;
  region: string | null;
  collateralValue: string | null;
}

interface StoredOffer {
  offerId: string;
  proposalId: string;
  claimId: string;
  status: StoredStatusName;
  offer: Offer;
  benchmark: MediationProposal["benchmark"];
  facts: OfferFacts;
  proposedBy: Who;
  proposedAt: string;
  channel: Channel;
  approval?: { by: Who; at: string };
  letter: { text: string; contentHash: string; recordId?: string };
  acceptance?: { text: string; contentHash: string; occurredAt: string; channel: Channel; attachments?: string[]; by: Who; recordId?: string };
  restructure?: { txHash?: string; blockNumber?: number; error?: string };
  /**
   * What CollectionClauses.restructure records: a salted commitment keccak256(abi.encode(salt, planHash))
   * (core/commitment.ts). The plan's terms are guessable (a discount in whole bps, dates near the block's,
   * the outstanding and installment count on chain), so its bare hash would give the settlement away.
   * Absent for offers stored before the commitment existed (their planHash went on chain as it was).
   */
  planCommitment?: { salt: string; commitment: string };
  acceptedAt?: string;
  outstandingAtAcceptance?: string;
  supersededBy?: string;
}

type StoredStatus = OracleStatus;

/** The plan hash as the chain has it: the salted commitment (or, for an offer from before it, the plan hash). */
const chainPlanHash = (o: StoredOffer): string => o.planCommitment?.commitment ?? o.offer.planHash;

/** States of a case a plan may start from (CollectionClauses.restructure). */
const RESTRUCTURABLE: readonly CaseStateName[] = ["overdue", "warned", "demanded"];
const ZERO32 = `0x${"0".repeat(64)}`;

/** YYYY-MM-DD of an instant in China Standard Time (letters and plans are dated in it). */
function cstDay(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

function conflict(reason: string, en: string, zh: string, details: Record<string, unknown> = {}): ConflictError {
  return new ConflictError(reason, en, { ...details, messages: { en, "zh-CN": zh } });
}

function forbidden(en: string, zh: string, details: Record<string, unknown> = {}): ForbiddenError {
  return new ForbiddenError(en, { ...details, messages: { en, "zh-CN": zh } });
}

const who = (c: Caller): Who => ({ name: c.name, keyId: c.keyId, role: c.role });

/**
 * Mediation: settlement offers for overdue claims (core: mediation.ts), their approval, the debtor's
 * acceptance and the restructuring on chain, and the installments' progress.
 *
 * Durable and idempotent: offers are on disk before they are answered; the offer letter and the acceptance
 * are recorded as evidence once (by content hash); an acceptance is stored as an intent before the
 * transaction is sent, and a retry asks the chain (caseOf(...).planHash, the outbox) before sending again.
 */
export function createOffersService(fastify: FastifyInstance) {
  const { chain, config, store } = fastify;
  const offers = store.sub<StoredOffer>("offers");
  const byClaim = store.sub<string>("offers-by-claim");
  const { statuses } = openOracleRepos(store); // the holder's loan statuses, as the oracle keeps them
  const locks = new Map<string, Promise<unknown>>();
  /** The configured keys that hold an account, with its address (derived once, not per request). */
  const keyAccounts = config.apiKeys.filter((k) => k.privateKey).map((k) => ({ name: k.name, privateKey: k.privateKey!, address: new Wallet(k.privateKey!).address }));

  /** Runs `fn` after earlier work on the same claim finished (one acceptance at a time). */
  function serial<T>(claimId: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(claimId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    locks.set(claimId, tail);
    void tail.then(() => {
      if (locks.get(claimId) === tail) locks.delete(claimId);
    });
    return next;
  }

  /** "Now": the later of this clock and the chain's (a dev chain may run ahead of the wall clock). */
  async function now(): Promise<number> {
    return Math.max(fastify.clock.now(), ((await chain.provider.getBlock("latest"))?.timestamp ?? 0) * 1000);
  }

  /** The claim's holder, record and parties (the dispute read only for a court: src/app/access.ts). */
  async function claimContext(claimId: string, caller?: Caller) {
    if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
    const parties = await fastify.claims.parties(claimId, caller);
    const record = await fastify.claims.claims.get(claimId);
    return { holder: parties.holder!, record, parties };
  }

  /** The claim's holder and the collectors working for it act on its offers; an admin too where said. */
  function requireHolderSide(caller: Caller, claimId: string, holder: string, allowAdmin: boolean): void {
    if (actsForHolder(caller, holder) || (allowAdmin && caller.role === "admin")) return;
    throw notHolderError({ claimId, registered: true, holder, originator: null, beforeCourt: false }, { en: "act on its offers", zh: "处理其和解方案" });
  }

  /** The latest loan status of the claim's holder side (a seller's from before the sale counts for nothing). */
  async function holderStatus(claimId: string, holder: string): Promise<StoredStatus | undefined> {
    const s = await statuses.get(claimId);
    return s?.source && mayPropose(s.source, holder) ? s : undefined;
  }

  function holderName(holder: string): string {
    return keyAccounts.find((k) => sameAddress(k.address, holder))?.name ?? holder;
  }

  /** The key that signs restructure: the holder's own (configured here), else the calling admin's. */
  function restructureKey(caller: Caller, holder: string): string {
    const own = keyAccounts.find((k) => sameAddress(k.address, holder));
    if (own?.privateKey) return own.privateKey;
    if (caller.role === "admin" && caller.privateKey) return caller.privateKey;
    throw conflict(
      "holder-key-unavailable",
      `the holder ${holder} has no key in this deployment; an admin must accept so that its account restructures the case`,
      `本部署未配置持有人 ${holder} 的密钥；须由管理员确认接受，以其账户完成链上重组`,
      { holder },
    );
  }

  async function caseOf(claimId: string): Promise<{ state: CaseStateName; planHash: string }> {
    const c = await chain.clauses.caseOf(claimId);
    return { state: CASE_STATES[Number(c.state)]!, planHash: String(c.planHash).toLowerCase() };
  }

  function requireRestructurable(claimId: string, state: CaseStateName): void {
    if (RESTRUCTURABLE.includes(state)) return;
    throw conflict(
      "case-state",
      `the case of claim ${claimId} is ${state}; settlement offers need an overdue, warned or demanded case`,
      `债权 ${claimId} 的案件状态为「${CASE_STATES_ZH[state]}」；仅逾期、已提醒或已催告的案件可提出和解方案`,
      { claimId, state },
    );
  }

  /** The claim's figures: the oracle's latest loan status if there is one, else the request's. */
  async function factsOf(claimId: string, holder: string, record: ClaimRecord | undefined, req: OfferRequest, nowMs: number): Promise<OfferFacts & { outstandingFen: bigint; classIndex: number }> {
    const status = await holderStatus(claimId, holder);
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    const region = (str(record?.region) ?? str(record?.collateral?.region) ?? req.region)?.toLowerCase() ?? null;
    const appraised = str(record?.collateral?.appraisedValue) ?? null;
    const product = status?.product ?? record?.product ?? "corporate";
    const debtorType = status?.debtorType ?? record?.debtor.type ?? "corporate";
    const debtorId = record?.debtor.debtorId ?? claimId;
    if (status) {
      const day = cstDay(status.asOfUnix * 1000);
      const scored = classifyAndScore({
        asOf: day,
        loans: [{
          loanId: claimId, product, debtorType, debtorId, outstanding: status.outstanding,
          ...(status.schedule ? { schedule: status.schedule, payments: status.payments ?? [] } : { daysPastDue: status.daysPastDue ?? 0 }),
        }],
      });
      const collateral = status.collateralValue ?? req.collateralValue ?? appraised;
      return {
        source: "loan-status", asOf: new Date(status.asOfUnix * 1000).toISOString(), outstanding: status.outstanding,
        daysPastDue: scored.daysPastDue[0]!, classification: CLASSIFICATIONS[scored.classIndex[0]!]!, region, collateralValue: collateral,
        outstandingFen: parseMinor(status.outstanding, "outstanding"), classIndex: scored.classIndex[0]!,
      };
    }
    if (req.outstanding === undefined) throw new ValidationError("outstanding", "required when the oracle has no loan status of the claim");
    if (req.daysPastDue === undefined) throw new ValidationError("daysPastDue", "required when the oracle has no loan status of the claim");
    const outstandingFen = parseMinor(req.outstanding, "outstanding");
    let classIndex: number;
    if (req.classification !== undefined) classIndex = CLASSIFICATIONS.indexOf(req.classification);
    else {
      classIndex = classifyAndScore({
        asOf: cstDay(nowMs),
        loans: [{ loanId: claimId, product, debtorType, debtorId, outstanding: req.outstanding, daysPastDue: req.daysPastDue }],
      }).classIndex[0]!;
    }
    const collateral = req.collateralValue ?? appraised;
    return {
      source: "request", asOf: new Date(nowMs).toISOString(), outstanding: req.outstanding, daysPastDue: req.daysPastDue,
      classification: CLASSIFICATIONS[classIndex]!, region, collateralValue: collateral, outstandingFen, classIndex,
    };
  }

  /** Records the offer letter as evidence once (by its hash) and remembers the record. */
  async function ensureLetter(o: StoredOffer, record: ClaimRecord | undefined): Promise<StoredOffer> {
    if (o.letter.recordId) return o;
    const { recordId } = await fastify.evidence.recordSystem({
      claimId: o.claimId,
      kind: "restructuring",
      channel: o.channel,
      direction: "outbound",
      occurredAt: o.approval?.at ?? o.proposedAt,
      actor: "mediation",
      counterparty: record ? { name: record.debtor.name, relation: "debtor" } : { name: `debtor-of-${o.claimId}`, relation: "debtor" },
      content: o.letter.text,
    });
    const updated = { ...o, letter: { ...o.letter, recordId } };
    await offers.put(o.offerId, updated, DURABLE);
    return updated;
  }

  async function load(offerId: string): Promise<StoredOffer> {
    const o = await offers.get(offerId.toLowerCase());
    if (!o) throw new NotFoundError("offer", offerId);
    return o;
  }

  async function effectiveStatus(o: StoredOffer, nowMs?: number): Promise<OfferStatus> {
    if ((o.status === "proposed" || o.status === "pending-approval") && cstDay(nowMs ?? (await now())) > o.offer.plan.validUntil) return "expired";
    return o.status;
  }

  function requireOpen(o: StoredOffer, status: OfferStatus): void {
    if (status === "expired") {
      throw conflict("offer-expired", `offer ${o.offerId} expired on ${o.offer.plan.validUntil}`, `和解方案 ${o.offerId} 已于 ${o.offer.plan.validUntil} 过期`, { offerId: o.offerId });
    }
    if (status === "superseded") {
      throw conflict("offer-superseded", `offer ${o.offerId} was superseded by a newer offer or an accepted one`, `和解方案 ${o.offerId} 已被新方案或已接受的方案取代`, { offerId: o.offerId, supersededBy: o.supersededBy });
    }
  }

  /** Open offers of a claim (proposed or pending approval), and whether one is being accepted or in force. */
  async function offersOfClaim(claimId: string): Promise<StoredOffer[]> {
    const out: StoredOffer[] = [];
    for await (const id of byClaim.values({ gt: `${claimId}!`, lt: `${claimId}!~` })) {
      const o = await offers.get(id);
      if (o) out.push(o);
    }
    return out;
  }

  function supersedeOps(list: StoredOffer[], keep: string | null, by: string): BatchOp[] {
    return list
      .filter((o) => o.offerId !== keep && (o.status === "proposed" || o.status === "pending-approval"))
      .map((o) => ({ type: "put" as const, sublevel: offers as SublevelOf<unknown>, key: o.offerId, value: { ...o, status: "superseded", supersededBy: by } }));
  }

  /** What a caller sees of an offer: letter and acceptance texts only with the right to personal data. */
  async function view(caller: Caller, o: StoredOffer, ctx?: { holder: string; record: ClaimRecord | undefined; parties: ClaimParties }) {
    const c = ctx ?? (await claimContext(o.claimId, caller));
    const personal = mayReadPersonalData(caller, c.parties);
    const nowMs = await now();
    const status = await effectiveStatus(o, nowMs);
    let chainCase: { state: CaseStateName; stateZh: string; planHash: string | null; planOnChain: boolean } | undefined;
    let tracking: InstallmentTracking | undefined;
    let planStatus: "in-force" | "defaulted" | "completed" | undefined;
    if (o.status === "accepting" || o.status === "accepted") {
      const k = await caseOf(o.claimId);
      chainCase = { state: k.state, stateZh: CASE_STATES_ZH[k.state], planHash: k.planHash === ZERO32 ? null : k.planHash, planOnChain: k.planHash === chainPlanHash(o) };
    }
    if (o.status === "accepted") {
      tracking = await track(o, nowMs, c.holder);
      planStatus = chainCase?.state === "closed" || tracking.completed
        ? "completed"
        : chainCase?.state === "restructured" && chainCase.planOnChain && tracking.missedCount === 0 ? "in-force" : "defaulted";
    }
    const { offer } = o;
    return {
      offerId: o.offerId,
      proposalId: o.proposalId,
      claimId: o.claimId,
      status,
      type: offer.type,
      typeZh: offer.typeZh,
      plan: offer.plan,
      planHash: offer.planHash,
      planCommitment: chainPlanHash(o),
      ...(personal && o.planCommitment ? { planSalt: o.planCommitment.salt } : {}),
      figures: offer.figures,
      authority: offer.authority,
      terms: offer.terms,
      reasons: offer.reasons,
      benchmark: o.benchmark,
      facts: o.facts,
      proposedBy: o.proposedBy,
      proposedAt: o.proposedAt,
      approval: o.approval ?? null,
      letter: { contentHash: o.letter.contentHash, recordId: o.letter.recordId ?? null, channel: o.channel, ...(personal ? { text: o.letter.text } : {}) },
      acceptance: o.acceptance
        ? {
          contentHash: o.acceptance.contentHash, recordId: o.acceptance.recordId ?? null, occurredAt: o.acceptance.occurredAt, channel: o.acceptance.channel,
          by: o.acceptance.by, ...(o.acceptance.attachments ? { attachments: o.acceptance.attachments } : {}), ...(personal ? { text: o.acceptance.text } : {}),
        }
        : null,
      restructure: o.restructure?.txHash ? { txHash: o.restructure.txHash, blockNumber: o.restructure.blockNumber ?? null } : null,
      acceptedAt: o.acceptedAt ?? null,
      supersededBy: o.supersededBy ?? null,
      case: chainCase ?? null,
      planStatus: planStatus ?? null,
      tracking: tracking ?? null,
      personalDataRedacted: !personal,
    };
  }

  /** Installments paid and missed, from the latest loan status after the plan was issued. */
  async function track(o: StoredOffer, nowMs: number, holder: string): Promise<InstallmentTracking> {
    const plan = o.offer.plan;
    const s = await holderStatus(o.claimId, holder);
    const fresh = s && o.acceptedAt && s.asOfUnix * 1000 >= Date.parse(o.acceptance?.occurredAt ?? o.acceptedAt);
    if (!s || !fresh) return trackInstallments(plan, { asOfDate: cstDay(nowMs) });
    const asOfDate = cstDay(s.asOfUnix * 1000);
    if (s.payments && s.payments.length > 0) {
      return trackInstallments(plan, { asOfDate, payments: s.payments.map((p, i) => ({ paidAt: p.paidAt, amount: parseMinor(p.amount, `payments[${i}].amount`) })) });
    }
    const before = BigInt(o.outstandingAtAcceptance ?? plan.outstanding);
    const outstanding = BigInt(s.outstanding);
    // Outstanding 0 means the plan was paid off (the bank wrote off the forgiven part).
    const paidTotal = outstanding === 0n ? BigInt(plan.total) : before > outstanding ? before - outstanding : 0n;
    return trackInstallments(plan, { asOfDate, paidTotal });
  }

  return {
    /** POST /v1/claims/:claimId/offers */
    async propose(caller: Caller, claimIdIn: string, req: OfferRequest) {
      const claimId = claimIdIn.toLowerCase();
      const { holder, record, parties } = await claimContext(claimId, caller);
      requireHolderSide(caller, claimId, holder, false);
      return serial(claimId, () => proposeLocked(caller, claimId, holder, record, parties, req));
    },

    /** POST /v1/offers/:id/approve */
    approve,

    /** POST /v1/offers/:id/accept */
    accept,

    /** An offer, for who may read its claim's off-chain details. */
    async get(caller: Caller, offerId: string) {
      const o = await load(offerId);
      const ctx = await claimContext(o.claimId, caller);
      requireReadDetails(caller, ctx.parties);
      return view(caller, o, ctx);
    },

    /** A claim's offers, for who may read its off-chain details. */
    async listForClaim(caller: Caller, claimIdIn: string) {
      const claimId = claimIdIn.toLowerCase();
      const ctx = await claimContext(claimId, caller);
      requireReadDetails(caller, ctx.parties);
      const list = await offersOfClaim(claimId);
      return { claimId, count: list.length, offers: await Promise.all(list.map((o) => view(caller, o, ctx))) };
    },
  };

  /** An offer of the claim being accepted, or accepted and in force on chain (no other may be made or accepted). */
  async function inForce(claimId: string, list: StoredOffer[], except?: string): Promise<StoredOffer | undefined> {
    const k = await caseOf(claimId);
    return list.find((o) => o.offerId !== except
      && (o.status === "accepting" || (o.status === "accepted" && k.planHash === chainPlanHash(o) && k.state === "restructured")));
  }

  function planInForce(claimId: string, busy: StoredOffer): ConflictError {
    return conflict("plan-in-force", `offer ${busy.offerId} of claim ${claimId} is being accepted or in force`, `债权 ${claimId} 的和解方案 ${busy.offerId} 正在确认或正在履行`, { offerId: busy.offerId });
  }

  async function proposeLocked(caller: Caller, claimId: string, holder: string, record: ClaimRecord | undefined, parties: ClaimParties, req: OfferRequest) {
    const nowMs = await now();
    const facts = await factsOf(claimId, holder, record, req, nowMs);
    const existing = await offersOfClaim(claimId);
    const busy = await inForce(claimId, existing);
    if (busy) throw planInForce(claimId, busy);
    requireRestructurable(claimId, (await caseOf(claimId)).state);
    const asOfDate = cstDay(nowMs);
    let collateral: bigint | undefined;
    if (facts.collateralValue !== null) collateral = parseMinor(facts.collateralValue, "collateralValue");
    const proposal = proposeOffers(
      {
        claimId, outstanding: facts.outstandingFen, classIndex: facts.classIndex, daysPastDue: facts.daysPastDue,
        region: facts.region ?? undefined, auctionProceeds: collateral && collateral > 0n ? auctionPlan(collateral).expectedProceeds : undefined,
        asOfDate, currency: record?.currency ?? "CNY",
      },
      { proposerRole: caller.role, lumpSum: req.lumpSum, plan: req.plan },
    );
    const proposalId = randomUUID();
    const proposedAt = new Date(nowMs).toISOString();
    const creditor = holderName(holder);
    const { outstandingFen: _o, classIndex: _c, ...offerFacts } = facts;
    const stored: StoredOffer[] = proposal.offers.map((offer) => {
      const letter = renderOfferLetter({ plan: offer.plan, planHash: offer.planHash, contractNo: record?.contractNo, debtorName: record?.debtor.name, creditor, daysPastDue: facts.daysPastDue });
      const salt = newSalt();
      return {
        offerId: randomUUID(), proposalId, claimId, status: offer.status, offer, benchmark: proposal.benchmark, facts: offerFacts,
        proposedBy: who(caller), proposedAt, channel: req.channel ?? "post", letter,
        planCommitment: { salt, commitment: documentCommitment(salt, offer.planHash) },
      };
    });
    if (stored.length > 0) {
      const ops: BatchOp[] = [...supersedeOps(existing, null, proposalId)];
      for (const o of stored) {
        ops.push({ type: "put", sublevel: offers as SublevelOf<unknown>, key: o.offerId, value: o });
        ops.push({ type: "put", sublevel: byClaim as SublevelOf<unknown>, key: `${claimId}!${proposedAt}!${o.offerId}`, value: o.offerId });
      }
      await writeBatch(store, ops);
    }
    const issued: StoredOffer[] = [];
    for (const o of stored) issued.push(o.status === "proposed" ? await ensureLetter(o, record) : o);
    const ctx = { holder, record, parties };
    return {
      proposalId: stored.length > 0 ? proposalId : null,
      claimId,
      asOfDate,
      facts: offerFacts,
      benchmark: proposal.benchmark,
      paths: proposal.advice.paths,
      offers: await Promise.all(issued.map((o) => view(caller, o, ctx))),
      declined: proposal.declined as DeclinedOffer[],
      parameters: proposal.parameters,
    };
  }

  async function approve(caller: Caller, offerId: string) {
    const first = await load(offerId);
    return serial(first.claimId, async () => {
      const o = await load(offerId);
      const { holder, record, parties } = await claimContext(o.claimId, caller);
      // Before anything is answered: a repeated approval must not show a stranger the offer.
      if (caller.role !== "admin" && !sameAddress(caller.address, holder)) {
        throw forbidden(`only the claim's holder (${holder}) or an admin approves its offers`, `仅债权持有人（${holder}）或管理员可审批其和解方案`, { holder });
      }
      const status = await effectiveStatus(o);
      if (o.approval && status !== "pending-approval") return view(caller, await ensureLetter(o, record), { holder, record, parties });
      requireOpen(o, status);
      if (status !== "pending-approval") {
        throw conflict("not-pending-approval", `offer ${o.offerId} is ${status}, not waiting for approval`, `和解方案 ${o.offerId} 当前为「${status}」，无需审批`, { offerId: o.offerId, status });
      }
      const { discountBps, installments } = o.offer.figures;
      if (!o.offer.authority.approverRoles.includes(caller.role) || !mayApprove(caller.role, discountBps, installments)) {
        throw forbidden(
          `role ${caller.role} may not approve this offer; it needs ${o.offer.authority.approverRoles.join(" or ")}`,
          `角色 ${caller.role} 无权审批该方案；需由 ${o.offer.authority.approverRoles.join(" 或 ")} 审批`,
          { approverRoles: o.offer.authority.approverRoles },
        );
      }
      const approved: StoredOffer = { ...o, status: "proposed", approval: { by: who(caller), at: new Date(await now()).toISOString() } };
      await offers.put(o.offerId, approved, DURABLE);
      return view(caller, await ensureLetter(approved, record), { holder, record, parties });
    });
  }

  async function accept(caller: Caller, offerId: string, req: AcceptRequest) {
    const first = await load(offerId);
    return serial(first.claimId, async () => {
      let o = await load(offerId);
      const { holder, record, parties } = await claimContext(o.claimId, caller);
      requireHolderSide(caller, o.claimId, holder, true);
      if (o.status === "accepted") return view(caller, o, { holder, record, parties });
      /** An acceptance interrupted before (a crash, a timeout): its transaction may be out already. */
      const resumed = o.status === "accepting";
      const nowMs = await now();
      if (o.status !== "accepting") {
        const status = await effectiveStatus(o, nowMs);
        requireOpen(o, status);
        if (status === "pending-approval") {
          throw conflict("needs-approval", `offer ${o.offerId} needs approval by ${o.offer.authority.approverRoles.join(" or ")} before the debtor can accept it`, `和解方案 ${o.offerId} 须经 ${o.offer.authority.approverRoles.join(" 或 ")} 审批后方可由债务人接受`, { offerId: o.offerId, approverRoles: o.offer.authority.approverRoles });
        }
        const busy = await inForce(o.claimId, await offersOfClaim(o.claimId), o.offerId);
        if (busy) throw planInForce(o.claimId, busy);
        requireRestructurable(o.claimId, (await caseOf(o.claimId)).state);
        restructureKey(caller, holder); // fail before anything is recorded
        const occurred = req.occurredAt !== undefined ? Date.parse(req.occurredAt) : nowMs;
        if (Number.isNaN(occurred)) throw new ValidationError("occurredAt", "iso-8601-date-time");
        if (occurred > nowMs + 5 * 60_000) throw new ValidationError("occurredAt", "not-in-the-future");
        if (cstDay(occurred) < o.offer.plan.issuedOn) throw new ValidationError("occurredAt", "not-before-the-offer");
        if (cstDay(occurred) > o.offer.plan.validUntil) {
          throw conflict("offer-expired", `the acceptance came after the offer expired (${o.offer.plan.validUntil})`, `接受时间晚于方案有效期（${o.offer.plan.validUntil}）`, { offerId: o.offerId });
        }
        const rendered = renderAcceptance({
          plan: o.offer.plan, planHash: o.offer.planHash, offerId: o.offerId, debtorName: record?.debtor.name,
          creditor: holderName(holder), acceptedOn: cstDay(occurred), channel: req.channel,
        });
        const intent: StoredOffer = {
          ...o,
          status: "accepting",
          acceptance: {
            text: rendered.text, contentHash: rendered.contentHash, occurredAt: new Date(occurred).toISOString(), channel: req.channel,
            ...(req.signedCopyHash ? { attachments: [req.signedCopyHash.toLowerCase()] } : {}), by: who(caller),
          },
          outstandingAtAcceptance: o.facts.outstanding,
        };
        const latest = await statuses.get(o.claimId);
        if (latest) intent.outstandingAtAcceptance = latest.outstanding;
        // The intent first: a crash from here on is finished by a retry, which asks the chain before sending.
        await writeBatch(store, [
          ...supersedeOps(await offersOfClaim(o.claimId), o.offerId, o.offerId),
          { type: "put", sublevel: offers as SublevelOf<unknown>, key: o.offerId, value: intent },
        ]);
        o = intent;
      }
      o = await ensureLetter(o, record);
      const a = o.acceptance!;
      if (!a.recordId) {
        const { recordId } = await fastify.evidence.recordSystem({
          claimId: o.claimId,
          kind: "restructuring",
          channel: a.channel,
          direction: "inbound",
          occurredAt: a.occurredAt,
          actor: `mediation:${a.by.keyId}`,
          counterparty: record ? { name: record.debtor.name, relation: "debtor" } : { name: `debtor-of-${o.claimId}`, relation: "debtor" },
          content: a.text,
          ...(a.attachments ? { attachments: a.attachments } : {}),
        });
        o = { ...o, acceptance: { ...a, recordId } };
        await offers.put(o.offerId, o, DURABLE);
      }
      o = await restructureOnChain(caller, o, holder, resumed);
      return view(caller, o, { holder, record, parties });
    });
  }

  /**
   * CollectionClauses.restructure(claimId, planHash, installments) with the holder's key, exactly once:
   * done already when the case carries the plan's hash; a transaction sent before (stored, or — for a resumed
   * acceptance — found in the outbox by its tag) is waited for rather than sent again.
   */
  async function restructureOnChain(caller: Caller, o: StoredOffer, holder: string, resumed: boolean): Promise<StoredOffer> {
    const planHash = chainPlanHash(o);
    const n = o.offer.plan.installments.length;
    const done = async (txHash?: string, blockNumber?: number): Promise<StoredOffer> => {
      const accepted: StoredOffer = {
        ...o, status: "accepted", acceptedAt: o.acceptedAt ?? new Date(await now()).toISOString(),
        restructure: { txHash: txHash ?? o.restructure?.txHash, blockNumber: blockNumber ?? o.restructure?.blockNumber },
      };
      await offers.put(o.offerId, accepted, DURABLE);
      return accepted;
    };
    const onChain = async () => (await caseOf(o.claimId)).planHash === planHash;
    const tag = `restructure:${o.offerId}`;
    try {
      let entry = o.restructure?.txHash ? await chain.outbox.get(o.restructure.txHash) : undefined;
      // Only a resumed acceptance can have sent one without remembering it (the outbox scan is not for hot paths).
      if (!entry && resumed) entry = (await chain.outbox.findByTag(tag)).find((e) => e.status === "sent" || e.status === "mined");
      if (!entry && (await onChain())) return await done();
      if (!entry) {
        const data = chain.clauses.interface.encodeFunctionData("restructure", [o.claimId, planHash, n]);
        entry = await chain.outbox.send(chain.wallet(restructureKey(caller, holder)), { to: chain.deployment.contracts.CollectionClauses.address, data }, tag);
        o = { ...o, restructure: { txHash: entry.hash } };
        await offers.put(o.offerId, o, DURABLE);
      }
      const receipt = await chain.outbox.wait(entry);
      return await done(receipt.hash, receipt.blockNumber);
    } catch (e) {
      if (!(e instanceof ChainRevertError)) throw e;
      if (await onChain()) return await done();
      // The chain refused: the offer goes back to proposed (the acceptance stays recorded as evidence).
      await offers.put(o.offerId, { ...o, status: "proposed", restructure: { error: e.errorName } }, DURABLE);
      const { state } = await caseOf(o.claimId);
      if (e.errorName === "TransitionNotAllowed" || e.errorName === "CaseAlreadyClosed") requireRestructurable(o.claimId, state);
      if (e.errorName === "NotClaimHolder") {
        throw conflict("not-holder", `the signing account does not hold claim ${o.claimId}`, `签名账户并非债权 ${o.claimId} 的持有人`, { claimId: o.claimId });
      }
      throw e;
    }
  }
}

export type OffersService = ReturnType<typeof createOffersService>;
