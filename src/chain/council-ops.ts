/**
 * The council as a member reads it: its members, k and delay, and each proposed operation — its calls (from
 * the `CallsProposed` event: what a member approves), who approved it, and where it stands at the timelock.
 */
import { Contract, getAddress, type Provider } from "ethers";
import { Council__factory } from "../../types/ethers-contracts/index.js";
import { TIMELOCK_ABI, councilSalt, type CouncilCall } from "./council.js";
import type { Deployment } from "./deployment.js";

const ZERO32 = `0x${"0".repeat(64)}`;

/** Where an operation stands. `approved`: k members approved, not scheduled yet (anyone may schedule it). */
export type OperationState = "awaiting-approvals" | "approved" | "scheduled" | "ready" | "executed" | "cancelled";

export interface CouncilOperation {
  id: string;
  salt: string;
  proposer: string;
  calls: CouncilCall[];
  approvedBy: string[];
  threshold: number;
  state: OperationState;
  /** Unix seconds (chain time) from which it may run; scheduled and ready only. */
  readyAt?: number;
  /** A proposal to cancel it, with its approvals. */
  cancel?: { id: string; approvedBy: string[] };
}

export interface CouncilView {
  address: string;
  timelock: string;
  members: string[];
  threshold: number;
  delaySeconds: number;
  /** The latest block's time: what "ready" is measured against. */
  chainTime: number;
}

function councilAddress(d: Deployment): string {
  const a = d.contracts.Council?.address;
  if (!a) throw new Error("the deployment names no Council: redeploy");
  return a;
}

function contracts(provider: Provider, d: Deployment) {
  const council = Council__factory.connect(councilAddress(d), provider);
  return { council, timelock: async () => new Contract(await council.timelock(), TIMELOCK_ABI, provider) };
}

export async function councilView(provider: Provider, d: Deployment): Promise<CouncilView> {
  const { council, timelock } = contracts(provider, d);
  const tl = await timelock();
  const [members, threshold, delay, block] = await Promise.all([council.members(), council.threshold(), tl.getMinDelay(), provider.getBlock("latest")]);
  return {
    address: await council.getAddress(), timelock: await tl.getAddress(), members: [...members], threshold: Number(threshold),
    delaySeconds: Number(delay), chainTime: block!.timestamp,
  };
}

/** Every operation proposed to the council, oldest first; `id` narrows it to one. */
export async function councilOperations(provider: Provider, d: Deployment, id?: string): Promise<CouncilOperation[]> {
  const { council, timelock } = contracts(provider, d);
  const tl = await timelock();
  const from = d.contracts.Council?.blockNumber ?? 0;
  const [members, threshold] = [[...(await council.members())], Number(await council.threshold())];
  const approvedBy = async (opId: string) => {
    const flags = await Promise.all(members.map((m) => council.hasApproved(opId, m)));
    return members.filter((_, i) => flags[i]);
  };
  const proposed = await council.queryFilter(council.filters.CallsProposed(id ?? undefined), from);
  const out: CouncilOperation[] = [];
  for (const e of proposed) {
    const [opId, proposer, targets, values, payloads, salt] = e.args;
    const calls = targets.map((to: string, i: number) => ({ to, value: values[i], data: payloads[i] }));
    const [stillProposed, ts, ready, by] = await Promise.all([council.isProposed(opId), tl.getTimestamp(opId), tl.isOperationReady(opId), approvedBy(opId)]);
    const cancelId = await council.cancelIdOf(opId);
    const cancelBy = await approvedBy(cancelId);
    const cancelProposed = (await council.queryFilter(council.filters.CancelProposed(cancelId), from)).length > 0;
    const timestamp = Number(ts);
    const state: OperationState = !stillProposed ? "cancelled"
      : timestamp === 1 ? "executed"
        : ready ? "ready"
          : timestamp > 1 ? "scheduled"
            : by.length >= threshold ? "approved" : "awaiting-approvals";
    out.push({
      id: opId, salt, proposer, calls, approvedBy: by, threshold, state,
      ...(timestamp > 1 ? { readyAt: timestamp } : {}),
      ...(cancelProposed ? { cancel: { id: cancelId, approvedBy: cancelBy } } : {}),
    });
  }
  return out;
}

/**
 * The operation `calls` make now: the first round of these calls neither run nor cancelled (the same calls
 * needed again after an earlier run get a new salt: {@link councilSalt}). Deterministic, so every member —
 * and a re-run after a crash — names the same operation.
 */
export async function currentOperationOf(provider: Provider, d: Deployment, calls: readonly CouncilCall[]): Promise<{ id: string; salt: string }> {
  const { council, timelock } = contracts(provider, d);
  const tl = await timelock();
  const from = d.contracts.Council?.blockNumber ?? 0;
  const args = [calls.map((c) => getAddress(c.to)), calls.map((c) => c.value ?? 0n), calls.map((c) => c.data)] as const;
  for (let round = 0; ; round++) {
    const salt = councilSalt(calls, round);
    const id: string = await tl.hashOperationBatch(...args, ZERO32, salt);
    if (await tl.isOperationDone(id)) continue;
    // Proposed once and no longer: cancelled (a cancelled proposal never comes back).
    if (!(await council.isProposed(id)) && (await council.queryFilter(council.filters.CallsProposed(id), from)).length > 0) continue;
    return { id, salt };
  }
}
