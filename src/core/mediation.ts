/**
 * Mediation (系统自动调解): settlement offers for an overdue claim — a lump-sum settlement at a
 * discount (一次性减免清偿) and an installment plan (分期还款) — valued in expected present value
 * against the best other disposal path of {@link adviseRecovery}, within authority limits by role.
 *
 * Pure: the day the offers are made is an argument (`asOfDate`), money is bigint fen, rates and
 * probabilities are integer basis points, discount factors are fixed-point integers (scale 10^18).
 * The same facts and options always give the same offers, the same plan hashes and the same letters.
 *
 * ## The value model (all parameters in {@link MediationModel}, defaults in {@link DEFAULT_MEDIATION_MODEL})
 *
 * Present values use the same annual discount rate as recovery.ts (default 8%, effective annual,
 * discounted monthly: a payment `m` months away is worth `(1 + r)^(-m/12)`).
 *
 * An offer of total `T` paid in installments `a_1..a_n` due `t_1..t_n` months after the offer:
 * - the debtor accepts with probability `A` (by the loan's five-tier class; more with a larger discount,
 *   and for plans with more installments, up to `maxAcceptanceBps`);
 * - after accepting, the debtor defaults on each installment with probability `h` (plans: a monthly hazard
 *   by class; lump sum: `10000 − lumpSumPaymentBps`), so installment `k` is paid with probability
 *   `s_k = (1 − h)^k`;
 * - a default at installment `k` ends the plan: the claim reverts to the original outstanding less what was
 *   paid (恢复原债权), and the best other path recovers the same share of it as it would today
 *   (`benchmarkPV / outstanding`), starting at `t_k`;
 * - a declined offer costs `responseMonths` of delay before the best other path starts;
 * - collection and administration cost `costBps` of what is collected.
 *
 * `EPV = A·(Σ s_k·a_k·v(t_k) + Σ s_{k−1}·h·R_k·(B/O)·v(t_k) − cost) + (1 − A)·B·v(responseMonths)`
 * where `v` is the discount factor, `R_k` the claim left when installment `k` is missed, `B` the best other
 * path's present value and `O` the outstanding. An offer is made only when `EPV > B` (by at least
 * `minMarginBps` of the outstanding).
 *
 * ## Terms and authority
 *
 * The discount and the number of installments are searched on a grid (steps of `discountStepBps`,
 * installment counts from `installmentChoices`) for the highest EPV — first within the proposer's authority
 * (a collector may offer less than an AMC manager); only when nothing within it beats the best other path
 * is the whole range searched, and such an offer is "pending-approval" by a role whose limits cover it.
 * A caller may fix the terms instead; fixed terms beyond the proposer's limits also need approval.
 *
 * ## Money in plans
 *
 * Installments are whole yuan (multiples of 100 fen) except the last, which carries the remainder, so they
 * always sum to the total exactly; a total too small for that is split in whole fen the same way.
 * A plan is hashed as canonical JSON (RFC 8785) with keccak256: {@link planHashOf}.
 */
import { formatDay, parseDay } from "./dates.js";
import { formatMajor } from "./money.js";
import { ValidationError } from "./errors.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH } from "./classification.js";
import { adviseRecovery, type Reason } from "./recovery.js";
import {
  DEFAULT_AUTHORITY, DEFAULT_MEDIATION_MODEL, OFFER_TYPES, OFFER_TYPES_EN, OFFER_TYPES_ZH,
  type AuthorityLimit, type DeclinedOffer, type MediationFacts, type MediationModel, type MediationOptions, type MediationProposal,
  type Offer, type OfferTerms, type OfferType,
} from "./mediation/types.js";
import { buildPlan, discountFactors, planHashOf, pvOf, S, splitInstallments } from "./mediation/plans.js";
import { checkAuthority, limitOf, maxAuthority } from "./mediation/authority.js";
import { pct } from "./mediation/letters.js";

/*
 * The module's parts, re-exported here: types and defaults (mediation/types.ts), exact plans
 * (mediation/plans.ts), authority limits (mediation/authority.ts), installment tracking
 * (mediation/tracking.ts), the letters (mediation/letters.ts). The value model and the proposals stay here.
 */
