import type { Clock } from "../deps.js";
import { NotFoundError } from "../../core/errors.js";
import { chinaDayOfMs } from "../../core/input-fields.js";
import { formatDay } from "../../core/dates.js";
import type { Lang } from "../../i18n/messages.js";
import { describeReason } from "../../i18n/market.js";
import type { BidRecord } from "../../core/market/history.js";
import type { InvestorProfile } from "../../core/market/profile.js";
import type { PackageSummary } from "../../core/market/summary.js";
import type { Match, MatchReason } from "../../core/market/score.js";
import { buildMarketModels, recommendInvestors, recommendPackages, type MarketModels } from "../../core/market/recommend.js";
import { tapeSummary } from "../../core/market/loan-tape.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import type { BidRow, ListingRow } from "../../store/repos/chain-index-rows.js";
import type { FetchedRoom } from "../../store/repos/market-rooms.js";

/**
 * Recommendations of the market (issue 19): packages open for bids to an investor, investors to a
 * package's seller, each with its reasons. A use case over explicit Deps: the market's data come through
 * the narrow {@link MarketSource} (the listings' and bids' repos implement it), the day from the clock.
 *
 * Who may ask is the caller's rule, not this one's: an investor asks for itself, a seller for its own
 * package (the route checks the caller against the listing before it calls).
 */

/** What the recommendations read: profiles, de-identified summaries, revealed bids. */
export interface MarketSource {
  /** Changes whenever profiles, listings or bids change; the models are rebuilt only then (or on a new day). */
  version(): Promise<string>;
  profiles(): Promise<readonly InvestorProfile[]>;
  /** Every package known: sold ones (the bids' packages) and those open now. */
  summaries(): Promise<readonly PackageSummary[]>;
  /** Ids of the packages open for bids now. */
  open(): Promise<readonly string[]>;
  /** Revealed bids (a sealed bid counts once opened). */
  bids(): Promise<readonly BidRecord[]>;
}

export interface MarketRecommendationDeps {
  clock: Clock;
  market: MarketSource;
}

/** A reason on the wire: as computed, plus its sentence in the asked language. */
export type WireReason = MatchReason & { text?: string };

/** A match on the wire: amounts as decimal strings of fen. */
export interface WireMatch {
  investorId: string;
  packageId: string;
  valueRatioBps: number;
  predictedValue: string;
  predictedBid: string;
  reasons: WireReason[];
}

export interface RecommendationsAnswer {
  asOf: string;
  recommendations: WireMatch[];
}

export interface AskOptions {
  limit?: number;
  lang?: Lang;
  /** Seller side: only these investors may bid on the listing. */
  eligible?: (investorId: string) => boolean;
}

function toWire(m: Match, lang?: Lang): WireMatch {
  return {
    investorId: m.investorId, packageId: m.packageId, valueRatioBps: m.valueRatioBps,
    predictedValue: m.predictedValue.toString(), predictedBid: m.predictedBid.toString(),
    reasons: m.reasons.map((r) => (lang ? { ...r, text: describeReason(lang, r) } : { ...r })),
  };
}

export function createMarketRecommendations(deps: MarketRecommendationDeps) {
  let cached: { key: string; models: MarketModels; open: readonly string[] } | undefined;

  async function current(): Promise<{ asOf: number; models: MarketModels; open: readonly string[] }> {
    const asOf = chinaDayOfMs(deps.clock.now());
    const key = `${await deps.market.version()}@${asOf}`;
    if (cached?.key !== key) {
      const [profiles, summaries, bids, open] = await Promise.all([deps.market.profiles(), deps.market.summaries(), deps.market.bids(), deps.market.open()]);
      cached = { key, models: buildMarketModels(profiles, summaries, bids, asOf), open };
    }
    return { asOf, models: cached.models, open: cached.open };
  }

  return {
    /**
     * The open packages that suit `investorId` best.
     * @throws NotFoundError when the investor has no profile; ValidationError `limit`
     */
    async forInvestor(investorId: string, options: AskOptions = {}): Promise<RecommendationsAnswer> {
      const { asOf, models, open } = await current();
      const investor = models.investors.get(investorId);
      if (!investor) throw new NotFoundError("investor profile", investorId);
      const packages = open.map((id) => models.packages.get(id)).filter((p) => p !== undefined);
      const ranked = recommendPackages(investor, packages, { limit: options.limit });
      return { asOf: formatDay(asOf), recommendations: ranked.map((m) => toWire(m, options.lang)) };
    },

    /**
     * The investors likely to value `packageId` most, for its seller.
     * @throws NotFoundError when no such package is known; ValidationError `limit`
     */
    async forPackage(packageId: string, options: AskOptions = {}): Promise<RecommendationsAnswer> {
      const { asOf, models } = await current();
      const pkg = models.packages.get(packageId);
      if (!pkg) throw new NotFoundError("package", packageId);
      const ranked = recommendInvestors(pkg, models.investors.values(), { limit: options.limit, eligible: options.eligible });
      return { asOf: formatDay(asOf), recommendations: ranked.map((m) => toWire(m, options.lang)) };
    },
  };
}

