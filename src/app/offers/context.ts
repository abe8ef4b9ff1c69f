import { Wallet } from "ethers";
import { chinaDateOfMs } from "../../core/input-fields.js";
import { NotFoundError } from "../../core/errors.js";
import { CASE_STATES, type CaseStateName } from "../../core/oracle-plan.js";
import { collectionClausesWrites } from "../../chain/contracts/CollectionClauses.js";
import { DURABLE } from "../../store/db.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import { offersOfClaim, type OfferStatus, type StoredOffer } from "../../store/repos/offers.js";
import type { StoredStatus } from "../../oracle/types.js";
import { actsForHolder, mayPropose, notHolderError, sameAddress, type Caller, type ClaimParties } from "../access.js";
import { serviceNow } from "../deps.js";
import { createKeyedSerial } from "../serial.js";
import { chainPlanHash, conflict } from "./rules.js";
import type { OffersDeps } from "./types.js";

/** A claim as an offer's use case sees it: the holder on chain, this node's record, the parties for access. */
export interface OfferClaim {
  holder: string;
  record: ClaimRecord | undefined;
  parties: ClaimParties;
}

/**
 * What the offers' use cases share, made once per Deps: one acceptance at a time per claim, the configured
 * keys' accounts (derived once, not per request), and the reads every step makes.
 */
export function createOfferContext(deps: OffersDeps) {
  const { chain, repos } = deps;
  const keyAccounts = deps.settings.apiKeys.filter((k) => k.privateKey).map((k) => ({ name: k.name, privateKey: k.privateKey!, address: new Wallet(k.privateKey!).address }));

  /** "Now": the later of the clock and the chain's (a dev chain may run ahead of the wall clock). */
  const now = () => serviceNow(deps);

  /** The claim's holder, record and parties (the dispute read only for a court: src/app/access.ts). */
  async function claimOf(claimId: string, caller?: Caller): Promise<OfferClaim> {
    if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
    const parties = await deps.access.parties(claimId, caller);
    const record = await repos.claims.get(claimId);
    return { holder: parties.holder!, record, parties };
  }

  async function caseOf(claimId: string): Promise<{ state: CaseStateName; planHash: string }> {
    const c = await chain.clauses.caseOf(claimId);
    return { state: CASE_STATES[Number(c.state)]!, planHash: String(c.planHash).toLowerCase() };
  }

  async function effectiveStatus(o: StoredOffer, nowMs?: number): Promise<OfferStatus> {
    if ((o.status === "proposed" || o.status === "pending-approval") && chinaDateOfMs(nowMs ?? (await now())) > o.offer.plan.validUntil) return "expired";
    return o.status;
  }

  return {
    deps,
    /** CollectionClauses' writes (restructure). */
    clauses: collectionClausesWrites(deps),
    /** Runs `fn` after earlier work on the same claim finished (one acceptance at a time). */
    serial: createKeyedSerial(),
    now,
    claimOf,
    caseOf,
    effectiveStatus,

    /** The claim's holder and the collectors working for it act on its offers; an admin too where said. */
    requireHolderSide(caller: Caller, claimId: string, holder: string, allowAdmin: boolean): void {
      if (actsForHolder(caller, holder) || (allowAdmin && caller.role === "admin")) return;
      throw notHolderError({ claimId, registered: true, holder, originator: null, beforeCourt: false }, { en: "act on its offers", zh: "处理其和解方案" });
    },

    /** The latest loan status of the claim's holder side (a seller's from before the sale counts for nothing). */
    async holderStatus(claimId: string, holder: string): Promise<StoredStatus | undefined> {
      const s = await repos.oracle.statuses.get(claimId);
      return s?.source && mayPropose(s.source, holder) ? s : undefined;
    },

    holderName(holder: string): string {
      return keyAccounts.find((k) => sameAddress(k.address, holder))?.name ?? holder;
    },

    /** The key that signs restructure: the holder's own (configured here), else the calling admin's. */
    restructureKey(caller: Caller, holder: string): string {
      const own = keyAccounts.find((k) => sameAddress(k.address, holder));
      if (own?.privateKey) return own.privateKey;
      if (caller.role === "admin" && caller.privateKey) return caller.privateKey;
      throw conflict(
        "holder-key-unavailable",
        `the holder ${holder} has no key in this deployment; an admin must accept so that its account restructures the case`,
        `本部署未配置持有人 ${holder} 的密钥；须由管理员确认接受，以其账户完成链上重组`,
        { holder },
      );
    },

    async load(offerId: string): Promise<StoredOffer> {
      const o = await repos.offers.offers.get(offerId.toLowerCase());
      if (!o) throw new NotFoundError("offer", offerId);
      return o;
    },

    offersOfClaim: (claimId: string) => offersOfClaim(repos.offers, claimId),

    /** An offer of the claim being accepted, or accepted and in force on chain (no other may be made or accepted). */
    async inForce(claimId: string, list: StoredOffer[], except?: string): Promise<StoredOffer | undefined> {
      const k = await caseOf(claimId);
      return list.find((o) => o.offerId !== except
        && (o.status === "accepting" || (o.status === "accepted" && k.planHash === chainPlanHash(o) && k.state === "restructured")));
    },

    /** Records the offer letter as evidence once (by its hash) and remembers the record. */
    async ensureLetter(o: StoredOffer, record: ClaimRecord | undefined): Promise<StoredOffer> {
      if (o.letter.recordId) return o;
      const { recordId } = await deps.evidence.recordSystem({
        claimId: o.claimId,
        kind: "restructuring",
        channel: o.channel,
        direction: "outbound",
        occurredAt: o.approval?.at ?? o.proposedAt,
        actor: "mediation",
        counterparty: debtorOf(o, record),
        content: o.letter.text,
      });
      const updated = { ...o, letter: { ...o.letter, recordId } };
      await repos.offers.offers.put(o.offerId, updated, DURABLE);
      return updated;
    },
  };
}

export type OfferContext = ReturnType<typeof createOfferContext>;

/** The debtor as the counterparty of a letter or acceptance (a placeholder when this node has no record). */
export function debtorOf(o: StoredOffer, record: ClaimRecord | undefined) {
  return record ? { name: record.debtor.name, relation: "debtor" as const } : { name: `debtor-of-${o.claimId}`, relation: "debtor" as const };
}
