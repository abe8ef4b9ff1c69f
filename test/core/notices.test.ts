import { describe, it, expect } from "vitest";
import { renderNotice, type NoticeFacts } from "../../src/core/notices.js";
import { checkDocumentCommitment, commitDocument, contentHashOfText, documentCommitment } from "../../src/core/commitment.js";
import { ValidationError } from "../../src/core/errors.js";
import { letterAmount, letterDate } from "../../src/i18n/letters.js";

const CJK = /[\u4e00-\u9fff]/;
const base: NoticeFacts = {
  type: "warning", claimId: `0x${"ab".repeat(32)}`, contractNo: "HT-2021-0001", debtorName: "欧阳明华", creditor: "Demo AMC",
  outstanding: 12_345_678n, currency: "CNY", daysPastDue: 45, asOfDate: "2025-03-01", cureDays: 15,
};
const demand = (over: Partial<NoticeFacts> = {}) => renderNotice({ ...base, type: "demand", ...over });

describe("notices", () => {
  describe("renderNotice", () => {
    it("Chinese is the operative text: the Chinese letter comes first, the English follows as a labelled translation", () => {
      for (const type of ["warning", "demand"] as const) {
        const n = renderNotice({ ...base, type });
        expect(n.text.startsWith(`${n.zh}\n`)).toBe(true);
        expect(n.text.indexOf("英文译文（仅供参考；中英文本如有不一致，以中文文本为准）")).toBeGreaterThan(n.text.indexOf(n.zh) + n.zh.length - 1);
        expect(n.text).toContain("English translation (for reference only; if the two texts differ, the Chinese text prevails)");
        expect(n.text.endsWith(`${n.en}\n`)).toBe(true);
        expect(n.zh).toMatch(type === "warning" ? /^逾期还款提醒函\n欧阳明华：/ : /^催收通知书\n欧阳明华：/);
        expect(n.zh).not.toMatch(/Dear|Creditor|overdue/);
        expect(CJK.test(n.en.replaceAll("欧阳明华", ""))).toBe(false);
      }
    });

    it("amounts read 人民币123,456.78元 and dates 2025年3月1日 (English: RMB 123,456.78, 1 March 2025)", () => {
      const n = demand();
      expect(n.zh).toContain("截至2025年3月1日，您尚欠本息合计人民币123,456.78元。");
      expect(n.zh).toContain("日期：2025年3月1日");
      expect(n.en).toContain("As of 1 March 2025 you owe RMB 123,456.78");
      expect(n.text).not.toContain("CNY");
      expect(n.text).not.toContain("2025-03-01");
      expect(letterAmount("zh-CN", 100n, "USD")).toBe("1.00美元");
      expect(letterAmount("zh-CN", 5n, "CNY")).toBe("人民币0.05元");
      expect(letterDate("en", "2024-12-31")).toBe("31 December 2024");
      expect(() => letterDate("zh-CN", "2025-02-30")).toThrow(ValidationError);
    });

    it("a demand itemises the claim as of its date (principal, interest, default interest where given); the items must add up", () => {
      const items = { principal: 10_000_000n, interest: 2_000_000n, penaltyInterest: 345_678n };
      const n = demand({ items });
      expect(n.zh).toContain("截至2025年3月1日，您尚欠本金人民币100,000.00元、利息人民币20,000.00元、罚息人民币3,456.78元，合计人民币123,456.78元。");
      expect(n.en).toContain("As of 1 March 2025 you owe principal RMB 100,000.00, interest RMB 20,000.00, default interest RMB 3,456.78: RMB 123,456.78 in total.");
      expect(n.zh).not.toContain("复利");
      expect(() => demand({ items: { ...items, interest: 1n } })).toThrow(expect.objectContaining({ field: "items" }));
    });

    it("a demand declares acceleration (提前到期) only where the contract allows it; otherwise it demands what is overdue", () => {
      const accelerated = demand({ accelerationAllowed: true, overdue: 3_000_000n });
      expect(accelerated.zh).toContain("根据借款合同关于提前到期的约定，债权人现宣布上述借款全部提前到期。");
      expect(accelerated.zh).toContain("清偿上述全部欠款人民币123,456.78元");
      const notAllowed = demand({ accelerationAllowed: false, overdue: 3_000_000n });
      expect(notAllowed.text).not.toContain("提前到期");
      expect(notAllowed.text).not.toMatch(/acceleration/i);
      expect(notAllowed.zh).toContain("清偿已到期未付的款项人民币30,000.00元；尚未到期的部分仍按借款合同约定的期限偿还。");
      // A matured loan: everything is due, without any acceleration.
      expect(demand({ overdue: base.outstanding }).zh).toContain("清偿上述全部欠款人民币123,456.78元");
      expect(demand({ overdue: base.outstanding }).text).not.toContain("提前到期");
    });

    it("a demand names the repayment account, or tells the debtor to pay only into one the creditor confirms in writing", () => {
      const n = demand({ repaymentAccount: { name: "某某资产管理有限公司", bank: "中国工商银行上海分行", number: "1001 2345 6789" } });
      expect(n.zh).toContain("请将款项汇入以下账户：户名：某某资产管理有限公司；开户行：中国工商银行上海分行；账号：1001 2345 6789。");
      expect(demand().zh).toContain("还款账户以债权人书面确认的为准");
      expect(() => demand({ repaymentAccount: { name: "x", bank: " ", number: "1" } })).toThrow(expect.objectContaining({ field: "repaymentAccount" }));
    });

    it("民法典第一百三十七条: the cure period runs from delivery (自本函送达之日起…日内), never from sending", () => {
      expect(renderNotice(base).zh).toContain("请于本函送达之日起15日内归还全部逾期款项。");
      expect(demand().zh).toContain("本通知书送达之日起15日内");
      expect(renderNotice(base).en).toContain("within 15 days of the day this letter is delivered to you");
      expect(renderNotice(base).text).not.toContain("发出之日");
      expect(demand().text).not.toContain("发出之日");
    });

    it("a demand threatens no collateral disposal where there is no collateral", () => {
      expect(demand().text).not.toMatch(/抵押|collateral|mortgage/);
      expect(demand({ secured: false }).text).not.toMatch(/抵押|collateral|mortgage/);
      expect(demand({ secured: true }).zh).toContain("依法就抵押财产优先受偿");
      expect(demand({ secured: true }).en).toContain("enforce its mortgage on the collateral");
    });

    it("民法典第一百九十五条第一项: the letter states that from its delivery the limitation period is interrupted and runs afresh", () => {
      expect(renderNotice(base).zh).toContain("本函送达之日起诉讼时效中断并重新计算（《中华人民共和国民法典》第一百九十五条第一项）。");
      expect(demand().zh).toContain("本通知书送达之日起诉讼时效中断并重新计算（《中华人民共和国民法典》第一百九十五条第一项）。");
      expect(renderNotice(base).text).not.toContain("构成对诉讼时效的主张");
    });

    it("the salted commitment covers the whole document, translation included: the oracle's flow is unchanged", () => {
      const n = demand({ secured: true });
      expect(n.contentHash).toBe(contentHashOfText(n.text));
      const c = commitDocument(n.text);
      expect(c.contentHash).toBe(n.contentHash);
      expect(c.commitment).toBe(documentCommitment(c.salt, n.contentHash));
      expect(checkDocumentCommitment({ salt: c.salt, contentHash: n.contentHash, commitment: c.commitment })).toBe(true);
      const doctored = n.text.replace("Formal demand for payment", "Reminder");
      expect(checkDocumentCommitment({ salt: c.salt, contentHash: contentHashOfText(doctored), commitment: c.commitment })).toBe(false);
      expect(demand({ secured: true })).toEqual(n); // same facts, same letter
    });

    it("refuses bad facts naming the field", () => {
      expect(() => renderNotice({ ...base, asOfDate: "2025-13-01" })).toThrow(expect.objectContaining({ field: "asOfDate" }));
      expect(() => renderNotice({ ...base, outstanding: -1n })).toThrow(expect.objectContaining({ field: "outstanding" }));
      expect(() => renderNotice({ ...base, cureDays: 0 })).toThrow(expect.objectContaining({ field: "cureDays" }));
      expect(() => renderNotice({ ...base, type: "final" as never })).toThrow(expect.objectContaining({ field: "type" }));
      expect(() => demand({ overdue: base.outstanding + 1n })).toThrow(expect.objectContaining({ field: "overdue" }));
    });
  });
});
