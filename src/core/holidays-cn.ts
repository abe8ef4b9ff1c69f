import { dayOf, dayToCivil, formatDay } from "./dates.js";

/**
 * Mainland China's rest days for the last day of a legal period (民法典第203条: a period whose last
 * day is a 法定休假日 ends on the day after the rest ends).
 *
 * A rest day is a statutory public holiday, or a Saturday or Sunday that the State Council did not
 * turn into a working day (调休上班). The calendar below is copied from the General Office of the State
 * Council's yearly notices (国务院办公厅关于…年部分节假日安排的通知); years outside {@link CALENDAR_YEARS}
 * are judged by weekends alone, and callers say so (see {@link restDayExtension}).
 *
 * Days are day numbers (days since 1970-01-01, see dates.ts) of China calendar dates.
 */

/** The holidays a notice names. */
export const HOLIDAY_NAMES = ["new-year", "spring-festival", "qingming", "labour-day", "dragon-boat", "mid-autumn", "national-day", "national-day-mid-autumn"] as const;
export type HolidayName = (typeof HOLIDAY_NAMES)[number];

interface YearNotice {
  /** The notice (国办发明电 number) the year's dates come from. */
  source: string;
  /** Holidays as [first day, last day, name], dates "MM-DD" of this year unless a full date is given. */
  holidays: Array<[string, string, HolidayName]>;
  /** Weekend days that are working days (调休上班), "MM-DD". */
  workdays: string[];
}

/** The State Council's holiday arrangements, one entry per year. */
const NOTICES: Record<number, YearNotice> = {
  2020: {
    source: "国办发明电〔2019〕16号；春节延长：国办发明电〔2020〕1号",
    holidays: [
      ["01-01", "01-01", "new-year"],
      // 24–30 January, extended to 2 February by 国办发明电〔2020〕1号 (so 1 February was no longer a working day).
      ["01-24", "02-02", "spring-festival"],
      ["04-04", "04-06", "qingming"],
      ["05-01", "05-05", "labour-day"],
      ["06-25", "06-27", "dragon-boat"],
      ["10-01", "10-08", "national-day-mid-autumn"],
    ],
    workdays: ["01-19", "04-26", "05-09", "06-28", "09-27", "10-10"],
  },
  2021: {
    source: "国办发明电〔2020〕27号",
    holidays: [
      ["01-01", "01-03", "new-year"],
      ["02-11", "02-17", "spring-festival"],
      ["04-03", "04-05", "qingming"],
      ["05-01", "05-05", "labour-day"],
      ["06-12", "06-14", "dragon-boat"],
      ["09-19", "09-21", "mid-autumn"],
      ["10-01", "10-07", "national-day"],
    ],
    workdays: ["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"],
  },
  2022: {
    source: "国办发明电〔2021〕11号",
    holidays: [
      ["01-01", "01-03", "new-year"],
      ["01-31", "02-06", "spring-festival"],
      ["04-03", "04-05", "qingming"],
      ["04-30", "05-04", "labour-day"],
      ["06-03", "06-05", "dragon-boat"],
      ["09-10", "09-12", "mid-autumn"],
      ["10-01", "10-07", "national-day"],
    ],
    workdays: ["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"],
  },
  2023: {
    source: "国办发明电〔2022〕16号",
    holidays: [
      ["2022-12-31", "01-02", "new-year"],
      ["01-21", "01-27", "spring-festival"],
      ["04-05", "04-05", "qingming"],
      ["04-29", "05-03", "labour-day"],
      ["06-22", "06-24", "dragon-boat"],
      ["09-29", "10-06", "national-day-mid-autumn"],
    ],
    workdays: ["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"],
  },
  2024: {
    source: "国办发明电〔2023〕7号",
    holidays: [
      ["01-01", "01-01", "new-year"],
      ["02-10", "02-17", "spring-festival"],
      ["04-04", "04-06", "qingming"],
      ["05-01", "05-05", "labour-day"],
      ["06-10", "06-10", "dragon-boat"],
      ["09-15", "09-17", "mid-autumn"],
      ["10-01", "10-07", "national-day"],
    ],
    workdays: ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"],
  },
  2025: {
    source: "国办发明电〔2024〕12号",
    holidays: [
      ["01-01", "01-01", "new-year"],
      ["01-28", "02-04", "spring-festival"],
      ["04-04", "04-06", "qingming"],
      ["05-01", "05-05", "labour-day"],
      ["05-31", "06-02", "dragon-boat"],
      ["10-01", "10-08", "national-day-mid-autumn"],
    ],
    workdays: ["01-26", "02-08", "04-27", "09-28", "10-11"],
  },
  2026: {
    source: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
    holidays: [
      ["01-01", "01-03", "new-year"],
      ["02-15", "02-23", "spring-festival"],
      ["04-04", "04-06", "qingming"],
      ["05-01", "05-05", "labour-day"],
      ["06-19", "06-21", "dragon-boat"],
      ["09-25", "09-27", "mid-autumn"],
      ["10-01", "10-07", "national-day"],
    ],
    workdays: ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
  },
};

