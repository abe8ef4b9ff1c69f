import { describe, it, expect } from "vitest";
import { dayOf, formatDay } from "../../src/core/dates.js";
import { CALENDAR_YEARS, calendarCovers, isRestDay, restDayExtension, restReason, weekday } from "../../src/core/holidays-cn.js";
import { chinaDay, parseLimitationRequest } from "../../src/core/limitation/input.js";
import { periodEnd, runClock, statusOf } from "../../src/core/limitation/clock.js";
import { litigationPeriod } from "../../src/core/limitation/litigation.js";
import { guaranteePeriod } from "../../src/core/limitation/guarantee.js";
import { mortgagePeriod } from "../../src/core/limitation/mortgage.js";
import { enforcementPeriod } from "../../src/core/limitation/enforcement.js";
import { claimPeriods, computeLimitation, limitationReport } from "../../src/core/limitation.js";
import { LIMITATION_MESSAGES, limitationReason } from "../../src/i18n/limitation.js";
import type { LimitationClaimInput, NormalClaim, Period, PeriodKind } from "../../src/core/limitation/types.js";

/**
 * Every date here is a fixed, hand-worked legal example with an explicit asOf: the results depend on
 * the law and the calendar, never on the day the suite runs.
 */

const d = (s: string) => dayOf(s);

/** One claim through the validator (so tests exercise what the API receives). */
function claim(input: Partial<LimitationClaimInput> & { events?: LimitationClaimInput["events"] }, asOf = "2024-06-01"): { c: NormalClaim; asOf: number } {
  const req = parseLimitationRequest({ asOf, claims: [{ id: "C-1", events: [], ...input }] });
  return { c: req.claims[0]!, asOf: req.asOf };
}

function periods(input: Parameters<typeof claim>[0], asOf = "2024-06-01"): Period[] {
  const { c, asOf: a } = claim(input, asOf);
  return claimPeriods(c, a);
}

function kind(ps: Period[], k: PeriodKind): Period {
  const p = ps.find((x) => x.kind === k);
  if (!p) throw new Error(`no ${k} period in ${JSON.stringify(ps.map((x) => x.kind))}`);
  return p;
}

const step = (p: Period, ref: string) => p.basis.find((b) => b.event === ref);

describe("holidays-cn", () => {
  describe("weekday", () => {
    it("民法典第203条 (rest days): 1970-01-01 was a Thursday and 2025-03-01 a Saturday", () => {
      expect(weekday(0)).toBe(4);
      expect(weekday(d("2025-03-01"))).toBe(6);
    });
  });

  describe("restReason / isRestDay", () => {
    it("民法典第203条: a Saturday is a rest day, the Monday after it is not", () => {
      expect(restReason(d("2025-03-01"))).toEqual({ kind: "weekend", weekday: 6 });
      expect(isRestDay(d("2025-03-03"))).toBe(false);
    });
    it("国办发明电〔2023〕7号: 2024-10-03 is in the National Day holiday, 2024-10-12 (a Saturday) is a working day", () => {
      expect(restReason(d("2024-10-03"))).toEqual({ kind: "holiday", name: "national-day", from: "2024-10-01", to: "2024-10-07" });
      expect(weekday(d("2024-10-12"))).toBe(6);
      expect(isRestDay(d("2024-10-12"))).toBe(false);
    });
    it("国办发明电〔2020〕1号: the 2020 Spring Festival ran to 2 February, so Saturday 1 February was no longer a working day", () => {
      expect(restReason(d("2020-02-01"))).toMatchObject({ kind: "holiday", name: "spring-festival", to: "2020-02-02" });
      expect(isRestDay(d("2020-01-19"))).toBe(false); // the Sunday made a working day
    });
    it("国办发明电〔2022〕16号: New Year 2023 began on 2022-12-31", () => {
      expect(restReason(d("2022-12-31"))).toMatchObject({ kind: "holiday", name: "new-year", from: "2022-12-31", to: "2023-01-02" });
    });
    it("民法典第203条; 国务院办公厅节假日安排通知 2020–2026: each notice's weekend working days (调休上班) are working days", () => {
      expect(CALENDAR_YEARS).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
      const workingWeekendDays: Record<number, number> = {};
      for (let day = d("2020-01-01"); day <= d("2026-12-31"); day++) {
        const wd = weekday(day);
        if ((wd === 0 || wd === 6) && !isRestDay(day)) {
          const y = Number(formatDay(day).slice(0, 4));
          workingWeekendDays[y] = (workingWeekendDays[y] ?? 0) + 1;
        }
      }
      // As many as each notice names (2020: 2 February dropped by the Spring Festival extension).
      expect(workingWeekendDays).toEqual({ 2020: 6, 2021: 7, 2022: 7, 2023: 7, 2024: 8, 2025: 5, 2026: 6 });
      expect(calendarCovers(d("2026-12-31"))).toBe(true);
      expect(calendarCovers(d("2027-01-01"))).toBe(false);
    });
  });

  describe("restDayExtension", () => {
    it.each([
      ["2025-03-01", "2025-03-03"], // Saturday → Monday
      ["2024-10-03", "2024-10-08"], // 国庆 2024
      ["2025-01-28", "2025-02-05"], // 春节 2025 (eight days)
      ["2026-02-15", "2026-02-24"], // 春节 2026 (nine days)
      ["2023-09-30", "2023-10-07"], // 中秋国庆 2023 ends 10-06; Saturday 10-07 is a working day
      ["2026-02-14", "2026-02-14"], // a Saturday made a working day: no move
    ])("民法典第203条: a period ending %s ends on %s", (from, to) => {
      expect(formatDay(restDayExtension(d(from)).day)).toBe(to);
    });
    it("民法典第203条: outside the calendar only weekends count, and the years are named", () => {
      const e = restDayExtension(d("2027-05-15"));
      expect(formatDay(e.day)).toBe("2027-05-17");
      expect(e.uncoveredYears).toEqual([2027]);
    });
  });
});

