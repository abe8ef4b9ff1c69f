import { ValidationError } from "../core/errors.js";
import { intFrom } from "./env.js";

/**
 * The council that alone administers the chain (COUNCIL_MEMBERS: comma-separated accounts; COUNCIL_THRESHOLD:
 * k, default a majority; COUNCIL_DELAY_SECONDS: the timelock's delay, default 2 days). Without members, only
 * on a loopback chain: a council of the deployer alone, without delay — the single-process dev stack.
 *
 * @throws ValidationError naming the variable
 */
export function councilFrom(env: NodeJS.ProcessEnv, loopback: boolean): { members: string[]; threshold: number; delaySeconds: number } | undefined {
  const members = (env.COUNCIL_MEMBERS ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  if (members.length === 0) {
    if (loopback) return undefined;
    throw new ValidationError("COUNCIL_MEMBERS", "is required to deploy to a remote chain: no organisation may administer it alone (the accounts of the council's member organisations, comma-separated)");
  }
  for (const a of members) if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new ValidationError("COUNCIL_MEMBERS", `${a} is not an address`);
  if (new Set(members.map((a) => a.toLowerCase())).size < members.length) throw new ValidationError("COUNCIL_MEMBERS", "lists an account twice");
  const threshold = intFrom(env, "COUNCIL_THRESHOLD", Math.floor(members.length / 2) + 1, 1, members.length);
  if (members.length > 1 && threshold < 2) throw new ValidationError("COUNCIL_THRESHOLD", "must be at least 2 when the council has more than one member: no organisation alone");
  return { members, threshold, delaySeconds: intFrom(env, "COUNCIL_DELAY_SECONDS", 2 * 86_400, 0, 30 * 86_400) };
}

