import { id } from "ethers";
import type { ChainRole } from "../config/roles.js";

/** The bytes32 id of an on-chain role, as contracts/Roles.sol defines it: keccak256 of the name. */
export function roleId(role: ChainRole): string {
  return id(role);
}

/** Originator codes are stored as bytes32: the code's ASCII bytes, right-padded with zeros. */
export function originatorCodeToBytes32(code: string): string {
  const bytes = Buffer.from(code, "ascii");
  if (bytes.length === 0 || bytes.length > 31) throw new RangeError("originator code must be 1..31 ASCII characters");
  return "0x" + bytes.toString("hex").padEnd(64, "0");
}

export function bytes32ToOriginatorCode(value: string): string {
  return Buffer.from(value.slice(2), "hex").toString("ascii").replace(/\0+$/, "");
}