describe("limitation/input", () => {
  describe("chinaDay", () => {
    it("民法典第201条 (whole days): a date-time counts on its China calendar day (00:30 in Beijing is still the previous UTC day)", () => {
      expect(formatDay(chinaDay("2025-03-01T00:30:00+08:00", "at"))).toBe("2025-03-01");
      expect(formatDay(chinaDay("2025-02-28T17:00:00Z", "at"))).toBe("2025-03-01");
    });
    it.each(["2025-02-30", "2025-3-1", "20250301", "2025-03-01T10:00:00", 20250301, null])("民法典第201条: refuses %j as a date, naming the field", (v) => {
      expect(() => chinaDay(v, "claims[0].maturityAt")).toThrow(expect.objectContaining({ field: "claims[0].maturityAt", rule: "date" }));
    });
    it("民法典第201条: refuses a year that is a typo", () => {
      expect(() => chinaDay("0202-03-01", "asOf")).toThrow(expect.objectContaining({ rule: "date-range" }));
    });
  });

  describe("parseLimitationRequest", () => {
    const base = (events: unknown[], extra: Record<string, unknown> = {}) => ({
      asOf: "2024-06-01",
      claims: [{ id: "A", maturityAt: "2022-03-01", events: [] }, { id: "B", maturityAt: "2022-03-01", events: [] }, { id: "C", maturityAt: "2022-03-01", events, ...extra }],
    });
    const refusal = (body: unknown) => {
      try {
        parseLimitationRequest(body);
      } catch (e) {
        return e as { field: string; rule: string };
      }
      throw new Error("accepted");
    };
    it("names claims[2].events[0].deliveredAt when a demand is 'delivered' before it was sent (诉讼时效规定第8条)", () => {
      expect(refusal(base([{ type: "demand", at: "2024-05-13", deliveredAt: "2024-05-10" }]))).toMatchObject({ field: "claims[2].events[0].deliveredAt", rule: "delivered-before-sent" });
    });
    it("诉讼时效规定第8、10条: deliveredAt only on a demand, endedAt only on a suit and never before it began", () => {
      expect(refusal(base([{ type: "payment", at: "2024-05-13", deliveredAt: "2024-05-14" }]))).toMatchObject({ field: "claims[2].events[0].deliveredAt", rule: "only-for-demand" });
      expect(refusal(base([{ type: "demand", at: "2024-05-13", endedAt: "2024-05-14" }]))).toMatchObject({ field: "claims[2].events[0].endedAt", rule: "only-for-suit" });
      expect(refusal(base([{ type: "suit", at: "2024-05-13", endedAt: "2024-05-12" }]))).toMatchObject({ field: "claims[2].events[0].endedAt", rule: "ended-before-started" });
    });
    it("needs a due date (maturityAt or installments) unless a judgment is given, and one for a guarantee (民法典第692条)", () => {
      expect(refusal({ asOf: "2024-06-01", claims: [{ id: "A", events: [] }] })).toMatchObject({ field: "claims[0].maturityAt", rule: "maturity-or-installments-required" });
      expect(refusal({ asOf: "2024-06-01", claims: [{ id: "A", judgment: { performBy: "2023-01-01" }, guarantee: { type: "joint" }, events: [] }] }))
        .toMatchObject({ field: "claims[0].maturityAt", rule: "maturity-required-for-guarantee" });
    });
    it("个人信息保护法第6条 (minimum necessary): refuses a name as an id, an unknown field; also a repeated id and an unknown event type", () => {
      expect(refusal({ asOf: "2024-06-01", claims: [{ id: "张三", maturityAt: "2022-03-01", events: [] }] })).toMatchObject({ field: "claims[0].id", rule: "opaque-id" });
      expect(refusal({ asOf: "2024-06-01", claims: [{ id: "A", maturityAt: "2022-03-01", events: [] }, { id: "A", maturityAt: "2022-03-01", events: [] }] })).toMatchObject({ field: "claims[1].id", rule: "unique" });
      expect(refusal(base([], { debtorName: "x" }))).toMatchObject({ field: "claims[2].debtorName", rule: "not-allowed" });
      expect(refusal(base([{ type: "visit", at: "2024-05-13" }]))).toMatchObject({ field: "claims[2].events[0].type", rule: "one-of" });
    });
    it("民法典第189条: installments in any order, the last due date is the one that counts", () => {
      const req = parseLimitationRequest({ asOf: "2024-06-01", claims: [{ id: "A", installments: ["2021-12-15", "2021-01-15", "2021-06-15"], events: [] }] });
      expect(req.claims[0]!.due).toEqual({ day: d("2021-12-15"), ref: "installments[0]", installments: true });
    });
  });
});