export type { Reason };
export * from "./mediation/types.js";
export { discountFactors, planHashOf, splitInstallments } from "./mediation/plans.js";
export { checkAuthority, mayApprove, maxAuthority } from "./mediation/authority.js";
export * from "./mediation/tracking.js";
export { renderAcceptance, renderOfferLetter, type AcceptanceFacts, type OfferLetterFacts, type RenderedLetter } from "./mediation/letters.js";

// ---------------------------------------------------------------------------------------------
// Valuation

interface Valued {
  discountBps: number;
  installments: number;
  acceptanceBps: number;
  performanceBps: number;
  expectedCollections: bigint;
  epv: bigint;
}

interface Context {
  f: MediationFacts;
  model: MediationModel;
  df: bigint[];
  benchmark: bigint;
  cls: number;
}

function acceptanceOf(ctx: Context, type: OfferType, discountBps: number, n: number): number {
  const m = ctx.model;
  const a = type === "lump-sum"
    ? m.lumpSumAcceptanceBps[ctx.cls]! + Math.floor((m.lumpSumAcceptancePerDiscountPct * discountBps) / 100)
    : m.planAcceptanceBps[ctx.cls]! + Math.floor((m.planAcceptancePerDiscountPct * discountBps) / 100) + m.planAcceptancePerInstallment * (n - 1);
  return Math.max(0, Math.min(m.maxAcceptanceBps, a));
}

/** Whole months (rounded up) from the offer to a due day, at least 1. */
function monthsUntil(days: number): number {
  return Math.max(1, Math.ceil(days / 30));
}

/** Expected present value of an offer (see the module comment for the formula). */
function value(ctx: Context, type: OfferType, discountBps: number, n: number): Valued {
  const { f, model, df, benchmark } = ctx;
  const O = f.outstanding;
  const total = O - (O * BigInt(discountBps)) / 10_000n;
  const amounts = splitInstallments(total, n);
  const hazard = BigInt(type === "lump-sum" ? 10_000 - model.lumpSumPaymentBps : model.monthlyDefaultBps[ctx.cls]!);
  let survival = S; // chance every installment so far was paid, scaled
  let paidScaled = 0n; // Σ s_k·a_k·v(t_k), scale S²
  let fallbackScaled = 0n; // Σ s_{k−1}·h·R_k·(B/O)·v(t_k), scale S²
  let collectedScaled = 0n; // Σ s_k·a_k, scale S
  let paidBefore = 0n;
  for (let k = 0; k < n; k++) {
    const t = type === "lump-sum" ? monthsUntil(model.lumpSumDueDays) : k + 1;
    const v = df[t]!;
    const defaults = (survival * hazard) / 10_000n;
    const remainingClaim = O - paidBefore;
    fallbackScaled += defaults * ((remainingClaim * benchmark) / O) * v;
    survival -= defaults;
    paidScaled += survival * amounts[k]! * v;
    collectedScaled += survival * amounts[k]!;
    paidBefore += amounts[k]!;
  }
  const S2 = S * S;
  const paidPv = (paidScaled + S2 / 2n) / S2;
  const fallbackPv = (fallbackScaled + S2 / 2n) / S2;
  const cost = (paidPv * BigInt(model.costBps)) / 10_000n;
  const acceptance = acceptanceOf(ctx, type, discountBps, n);
  const declined = pvOf(benchmark, df[model.responseMonths]!);
  const epv = (BigInt(acceptance) * (paidPv + fallbackPv - cost) + BigInt(10_000 - acceptance) * declined + 5_000n) / 10_000n;
  return {
    discountBps,
    installments: n,
    acceptanceBps: acceptance,
    performanceBps: Number((survival * 10_000n) / S),
    expectedCollections: (collectedScaled + S / 2n) / S,
    epv,
  };
}

// ---------------------------------------------------------------------------------------------
// Proposals

const amount = (fen: bigint | string, currency: string) => `${currency} ${formatMajor(BigInt(fen))}`;

