import { coded, ValidationError } from "../../core/errors.js";
import { normalizePackageLabel, packageRefOf, priceShares } from "../../core/packages.js";
import { DURABLE, TypedBatch, type Store } from "../../store/db.js";
import { packageByRef, packageKey, type PackageRecord, type PackagesRepo } from "../../store/repos/packages.js";

/**
 * Package sales as people know them (issue 18): a label once per seller (any script), an opaque salted ref on
 * chain (src/core/packages.ts), each claim's share of the price pro rata to its outstanding at the cut-off, and
 * the seller's history of sales, kept in its store so a sale made from the console is found again after a reload.
 */
export interface PackageSalesDeps {
  repos: { store: Store; packages: PackagesRepo };
  /** The seller's secret the refs' salts are derived from (the originator's secret, another domain tag). */
  secret: string;
  /** Each claim's outstanding (fen) at the cut-off and contract number (as the seller knows it), and the block that is. */
  outstandingOf(claimIds: string[]): Promise<{ outstanding: bigint[]; contractNos?: Array<string | null>; block: number | null }>;
  clock: { now(): number };
}

export function createPackageSales(deps: PackageSalesDeps) {
  const repos = deps.repos.packages;

  return {
    /**
     * Reserves `label` for a sale by `seller` (written before anything is sent): its ref and the claims' price
     * shares. A label this seller used for a sale that went through (or is under way) is refused; a failed one
     * may be used again.
     * @throws ValidationError package-id-taken naming packageId
     */
    async reserve(input: { seller: string; buyer: string; label: string; claimIds: string[]; price: bigint; assignmentId: string }): Promise<PackageRecord> {
      const label = normalizePackageLabel(input.label);
      const key = packageKey(input.seller, label);
      const before = await repos.byLabel.get(key);
      if (before && before.status !== "failed") {
        throw coded(new ValidationError("packageId", "package-id-taken", `packageId: ${label} was already used by this seller (${before.createdAt})`), "validation.package-id-taken", { packageId: label, usedAt: before.createdAt.slice(0, 10) });
      }
      const { salt, ref } = packageRefOf(deps.secret, input.seller, label);
      const { outstanding, contractNos, block } = await deps.outstandingOf(input.claimIds);
      const shares = priceShares(input.price, outstanding);
      const record: PackageRecord = {
        label, ref, salt, seller: input.seller, buyer: input.buyer, claimIds: input.claimIds, price: input.price.toString(),
        shares: Object.fromEntries(input.claimIds.map((id, i) => [id.toLowerCase(), shares[i]!.toString()])),
        outstanding: Object.fromEntries(input.claimIds.map((id, i) => [id.toLowerCase(), outstanding[i]!.toString()])),
        contractNos: Object.fromEntries(input.claimIds.flatMap((id, i) => (contractNos?.[i] ? [[id.toLowerCase(), contractNos[i]!]] : []))),
        cutoffBlock: block, assignmentId: input.assignmentId, status: "pending", createdAt: new Date(deps.clock.now()).toISOString(),
      };
      await new TypedBatch().put(repos.byLabel, key, record).put(repos.byRef, ref, key).write(deps.repos.store);
      return record;
    },

    /** The sale `seller` reserved under `label`, if any (the label as the seller typed it). */
    async find(seller: string, label: string): Promise<PackageRecord | undefined> {
      return repos.byLabel.get(packageKey(seller, normalizePackageLabel(label)));
    },

    /** Records how the sale ended. */
    async settle(record: PackageRecord, outcome: { status: "done" | "failed" | "pending"; txHash?: string; blockNumber?: number }): Promise<void> {
      await repos.byLabel.put(packageKey(record.seller, record.label), { ...record, ...outcome }, DURABLE);
    },

    /** The sale behind an on-chain ref, if this node's store has it. */
    byRef: (ref: string): Promise<PackageRecord | undefined> => packageByRef(repos, ref),

    /** The seller's sales, newest first. */
    async list(seller: string): Promise<PackageRecord[]> {
      const prefix = `${seller.toLowerCase()}|`;
      const out: PackageRecord[] = [];
      for await (const r of repos.byLabel.values({ gte: prefix, lt: `${prefix}\uffff` })) out.push(r);
      return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    },
  };
}

export type PackageSales = ReturnType<typeof createPackageSales>;
