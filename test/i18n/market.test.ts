import { describe, it, expect } from "vitest";
import { describeReason, marketText, MARKET_MESSAGES } from "../../src/i18n/market.js";
import { FEATURE_GROUPS } from "../../src/core/market/features.js";
import { scoreMatch } from "../../src/core/market/score.js";
import { learnPreferences } from "../../src/core/market/history.js";
import { packageFeatures } from "../../src/core/market/features.js";
import { checkInvestorProfile } from "../../src/core/market/profile.js";
import { dayOf } from "../../src/core/dates.js";
import { line, pkg } from "../core/market/fixtures.js";

describe("market texts", () => {
  describe("MARKET_MESSAGES", () => {
    it("has every reason a match can give, for and against, in both languages (no Chinese in English)", () => {
      const groups = [...FEATURE_GROUPS, "ticket", "timeBarredTolerance", "returnTarget"];
      const keys = groups.flatMap((g) => [`market.reason.${g}`, `market.against.${g}`]);
      expect(keys.filter((k) => !MARKET_MESSAGES[k])).toEqual([]);
      for (const [key, texts] of Object.entries(MARKET_MESSAGES)) {
        expect({ key, zh: texts["zh-CN"].length > 0, en: /[\u4e00-\u9fff]/.test(texts.en) }).toEqual({ key, zh: true, en: false });
      }
    });
  });

  describe("describeReason", () => {
    it("names the region, the share and the effect, and where the preference comes from, in each language", () => {
      const profile = checkInvestorProfile({ investorId: "amc-a", regions: ["江苏"], ticket: { min: "100000", max: "200000" } });
      const m = scoreMatch(learnPreferences(profile, [], new Map(), dayOf("2025-06-30")), packageFeatures(pkg("P", [line({ region: "nanjing" })])));
      const region = m.reasons.find((r) => r.feature === "region:jiangsu")!;
      expect(describeReason("zh-CN", region)).toBe("江苏省：占本包余额 100%，估值因此上调 22.1%（投资人已声明）");
      expect(describeReason("en", region)).toBe("Jiangsu: 100% of the balance, raises the value by 22.1% (declared by the investor)");
      const ticket = m.reasons.find((r) => r.group === "ticket")!;
      expect(describeReason("en", ticket)).toBe("the package's valuation 5,000.00 yuan is outside the ticket size 1,000.00–2,000.00 yuan, lowers the value by 36.8%");
      expect(marketText("zh-CN", "market.source.learned", { bids: 4, wins: 1 })).toBe("依其以往 4 次出价（1 次中标）得出");
    });
  });
});
