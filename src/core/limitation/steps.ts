import { formatDay } from "../dates.js";
import type { Step } from "./clock.js";
import type { ClaimEvent, Holder } from "./types.js";

/**
 * What one recorded event does to an interruptible period (民法典第195条 and the SPC's 诉讼时效规定,
 * 法释〔2020〕17号), as a {@link Step} for the clock:
 * - a demand interrupts on the day it is **delivered** (第195条第1项; 规定第8条: the document reached the
 *   other side; 民法典第137条: a notice takes effect on arrival); without proof of delivery it does nothing;
 * - a payment or an acknowledgement/promise to pay is the obligor agreeing to perform (第195条第2项; 规定第14条);
 * - a suit, arbitration or payment-order application interrupts on filing (规定第10、11条) and the
 *   period restarts when the proceedings end (第195条: 从…有关程序终结时起); in the enforcement period it
 *   is the application for enforcement (规定第11条第5项; 民事诉讼法第250条第1款);
 * - a newspaper announcement with collection content interrupts only for a claim an AMC holds
 *   (法释〔2001〕12号第十条; 法〔2005〕62号: the announcement's date is the interruption day).
 */
export function classifyEvent(e: ClaimEvent, holder: Holder | undefined, proceedings: "court" | "enforcement", revives: boolean): Step {
  const base = { ref: e.ref, order: e.index, type: e.type, vars: { type: e.type, party: e.party } };
  switch (e.type) {
    case "demand":
      return e.deliveredAt !== undefined
        ? { ...base, day: e.deliveredAt, act: "interrupt", key: "demand-delivered", vars: { ...base.vars, sentAt: formatDay(e.at) } }
        : { ...base, day: e.at, act: "none", key: "demand-undelivered" };
    case "payment":
      return { ...base, day: e.at, act: "interrupt", key: "payment" };
    case "acknowledgement":
      return { ...base, day: e.at, act: "interrupt", key: "acknowledgement", revives };
    case "suit":
      return proceedings === "court"
        ? { ...base, day: e.at, act: "suit", endedAt: e.endedAt, keyEnded: "suit-ended", keyPending: "suit-pending" }
        : { ...base, day: e.at, act: "suit", endedAt: e.endedAt, keyEnded: "enforcement-application-ended", keyPending: "enforcement-application-pending" };
    case "announcement":
      return holder === "amc"
        ? { ...base, day: e.at, act: "interrupt", key: "announcement-amc" }
        : { ...base, day: e.at, act: "none", key: "announcement-not-amc" };
  }
}

/** The day an event takes effect: a demand when delivered (if it was), anything else when it happened. */
export function effectiveDay(e: ClaimEvent): number {
  return e.type === "demand" && e.deliveredAt !== undefined ? e.deliveredAt : e.at;
}

