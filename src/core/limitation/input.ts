import { ValidationError } from "../errors.js";
import { array, chinaDay, flag, known, object, oneOf, opaqueId } from "../input-fields.js";
import {
  EVENT_TYPES, GUARANTEE_TYPES, HOLDERS, PARTIES,
  type ClaimEvent, type EventType, type NormalClaim, type NormalRequest, type Party,
} from "./types.js";

/**
 * Checks a limitation request and turns its dates into China calendar day numbers. Every refusal is a
 * {@link ValidationError} naming the field (`claims[2].events[0].deliveredAt`) and a rule code.
 */

/** Most claims in one request, events per claim and installments per claim. */
export const MAX_CLAIMS = 10_000;
export const MAX_EVENTS = 200;
export const MAX_INSTALLMENTS = 600;
export { chinaDay, CLAIM_ID } from "../input-fields.js";

function parseEvent(raw: unknown, field: string, index: number): ClaimEvent {
  const e = object(raw, field);
  known(e, ["type", "at", "deliveredAt", "endedAt", "party"], field);
  const type = oneOf<EventType>(e.type, EVENT_TYPES, `${field}.type`);
  const at = chinaDay(e.at, `${field}.at`);
  const party = e.party === undefined ? "debtor" : oneOf<Party>(e.party, PARTIES, `${field}.party`);
  const event: ClaimEvent = { index, ref: `events[${index}]`, type, at, party };
  if (e.deliveredAt !== undefined) {
    if (type !== "demand") throw new ValidationError(`${field}.deliveredAt`, "only-for-demand", `${field}.deliveredAt: only a demand is delivered`);
    event.deliveredAt = chinaDay(e.deliveredAt, `${field}.deliveredAt`);
    if (event.deliveredAt < at) throw new ValidationError(`${field}.deliveredAt`, "delivered-before-sent", `${field}.deliveredAt: must not be before at (a demand is delivered after it is sent)`);
  }
  if (e.endedAt !== undefined) {
    if (type !== "suit") throw new ValidationError(`${field}.endedAt`, "only-for-suit", `${field}.endedAt: only a suit, arbitration or payment-order application ends`);
    event.endedAt = chinaDay(e.endedAt, `${field}.endedAt`);
    if (event.endedAt < at) throw new ValidationError(`${field}.endedAt`, "ended-before-started", `${field}.endedAt: must not be before at`);
  }
  return event;
}

function parseClaim(raw: unknown, index: number): NormalClaim {
  const field = `claims[${index}]`;
  const c = object(raw, field);
  known(c, ["id", "maturityAt", "installments", "collateral", "holder", "guarantee", "judgment", "events"], field);
  const claim: NormalClaim = { id: opaqueId(c.id, `${field}.id`), index, collateral: false, events: [] };

  const installments = c.installments === undefined ? [] : array(c.installments, `${field}.installments`, MAX_INSTALLMENTS);
  if (installments.length > 0) {
    let last = -Infinity;
    let lastRef = "";
    installments.forEach((d, k) => {
      const day = chinaDay(d, `${field}.installments[${k}]`);
      if (day >= last) { last = day; lastRef = `installments[${k}]`; }
    });
    claim.due = { day: last, ref: lastRef, installments: true };
  } else if (c.maturityAt !== undefined) {
    claim.due = { day: chinaDay(c.maturityAt, `${field}.maturityAt`), ref: "maturityAt", installments: false };
  }
  if (installments.length > 0 && c.maturityAt !== undefined) chinaDay(c.maturityAt, `${field}.maturityAt`); // still a valid date

  if (c.collateral !== undefined) claim.collateral = flag(c.collateral, `${field}.collateral`);
  if (c.holder !== undefined) claim.holder = oneOf(c.holder, HOLDERS, `${field}.holder`);
  if (c.guarantee !== undefined) {
    const g = object(c.guarantee, `${field}.guarantee`);
    known(g, ["type", "periodEndsAt"], `${field}.guarantee`);
    claim.guarantee = { type: oneOf(g.type, GUARANTEE_TYPES, `${field}.guarantee.type`) };
    if (g.periodEndsAt !== undefined) claim.guarantee.periodEndsAt = chinaDay(g.periodEndsAt, `${field}.guarantee.periodEndsAt`);
  }
  if (c.judgment !== undefined) {
    const j = object(c.judgment, `${field}.judgment`);
    known(j, ["performBy"], `${field}.judgment`);
    claim.judgment = { performBy: chinaDay(j.performBy, `${field}.judgment.performBy`) };
  }
  if (!claim.due && !claim.judgment) {
    throw new ValidationError(`${field}.maturityAt`, "maturity-or-installments-required", `${field}.maturityAt: give maturityAt or installments (or a judgment) — the period runs from the due date`);
  }
  if (claim.guarantee && !claim.due) {
    throw new ValidationError(`${field}.maturityAt`, "maturity-required-for-guarantee", `${field}.maturityAt: a guarantee period runs from the main debt's due date (民法典第692条); give maturityAt or installments`);
  }
  claim.events = array(c.events, `${field}.events`, MAX_EVENTS).map((e, k) => parseEvent(e, `${field}.events[${k}]`, k));
  return claim;
}

/**
 * Validates a limitation request (any JSON) and normalises its dates to China calendar days.
 * @throws ValidationError naming the field and the rule
 */
export function parseLimitationRequest(body: unknown): NormalRequest {
  const b = object(body, "body");
  known(b, ["asOf", "claims"], "");
  const asOf = chinaDay(b.asOf, "asOf");
  const claims = array(b.claims, "claims", MAX_CLAIMS);
  if (claims.length === 0) throw new ValidationError("claims", "non-empty", "claims: at least one claim");
  const seen = new Set<string>();
  const out = claims.map((c, i) => {
    const claim = parseClaim(c, i);
    if (seen.has(claim.id)) throw new ValidationError(`claims[${i}].id`, "unique", `claims[${i}].id: ${claim.id} appears twice`);
    seen.add(claim.id);
    return claim;
  });
  return { asOf, claims: out };
}

