/**
 * POST /v1/cases/:id/notice-delivery: the holder puts the proven delivery of its case's last notice on chain
 * (CollectionClauses.recordNoticeDelivery), so the due-process wait before the next step — the demand after a
 * warning, arbitration after a demand — runs from delivery (送达, 民法典第一百三十七条), not from sending.
 *
 * Nothing is taken on the holder's word: the proof must be a delivery-proof record of the claim that delivers the
 * very notice whose salted commitment the chain holds as the case's last notice, and core/delivery.ts must count it
 * (signed by the addressee's side, to the confirmed address, …); the chain takes the day it proves. The contract
 * itself refuses anyone but the holder, a second recording, and a day before sending or in the future.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { deliveryOf } from "../../core/delivery.js";
import { deliveryReason } from "../../i18n/delivery.js";
import { ChainRevertError } from "../../chain/errors.js";
import { collectionClausesWrites } from "../../chain/contracts/CollectionClauses.js";
import { mayActOn, notHolderError, type Caller } from "../access.js";
import { serviceNow, type AppDeps } from "../deps.js";
import type { ClaimAccess } from "../claims/parties.js";
import { claimRecordRefs } from "../evidence/reads.js";

const WARNED = 2;
const DEMANDED = 3;
const ZERO32 = `0x${"0".repeat(64)}`;

export function createNoticeDelivery(deps: Pick<AppDeps, "repos" | "chain" | "clock" | "metrics"> & { access: ClaimAccess }) {
  const { chain, repos } = deps;
  const clauses = collectionClausesWrites(deps);

  /** The noticeHash (salted commitment) of the case's last notice, from its CaseStateChanged events. */
  async function lastNoticeHash(claimId: string): Promise<string | null> {
    const logs = await chain.clauses.queryFilter(chain.clauses.filters.CaseStateChanged(claimId), chain.deployment.contracts.CollectionClauses?.blockNumber ?? 0);
    for (let i = logs.length - 1; i >= 0; i--) {
      const hash = (logs[i] as { args?: { noticeHash?: string } }).args?.noticeHash;
      if (hash && hash !== ZERO32) return hash.toLowerCase();
    }
    return null;
  }

  return {
    /**
     * @throws NotFoundError (claim, proof), ForbiddenError (not the holder, or no signing key), ValidationError
     *   (`proof` not a delivery proof of the claim), ConflictError (no notice awaiting delivery, another notice,
     *   not proven delivered, a day the chain refuses)
     */
    async record(caller: Caller, claimIdIn: string, body: { proof: string }) {
      const claimId = claimIdIn.toLowerCase();
      const parties = await deps.access.parties(claimId, caller);
      if (!parties.registered) throw new NotFoundError("claim", claimId);
      if (!mayActOn(caller, parties)) throw notHolderError(parties, { en: "record a notice's delivery on chain", zh: "在链上登记通知送达" });
      if ((caller.role !== "bank" && caller.role !== "amc") || !caller.privateKey) {
        throw new ForbiddenError("the holder's own signing key records a delivery on chain (a bank or AMC key)");
      }
      const proof = await repos.evidence.records.get(body.proof.toLowerCase());
      if (!proof) throw new NotFoundError("evidence record", body.proof);
      if (proof.record.claimId !== claimId || proof.record.kind !== "delivery-proof" || !proof.record.delivery) {
        throw new ValidationError("proof", "delivery-proof-of-this-claim");
      }
      const c = await chain.clauses.caseOf(claimId);
      const state = Number(c.state);
      if ((state !== WARNED && state !== DEMANDED) || Number(c.lastNoticeAt) !== Number(c.stateSince)) {
        throw new ConflictError("no-notice-awaiting-delivery", "the case has no notice whose delivery is still to be recorded (not warned or demanded, or recorded already)", { state });
      }
      const notice = await repos.evidence.records.get(proof.record.delivery.notice);
      const onChain = await lastNoticeHash(claimId);
      if (!notice?.document || notice.document.commitment.toLowerCase() !== onChain) {
        throw new ConflictError("not-the-case-notice", "the proof delivers another document than the case's last notice on chain", { notice: proof.record.delivery.notice });
      }
      const d = deliveryOf({ recordId: notice.recordId, record: notice.record }, await claimRecordRefs(repos.evidence, claimId), await serviceNow(deps));
      if (!d.delivered) {
        const why = d.proofs.find((p) => p.proof === proof.recordId) ?? d.proofs[0];
        const messages = why ? { en: deliveryReason("en", why.reason, why.vars), "zh-CN": deliveryReason("zh-CN", why.reason, why.vars) } : undefined;
        throw new ConflictError("not-proven-delivered", messages?.en ?? "no proof shows the notice reached its addressee", { ...(messages ? { messages } : {}) });
      }
      const deliveredAt = Math.floor(Date.parse(d.delivered.deliveredAt) / 1000);
      const sentAt = Number(c.lastNoticeAt);
      // Delivered the moment the chain took the notice: its period already runs from then.
      if (deliveredAt <= sentAt) return { recorded: false as const, reason: "delivered-when-sent" as const, deliveredAt: d.delivered.deliveredAt, proof: d.delivered.proof };
      try {
        const sent = await clauses.recordNoticeDelivery(chain.wallet(caller.privateKey), claimId, deliveredAt, `notice-delivery:${claimId}:${sentAt}`);
        const receipt = await sent.wait();
        return { recorded: true as const, deliveredAt: d.delivered.deliveredAt, proof: d.delivered.proof, txHash: sent.hash, blockNumber: receipt.blockNumber };
      } catch (e) {
        if (e instanceof ChainRevertError && e.errorName === "DeliveryTimeOutOfRange") {
          throw new ConflictError("delivery-time-out-of-range", `the chain takes a delivery after the notice was sent and not in the future: record it again after ${d.delivered.deliveredAt}`, { deliveredAt: d.delivered.deliveredAt });
        }
        throw e;
      }
    },
  };
}

export type NoticeDelivery = ReturnType<typeof createNoticeDelivery>;