describe("limitation/clock", () => {
  describe("periodEnd", () => {
    it("民法典第202条: a period with no corresponding day ends on the month's last day (2024-02-29 + 3 years = 2027-02-28)", () => {
      expect(formatDay(periodEnd(d("2024-02-29"), 36, false).expiresAt)).toBe("2027-02-28");
    });
  });
  describe("statusOf", () => {
    it("民法典第201–203条 (the last day): expiring means the last day is within 90 days of asOf; expired means it is before asOf", () => {
      const asOf = d("2024-06-01");
      expect(statusOf(asOf - 1, asOf)).toBe("expired");
      expect(statusOf(asOf, asOf)).toBe("expiring");
      expect(statusOf(asOf + 90, asOf)).toBe("expiring");
      expect(statusOf(asOf + 91, asOf)).toBe("running");
    });
  });
  describe("runClock", () => {
    it("民法典第195条: events apply oldest first whatever their order in the request", () => {
      const mk = (ref: string, order: number, day: string) => ({ ref, order, day: d(day), type: "payment" as const, act: "interrupt" as const, key: "payment", vars: {} });
      const out = runClock({ asOf: d("2024-06-01"), start: d("2020-01-10"), months: 36, extend: false, steps: [mk("events[0]", 0, "2022-05-01"), mk("events[1]", 1, "2021-03-01")] });
      expect(formatDay(out.expiresAt)).toBe("2025-05-01");
      expect(out.basis.map((b) => b.event)).toEqual(["events[1]", "events[0]"]);
    });
  });
});

