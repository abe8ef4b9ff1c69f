import { describe, it, expect } from "vitest";
import {
  FEED_RULES, evidenceKindOf, feedEffects, feedId, feedSummary, validateFeedFile, validateFeedRecord,
  type FeedRecord, type FeedType, type IdentifiedFeed,
} from "../../src/core/feeds.js";
import { canonicalHash } from "../../src/core/canonical.js";
import { parseDay } from "../../src/core/dates.js";
import { classifyAndScore } from "../../src/core/batch.js";
import { assessPortfolio } from "../../src/core/assess.js";
import { REASONS, reasonId, newRiskResult, scoreLoan, type RiskInput } from "../../src/core/risk.js";
import { validateSurvey, CHECKLISTS } from "../../src/core/survey.js";
import { buildValuationModel } from "../../src/core/valuation.js";
import { generateCaseHistory } from "../../src/core/synthetic.js";

const claimId = `0x${"f0".repeat(32)}`;
const NOW = Date.parse("2026-03-10T00:00:00Z");
const ASOF = parseDay("2026-03-10", "asOf");
const H = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

function record(type: FeedType, data: unknown, fetchedAt = "2026-03-01T08:00:00+08:00", source = "zxgk.court.gov.cn"): IdentifiedFeed {
  const r = validateFeedRecord({ type, claimId, provenance: { source, fetchedAt, contentHash: H(fetchedAt.length + type.length) }, data }, "", Date.parse("2026-04-01T00:00:00Z"));
  return { feedId: feedId(r), record: r };
}

const court = (cases: unknown[], at?: string) => record("court-enforcement", { cases }, at);
const aCase = (dishonest: boolean, amount = "5000000") => ({ court: "上海市浦东新区人民法院", caseNo: "(2026)沪0115执1234号", filedAt: "2026-02-10", amount, dishonest });

const base: RiskInput = { daysPastDue: 120, classIndex: 2, productIndex: 0, creditCard: false, outstanding: 1_000_000, collateralValue: 900_000, contagion: false, inObservation: false };

