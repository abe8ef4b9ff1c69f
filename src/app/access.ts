/**
 * Who may do and read what with a claim: the one place the rules live (DESIGN.md, "Layout").
 *
 * Organisations do not trust each other, so every rule is stated in terms of the claim's parties as the
 * chain knows them — its current holder, its originator — and never on a caller's word:
 *
 * - **Acting on a claim** (recording evidence and surveys, making and accepting offers, reporting loan
 *   statuses that propose oracle reports, pushing outside data as the holder): the current holder's own
 *   key, or a key that works for the holder (`worksFor`: its collectors; a servicer's `feed`). A seller
 *   loses every one of these rights with the sale.
 * - **Observing**: a `feed` key is the organisation's own view of loans. Its statuses and outside data are
 *   accepted for any registered claim, so that the organisation's daemon can co-sign another's reports from
 *   its own data, and never propose a report for a claim the organisation does not hold.
 * - **Reading off-chain details** (contract number, evidence metadata, feeds, surveys, offers, assessments,
 *   the off-chain items of a case): the holder's side, the originator (read-only after a sale: it keeps its
 *   loan file, retention), a court for a claim whose case is before it (a dispute was opened), and the node's
 *   operator (admin; it holds the store anyway) without personal data. Oracle peers and feeds read none.
 *   On-chain facts (holder, ownership history, case state, disputes, transactions) are readable by any key.
 * - **Personal data**: the holder's side, the originator and a court before which the case is.
 *
 * Pure: the facts are arguments; {@link loadClaimParties} reads them through explicit dependencies.
 */
import type { ApiRole } from "../config/roles.js";
import { ForbiddenError, NotFoundError } from "../core/errors.js";

/** Who is calling: the API key's role, name and on-chain account (src/api/plugins/auth.ts finds it by key). */
export interface Caller {
  role: ApiRole;
  name: string;
  /** The account that signs this caller's transactions (zero-address-free: undefined if none). */
  address?: string;
  privateKey?: string;
  originatorCode?: string;
  worksFor?: string;
  /** A short, non-secret id of the key, for logs and audit records. */
  keyId: string;
}

/** Who is asking: an API key's role, its account and (collectors, servicer feeds) the holder it works for. */
export interface Party {
  role: ApiRole;
  address?: string;
  worksFor?: string;
}

/** What the chain (and the claim's record) say of a claim, as far as access goes. */
export interface ClaimParties {
  claimId: string;
  /** Registered on chain (a bank's pending record is not). */
  registered: boolean;
  /** The holder on chain; null when not registered. */
  holder: string | null;
  /** The originating bank's account, from the claim's record; null when this node has no record. */
  originator: string | null;
  /** A dispute was opened for the claim's case (arbitration): the case is before a court. Read only for courts. */
  beforeCourt: boolean;
}

