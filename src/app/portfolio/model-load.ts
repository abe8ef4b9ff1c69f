import type { CaseRow, ChainIndex, ClaimRow, Cursor } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { DbSnapshot, SublevelOf } from "../../store/db.js";
import type { LoanRequest } from "../../core/assess.js";
import { parseDay } from "../../core/dates.js";
import type { AssessInput, AssessOutput } from "./assess-worker.js";
import { applyAssessment, baseRow, factsOf, limitationFacts, loanOf, type PortfolioRow } from "./rows.js";
import { slicer } from "./order.js";
import type { LimitationFacts } from "./limitation.js";

/**
 * The heavy steps of the console's model, sized for a million claims: loading the book from the store
 * (streamed: the index's claims and cases and the claims' records merged in key order, one snapshot) and
 * assessing rows (in a worker thread, slice by slice, the claims of one corporate debtor always together).
 */

/** Loans per assessment sent to the worker (each message is copied on this thread: kept short). */
const SLICE = 1_000;
/** Rows handled between two turns of the event loop. */
const TURN = 2_000;

/** Runs the scoring core on `input` (a worker thread in the API: src/app/portfolio/assess-worker.ts). */
export type Assess = (input: AssessInput) => Promise<AssessOutput>;

/** Merges two async iterables of [key, value] sorted by key: the pairs of `b` whose key `a` has, by `a`'s key. */
async function* joined<A, B>(a: AsyncIterable<[string, A]>, b: AsyncIterable<[string, B]>): AsyncGenerator<[string, A, B | undefined]> {
  const ib = b[Symbol.asyncIterator]();
  let nb = await ib.next();
  for await (const [k, va] of a) {
    while (!nb.done && nb.value[0] < k) nb = await ib.next();
    yield [k, va, !nb.done && nb.value[0] === k ? nb.value[1] : undefined];
  }
  await ib.return?.();
}

export interface Loaded {
  cursor: Cursor | null;
  asOfBlock: number | null;
  rows: PortfolioRow[];
  reports: Array<{ asOf: number; blockNumber: number }>;
}

/**
 * Every indexed claim this node has a record of, as rows not yet assessed, at one snapshot. A claim on
 * chain with no record here (registered through another node) is left out.
 */
export async function loadBook(index: ChainIndex, records: SublevelOf<ClaimRecord>, progress?: (claimsRead: number) => void): Promise<Loaded> {
  const got = await index.atSnapshot(async (snapshot: DbSnapshot) => {
    const rows: PortfolioRow[] = [];
    const claims = index.tables.claims.iterator({ snapshot }) as AsyncIterable<[string, ClaimRow]>;
    const cases = index.tables.cases.iterator({ snapshot }) as AsyncIterable<[string, CaseRow]>;
    const recs = records.iterator({ snapshot }) as AsyncIterable<[string, ClaimRecord]>;
    async function* withCases(): AsyncGenerator<[string, { claim: ClaimRow; case: CaseRow | undefined }]> {
      for await (const [k, claim, c] of joined(claims, cases)) yield [k, { claim, case: c }];
    }
    let n = 0;
    const s = slicer();
    for await (const [, { claim, case: c }, record] of joined(withCases(), recs)) {
      if (record) rows.push(baseRow(claim, c ?? null, factsOf(record)));
      if (++n % TURN === 0) progress?.(n);
      if (s.due()) await s.next();
    }
    const reports: Loaded["reports"] = [];
    for await (const [, item] of index.tables.timeline.iterator({ snapshot })) {
      if (item.type === "report") reports.push({ asOf: item.details.asOf, blockNumber: item.blockNumber });
    }
    const cursor = (await index.meta()).cursor;
    return { rows, reports, cursor };
  });
  return { ...got, asOfBlock: got.asOfBlock };
}

/**
 * Assesses `rows` as of `today` (YYYY-MM-DD, UTC+8) in slices; a corporate debtor's rows always share a
 * slice (`groupOf` lists the rows of each debtor of these rows, so the caller can add the debtor's others).
 */
export async function assessRows(rows: readonly PortfolioRow[], today: string, assess: Assess, warn: (claimId: string, message: string) => void): Promise<void> {
  const day = parseDay(today, "asOf");
  // Retail rows stand alone; a corporate debtor's rows go together.
  const groups = new Map<string, PortfolioRow[]>();
  const slices: PortfolioRow[][] = [[]];
  const s = slicer();
  for (const r of rows) {
    if (s.due()) await s.next();
    if (r.corporateDebtor === null) {
      push(slices, [r]);
      continue;
    }
    let g = groups.get(r.corporateDebtor);
    if (!g) groups.set(r.corporateDebtor, (g = []));
    g.push(r);
  }
  for (const g of groups.values()) push(slices, g);
  for (const slice of slices) {
    if (slice.length === 0) continue;
    const loans: LoanRequest[] = [];
    const facts: LimitationFacts[] = [];
    for (const r of slice) {
      loans.push(loanOf(r, day));
      facts.push(limitationFacts(r));
      if (s.due()) await s.next();
    }
    // Sending the slice's loans copies them (structured clone) on this thread: a slice is a few thousand.
    const out = await assess({ asOf: today, loans, limitation: facts });
    for (const f of out.refused) warn(f.loanId, f.message);
    for (let i = 0; i < slice.length; i++) {
      applyAssessment(slice[i]!, out, i, day);
      if (s.due()) await s.next();
    }
  }
}

function push(slices: PortfolioRow[][], group: PortfolioRow[]): void {
  let last = slices[slices.length - 1]!;
  if (last.length > 0 && last.length + group.length > SLICE) slices.push((last = []));
  last.push(...group);
}