describe("feeds", () => {
  describe("records", () => {
    it("normalises a record and hashes its canonical JSON into its id", () => {
      const r = validateFeedRecord({
        type: "court-enforcement", claimId: claimId.toUpperCase().replace("0X", "0x"),
        provenance: { source: "zxgk.court.gov.cn", fetchedAt: "2026-03-01T08:00:00+08:00", contentHash: H(1).toUpperCase().replace("0X", "0x") },
        data: { cases: [aCase(true)] },
      }, "items[0]", NOW);
      expect(r.claimId).toBe(claimId);
      expect(r.provenance).toEqual({ source: "zxgk.court.gov.cn", fetchedAt: "2026-03-01T00:00:00.000Z", contentHash: H(1) });
      expect(feedId(r)).toBe(canonicalHash(r));
      expect(evidenceKindOf("appraisal")).toBe("valuation");
      expect(evidenceKindOf("court-enforcement")).toBe("desk-search"); // 查册/资信调查, not 现场勘察 (issue 17)
      expect(feedSummary(r).zh).toMatch(/失信/);
    });

    it.each([
      [{ type: "rumour" }, "items[0].type"],
      [{ provenance: { source: "zxgk.court.gov.cn", fetchedAt: "2026-03-01T08:00:00", contentHash: H(1) } }, "items[0].provenance.fetchedAt"],
      [{ provenance: { source: "zxgk.court.gov.cn", fetchedAt: "2027-03-01T08:00:00Z", contentHash: H(1) } }, "items[0].provenance.fetchedAt"],
      [{ provenance: { source: "http://x y", fetchedAt: "2026-03-01T08:00:00Z", contentHash: H(1) } }, "items[0].provenance.source"],
      [{ provenance: { source: "zxgk.court.gov.cn", fetchedAt: "2026-03-01T08:00:00Z", contentHash: "abc" } }, "items[0].provenance.contentHash"],
      [{ data: { cases: [{ ...aCase(true), amount: "12.5" }] } }, "items[0].data.cases[0].amount"],
      [{ data: { cases: [{ ...aCase(true), debtorName: "张三" }] } }, "items[0].data.cases[0].debtorName"],
      [{ data: { cases: [{ ...aCase(true), court: "联系人 13800138000" }] } }, "items[0].data.cases[0].court"],
    ])("refuses %j naming %s", (patch, field) => {
      const good = { type: "court-enforcement", claimId, provenance: { source: "zxgk.court.gov.cn", fetchedAt: "2026-03-01T08:00:00Z", contentHash: H(1) }, data: { cases: [aCase(true)] } };
      expect(() => validateFeedRecord({ ...good, ...patch }, "items[0]", NOW)).toThrow(expect.objectContaining({ field }));
    });

    it("checks a file's header and every item before accepting any", () => {
      const item = { type: "court-enforcement", claimId, provenance: { source: "zxgk.court.gov.cn", fetchedAt: "2026-03-01T08:00:00Z", contentHash: H(1) }, data: { cases: [] } };
      expect(validateFeedFile({ format: "debtrail-feeds/1", items: [item, item] }, NOW)).toHaveLength(2);
      expect(() => validateFeedFile({ format: "csv", items: [item] }, NOW)).toThrow(expect.objectContaining({ field: "format" }));
      expect(() => validateFeedFile({ format: "debtrail-feeds/1", items: [item, { ...item, type: "x" }] }, NOW)).toThrow(expect.objectContaining({ field: "items[1].type" }));
    });
  });

  describe("effects, one table row per feed type", () => {
    type Row = [string, IdentifiedFeed[], { codes: string[]; points: number; urgencyBps: number; senior?: bigint; appraisal?: bigint; share?: number }];
    const rows: Row[] = [
      ["no feeds", [], { codes: [], points: 0, urgencyBps: 0 }],
      ["被执行人 (enforcement case, not dishonest)", [court([aCase(false)])], { codes: ["enforcement-listed"], points: 60, urgencyBps: 5_000 }],
      ["失信被执行人 (dishonest)", [court([aCase(false), aCase(true)])], { codes: ["enforcement-dishonest"], points: 100, urgencyBps: 10_000 }],
      ["taken off the list: the later record with no cases counts", [court([aCase(true)], "2026-02-01T00:00:00Z"), court([], "2026-03-05T00:00:00Z")], { codes: [], points: 0, urgencyBps: 0 }],
      ["a record fetched after asOf does not count", [court([aCase(true)], "2026-03-11T00:00:00Z")], { codes: [], points: 0, urgencyBps: 0 }],
      ["registry: seized, a senior and a junior mortgage", [record("property-registry", {
        seizures: [{ court: "杭州市西湖区人民法院", at: "2026-02-20", rank: 1 }],
        mortgages: [{ rank: 1, amount: "40000000", registeredAt: "2019-05-01", ours: false }, { rank: 2, amount: "90000000", registeredAt: "2020-01-01", ours: true }, { rank: 3, amount: "10000000", registeredAt: "2024-01-01", ours: false }],
      }, undefined, "bdc.hangzhou.gov.cn")], { codes: ["collateral-seized", "collateral-senior-mortgage", "collateral-other-mortgage"], points: 110, urgencyBps: 7_500, senior: 40_000_000n }],
      ["registry: clean", [record("property-registry", { seizures: [], mortgages: [{ rank: 1, amount: "90000000", registeredAt: "2020-01-01", ours: true }] })], { codes: [], points: 0, urgencyBps: 0, senior: 0n }],
      ["third-party appraisal", [record("appraisal", { appraiser: "上海某房地产估价有限公司", reportNo: "沪估字(2026)第0301号", valuedAt: "2026-02-28", value: "250000000", method: "market-comparison" })], { codes: ["appraisal-third-party"], points: 0, urgencyBps: 0, appraisal: 250_000_000n }],
      ["credit bureau: new overdue elsewhere and multiple borrowing", [record("credit-bureau", { reportDate: "2026-03-01", newOverdueElsewhere: true, overdueAmountElsewhere: "3000000", newLoans90d: 4, inquiries90d: 2, crossBankOverdue90Bps: 2_500 })], { codes: ["credit-new-overdue", "credit-multi-lending"], points: 90, urgencyBps: 7_500, share: 0.25 }],
      ["credit bureau: quiet", [record("credit-bureau", { reportDate: "2026-03-01", newOverdueElsewhere: false, newLoans90d: 0, inquiries90d: 5 })], { codes: [], points: 0, urgencyBps: 0 }],
    ];
    it.each(rows)("%s", (_name, feeds, want) => {
      const e = feedEffects(feeds, ASOF);
      expect(e.effects.map((x) => x.code)).toEqual(want.codes);
      expect(e.signals.reduce((s, x) => s + x.points, 0)).toBe(want.points);
      expect(e.signals.reduce((s, x) => s + x.urgencyBps, 0)).toBe(want.urgencyBps);
      for (const s of e.signals) {
        expect(REASONS[s.reason]!.zh && REASONS[s.reason]!.en).toBeTruthy();
        expect(feeds.map((f) => f.feedId)).toContain(s.ref);
      }
      for (const x of e.effects) expect(x.zh && x.en).toBeTruthy();
      if (want.senior !== undefined) expect(e.seniorClaims).toBe(want.senior);
      if (want.appraisal !== undefined) expect(e.appraisal?.value).toBe(want.appraisal);
      expect(e.crossBankOverdue90Share).toBe(want.share);
    });

    it("the rules table and the reasons agree", () => {
      for (const code of Object.keys(FEED_RULES)) expect(reasonId(code), code).toBeGreaterThanOrEqual(0);
    });
  });

  describe("signals in the score", () => {
    it("add their points as reasons and their boosts to urgency and priority; without them nothing changes", () => {
      const plain = scoreLoan(base, newRiskResult());
      const { score, priority, urgencyBps } = plain;
      const e = feedEffects([court([aCase(true)])], ASOF);
      const r = scoreLoan({ ...base, signals: e.signals }, newRiskResult());
      expect(r.score).toBe(score + 100);
      expect(r.urgencyBps).toBe(urgencyBps + 10_000);
      expect(r.priority).toBeGreaterThan(priority);
      expect(r.priority).toBe(Math.round((r.expectedLoss * r.urgencyBps) / 10_000));
      const ids = [...r.urgencyIds].filter((x) => x >= 0).map((x) => REASONS[x]!.code);
      expect(ids).toContain("enforcement-dishonest");
    });

    it("caps the score at 1000 and keeps the four largest urgency boosts", () => {
      const worst: RiskInput = { ...base, daysPastDue: 80, classIndex: 4, productIndex: 2, creditCard: true, collateralValue: -1, contagion: true, inObservation: true };
      const signals = [
        ...feedEffects([court([aCase(true)])], ASOF).signals,
        ...feedEffects([record("property-registry", { seizures: [{ court: "某法院", at: "2026-02-20", rank: 2 }], mortgages: [] })], ASOF).signals,
        ...feedEffects([record("credit-bureau", { reportDate: "2026-03-01", newOverdueElsewhere: true, newLoans90d: 9, inquiries90d: 9 })], ASOF).signals,
      ];
      const r = scoreLoan({ ...worst, signals }, newRiskResult());
      expect(r.score).toBe(1000);
      const boosts = [...r.urgencyBoosts].filter((b) => b > 0).sort((a, b) => b - a);
      expect(boosts).toEqual([10_000, 7_500, 5_000, 5_000]);
      expect(r.urgencyBps).toBe(10_000 + 5_000 + 5_000 + 10_000 + 7_500 + 5_000 + 2_500);
    });

    it("the batch takes signals per loan (sparse) and leaves other loans alone", () => {
      const loans = [0, 1, 2].map((k) => ({ loanId: `L${k}`, product: "consumer" as const, debtorType: "retail" as const, debtorId: `D${k}`, outstanding: "1000000", daysPastDue: 100 }));
      const without = classifyAndScore({ asOf: "2026-03-10", loans });
      const signals = { index: [1], signals: [feedEffects([court([aCase(false)])], ASOF).signals] };
      const withSig = classifyAndScore({ asOf: "2026-03-10", loans }, { signals });
      expect(withSig.priority[0]).toBe(without.priority[0]);
      expect(withSig.priority[2]).toBe(without.priority[2]);
      expect(withSig.priority[1]).toBeGreaterThan(without.priority[1]!);
      expect(withSig.score[1]).toBe(without.score[1]! + 60);
      expect(() => classifyAndScore({ asOf: "2026-03-10", loans }, { signals: { index: [2, 1], signals: [[], []] } })).toThrow(expect.objectContaining({ field: "signals.index[1]" }));
      expect(() => classifyAndScore({ asOf: "2026-03-10", loans }, { signals: { index: [3], signals: [[]] } })).toThrow(expect.objectContaining({ field: "signals.index[0]" }));
    });
  });

  describe("assessPortfolio with outside facts", () => {
    const { cases } = generateCaseHistory(31, { count: 3000, to: "2026-03-01" });
    const model = buildValuationModel(cases);
    const loan = { loanId: "M1", product: "mortgage" as const, debtorType: "retail" as const, debtorId: "P1", outstanding: "300000000", daysPastDue: 200,
      collateral: { assetType: "residential", region: "shanghai", area: 90, ageYears: 10 } };

    it("raises priority with the reason and its feed id when the debtor is on the enforcement list", () => {
      const before = assessPortfolio({ asOf: "2026-03-10", loans: [loan] }, { valuation: model }).results[0]!;
      const feed = court([aCase(true)]);
      const after = assessPortfolio({ asOf: "2026-03-10", loans: [loan] }, { valuation: model, outside: [{ feeds: feedEffects([feed], ASOF) }] }).results[0]!;
      expect(BigInt(after.risk.priority)).toBeGreaterThan(BigInt(before.risk.priority));
      expect(after.risk.urgencyBps).toBe(before.risk.urgencyBps + 10_000);
      expect(after.risk.priorityReasons).toContainEqual(expect.objectContaining({ code: "enforcement-dishonest", bps: 10_000, ref: feed.feedId }));
      expect(after.collateralAdjustments).toBeUndefined();
    });

    it("applies the survey, a lower appraisal and senior mortgages to the collateral in stated steps", () => {
      const answers: Record<string, { value: string }> = {};
      for (const it of CHECKLISTS.residential.items) if (it.required) answers[it.id] = { value: it.options[0]!.value };
      answers.structure = { value: "structural-damage" };
      const s = validateSurvey(`0x${"aa".repeat(32)}`, { assetType: "residential", surveyedAt: "2026-03-05T10:00:00+08:00", surveyor: "sv-1", location: { region: "shanghai" }, answers }, NOW);
      const plain = assessPortfolio({ asOf: "2026-03-10", loans: [loan] }, { valuation: model }).results[0]!;
      const surveyed = assessPortfolio({ asOf: "2026-03-10", loans: [loan] }, { valuation: model, outside: [{ survey: { survey: s.survey, hash: s.hash } }] }).results[0]!;
      const model75 = (BigInt(plain.valuation!.value) * 7_500n + 5_000n) / 10_000n;
      expect(surveyed.valuation!.value).toBe(model75.toString());
      expect(surveyed.valuation!.survey).toMatchObject({ id: s.id, hash: s.hash, before: { value: plain.valuation!.value } });
      expect(surveyed.collateralAdjustments).toMatchObject({ basis: "valuation", before: plain.valuation!.value, after: model75.toString(), steps: [{ source: "survey", ref: s.id, code: "structural-damage", factorBps: 7_500 }] });
      expect(BigInt(surveyed.risk.expectedLoss)).toBeGreaterThan(BigInt(plain.risk.expectedLoss));

      const appraisal = record("appraisal", { appraiser: "某估价公司", reportNo: "A-1", valuedAt: "2026-03-01", value: (model75 - 1_000_000n).toString(), method: "market-comparison" });
      const registry = record("property-registry", { seizures: [], mortgages: [{ rank: 1, amount: "20000000", registeredAt: "2019-01-01", ours: false }, { rank: 2, amount: "1", registeredAt: "2020-01-01", ours: true }] });
      const all = assessPortfolio({ asOf: "2026-03-10", loans: [loan] }, { valuation: model, outside: [{ survey: { survey: s.survey, hash: s.hash }, feeds: feedEffects([appraisal, registry], ASOF) }] }).results[0]!;
      const adj = all.collateralAdjustments!;
      expect(adj.steps.map((x) => x.code)).toEqual(["structural-damage", "appraisal-lower", "senior-claims-deducted"]);
      expect(adj.market).toBe((model75 - 1_000_000n).toString());
      expect(adj.after).toBe((model75 - 1_000_000n - 20_000_000n).toString());
      expect(adj.steps[2]).toMatchObject({ ref: registry.feedId, amount: "20000000" });
      // +40 for the senior mortgage; a lower value can only worsen the coverage contribution.
      expect(all.risk.score).toBeGreaterThanOrEqual(surveyed.risk.score + 40);
    });

    it("without a model valuation, a third-party appraisal replaces the appraisal on file", () => {
      const car = { ...loan, product: "consumer" as const, collateral: { assetType: "vehicle", region: "shanghai", area: 1, ageYears: 3, appraisedValue: "20000000" } };
      const appraisal = record("appraisal", { appraiser: "某二手车评估公司", reportNo: "V-1", valuedAt: "2026-03-01", value: "15000000", method: "market-comparison" });
      const r = assessPortfolio({ asOf: "2026-03-10", loans: [car] }, { valuation: model, outside: [{ feeds: feedEffects([appraisal], ASOF) }] }).results[0]!;
      expect(r.collateralValue).toBe("15000000");
      expect(r.collateralAdjustments).toMatchObject({ basis: "third-party-appraisal", before: "20000000", after: "15000000" });
    });
  });
});
