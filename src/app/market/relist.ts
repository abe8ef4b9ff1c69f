import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { parseMinor } from "../../core/money.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import { canonicalJson } from "../../core/canonical.js";
import { keccak256, toUtf8Bytes } from "ethers";
import {
  MAX_RELIST_CLAIMS, relistAdvice, relistedListingId, unsoldOutcome, type RelistAdvice, type RelistClaim, type RelistOptionId, type RelistReason,
} from "../../core/market/relist.js";
import { roleId } from "../../chain/roles.js";
import { TypedBatch } from "../../store/db.js";
import type { ListingRecord, RelistRecord } from "../../store/repos/market.js";
import type { Lang } from "../../i18n/messages.js";
import { relistReasonText } from "../../i18n/relist.js";
import type { Caller } from "../access.js";
import { isoNow, serviceNow } from "../deps.js";
import type { MarketDeps } from "./deps.js";
import type { ListingRequest } from "./seller.js";
import type { ListingLabels } from "./labels.js";

/** The seller's listing use case's two halves (./seller.ts): a record checked and built, and its sending exactly once. */
export interface ListingWriter {
  prepare(caller: Caller, req: ListingRequest, fixed: { listingId: string; relistOf: NonNullable<ListingRecord["relistOf"]> }): Promise<ListingRecord>;
  send(caller: Caller, record: ListingRecord): Promise<{ listing: ListingRecord; blockNumber: number }>;
  /** Labels as the seller's package ids (./labels.ts): each part's label reserved when its record is written. */
  labels: Pick<ListingLabels, "holder" | "write">;
}

export type RelistDeps = MarketDeps & {
  /** Each claim assessed as of `today` (YYYY-MM-DD) at the seller's node: value range, disposal model, limitation (./relist-sources.ts). */
  assessForRelist(caller: Caller, claimIds: readonly string[], today: string): Promise<RelistClaim[]>;
  listings: ListingWriter;
};

export interface RelistRequest {
  option: RelistOptionId;
  /** One per part of the option, in its order: the reserve (omitted: the advised one), sealed or not, the deposit. */
  parts: Array<{ reserve?: string; hideReserve?: boolean; deposit: string }>;
  commitEnd: number;
  revealEnd: number;
  executionPeriodSeconds: number;
}

const YEAR_S = 366 * 86_400;

/** Advice on the wire: fen as decimal strings, reasons with their text in `lang` when asked. */
function wireReasons(reasons: readonly RelistReason[], lang?: Lang) {
  return reasons.map((r) => ({ code: r.code, params: r.params, ...(lang ? { text: relistReasonText(lang, r) } : {}) }));
}
const range = (v: { p10: bigint; p50: bigint; p90: bigint }) => ({ p10: v.p10.toString(), p50: v.p50.toString(), p90: v.p90.toString() });

export function toWireAdvice(a: RelistAdvice, lang?: Lang) {
  return {
    listingId: a.listingId, outcome: a.outcome, reasons: wireReasons(a.reasons, lang), recommended: a.recommended, window: a.window,
    withdraw: a.withdraw.map((w) => ({ claimId: w.claimId, path: w.path, pathValue: w.pathValue.toString(), saleValue: w.saleValue.toString(), reasons: wireReasons(w.reasons, lang) })),
    options: a.options.map((o) => ({
      id: o.id, reasons: wireReasons(o.reasons, lang),
      parts: o.parts.map((p) => ({
        key: p.key, claimIds: p.claimIds, balance: p.balance.toString(), value: range(p.value), saleValue: p.saleValue.toString(),
        bidShare: p.bidShare === null ? null : p.bidShare.toString(), licensedAmcOnly: p.licensedAmcOnly, reserve: p.reserve.toString(), reasons: wireReasons(p.reasons, lang),
      })),
    })),
  };
}

/**
 * A package that did not sell (issue 19): the disposal model's advice to its seller — relist whole at a new reserve,
 * split, withdraw claims worth more collected — and the relist itself, through the listing use case, exactly once:
 * the new listings' ids derive from the old listing's and the part's index, the plan and every part's record are
 * written before anything is sent, and a retry of the same plan (after a crash, a lost answer or a second click)
 * resumes it — waiting for a transaction sent before, taking a listing the chain has as listed — never listing
 * twice; the contract refuses a second listing under the same id anyway (ListingExists).
 */
