import { feedEffects, type FeedEffects, type IdentifiedFeed } from "../../core/feeds.js";
import type { FeedsRepo, StoredFeed } from "../../store/repos/feeds.js";

/**
 * The outside data in force for a claim on a day, read from the store alone: the feeds feature answers
 * with it, and `debtrail oracle` (src/oracle/main.ts) scores with it without the API.
 */
export function createFeedStates(repo: Pick<FeedsRepo, "feeds">) {
  const { feeds } = repo;
  async function all(claimId: string): Promise<StoredFeed[]> {
    const out: StoredFeed[] = [];
    for await (const f of feeds.values({ gt: `${claimId}!`, lt: `${claimId}!~` })) out.push(f);
    return out;
  }
  return {
    all,
    /** The effects of the feeds in force, and which feeds those are. */
    async stateFor(claimId: string, asOfDay: number): Promise<{ effects: FeedEffects; current: StoredFeed[] }> {
      const list = await all(claimId.toLowerCase());
      const effects = feedEffects(list.map((f): IdentifiedFeed => ({ feedId: f.feedId, record: f.record })), asOfDay);
      const current = new Set(Object.values(effects.current));
      return { effects, current: list.filter((f) => current.has(f.feedId)) };
    },
  };
}

export type FeedStates = ReturnType<typeof createFeedStates>;
