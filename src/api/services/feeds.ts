import type { FastifyInstance } from "fastify";
import {
  FEED_TYPES_ZH, evidenceKindOf, feedEffects, feedId, feedSummary, validateFeedFile, validateFeedRecord,
  type FeedEffects, type FeedRecord, type FeedType, type IdentifiedFeed,
} from "../../core/feeds.js";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { writeBatch, type Store, type SublevelOf } from "../../store/db.js";
import type { Caller } from "../plugins/auth.js";
import { mayPushOutsideData, notHolderError, requireReadDetails } from "../../app/access.js";
import { serviceNow } from "./surveys.js";

declare module "fastify" {
  interface FastifyInstance {
    feeds: FeedsService;
  }
}

/** A feed record as the store keeps it. */
export interface StoredFeed {
  feedId: string;
  claimId: string;
  type: FeedType;
  /** The evidence record (kind {@link evidenceKindOf}) whose contentHash is the feed id. */
  recordId: string;
  evidenceKind: "survey" | "valuation";
  record: FeedRecord;
  receivedAt: string;
  receivedBy: { name: string; keyId: string; role: string };
  via: "push" | "import";
}

/** Most items of one push. */
export const PUSH_MAX_ITEMS = 1_000;
/** Most items of one imported file. */
export const IMPORT_MAX_ITEMS = 5_000;

/**
 * Outside data (issue 8): feed records from courts, registries, appraisers and the credit bureau, pushed over
 * HTTP or imported from a file (docs/feeds.md). Each is validated by the core (feeds.ts), recorded once as
 * evidence by the service itself (appraisals as kind "valuation", the rest as "survey"; contentHash = the
 * feed id, attachment = the source document's hash), kept per claim, and read back as effects on the risk
 * score, priority and collateral value, and as off-chain items of the case timeline.
 */
/**
 * The outside data in force for a claim on a day, read from the store alone: the feeds service answers
 * with it, and `debtrail oracle` (src/oracle/main.ts) scores with it without the API.
 */
export function createFeedStates(store: Store) {
  const feeds = store.sub<StoredFeed>("feeds");
  return {
    feeds,
    async all(claimId: string): Promise<StoredFeed[]> {
      const out: StoredFeed[] = [];
      for await (const f of feeds.values({ gt: `${claimId}!`, lt: `${claimId}!~` })) out.push(f);
      return out;
    },
    /** The effects of the feeds in force, and which feeds those are. */
    async stateFor(claimId: string, asOfDay: number): Promise<{ effects: FeedEffects; current: StoredFeed[] }> {
      const list = await this.all(claimId.toLowerCase());
      const effects = feedEffects(list.map((f): IdentifiedFeed => ({ feedId: f.feedId, record: f.record })), asOfDay);
      const current = new Set(Object.values(effects.current));
      return { effects, current: list.filter((f) => current.has(f.feedId)) };
    },
  };
}