export function sameAddress(a?: string | null, b?: string | null): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** The party is the holder (its own bank or AMC key) or works for it (a collector, a servicer's feed). */
export function actsForHolder(p: Party, holder: string | null | undefined): boolean {
  if (!holder) return false;
  if ((p.role === "bank" || p.role === "amc") && sameAddress(p.address, holder)) return true;
  if ((p.role === "collector" || p.role === "feed") && sameAddress(p.worksFor, holder)) return true;
  return false;
}

/** May act on the claim: evidence, surveys, offers (the route's role gate says which roles do which). */
export function mayActOn(p: Party, c: ClaimParties): boolean {
  return c.registered && actsForHolder(p, c.holder);
}

/**
 * What a loan status from `p` is for this claim: `propose` — the holder's side reports, its daemon proposes
 * a report from it; `observe` — an organisation's own feed, used only to co-sign; null — refused.
 */
export function statusStanding(p: Party, c: ClaimParties): "propose" | "observe" | null {
  if (!c.registered) return null;
  if (p.role !== "bank" && p.role !== "amc" && p.role !== "feed") return null;
  if (actsForHolder(p, c.holder)) return "propose";
  return p.role === "feed" ? "observe" : null;
}

/** A stored status proposes a report only while its source still acts for the claim's current holder. */
export function mayPropose(source: Party, holder: string | null): boolean {
  return statusStanding(source, { claimId: "", registered: true, holder, originator: null, beforeCourt: false }) === "propose";
}

/** Outside data (court lists, registries, appraisals, credit bureau): the holder's side, or the organisation's own feed. */
export function mayPushOutsideData(p: Party, c: ClaimParties): boolean {
  return c.registered && (p.role === "feed" || ((p.role === "bank" || p.role === "amc") && actsForHolder(p, c.holder)));
}

/** Why a party may read the claim's off-chain details, or null. */
export type ReadBasis = "holder" | "originator" | "court" | "operator";

export function readBasis(p: Party, c: ClaimParties): ReadBasis | null {
  if (p.role === "oracle" || p.role === "feed") return null;
  if (actsForHolder(p, c.holder)) return "holder";
  if (p.role === "bank" && sameAddress(p.address, c.originator)) return "originator";
  if (p.role === "court" && c.beforeCourt) return "court";
  if (p.role === "admin") return "operator";
  return null;
}

export function mayReadDetails(p: Party, c: ClaimParties): boolean {
  return readBasis(p, c) !== null;
}

export function mayReadPersonalData(p: Party, c: ClaimParties): boolean {
  const basis = readBasis(p, c);
  return basis === "holder" || basis === "originator" || basis === "court";
}

/** Only a court's access depends on whether the case is before it: the others need no dispute lookup. */
export function needsDisputeLookup(p: Party): boolean {
  return p.role === "court";
}

/** What the reading route does instead when details are withheld: names the rule in both languages. */
export function withheld(c: ClaimParties) {
  const en = `the off-chain details of claim ${c.claimId} are for its holder (and the holder's collectors), its originator and a court before which its case is`;
  const zh = `债权 ${c.claimId} 的链下信息仅向其持有人（及持有人的催收员）、原始债权人和受理其案件的法院提供`;
  return { reason: "not-a-party" as const, messages: { en, "zh-CN": zh } };
}

/** @throws ForbiddenError naming the rule, when `p` may not read the claim's off-chain details */
export function requireReadDetails(p: Party, c: ClaimParties): void {
  if (mayReadDetails(p, c)) return;
  const w = withheld(c);
  throw new ForbiddenError(w.messages.en, { claimId: c.claimId, holder: c.holder, reason: w.reason, messages: w.messages });
}

/** The refusal for acting on a claim held by another: `what` says what was refused, in both languages. */
export function notHolderError(c: ClaimParties, what: { en: string; zh: string }, field?: string): ForbiddenError {
  const en = `${field ? `${field}: ` : ""}claim ${c.claimId} is held by ${c.holder}; only its holder and those working for it ${what.en}`;
  const zh = `${field ? `${field}：` : ""}债权 ${c.claimId} 的持有人为 ${c.holder}；仅持有人及为其工作者可${what.zh}`;
  return new ForbiddenError(en, { ...(field ? { field } : {}), claimId: c.claimId, holder: c.holder, messages: { en, "zh-CN": zh } });
}

/** What {@link loadClaimParties} needs: reads of the chain and of this node's claim records. */
export interface ClaimPartiesDeps {
  isRegistered(claimId: string): Promise<boolean>;
  holderOf(claimId: string): Promise<string>;
  /** The dispute id of the claim's case on chain (0 when none). */
  disputeOf(claimId: string): Promise<bigint>;
  /** The originator of this node's record of the claim, if it has one. */
  originatorOf(claimId: string): Promise<string | undefined>;
}

/**
 * The claim's parties, read for `p` (the dispute only for a court).
 * @throws NotFoundError when the claim is neither registered nor recorded here
 */
export async function loadClaimParties(deps: ClaimPartiesDeps, claimIdIn: string, p?: Party): Promise<ClaimParties> {
  const claimId = claimIdIn.toLowerCase();
  const [registered, originator] = await Promise.all([deps.isRegistered(claimId), deps.originatorOf(claimId)]);
  if (!registered && originator === undefined) throw new NotFoundError("claim", claimId);
  const [holder, disputeId] = await Promise.all([
    registered ? deps.holderOf(claimId) : Promise.resolve(null),
    registered && p && needsDisputeLookup(p) ? deps.disputeOf(claimId) : Promise.resolve(0n),
  ]);
  return { claimId, registered, holder, originator: originator ?? null, beforeCourt: disputeId !== 0n };
}

/**
 * Which claims a party's lists hold (console: claims list, dashboard, queue): the operator's admin every
 * claim; a bank those it originated or holds; an AMC those it holds; a collector those its AMC holds; a
 * court those whose case is before it; oracle peers and feeds none.
 */
export type ListScope =
  | { kind: "all" }
  | { kind: "holder" | "bank"; address: string }
  | { kind: "court" }
  | { kind: "none" };

export function listScope(p: Party): ListScope {
  const lower = (a?: string) => (a ?? "").toLowerCase();
  switch (p.role) {
    case "admin":
      return { kind: "all" };
    case "court":
      return { kind: "court" };
    case "bank":
      return p.address ? { kind: "bank", address: lower(p.address) } : { kind: "none" };
    case "amc":
      return p.address ? { kind: "holder", address: lower(p.address) } : { kind: "none" };
    case "collector":
      return p.worksFor ? { kind: "holder", address: lower(p.worksFor) } : { kind: "none" };
    default:
      return { kind: "none" };
  }
}

/** A claim of a list is in the scope: `disputeId` non-null when its case is before a court. */
export function inListScope(row: { holder: string; originator: string; disputeId: string | null }, scope: ListScope): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "holder":
      return sameAddress(row.holder, scope.address);
    case "bank":
      return sameAddress(row.holder, scope.address) || sameAddress(row.originator, scope.address);
    case "court":
      return row.disputeId !== null;
    default:
      return false;
  }
}
