import { describe, it, expect } from "vitest";
import { buildMarketModels, recommendInvestors, recommendPackages } from "../../../src/core/market/recommend.js";
import { checkInvestorProfile } from "../../../src/core/market/profile.js";
import type { BidRecord } from "../../../src/core/market/history.js";
import { dayOf } from "../../../src/core/dates.js";
import { line, pkg } from "./fixtures.js";

const asOf = dayOf("2025-06-30");
// Both declare the same: Sichuan and Hubei. Past packages: S* in Chengdu, H* in Wuhan.
const profiles = ["amc-a", "amc-b"].map((id) => checkInvestorProfile({ investorId: id, regions: ["sichuan", "hubei"], returnTargetBps: 1500 }));
const past = [0, 1, 2, 3].flatMap((i) => [pkg(`S${i}`, [line({ region: "chengdu" })]), pkg(`H${i}`, [line({ region: "wuhan" })])]);
const listed = [pkg("NEW-S", [line({ region: "chengdu" })]), pkg("NEW-H", [line({ region: "wuhan" })])];
/** amc-b bids 20% higher relative to value on Sichuan packages than amc-a; amc-a higher on Hubei ones. */
const bids: BidRecord[] = [0, 1, 2, 3].flatMap((i) => [
  { packageId: `S${i}`, investorId: "amc-a", amount: 420_000n, day: "2025-02-01", won: false },
  { packageId: `S${i}`, investorId: "amc-b", amount: 520_000n, day: "2025-02-01", won: true },
  { packageId: `H${i}`, investorId: "amc-a", amount: 520_000n, day: "2025-02-01", won: true },
  { packageId: `H${i}`, investorId: "amc-b", amount: 420_000n, day: "2025-02-01", won: false },
]);

describe("recommend", () => {
  describe("recommendInvestors", () => {
    it("a learned preference moves the ranking: same declared profiles, but the Sichuan package goes to who bid higher on Sichuan", () => {
      const declaredOnly = buildMarketModels(profiles, [...past, ...listed], [], asOf);
      const learned = buildMarketModels(profiles, [...past, ...listed], bids, asOf);
      const ids = (m: typeof learned, id: string) => recommendInvestors(m.packages.get(id)!, m.investors.values()).map((r) => r.investorId);
      expect(ids(declaredOnly, "NEW-S")).toEqual(["amc-a", "amc-b"]); // a tie, broken by id
      expect(ids(learned, "NEW-S")).toEqual(["amc-b", "amc-a"]);
      expect(ids(learned, "NEW-H")).toEqual(["amc-a", "amc-b"]);
      const top = recommendInvestors(learned.packages.get("NEW-S")!, learned.investors.values())[0]!;
      expect(top.reasons[0]).toMatchObject({ feature: "region:sichuan", declared: true, bids: 4, wins: 4 });
    });

    it("recommends only the eligible (a bank's batch goes to licensed AMCs only), and at most `limit`", () => {
      const m = buildMarketModels(profiles, [...past, ...listed], bids, asOf);
      const only = recommendInvestors(m.packages.get("NEW-S")!, m.investors.values(), { eligible: (id) => id === "amc-a" });
      expect(only.map((r) => r.investorId)).toEqual(["amc-a"]);
      expect(recommendInvestors(m.packages.get("NEW-S")!, m.investors.values(), { limit: 1 })).toHaveLength(1);
      expect(() => recommendInvestors(m.packages.get("NEW-S")!, m.investors.values(), { limit: 0 })).toThrow(expect.objectContaining({ field: "limit", rule: "integer-range" }));
    });
  });

  describe("recommendPackages", () => {
    it("ranks the packages an investor would value most first", () => {
      const m = buildMarketModels(profiles, [...past, ...listed], bids, asOf);
      const open = listed.map((s) => m.packages.get(s.packageId)!);
      expect(recommendPackages(m.investors.get("amc-b")!, open).map((r) => r.packageId)).toEqual(["NEW-S", "NEW-H"]);
      expect(recommendPackages(m.investors.get("amc-a")!, open).map((r) => r.packageId)).toEqual(["NEW-H", "NEW-S"]);
    });
  });

  describe("buildMarketModels", () => {
    it("refuses an investor or a package listed twice", () => {
      expect(() => buildMarketModels([profiles[0]!, profiles[0]!], past, [], asOf)).toThrow(expect.objectContaining({ field: "profiles[1].investorId", rule: "duplicate" }));
      expect(() => buildMarketModels(profiles, [past[0]!, past[0]!], [], asOf)).toThrow(expect.objectContaining({ field: "packages[1].packageId", rule: "duplicate" }));
    });
  });
});
