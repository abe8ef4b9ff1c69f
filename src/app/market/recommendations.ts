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