describe("limitation/litigation", () => {
  describe("litigationPeriod", () => {
    it("民法典第188、201、203条: due 2022-03-01, nothing since → expiresAt 2025-03-01, extendedTo 2025-03-03 (a Monday)", () => {
      const p = kind(periods({ maturityAt: "2022-03-01" }), "litigation");
      expect(p).toMatchObject({ expiresAt: "2025-03-01", extendedTo: "2025-03-03", status: "running" });
      expect(p.basis.map((b) => b.effect)).toEqual(["start", "extended"]);
      expect(p.rule).toBe("《民法典》第一百八十八条、第一百九十五条");
    });

    it("民法典第195条第1项: a demand delivered 2024-05-13 → 2027-05-13 (a Thursday: no extension; 2027 judged by weekends only)", () => {
      const p = kind(periods({ maturityAt: "2022-03-01", events: [{ type: "demand", at: "2024-05-10", deliveredAt: "2024-05-13" }] }), "litigation");
      expect(p.expiresAt).toBe("2027-05-13");
      expect(p.extendedTo).toBeUndefined();
      expect(step(p, "events[0]")).toMatchObject({ effect: "interrupted", key: "demand-delivered", vars: { date: "2024-05-13", sentAt: "2024-05-10" } });
      expect(step(p, "calendar")).toMatchObject({ effect: "note", key: "calendar-weekends-only", vars: { years: "2027" } });
    });

    it("诉讼时效规定第8条: a demand without proof of delivery interrupts nothing — the seller's undelivered letters leave the claim time-barred", () => {
      const p = kind(periods({ maturityAt: "2021-03-10", events: [{ type: "demand", at: "2023-12-01" }, { type: "demand", at: "2024-02-01" }] }, "2024-04-01"), "litigation");
      // 2024-03-10 is a Sunday: the last day is Monday 2024-03-11, three weeks before asOf.
      expect(p).toMatchObject({ expiresAt: "2024-03-10", extendedTo: "2024-03-11", status: "expired" });
      expect(step(p, "events[0]")).toMatchObject({ effect: "no-effect", key: "demand-undelivered" });
      expect(step(p, "events[1]")).toMatchObject({ effect: "no-effect", key: "demand-undelivered" });
    });

    it("民法典第189条; 诉讼时效规定第4条: installments run from the last one (2021-12-15 → 2024-12-15, a Sunday → 2024-12-16), not the first", () => {
      const installments = Array.from({ length: 12 }, (_, i) => `2021-${String(i + 1).padStart(2, "0")}-15`).reverse();
      const p = kind(periods({ installments }, "2024-12-01"), "litigation");
      expect(p).toMatchObject({ expiresAt: "2024-12-15", extendedTo: "2024-12-16", status: "expiring" });
      expect(p.basis[0]).toMatchObject({ event: "installments[0]", key: "start-installments", vars: { date: "2021-12-15" } });
      expect(p.rule).toContain("第一百八十九条");
    });

    it("民法典第195条第3项; 诉讼时效规定第10条: a suit filed 2022-01-10 and withdrawn 2022-08-20 restarts the period from its end → 2025-08-20; a demand during it adds nothing", () => {
      const p = kind(periods({
        maturityAt: "2020-06-30",
        events: [{ type: "suit", at: "2022-01-10", endedAt: "2022-08-20" }, { type: "demand", at: "2022-03-01", deliveredAt: "2022-03-03" }],
      }, "2025-06-01"), "litigation");
      expect(p).toMatchObject({ expiresAt: "2025-08-20", status: "expiring" });
      expect(p.extendedTo).toBeUndefined();
      expect(step(p, "events[0]")).toMatchObject({ effect: "restarted", key: "suit-ended", vars: { date: "2022-01-10", endedAt: "2022-08-20" } });
      expect(step(p, "events[1]")).toMatchObject({ effect: "no-effect", key: "during-proceedings" });
    });

    it("民法典第195条: a suit still pending at asOf suspends the period; the end shown is the earliest possible (asOf + 3 years), running", () => {
      const p = kind(periods({ maturityAt: "2021-01-31", events: [{ type: "suit", at: "2023-05-10" }, { type: "payment", at: "2023-09-01" }] }), "litigation");
      expect(p).toMatchObject({ expiresAt: "2027-06-01", status: "running" });
      expect(p.extendedTo).toBeUndefined();
      expect(step(p, "events[0]")).toMatchObject({ effect: "suspended", key: "suit-pending" });
      expect(step(p, "events[1]")).toMatchObject({ effect: "no-effect", key: "during-proceedings" });
      expect(step(p, "asOf")).toMatchObject({ effect: "note", key: "pending-earliest", vars: { earliest: "2027-06-01" } });
    });

    it("民法典第203条: a period ending in 国庆 2024 (2024-10-03) ends on 2024-10-08; a demand delivered that day is in time, one day later is not", () => {
      const ends = kind(periods({ maturityAt: "2020-05-01", events: [{ type: "demand", at: "2021-09-28", deliveredAt: "2021-10-03" }] }), "litigation");
      expect(ends).toMatchObject({ expiresAt: "2024-10-03", extendedTo: "2024-10-08" });
      expect(step(ends, "calendar")).toMatchObject({ effect: "extended", key: "extended-holiday", vars: { holiday: "national-day", from: "2024-10-01", to: "2024-10-07", extendedTo: "2024-10-08" } });

      const inTime = kind(periods({ maturityAt: "2021-10-03", events: [{ type: "demand", at: "2024-10-06", deliveredAt: "2024-10-08" }] }, "2024-12-01"), "litigation");
      expect(inTime).toMatchObject({ expiresAt: "2027-10-08", status: "running" });
      const late = kind(periods({ maturityAt: "2021-10-03", events: [{ type: "demand", at: "2024-10-06", deliveredAt: "2024-10-09" }] }, "2024-12-01"), "litigation");
      expect(late).toMatchObject({ expiresAt: "2024-10-03", extendedTo: "2024-10-08", status: "expired" });
      expect(step(late, "events[0]")).toMatchObject({ effect: "no-effect", key: "after-expiry", vars: { expiredOn: "2024-10-08" } });
    });

    it("民法典第203条: 中秋国庆 2023 ends 10-06 and Saturday 10-07 is a working day, so a period ending 2023-09-30 ends on 2023-10-07", () => {
      const p = kind(periods({ maturityAt: "2020-09-30" }, "2024-01-01"), "litigation");
      expect(p).toMatchObject({ expiresAt: "2023-09-30", extendedTo: "2023-10-07", status: "expired" });
    });

    it("法释〔2001〕12号第十条; 法〔2005〕62号: an AMC's newspaper announcement interrupts on its date; a bank's interrupts nothing", () => {
      const events = [{ type: "announcement" as const, at: "2023-04-10" }];
      const amc = kind(periods({ maturityAt: "2020-09-30", holder: "amc", events }, "2024-01-01"), "litigation");
      expect(amc).toMatchObject({ expiresAt: "2026-04-10", status: "running" });
      expect(step(amc, "events[0]")).toMatchObject({ effect: "interrupted", key: "announcement-amc" });
      for (const holder of ["bank", undefined] as const) {
        const bank = kind(periods({ maturityAt: "2020-09-30", holder, events }, "2024-01-01"), "litigation");
        expect(bank).toMatchObject({ expiresAt: "2023-09-30", status: "expired" });
        expect(step(bank, "events[0]")).toMatchObject({ effect: "no-effect", key: "announcement-not-amc" });
      }
    });

    it("民法典第195条第2项; 诉讼时效规定第14条: a payment 2023-02-15 → 2026-02-15, in 春节 2026 → 2026-02-24", () => {
      const p = kind(periods({ maturityAt: "2021-06-30", events: [{ type: "payment", at: "2023-02-15" }] }), "litigation");
      expect(p).toMatchObject({ expiresAt: "2026-02-15", extendedTo: "2026-02-24" });
      expect(step(p, "calendar")).toMatchObject({ vars: { holiday: "spring-festival" } });
    });

    it("民法典第192条第2款; 诉讼时效规定第19条: an acknowledgement after expiry takes the defence away and a new period runs; a payment alone does not", () => {
      const ack = kind(periods({ maturityAt: "2019-01-10", events: [{ type: "acknowledgement", at: "2023-03-01" }] }), "litigation");
      expect(ack).toMatchObject({ expiresAt: "2026-03-01", extendedTo: "2026-03-02", status: "running" });
      expect(step(ack, "events[0]")).toMatchObject({ effect: "revived", key: "revived-by-acknowledgement", vars: { expiredOn: "2022-01-10" } });
      const paid = kind(periods({ maturityAt: "2019-01-10", events: [{ type: "payment", at: "2023-03-01" }] }), "litigation");
      expect(paid).toMatchObject({ expiresAt: "2022-01-10", status: "expired" });
      expect(step(paid, "events[0]")).toMatchObject({ effect: "no-effect", key: "payment-after-expiry" });
    });

    it("民法典第195条: events after asOf are not counted (a back-dated file cannot rescue a claim as of an earlier date)", () => {
      const p = kind(periods({ maturityAt: "2021-03-01", events: [{ type: "demand", at: "2024-05-01", deliveredAt: "2024-05-03" }] }, "2024-04-01"), "litigation");
      expect(p).toMatchObject({ expiresAt: "2024-03-01", status: "expired" });
      expect(step(p, "events[0]")).toMatchObject({ effect: "no-effect", key: "after-as-of" });
    });

    it("民法典第195条: a demand delivered to the guarantor does not interrupt the debtor's period", () => {
      const p = kind(periods({ maturityAt: "2021-03-01", guarantee: { type: "joint" }, events: [{ type: "demand", at: "2023-01-05", deliveredAt: "2023-01-06", party: "guarantor" }] }, "2024-04-01"), "litigation");
      expect(p).toMatchObject({ expiresAt: "2024-03-01", status: "expired" });
      expect(step(p, "events[0]")).toMatchObject({ effect: "no-effect", key: "other-party" });
    });

    it("民法典第188条第2款: a period running past twenty years from the due date carries a note", () => {
      const p = kind(periods({ maturityAt: "2000-01-01", events: [{ type: "acknowledgement", at: "2018-06-01" }, { type: "demand", at: "2001-01-01", deliveredAt: "2001-01-02" }] }, "2019-01-01"), "litigation");
      expect(p.expiresAt).toBe("2021-06-01");
      expect(p.basis.at(-1)).toMatchObject({ effect: "note", key: "twenty-years", vars: { cap: "2020-01-01" } });
    });

    it("民事诉讼法第250条: with a judgment there is no litigation period (the enforcement period replaces it)", () => {
      const { c, asOf } = claim({ maturityAt: "2020-01-01", judgment: { performBy: "2023-06-30" } });
      expect(litigationPeriod(c, asOf)).toBeUndefined();
    });
  });
});

