import type { ClaimRegistrationStruct } from "../../../types/ethers-contracts/ClaimRegistry.js";
import { ClaimRegistry__factory } from "../../../types/ethers-contracts/index.js";

/** `registerBatch((bytes32,bytes32,(uint128,uint128,bytes3,uint40,uint40,bool,(uint16,uint16,uint16,uint16,uint16),bytes32,bytes32))[])`, from the ABI. */
const REGISTER_BATCH_SELECTOR = ClaimRegistry__factory.createInterface().getFunction("registerBatch").selector.slice(2);

type Bytes = string | Uint8Array;
type Num = bigint | number | string;

/** A value as a 32-byte word of hex: an unsigned integer of `bits` (right-aligned), refused out of range. */
function uintWord(value: Num, bits: number, field: string): string {
  const n = BigInt(value);
  if (n < 0n || n >= 1n << BigInt(bits)) throw new RangeError(`${field} must be a uint${bits}`);
  return n.toString(16).padStart(64, "0");
}

/** Fixed bytes (`bytes<size>`) as a word: left-aligned, zero-padded on the right. */
function bytesWord(value: Bytes, size: number, field: string): string {
  const hex = typeof value === "string" ? value.toLowerCase() : `0x${Buffer.from(value).toString("hex")}`;
  if (!/^0x[0-9a-f]*$/.test(hex) || hex.length !== 2 + 2 * size) throw new RangeError(`${field} must be ${size} bytes of hex`);
  return hex.slice(2).padEnd(64, "0");
}

/**
 * Calldata of `ClaimRegistry.registerBatch(registrations)`, word by word: a registration is a static tuple
 * of 15 words, so the array is its offset, its length and the words in order. The same bytes as ethers'
 * `encodeFunctionData` (a parity test compares them), without its per-value byte arrays and per-character
 * hex conversions: an import encodes a hundred thousand registrations.
 */
export function encodeRegisterBatch(registrations: readonly ClaimRegistrationStruct[]): string {
  const words: string[] = [uintWord(32, 256, "offset"), uintWord(registrations.length, 256, "length")];
  for (const [i, r] of registrations.entries()) {
    const at = `registrations[${i}]`;
    const t = r.terms;
    const c = t.clauses;
    words.push(
      bytesWord(r.originatorCode as Bytes, 32, `${at}.originatorCode`), bytesWord(r.loanRef as Bytes, 32, `${at}.loanRef`),
      uintWord(t.principal as Num, 128, `${at}.terms.principal`), uintWord(t.outstanding as Num, 128, `${at}.terms.outstanding`),
      bytesWord(t.currency as Bytes, 3, `${at}.terms.currency`),
      uintWord(t.originatedAt as Num, 40, `${at}.terms.originatedAt`), uintWord(t.maturityAt as Num, 40, `${at}.terms.maturityAt`),
      uintWord(t.retail ? 1 : 0, 8, `${at}.terms.retail`),
      uintWord(c.warnDays as Num, 16, `${at}.terms.clauses.warnDays`), uintWord(c.demandDays as Num, 16, `${at}.terms.clauses.demandDays`),
      uintWord(c.arbitrationDays as Num, 16, `${at}.terms.clauses.arbitrationDays`), uintWord(c.coverageBps as Num, 16, `${at}.terms.clauses.coverageBps`),
      uintWord(c.noticeDays as Num, 16, `${at}.terms.clauses.noticeDays`),
      bytesWord(t.collateralHash as Bytes, 32, `${at}.terms.collateralHash`), bytesWord(t.documentsRoot as Bytes, 32, `${at}.terms.documentsRoot`),
    );
  }
  return `0x${REGISTER_BATCH_SELECTOR}${words.join("")}`;
}
