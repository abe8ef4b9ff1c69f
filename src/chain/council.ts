import { AbiCoder, Contract, keccak256, type Signer } from "ethers";
import { Council__factory } from "../../types/ethers-contracts/index.js";

/** What this code uses of OpenZeppelin's TimelockController (the council creates it; no typed binding is generated for it). */
export const TIMELOCK_ABI = [
  "function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) pure returns (bytes32)",
  "function isOperation(bytes32 id) view returns (bool)",
  "function isOperationReady(bytes32 id) view returns (bool)",
  "function isOperationDone(bytes32 id) view returns (bool)",
  "function getTimestamp(bytes32 id) view returns (uint256)",
  "function getMinDelay() view returns (uint256)",
  "function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) payable",
] as const;

const ZERO32 = `0x${"0".repeat(64)}`;

/**
 * The council (contracts/Council.sol): k-of-n of the member organisations behind an OpenZeppelin
 * TimelockController, the only ADMIN of the Debtrail contracts. A change — a role grant, the quorum, a
 * parameter, lifting a resale restriction — is proposed by one member, approved by k, scheduled, and run
 * once the delay has passed. Each organisation calls {@link advanceCouncil} with its own key: it adds what
 * that member can (its proposal or approval, the scheduling once k approved, the execution once ready).
 */

/** One call the timelock makes as ADMIN. */
export interface CouncilCall {
  to: string;
  data: string;
  value?: bigint;
}

/** Where an operation stands after this member's step. */
export interface CouncilProgress {
  id: string;
  salt: string;
  approvals: number;
  threshold: number;
  state: "awaiting-approvals" | "scheduled" | "executed";
  /** Unix seconds from which it may run (scheduled only). */
  readyAt?: number;
}

/**
 * The salt of a set of calls: derived from them, so that every member (and a re-run after a crash) names the
 * same operation; the `round`-th time the same calls are needed (after an earlier one ran) gets its own.
 */
export function councilSalt(calls: readonly CouncilCall[], round = 0): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(
    ["tuple(address,uint256,bytes)[]", "uint256"],
    [calls.map((c) => [c.to, c.value ?? 0n, c.data]), round],
  ));
}

/**
 * Takes the operation of `calls` one step further with `member`'s key, as far as one organisation may:
 * proposes it (or approves it, if another member proposed it), schedules it once k members approved, and
 * runs it once the delay passed. Idempotent: call it again (this member or another) to continue.
 */
export async function advanceCouncil(member: Signer, councilAddress: string, calls: readonly CouncilCall[]): Promise<CouncilProgress> {
  const council = Council__factory.connect(councilAddress, member);
  const timelock = new Contract(await council.timelock(), TIMELOCK_ABI, member);
  const targets = calls.map((c) => c.to);
  const values = calls.map((c) => c.value ?? 0n);
  const payloads = calls.map((c) => c.data);
  // The first round of these calls neither run nor cancelled.
  let round = 0;
  let salt = councilSalt(calls, round);
  let id: string = await timelock.hashOperationBatch(targets, values, payloads, ZERO32, salt);
  // Done, or cancelled by the council (a cancelled proposal never comes back): the next round.
  const cancelled = async (opId: string) => !(await council.isProposed(opId)) && (await council.queryFilter(council.filters.OperationCancelled(opId))).length > 0;
  while ((await timelock.isOperationDone(id)) || (await cancelled(id))) {
    salt = councilSalt(calls, ++round);
    id = await timelock.hashOperationBatch(targets, values, payloads, ZERO32, salt);
  }
  const me = await member.getAddress();
  const threshold = Number(await council.threshold());
  if (!(await timelock.isOperation(id))) {
    if (await council.isMember(me)) {
      if (!(await council.isProposed(id))) await (await council.propose(targets, values, payloads, salt)).wait();
      else if (!(await council.hasApproved(id, me))) await (await council.approve(id)).wait();
    }
    const approvals = Number(await council.approvals(id));
    if (approvals < threshold) return { id, salt, approvals, threshold, state: "awaiting-approvals" };
    await (await council.schedule(targets, values, payloads, salt)).wait();
  }
  const approvals = Number(await council.approvals(id));
  if (await timelock.isOperationReady(id)) {
    await (await timelock.executeBatch(targets, values, payloads, ZERO32, salt)).wait();
    return { id, salt, approvals, threshold, state: "executed" };
  }
  return { id, salt, approvals, threshold, state: "scheduled", readyAt: Number(await timelock.getTimestamp(id)) };
}