function checkModel(m: MediationModel): void {
  const bps = (v: number, field: string) => {
    if (!Number.isInteger(v) || v < 0 || v > 10_000) throw new ValidationError(`model.${field}`, "integer 0..10000");
  };
  for (const k of ["lumpSumAcceptanceBps", "planAcceptanceBps", "monthlyDefaultBps"] as const) {
    if (m[k].length !== 5) throw new ValidationError(`model.${k}`, "one value per class (5)");
    m[k].forEach((v, i) => bps(v, `${k}[${i}]`));
  }
  for (const k of ["costBps", "lumpSumPaymentBps", "maxAcceptanceBps", "minMarginBps", "lumpSumAcceptancePerDiscountPct", "planAcceptancePerDiscountPct", "planAcceptancePerInstallment"] as const) bps(m[k], k);
  if (!Number.isInteger(m.discountStepBps) || m.discountStepBps < 1) throw new ValidationError("model.discountStepBps", "positive integer");
  if (!Number.isInteger(m.lumpSumDueDays) || m.lumpSumDueDays < 1 || m.lumpSumDueDays > 366) throw new ValidationError("model.lumpSumDueDays", "integer 1..366");
  if (!Number.isInteger(m.validityDays) || m.validityDays < 1 || m.validityDays > 366) throw new ValidationError("model.validityDays", "integer 1..366");
  if (!Number.isInteger(m.responseMonths) || m.responseMonths < 0 || m.responseMonths > 24) throw new ValidationError("model.responseMonths", "integer 0..24");
  if (m.installmentChoices.length === 0 || m.installmentChoices.some((n) => !Number.isInteger(n) || n < 1 || n > 600)) throw new ValidationError("model.installmentChoices", "integers 1..600");
}

function checkFacts(f: MediationFacts): void {
  if (typeof f.claimId !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(f.claimId)) throw new ValidationError("claimId", "bytes32-hex");
  if (typeof f.outstanding !== "bigint" || f.outstanding <= 0n) throw new ValidationError("outstanding", "positive fen");
  if (!Number.isInteger(f.classIndex) || f.classIndex < 0 || f.classIndex > 4) throw new ValidationError("classIndex", "integer 0..4");
  if (!Number.isInteger(f.daysPastDue) || f.daysPastDue < 0) throw new ValidationError("daysPastDue", "non-negative-integer");
  if (f.auctionProceeds !== undefined && (typeof f.auctionProceeds !== "bigint" || f.auctionProceeds < 0n)) throw new ValidationError("auctionProceeds", "non-negative fen");
  if (f.currency !== undefined && !/^[A-Z]{3}$/.test(f.currency)) throw new ValidationError("currency", "ISO 4217 code");
  parseDay(f.asOfDate, "asOfDate");
}

function checkTerms(t: OfferTerms, field: string, max: { maxDiscountBps: number; maxInstallments: number }, type: OfferType): void {
  if (t.discountBps !== undefined) {
    if (!Number.isInteger(t.discountBps) || t.discountBps < 0 || t.discountBps >= 10_000) throw new ValidationError(`${field}.discountBps`, "integer 0..9999");
    if (t.discountBps > max.maxDiscountBps) throw new ValidationError(`${field}.discountBps`, "beyond-any-authority", `${field}.discountBps: ${pct(t.discountBps)} is beyond every role's authority (at most ${pct(max.maxDiscountBps)})`);
  }
  if (t.installments !== undefined) {
    if (type === "lump-sum" && t.installments !== 1) throw new ValidationError(`${field}.installments`, "a lump sum is one payment");
    if (!Number.isInteger(t.installments) || t.installments < 1) throw new ValidationError(`${field}.installments`, "positive integer");
    if (t.installments > max.maxInstallments) throw new ValidationError(`${field}.installments`, "beyond-any-authority", `${field}.installments: ${t.installments} is beyond every role's authority (at most ${max.maxInstallments})`);
  }
}

