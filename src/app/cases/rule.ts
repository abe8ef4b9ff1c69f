import { ConflictError, NotFoundError, ValidationError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import { arbitratorWrites } from "../../chain/contracts/Arbitrator.js";
import type { Caller } from "../access.js";
import type { AppDeps } from "../deps.js";
import { RULINGS } from "./reads.js";

/** ERC-792 DisputeStatus; Debtrail's arbitrator never reports "appealable": an award is final (仲裁法第9条). */
const DISPUTE_STATUS = ["waiting", "appealable", "solved"] as const;

/**
 * Rulings (a write, checked against the chain). Reading cases and disputes is src/app/cases/reads.ts, on
 * the chain index.
 */
export function createRulings(deps: Pick<AppDeps, "chain" | "metrics">) {
  const { chain } = deps;
  const arbitrator = arbitratorWrites(deps);

  /** A dispute as the chain says it now (a write's answer; reads use the index). */
  async function dispute(disputeId: string) {
    const count = await chain.arbitrator.disputeCount();
    if (!/^\d+$/.test(disputeId) || BigInt(disputeId) === 0n || BigInt(disputeId) > count) throw new NotFoundError("dispute", disputeId);
    const [info, status, ruledAt, claimId] = await Promise.all([
      chain.arbitrator.disputeOf(disputeId),
      chain.arbitrator.disputeStatus(disputeId),
      chain.arbitrator.ruledAt(disputeId),
      chain.clauses.claimOfDispute(disputeId),
    ]);
    return {
      disputeId,
      claimId,
      arbitrable: info.arbitrable,
      choices: Number(info.choices),
      status: DISPUTE_STATUS[Number(status)],
      ruling: info.executed ? RULINGS[Number(info.ruling)] : null,
      executed: info.executed,
      ruledAt: ruledAt === 0n ? null : new Date(Number(ruledAt) * 1000).toISOString(),
    };
  }

  return {
    dispute,

    /**
     * A court's ruling, signed by the court's own key. The award is final (仲裁法第9条: no appeal) and executed
     * on chain in the same transaction; "refused" sends the case back to the demand (a later report may start
     * a new arbitration once the notice period has run again).
     */
    async rule(caller: Caller, disputeId: string, ruling: (typeof RULINGS)[number]) {
      await dispute(disputeId);
      const value = RULINGS.indexOf(ruling);
      if (value < 0) throw new ValidationError("ruling", `one-of:${RULINGS.join("|")}`);
      let given;
      try {
        given = await (await arbitrator.giveRuling(chain.wallet(caller.privateKey!), disputeId, value, `ruling:${disputeId}`)).wait();
      } catch (e) {
        if (e instanceof ChainRevertError) {
          if (e.errorName === "DisputeNotWaiting") throw new ConflictError("already-ruled", `dispute ${disputeId} already has a ruling`);
          if (e.errorName === "AccessControlUnauthorizedAccount") throw new ConflictError("not-arbitrator", "the court's account lacks the ARBITRATOR role");
        }
        throw e;
      }
      const executed = { txHash: given.hash, blockNumber: given.blockNumber };
      return { disputeId, ruling, txHash: given.hash, blockNumber: given.blockNumber, blockHash: given.blockHash, executed, dispute: await dispute(disputeId) };
    },
  };
}

export type Rulings = ReturnType<typeof createRulings>;
