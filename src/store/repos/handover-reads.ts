import { TypedBatch, type Store, type SublevelOf } from "../db.js";
import { UNWATCHED_SUBLEVELS } from "../memo.js";

/** One read (or disclosure) of a claim's personal data: who, which claim, why, through what. */
export interface PersonalDataRead {
  at: string;
  /** The API key's id (non-secret), name, role and account / employer. */
  who: { keyId: string; name: string; role: string; address?: string; worksFor?: string };
  claimId: string;
  /** Why (the caller's stated purpose, or the route's own). */
  purpose: string;
  /** `read`: shown to the caller; `disclosed`: handed over to another organisation (`recipient`). */
  action: "read" | "disclosed";
  /** The route (method and URL pattern) or use case. */
  via: string;
  recipient?: string;
  /** False on a read of an entry whose window's final count is not on disk (src/app/handover/reads-log.ts ALIKE_WINDOW_MS). */
  countFinal?: false;
}

/**
 * What is stored: one entry per answer or disclosure, naming the set of claims whose data it carried (`set`:
 * the same page read again names the same set, stored once with its claims; `count`: that many answers alike
 * in its window, 1 when absent; `until`: its window's end, while its final count is not written). Entries written before named
 * their claims in full (`claimIds`), or one claim (`claimId`); both are still read.
 */
export type StoredPersonalDataRead = Omit<PersonalDataRead, "claimId"> & ({ set: string; count?: number; until?: string } | { claimIds: string[] } | { claimId: string });

export interface PersonalDataReadRepos {
  /** `${at}!${seq}` → the entry. */
  entries: SublevelOf<StoredPersonalDataRead>;
  /** Entries that name their claims (`claimIds`, `claimId`): `${claimId}!${at}!${seq}` → the entry's key. */
  byClaim: SublevelOf<string>;
  /** A claim set's id (a digest of its sorted claims) → its claims. */
  sets: SublevelOf<string[]>;
  /** `${claimId}!${setId}` → the set's id: the sets a claim is in. */
  setsByClaim: SublevelOf<string>;
  /** `${setId}!${at}!${seq}` → the entry's key: the entries naming a set. */
  entriesBySet: SublevelOf<string>;
}

/** Sublevel names of the log: an append-only audit trail, never read by a kept read (src/store/memo.ts). */
export const PERSONAL_DATA_READS = "personal-data-reads";
export const PERSONAL_DATA_READS_BY_CLAIM = "personal-data-reads-by-claim";
export const PERSONAL_DATA_READ_SETS = "personal-data-read-sets";
export const PERSONAL_DATA_READ_SETS_BY_CLAIM = "personal-data-read-sets-by-claim";
export const PERSONAL_DATA_READS_BY_SET = "personal-data-reads-by-set";
const TABLES = [PERSONAL_DATA_READS, PERSONAL_DATA_READS_BY_CLAIM, PERSONAL_DATA_READ_SETS, PERSONAL_DATA_READ_SETS_BY_CLAIM, PERSONAL_DATA_READS_BY_SET];

/** The personal-data read log's tables: the only file that opens them. */
export function openPersonalDataReads(store: Store): PersonalDataReadRepos {
  for (const t of TABLES) if (!UNWATCHED_SUBLEVELS.includes(t)) throw new Error(`memo.ts must not watch the personal-data read log (${t})`);
  return {
    entries: store.sub(PERSONAL_DATA_READS), byClaim: store.sub(PERSONAL_DATA_READS_BY_CLAIM),
    sets: store.sub(PERSONAL_DATA_READ_SETS), setsByClaim: store.sub(PERSONAL_DATA_READ_SETS_BY_CLAIM), entriesBySet: store.sub(PERSONAL_DATA_READS_BY_SET),
  };
}

/**
 * The log's own LevelDB, DATA_DIR/personal-data-log (beside DATA_DIR/db): every answer that shows personal
 * data waits for its entry's synced write, and in the organisation's store that write queued behind an
 * import's batches of thousands of rows (a claim read's p99 was 150 ms during a 100,000-claim import).
 */
export const PERSONAL_DATA_LOG_DIR = "personal-data-log";

/** Entries copied per synced batch when the log moves to its own store. */
const MOVE_PAGE = 2_000;

/**
 * Moves what an earlier version wrote into the organisation's store (`from`) to the log's own store (`to`):
 * each table copied in synced batches, then cleared in `from`. A move cut short by a crash is done again at
 * the next start (the same keys with the same values). Returns the entries moved.
 */
export async function moveLegacyPersonalDataReads(from: Store, to: Store): Promise<number> {
  const a = openPersonalDataReads(from);
  const b = openPersonalDataReads(to);
  const moved = await moveTable(a.entries, b.entries, to);
  await moveTable(a.byClaim, b.byClaim, to);
  await moveTable(a.sets, b.sets, to);
  await moveTable(a.setsByClaim, b.setsByClaim, to);
  await moveTable(a.entriesBySet, b.entriesBySet, to);
  return moved;
}

/** Copies `src` into `dst` (in `to`) in synced batches, then clears `src`; the rows copied. */
async function moveTable<V>(src: SublevelOf<V>, dst: SublevelOf<V>, to: Store): Promise<number> {
  let batch = new TypedBatch();
  let n = 0;
  for await (const [k, v] of src.iterator()) {
    batch.put(dst, k, v);
    if (++n % MOVE_PAGE === 0) {
      await batch.write(to);
      batch = new TypedBatch();
    }
  }
  await batch.write(to);
  if (n > 0) await src.clear();
  return n;
}