describe("limitation/guarantee", () => {
  describe("guaranteePeriod", () => {
    const demandToGuarantor = (at: string, deliveredAt?: string) => ({ type: "demand" as const, at, deliveredAt, party: "guarantor" as const });
    const suit = (at: string, endedAt?: string, party: "debtor" | "guarantor" = "debtor") => ({ type: "suit" as const, at, endedAt, party });

    it("民法典第692条第2款; 第693条第2款; 第694条第2款: joint guarantee, none agreed → six months (to 2022-09-01); a demand delivered to the guarantor 2022-08-15 starts a three-year guarantee litigation period → 2025-08-15", () => {
      const p = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "joint" }, events: [demandToGuarantor("2022-08-12", "2022-08-15")] }, "2025-06-01"), "guarantee-litigation");
      expect(p).toMatchObject({ expiresAt: "2025-08-15", status: "expiring", rule: "《民法典》第六百九十三条第二款、第六百九十四条第二款" });
      expect(p.basis[0]).toMatchObject({ effect: "start", key: "guarantee-default", vars: { date: "2022-09-01" } });
      expect(step(p, "events[0]")).toMatchObject({ effect: "preserved", key: "guarantee-joint-preserved" });
    });

    it("民法典第693条第2款; 担保制度解释第34条第2款: a demand delivered after the period, and the guarantor's later signature, do not keep the guarantee", () => {
      const p = kind(periods({
        maturityAt: "2022-03-01", guarantee: { type: "joint" },
        events: [demandToGuarantor("2022-08-30", "2022-09-02"), { type: "acknowledgement", at: "2023-01-10", party: "guarantor" }],
      }), "guarantee-period");
      expect(p).toMatchObject({ expiresAt: "2022-09-01", status: "expired" });
      expect(p.extendedTo).toBeUndefined();
      expect(step(p, "events[0]")).toMatchObject({ effect: "no-effect", key: "guarantee-after-period" });
      expect(step(p, "events[1]")).toMatchObject({ effect: "no-effect", key: "guarantee-after-period" });
    });

    it("民法典第692条第1款: the guarantee period is not moved past rest days — ending Saturday 2022-09-03, a demand delivered Monday 2022-09-05 is too late", () => {
      const p = kind(periods({ maturityAt: "2022-03-03", guarantee: { type: "joint" }, events: [demandToGuarantor("2022-09-01", "2022-09-05")] }), "guarantee-period");
      expect(p).toMatchObject({ expiresAt: "2022-09-03", status: "expired" });
      expect(p.extendedTo).toBeUndefined();
      expect(p.basis.at(-1)).toMatchObject({ key: "guarantee-no-interruption" });
    });

    it("民法典第137条、第693条: a demand to the guarantor without proof of delivery does not keep a joint guarantee", () => {
      const p = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "joint" }, events: [demandToGuarantor("2022-05-10")] }), "guarantee-period");
      expect(p.status).toBe("expired");
      expect(step(p, "events[0]")).toMatchObject({ key: "guarantee-undelivered" });
    });

    it("民法典第693条: the same facts keep a joint guarantee by the demand to the guarantor, a general one only by the suit against the debtor", () => {
      const events = [demandToGuarantor("2022-05-08", "2022-05-10"), suit("2022-07-01", "2023-02-01")];
      const joint = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "joint" }, events }), "guarantee-litigation");
      expect(joint).toMatchObject({ expiresAt: "2025-05-10", status: "running" });
      expect(step(joint, "events[0]")).toMatchObject({ effect: "preserved" });
      const general = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "general" }, events }), "guarantee-litigation");
      expect(step(general, "events[0]")).toMatchObject({ effect: "no-effect", key: "guarantee-general-needs-suit" });
      expect(step(general, "events[1]")).toMatchObject({ effect: "preserved", key: "guarantee-general-preserved" });
      // 第687条第2款、第694条第1款: it runs from when the 先诉抗辩权 ends — facts not in the request: earliest = asOf + 3 years.
      expect(general).toMatchObject({ expiresAt: "2027-06-01", status: "running" });
      expect(general.basis.at(-1)).toMatchObject({ key: "guarantee-general-not-started" });
      expect(general.rule).toContain("第六百八十七条第二款");
    });

    it("民法典第693条第1款: a general guarantee with only a demand to the guarantor is lost when the period ends", () => {
      const p = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "general" }, events: [demandToGuarantor("2022-05-08", "2022-05-10")] }), "guarantee-period");
      expect(p).toMatchObject({ expiresAt: "2022-09-01", status: "expired", rule: "《民法典》第六百九十二条、第六百九十三条第一款" });
    });

    it("担保制度解释第26条第1款: suing only the general guarantor does not keep the guarantee", () => {
      const p = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "general" }, events: [suit("2022-06-01", undefined, "guarantor")] }), "guarantee-period");
      expect(p.status).toBe("expired");
      expect(step(p, "events[0]")).toMatchObject({ key: "guarantee-general-suit-guarantor" });
    });

    it("民法典第692条第2款: an agreed period counts; one ending on or before the due date counts as none", () => {
      const agreed = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "joint", periodEndsAt: "2024-03-01" } }, "2024-01-15"), "guarantee-period");
      expect(agreed).toMatchObject({ expiresAt: "2024-03-01", status: "expiring" });
      const early = kind(periods({ maturityAt: "2022-03-01", guarantee: { type: "joint", periodEndsAt: "2022-03-01" } }, "2022-04-01"), "guarantee-period");
      expect(early).toMatchObject({ expiresAt: "2022-09-01", status: "running" });
      expect(early.basis[0]).toMatchObject({ effect: "note", key: "guarantee-agreed-ignored" });
    });

    it("民法典第694条第2款; 第195条: the guarantor's payment interrupts the guarantee litigation period (2024-01-10 → 2027-01-10, a Sunday → 2027-01-11)", () => {
      const p = kind(periods({
        maturityAt: "2022-03-01", guarantee: { type: "joint" },
        events: [demandToGuarantor("2022-08-12", "2022-08-15"), { type: "payment", at: "2024-01-10", party: "guarantor" }, { type: "payment", at: "2024-02-10" }],
      }), "guarantee-litigation");
      expect(p).toMatchObject({ expiresAt: "2027-01-10", extendedTo: "2027-01-11" });
      expect(step(p, "events[1]")).toMatchObject({ effect: "interrupted", key: "payment" });
      expect(step(p, "events[2]")).toBeUndefined(); // the debtor's payment is the main debt's business
    });

    it("法〔2005〕62号: an AMC's announcement interrupts the guarantee litigation period too", () => {
      const p = kind(periods({
        maturityAt: "2022-03-01", holder: "amc", guarantee: { type: "joint" },
        events: [demandToGuarantor("2022-08-12", "2022-08-15"), { type: "announcement", at: "2024-04-15" }],
      }), "guarantee-litigation");
      expect(p.expiresAt).toBe("2027-04-15");
      expect(step(p, "events[1]")).toMatchObject({ effect: "interrupted", key: "announcement-amc" });
    });

    it("民法典第701条; 诉讼时效规定第18条: when the main debt's period has run, the result warns that the guarantor may plead it", () => {
      const c = claim({ maturityAt: "2020-03-02", guarantee: { type: "joint" }, events: [demandToGuarantor("2020-08-01", "2020-08-03"), { type: "acknowledgement", at: "2023-06-01", party: "guarantor" }] });
      const ps = claimPeriods(c.c, c.asOf);
      expect(kind(ps, "litigation").status).toBe("expired");
      const g = kind(ps, "guarantee-litigation");
      expect(g).toMatchObject({ expiresAt: "2026-06-01", status: "running" });
      expect(g.basis.at(-1)).toMatchObject({ key: "guarantee-debtor-defence", vars: { date: "2023-03-02" } });
    });

    it("民法典第681条: no guarantee → no guarantee period", () => {
      const { c, asOf } = claim({ maturityAt: "2022-03-01" });
      expect(guaranteePeriod(c, asOf, undefined)).toBeUndefined();
    });
  });
});

