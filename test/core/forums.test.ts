import { describe, it, expect } from "vitest";
import { adviseForums, clauseValidity, filingStatus, ENFORCEMENT_TITLES, TITLE_OF, FORUMS, type ForumFacts } from "../../src/core/forums.js";
import { FORUM_REASONS, COLLECTION_REFUSALS, forumReason } from "../../src/i18n/forums.js";
import { adviseRecovery } from "../../src/core/recovery.js";
import { missingItems } from "../../src/core/process.js";
import { dayOf } from "../../src/core/dates.js";

/** Fixed dates, explicit as-of days: nothing depends on the day the suite runs. */
const LOAN: ForumFacts = { money: true, dueAndCertain: true, counterObligation: false, debtorReachable: true };
const CLAUSE = { intent: true, coversDisputes: true, commission: "上海仲裁委员会" };
const AS_OF = dayOf("2025-06-10");
const forum = (f: ForumFacts, name: string) => adviseForums(f, AS_OF).forums.find((o) => o.forum === name)!;

describe("forums", () => {
  describe("clauseValidity", () => {
    it("仲裁法第十六条: intent, matters and a named commission make a valid clause; each missing one, or 或裁或诉, makes it invalid", () => {
      expect(clauseValidity(CLAUSE)).toEqual({ valid: true, reason: "clause-valid" });
      expect(clauseValidity(undefined).reason).toBe("clause-missing");
      expect(clauseValidity({ ...CLAUSE, intent: false }).reason).toBe("clause-no-intent");
      expect(clauseValidity({ ...CLAUSE, coversDisputes: false }).reason).toBe("clause-no-matters");
      expect(clauseValidity({ ...CLAUSE, commission: " " }).reason).toBe("clause-no-commission");
      expect(clauseValidity({ ...CLAUSE, alsoCourt: true }).reason).toBe("clause-or-court");
    });
  });

  describe("adviseForums", () => {
    it("仲裁法第五条、第九条: a valid clause opens arbitration and closes the court; the award can only be set aside or refused enforcement, never appealed", () => {
      const arb = forum({ ...LOAN, arbitration: CLAUSE }, "arbitration");
      expect(arb).toMatchObject({ available: true, title: "arbitral-award", challenge: "set-aside-or-non-enforcement" });
      expect(forum({ ...LOAN, arbitration: CLAUSE }, "litigation")).toMatchObject({ available: false, reason: "excluded-by-arbitration" });
      expect(forum(LOAN, "arbitration")).toMatchObject({ available: false, reason: "clause-missing" });
      expect(forum(LOAN, "litigation")).toMatchObject({ available: true, challenge: "appeal" });
      expect(FORUM_REASONS["clause-valid"]["zh-CN"]).toContain("不能上诉");
      expect(FORUM_REASONS["clause-valid"].en).not.toMatch(/\bmay appeal\b/);
    });

    it("民事诉讼法第二百二十五条: a payment order needs a due money claim, no counter-obligation and a debtor it can reach; a disputing debtor makes it pointless (第二百二十八条)", () => {
      expect(forum(LOAN, "payment-order").available).toBe(true);
      expect(forum({ ...LOAN, counterObligation: true }, "payment-order").reason).toBe("counter-obligation");
      expect(forum({ ...LOAN, debtorReachable: false }, "payment-order").reason).toBe("unreachable");
      expect(forum({ ...LOAN, dueAndCertain: false }, "payment-order").reason).toBe("not-due");
      expect(forum({ ...LOAN, objection: true }, "payment-order").reason).toBe("objection-defeats");
    });

    it("民法典第四百一十条、民事诉讼法第二百零七条: a registered, undisputed security covering at least 120% goes to the special procedure, rather than nowhere", () => {
      const well = adviseForums({ ...LOAN, security: { registered: true, coverageBps: 15_000 }, objection: true }, AS_OF);
      expect(well.advised).toBe("security-realisation");
      expect(forum({ ...LOAN, security: { registered: true, coverageBps: 11_000 } }, "security-realisation")).toMatchObject({ available: false, reason: "under-secured", vars: { coverage: "110%", threshold: "120%" } });
      expect(forum({ ...LOAN, security: { registered: false, coverageBps: 20_000 } }, "security-realisation").reason).toBe("not-registered");
      expect(forum({ ...LOAN, security: { registered: true, coverageBps: 20_000, disputed: true } }, "security-realisation").reason).toBe("security-disputed");
    });

    it("公证法第三十七条、法释〔2018〕18号: a notarised enforceable instrument goes first, with the 执行证书 as the next step when missing", () => {
      const a = adviseForums({ ...LOAN, notarised: { enforceable: true, certificate: false }, arbitration: CLAUSE }, AS_OF);
      expect(a.advised).toBe("notarised-enforcement");
      expect(forum({ ...LOAN, notarised: { enforceable: true, certificate: false } }, "notarised-enforcement").reason).toBe("certificate-missing");
    });

    it("enforcement accepts each forum's title, each with its article", () => {
      for (const f of FORUMS) expect(ENFORCEMENT_TITLES[TITLE_OF[f]], f).toMatch(/第[一二三四五六七八九十百零]+条/);
    });

    it("企业破产法第十六、四十八条: as a collector chasing a bankrupt debtor — collection is refused, every forum closed, the filing deadline tracked", () => {
      const a = adviseForums({ ...LOAN, arbitration: CLAUSE, bankruptcy: { acceptedAt: "2025-05-01", announcedAt: "2025-05-05", filingDeadline: "2025-07-05" } }, AS_OF);
      expect(a.collection).toMatchObject({ allowed: false, reason: "debtor-in-bankruptcy", rule: expect.stringContaining("第十六条") });
      expect(a.forums.every((o) => !o.available && o.reason === "bankruptcy")).toBe(true);
      expect(a).toMatchObject({ advised: "bankruptcy-claim", filing: { deadline: "2025-07-05", status: "open" } });
      expect(COLLECTION_REFUSALS["debtor-in-bankruptcy"].en).toContain("art");
    });

    it("a debtor's 异议 pauses collection, nothing else", () => {
      const a = adviseForums({ ...LOAN, objection: true }, AS_OF);
      expect(a.collection).toMatchObject({ allowed: false, reason: "debtor-objection" });
      expect(a.advised).toBe("litigation");
    });
  });

  describe("filingStatus", () => {
    const b = { acceptedAt: "2025-05-01", announcedAt: "2025-05-05", filingDeadline: "2025-07-05" };
    it("企业破产法第四十五条、第五十六条: open, expiring within 14 days, late (still fileable before the final distribution), filed", () => {
      expect(filingStatus(b, dayOf("2025-06-20")).status).toBe("open");
      expect(filingStatus(b, dayOf("2025-06-21")).status).toBe("expiring");
      expect(filingStatus(b, dayOf("2025-07-05")).status).toBe("expiring");
      expect(filingStatus(b, dayOf("2025-07-06")).status).toBe("late");
      expect(filingStatus({ ...b, filedAt: "2025-06-01" }, dayOf("2025-08-01")).status).toBe("filed");
    });
    it("企业破产法第四十五条: a deadline under 30 days or over three months after the announcement is refused, naming the field", () => {
      expect(() => filingStatus({ ...b, filingDeadline: "2025-06-01" }, AS_OF)).toThrow(expect.objectContaining({ field: "bankruptcy.filingDeadline" }));
      expect(() => filingStatus({ ...b, filingDeadline: "2025-08-06" }, AS_OF)).toThrow(expect.objectContaining({ field: "bankruptcy.filingDeadline" }));
    });
  });

  describe("forumReason", () => {
    it("every reason reads in both languages; the legal ones cite an article in both", () => {
      for (const [k, m] of Object.entries(FORUM_REASONS)) {
        expect(m["zh-CN"].length, k).toBeGreaterThan(1);
        if (!["available", "not-secured", "not-notarised", "under-secured"].includes(k)) {
          expect(m["zh-CN"], k).toMatch(/第[一二三四五六七八九十百零]+条/);
          expect(m.en, k).toMatch(/arts?\. \d+/);
        }
      }
      expect(forumReason("en", "under-secured", { coverage: "110%", threshold: "120%" })).toContain("110%");
    });
  });
});

