import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  checkContact, assertContactAllowed, resolveConfig, DEFAULT_COMPLIANCE_CONFIG, type ContactFacts,
} from "../../src/core/compliance.js";
import { ComplianceError, ValidationError } from "../../src/core/errors.js";

const SH = "Asia/Shanghai"; // UTC+8, no DST
const call = (occurredAt: string, extra: Partial<ContactFacts> = {}): ContactFacts => ({
  kind: "call", direction: "outbound", occurredAt, counterparty: { relation: "debtor" }, ...extra,
});
/** Shanghai wall-clock time → UTC instant. */
const sh = (local: string) => new Date(`${local}+08:00`).toISOString();

describe("compliance", () => {
  describe("checkContact", () => {
    it("accepts a call to the debtor in hours with no history", () => {
      expect(checkContact(call(sh("2026-11-23T10:00:00")), SH, [])).toEqual({ ok: true });
    });

    describe("contact-hours", () => {
      it.each([
        ["07:59", false], ["08:00", true], ["20:59", true], ["21:00", false], ["23:30", false], ["02:00", false],
      ])("%s local is allowed: %s", (time, allowed) => {
        const result = checkContact(call(sh(`2026-11-23T${time}:00`)), SH, []);
        expect(result.ok).toBe(allowed);
        if (!result.ok) expect(result.rule).toBe("contact-hours");
      });
      it("uses the debtor's time zone, not UTC", () => {
        const at = "2026-11-23T13:30:00.000Z"; // 21:30 in Shanghai, 08:30 in New York (EST)
        expect(checkContact(call(at), SH, []).ok).toBe(false);
        expect(checkContact(call(at), "America/New_York", []).ok).toBe(true);
      });
      it("follows daylight saving (New York switches on 2026-03-08)", () => {
        expect(checkContact(call("2026-03-07T12:30:00Z"), "America/New_York", []).ok).toBe(false); // 07:30 EST
        expect(checkContact(call("2026-03-09T12:30:00Z"), "America/New_York", []).ok).toBe(true); // 08:30 EDT
      });
      it("applies to sms and visits but not letters, notices or inbound calls", () => {
        const night = sh("2026-11-23T23:00:00");
        expect(checkContact(call(night, { kind: "sms" }), SH, []).ok).toBe(false);
        expect(checkContact(call(night, { kind: "visit" }), SH, []).ok).toBe(false);
        expect(checkContact(call(night, { kind: "letter" }), SH, []).ok).toBe(true);
        expect(checkContact(call(night, { kind: "notice" }), SH, []).ok).toBe(true);
        expect(checkContact(call(night, { direction: "inbound" }), SH, []).ok).toBe(true);
      });
      it("is configurable", () => {
        const r = checkContact(call(sh("2026-11-23T20:30:00")), SH, [], { contactHours: { start: "09:00", end: "20:00" } });
        expect(r.ok === false && r.rule).toBe("contact-hours");
      });
    });

    describe("daily-cap and weekly-cap", () => {
      const day = (d: number, hh = 10) => sh(`2026-11-${String(d).padStart(2, "0")}T${String(hh).padStart(2, "0")}:00:00`);
      it("allows up to the daily cap, refuses the next one", () => {
        const history = [call(day(23, 9)), call(day(23, 11), { kind: "sms" })];
        expect(checkContact(call(day(23, 15)), SH, history).ok).toBe(true);
        const r = checkContact(call(day(23, 15)), SH, [...history, call(day(23, 12), { kind: "visit" })]);
        expect(r.ok === false && r.rule).toBe("daily-cap");
      });
      it("counts the debtor's local calendar day", () => {
        // 23:30 UTC on the 22nd is 07:30 on the 23rd in Shanghai: same local day as the proposal.
        const history = [call("2026-11-22T23:30:00Z"), call(day(23, 9)), call(day(23, 10))];
        expect(checkContact(call(day(23, 16)), SH, history).ok).toBe(false);
        // 15:59 UTC on the 22nd is 23:59 on the 22nd: the day before.
        const earlier = [call("2026-11-22T15:59:00Z"), call(day(23, 9)), call(day(23, 10))];
        expect(checkContact(call(day(23, 16)), SH, earlier).ok).toBe(true);
      });
      it("counts only outbound calls, sms and visits", () => {
        const history = [
          call(day(23, 9), { kind: "letter" }), call(day(23, 9), { kind: "notice" }), call(day(23, 9), { direction: "inbound" }),
          call(day(23, 9), { kind: "payment", direction: "inbound" }), call(day(23, 9), { kind: "promise-to-pay", direction: "inbound" }),
          call(day(23, 10)), call(day(23, 11)),
        ];
        expect(checkContact(call(day(23, 12)), SH, history).ok).toBe(true);
        expect(checkContact(call(day(23, 12)), SH, history, { cappedKinds: ["call", "letter"] }).ok).toBe(false);
      });
      it("refuses the 11th counted contact within 7 local days; older contacts drop out", () => {
        const history = [16, 17, 18, 19, 20].flatMap((d) => [call(day(d, 9)), call(day(d, 10))]); // 10 contacts, 16th..20th
        const r = checkContact(call(day(22, 15)), SH, history); // window 16..22: 10 already
        expect(r.ok === false && r.rule).toBe("weekly-cap");
        expect(checkContact(call(day(23, 15)), SH, history).ok).toBe(true); // window 17..23: 8
      });
      it("ignores contacts after the proposal's day", () => {
        const later = [call(day(24, 9)), call(day(24, 10)), call(day(24, 11))];
        expect(checkContact(call(day(23, 15)), SH, later).ok).toBe(true);
      });
    });

    describe("third-party", () => {
      it.each(["family", "employer", "colleague", "other"] as const)("refuses contacting the debtor's %s", (relation) => {
        const r = checkContact(call(sh("2026-11-23T10:00:00"), { counterparty: { relation } }), SH, []);
        expect(r.ok === false && r.rule).toBe("third-party");
      });
      it.each(["debtor", "co-debtor", "guarantor", "legal-representative", "authorised-agent"] as const)("allows the %s", (relation) => {
        expect(checkContact(call(sh("2026-11-23T10:00:00"), { counterparty: { relation } }), SH, []).ok).toBe(true);
      });
      it("applies to letters too, and is configurable", () => {
        const letter = call(sh("2026-11-23T10:00:00"), { kind: "letter", counterparty: { relation: "employer" } });
        expect(checkContact(letter, SH, []).ok).toBe(false);
        expect(checkContact(letter, SH, [], { allowedRelations: [...DEFAULT_COMPLIANCE_CONFIG.allowedRelations, "employer"] }).ok).toBe(true);
      });
    });

    it("refuses to judge an outbound contact without a counterparty", () => {
      expect(() => checkContact(call(sh("2026-11-23T10:00:00"), { counterparty: null }), SH, [])).toThrow(/counterparty/);
    });

    it("whatever is proposed, what it accepts keeps every rule (property)", () => {
      const kinds = ["call", "sms", "visit", "letter", "notice"] as const;
      const relations = ["debtor", "guarantor", "family", "employer"] as const;
      const start = Date.parse("2026-11-01T00:00:00Z");
      const proposal = fc.record({
        minute: fc.integer({ min: 0, max: 21 * 24 * 60 }),
        kind: fc.constantFrom(...kinds),
        relation: fc.constantFrom(...relations),
        inbound: fc.boolean(),
      });
      const zone = fc.constantFrom("Asia/Shanghai", "America/New_York", "Asia/Kolkata");
      fc.assert(fc.property(fc.array(proposal, { maxLength: 120 }), zone, (proposals, timeZone) => {
        const accepted: ContactFacts[] = [];
        for (const p of [...proposals].sort((a, b) => a.minute - b.minute)) {
          const contact = call(new Date(start + p.minute * 60_000).toISOString(), {
            kind: p.kind, counterparty: { relation: p.relation }, direction: p.inbound ? "inbound" : "outbound",
          });
          if (checkContact(contact, timeZone, accepted).ok) accepted.push(contact);
        }
        const localDay = (c: ContactFacts) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(c.occurredAt));
        const localHour = (c: ContactFacts) => Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(new Date(c.occurredAt)));
        const counted = accepted.filter((c) => c.direction === "outbound" && ["call", "sms", "visit"].includes(c.kind));
        const perDay = new Map<string, number>();
        for (const c of counted) perDay.set(localDay(c), (perDay.get(localDay(c)) ?? 0) + 1);
        for (const n of perDay.values()) expect(n).toBeLessThanOrEqual(DEFAULT_COMPLIANCE_CONFIG.dailyCap);
        const days = [...perDay.keys()].sort();
        for (const d of days) {
          const from = Date.parse(d) - 6 * 86_400_000;
          const week = days.filter((x) => Date.parse(x) >= from && Date.parse(x) <= Date.parse(d)).reduce((s, x) => s + perDay.get(x)!, 0);
          expect(week).toBeLessThanOrEqual(DEFAULT_COMPLIANCE_CONFIG.weeklyCap);
        }
        for (const c of counted) expect(localHour(c) >= 8 && localHour(c) < 21).toBe(true);
        for (const c of accepted) if (c.direction === "outbound") expect(["debtor", "guarantor"]).toContain(c.counterparty!.relation);
      }), { numRuns: 60 });
    });

    it("lists every broken rule, the most serious first", () => {
      const history = [call(sh("2026-11-23T09:00:00")), call(sh("2026-11-23T10:00:00")), call(sh("2026-11-23T11:00:00"))];
      const r = checkContact(call(sh("2026-11-23T22:00:00"), { counterparty: { relation: "family" } }), SH, history);
      expect(r.ok === false && r.violations.map((v) => v.rule)).toEqual(["third-party", "contact-hours", "daily-cap"]);
    });
  });

  describe("assertContactAllowed", () => {
    it("throws a ComplianceError naming the rule, in English and Chinese", () => {
      try {
        assertContactAllowed(call(sh("2026-11-23T21:15:00")), SH, []);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ComplianceError);
        const err = e as ComplianceError;
        expect(err.rule).toBe("contact-hours");
        expect(err.code).toBe("COMPLIANCE");
        expect(err.message).toContain("21:15");
        const messages = err.details.messages as Record<string, string>;
        expect(messages["zh-CN"]).toContain("联系时段");
        expect(messages["zh-CN"]).toContain("21:15");
        expect(err.details.violations).toEqual([expect.objectContaining({ rule: "contact-hours" })]);
      }
    });
    it("translates the relation", () => {
      try {
        assertContactAllowed(call(sh("2026-11-23T10:00:00"), { counterparty: { relation: "employer" } }), SH, []);
        expect.unreachable();
      } catch (e) {
        const messages = (e as ComplianceError).details.messages as Record<string, string>;
        expect(messages.en).toContain("employer");
        expect(messages["zh-CN"]).toContain("工作单位");
      }
    });
    it("passes silently when allowed", () => {
      expect(() => assertContactAllowed(call(sh("2026-11-23T10:00:00")), SH, [])).not.toThrow();
    });
  });

  describe("resolveConfig", () => {
    it.each([
      [{ contactHours: { start: "21:00", end: "08:00" } }, "contactHours"],
      [{ contactHours: { start: "8:00", end: "21:00" } }, "contactHours.start"],
      [{ dailyCap: -1 }, "dailyCap"],
      [{ weeklyCap: 1.5 }, "weeklyCap"],
    ])("refuses %j", (config, field) => {
      try { resolveConfig(config); expect.unreachable(); } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).field).toBe(field);
      }
    });
    it("refuses an unknown time zone", () => {
      expect(() => checkContact(call(sh("2026-11-23T10:00:00")), "Mars/Olympus", [])).toThrow(ValidationError);
    });
  });
});