export function createMarketRelist(deps: RelistDeps) {
  const { repos } = deps;
  const { relists, listings } = repos.market;

  /** The unsold listing, its seller's only; 404 unknown, 403 another's, 409 not (yet) unsold. */
  async function unsold(caller: Caller, listingId: string) {
    const id = listingId.toLowerCase();
    const { listing, bids } = await deps.index.listing(id);
    if (!listing) throw new NotFoundError("listing", listingId);
    if (!caller.address || listing.seller.toLowerCase() !== caller.address.toLowerCase()) throw new ForbiddenError("only the listing's seller may see its advice or relist it", { listingId: id, rule: "seller-only" });
    // A defaulted winner's bid was not a real one: the advice reads the others.
    const defaulters = new Set(listing.defaults.filter((d) => !d.sellerDefaulted).map((d) => d.defaulter.toLowerCase()));
    const revealedBids = bids.filter((b) => b.amount !== null && !defaulters.has(b.bidder.toLowerCase())).map((b) => BigInt(b.amount!));
    if (unsoldOutcome({ status: listing.status, bidCount: listing.bidders.length, revealedBids }) === null) {
      throw new ConflictError("listing-not-unsold", `listing ${id} is ${listing.status}: no relist advice`, { field: "listingId", status: listing.status });
    }
    if (listing.claimIds.length > MAX_RELIST_CLAIMS) throw new ValidationError("listingId", `array-of-at-most-${MAX_RELIST_CLAIMS}`);
    return { listing, revealedBids };
  }

  async function advise(caller: Caller, listingId: string) {
    const { listing, revealedBids } = await unsold(caller, listingId);
    const nowMs = await serviceNow(deps);
    const claims = await deps.assessForRelist(caller, listing.claimIds, chinaDateOfMs(nowMs));
    const advice = relistAdvice({
      listingId: listing.listingId, status: listing.status, reserve: listing.reserve === null ? null : BigInt(listing.reserve), bidCount: listing.bidders.length,
      revealedBids, sellerIsOriginator: await deps.chain.registry.hasRole(roleId("ORIGINATOR"), listing.seller),
      listedAt: listing.listedAt, commitEnd: listing.commitEnd, revealEnd: listing.revealEnd, executionPeriod: listing.executionPeriod,
    }, claims, Math.floor(nowMs / 1000));
    return { listing, advice, nowMs };
  }

  /** Sends every part of a relist written before (each exactly once), and marks it listed. */
  async function resume(caller: Caller, rec: RelistRecord, resumed: boolean) {
    const out = [];
    for (const part of rec.parts) {
      const record = await listings.get(part.listingId);
      if (!record) throw new NotFoundError("listing", part.listingId);
      const { listing, blockNumber } = await deps.listings.send(caller, record);
      out.push({ listingId: listing.listingId, key: part.key, claimIds: listing.claimIds, reserve: listing.reserve, reserveHidden: listing.reserveHidden, licensedAmcOnly: listing.licensedAmcOnly, txHash: listing.txHash ?? null, blockNumber });
    }
    if (rec.status !== "listed") {
      rec.status = "listed";
      await relists.put(rec.listingId, rec, { sync: true });
    }
    return { listingId: rec.listingId, option: rec.option, withdrawn: rec.withdrawn, listings: out, resumed };
  }

  return {
    /** The advice for the caller's unsold listing, with the relist already made of it, if any. */
    async advice(caller: Caller, listingId: string, lang?: Lang) {
      const { advice } = await advise(caller, listingId);
      const done = await relists.get(advice.listingId.toLowerCase());
      return { ...toWireAdvice(advice, lang), relisted: done ? { option: done.option, status: done.status, listings: done.parts.map((p) => p.listingId) } : null };
    },

    /**
     * Relists the caller's unsold listing as the advice's `option` (whole, or a split), without the claims the advice
     * withdraws. The same request again returns the same new listings; another plan after one was made is refused.
     */
    async relist(caller: Caller, listingId: string, req: RelistRequest) {
      const id = listingId.toLowerCase();
      const requestHash = keccak256(toUtf8Bytes(canonicalJson({
        option: req.option, commitEnd: req.commitEnd, revealEnd: req.revealEnd, executionPeriodSeconds: req.executionPeriodSeconds,
        parts: req.parts.map((p) => ({ reserve: p.reserve ?? null, hideReserve: p.hideReserve === true, deposit: p.deposit })),
      })));
      // One relist of a listing at a time, across this store's processes: a concurrent retry waits, then resumes.
      return repos.store.exclusive(`market-relist:${id}`, async () => {
        await unsold(caller, id); // the seller's, and unsold: checked again on a retry
        const known = await relists.get(id);
        if (known?.requestHash === requestHash) return resume(caller, known, true);
        if (known) {
          // Another plan: refused once anything of the first may be on chain. A plan none of whose parts went out
          // (each failed before sending: a window already past, a claim moved meanwhile) gives way to the new one.
          const parts = await Promise.all(known.parts.map((p) => listings.get(p.listingId)));
          if (!parts.every((r) => r?.status === "failed")) {
            throw new ConflictError("relist-exists", `listing ${id} was relisted already as ${known.option}`, { field: "option", listings: known.parts.map((p) => p.listingId).join(", ") });
          }
        }
        const { listing, advice, nowMs } = await advise(caller, id);
        const option = advice.options.find((o) => o.id === req.option);
        if (!option) throw new ValidationError("option", "relist-option-unavailable");
        if (req.parts.length !== option.parts.length) throw new ValidationError("parts", `relist-parts:${option.parts.length}`);
        if (req.commitEnd > Math.floor(nowMs / 1000) + YEAR_S) throw new ValidationError("commitEnd", "relist-window-within-a-year");
        if (req.revealEnd > req.commitEnd + YEAR_S) throw new ValidationError("revealEnd", "relist-window-within-a-year");
        req.parts.forEach((p, i) => {
          parseMinor(p.deposit, `parts[${i}].deposit`);
          if (p.reserve !== undefined) parseMinor(p.reserve, `parts[${i}].reserve`);
        });
        const own = await listings.get(id);
        // Each part's label is the package id its award is sold under (at most 64 characters, once per seller): the
        // old label with the part's place; taken already (the seller named a sale or listing so), with the new id's digits.
        const base = (own?.label ?? `relist ${id.slice(2, 10)}`).slice(0, 40).trim();
        const records: ListingRecord[] = [];
        for (const [i, part] of option.parts.entries()) {
          const p = req.parts[i]!;
          const reserve = p.reserve ?? part.reserve.toString();
          const newId = relistedListingId(listing.listingId, i);
          let label = `${base} · ${i + 1}/${option.parts.length}`;
          if (await deps.listings.labels.holder(listing.seller, label, newId)) label = `${label} · ${newId.slice(2, 8)}`;
          records.push(await deps.listings.prepare(caller, {
            label, claimIds: part.claimIds, cutoffDate: chinaDateOfMs(nowMs),
            commitEnd: req.commitEnd, revealEnd: req.revealEnd, executionPeriodSeconds: req.executionPeriodSeconds, deposit: p.deposit,
            reserve, hideReserve: p.hideReserve === true, licensedAmcOnly: part.licensedAmcOnly,
            terms: { relistOf: listing.listingId, option: option.id, part: part.key },
          }, { listingId: newId, relistOf: { listingId: listing.listingId, part: i, key: part.key } }).catch((e) => {
            // A part's own check names the part's field.
            if (e instanceof ValidationError && !e.field.startsWith("parts")) throw new ValidationError(`parts[${i}].${e.field.replace(/^claimIds\[\d+\]$/, "claimIds")}`, e.rule);
            throw e;
          }));
        }
        const rec: RelistRecord = {
          listingId: id, seller: listing.seller.toLowerCase(), option: option.id, requestHash,
          parts: records.map((r, i) => ({ listingId: r.listingId, key: option.parts[i]!.key, claimIds: r.claimIds })),
          withdrawn: advice.withdraw.map((w) => w.claimId), status: "pending", createdAt: isoNow(deps),
        };
        // The plan and every part's record, in one durable write, before anything is sent.
        const batch = new TypedBatch().put(relists, id, rec);
        // A replaced plan's parts that the new one does not reuse (all failed unsent) are dropped with it.
        for (const p of known?.parts ?? []) if (!records.some((r) => r.listingId === p.listingId)) batch.del(listings, p.listingId);
        // The parts' records go in with their labels reserved (a label taken meanwhile: 409 naming the part).
        await deps.listings.labels.write(listing.seller, records, batch, (i) => `parts[${i}].label`);
        return resume(caller, rec, false);
      });
    },
  };
}

export type MarketRelist = ReturnType<typeof createMarketRelist>;