describe("limitation/mortgage", () => {
  describe("mortgagePeriod", () => {
    it("民法典第419条: a mortgage must be enforced within the main claim's limitation period — same end, same status", () => {
      const ps = periods({ maturityAt: "2022-03-01", collateral: true });
      const m = kind(ps, "mortgage");
      expect(m).toMatchObject({ expiresAt: "2025-03-01", extendedTo: "2025-03-03", status: "running" });
      expect(m.basis).toEqual([{ event: "litigation", effect: "follows", key: "mortgage-follows-litigation", vars: { date: "2025-03-03" } }]);
      expect(m.rule).toContain("第四百一十九条");
    });
    it("担保制度解释第44条第1款: after a judgment the mortgage follows the enforcement period", () => {
      const m = kind(periods({ maturityAt: "2020-01-01", collateral: true, judgment: { performBy: "2023-06-30" } }, "2025-05-01"), "mortgage");
      expect(m).toMatchObject({ expiresAt: "2025-06-30", status: "expiring", basis: [{ event: "enforcement", key: "mortgage-follows-enforcement" }] });
    });
    it("民法典第394条: no mortgage → no mortgage period", () => {
      const { c, asOf } = claim({ maturityAt: "2022-03-01" });
      expect(mortgagePeriod(c, litigationPeriod(c, asOf)!.period)).toBeUndefined();
    });
  });
});

