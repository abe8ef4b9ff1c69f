import { mayReadDetails, type Party } from "../access.js";
import type { PortfolioModel } from "./model.js";
import type { Accounts } from "./views.js";

/**
 * What turns a decoded transaction into words for people (GET /v1/tx/:hash, issue 18): the names of the
 * accounts it names (configured keys), the contract numbers of the claims it names that the reader may read,
 * and the names of the packages it names that this node's sellers sold.
 */
export interface TxPeopleDeps {
  model: PortfolioModel;
  accounts: Accounts;
  packageOf(ref: string): Promise<{ label: string } | undefined>;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const TOKEN_ID = /^[0-9]{60,78}$/;

export function createTxPeople(deps: TxPeopleDeps) {
  return async function people(p: Party, events: ReadonlyArray<{ args: Record<string, unknown> }>) {
    const view = await deps.model.sync();
    const accounts: Record<string, string> = {};
    const claims: Record<string, string> = {};
    const packages: Record<string, string> = {};
    const values = events.flatMap((e) => Object.values(e.args)).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === "string");
    for (const v of new Set(values)) {
      if (ADDRESS.test(v)) {
        const known = deps.accounts.get(v.toLowerCase());
        if (known) accounts[v.toLowerCase()] = known.name;
        continue;
      }
      // A claim's token id (uint256) is its claim id as a number.
      const id = BYTES32.test(v) ? v.toLowerCase() : TOKEN_ID.test(v) ? `0x${BigInt(v).toString(16).padStart(64, "0")}` : null;
      if (!id) continue;
      const row = view.rows.get(id);
      if (row && mayReadDetails(p, { claimId: id, registered: true, holder: row.holder, originator: row.originator, beforeCourt: row.disputeId !== null })) claims[id] = row.contractNo;
      else if (BYTES32.test(v)) {
        const pkg = await deps.packageOf(id);
        if (pkg) packages[id] = pkg.label;
      }
    }
    return { accounts, claims, packages };
  };
}