export type MarketRecommendations = ReturnType<typeof createMarketRecommendations>;

/** What the live-listings source reads: the chain index's listings and bids, and the buyer's own data at its node. */
export interface ListingSourceDeps {
  clock: Clock;
  index: { listings(): Promise<{ listings: ListingRow[] }>; listing(id: string): Promise<{ bids: BidRow[] }> };
  /** The rooms the buyer's account fetched (each with the listings its node verified commit to its tape). */
  fetched(account: string): Promise<readonly FetchedRoom[]>;
  /** The buyer's declared profile, null without one. */
  profile(account: string): Promise<InvestorProfile | null>;
  /** Now for the bidding windows (ms): the chain's time where it runs ahead of the clock (default: the clock). */
  chainNow?: () => Promise<number>;
}

const pkg = (listingId: string) => listingId.toLowerCase().replace(/^0x/, "");

/**
 * The market's live listings as the matching's {@link MarketSource} for one buyer: every listing on chain (the
 * chain index) whose package the buyer's node can read — a data room it fetched that it verified the listing
 * commits to (./../market-room/remote.ts) — summarised from that tape at the listing's reserve; open are those
 * still taking bids now; the history is every revealed bid on chain (who bid what on which listing, who won), so
 * an investor's preferences are learned from the market's own bids, not only declared.
 */
export function listingMarketSource(deps: ListingSourceDeps, account: string): MarketSource & { listingOf(packageId: string): ListingRow | undefined } {
  // One read of the index and the buyer's rooms per source (a source lives for one request).
  let memo: Promise<{ listings: ListingRow[]; rooms: readonly FetchedRoom[] }> | undefined;
  const byPackage = new Map<string, ListingRow>();
  function load() {
    memo ??= (async () => {
      const m = { listings: (await deps.index.listings()).listings, rooms: await deps.fetched(account) };
      byPackage.clear();
      for (const l of m.listings) byPackage.set(pkg(l.listingId), l);
      return m;
    })();
    return memo;
  }
  const tapeOf = (rooms: readonly FetchedRoom[], listingId: string) =>
    rooms.find((f) => f.listings?.some((b) => b.listingId === listingId.toLowerCase()));
  return {
    async version() {
      const { listings, rooms } = await load();
      const head = listings.reduce((m, l) => Math.max(m, l.updatedBlock), 0);
      return `${head}:${listings.length}:${rooms.map((f) => `${f.room.roomId}@${f.fetchedAt}`).join(",")}`;
    },
    async profiles() {
      const p = await deps.profile(account);
      return p ? [p] : [];
    },
    async summaries() {
      const { listings, rooms } = await load();
      const out: PackageSummary[] = [];
      for (const l of listings) {
        const f = tapeOf(rooms, l.listingId);
        if (!f) continue;
        const s = tapeSummary(l.listingId, f.tape, l.reserve !== null ? BigInt(l.reserve) : undefined);
        if (s.claims.length > 0) out.push(s);
      }
      return out;
    },
    async open() {
      const { listings, rooms } = await load();
      const now = Math.floor((deps.chainNow ? await deps.chainNow() : deps.clock.now()) / 1000);
      return listings.filter((l) => l.status === "open" && now < l.commitEnd && tapeOf(rooms, l.listingId)).map((l) => pkg(l.listingId));
    },
    async bids() {
      const { listings } = await load();
      const out: BidRecord[] = [];
      for (const l of listings) {
        if (l.revealed === 0) continue;
        const day = chinaDateOfMs(l.revealEnd * 1000);
        for (const b of (await deps.index.listing(l.listingId)).bids) {
          if (b.amount === null) continue;
          out.push({ packageId: pkg(l.listingId), investorId: b.bidder.toLowerCase(), amount: BigInt(b.amount), day, won: b.status === "won" });
        }
      }
      return out;
    },
    listingOf: (packageId: string) => byPackage.get(packageId),
  };
}

/**
 * The open listings recommended to a buyer (GET /v1/market/recommended-listings): the market's matching over the
 * live listings ({@link listingMarketSource}), each with the listing's window, reserve and the reasons.
 * @throws NotFoundError when the buyer has no profile
 */
export async function recommendListings(deps: ListingSourceDeps, account: string, lang: Lang, limit = 20) {
  const source = listingMarketSource(deps, account.toLowerCase());
  const answer = await createMarketRecommendations({ clock: deps.clock, market: source }).forInvestor(account.toLowerCase(), { lang, limit });
  return {
    asOf: answer.asOf,
    recommendations: answer.recommendations.map((m) => {
      const l = source.listingOf(m.packageId)!;
      return {
        listingId: l.listingId, seller: l.seller, commitEnd: l.commitEnd, revealEnd: l.revealEnd, reserve: l.reserve, deposit: l.deposit, claims: l.claimIds.length,
        licensedAmcOnly: l.licensedAmcOnly, predictedValue: m.predictedValue, predictedBid: m.predictedBid, valueRatioBps: m.valueRatioBps, reasons: m.reasons.map((r) => r.text ?? r.key),
      };
    }),
  };
}
