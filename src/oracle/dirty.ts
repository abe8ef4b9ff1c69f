import { randomBytes } from "node:crypto";
import type { TypedBatch } from "../store/db.js";
import type { OracleRepos } from "../store/repos/oracle.js";

/**
 * A claim waiting to be planned is marked in `oracle-dirty` under a key of its own per mark
 * (`claimId!token`), never overwritten: the API may accept a newer status while a cycle (perhaps in
 * another process) plans from the older one, and that cycle then clears only the marks it saw — the
 * newer status's mark stays, and the next cycle plans from it. (Records before this: key = claim id.)
 */
export function dirtyKey(claimId: string): string {
  return `${claimId}!${Date.now().toString(36).padStart(9, "0")}${randomBytes(4).toString("hex")}`;
}

/** Marks a claim to be planned again (a superseded or vanished report). */
export function markDirty(batch: TypedBatch, repos: OracleRepos, claimId: string): void {
  batch.put(repos.dirty, dirtyKey(claimId), 1);
}

/** The marked claims, each with the keys of its marks. */
export async function dirtyMarks(repos: OracleRepos): Promise<Map<string, string[]>> {
  const marks = new Map<string, string[]>();
  for await (const [key] of repos.dirty.iterator()) {
    const bang = key.indexOf("!");
    const claimId = bang < 0 ? key : key.slice(0, bang);
    marks.set(claimId, [...(marks.get(claimId) ?? []), key]);
  }
  return marks;
}

/** Clears the marks seen (not any added since). */
export function clearMarks(batch: TypedBatch, repos: OracleRepos, keys: readonly string[]): void {
  for (const key of keys) batch.del(repos.dirty, key);
}
