import type { Store, SublevelOf } from "../db.js";
import type { ClaimRecord } from "../../api/services/claims.js";

/** The off-chain claim records (debtor, contract number, personal data): `claims` in this deployment's namespace. */
export function openClaimRecords(store: Store): SublevelOf<ClaimRecord> {
  return store.sub<ClaimRecord>("claims");
}
