import { NotFoundError } from "../../core/errors.js";
import { tapeSummary } from "../../core/market/loan-tape.js";
import { checkInvestorProfile, profileToWire } from "../../core/market/profile.js";
import type { Lang } from "../../i18n/messages.js";
import type { MarketRoomRepos } from "../../store/repos/market-rooms.js";
import type { Caller } from "../access.js";
import { createMarketRecommendations, recommendListings, type ListingSourceDeps } from "../market/recommendations.js";
import { hashOf } from "./signing.js";

/**
 * A buyer's recommended packages among the data rooms its node has seen (issue 19), by the market's matching
 * (src/app/market/recommendations.ts over src/core/market/): the buyer's declared profile (kept at its own node)
 * against each room's tape as the matching reads a package (`tapeSummary`), each with its reasons. The buyer's
 * node knows only the rooms it entered; the market's listings (another source) widen this when they are wired.
 */
export function createRoomRecommendations(deps: { repos: MarketRoomRepos; clock: { now(): number }; index?: ListingSourceDeps["index"]; chainNow?: () => Promise<number> }) {
  const { repos } = deps;

  function account(caller: Caller): string {
    if (caller.role !== "amc" || !caller.address) throw new NotFoundError("investor profile", caller.keyId);
    return caller.address.toLowerCase();
  }

  return {
    /** Declares the caller's profile (checked: regions to their keys, unknown properties refused). */
    async setProfile(caller: Caller, input: Record<string, unknown>) {
      const investorId = account(caller);
      const profile = profileToWire(checkInvestorProfile({ ...input, investorId }));
      await repos.profiles.put(investorId, profile, { sync: true });
      return profile;
    },

    async profile(caller: Caller) {
      const p = await repos.profiles.get(account(caller));
      if (!p) throw new NotFoundError("investor profile", account(caller));
      return p;
    },

    /**
     * The market's open listings ranked for the caller (the live listings as the market source: every listing on
     * chain whose room this node fetched and verified, bids learned from the chain's revealed bids), reasons in `lang`.
     */
    async recommendedListings(caller: Caller, lang: Lang) {
      const investorId = account(caller);
      if (!deps.index) throw new NotFoundError("market", "listings");
      return recommendListings({
        clock: deps.clock, index: deps.index, ...(deps.chainNow ? { chainNow: deps.chainNow } : {}),
        fetched: async (a) => {
          const out = [];
          for await (const f of repos.fetched.values({ gt: `${a}!`, lt: `${a}!~` })) out.push(f);
          return out;
        },
        profile: async (a) => {
          const wire = await repos.profiles.get(a);
          return wire ? checkInvestorProfile(wire) : null;
        },
      }, investorId, lang);
    },

    /** The fetched rooms ranked for the caller, with reasons in `lang`. */
    async recommended(caller: Caller, lang: Lang) {
      const investorId = account(caller);
      const wire = await repos.profiles.get(investorId);
      if (!wire) throw new NotFoundError("investor profile", investorId);
      const profile = checkInvestorProfile(wire);
      const rooms = [];
      for await (const f of repos.fetched.values({ gt: `${investorId}!`, lt: `${investorId}!~` })) rooms.push(f);
      const summaries = rooms.map((f) => tapeSummary(f.room.roomId, f.tape)).filter((s) => s.claims.length > 0);
      const bySummary = new Map(rooms.map((f) => [f.room.roomId.replace(/^0x/, ""), f]));
      const version = hashOf({ wire, rooms: rooms.map((f) => [f.room.roomId, f.fetchedAt]) });
      const rec = createMarketRecommendations({
        clock: deps.clock,
        market: { version: async () => version, profiles: async () => [profile], summaries: async () => summaries, open: async () => summaries.map((s) => s.packageId), bids: async () => [] },
      });
      const answer = await rec.forInvestor(investorId, { lang, limit: 20 });
      return {
        asOf: answer.asOf,
        recommendations: answer.recommendations.map((m) => {
          const f = bySummary.get(m.packageId)!;
          return { seller: f.seller, roomId: f.room.roomId, cutOff: f.room.cutOff, claims: f.room.claims, balance: f.tape.totals.balance, predictedValue: m.predictedValue, valueRatioBps: m.valueRatioBps, reasons: m.reasons.map((r) => r.text ?? r.key) };
        }),
      };
    },
  };
}

export type RoomRecommendations = ReturnType<typeof createRoomRecommendations>;
