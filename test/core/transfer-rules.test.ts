import { describe, it, expect } from "vitest";
import { checkTransfer, type TransferClaimFacts, type TransferRuleFacts } from "../../src/core/transfer-rules.js";
import { TRANSFER_REFUSALS } from "../../src/i18n/transfer.js";

const personal = (n: number, extra: Partial<TransferClaimFacts> = {}): TransferClaimFacts => ({ claimId: `p${n}`, personal: true, secured: false, acquiredInPersonalBatch: false, ...extra });
const corporate = (n: number): TransferClaimFacts => ({ claimId: `c${n}`, personal: false, secured: true, acquiredInPersonalBatch: false });
const base: TransferRuleFacts = { buyer: "amc-local", claims: [personal(1), personal(2)], listingNo: "YD-2025-0001", cutoffDate: "2025-03-01" };
const codes = (f: TransferRuleFacts) => {
  const v = checkTransfer(f);
  return v.ok ? [] : v.refusals.map((r) => `${r.code}@${r.field}`);
};

describe("transfer-rules", () => {
  describe("checkTransfer", () => {
    it("26号文、1191号文: a batch of unsecured personal NPLs, listed, with a 基准日, to a national or local AMC is allowed", () => {
      expect(checkTransfer(base)).toEqual({ ok: true, batch: true, personal: true });
      expect(checkTransfer({ ...base, buyer: "amc-national" }).ok).toBe(true);
    });

    it("26号文、1191号文: as a seller dumping personal NPLs on an unlicensed buyer — refused for an investor or a bank, naming `to`", () => {
      expect(codes({ ...base, buyer: "investor" })).toEqual(["personal-buyer-not-amc@to"]);
      // One personal loan alone as well (the chain refuses it too: BuyerNotLicensedAmc).
      expect(codes({ ...base, buyer: "investor", claims: [personal(1)] })).toEqual(["personal-buyer-not-amc@to"]);
      expect(codes({ ...base, buyer: "bank" })).toEqual(["personal-buyer-not-amc@to"]);
    });

    it("secured personal loans are excluded by default, claim by claim; the seller's declared exception lets them in", () => {
      const f = { ...base, claims: [personal(1), personal(2, { secured: true })] };
      expect(checkTransfer(f)).toMatchObject({ ok: false, refusals: [{ code: "personal-secured-excluded", field: "claimIds[1]", claimId: "p2" }] });
      expect(checkTransfer({ ...f, allowSecuredPersonal: true }).ok).toBe(true);
    });

    it("the 银登中心 listing number and the 基准日 must be recorded", () => {
      expect(codes({ ...base, listingNo: undefined, cutoffDate: undefined })).toEqual(["listing-missing@listingNo", "cutoff-missing@cutoffDate"]);
      expect(() => checkTransfer({ ...base, listingNo: "含中文" })).toThrow(expect.objectContaining({ field: "listingNo" }));
      expect(() => checkTransfer({ ...base, buyer: "hedge-fund" as never })).toThrow(expect.objectContaining({ field: "buyer" }));
    });

    it("1191号文: as an AMC reselling personal NPLs it bought in a batch — refused for each such claim, even to another AMC", () => {
      const f = { ...base, buyer: "amc-national" as const, claims: [personal(1, { acquiredInPersonalBatch: true }), personal(2)] };
      expect(codes(f)).toEqual(["resale-prohibited@claimIds[0]"]);
      expect(codes({ ...f, claims: [personal(1, { acquiredInPersonalBatch: true })] })).toEqual(["resale-prohibited@claimIds[0]"]);
    });

    it("批量转让办法第三条: ten or more corporate NPLs are a batch, for AMCs only; nine to an investor are not a batch", () => {
      const ten = Array.from({ length: 10 }, (_, i) => corporate(i));
      expect(codes({ ...base, buyer: "investor", claims: ten })).toEqual(["corporate-batch-buyer-not-amc@to"]);
      expect(checkTransfer({ ...base, buyer: "investor", claims: ten.slice(0, 9) })).toEqual({ ok: true, batch: false, personal: false });
    });

    it("财金〔2012〕6号 binds a bank selling: an AMC's corporate batch may go to a qualified investor, its personal claims still may not", () => {
      const ten = Array.from({ length: 10 }, (_, i) => corporate(i));
      expect(checkTransfer({ ...base, buyer: "investor", claims: ten, sellerIsAmc: true })).toEqual({ ok: true, batch: true, personal: false });
      expect(codes({ ...base, buyer: "investor", claims: [...ten, personal(11)], sellerIsAmc: true })).toContain("personal-buyer-not-amc@to");
    });

    it("every refusal reads in zh-CN and English and cites its rule in both", () => {
      for (const [code, m] of Object.entries(TRANSFER_REFUSALS)) {
        expect(m["zh-CN"], code).toMatch(/号文|第[一二三四五六七八九十]+条/);
        expect(m.en, code).toMatch(/No\. \d+|art\. \d+/);
      }
    });
  });
});
