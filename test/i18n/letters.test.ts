import { describe, it, expect } from "vitest";
import { LETTER_MESSAGES, letterAmount, letterDate, letterText, TRANSLATION_LABEL } from "../../src/i18n/letters.js";
import { ValidationError } from "../../src/core/errors.js";

describe("letters", () => {
  describe("letterAmount", () => {
    it.each([
      [12_345_678n, "CNY", "人民币123,456.78元", "RMB 123,456.78"],
      [5n, "CNY", "人民币0.05元", "RMB 0.05"],
      [100_000_000_000n, "cny", "人民币1,000,000,000.00元", "RMB 1,000,000,000.00"],
      [150_000n, "USD", "1,500.00美元", "USD 1,500.00"],
      [150_000n, "CHF", "CHF 1,500.00", "CHF 1,500.00"],
    ])("%s fen of %s → %s / %s", (fen, currency, zh, en) => {
      expect(letterAmount("zh-CN", fen, currency)).toBe(zh);
      expect(letterAmount("en", fen, currency)).toBe(en);
    });
  });
  describe("letterDate", () => {
    it.each([["2025-03-01", "2025年3月1日", "1 March 2025"], ["2024-12-31", "2024年12月31日", "31 December 2024"], ["2024-02-29", "2024年2月29日", "29 February 2024"]])(
      "%s → %s / %s", (day, zh, en) => {
        expect(letterDate("zh-CN", day)).toBe(zh);
        expect(letterDate("en", day)).toBe(en);
      });
    it.each(["2025-02-29", "2025-3-1", "2025-00-10", "01/03/2025"])("refuses %s naming the field", (day) => {
      expect(() => letterDate("zh-CN", day, "asOfDate")).toThrow(ValidationError);
      expect(() => letterDate("zh-CN", day, "asOfDate")).toThrow(expect.objectContaining({ field: "asOfDate" }));
    });
  });
  describe("letterText", () => {
    it("every letter text exists in both languages; the English has no Chinese, and the translation label says the Chinese prevails", () => {
      for (const [key, texts] of Object.entries(LETTER_MESSAGES)) {
        expect({ key, zh: texts["zh-CN"].length > 0, en: texts.en.length > 0 }).toEqual({ key, zh: true, en: true });
        expect({ key, en: /[\u4e00-\u9fff]/.test(texts.en) }).toEqual({ key, en: false });
      }
      expect(TRANSLATION_LABEL["zh-CN"]).toContain("以中文文本为准");
      expect(TRANSLATION_LABEL.en).toContain("the Chinese text prevails");
    });
    it("民法典第一百九十五条第一项: the limitation sentence runs from delivery", () => {
      expect(letterText("zh-CN", "warning.limitation")).toBe("本函送达之日起诉讼时效中断并重新计算（《中华人民共和国民法典》第一百九十五条第一项）。");
      expect(letterText("en", "demand.limitation")).toContain("delivered");
    });
  });
});
