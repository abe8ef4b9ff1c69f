import { assessPortfolio, type AssessmentResult, type LoanRequest, type OutsideFacts } from "../../core/assess.js";
import { forumFactsOf } from "../../core/claim-legal.js";
import { ASSET_TYPES } from "../../core/comparables.js";
import { PROCESS_ASSET_TYPES } from "../../core/process.js";
import { parseDay } from "../../core/dates.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import { NotFoundError } from "../../core/errors.js";
import { scoringRegion } from "../../core/regions.js";
import type { LatestSurvey } from "../../store/repos/surveys.js";
import { requireReadDetails, type Party } from "../access.js";
import { NOTE_NO_MODEL, type ComparableSet } from "./comparables.js";
import type { AssessmentsDeps, Bilingual, ClaimAssessmentQuery } from "./types.js";

function normRegion(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const r = value.trim().toLowerCase();
  return r || undefined;
}

/** A claim's assessment from its off-chain record, surveys and feeds: for who may read those (src/app/access.ts). */
export async function assessClaim(deps: AssessmentsDeps, set: ComparableSet, caller: Party, claimId: string, q: ClaimAssessmentQuery) {
  const record = await deps.repos.claims.get(claimId);
  if (!record || record.status === "failed") throw new NotFoundError("claim", claimId);
  if (record.status !== "registered" && !(await deps.chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
  requireReadDetails(caller, await deps.access.parties(claimId, caller));

  const asOf = q.asOf ?? chinaDateOfMs(deps.clock.now());
  const asOfDay = parseDay(asOf, "asOf", true);
  let daysPastDue: number;
  let daysPastDueFrom: "query" | "maturity";
  if (q.daysPastDue !== undefined) {
    daysPastDue = Number(q.daysPastDue);
    daysPastDueFrom = "query";
  } else {
    daysPastDue = Math.max(0, asOfDay - parseDay(record.maturityAt, "maturityAt", true));
    daysPastDueFrom = "maturity";
  }
  const notes: Bilingual[] = [];
  const region = normRegion(record.region) ?? normRegion(record.collateral?.region);
  const loan: LoanRequest = {
    loanId: claimId,
    product: record.product,
    debtorType: record.debtor.type,
    debtorId: record.debtor.debtorId,
    outstanding: record.outstanding,
    daysPastDue,
    ...(region ? { region } : {}),
    ...(q.stage ? { stage: q.stage } : {}),
    // The forums its record allows (core/claim-legal.ts): the disposal advice names one (core/forums.ts).
    forums: forumFactsOf(record.legal),
  };

  let valueIt = false;
  const c = record.collateral as Record<string, unknown> | undefined;
  if (c) {
    const type = typeof c.type === "string" ? c.type.trim().toLowerCase() : "";
    if ((PROCESS_ASSET_TYPES as readonly string[]).includes(type) && type !== "unsecured") {
      const area = typeof c.areaSqm === "number" ? c.areaSqm : undefined;
      const age = q.collateralAgeYears !== undefined ? Number(q.collateralAgeYears) : undefined;
      const colRegion = normRegion(c.region) ?? region;
      loan.collateral = {
        assetType: type,
        region: colRegion ?? "",
        area: area ?? 0,
        ...(age !== undefined ? { ageYears: age } : {}),
        ...(typeof c.appraisedValue === "string" ? { appraisedValue: c.appraisedValue } : {}),
      };
      if ((ASSET_TYPES as readonly string[]).includes(type)) {
        const lacking = [!colRegion && "region", !(area && area > 0) && "areaSqm", age === undefined && "collateralAgeYears"].filter(Boolean) as string[];
        if (lacking.length === 0) valueIt = true;
        else {
          notes.push({
            code: "collateral-not-valued",
            zh: `押品缺少${lacking.map((f) => ({ region: "所在地区", areaSqm: "面积", collateralAgeYears: "房龄（查询参数 collateralAgeYears）" })[f]).join("、")}，未按可比案例估值${typeof c.appraisedValue === "string" ? "，按评估价计" : ""}`,
            en: `collateral lacks ${lacking.join(", ")} (give the building age as ?collateralAgeYears=), so it was not valued from comparables${typeof c.appraisedValue === "string" ? "; its appraisal counts" : ""}`,
          });
        }
      }
    } else {
      notes.push({
        code: "collateral-type-unknown",
        zh: `押品类型"${String(c.type)}"无法识别，按无担保评估`,
        en: `collateral type "${String(c.type)}" is not one of ${PROCESS_ASSET_TYPES.filter((t) => t !== "unsecured").join(", ")}; assessed as unsecured`,
      });
    }
  }
  const debtors = q.crossBankOverdue90Share !== undefined && record.debtor.type === "corporate"
    ? [{ debtorId: record.debtor.debtorId, crossBankOverdue90Share: Number(q.crossBankOverdue90Share) }]
    : undefined;

  const d = await set.current();
  const model = valueIt ? set.modelOf(d) : null;
  if (valueIt && !model) notes.push({ code: "no-valuation-model", ...NOTE_NO_MODEL });
  // A district's collateral is valued with its city's (or province's) sales when the comparables have no finer ones.
  if (loan.collateral?.region) {
    const auction = set.auctionOf(d);
    loan.collateral.region = scoringRegion(loan.collateral.region, (k) => (model?.fitted.regions.includes(k) ?? false) || auction.has(k));
  }
  // Outside facts (issue 8): the latest field survey and the outside-data feeds by asOf.
  const [survey, feedState] = await Promise.all([deps.outside.latestSurvey(claimId, asOfDay), deps.outside.feedState(claimId, asOfDay)]);
  const outside: OutsideFacts = {
    ...(survey ? { survey: { survey: survey.survey, hash: survey.hash } } : {}),
    ...(feedState.current.length > 0 ? { feeds: feedState.effects } : {}),
  };
  const withOutside = outside.survey !== undefined || outside.feeds !== undefined;
  const assessWith = (facts?: OutsideFacts) => assessPortfolio(
    { asOf, loans: [loan], ...(debtors ? { debtors } : {}) },
    { valuation: model ?? undefined, auctionStatistics: set.auctionOf(d), advice: "all", ...(facts ? { outside: [facts] } : {}) },
  );
  const res = assessWith(withOutside ? outside : undefined);
  const result = res.results[0]!;
  if (model && !result.valuation) {
    notes.push({
      code: "no-comparables-in-region",
      zh: "可比案例库中没有该地区的市场成交，未按可比案例估值",
      en: "the comparables hold no market sales in the collateral's region, so it was not valued from them",
    });
  }
  let outsideOut: Record<string, unknown> = {};
  if (withOutside) {
    const plain = assessWith().results[0]!;
    const figures = (r: AssessmentResult) => ({
      score: r.risk.score, grade: r.risk.grade, priority: r.risk.priority, urgencyBps: r.risk.urgencyBps, expectedLoss: r.risk.expectedLoss,
      ...(r.collateralAdjustments ? { collateralValue: r.collateralAdjustments.after } : r.valuation ? { collateralValue: r.valuation.value } : r.collateralValue ? { collateralValue: r.collateralValue } : {}),
    });
    outsideOut = { outsideEffect: { before: figures(plain), after: figures(result) } };
    if (survey) {
      const view = surveyView(survey, result, loan.collateral?.assetType === survey.survey.assetType);
      if (!view.applied) notes.push({ code: "survey-not-applied", zh: "勘察记录未用于估值：押品没有可调整的价值（无可比估值和评估价）或类型不符", en: "the survey did not adjust a value: the collateral has no value to adjust (no valuation from comparables, no appraisal) or its type differs" });
      outsideOut.survey = view;
    }
    if (outside.feeds) outsideOut.feeds = { items: feedState.current, effects: feedState.effects.effects };
  }
  return {
    claimId,
    asOf: res.asOf,
    daysPastDueFrom,
    notes,
    valuationModel: set.basisOf(d),
    result,
    ...outsideOut,
  };
}

/** The survey a claim's assessment used, and the collateral figures before and after it. */
function surveyView(
  survey: LatestSurvey,
  result: AssessmentResult,
  matches: boolean,
) {
  const base = { id: survey.id, hash: survey.hash, recordId: survey.recordId, surveyedAt: survey.survey.surveyedAt, assetType: survey.survey.assetType, factorBps: survey.factorBps, adjustments: survey.adjustments };
  const cited = result.valuation?.survey;
  if (cited && cited.id === survey.id) {
    return { ...base, applied: true, valuation: { before: cited.before, after: { value: result.valuation!.value, p10: result.valuation!.p10, p90: result.valuation!.p90 } } };
  }
  const adj = result.collateralAdjustments;
  if (matches && adj && !result.valuation) {
    const steps = adj.steps;
    const first = steps.findIndex((x) => x.source === "survey" && x.ref === survey.id);
    let last = -1;
    steps.forEach((x, k) => { if (x.source === "survey" && x.ref === survey.id) last = k; });
    // Before the survey: the value after the step preceding it (or the basis); after: its last step (or unchanged).
    const before = first > 0 ? steps[first - 1]!.value : first === 0 ? adj.before : steps.filter((x) => x.source === "feed" && x.code === "appraisal-third-party").at(-1)?.value ?? adj.before;
    const after = last >= 0 ? steps[last]!.value : before;
    return { ...base, applied: true, valuation: { before: { value: before }, after: { value: after } } };
  }
  return { ...base, applied: false, valuation: null };
}
