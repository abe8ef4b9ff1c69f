import { parseMinor } from "../core/money.js";
import { ConflictError, NotFoundError, ValidationError } from "../core/errors.js";
import { TypedBatch } from "../store/db.js";
import { mayPropose, notHolderError, statusStanding } from "../app/access.js";
import type { Caller } from "../app/access.js";
import { dirtyKey } from "./dirty.js";
import { ACCEPT_CHUNK, isoNow, type LoanStatusInput, type OracleDeps, type StatusSource, type StoredStatus } from "./types.js";

/** Unix seconds of a status's asOf: a day (China time) or an ISO 8601 date-time. */
export function unixOf(asOf: string, field: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? Date.parse(`${asOf}T00:00:00+08:00`) : Date.parse(asOf);
  if (Number.isNaN(ms)) throw new ValidationError(field, "date YYYY-MM-DD or ISO 8601 date-time");
  return Math.floor(ms / 1000);
}

/**
 * Accepts loan statuses, all or nothing; durable before the answer. A status of the holder's side (its own
 * key, a servicer's feed naming it) is kept to propose a report; a `feed`'s status of another's claim is
 * kept as this organisation's observation, only to co-sign (src/app/access.ts). Whichever process runs
 * the cycles (the API's, or `debtrail oracle` beside it) finds the claim marked dirty in the shared store.
 * @throws NotFoundError for an unregistered claim; ForbiddenError for a claim the caller may not report on
 */
export async function acceptStatuses(
  deps: Pick<OracleDeps, "repos" | "chain" | "clock">, caller: Caller, inputs: LoanStatusInput[],
): Promise<{ accepted: number }> {
  const { repos, chain } = deps;
  const now = deps.clock.now();
  const receivedAt = isoNow(deps);
  // "Now" is the later of this clock and the chain's (a dev chain may run ahead of the wall clock).
  const chainNow = (await chain.provider.getBlock("latest"))!.timestamp * 1000;
  const latestAllowed = Math.max(now, chainNow) + 5 * 60_000;
  const checked = inputs.map((input, i) => {
    const prefix = inputs.length > 1 ? `statuses[${i}].` : "";
    const claimId = input.claimId.toLowerCase();
    const asOfUnix = unixOf(input.asOf, `${prefix}asOf`);
    if (asOfUnix * 1000 > latestAllowed) throw new ValidationError(`${prefix}asOf`, "not-in-the-future");
    if ((input.daysPastDue === undefined) === (input.schedule === undefined)) {
      throw new ValidationError(`${prefix}daysPastDue`, "exactly one of daysPastDue or schedule (with payments)");
    }
    parseMinor(input.outstanding, `${prefix}outstanding`);
    if (input.collateralValue !== undefined) parseMinor(input.collateralValue, `${prefix}collateralValue`);
    return { input, prefix, claimId, asOfUnix };
  });
  const batch = new TypedBatch();
  const source: StatusSource = {
    role: caller.role, keyId: caller.keyId, name: caller.name,
    ...(caller.address ? { address: caller.address } : {}), ...(caller.worksFor ? { worksFor: caller.worksFor } : {}),
  };
  // Registration and holder asked of the chain a chunk at a time (one JSON-RPC batch, not round trips per status).
  for (let i = 0; i < checked.length; i += ACCEPT_CHUNK) {
    const chunk = checked.slice(i, i + ACCEPT_CHUNK);
    const registered = await Promise.all(chunk.map((c) => chain.registry.isRegistered(c.claimId)));
    const [holders, previous, seen] = await Promise.all([
      Promise.all(chunk.map((c, k) => (registered[k] ? chain.registry.holderOf(c.claimId) : Promise.resolve(null)))),
      Promise.all(chunk.map((c) => repos.statuses.get(c.claimId))),
      Promise.all(chunk.map((c) => repos.observed.get(c.claimId))),
    ]);
    for (const [k, { input, prefix, claimId, asOfUnix }] of chunk.entries()) {
      if (!registered[k]) throw new NotFoundError("claim", claimId);
      const parties = { claimId, registered: true, holder: holders[k], originator: null, beforeCourt: false };
      const standing = statusStanding(caller, parties);
      if (!standing) {
        throw notHolderError(parties, { en: "report its loan status (a feed's observations aside)", zh: "报告其贷款状态（本机构数据源的观察除外）" }, `${prefix}claimId`);
      }
      // A newer status of the same standing wins; the holder's side is not held back by a status of a
      // former holder (a seller could otherwise post one dated ahead to block the buyer's).
      const before = standing === "observe" ? seen[k] : previous[k]?.source && mayPropose(previous[k]!.source!, holders[k]) ? previous[k] : undefined;
      if (before && before.asOfUnix > asOfUnix) {
        throw new ConflictError("older-status", `${prefix}asOf: a newer status (${before.asOf}) is already recorded for claim ${claimId}`, { claimId });
      }
      const stored: StoredStatus = { ...input, claimId, asOfUnix, receivedAt, by: caller.keyId, source };
      batch.put(standing === "propose" ? repos.statuses : repos.observed, claimId, stored);
      // A mark of its own (never overwritten): a cycle that planned from an older status clears only its marks.
      if (standing === "propose") batch.put(repos.dirty, dirtyKey(claimId), 1);
    }
  }
  await batch.write(repos.store);
  return { accepted: inputs.length };
}