/** The best valued terms on the grid within the given limits (ties: smaller discount, fewer installments). */
function search(ctx: Context, type: OfferType, fixed: OfferTerms, limit: { maxDiscountBps: number; maxInstallments: number }): Valued | undefined {
  const counts = type === "lump-sum" ? [1] : fixed.installments !== undefined ? [fixed.installments] : ctx.model.installmentChoices.filter((n) => n <= limit.maxInstallments);
  const discounts: number[] = [];
  if (fixed.discountBps !== undefined) discounts.push(fixed.discountBps);
  else for (let d = 0; d <= limit.maxDiscountBps; d += ctx.model.discountStepBps) discounts.push(d);
  let best: Valued | undefined;
  for (const n of counts) {
    for (const d of discounts) {
      const total = ctx.f.outstanding - (ctx.f.outstanding * BigInt(d)) / 10_000n;
      if (total < BigInt(n)) continue;
      const v = value(ctx, type, d, n);
      if (!best || v.epv > best.epv) best = v;
    }
  }
  return best;
}

function roleName(authority: Readonly<Record<string, AuthorityLimit>>, role: string, lang: "zh" | "en"): string {
  return authority[role]?.[lang] ?? role;
}

/**
 * Settlement offers for an overdue claim: a lump sum and an installment plan, each the highest expected
 * present value the model finds (or on the proposer's fixed terms), made only when it beats the best
 * other disposal path; with the authority check, the plan and its hash, and reasons in zh-CN and English.
 *
 * @throws ValidationError naming the field for bad facts, an unknown role, or terms beyond every role's authority
 */
export function proposeOffers(facts: MediationFacts, options: MediationOptions): MediationProposal {
  checkFacts(facts);
  const model: MediationModel = { ...DEFAULT_MEDIATION_MODEL, ...(options.model ?? {}) };
  checkModel(model);
  const authority = options.authority ?? DEFAULT_AUTHORITY;
  limitOf(authority, options.proposerRole);
  const rateBps = options.discountRateBps ?? 800;
  const max = maxAuthority(authority);
  const fixedOf = (t: OfferTerms | false | undefined) => (t === false ? undefined : t ?? {});
  const fixedLump = fixedOf(options.lumpSum);
  const fixedPlan = fixedOf(options.plan);
  if (fixedLump) checkTerms(fixedLump, "lumpSum", max, "lump-sum");
  if (fixedPlan) checkTerms(fixedPlan, "plan", max, "installments");

  const advice = adviseRecovery(
    { outstanding: facts.outstanding, classIndex: facts.classIndex, daysPastDue: facts.daysPastDue, region: facts.region, auctionProceeds: facts.auctionProceeds },
    { ...(options.recovery ?? {}), discountRate: rateBps / 10_000 },
  );
  const best = advice.paths.find((p) => p.path === advice.recommended)!;
  const benchmark = BigInt(best.presentValue) > 0n ? BigInt(best.presentValue) : 0n;
  const longest = Math.max(
    monthsUntil(model.lumpSumDueDays), model.responseMonths, fixedPlan?.installments ?? 0,
    ...model.installmentChoices.filter((n) => n <= max.maxInstallments),
  );
  const ctx: Context = { f: facts, model, df: discountFactors(rateBps, longest), benchmark, cls: facts.classIndex };
  const currency = facts.currency ?? "CNY";
  const minMargin = (facts.outstanding * BigInt(model.minMarginBps)) / 10_000n;
  /** Strictly more than the benchmark, and by at least the required margin. */
  const beats = (v: Valued | undefined): boolean => !!v && v.epv > benchmark && v.epv - benchmark >= minMargin;

  const offers: Offer[] = [];
  const declined: DeclinedOffer[] = [];
  const benchmarkOut = { path: best.path, pathZh: best.pathZh, presentValue: benchmark.toString(), recoveryBps: best.recoveryBps, durationMonths: best.durationMonths };

  for (const type of OFFER_TYPES) {
    const fixed = type === "lump-sum" ? fixedLump : fixedPlan;
    const typeZh = OFFER_TYPES_ZH[type];
    if (!fixed) continue;
    if (facts.daysPastDue === 0) {
      declined.push({
        type, typeZh, code: "not-overdue", benchmarkPresentValue: benchmark.toString(),
        zh: "该债权未逾期，无需调解", en: "The claim is not overdue: there is nothing to settle",
      });
      continue;
    }
    const requested = fixed.discountBps !== undefined && (type === "lump-sum" || fixed.installments !== undefined);
    const own = limitOf(authority, options.proposerRole);
    let chosen = search(ctx, type, fixed, own);
    let searchedBeyond = false;
    if (!requested && !beats(chosen)) {
      const wide = search(ctx, type, fixed, max);
      if (beats(wide)) {
        chosen = wide;
        searchedBeyond = true;
      } else if (wide && (!chosen || wide.epv > chosen.epv)) chosen = wide;
    }
    if (!beats(chosen)) {
      const bestEpv = chosen?.epv;
      declined.push({
        type, typeZh, code: "cannot-beat-best-path", benchmarkPresentValue: benchmark.toString(),
        ...(bestEpv !== undefined ? { bestExpectedPresentValue: bestEpv.toString() } : {}),
        zh: bestEpv !== undefined
          ? `${typeZh}的最佳预期现值 ${amount(bestEpv, currency)} 不高于最优替代方案（${best.pathZh}）的 ${amount(benchmark, currency)}，不予提出`
          : `${typeZh}无可行方案`,
        en: bestEpv !== undefined
          ? `The best ${OFFER_TYPES_EN[type]} is worth ${amount(bestEpv, currency)} in expected present value, not more than the best other path (${best.path}) at ${amount(benchmark, currency)}: not offered`
          : `No feasible ${OFFER_TYPES_EN[type]}`,
      });
      continue;
    }
    offers.push(makeOffer(ctx, type, chosen!, options.proposerRole, authority, requested ? "requested" : "searched", searchedBeyond, benchmarkOut, currency));
  }
  offers.sort((a, b) => (BigInt(b.figures.expectedPresentValue) > BigInt(a.figures.expectedPresentValue) ? 1 : BigInt(b.figures.expectedPresentValue) < BigInt(a.figures.expectedPresentValue) ? -1 : 0));
  return {
    claimId: facts.claimId.toLowerCase(),
    asOfDate: formatDay(parseDay(facts.asOfDate, "asOfDate")),
    outstanding: facts.outstanding.toString(),
    daysPastDue: facts.daysPastDue,
    classification: CLASSIFICATIONS[facts.classIndex]!,
    classificationZh: CLASSIFICATIONS_ZH[facts.classIndex]!,
    benchmark: benchmarkOut,
    advice,
    offers,
    declined,
    parameters: { discountRateBps: rateBps, model },
  };
}

