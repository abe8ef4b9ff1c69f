import type { FeedRecord, FeedType } from "../../core/feeds.js";
import type { Store, SublevelOf } from "../db.js";

/** A feed record as the store keeps it. */
export interface StoredFeed {
  feedId: string;
  claimId: string;
  type: FeedType;
  /** The evidence record (kind evidenceKindOf(type), core/feeds.ts) whose contentHash is the feed id. */
  recordId: string;
  /** "survey" in records written before issue 17 gave outside data its own kind ("desk-search"). */
  evidenceKind: "survey" | "valuation" | "desk-search";
  record: FeedRecord;
  receivedAt: string;
  receivedBy: { name: string; keyId: string; role: string };
  via: "push" | "import";
}

/** The outside data's tables. */
export interface FeedsRepo {
  /** `${claimId}!${fetchedAt}!${feedId}` → the record: a claim's feeds in time order. */
  feeds: SublevelOf<StoredFeed>;
  /** `${claimId}!${feedId}` → key in `feeds`. */
  byId: SublevelOf<string>;
}

export function openFeeds(store: Store): FeedsRepo {
  return { feeds: store.sub("feeds"), byId: store.sub("feed-ids") };
}
