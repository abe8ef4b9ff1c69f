import type { ClaimRequest } from "./claim-input.js";
import { parseDateSeconds } from "./claim-input.js";
import { checkResidentIdNumber } from "./id-number.js";
import { checkPlausibleAmounts } from "./plausibility.js";
import { parseMinor } from "./money.js";
import { normalizeIdNumber } from "./pii.js";
import { canonicalRegion } from "./regions.js";

/**
 * What a person typed into a registration, checked before it becomes a claim (issue 18): a natural person's ID
 * number against GB 11643 (src/core/id-number.ts), the region against the canonical list of GB/T 2260
 * (src/core/regions.ts: "北京" and "beijing" are one region), and amounts that look like typing errors
 * flagged for confirmation (src/core/plausibility.ts). The single registration and the batch job call it
 * before normalizeClaim; it returns the request with the region's canonical key.
 * @param prefix the field path used in errors, e.g. "claims[12]"
 * @throws ValidationError naming the field and the rule
 */
export function checkRegistration(req: ClaimRequest, prefix = ""): ClaimRequest {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (req.debtor.type === "retail") {
    checkResidentIdNumber(normalizeIdNumber(req.debtor.idNumber), at("debtor.idNumber"), parseDateSeconds(req.originatedAt, at("originatedAt")));
  }
  checkPlausibleAmounts(parseMinor(req.principal, at("principal")), parseMinor(req.outstanding, at("outstanding")), at, req.confirmImplausible === true);
  if (req.region === undefined || req.region.trim() === "") return req;
  return { ...req, region: canonicalRegion(req.region, at("region")) };
}
