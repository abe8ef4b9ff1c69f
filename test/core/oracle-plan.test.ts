import { describe, it, expect } from "vitest";
import { planReport, noticeDueAt, ALLOWED_EDGES, CASE_STATES, type CaseView, type ReportFigures } from "../../src/core/oracle-plan.js";

const DAY = 86_400;
const T0 = 1_800_000_000; // any block time: the rule only compares times with each other
const terms = { warnDays: 1, demandDays: 30, arbitrationDays: 90, coverageBps: 12_000, noticeDays: 15 };
const caseAt = (state: number, over: Partial<CaseView> = {}): CaseView => ({
  state, nonce: 3, lastAsOf: T0, lastNoticeAt: T0, stateSince: T0, ...terms, ...over,
});
const figures = (asOf: number, daysPastDue: number, over: Partial<ReportFigures> = {}): ReportFigures => ({
  asOf, daysPastDue, outstanding: 1_000n, collateralValue: 0n, classification: 2, riskGrade: 3, ...over,
});

describe("planReport: the notice periods, in block time", () => {
  it("does not propose the demand before noticeDays after the warning, however many days past due are reported", () => {
    const warned = caseAt(2);
    for (const wait of [1, DAY, 15 * DAY - 1]) {
      const plan = planReport(figures(T0 + wait, 200), warned, terms, undefined, T0 + wait);
      expect(plan).toEqual({ figures: figures(T0 + wait, 200), notice: null, transitions: [] });
    }
    const due = planReport(figures(T0 + 15 * DAY, 200), warned, terms, undefined, T0 + 15 * DAY);
    expect(due).toMatchObject({ notice: "demand", transitions: ["demanded"] });
  });

  it("skips with notice-period-running when only the period holds the step back and the figures did not change", () => {
    const f = figures(T0 + DAY, 45);
    expect(planReport(f, caseAt(2), terms, { ...f, asOf: T0 }, T0 + DAY)).toEqual({ skip: "notice-period-running" });
    expect(planReport(f, caseAt(3), terms, { ...f, asOf: T0 }, T0 + DAY)).toEqual({ skip: "unchanged" }); // 45 < 90: nothing waits
    const g = figures(T0 + DAY, 120);
    expect(planReport(g, caseAt(3), terms, { ...g, asOf: T0 }, T0 + DAY)).toEqual({ skip: "notice-period-running" });
    expect(planReport(g, caseAt(3), terms, { ...g, asOf: T0 }, T0 + 15 * DAY)).toMatchObject({ transitions: ["in-arbitration"] });
  });

  it("after a refused ruling the arbitration waits noticeDays from the refusal, not from the old demand", () => {
    const refused = caseAt(3, { lastNoticeAt: T0, stateSince: T0 + 60 * DAY });
    expect(noticeDueAt(refused, 15)).toBe(T0 + 75 * DAY);
    expect(planReport(figures(T0 + 61 * DAY, 150), refused, terms, undefined, T0 + 61 * DAY)).toMatchObject({ transitions: [] });
    expect(planReport(figures(T0 + 75 * DAY, 150), refused, terms, undefined, T0 + 75 * DAY)).toMatchObject({ transitions: ["in-arbitration"] });
  });

  it("knows the refused ruling's edge back to the demand", () => {
    expect(ALLOWED_EDGES["in-arbitration"]).toEqual(["ruled", "demanded"]);
    for (const s of CASE_STATES) for (const to of ALLOWED_EDGES[s]) expect(CASE_STATES).toContain(to);
  });
});