describe("recovery with forums", () => {
  const base = { outstanding: 100_000_000n, classIndex: 3, daysPastDue: 200, region: "shanghai" };
  it("企业破产法第十六条: a bankrupt debtor's claim — no self-collection, no restructuring; the court path is the filed claim, with its deadline", () => {
    const forums = adviseForums({ ...LOAN, bankruptcy: { acceptedAt: "2025-05-01", announcedAt: "2025-05-05", filingDeadline: "2025-07-05" } }, dayOf("2025-07-20"));
    const r = adviseRecovery({ ...base, forums });
    expect(r.paths.find((p) => p.path === "self-collection")!.eligible).toBe(false);
    expect(r.paths.find((p) => p.path === "restructuring")!.eligible).toBe(false);
    expect(r.paths.find((p) => p.path === "litigation-auction")!.forum).toBe("bankruptcy-claim");
    expect(r.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(["debtor-in-bankruptcy", "filing-late"]));
    expect(r.reasons.find((x) => x.code === "filing-late")!.zh).toContain("补充申报");
  });
  it("仲裁法第十六条: with a valid clause the court path is arbitration, and the reason says the award is final", () => {
    const r = adviseRecovery({ ...base, forums: adviseForums({ ...LOAN, arbitration: CLAUSE, objection: true }, AS_OF) });
    expect(r.paths.find((p) => p.path === "litigation-auction")!.forum).toBe("arbitration");
    expect(r.reasons.find((x) => x.code === "forum-arbitration")!.zh).toContain("一裁终局");
    expect(r.paths.find((p) => p.path === "self-collection")!.eligible).toBe(false); // the objection pauses collection
  });
  it("without forums the advice is unchanged", () => {
    expect(adviseRecovery(base).paths.find((p) => p.path === "litigation-auction")!.forum).toBeUndefined();
  });
});

describe("process by forum", () => {
  it("the litigation and enforcement stages ask for the forum's documents and title", () => {
    const arb = missingItems("unsecured", "enforcement", [], "", "arbitration");
    expect(arb.documents.map((d) => d.code)).toEqual(expect.arrayContaining(["arbitration-clause", "arbitration-application", "arbitral-award"]));
    expect(arb.documents.map((d) => d.code)).not.toContain("complaint");
    expect(arb.documents.map((d) => d.code)).not.toContain("judgment");
    const sec = missingItems("residential", "enforcement", [], "", "security-realisation");
    expect(sec.documents.map((d) => d.code)).toEqual(expect.arrayContaining(["mortgage-registration", "security-realisation-application", "security-ruling"]));
    const notarised = missingItems("unsecured", "enforcement", [], "", "notarised-enforcement");
    expect(notarised.steps.map((s) => s.code)).toContain("notarised-certificate");
    expect(missingItems("unsecured", "litigation").documents.map((d) => d.code)).toContain("complaint");
  });
});
