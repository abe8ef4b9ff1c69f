import { ValidationError } from "../../core/errors.js";
import type { Party } from "../access.js";
import { aggregateOf, byClass } from "./aggregate.js";
import type { PortfolioModel } from "./model.js";
import type { Limitations } from "./limitation.js";
import { dayOf } from "../../core/dates.js";
import { byContractNo, inScope } from "./order.js";
import { cellFilter, matcher, noFilters, type PortfolioFilters, type PortfolioRow } from "./rows.js";
import { rowView, scopeOf, type Accounts } from "./views.js";
import { searchMatcher } from "./search.js";
import type { ListingLocks } from "./locks.js";

export interface ListDeps {
  model: PortfolioModel;
  accounts: Accounts;
  /** 诉讼时效 per claim (./limitation.ts): a preview counts the time-barred claims. */
  limitations?: Limitations;
  /** The claims locked in a market listing (issue 19), kept from the chain index (./locks.ts). */
  locks?: ListingLocks;
}

/** Most claims one assignment may carry (ClaimRegistry's batch bound). */
export const MAX_PER_ASSIGNMENT = 500;

function parseCursor(cursor: string): [string, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((x) => typeof x === "string")) throw new Error("shape");
    return parsed as [string, string];
  } catch {
    throw new ValidationError("cursor", "is not a cursor this route gave out (use nextCursor of the previous page)");
  }
}

/** Claims a package preview lists at most (its totals count every claim it holds). */
export const PREVIEW_LISTED = 2 * MAX_PER_ASSIGNMENT;

/** A preview choosing more claims lists its first ones by walking the model's contract order instead of sorting them. */
const SORT_AT_MOST = 20_000;

