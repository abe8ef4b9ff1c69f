import {
  FEED_TYPES_ZH, evidenceKindOf, feedEffects, feedId, feedSummary, validateFeedFile, validateFeedRecord,
  type FeedEffects, type FeedRecord,
} from "../../core/feeds.js";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { parseDay } from "../../core/dates.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import { TypedBatch } from "../../store/db.js";
import type { StoredFeed } from "../../store/repos/feeds.js";
import { mayPushOutsideData, notHolderError, requireReadDetails, type Caller } from "../access.js";
import { isoNow, serviceNow, type AppDeps } from "../deps.js";
import type { ClaimAccess } from "../claims/parties.js";
import type { SystemRecorder } from "../evidence/types.js";
import { createSerial } from "../serial.js";
import { createFeedStates } from "./states.js";

/** What outside data needs: its tables, the chain (registration, time), claim access, evidence. */
export interface FeedsDeps extends Pick<AppDeps, "repos" | "chain" | "clock"> {
  access: ClaimAccess;
  /** Each record is recorded as evidence by the service itself, once per content. */
  evidence: SystemRecorder;
}

/** Most items of one push. */
export const PUSH_MAX_ITEMS = 1_000;
/** Most items of one imported file. */
export const IMPORT_MAX_ITEMS = 5_000;

/**
 * Outside data (issue 8): feed records from courts, registries, appraisers and the credit bureau, pushed over
 * HTTP or imported from a file (docs/feeds.md). Each is validated by the core (feeds.ts), recorded once as
 * evidence by the service itself (appraisals as kind "valuation", the rest as "desk-search"; contentHash = the
 * feed id, attachment = the source document's hash), kept per claim, and read back as effects on the risk
 * score, priority and collateral value, and as off-chain items of the case timeline.
 */
export function createFeeds(deps: FeedsDeps) {
  const { chain, repos } = deps;
  const states = createFeedStates(repos.feeds);
  const { feeds, byId } = repos.feeds;
  // Ingests run one at a time, so the same record pushed twice at once is still recorded once.
  const serial = createSerial();

  const all = (claimId: string) => states.all(claimId);

  /**
   * Outside data moves priorities and values, so a bank or AMC pushes it only for the claims it holds (a seller
   * no longer); the organisation's own feed (its connectors) for any registered claim, so that its daemon
   * scores alike when it co-signs (src/app/access.ts).
   */
  async function requireOwnClaim(caller: Caller, claimId: string, field: string): Promise<void> {
    const parties = await deps.access.parties(claimId, caller);
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
      if (!(await chain.registry.isRegistered(claimId))) {
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
      const evidence = await deps.evidence.recordSystem({
        claimId: record.claimId, kind, channel: "system", direction: "internal", occurredAt: record.provenance.fetchedAt,
        actor: `feed:${record.provenance.source}`, contentHash: id, attachments: [record.provenance.contentHash],
      });
      const key = `${record.claimId}!${record.provenance.fetchedAt}!${id}`;
      const value: StoredFeed = {
        feedId: id, claimId: record.claimId, type: record.type, recordId: evidence.recordId, evidenceKind: kind, record,
        receivedAt: isoNow(deps), receivedBy: { name: caller.name, keyId: caller.keyId, role: caller.role }, via,
      };
      await new TypedBatch().put(feeds, key, value).put(byId, `${record.claimId}!${id}`, key).write(repos.store);
      created++;
      items.push({ index, feedId: id, claimId: record.claimId, type: record.type, recordId: evidence.recordId, created: true });
    }
    return { accepted: records.length, created, duplicates: records.length - created, items };
  }

  return {
    /** POST /v1/feeds: `{items: [...]}`, every item checked before any is recorded. */
    async push(caller: Caller, body: { items: unknown[] }) {
      if (!Array.isArray(body?.items) || body.items.length === 0 || body.items.length > PUSH_MAX_ITEMS) throw new ValidationError("items", `array-of-1-${PUSH_MAX_ITEMS}`);
      const now = await serviceNow(deps);
      const records = body.items.map((x, i) => validateFeedRecord(x, `items[${i}]`, now));
      return serial(() => ingest(caller, records, "push"));
    },

    /** POST /v1/feeds/import: a feed file (format debtrail-feeds/1), every item checked before any is recorded. */
    async importFile(caller: Caller, file: unknown) {
      const records = validateFeedFile(file, await serviceNow(deps), IMPORT_MAX_ITEMS);
      return serial(() => ingest(caller, records, "import"));
    },

    /** GET /v1/claims/:claimId/feeds: newest first; `current` marks the record of each type that counts now. For the claim's parties. */
    async list(caller: Caller, claimId: string, asOf?: string) {
      const asOfDay = parseDay(asOf ?? chinaDateOfMs(deps.clock.now()), "asOf", true);
      const id = claimId.toLowerCase();
      if (!(await chain.registry.isRegistered(id))) throw new NotFoundError("claim", id);
      requireReadDetails(caller, await deps.access.parties(id, caller));
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

export type Feeds = ReturnType<typeof createFeeds>;