describe("limitation/enforcement", () => {
  describe("enforcementPeriod", () => {
    it("民事诉讼法（2023年修正）第250条: two years from the last day of performance (2023-06-30 → 2025-06-30); the suit that led to the judgment is not counted", () => {
      const ps = periods({
        maturityAt: "2020-01-01", judgment: { performBy: "2023-06-30" },
        events: [{ type: "suit", at: "2022-03-01", endedAt: "2023-06-15" }],
      }, "2025-05-01");
      expect(ps.map((p) => p.kind)).toEqual(["enforcement"]);
      const p = kind(ps, "enforcement");
      expect(p).toMatchObject({ expiresAt: "2025-06-30", status: "expiring", rule: "《民事诉讼法》（2023年修正）第二百五十条" });
      expect(p.basis).toHaveLength(1);
    });
    it("民事诉讼法第250条第1款: an application for enforcement interrupts until the proceedings end (终本 2024-11-20 → 2026-11-20)", () => {
      const p = kind(periods({ judgment: { performBy: "2023-06-30" }, events: [{ type: "suit", at: "2024-03-01", endedAt: "2024-11-20" }] }, "2025-05-01"), "enforcement");
      expect(p).toMatchObject({ expiresAt: "2026-11-20", status: "running" });
      expect(step(p, "events[0]")).toMatchObject({ effect: "restarted", key: "enforcement-application-ended" });
    });
    it("民事诉讼法第250条第1款: an acknowledgement after the enforcement period ended does not revive it", () => {
      const p = kind(periods({ judgment: { performBy: "2021-06-30" }, events: [{ type: "acknowledgement", at: "2024-01-10" }] }, "2024-06-01"), "enforcement");
      expect(p).toMatchObject({ expiresAt: "2023-06-30", status: "expired" }); // a Friday: no extension
      expect(p.extendedTo).toBeUndefined();
      expect(step(p, "events[0]")).toMatchObject({ effect: "no-effect", key: "after-expiry" });
    });
    it("民事诉讼法第250条: no judgment → no enforcement period", () => {
      const { c, asOf } = claim({ maturityAt: "2022-03-01" });
      expect(enforcementPeriod(c, asOf)).toBeUndefined();
    });
  });
});

