import type { Store, SublevelOf } from "../db.js";
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
}

/**
 * What is stored: one entry per answer or disclosure, naming every claim whose data it carried (an answer
 * listing a thousand claims is one entry, not a thousand copies of who, why and how). Entries written before
 * name one claim (`claimId`).
 */
export type StoredPersonalDataRead = Omit<PersonalDataRead, "claimId"> & ({ claimIds: string[] } | { claimId: string });

export interface PersonalDataReadRepos {
  /** `${at}!${seq}` → the entry. */
  entries: SublevelOf<StoredPersonalDataRead>;
  /** `${claimId}!${at}!${seq}` → the entry's key. */
  byClaim: SublevelOf<string>;
}

/** Sublevel names of the log: an append-only audit trail, never read by a kept read (src/store/memo.ts). */
export const PERSONAL_DATA_READS = "personal-data-reads";
export const PERSONAL_DATA_READS_BY_CLAIM = "personal-data-reads-by-claim";

/** The personal-data read log's tables: the only file that opens them. */
export function openPersonalDataReads(store: Store): PersonalDataReadRepos {
  if (!UNWATCHED_SUBLEVELS.includes(PERSONAL_DATA_READS)) throw new Error("memo.ts must not watch the personal-data read log");
  return { entries: store.sub(PERSONAL_DATA_READS), byClaim: store.sub(PERSONAL_DATA_READS_BY_CLAIM) };
}
