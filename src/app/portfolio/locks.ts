import type { IndexCommit, IndexListener } from "../../chain/indexer.js";
import type { ListingRow } from "../../store/repos/chain-index.js";

/** A listing in these statuses holds its claims (ClaimRegistry's lock): they go only to its winner. */
export const LOCKING = new Set(["open", "awarded"]);

/**
 * The claims locked in a market listing (issue 19), kept in memory from the chain index: read once from the
 * index's listings table, then moved by the indexer's commits (each carries the listing rows it wrote), read
 * again after a reset (a reorg rolled blocks back, the index was dropped). A package preview asks it per
 * claim instead of reading every listing per request.
 */
export function createListingLocks(deps: { listings: () => Promise<{ listings: ReadonlyArray<Pick<ListingRow, "listingId" | "status" | "claimIds">> }> }) {
  /** Locking listings by id, with their claims (lower-case). */
  let listings = new Map<string, readonly string[]>();
  /** Claim → the locking listing that holds it. */
  let byClaim = new Map<string, string>();
  let version = 0;
  let loaded: Promise<void> | null = null;
  /** Commits that arrived while the table was being read: applied over it. */
  let arrivedDuringLoad: IndexCommit[] | null = null;

  function take(id: string, row: Pick<ListingRow, "status" | "claimIds"> | null): void {
    const was = listings.get(id);
    if (was) for (const c of was) if (byClaim.get(c) === id) byClaim.delete(c);
    listings.delete(id);
    if (row && LOCKING.has(row.status)) {
      const claims = row.claimIds.map((c) => c.toLowerCase());
      listings.set(id, claims);
      for (const c of claims) byClaim.set(c, id);
    }
    if (was || (row && LOCKING.has(row.status))) version++;
  }

  function applyCommit(c: IndexCommit): void {
    for (const [id, row] of c.rows("listings")) take(id.toLowerCase(), row);
  }

  async function load(): Promise<void> {
    arrivedDuringLoad = [];
    try {
      const { listings: rows } = await deps.listings();
      listings = new Map();
      byClaim = new Map();
      for (const l of rows) take(l.listingId.toLowerCase(), l);
      for (const c of arrivedDuringLoad) applyCommit(c);
      version++;
    } finally {
      arrivedDuringLoad = null;
    }
  }

  const listener: IndexListener = {
    committed(c) {
      if (arrivedDuringLoad) arrivedDuringLoad.push(c);
      else if (loaded) applyCommit(c);
    },
    reset() {
      loaded = null;
    },
  };

  return {
    listener,
    /** Reads the table when it has not been read since the start or the last reset. */
    ready(): Promise<void> {
      loaded ??= load().catch((e: unknown) => {
        loaded = null;
        throw e;
      });
      return loaded;
    },
    /** The locking listing that holds `claimId` (lower-case), if any. */
    listingOf: (claimId: string): string | undefined => byClaim.get(claimId),
    /** Changes whenever a claim is locked or released (memo keys). */
    get version() {
      return version;
    },
  };
}

export type ListingLocks = ReturnType<typeof createListingLocks>;
