import { describe, it, expect } from "vitest";
import { forumFactsOf, parseLegalTerms } from "../../src/core/claim-legal.js";
import { normalizeClaim, type ClaimRequest } from "../../src/core/claim-input.js";
import { adviseForums } from "../../src/core/forums.js";
import { claimFromRecords } from "../../src/core/limitation/records.js";
import { claimPeriods } from "../../src/core/limitation.js";
import { dayOf } from "../../src/core/dates.js";

const REQ: ClaimRequest = {
  originatorCode: "BANK1", contractNo: "L-1", principal: "100000", outstanding: "100000", originatedAt: "2020-01-01", maturityAt: "2023-01-01",
  product: "consumer", debtor: { name: "甲", idNumber: "110101199001011234", type: "retail", debtorId: "D1" },
};
const SECRET = "0123456789abcdef0123456789abcdef";

describe("claim-legal", () => {
  describe("parseLegalTerms", () => {
    it("a request without legal terms registers as before (today's clients keep working)", () => {
      expect(normalizeClaim(REQ, SECRET).legal).toBeUndefined();
    });

    it("names the field and the rule of each bad term", () => {
      const bad = (legal: unknown) => () => normalizeClaim({ ...REQ, legal } as ClaimRequest, SECRET, "claims[2]");
      expect(bad({ rates: { annualRateBps: 435, penaltyMarkupBps: 6000 } })).toThrow(expect.objectContaining({ field: "claims[2].legal.rates.penaltyMarkupBps", rule: "pboc-30-50" }));
      expect(bad({ installments: ["2022-01-01", "2021-12-01"] })).toThrow(expect.objectContaining({ field: "claims[2].legal.installments[1]", rule: "ascending" }));
      expect(bad({ installments: ["2022-01-01", "2023-02-01"] })).toThrow(expect.objectContaining({ rule: "not-after-maturityAt" }));
      expect(bad({ guarantors: [{ name: "乙", type: "solidary" }] })).toThrow(expect.objectContaining({ field: "claims[2].legal.guarantors[0].type" }));
      expect(bad({ bankruptcy: { acceptedAt: "2024-01-01", announcedAt: "2024-01-05", filingDeadline: "2024-01-20" } })).toThrow(expect.objectContaining({ field: "claims[2].legal.bankruptcy.filingDeadline", rule: "30-days-to-3-months-after-announcement" }));
      expect(bad({ objection: "yes" })).toThrow(expect.objectContaining({ field: "claims[2].legal.objection", rule: "boolean" }));
      expect(bad({ secretNotes: 1 })).toThrow(expect.objectContaining({ field: "claims[2].legal.secretNotes", rule: "unknown-field" }));
    });

    it("诉讼时效规定第四条: installments registered make the period run from the last one; 民法典第六百九十二条: a guarantor's agreed period is read", () => {
      const legal = parseLegalTerms({ installments: ["2022-07-01", "2022-10-01"], guarantors: [{ name: "乙", type: "joint", periodEndsAt: "2023-06-30" }] }, "2023-01-01");
      const { claim } = claimFromRecords({ claimId: "C", maturityAt: "2023-01-01", collateral: false, installments: legal.installments, guarantee: legal.guarantors![0] }, []);
      const ps = claimPeriods(claim, dayOf("2024-01-01"));
      expect(ps.find((p) => p.kind === "litigation")).toMatchObject({ expiresAt: "2025-10-01", rule: expect.stringContaining("第一百八十九条") });
      expect(ps.find((p) => p.kind === "guarantee-period")).toMatchObject({ expiresAt: "2023-06-30" });
    });
  });

  describe("forumFactsOf", () => {
    it("仲裁法第十六条; 企业破产法第十六条: the record's clause and bankruptcy reach the forums", () => {
      const legal = parseLegalTerms({ arbitrationClause: { intent: true, coversDisputes: true, commission: "北京仲裁委员会" } }, "2023-01-01");
      expect(adviseForums(forumFactsOf(legal), dayOf("2024-01-01")).advised).toBe("payment-order");
      const bankrupt = parseLegalTerms({ bankruptcy: { acceptedAt: "2024-01-01", announcedAt: "2024-01-05", filingDeadline: "2024-03-05" } }, "2023-01-01");
      expect(adviseForums(forumFactsOf(bankrupt), dayOf("2024-02-01"))).toMatchObject({ advised: "bankruptcy-claim", collection: { allowed: false } });
    });
  });
});
