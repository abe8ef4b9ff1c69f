import { ValidationError } from "../../../src/core/errors.js";
import type { ClaimLine, PackageSummary } from "../../../src/core/market/summary.js";

/** A claim line of a test package (money in fen). */
export function line(over: Partial<ClaimLine> = {}): ClaimLine {
  return {
    balance: 1_000_000n, daysPastDue: 400, class: "loss", assetType: "mortgage", collateralType: "residential", region: "shanghai",
    valuation: { p10: 300_000n, p50: 500_000n, p90: 700_000n }, disposalPath: "litigation-auction", limitation: "running", ...over,
  };
}

/** A test package of `claims` (one default line when none given). */
export function pkg(packageId: string, claims: ClaimLine[] = [line()], reserve?: bigint): PackageSummary {
  const s: PackageSummary = { packageId, cutOff: "2025-03-31", claims };
  if (reserve !== undefined) s.reserve = reserve;
  return s;
}

/** The field and rule `check` refuses `input` with (fails the test when it accepts it or throws anything else). */
export function refusal(check: (input: unknown) => unknown, input: unknown): { field: string; rule: string } {
  try {
    check(input);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { field: e.field, rule: e.rule };
  }
  throw new Error("accepted");
}
