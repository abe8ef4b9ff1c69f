import { ForbiddenError, NotFoundError } from "../../core/errors.js";
import type { InboundHandover, OutboundHandover } from "../../store/repos/handover.js";
import { actsForHolder, sameAddress, type Party } from "../access.js";
import type { HandoverDeps } from "./deps.js";

const lower = (s: string) => s.toLowerCase();

/** A seller's view of its handover: everything but the salt and the files. */
export function outboundView(h: OutboundHandover) {
  const { salt: _salt, manifest, ...rest } = h;
  const parts = h.parts ?? [];
  return {
    ...rest,
    manifest: { claims: manifest.claims.length, legalBasis: manifest.legalBasis },
    partsAcknowledged: parts.filter((p) => p.ackedAt).length,
    partsTotal: parts.length,
    parts: parts.map((p) => ({ claims: p.claimIds.length, ackedAt: p.ackedAt ?? null })),
  };
}

export function inboundView(h: InboundHandover) {
  const { manifest: _m, ...rest } = h;
  return { ...rest, missing: Math.max(0, h.expected - h.received.length) };
}

function forbidden(en: string, zh: string, details: Record<string, unknown> = {}): ForbiddenError {
  return new ForbiddenError(en, { ...details, messages: { en, "zh-CN": zh } });
}

/**
 * Who sees what of handovers: a seller its own sales (its bank or AMC key), a buyer the deliveries to its
 * account (its AMC key and the collectors working for it), the node's operator (admin) every status — no
 * files. A claim's loan file: the holder's side reads the file received for the holder's account; the
 * seller reads its sold copy, read-only, until its retention period ends; nobody else.
 */
export function createViews(deps: HandoverDeps) {
  const { repos } = deps;

  function seesOutbound(p: Party, h: OutboundHandover): boolean {
    return p.role === "admin" || ((p.role === "bank" || p.role === "amc") && sameAddress(p.address, h.from));
  }

  function seesInbound(p: Party, h: InboundHandover): boolean {
    return p.role === "admin" || actsForHolder(p, h.to);
  }

  /** The claim's current holder on chain (as this node's index says). */
  async function holderOf(claimId: string): Promise<string | null> {
    return (await deps.index.claim(claimId)).claim?.holder ?? null;
  }

  return {
    async outboxList(p: Party) {
      const out = [];
      for await (const h of repos.outbound.values()) if (seesOutbound(p, h)) out.push(outboundView(h));
      return { handovers: out };
    },

    async outbox(p: Party, id: string) {
      const h = await repos.outbound.get(id);
      if (!h || !seesOutbound(p, h)) throw new NotFoundError("handover", id);
      return outboundView(h);
    },

    async inboxList(p: Party) {
      const out = [];
      for await (const h of repos.inbound.values()) if (seesInbound(p, h)) out.push(inboundView(h));
      const refusals = [];
      if (p.role === "admin") for await (const r of repos.refusals.values({ reverse: true, limit: 100 })) refusals.push(r);
      return { handovers: out, ...(p.role === "admin" ? { refusals } : {}) };
    },

    async inbox(p: Party, txHash: string) {
      const h = await repos.inbound.get(lower(txHash));
      if (!h || !seesInbound(p, h)) throw new NotFoundError("handover", txHash);
      return inboundView(h);
    },

    /** The claim's loan file for the holder's side (received or handed over here) or its seller (read-only). */
    async file(p: Party, claimIdIn: string) {
      const claimId = lower(claimIdIn);
      const holder = await holderOf(claimId);
      if (holder === null) throw new NotFoundError("claim", claimId);
      if (actsForHolder(p, holder)) {
        const txHash = await repos.inLatest.get(claimId);
        const received = txHash ? await repos.inFiles.get(`${claimId}!${txHash}`) : undefined;
        if (received && sameAddress(received.to, holder)) {
          return { claimId, source: "received" as const, readOnly: false, from: received.from, txHash: txHash!, receivedAt: received.receivedAt, file: received.file, personalDataRedacted: false as const };
        }
        // A buyer this node serves itself: the files never left, the handed-over copy is the file.
        for await (const id of repos.outByClaim.values({ gt: `${claimId}!`, lt: `${claimId}!~`, reverse: true })) {
          const h = await repos.outbound.get(id);
          if (h?.status === "local" && sameAddress(h.to, holder)) {
            const file = await repos.outFiles.get(`${id}!${claimId}`);
            if (file) return { claimId, source: "local" as const, readOnly: false, from: h.from, txHash: h.txHash ?? null, receivedAt: h.soldAt ?? null, file, personalDataRedacted: false as const };
          }
        }
        throw new NotFoundError("loan file (none has arrived at this node yet: GET /v1/handover/inbox) of claim", claimId);
      }
      if (p.role === "bank" || p.role === "amc") {
        for await (const id of repos.outByClaim.values({ gt: `${claimId}!`, lt: `${claimId}!~`, reverse: true })) {
          const h = await repos.outbound.get(id);
          if (!h || !sameAddress(h.from, p.address) || (h.status !== "sending" && h.status !== "delivered" && h.status !== "local")) continue;
          const file = await repos.outFiles.get(`${id}!${claimId}`);
          if (file) return { claimId, source: "sold" as const, readOnly: true, retainUntil: h.retainUntil ?? null, to: h.to, txHash: h.txHash ?? null, file, personalDataRedacted: false as const };
        }
      }
      throw forbidden(
        `the loan file of claim ${claimId} is for its holder (${holder}) and those working for it, and read-only for its seller until the retention period ends`,
        `债权 ${claimId} 的贷款资料仅向其持有人（${holder}）及为其工作者提供，出让方在留存期内只读`,
        { claimId, holder, reason: "not-a-party" },
      );
    },
  };
}
