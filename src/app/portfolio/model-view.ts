import type { ListScope } from "../access.js";
import type { Aggregate, CellFilter } from "./aggregate.js";
import type { PortfolioRow } from "./rows.js";
import type { SortedBlocks } from "./sorted-blocks.js";

/** What a read sees: one consistent state of the model. Capture what you need before awaiting anything. */
export interface ModelView {
  asOfBlock: number | null;
  /** Unix seconds: the later of the clock and the last indexed block's time. */
  now: number;
  /** YYYY-MM-DD (UTC+8) of `now`. */
  today: string;
  version: number;
  rows: ReadonlyMap<string, PortfolioRow>;
  /** Every row by contract number (then claim id). */
  byContract: SortedBlocks<PortfolioRow>;
  /** The open rows (src/app/portfolio/order.ts isOpen) by priority. */
  byPriority: SortedBlocks<PortfolioRow>;
  /** The rows a list scope holds (src/app/access.ts listScope), in no particular order. */
  scopeRows(scope: ListScope): PortfolioRow[];
  /** The scope's kept aggregate (unfiltered). */
  aggregate(scope: ListScope): Aggregate;
  /** The rows `holder` (lower-case) holds whose cell (region × product × class × state) matches `f`, that pass `keep`; in no particular order. */
  heldRows(holder: string, f: CellFilter, keep?: (r: PortfolioRow) => boolean): PortfolioRow[];
  /** The scope's aggregate of the rows matching `f` (and, where given, `holder`), from the kept cells where they suffice. */
  filtered(scope: ListScope, f: CellFilter, holder: string | undefined, match: (r: PortfolioRow) => boolean): Aggregate;
  /** Days (UTC+8) with an applied report, and the last block of a report of that day. */
  reportDays: ReadonlyMap<string, number>;
  reportDaysVersion: number;
  /** `compute()` once per model version and key. */
  memo<T>(key: string, compute: () => T): T;
  /** What {@link memo} keeps for `key` in this model version, if anything. */
  cached<T>(key: string): T | undefined;
}
