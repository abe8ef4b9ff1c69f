import { describe, it, expect } from "vitest";
import { checkBid, learnPreferences, type BidRecord } from "../../../src/core/market/history.js";
import { featureIndex, packageFeatures, type PackageFeatures } from "../../../src/core/market/features.js";
import { checkInvestorProfile } from "../../../src/core/market/profile.js";
import { ValidationError } from "../../../src/core/errors.js";
import { dayOf } from "../../../src/core/dates.js";
import { line, pkg } from "./fixtures.js";

// Ten packages: even ones in Sichuan, odd ones in Hubei; all valued at P50 = 500,000 fen.
const packages = new Map<string, PackageFeatures>();
for (let i = 0; i < 10; i++) packages.set(`P${i}`, packageFeatures(pkg(`P${i}`, [line({ region: i % 2 ? "wuhan" : "chengdu" })])));
const asOf = dayOf("2025-06-30");
const profile = checkInvestorProfile({ investorId: "amc-b", returnTargetBps: 1000 });
/** Bids at `sichuan` × P50 on Sichuan packages and `hubei` × P50 on Hubei ones. */
const bidsAt = (sichuan: number, hubei: number, day = "2025-03-01", investorId = "amc-b"): BidRecord[] =>
  [...packages.keys()].map((id, i) => ({ packageId: id, investorId, amount: BigInt(Math.round(500_000 * (i % 2 ? hubei : sichuan))), day, won: i % 2 === 0 }));

describe("history", () => {
  describe("learnPreferences", () => {
    it("learns a preference never declared: bidding higher relative to value in Sichuan gives Sichuan the higher weight", () => {
      const m = learnPreferences(profile, bidsAt(1.1, 0.7), packages, asOf);
      const sichuan = m.weights[featureIndex("region:sichuan")]!, hubei = m.weights[featureIndex("region:hubei")]!;
      expect(sichuan - hubei).toBeGreaterThan(0.2);
      expect(m.declared[featureIndex("region:sichuan")]).toBe(0);
      expect(m.bids).toBe(10);
      expect(m.wins).toBe(5);
      expect(m.bidsExposed[featureIndex("region:sichuan")]).toBe(5);
      expect(m.winsExposed[featureIndex("region:sichuan")]).toBe(5);
      expect(m.winsExposed[featureIndex("region:hubei")]).toBe(0);
    });

    it("time is an argument: bids after asOf are not known yet, and an old season counts less than a recent one", () => {
      const future = learnPreferences(profile, bidsAt(1.1, 0.7, "2025-07-01"), packages, asOf);
      expect(future.bids).toBe(0);
      expect(future.weights[featureIndex("region:sichuan")]).toBe(0);
      const mixed = [...bidsAt(1.1, 0.7, "2021-06-30"), ...bidsAt(0.7, 1.1, "2025-06-01")];
      const m = learnPreferences(profile, mixed, packages, asOf);
      expect(m.weights[featureIndex("region:hubei")]!).toBeGreaterThan(m.weights[featureIndex("region:sichuan")]!);
    });

    it("learns only from this investor's bids on known packages (another's bids, unknown packages ignored)", () => {
      const others = bidsAt(2, 0.1, "2025-03-01", "amc-c");
      const unknown: BidRecord = { packageId: "P99", investorId: "amc-b", amount: 1n, day: "2025-03-01", won: false };
      const m = learnPreferences(profile, [...others, unknown], packages, asOf);
      expect(m.bids).toBe(0);
    });

    it("a declared region holds without bids, and bids against it move it", () => {
      const declared = checkInvestorProfile({ investorId: "amc-b", regions: ["四川"], returnTargetBps: 1000 });
      const before = learnPreferences(declared, [], packages, asOf);
      const after = learnPreferences(declared, [...bidsAt(0.6, 1.2), ...bidsAt(0.6, 1.2, "2025-04-01")], packages, asOf);
      expect(before.weights[featureIndex("region:sichuan")]).toBeGreaterThan(before.weights[featureIndex("region:hubei")]!);
      expect(after.weights[featureIndex("region:sichuan")]).toBeLessThan(after.weights[featureIndex("region:hubei")]!);
    });
  });

  describe("checkBid", () => {
    it("refuses a float amount and a bad day, naming the field", () => {
      const bid = { packageId: "P1", investorId: "amc-b", amount: "100", day: "2025-03-01", won: false };
      expect(checkBid(bid).amount).toBe(100n);
      expect(() => checkBid({ ...bid, amount: 1.5 })).toThrow(expect.objectContaining({ field: "bid.amount", rule: "fen" }));
      expect(() => checkBid({ ...bid, day: "2025-02-30" })).toThrow(ValidationError);
      expect(() => checkBid({ ...bid, won: "yes" })).toThrow(expect.objectContaining({ field: "bid.won", rule: "boolean" }));
    });
  });
});
