import { describe, it, expect } from "vitest";
import { transferAnnouncement, transferNotices, type TransferFacts, type TransferredClaim } from "../../src/core/transfer-notices.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { claimFromRecords } from "../../src/core/limitation/records.js";
import { claimPeriods } from "../../src/core/limitation.js";
import { dayOf } from "../../src/core/dates.js";

const FACTS: TransferFacts = {
  transferor: "甲银行股份有限公司", transferee: "乙资产管理股份有限公司", transfereeContact: "400-000-0000，北京市西城区某路1号",
  cutoffDate: "2025-03-01", deliveryDate: "2025-04-15", date: "2025-04-20", cureDays: 15, listingNo: "YD-2025-0001",
};
const CLAIM: TransferredClaim = {
  claimId: `0x${"a1".repeat(32)}`, contractNo: "JK-2021-001", currency: "CNY",
  debtor: { name: "张三", natural: true },
  guarantors: [{ name: "李四", natural: true, type: "joint" }, { name: "丙公司", natural: false, type: "general" }],
  amounts: { principal: 12_345_678n, interest: 45_600n, penaltyInterest: 1_000n },
};

describe("transfer-notices", () => {
  describe("transferNotices", () => {
    const notices = transferNotices(FACTS, CLAIM);

    it("民法典第五百四十六条、第六百九十六条: one notice to the debtor and one to each guarantor, each its own document and hash", () => {
      expect(notices.map((n) => [n.party, n.guarantor, n.addressee])).toEqual([["debtor", undefined, "张三"], ["guarantor", 0, "李四"], ["guarantor", 1, "丙公司"]]);
      expect(new Set(notices.map((n) => n.contentHash)).size).toBe(3);
      for (const n of notices) expect(n.contentHash).toBe(contentHashOf(n.text));
    });

    it("Chinese is the operative text, then the labelled English translation; amounts 人民币…元 and dates …年…月…日 as of the 基准日", () => {
      const [debtor] = notices;
      expect(debtor!.text.indexOf(debtor!.zh)).toBe(0);
      expect(debtor!.text).toContain("以中文文本为准");
      expect(debtor!.text.indexOf("English translation")).toBeGreaterThan(debtor!.zh.length);
      expect(debtor!.zh).toContain("债权转让暨催收联合通知书（银登中心挂牌编号：YD-2025-0001）");
      expect(debtor!.zh).toContain("截至基准日2025年3月1日，该债权为本金人民币123,456.78元、利息人民币456.00元、罚息人民币10.00元，合计人民币123,922.78元。");
      expect(debtor!.zh).toContain("于2025年4月15日依法转让给乙资产管理股份有限公司");
      expect(debtor!.en).toContain("As of the cut-off date, 1 March 2025");
    });

    it("民法典第五百四十六条第一款、第一百九十五条第一项: binds the debtor from delivery, demands payment within the cure period from delivery, and interrupts limitation from delivery", () => {
      const zh = notices[0]!.zh;
      expect(zh).toContain("自本通知送达之日起，该转让对您发生效力，请向受让方乙资产管理股份有限公司履行还款义务（民法典第五百四十六条第一款）");
      expect(zh).toContain("请于本通知送达之日起15日内向受让方清偿上述款项");
      expect(zh).toContain("本通知送达之日起诉讼时效中断并重新计算（民法典第一百九十五条第一项）");
      expect(zh).not.toContain("发出之日");
    });

    it("个人信息保护法第二十三条: a natural person is told the buyer's name and contact; a company guarantor's notice has no such paragraph", () => {
      expect(notices[0]!.zh).toContain("受让方名称：乙资产管理股份有限公司；联系方式：400-000-0000，北京市西城区某路1号（《中华人民共和国个人信息保护法》第二十二条、第二十三条）");
      expect(notices[0]!.en).toContain("Personal Information Protection Law arts. 22, 23");
      expect(notices[2]!.zh).not.toContain("个人信息保护法");
    });

    it("民法典第六百九十六条、第六百九十三条第二款: a joint guarantor is called on; a general guarantor is told of the transfer without a demand (第六百八十七条第二款)", () => {
      expect(notices[1]!.zh).toContain("连带责任保证随主债权一并转让（民法典第五百四十七条第一款、第六百九十六条第一款）");
      expect(notices[1]!.zh).toContain("请求您承担连带保证责任");
      expect(notices[2]!.zh).toContain("一般保证随主债权一并转让");
      expect(notices[2]!.zh).not.toContain("特此");
      expect(notices[2]!.zh).not.toContain("诉讼时效中断");
    });

    it("names the field of bad facts", () => {
      expect(() => transferNotices({ ...FACTS, cutoffDate: "2025-02-30" }, CLAIM)).toThrow(expect.objectContaining({ field: "cutoffDate" }));
      expect(() => transferNotices({ ...FACTS, deliveryDate: "2025-02-01" }, CLAIM)).toThrow(expect.objectContaining({ field: "deliveryDate", rule: "not-before-cutoffDate" }));
      expect(() => transferNotices({ ...FACTS, transfereeContact: " " }, CLAIM)).toThrow(expect.objectContaining({ field: "transfereeContact" }));
      expect(() => transferNotices(FACTS, { ...CLAIM, amounts: { principal: -1n } }, "claims[3]")).toThrow(expect.objectContaining({ field: "claims[3].amounts.principal" }));
    });
  });

  describe("transferAnnouncement", () => {
    const second: TransferredClaim = { ...CLAIM, claimId: `0x${"a2".repeat(32)}`, contractNo: "JK-2021-002", debtor: { name: "王五", natural: true }, guarantors: [] };
    it("lists every borrower, guarantor and contract with principal and interest at the 基准日, Chinese first", () => {
      const a = transferAnnouncement(FACTS, [CLAIM, second]);
      expect(a.claimIds).toEqual([CLAIM.claimId, second.claimId]);
      expect(a.zh).toContain("债权转让暨债务催收公告");
      expect(a.zh).toContain("1. 借款人：张三；担保人：李四、丙公司；合同编号：JK-2021-001；本金：123,456.78；利息：466.00");
      expect(a.zh).toContain("2. 借款人：王五；担保人：无");
      expect(a.zh).toContain("截至基准日2025年3月1日（单位：人民币元）");
      expect(a.text.indexOf(a.zh)).toBe(0);
      expect(() => transferAnnouncement(FACTS, [CLAIM, { ...second, currency: "USD" }])).toThrow(expect.objectContaining({ field: "claims", rule: "one-currency" }));
    });

    it("法释〔2001〕12号第十条: recorded in each listed claim, it interrupts limitation for every listed debtor of an AMC's claims, and for nobody of a bank's", () => {
      const a = transferAnnouncement(FACTS, [CLAIM, second]);
      for (const claimId of a.claimIds) {
        const records = [{ recordId: `0x${"e".repeat(64)}`, kind: "announcement" as const, occurredAt: "2025-05-06T00:00:00.000Z", relation: "debtor" as const }];
        const amc = claimFromRecords({ claimId, maturityAt: "2022-06-01", collateral: false, holder: "amc" }, records);
        expect(claimPeriods(amc.claim, dayOf("2025-05-10"))[0]).toMatchObject({ expiresAt: "2028-05-06", status: "running" });
        const bank = claimFromRecords({ claimId, maturityAt: "2022-06-01", collateral: false, holder: "bank" }, records);
        expect(claimPeriods(bank.claim, dayOf("2025-05-10"))[0]).toMatchObject({ expiresAt: "2025-06-01" });
      }
    });
  });
});
