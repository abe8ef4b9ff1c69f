import { describe, it, expect } from "vitest";
import { generateMarket, marketToWire, parseMarket } from "../../../src/core/market/synthetic.js";

const small = { investors: 20, packages: 60, heldOut: 15 };

describe("synthetic market", () => {
  describe("generateMarket", () => {
    it("is deterministic for a seed, and another seed gives another market", () => {
      const a = JSON.stringify(marketToWire(generateMarket(5, small)));
      expect(JSON.stringify(marketToWire(generateMarket(5, small)))).toBe(a);
      expect(JSON.stringify(marketToWire(generateMarket(6, small)))).not.toBe(a);
    });

    it("bids only on the season's packages, before asOf; each package's winner is its highest bid at or above the reserve", () => {
      const m = generateMarket(5, small);
      expect(m.heldOut).toHaveLength(15);
      const held = new Set(m.heldOut);
      expect(m.bids.some((b) => held.has(b.packageId))).toBe(false);
      expect(m.bids.every((b) => b.day <= m.asOf)).toBe(true);
      for (const p of m.packages.filter((p) => !held.has(p.packageId))) {
        const bids = m.bids.filter((b) => b.packageId === p.packageId);
        const winners = bids.filter((b) => b.won);
        expect(winners.length).toBeLessThanOrEqual(1);
        const top = bids.filter((b) => b.amount >= (p.reserve ?? 0n)).sort((a, b) => (b.amount > a.amount ? 1 : -1))[0];
        expect(winners[0]?.investorId).toBe(top?.investorId);
      }
    });
  });

  describe("marketToWire / parseMarket", () => {
    it("writes amounts as decimal strings and reads back the same market through the checks (profiles, summaries, bids)", () => {
      const m = generateMarket(5, small);
      const text = JSON.stringify(marketToWire(m));
      expect(text).not.toMatch(/"balance":\d/);
      expect(parseMarket(JSON.parse(text))).toEqual(m);
    });

    it("refuses a file whose profile has a wrong field, naming it", () => {
      const wire = marketToWire(generateMarket(5, small)) as { profiles: Array<Record<string, unknown>> };
      wire.profiles[3]!.regions = ["Atlantis"];
      expect(() => parseMarket(wire)).toThrow(expect.objectContaining({ field: "profiles[3].regions[0]", rule: "region-unknown" }));
    });
  });
});
