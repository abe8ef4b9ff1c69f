import type { Store, SublevelOf } from "../db.js";

/** A package sale as its seller's node keeps it: the label people use, the ref on chain, each claim's price share. */
export interface PackageRecord {
  /** The label as the seller named it (any script). */
  label: string;
  /** The opaque reference on chain (ClaimAssigned.packageId / PackageAssigned.packageId). */
  ref: string;
  /** Its salt: ref = keccak256(abi.encode(salt, keccak256(utf8(label)))). */
  salt: string;
  seller: string;
  buyer: string;
  claimIds: string[];
  /** The whole package's price (fen), as on chain. */
  price: string;
  /** Each claim's share (fen) by claim id: pro rata to its outstanding at the cut-off, the remainder on the last. */
  shares: Record<string, string>;
  /** The outstanding (fen) each share was computed from, and the block they reflect. */
  outstanding: Record<string, string>;
  cutoffBlock: number | null;
  /** The claims' contract numbers as the seller's records had them at the sale (its own sales list shows them). */
  contractNos?: Record<string, string>;
  assignmentId: string;
  status: "pending" | "done" | "failed";
  txHash?: string;
  blockNumber?: number;
  createdAt: string;
}

export interface PackagesRepo {
  byLabel: SublevelOf<PackageRecord>;
  byRef: SublevelOf<string>;
}

/** The sales' records: `packages` by seller|label (one label once per seller) and `package-refs` by ref. */
export function openPackages(store: Store): PackagesRepo {
  return { byLabel: store.sub<PackageRecord>("packages"), byRef: store.sub<string>("package-refs") };
}

/** The sale behind an on-chain ref, if this store has it. */
export async function packageByRef(repo: PackagesRepo, ref: string): Promise<PackageRecord | undefined> {
  const key = await repo.byRef.get(ref.toLowerCase());
  return key === undefined ? undefined : repo.byLabel.get(key);
}

export const packageKey = (seller: string, label: string) => `${seller.toLowerCase()}|${label}`;
