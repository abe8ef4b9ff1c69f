import { CLASSIFICATIONS, CLASSIFICATIONS_ZH } from "../../core/classification.js";
import { CASE_STATES_ZH } from "../../core/oracle-plan.js";
import { GRADES } from "../../core/risk.js";
import { listScope, mayReadPersonalData, type ListScope, type Party } from "../access.js";
import type { PortfolioRow } from "./rows.js";
import type { RowLimitation } from "./limitation.js";

/** A configured account's name (API keys with a signing key), for people. */
export interface KnownAccount {
  address: string;
  name: string;
  role: string;
}

/** Known accounts by lower-case address. */
export type Accounts = ReadonlyMap<string, KnownAccount>;

/** The caller's list scope (src/app/access.ts), with the key its trend snapshots are kept under. */
export function scopeOf(p: Party): ListScope & { key: string } {
  const scope = listScope(p);
  return scope.kind === "holder" || scope.kind === "bank" ? { ...scope, key: `${scope.kind}:${scope.address}` } : { ...scope, key: scope.kind };
}

export function holderView(accounts: Accounts, address: string) {
  return { holder: address, name: accounts.get(address.toLowerCase())?.name ?? null };
}

/** A row as lists show it: personal data only as src/app/access.ts allows. */
export function rowView(accounts: Accounts, p: Party, r: PortfolioRow, limitation?: RowLimitation | null) {
  const personal = mayReadPersonalData(p, { claimId: r.claimId, registered: true, holder: r.holder, originator: r.originator, beforeCourt: r.disputeId !== null });
  return {
    claimId: r.claimId,
    contractNo: r.contractNo,
    product: r.product,
    region: r.region,
    holder: r.holder,
    holderName: accounts.get(r.holder.toLowerCase())?.name ?? null,
    outstanding: r.outstanding.toString(),
    collateralValue: r.collateralValue === null ? null : r.collateralValue.toString(),
    daysPastDue: r.daysPastDue,
    figuresFrom: r.figuresFrom,
    classification: CLASSIFICATIONS[r.classification]!,
    classificationZh: CLASSIFICATIONS_ZH[r.classification]!,
    grade: GRADES[r.grade]!,
    state: r.state,
    stateZh: CASE_STATES_ZH[r.state],
    resaleRestricted: r.resaleRestricted,
    disputeId: r.disputeId,
    // 诉讼时效 from the claim's record and evidence (./limitation.ts), where the caller computed it.
    ...(limitation !== undefined ? { limitation } : {}),
    ...(personal ? { debtorName: r.facts.debtorName } : {}),
    personalDataRedacted: !personal,
  };
}
