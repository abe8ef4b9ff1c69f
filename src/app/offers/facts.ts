import { classifyAndScore } from "../../core/batch.js";
import { CLASSIFICATIONS } from "../../core/classification.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import { parseMinor } from "../../core/money.js";
import { ValidationError } from "../../core/errors.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { OfferFacts } from "../../store/repos/offers.js";
import type { OfferContext } from "./context.js";
import type { OfferRequest } from "./types.js";

/** The claim's figures: the oracle's latest loan status of the holder's side if there is one, else the request's. */
export async function factsOf(
  ctx: OfferContext, claimId: string, holder: string, record: ClaimRecord | undefined, req: OfferRequest, nowMs: number,
): Promise<OfferFacts & { outstandingFen: bigint; classIndex: number }> {
  const status = await ctx.holderStatus(claimId, holder);
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const region = (str(record?.region) ?? str(record?.collateral?.region) ?? req.region)?.toLowerCase() ?? null;
  const appraised = str(record?.collateral?.appraisedValue) ?? null;
  const product = status?.product ?? record?.product ?? "corporate";
  const debtorType = status?.debtorType ?? record?.debtor.type ?? "corporate";
  const debtorId = record?.debtor.debtorId ?? claimId;
  if (status) {
    const day = chinaDateOfMs(status.asOfUnix * 1000);
    const scored = classifyAndScore({
      asOf: day,
      loans: [{
        loanId: claimId, product, debtorType, debtorId, outstanding: status.outstanding,
        ...(status.schedule ? { schedule: status.schedule, payments: status.payments ?? [] } : { daysPastDue: status.daysPastDue ?? 0 }),
      }],
    });
    const collateral = status.collateralValue ?? req.collateralValue ?? appraised;
    return {
      source: "loan-status", asOf: new Date(status.asOfUnix * 1000).toISOString(), outstanding: status.outstanding,
      daysPastDue: scored.daysPastDue[0]!, classification: CLASSIFICATIONS[scored.classIndex[0]!]!, region, collateralValue: collateral,
      outstandingFen: parseMinor(status.outstanding, "outstanding"), classIndex: scored.classIndex[0]!,
    };
  }
  if (req.outstanding === undefined) throw new ValidationError("outstanding", "required when the oracle has no loan status of the claim");
  if (req.daysPastDue === undefined) throw new ValidationError("daysPastDue", "required when the oracle has no loan status of the claim");
  const outstandingFen = parseMinor(req.outstanding, "outstanding");
  let classIndex: number;
  if (req.classification !== undefined) classIndex = CLASSIFICATIONS.indexOf(req.classification);
  else {
    classIndex = classifyAndScore({
      asOf: chinaDateOfMs(nowMs),
      loans: [{ loanId: claimId, product, debtorType, debtorId, outstanding: req.outstanding, daysPastDue: req.daysPastDue }],
    }).classIndex[0]!;
  }
  const collateral = req.collateralValue ?? appraised;
  return {
    source: "request", asOf: new Date(nowMs).toISOString(), outstanding: req.outstanding, daysPastDue: req.daysPastDue,
    classification: CLASSIFICATIONS[classIndex]!, region, collateralValue: collateral, outstandingFen, classIndex,
  };
}