export function createFeedsService(fastify: FastifyInstance) {
  const states = createFeedStates(fastify.store);
  const { feeds } = states;
  /** `${claimId}!${feedId}` → key in `feeds`. */
  const byId = fastify.store.sub<string>("feed-ids");
  // Ingests run one at a time, so the same record pushed twice at once is still recorded once.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  }

  const all = (claimId: string) => states.all(claimId);

  /**
   * Outside data moves priorities and values, so a bank or AMC pushes it only for the claims it holds (a seller
   * no longer); the organisation's own feed (its connectors) for any registered claim, so that its daemon
   * scores alike when it co-signs (src/app/access.ts).
   */
  async function requireOwnClaim(caller: Caller, claimId: string, field: string): Promise<void> {
    const parties = await fastify.access.parties(claimId, caller);
    if (mayPushOutsideData(caller, parties)) return;
    throw notHolderError(parties, { en: "send outside data for it (an organisation's own feed aside)", zh: "为其报送外部数据（本机构数据源除外）" }, field);
  }

  function view(f: StoredFeed, current: boolean) {
    return {
      feedId: f.feedId,
      type: f.type,
      typeZh: FEED_TYPES_ZH[f.type],
      recordId: f.recordId,
      evidenceKind: f.evidenceKind,
      provenance: f.record.provenance,
      summary: feedSummary(f.record),
      current,
      data: f.record.data as unknown as Record<string, unknown>,
      receivedAt: f.receivedAt,
      via: f.via,
    };
  }

  /** Records validated feed records (all claims must be registered; nothing is recorded otherwise). */
  async function ingest(caller: Caller, records: FeedRecord[], via: "push" | "import") {
    const claims = new Map<string, number>();
    records.forEach((r, i) => { if (!claims.has(r.claimId)) claims.set(r.claimId, i); });
    for (const [claimId, i] of claims) {
      if (!(await fastify.chain.registry.isRegistered(claimId))) {
        const e = new NotFoundError("claim", claimId);
        e.details.field = `items[${i}].claimId`;
        throw e;
      }
      await requireOwnClaim(caller, claimId, `items[${i}].claimId`);
    }
    const items = [];
    let created = 0;
    for (const [index, record] of records.entries()) {
      const id = feedId(record);
      const existing = await byId.get(`${record.claimId}!${id}`);
      const stored = existing ? await feeds.get(existing) : undefined;
      if (stored) {
        items.push({ index, feedId: id, claimId: record.claimId, type: record.type, recordId: stored.recordId, created: false });
        continue;
      }
      const kind = evidenceKindOf(record.type);
      // Recorded by the service once per content hash: a repeated push, or a retry after a crash, finds the same record.
      const evidence = await fastify.evidence.recordSystem({
        claimId: record.claimId, kind, channel: "system", direction: "internal", occurredAt: record.provenance.fetchedAt,
        actor: `feed:${record.provenance.source}`, contentHash: id, attachments: [record.provenance.contentHash],
      });
      const key = `${record.claimId}!${record.provenance.fetchedAt}!${id}`;
      const value: StoredFeed = {
        feedId: id, claimId: record.claimId, type: record.type, recordId: evidence.recordId, evidenceKind: kind, record,
        receivedAt: new Date().toISOString(), receivedBy: { name: caller.name, keyId: caller.keyId, role: caller.role }, via,
      };
      await writeBatch(fastify.store, [
        { type: "put", sublevel: feeds as SublevelOf<unknown>, key, value },
        { type: "put", sublevel: byId as SublevelOf<unknown>, key: `${record.claimId}!${id}`, value: key },
      ]);
      created++;
      items.push({ index, feedId: id, claimId: record.claimId, type: record.type, recordId: evidence.recordId, created: true });
    }
    return { accepted: records.length, created, duplicates: records.length - created, items };
  }

  return {
    /** POST /v1/feeds: `{items: [...]}`, every item checked before any is recorded. */
    async push(caller: Caller, body: { items: unknown[] }) {
      if (!Array.isArray(body?.items) || body.items.length === 0 || body.items.length > PUSH_MAX_ITEMS) throw new ValidationError("items", `array-of-1-${PUSH_MAX_ITEMS}`);
      const now = await serviceNow(fastify);
      const records = body.items.map((x, i) => validateFeedRecord(x, `items[${i}]`, now));
      return serial(() => ingest(caller, records, "push"));
    },

    /** POST /v1/feeds/import: a feed file (format debtrail-feeds/1), every item checked before any is recorded. */
    async importFile(caller: Caller, file: unknown) {
      const records = validateFeedFile(file, await serviceNow(fastify), IMPORT_MAX_ITEMS);
      return serial(() => ingest(caller, records, "import"));
    },

    /** GET /v1/claims/:claimId/feeds: newest first; `current` marks the record of each type that counts now. For the claim's parties. */
    async list(caller: Caller, claimId: string, asOfDay: number) {
      const id = claimId.toLowerCase();
      if (!(await fastify.chain.registry.isRegistered(id))) throw new NotFoundError("claim", id);
      requireReadDetails(caller, await fastify.access.parties(id, caller));
      const list = await all(id);
      const effects = feedEffects(list.map((f) => ({ feedId: f.feedId, record: f.record })), asOfDay);
      const current = new Set(Object.values(effects.current));
      return {
        claimId: id,
        count: list.length,
        feeds: list.reverse().map((f) => view(f, current.has(f.feedId))),
        effects: effects.effects,
      };
    },

    /** What the claim's feeds do at the end of `asOfDay`, and the records that count. */
    async stateFor(claimId: string, asOfDay: number): Promise<{ effects: FeedEffects; current: ReturnType<typeof view>[] }> {
      const { effects, current } = await states.stateFor(claimId, asOfDay);
      return { effects, current: current.map((f) => view(f, true)) };
    },

    /** Off-chain items for the case timeline (GET /v1/cases/:claimId), with provenance and evidence record id. */
    async timeline(claimId: string) {
      return (await all(claimId.toLowerCase())).map((f) => ({
        type: "feed",
        offChain: true as const,
        timestamp: f.record.provenance.fetchedAt,
        recordId: f.recordId,
        provenance: f.record.provenance,
        details: { feedType: f.type, feedTypeZh: FEED_TYPES_ZH[f.type], feedId: f.feedId, evidenceKind: f.evidenceKind, summary: feedSummary(f.record) },
      }));
    },
  };
}

export type FeedsService = ReturnType<typeof createFeedsService>;
