import { coded, ConflictError } from "../../core/errors.js";
import { normalizePackageLabel } from "../../core/packages.js";
import { packageKey } from "../../store/repos/packages.js";
import type { TypedBatch } from "../../store/db.js";
import type { ListingRecord } from "../../store/repos/market.js";
import type { AppDeps } from "../deps.js";

/**
 * A listing's label is the package id its award is sold under, and the chain takes a package id once per seller
 * (ClaimRegistry: PackageIdAlreadyUsed). So a listing reserves its label when it is written: refused when the
 * seller sold under it (this node's records or the chain) or another of its live listings holds it; a direct sale
 * is refused under a label a live listing holds. Otherwise a winner would pay, and the award could never execute.
 *
 * A listing that ended without a sale (unsold, withdrawn, failed, or never sent) frees its label: nothing was sold
 * under it, so the chain has it unused, and the seller's natural move — listing the same package again under its
 * name — works. A label an award was sold under stays taken for good (the sale's record and the chain say so).
 */
export type ListingLabelsDeps = Pick<AppDeps, "repos" | "chain"> & {
  /** The on-chain ref of `label` sold by `seller` (src/core/packages.ts), to ask the chain whether it was sold under. */
  packageRef?: (seller: string, label: string) => string;
};

/** Chain statuses after which a listing no longer holds its label (ListingStatus: Unsold, Cancelled, Failed). */
const ENDED_UNSOLD = new Set([4, 5, 6]);

export function listingLabels(deps: ListingLabelsDeps) {
  const { repos, chain } = deps;
  const { labels, listings } = repos.market;

  /** The seller's live listing holding `label` (other than `except`), if any. */
  async function liveListing(seller: string, label: string, except?: string): Promise<ListingRecord | undefined> {
    const id = await labels.get(packageKey(seller, label));
    if (!id || id === except?.toLowerCase()) return undefined;
    const rec = await listings.get(id);
    if (!rec || rec.status === "failed") return undefined; // never written (a crash between the two), or never sent
    if (rec.status === "pending") return rec; // may be on its way: held
    const status = chain.market ? Number((await chain.market.listingOf(id)).status) : 1;
    return ENDED_UNSOLD.has(status) ? undefined : rec;
  }

  /** The date the seller sold (or began selling) a package under `label`, if it did: this node's record, then the chain. */
  async function soldUnder(seller: string, label: string): Promise<string | undefined> {
    const sale = await repos.packages.byLabel.get(packageKey(seller, label));
    if (sale && sale.status !== "failed") return sale.createdAt.slice(0, 10);
    if (deps.packageRef && (await chain.registry.isPackageIdUsed(seller, deps.packageRef(seller, label)))) return "—";
    return undefined;
  }

  const taken = (field: string, label: string, usedAt: string, listingId?: string) =>
    coded(new ConflictError("package-id-taken", `${field}: ${label} was already used by this seller (${usedAt}${listingId ? `, listing ${listingId}` : ""})`,
      { field, rule: "package-id-taken", ...(listingId ? { listingId } : {}) }), "validation.package-id-taken", { packageId: label, usedAt });

  /** Why `label` is not free for a new listing of `seller` (other than `except`), or undefined when it is. */
  async function holder(seller: string, label: string, except?: string): Promise<{ usedAt: string; listingId?: string } | undefined> {
    const kept = normalizePackageLabel(label, "label");
    const sold = await soldUnder(seller, kept);
    if (sold) return { usedAt: sold };
    const live = await liveListing(seller, kept, except);
    return live ? { usedAt: live.createdAt.slice(0, 10), listingId: live.listingId } : undefined;
  }

  return {
    holder,

    /**
     * Writes `records` with their labels reserved, in `batch` (with whatever else it carries), under one lock per
     * seller so two listings cannot take one label at once.
     * @throws ConflictError validation.package-id-taken naming `fieldOf(i)`
     */
    async write(seller: string, records: ListingRecord[], batch: TypedBatch, fieldOf: (i: number) => string = () => "label"): Promise<void> {
      await repos.store.exclusive(`market-labels:${seller.toLowerCase()}`, async () => {
        const seen = new Set<string>();
        for (const [i, r] of records.entries()) {
          const kept = normalizePackageLabel(r.label, fieldOf(i));
          if (seen.has(kept)) throw taken(fieldOf(i), kept, "—");
          seen.add(kept);
          const held = await holder(seller, kept, r.listingId);
          if (held) throw taken(fieldOf(i), kept, held.usedAt, held.listingId);
          batch.put(labels, packageKey(seller, kept), r.listingId.toLowerCase());
          batch.put(listings, r.listingId, r);
        }
        await batch.write(repos.store);
      });
    },

    /** A direct sale under `label` (no listing): refused while a live listing of the seller holds it. */
    async refuseHeld(seller: string, label: string, exceptListing?: string): Promise<void> {
      const kept = normalizePackageLabel(label);
      const live = await liveListing(seller, kept, exceptListing);
      if (live) throw taken("packageId", kept, live.createdAt.slice(0, 10), live.listingId);
    },
  };
}

export type ListingLabels = ReturnType<typeof listingLabels>;
