/**
 * The console's limitation periods at the size of a large book (src/app/portfolio/limitation.ts): a claim
 * without evidence records has its period from the model's row (computed by the assessment worker), so a
 * dashboard over every open claim reads nothing from the store; a claim with evidence records — known at start
 * or recorded since — is read from the store, and its evidence counts.
 */
import { describe, it, expect } from "vitest";
import { assessLoans } from "../../../src/app/portfolio/assess-worker.js";
import { createLimitations, NO_PERIOD, rowLimitation, type PeriodDays } from "../../../src/app/portfolio/limitation.js";
import type { RecordRef } from "../../../src/core/delivery.js";
import { dayOf, formatDay } from "../../../src/core/dates.js";
import type { ClaimRecord } from "../../../src/store/repos/claims.js";

const TODAY = "2030-03-15"; // a fixed day: the periods below are computed as of it, not of the clock
const today = dayOf(TODAY);
const id = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
const record = (i: number, maturityAt: string) => ({ claimId: id(i), maturityAt, collateral: null }) as unknown as ClaimRecord;

/** The worker's days for these maturities, as the model keeps them per row. */
function workerDays(maturities: string[]): PeriodDays[] {
  const out = assessLoans({
    asOf: TODAY,
    loans: maturities.map((_, i) => ({ loanId: id(i), product: "consumer", debtorType: "retail", debtorId: id(i), outstanding: "100000", daysPastDue: 400 })),
    limitation: maturities.map((m, i) => ({ claimId: id(i), maturityAt: m, collateral: false })),
  });
  return maturities.map((_, i) => ({ expires: out.limitationEnds[i]!, last: out.limitationLast[i]! }));
}

describe("console limitation periods from the model", () => {
  // Ends long ago (time-barred), within 90 days (expiring), years ahead (running).
  const maturities = ["2020-01-10", formatDay(today + 40 - 3 * 365 - 1), "2029-12-31"];

  it("the worker computes the same period as the store path (rowLimitation of the record without evidence)", () => {
    const days = workerDays(maturities);
    maturities.forEach((m, i) => {
      const lim = rowLimitation(record(i, m), [], today)!;
      expect(days[i]).toEqual({ expires: dayOf(lim.expiresAt), last: dayOf(lim.lastDay) });
      expect(days[i]!.expires).not.toBe(NO_PERIOD);
    });
  });

  it("claims without evidence: no store read at all; a claim with evidence (at start, or recorded since) is read with its evidence", async () => {
    const days = workerDays(maturities);
    const reads: string[] = [];
    const evidenceOf = new Map<string, RecordRef[]>();
    const lims = createLimitations({
      records: { get: async (claimId) => (reads.push(claimId), record(Number(BigInt(claimId)), maturities[Number(BigInt(claimId))]!)) },
      evidence: async (claimId) => evidenceOf.get(claimId) ?? [],
      fromModel: (claimId) => days[Number(BigInt(claimId))],
      claimsWithEvidence: async function* () {
        yield id(2);
      },
    });
    const ids = maturities.map((_, i) => id(i));
    await lims.ensure(ids, today);
    expect(reads).toEqual([id(2)]);
    expect(ids.map((x) => lims.status(x, today))).toEqual(["expired", "expiring", "running"]);
    expect(lims.of(id(1), today)).toMatchObject({ status: "expiring", lastDay: formatDay(days[1]!.last) });

    // Evidence recorded for claim 0 since: its period is read from the store from now on, not from the model's row.
    lims.touch([id(0)]);
    await lims.ensure(ids, today);
    expect(reads).toEqual([id(2), id(0)]);
    await lims.ensure(ids, today);
    expect(reads).toHaveLength(2);
  });
});
