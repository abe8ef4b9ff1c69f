/**
 * A claim's main limitation period from this node's record and evidence, for the oracle's limitation demands
 * (src/oracle/limitation.ts): the same computation as the console's rows (src/app/portfolio/limitation.ts).
 */
import { claimRecordRefs } from "../evidence/reads.js";
import { rowLimitation, type RowLimitation } from "../portfolio/limitation.js";
import type { Repos } from "../../store/repos/index.js";

export function createLimitationOf(repos: Pick<Repos, "claims" | "evidence">) {
  /** The claim's period as of the China day `asOfDay`, or null without a record here. */
  return async function limitationOf(claimId: string, asOfDay: number): Promise<RowLimitation | null> {
    const record = await repos.claims.get(claimId.toLowerCase());
    if (!record) return null;
    return rowLimitation(record, await claimRecordRefs(repos.evidence, claimId), asOfDay);
  };
}
