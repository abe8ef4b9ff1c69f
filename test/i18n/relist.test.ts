/**
 * The relist advice's reasons (src/core/market/relist.ts) reach the seller in zh-CN and English: every code the
 * core can emit (found by a scan of its source) has a text in both, with the same placeholders as the params the
 * core gives it, and renders money as yuan and shares as percentages.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { CONSOLE_MESSAGES } from "../../src/i18n/console.js";
import { relistReasonText } from "../../src/i18n/relist.js";
import { RELIST_OPTION_IDS } from "../../src/core/market/relist.js";

const source = readFileSync("src/core/market/relist.ts", "utf8");
const CJK = /[\u4e00-\u9fff]/;

describe("relist reasons in zh-CN and English", () => {
  const codes = [...new Set([...source.matchAll(/code: "([a-z0-9-]+)"/g)].map((m) => m[1]!))];
  // The ternaries pick codes too: `code: cond ? "a" : "b"`.
  for (const m of source.matchAll(/code: [^,"]+\? "([a-z0-9-]+)" : "([a-z0-9-]+)"/g)) codes.push(m[1]!, m[2]!);

  it("the scan finds the codes", () => expect(codes.length).toBeGreaterThan(15));

  it("every code has a text in each language, the zh-CN one in Chinese", () => {
    for (const code of codes) {
      const t = CONSOLE_MESSAGES[`console.relist.reason.${code}`];
      expect(t, code).toBeDefined();
      expect(CJK.test(t!["zh-CN"]), code).toBe(true);
      expect(CJK.test(t!.en), code).toBe(false);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
      expect(names(t!["zh-CN"]), code).toEqual(names(t!.en));
    }
    for (const id of RELIST_OPTION_IDS) expect(CONSOLE_MESSAGES[`console.relist.option.${id}`], id).toBeDefined();
  });

  it("renders money as yuan, shares as percentages, paths by name", () => {
    const r = { code: "withdraw-path-worth-more", params: { path: "litigation-auction", pathValue: "12345678", saleValue: "100", gainBps: 1250 } };
    expect(relistReasonText("en", r)).toBe("Withdraw: Litigation and auction is expected to recover ¥123,456.78 (present value), more than a sale fetches (¥1.00, 12.5% more).");
    expect(relistReasonText("zh-CN", r)).toBe("建议撤回：诉讼及司法拍卖的预期回收现值 ¥123,456.78 高于出售可得 ¥1.00（多 12.5%）。");
  });
});
