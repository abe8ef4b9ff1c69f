/**
 * Legal periods of a claim (诉讼时效, 保证期间, 抵押权, 申请执行期间), computed from its terms and its
 * recorded events as of a date — pure: the date is an argument, nothing is read or stored.
 *
 * Modules (src/core/limitation/):
 * - input.ts: checks the request, turns dates into China calendar days (400s name field and rule);
 * - clock.ts: the interruptible clock shared by the limitation-type periods, extension past rest days
 *   (holidays-cn.ts) and the status;
 * - steps.ts: what each recorded event does to an interruptible period;
 * - litigation.ts, guarantee.ts, mortgage.ts, enforcement.ts: one period kind each, with its articles.
 *
 * Results are language-neutral (a message key and values per step); {@link limitationReport} puts
 * them into zh-CN or English words (src/i18n/limitation.ts).
 */
import type { Lang } from "../i18n/messages.js";
import { limitationReason } from "../i18n/limitation.js";
import { parseLimitationRequest } from "./limitation/input.js";
import { litigationPeriod } from "./limitation/litigation.js";
import { enforcementPeriod } from "./limitation/enforcement.js";
import { mortgagePeriod } from "./limitation/mortgage.js";
import { guaranteePeriod } from "./limitation/guarantee.js";
import type { ClaimResult, NormalClaim, NormalRequest, Period, PeriodKind, PeriodStatus, Effect } from "./limitation/types.js";

export * from "./limitation/types.js";
export { parseLimitationRequest, chinaDay, MAX_CLAIMS, MAX_EVENTS, MAX_INSTALLMENTS, CLAIM_ID } from "./limitation/input.js";

/** The periods of one claim as of `asOf`: litigation or enforcement, then mortgage, then guarantee. */
export function claimPeriods(claim: NormalClaim, asOf: number): Period[] {
  const main = litigationPeriod(claim, asOf)?.period ?? enforcementPeriod(claim, asOf)?.period;
  const litigation = claim.judgment ? undefined : main;
  const periods: Period[] = [];
  if (main) periods.push(main);
  const mortgage = mortgagePeriod(claim, main);
  if (mortgage) periods.push(mortgage);
  const guarantee = guaranteePeriod(claim, asOf, litigation);
  if (guarantee) periods.push(guarantee);
  return periods;
}

/** Every claim's periods, language-neutral. */
export function computeLimitation(request: NormalRequest): ClaimResult[] {
  return request.claims.map((claim) => ({ id: claim.id, periods: claimPeriods(claim, request.asOf) }));
}

/** A period as a person reads it: each basis step's reason in one language. */
export interface PeriodReport {
  kind: PeriodKind;
  expiresAt: string;
  extendedTo?: string;
  status: PeriodStatus;
  basis: Array<{ event: string; effect: Effect; reason: string }>;
  rule: string;
}

export interface LimitationReport {
  results: Array<{ id: string; periods: PeriodReport[] }>;
}

/** Puts language-neutral results into words in `lang`. */
export function renderLimitation(results: ClaimResult[], lang: Lang): LimitationReport {
  return {
    results: results.map((r) => ({
      id: r.id,
      periods: r.periods.map((p) => ({
        kind: p.kind,
        expiresAt: p.expiresAt,
        ...(p.extendedTo !== undefined ? { extendedTo: p.extendedTo } : {}),
        status: p.status,
        basis: p.basis.map((b) => ({ event: b.event, effect: b.effect, reason: limitationReason(lang, b.key, b.vars) })),
        rule: p.rule,
      })),
    })),
  };
}

/**
 * POST /v1/limitation in one call: checks the request (any JSON), computes every claim's periods as of
 * its `asOf` and words the reasons in `lang`.
 * @throws ValidationError naming the field and the rule
 */
export function limitationReport(body: unknown, lang: Lang): LimitationReport {
  return renderLimitation(computeLimitation(parseLimitationRequest(body)), lang);
}
