import type { ComparableCase, ComparableRow } from "../core/comparables.js";
import { comparableToRow } from "../core/comparables.js";
import { dayOf } from "../core/dates.js";
import { writeBatch, type BatchOp, type Store, type SublevelOf } from "./db.js";

/**
 * The comparable-case database (可比案例库): one record per case, keyed by caseId, stored as its JSON row
 * (money as decimal strings). Rows are validated before they are written (core/comparables.ts), so reading
 * them back trusts the stored form.
 */
export interface ComparablesStore {
  readonly sublevel: SublevelOf<ComparableRow>;
  /** Every stored case, in caseId order. */
  loadAll(): Promise<ComparableCase[]>;
  /** Writes (inserts or replaces) cases and any extra records in one atomic, synced batch. */
  putAll(cases: readonly ComparableCase[], extra?: BatchOp[]): Promise<void>;
}

/** A stored row back to a case; the row was validated on import. */
export function caseFromStoredRow(r: ComparableRow): ComparableCase {
  const c: ComparableCase = {
    caseId: r.caseId,
    assetType: r.assetType as ComparableCase["assetType"],
    region: r.region,
    area: Number(r.area),
    ageYears: Number(r.ageYears),
    occupied: r.occupied === true,
    titleDefect: r.titleDefect === true,
    saleDate: r.saleDate,
    saleDay: dayOf(r.saleDate),
    price: BigInt(r.price),
    saleType: r.saleType === "auction" ? "auction" : "market",
    sold: r.sold !== false,
  };
  if (c.saleType === "auction") {
    c.auctionRound = Number(r.auctionRound) as 1 | 2 | 3;
    c.appraisedValue = BigInt(r.appraisedValue!);
    c.reservePrice = BigInt(r.reservePrice!);
  }
  return c;
}

export function openComparables(store: Store): ComparablesStore {
  const sublevel = store.sub<ComparableRow>("comparables");
  return {
    sublevel,
    async loadAll() {
      const out: ComparableCase[] = [];
      for await (const row of sublevel.values()) out.push(caseFromStoredRow(row));
      return out;
    },
    async putAll(cases, extra = []) {
      const ops: BatchOp[] = new Array(cases.length);
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i]!;
        ops[i] = { type: "put", sublevel: sublevel as SublevelOf<unknown>, key: c.caseId, value: comparableToRow(c) };
      }
      for (const op of extra) ops.push(op);
      await writeBatch(store, ops);
    },
  };
}