describe("limitation", () => {
  const body = {
    asOf: "2024-06-01",
    claims: [
      { id: "due-2022", maturityAt: "2022-03-01", events: [] },
      { id: "demanded", maturityAt: "2022-03-01", collateral: true, holder: "amc", guarantee: { type: "joint" }, events: [
        { type: "demand", at: "2024-05-10", deliveredAt: "2024-05-13" },
        { type: "demand", at: "2022-05-10", deliveredAt: "2022-05-12", party: "guarantor" },
        { type: "announcement", at: "2023-01-05" },
        { type: "demand", at: "2023-06-01" },
        { type: "suit", at: "2023-07-01" },
      ] },
      { id: "judged", judgment: { performBy: "2023-06-30" }, events: [{ type: "payment", at: "2024-01-10" }] },
    ],
  };

  describe("computeLimitation", () => {
    it("民法典第188条, per claim: keeps the request's order and ids", () => {
      expect(computeLimitation(parseLimitationRequest(body)).map((r) => r.id)).toEqual(["due-2022", "demanded", "judged"]);
    });
  });

  describe("limitationReport", () => {
    it("民法典第188条: the worked example in both languages, every reason filled and citing its article", () => {
      for (const lang of ["zh-CN", "en"] as const) {
        const report = limitationReport(body, lang);
        expect(report.results[0]!.periods[0]).toMatchObject({ kind: "litigation", expiresAt: "2025-03-01", extendedTo: "2025-03-03", status: "running" });
        for (const r of report.results) {
          for (const p of r.periods) {
            expect(p.rule).toMatch(/^《/);
            for (const b of p.basis) {
              expect(b.reason).not.toMatch(/\{\w+\}/);
              expect(b.reason.length).toBeGreaterThan(10);
            }
          }
        }
        const reasons = report.results.flatMap((r) => r.periods.flatMap((p) => p.basis.map((b) => b.reason))).join("\n");
        expect(reasons).toContain(lang === "en" ? "Civil Code art. 203(1)" : "民法典第二百零三条第一款");
        expect(reasons).toContain(lang === "en" ? "Saturday" : "星期六");
        if (lang === "en") expect(reasons).not.toMatch(/[\u4e00-\u9fff]{2,}/u); // English reasons carry no Chinese prose
      }
    });
  });

  describe("limitationReason", () => {
    it("民法典第195、203条 et al.: every reason exists in zh-CN and English with the same placeholders; type, party, holiday and weekday are translated", () => {
      for (const [key, texts] of Object.entries(LIMITATION_MESSAGES)) {
        expect(texts["zh-CN"], key).toBeTruthy();
        expect(texts.en, key).toBeTruthy();
        expect(texts["zh-CN"].match(/\{\w+\}/g)?.sort(), key).toEqual(texts.en.match(/\{\w+\}/g)?.sort());
      }
      expect(limitationReason("zh-CN", "other-party", { date: "2024-01-01", type: "demand", party: "guarantor" })).toBe("2024-01-01的催收针对保证人，不中断主债务的诉讼时效");
      expect(limitationReason("en", "extended-holiday", { date: "2024-10-03", holiday: "national-day", from: "2024-10-01", to: "2024-10-07", extendedTo: "2024-10-08" })).toContain("National Day holiday");
      expect(() => limitationReason("en", "no-such-key")).toThrow();
    });
  });
});