/** GET /v1/claims and POST /v1/packages/preview: the caller's claims from the read model. */
export function createLists(deps: ListDeps) {
  const { model, accounts } = deps;

  /**
   * The caller's claims, filtered and searched (`q`: src/app/portfolio/search.ts), in contract-number order,
   * a page at a time: a walk of the model's contract order from the cursor (found by binary search); the
   * total is the scope's kept count, or one count of the matching rows per model version; with the regions
   * of the caller's claims for a region filter.
   */
  async function list(p: Party, filters: PortfolioFilters, limit: number, cursor?: string, q?: string) {
    const match = matcher(filters);
    const search = q !== undefined ? searchMatcher(q, p) : undefined;
    const after = cursor !== undefined ? parseCursor(cursor) : undefined;
    const view = await model.read();
    const asOfBlock = view.asOfBlock;
    const scope = scopeOf(p);
    const inside = inScope(scope);
    const keep = (r: PortfolioRow) => inside(r) && match(r) && (!search || search(r));
    const order = view.byContract;
    const start = after ? order.lowerBound(after, (r, k) => (r.contractNo < k[0] ? -1 : r.contractNo > k[0] ? 1 : r.claimId <= k[1] ? -1 : 1)) : 0;
    const { items: page, next } = order.walk(start, keep, limit);
    const more = order.walk(next, keep, 1).items.length > 0;
    // Personal data decides a search's matches: its count is kept per caller (account), not per scope.
    const totalKey = search ? `list-total|${scope.key}|${p.role}|${p.address ?? ""}|${JSON.stringify(filters)}|q:${q}` : `list-total|${scope.key}|${JSON.stringify(filters)}`;
    // Counts from the model's kept aggregates (cells of region × product × class × state per scope family):
    // a pass over the book only for a search (its matches depend on personal data) or a court's scope.
    const total = search || scope.kind === "court"
      ? view.memo(totalKey, () => order.count(keep))
      : noFilters(filters) ? view.aggregate(scope).count
        : view.memo(totalKey, () => view.filtered(scope, cellFilter(filters), filters.holder?.toLowerCase(), match).count);
    const regions = view.memo(`regions|${scope.key}`, () =>
      [...view.memo(`aggregate|${scope.key}`, () => view.aggregate(scope)).regions]
        .map(([region, g]) => ({ region: region || "-", count: g.count }))
        .sort((a, b) => b.count - a.count || a.region.localeCompare(b.region)));
    const last = page[page.length - 1];
    return {
      asOfBlock,
      total,
      regions,
      claims: page.map((r) => ({ ...rowView(accounts, p, r), expectedRecovery: r.expectedRecovery.toString(), recommended: r.recommended?.path ?? null })),
      nextCursor: more && last ? Buffer.from(JSON.stringify([last.contractNo, last.claimId])).toString("base64url") : null,
    };
  }

  /**
   * What a package of the caller's claims holds and is worth: totals over every claim chosen, the claims
   * themselves listed up to {@link PREVIEW_LISTED} (a package carries at most {@link MAX_PER_ASSIGNMENT}).
   */
  async function previewPackage(p: Party, body: { filter?: PortfolioFilters; claimIds?: string[] }) {
    if ((body.filter === undefined) === (body.claimIds === undefined)) {
      throw new ValidationError(body.filter === undefined ? "filter" : "claimIds", "give exactly one of filter or claimIds");
    }
    const match = body.filter ? matcher(body.filter, "filter.") : undefined;
    const me = (p.address ?? "").toLowerCase();
    const view = await model.read();
    const asOfBlock = view.asOfBlock;
    const scope = scopeOf(p);
    const inside = inScope(scope);
    let chosen: PortfolioRow[];
    let listed: PortfolioRow[] | undefined;
    if (body.claimIds) {
      // Only claims the caller may list: another holder's claim id gives nothing away (contract number, figures).
      const seen = new Set<string>();
      chosen = body.claimIds.map((raw, i) => {
        const id = raw.toLowerCase();
        if (seen.has(id)) throw new ValidationError(`claimIds[${i}]`, "must not repeat a claim");
        seen.add(id);
        const r = view.rows.get(id);
        if (!r || !inside(r)) throw new ValidationError(`claimIds[${i}]`, "is not a registered claim of this service that the caller holds or originated");
        return r;
      });
    } else {
      // The caller's own rows in the cells the filter matches (the model keeps each holder's rows by cell), not a pass over the book.
      const cells = cellFilter(body.filter!, "filter.");
      const holder = body.filter!.holder?.toLowerCase();
      const keep = (r: PortfolioRow) => inside(r) && r.state !== "closed" && match!(r);
      chosen = view.memo(`preview|${scope.key}|${me}|${JSON.stringify(body.filter)}`, () => (holder !== undefined && holder !== me ? [] : view.heldRows(me, cells, keep)));
      // Listed in contract-number order: the first ones of the chosen, by sorting a few or walking the model's contract order.
      listed = view.memo(`preview-listed|${scope.key}|${me}|${JSON.stringify(body.filter)}`, () => chosen.length <= SORT_AT_MOST
        ? [...chosen].sort(byContractNo).slice(0, PREVIEW_LISTED)
        : view.byContract.walk(0, (r) => r.holderKey === me && keep(r), PREVIEW_LISTED).items);
    }
    // Claims locked in a listing of the market: the registry refuses any sale but the listing's own award.
    const locks = deps.locks;
    if (locks) await locks.ready();
    const listingOf = (r: PortfolioRow) => locks?.listingOf(r.claimId);
    const reasonOf = (r: PortfolioRow): "not-holder" | "resale-restricted" | "claim-listed" | null =>
      r.holderKey !== me ? "not-holder" : r.resaleRestricted ? "resale-restricted" : listingOf(r) !== undefined ? "claim-listed" : null;
    const assignable = (r: PortfolioRow) => reasonOf(r) === null;
    // 诉讼时效 of every chosen claim: how many are time-barred (the debtor may refuse to pay, 民法典第192条).
    const today = dayOf(view.today);
    const lims = deps.limitations;
    if (lims) await lims.ensure(chosen.map((r) => r.claimId), today);
    const limOf = (r: PortfolioRow) => lims?.of(r.claimId, today) ?? null;
    const claims = (listed ?? chosen.slice(0, PREVIEW_LISTED)).map((r) => {
      const reason = reasonOf(r);
      return {
        ...rowView(accounts, p, r, limOf(r)),
        expectedRecovery: r.expectedRecovery.toString(),
        packagePrice: r.packagePrice.toString(),
        recommended: r.recommended?.path ?? null,
        assignable: reason === null,
        ...(reason ? { reason } : {}),
        ...(reason === "claim-listed" ? { listingId: listingOf(r)! } : {}),
      };
    });
    const totals = view.memo(`preview-totals|${scope.key}|${JSON.stringify(body.filter ?? body.claimIds)}|${lims?.version ?? ""}|${locks?.version ?? ""}`, () => {
      const ok = chosen.filter(assignable);
      const total = (rows: PortfolioRow[]) => ({
        count: rows.length,
        timeBarred: rows.filter((r) => lims?.status(r.claimId, today) === "expired").length,
        limitationExpiring: rows.filter((r) => lims?.status(r.claimId, today) === "expiring").length,
        outstanding: rows.reduce((x, r) => x + r.outstanding, 0n).toString(),
        collateralValue: rows.reduce((x, r) => x + (r.collateralValue ?? 0n), 0n).toString(),
        expectedRecovery: rows.reduce((x, r) => x + r.expectedRecovery, 0n).toString(),
        indicativePrice: rows.reduce((x, r) => x + r.packagePrice, 0n).toString(),
      });
      return { all: total(chosen), assignable: total(ok), byClass: byClass(aggregateOf(ok)) };
    });
    return {
      asOfBlock,
      ...totals,
      maxPerAssignment: MAX_PER_ASSIGNMENT,
      knownHolders: [...accounts.values()].filter((k) => k.role === "amc" && k.address.toLowerCase() !== me).map((k) => ({ address: k.address, name: k.name })),
      listed: claims.length,
      claims,
    };
  }

  return { list, previewPackage };
}
