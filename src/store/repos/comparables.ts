import type { ComparableCase, ComparableRow } from "../../core/comparables.js";
import { comparableToRow } from "../../core/comparables.js";
import { dayOf } from "../../core/dates.js";
import { TypedBatch, type Store, type SublevelOf } from "../db.js";

export type ImportStatus = "queued" | "writing" | "indexing" | "done" | "failed";

/** A comparables import that runs as a job (POST /v1/comparables/import beyond its synchronous size). */
export interface ImportJob {
  id: string;
  status: ImportStatus;
  source: "json" | "csv";
  /** Rows in the import. */
  total: number;
  /** Rows written so far (all rows are written in one atomic batch, so 0 or total). */
  done: number;
  imported?: number;
  added?: number;
  replaced?: number;
  /** Cases in the database after this import. */
  count?: number;
  /** Hash of the whole comparable set after this import. */
  hash?: string;
  modelHash?: string;
  errors: { code: string; message: string; row?: number; line?: number; field?: string; rule?: string }[];
  createdAt: string;
  updatedAt: string;
  owner: { keyId: string; name: string };
}

/**
 * The comparable-case database (可比案例库): one record per case, keyed by caseId, stored as its JSON row
 * (money as decimal strings). Rows are validated before they are written (core/comparables.ts), so reading
 * them back trusts the stored form.
 */
export interface ComparablesRepo {
  readonly sublevel: SublevelOf<ComparableRow>;
  /** Import jobs by id (`comparable-imports`). */
  readonly jobs: SublevelOf<ImportJob>;
  /** Every stored case, in caseId order. */
  loadAll(): Promise<ComparableCase[]>;
  /** Writes (inserts or replaces) cases, with what `extra` adds, in one atomic, synced batch. */
  putAll(cases: readonly ComparableCase[], extra?: (batch: TypedBatch) => void): Promise<void>;
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

export function openComparables(store: Store): ComparablesRepo {
  const sublevel = store.sub<ComparableRow>("comparables");
  return {
    sublevel,
    jobs: store.sub("comparable-imports"),
    async loadAll() {
      const out: ComparableCase[] = [];
      for await (const row of sublevel.values()) out.push(caseFromStoredRow(row));
      return out;
    },
    async putAll(cases, extra) {
      const batch = new TypedBatch();
      for (const c of cases) batch.put(sublevel, c.caseId, comparableToRow(c));
      extra?.(batch);
      await batch.write(store);
    },
  };
}
