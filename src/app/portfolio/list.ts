import { ValidationError } from "../../core/errors.js";
import type { Party } from "../access.js";
import { aggregateOf, byClass } from "./aggregate.js";
import type { PortfolioModel } from "./model.js";
import { matcher, type PortfolioFilters, type PortfolioRow } from "./rows.js";
import { byContractNo, rowView, scopeOf, type Accounts } from "./views.js";

export interface ListDeps {
  model: PortfolioModel;
  accounts: Accounts;
}

/** Most claims one assignment may carry (ClaimRegistry's batch bound). */
const MAX_PER_ASSIGNMENT = 500;

function parseCursor(cursor: string): [string, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((x) => typeof x === "string")) throw new Error("shape");
    return parsed as [string, string];
  } catch {
    throw new ValidationError("cursor", "is not a cursor this route gave out (use nextCursor of the previous page)");
  }
}

/** GET /v1/claims and POST /v1/packages/preview: the caller's claims from the read model. */
export function createLists(deps: ListDeps) {
  const { model, accounts } = deps;

  /** The caller's claims, filtered, in contract-number order, a page at a time (the sorted list is kept per model version). */
  async function list(p: Party, filters: PortfolioFilters, limit: number, cursor?: string) {
    const match = matcher(filters);
    const after = cursor !== undefined ? parseCursor(cursor) : undefined;
    const view = await model.sync();
    const asOfBlock = view.asOfBlock;
    const scope = scopeOf(p);
    const all = view.memo(`list|${scope.key}|${JSON.stringify(filters)}`, () => view.scopeRows(scope).filter(match).sort(byContractNo));
    const cmp = (r: PortfolioRow, k: [string, string]) => (r.contractNo < k[0] ? -1 : r.contractNo > k[0] ? 1 : r.claimId < k[1] ? -1 : r.claimId > k[1] ? 1 : 0);
    // The first row after the cursor, by binary search.
    let start = 0;
    if (after) {
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmp(all[mid]!, after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const page = all.slice(start, start + limit);
    const last = page[page.length - 1];
    const more = start + limit < all.length;
    return {
      asOfBlock,
      total: all.length,
      claims: page.map((r) => ({ ...rowView(accounts, p, r), expectedRecovery: r.expectedRecovery.toString(), recommended: r.recommended?.path ?? null })),
      nextCursor: more && last ? Buffer.from(JSON.stringify([last.contractNo, last.claimId])).toString("base64url") : null,
    };
  }

  /** What a package of the caller's claims holds and is worth. */
  async function previewPackage(p: Party, body: { filter?: PortfolioFilters; claimIds?: string[] }) {
    if ((body.filter === undefined) === (body.claimIds === undefined)) {
      throw new ValidationError(body.filter === undefined ? "filter" : "claimIds", "give exactly one of filter or claimIds");
    }
    const match = body.filter ? matcher(body.filter, "filter.") : undefined;
    const me = (p.address ?? "").toLowerCase();
    const view = await model.sync();
    const asOfBlock = view.asOfBlock;
    const scope = scopeOf(p);
    let chosen: PortfolioRow[];
    if (body.claimIds) {
      // Only claims the caller may list: another holder's claim id gives nothing away (contract number, figures).
      const mine = new Set(view.scopeRows(scope).map((r) => r.claimId));
      const seen = new Set<string>();
      chosen = body.claimIds.map((raw, i) => {
        const id = raw.toLowerCase();
        if (seen.has(id)) throw new ValidationError(`claimIds[${i}]`, "must not repeat a claim");
        seen.add(id);
        const r = mine.has(id) ? view.rows.get(id) : undefined;
        if (!r) throw new ValidationError(`claimIds[${i}]`, "is not a registered claim of this service that the caller holds or originated");
        return r;
      });
    } else {
      chosen = view.scopeRows(scope).filter((r) => r.holder.toLowerCase() === me && r.state !== "closed" && match!(r));
      chosen.sort((a, b) => a.contractNo.localeCompare(b.contractNo) || a.claimId.localeCompare(b.claimId));
    }
    const claims = chosen.map((r) => {
      const reason: "not-holder" | "resale-restricted" | null = r.holder.toLowerCase() !== me ? "not-holder" : r.resaleRestricted ? "resale-restricted" : null;
      return {
        ...rowView(accounts, p, r),
        expectedRecovery: r.expectedRecovery.toString(),
        packagePrice: r.packagePrice.toString(),
        recommended: r.recommended?.path ?? null,
        assignable: reason === null,
        ...(reason ? { reason } : {}),
      };
    });
    const ok = chosen.filter((r) => r.holder.toLowerCase() === me && !r.resaleRestricted);
    const total = (rows: PortfolioRow[]) => ({
      count: rows.length,
      // 诉讼时效 (src/app/portfolio/limitation.ts): claims already time-barred, and those ending within 90 days.
      timeBarred: rows.filter((r) => r.limitation?.status === "expired").length,
      limitationExpiring: rows.filter((r) => r.limitation?.status === "expiring").length,
      outstanding: rows.reduce((x, r) => x + r.outstanding, 0n).toString(),
      collateralValue: rows.reduce((x, r) => x + (r.collateralValue ?? 0n), 0n).toString(),
      expectedRecovery: rows.reduce((x, r) => x + r.expectedRecovery, 0n).toString(),
      indicativePrice: rows.reduce((x, r) => x + r.packagePrice, 0n).toString(),
    });
    return {
      asOfBlock,
      all: total(chosen),
      assignable: total(ok),
      byClass: byClass(aggregateOf(ok)),
      maxPerAssignment: MAX_PER_ASSIGNMENT,
      knownHolders: [...accounts.values()].filter((k) => k.role === "amc" && k.address.toLowerCase() !== me).map((k) => ({ address: k.address, name: k.name })),
      claims,
    };
  }

  return { list, previewPackage };
}