function makeOffer(
  ctx: Context, type: OfferType, v: Valued, role: string, authority: Readonly<Record<string, AuthorityLimit>>,
  terms: Offer["terms"], searchedBeyond: boolean, benchmark: MediationProposal["benchmark"], currency: string,
): Offer {
  const plan = buildPlan(ctx.f, type, v.discountBps, v.installments, ctx.model);
  const auth = checkAuthority(role, v.discountBps, v.installments, authority);
  const margin = v.epv - ctx.benchmark;
  const marginBps = Number((margin * 10_000n) / ctx.f.outstanding);
  const typeZh = OFFER_TYPES_ZH[type];
  const reasons: Reason[] = [{
    code: "beats-best-path",
    zh: `预期现值 ${amount(v.epv, currency)} 高于最优替代方案（${benchmark.pathZh}）的 ${amount(ctx.benchmark, currency)}，高出 ${amount(margin, currency)}（未偿本息的${pct(marginBps)}）`,
    en: `Expected present value ${amount(v.epv, currency)} beats the best other path (${benchmark.path}) at ${amount(ctx.benchmark, currency)} by ${amount(margin, currency)} (${pct(marginBps)} of outstanding)`,
  }, {
    code: "acceptance-model",
    zh: `按${CLASSIFICATIONS_ZH[ctx.cls]}类债权估计：债务人接受概率 ${pct(v.acceptanceBps)}，接受后全部履约概率 ${pct(v.performanceBps)}；违约则恢复原债权并转入替代方案`,
    en: `For a ${CLASSIFICATIONS[ctx.cls]} claim: acceptance ${pct(v.acceptanceBps)}, full performance once accepted ${pct(v.performanceBps)}; a default reinstates the original claim and the other path follows`,
  }];
  if (v.discountBps > 0) {
    reasons.push({
      code: "discount",
      zh: `减免 ${pct(v.discountBps)}（${amount(plan.forgiven, currency)}），全部按期支付后生效`,
      en: `Discount ${pct(v.discountBps)} (${amount(plan.forgiven, currency)}), granted only once every installment is paid`,
    });
  }
  if (type === "installments") {
    const first = plan.installments[0]!.amount;
    const last = plan.installments[plan.installments.length - 1]!.amount;
    reasons.push(first === last
      ? { code: "installments-even", zh: `${v.installments} 期，每期 ${amount(first, currency)}`, en: `${v.installments} monthly installments of ${amount(first, currency)}` }
      : {
        code: "installments-rounded",
        zh: `${v.installments} 期，每期 ${amount(first, currency)}（取整到元），末期 ${amount(last, currency)} 含尾差，合计恰为 ${amount(plan.total, currency)}`,
        en: `${v.installments} monthly installments of ${amount(first, currency)} (whole yuan), the last ${amount(last, currency)} carrying the remainder, summing exactly to ${amount(plan.total, currency)}`,
      });
  }
  reasons.push(terms === "requested"
    ? { code: "terms-requested", zh: "条件由提出人指定", en: "Terms set by the proposer" }
    : searchedBeyond
      ? { code: "best-beyond-authority", zh: "在提出人权限内没有优于替代方案的条件，已在全部权限范围内选取预期现值最高者", en: "Nothing within the proposer's authority beats the other path; the highest expected present value over the whole range was chosen" }
      : { code: "best-within-authority", zh: `在${roleName(authority, role, "zh")}权限内选取预期现值最高的条件`, en: `Highest expected present value within the ${roleName(authority, role, "en")}'s authority` });
  if (auth.withinAuthority) {
    reasons.push({
      code: "within-authority",
      zh: `在${roleName(authority, role, "zh")}权限内（减免不超过 ${pct(auth.limit.maxDiscountBps)}，不超过 ${auth.limit.maxInstallments} 期），可直接提出`,
      en: `Within the ${roleName(authority, role, "en")}'s authority (discount up to ${pct(auth.limit.maxDiscountBps)}, up to ${auth.limit.maxInstallments} installments): may be offered now`,
    });
  } else {
    const what = auth.exceeds.map((e) => (e === "discount" ? [`减免 ${pct(v.discountBps)} 超过 ${pct(auth.limit.maxDiscountBps)}`, `a discount of ${pct(v.discountBps)} over ${pct(auth.limit.maxDiscountBps)}`] : [`${v.installments} 期超过 ${auth.limit.maxInstallments} 期`, `${v.installments} installments over ${auth.limit.maxInstallments}`]));
    reasons.push({
      code: "needs-approval",
      zh: `超出${roleName(authority, role, "zh")}权限（${what.map((w) => w[0]).join("；")}），需经${auth.approverRoles.map((r) => roleName(authority, r, "zh")).join("或")}审批后方可发出`,
      en: `Beyond the ${roleName(authority, role, "en")}'s authority (${what.map((w) => w[1]).join("; ")}): needs approval by ${auth.approverRoles.map((r) => `the ${roleName(authority, r, "en")}`).join(" or ")} before it is sent`,
    });
  }
  return {
    type,
    typeZh,
    status: auth.withinAuthority ? "proposed" : "pending-approval",
    plan,
    planHash: planHashOf(plan),
    figures: {
      outstanding: plan.outstanding,
      total: plan.total,
      forgiven: plan.forgiven,
      discountBps: v.discountBps,
      installments: v.installments,
      firstDueDate: plan.installments[0]!.dueDate,
      lastDueDate: plan.installments[plan.installments.length - 1]!.dueDate,
      acceptanceBps: v.acceptanceBps,
      performanceBps: v.performanceBps,
      expectedCollections: v.expectedCollections.toString(),
      expectedPresentValue: v.epv.toString(),
      benchmarkPresentValue: ctx.benchmark.toString(),
      margin: margin.toString(),
      marginBps,
    },
    authority: auth,
    terms,
    reasons,
  };
}