/** The years whose holidays and adjusted working days are known, oldest first. */
export const CALENDAR_YEARS: readonly number[] = Object.freeze(Object.keys(NOTICES).map(Number).sort((a, b) => a - b));

/** The notice a year's calendar comes from, or undefined outside {@link CALENDAR_YEARS}. */
export function calendarSource(year: number): string | undefined {
  return NOTICES[year]?.source;
}

function at(year: number, mmdd: string): number {
  const day = dayOf(mmdd.length === 10 ? mmdd : `${year}-${mmdd}`);
  if (!Number.isFinite(day)) throw new Error(`holidays-cn: bad date ${year} ${mmdd}`);
  return day;
}

/** Holiday day → its holiday and the holiday's first and last day; adjusted working days. */
const HOLIDAYS = new Map<number, { name: HolidayName; from: number; to: number }>();
const WORKDAYS = new Set<number>();
for (const [y, notice] of Object.entries(NOTICES)) {
  const year = Number(y);
  for (const [a, b, name] of notice.holidays) {
    const from = at(year, a);
    const to = at(year, b);
    for (let d = from; d <= to; d++) HOLIDAYS.set(d, { name, from, to });
  }
  for (const w of notice.workdays) WORKDAYS.add(at(year, w));
}

/** Day of the week of a day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Whether the calendar knows the holidays of the year `day` falls in. */
export function calendarCovers(day: number): boolean {
  return NOTICES[dayToCivil(day).y] !== undefined;
}

/** Why a day is a rest day: a named holiday, or a weekend day. */
export type RestReason =
  | { kind: "holiday"; name: HolidayName; from: string; to: string }
  | { kind: "weekend"; weekday: 0 | 6 };

/**
 * Why `day` is a rest day (法定休假日), or undefined for a working day. A weekend day that a notice made
 * a working day (调休上班) is a working day.
 */
export function restReason(day: number): RestReason | undefined {
  const holiday = HOLIDAYS.get(day);
  if (holiday) return { kind: "holiday", name: holiday.name, from: formatDay(holiday.from), to: formatDay(holiday.to) };
  const wd = weekday(day);
  if ((wd === 0 || wd === 6) && !WORKDAYS.has(day)) return { kind: "weekend", weekday: wd };
  return undefined;
}

/** Whether `day` is a rest day: see {@link restReason}. */
export function isRestDay(day: number): boolean {
  return restReason(day) !== undefined;
}

/** The last day of a period moved past rest days (民法典第203条), with what moved it. */
export interface RestDayExtension {
  /** The first working day on or after the day asked about. */
  day: number;
  /** Why the day asked about was a rest day; undefined when it was a working day (no extension). */
  reason?: RestReason;
  /** Years looked at that the calendar does not cover (judged by weekends only). */
  uncoveredYears: number[];
}

/**
 * Moves `day` forward past rest days: 民法典第203条第1款 — the last day of a period that is a 法定休假日
 * becomes the day after the rest ends.
 */
export function restDayExtension(day: number): RestDayExtension {
  const uncovered = new Set<number>();
  const reason = restReason(day);
  let d = day;
  for (;;) {
    if (!calendarCovers(d)) uncovered.add(dayToCivil(d).y);
    if (!isRestDay(d)) break;
    d += 1;
  }
  return { day: d, reason, uncoveredYears: [...uncovered].sort((a, b) => a - b) };
}
