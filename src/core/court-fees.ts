/**
 * Court fees (诉讼费用) per 《诉讼费用交纳办法》 (国务院令第481号, in force 2007-04-01), in fen.
 *
 * Every schedule is a set of brackets: the amount falling inside a bracket pays that bracket's rate
 * ("超过…至…的部分"), plus a fixed fee for the first bracket. Brackets are in fen; rates in basis points
 * (1/10,000); the sum is computed exactly and rounded half up to the fen once, at the end.
 *
 * - Case acceptance fee for a property case (财产案件受理费, 第十三条第一项): up to 10,000 yuan 50 yuan;
 *   above it 2.5% to 100k, 2% to 200k, 1.5% to 500k, 1% to 1M, 0.9% to 2M, 0.8% to 5M, 0.7% to 10M,
 *   0.6% to 20M, 0.5% above 20M.
 * - Summary procedure (简易程序): the acceptance fee is halved (第十六条); so is a case settled by mediation
 *   or withdrawn (第十五条), and a payment order (支付令) pays half the property-case fee (第十四条第三项).
 * - Preservation (申请保全措施, 第十四条第二项), on the value actually preserved: up to 1,000 yuan 30 yuan;
 *   above it 1% to 100k, 0.5% above 100k; at most 5,000 yuan in all.
 * - Enforcement (申请执行, 第十四条第一项), on the amount or value enforced: up to 10,000 yuan 50 yuan; above
 *   it 1.5% to 500k, 1% to 5M, 0.5% to 10M, 0.1% above 10M. It is paid after enforcement (第二十条) and
 *   borne by the judgment debtor (第三十八条第一款), i.e. it comes out of the debtor's assets first.
 */

/** One bracket: the amount up to `upTo` fen (Infinity: no upper end) pays `bps` on the part inside it. */
interface Bracket {
  readonly upTo: bigint | null;
  readonly bps: bigint;
}

/** A fee schedule: a fixed fee covering the amount up to `base`, then the brackets, then an optional cap. */
interface Schedule {
  readonly base: bigint;
  readonly fixed: bigint;
  readonly brackets: readonly Bracket[];
  readonly cap?: bigint;
}

const YUAN = 100n;
const b = (upToYuan: number | null, bps: number): Bracket => ({ upTo: upToYuan === null ? null : BigInt(upToYuan) * YUAN, bps: BigInt(bps) });

/** 第十三条第一项: property cases. */
export const ACCEPTANCE_SCHEDULE: Schedule = Object.freeze({
  base: 10_000n * YUAN,
  fixed: 50n * YUAN,
  brackets: Object.freeze([
    b(100_000, 250), b(200_000, 200), b(500_000, 150), b(1_000_000, 100), b(2_000_000, 90),
    b(5_000_000, 80), b(10_000_000, 70), b(20_000_000, 60), b(null, 50),
  ]),
});

/** 第十四条第二项: preservation, at most 5,000 yuan. */
export const PRESERVATION_SCHEDULE: Schedule = Object.freeze({
  base: 1_000n * YUAN,
  fixed: 30n * YUAN,
  brackets: Object.freeze([b(100_000, 100), b(null, 50)]),
  cap: 5_000n * YUAN,
});

/** 第十四条第一项: enforcement of an amount. */
export const ENFORCEMENT_SCHEDULE: Schedule = Object.freeze({
  base: 10_000n * YUAN,
  fixed: 50n * YUAN,
  brackets: Object.freeze([b(500_000, 150), b(5_000_000, 100), b(10_000_000, 50), b(null, 10)]),
});

function feeOf(s: Schedule, amount: bigint): bigint {
  if (amount < 0n) throw new RangeError("amount must not be negative");
  let scaled = s.fixed * 10_000n; // fen × bps
  let lower = s.base;
  for (const { upTo, bps } of s.brackets) {
    if (amount <= lower) break;
    const top = upTo === null || amount < upTo ? amount : upTo;
    scaled += (top - lower) * bps;
    if (upTo === null) break;
    lower = upTo;
  }
  const fee = (scaled + 5_000n) / 10_000n;
  return s.cap !== undefined && fee > s.cap ? s.cap : fee;
}

/** Halves a fee, rounding half up to the fen. */
function half(fee: bigint): bigint {
  return (fee + 1n) / 2n;
}

/** The procedures a property claim can be heard in, for the acceptance fee. */
export const PROCEDURES = ["ordinary", "summary", "payment-order"] as const;
export type Procedure = (typeof PROCEDURES)[number];

/**
 * Case acceptance fee of a property claim of `claim` fen (第十三条第一项), halved in summary procedure
 * (简易程序, 第十六条) and for a payment order (支付令, 第十四条第三项).
 */
export function acceptanceFee(claim: bigint, procedure: Procedure = "ordinary"): bigint {
  const fee = feeOf(ACCEPTANCE_SCHEDULE, claim);
  return procedure === "ordinary" ? fee : half(fee);
}

/** Preservation fee on `preserved` fen of property (第十四条第二项), at most 5,000 yuan. */
export function preservationFee(preserved: bigint): bigint {
  return feeOf(PRESERVATION_SCHEDULE, preserved);
}

/** Enforcement fee on `enforced` fen (第十四条第一项). */
export function enforcementFee(enforced: bigint): bigint {
  return feeOf(ENFORCEMENT_SCHEDULE, enforced);
}
