import { Interface, isCallException } from "ethers";
import { DebtrailError, UnavailableError } from "../core/errors.js";

/** A contract call reverted; carries the custom error's name and arguments, decoded from the ABI. */
export class ChainRevertError extends DebtrailError {
  constructor(readonly errorName: string, readonly args: unknown[]) {
    super("CHAIN_REVERT", `the contract rejected the transaction: ${errorName}`, {
      error: errorName,
      args: args.map((a) => (typeof a === "bigint" ? a.toString() : a)),
    });
  }
}

/** Turns whatever ethers threw into a ChainRevertError (decoded with `iface`) or an UnavailableError. */
export function decodeChainError(e: unknown, iface: Interface): DebtrailError {
  if (e instanceof DebtrailError) return e;
  if (isCallException(e)) {
    if (e.data && e.data !== "0x") {
      try {
        const parsed = iface.parseError(e.data);
        if (parsed) return new ChainRevertError(parsed.name, [...parsed.args]);
      } catch {
        /* fall through to the generic revert */
      }
    }
    return new ChainRevertError(e.reason ?? "unknown revert", []);
  }
  const code = (e as { code?: string }).code;
  if (code === "ECONNREFUSED" || code === "NETWORK_ERROR" || code === "TIMEOUT" || code === "SERVER_ERROR") {
    return new UnavailableError("the chain node is not reachable; try again", { cause: code });
  }
  return new UnavailableError(`chain error: ${(e as Error).message ?? String(e)}`.slice(0, 300));
}
