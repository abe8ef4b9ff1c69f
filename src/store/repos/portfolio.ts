import type { Store, SublevelOf } from "../db.js";

/** One day of a scope's dashboard figures (src/app/portfolio/trend.ts). */
export interface Snapshot {
  day: string;
  source: "live" | "reports";
  count: number;
  outstanding: string;
  expectedRecovery: string | null;
  classCount: number[];
  classOutstanding: string[];
  stateCount: Record<string, number>;
  writtenAt: string;
}

/** `${scopeKey}!${day}` → the scope's figures that day (`portfolio-snapshots`). */
export function openSnapshots(store: Store): SublevelOf<Snapshot> {
  return store.sub("portfolio-snapshots");
}
