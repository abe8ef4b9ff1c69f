import { ValidationError } from "../../core/errors.js";
import { mayReadPersonalData, type Party } from "../access.js";
import type { PortfolioRow } from "./rows.js";

/**
 * GET /v1/claims?q=… — finding a claim as people know it: its contract number (合同号) or claim id, exact or
 * as a prefix (case does not matter), and — only where the caller may read the claim's personal data
 * (src/app/access.ts) — its debtor's name, exact or as a prefix. A caller who may not read a claim's
 * personal data never finds it by the debtor's name: the search would otherwise confirm a guessed name.
 */
export const SEARCH_MAX = 128;

/** A predicate for `q` over the caller's rows. */
export function searchMatcher(q: string, p: Party): (r: PortfolioRow) => boolean {
  const text = q.normalize("NFC").trim();
  if (text.length === 0) throw new ValidationError("q", "non-empty", "q: give a contract number, claim id or debtor name");
  if (text.length > SEARCH_MAX) throw new ValidationError("q", `at most ${SEARCH_MAX} characters`);
  const upper = text.toUpperCase();
  const hex = /^(0x)?[0-9a-f]+$/i.test(text) && text.length <= 66 ? `0x${text.replace(/^0x/i, "").toLowerCase()}` : null;
  // A claim id by prefix needs "0x" and at least four hex digits, or eight without it: "12" is not an id.
  const idPrefix = hex && ((/^0x/i.test(text) && hex.length >= 6) || hex.length >= 10) ? hex : null;
  const personal = (r: PortfolioRow) => mayReadPersonalData(p, { claimId: r.claimId, registered: true, holder: r.holder, originator: r.originator, beforeCourt: r.disputeId !== null });
  const name = (r: PortfolioRow) => (r.facts.debtorName ?? "").normalize("NFC");
  return (r) =>
    r.contractNo.toUpperCase().startsWith(upper)
    || (idPrefix !== null && r.claimId.startsWith(idPrefix))
    || (name(r).startsWith(text) && personal(r));
}
