import type { SigningKey } from "ethers";
import { keccakHex } from "../core/merkle.js";

/** The fields of an EIP-1559 (type 2) transaction the outbox signs: a contract call without value or access list. */
export interface Eip1559Call {
  chainId: bigint;
  nonce: number;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
  gasLimit: bigint;
  to: string;
  /** Calldata, 0x-prefixed hex. */
  data: string;
}

/** Hex (0x-prefixed, even length) to bytes, natively; `field` names it in the error. */
function bytesOf(hex: string, field: string): Buffer {
  const b = Buffer.from(hex.slice(2), "hex");
  if (!hex.startsWith("0x") || b.length * 2 !== hex.length - 2) throw new TypeError(`${field} must be 0x-prefixed hex of whole bytes`);
  return b;
}

/** An unsigned integer as RLP wants it: big-endian, no leading zero bytes (zero is empty). */
function uint(n: bigint | number): Buffer {
  let hex = BigInt(n).toString(16);
  if (hex === "0") return Buffer.alloc(0);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, "hex");
}

function length(len: number, offset: number): Buffer {
  if (len < 56) return Buffer.from([offset + len]);
  const l = uint(len);
  return Buffer.concat([Buffer.from([offset + 55 + l.length]), l]);
}

function rlpItem(b: Buffer): Buffer {
  return b.length === 1 && b[0]! < 0x80 ? b : Buffer.concat([length(b.length, 0x80), b]);
}

function rlpList(items: Buffer[]): Buffer {
  const body = Buffer.concat(items);
  return Buffer.concat([length(body.length, 0xc0), body]);
}

/**
 * Signs a contract call as an EIP-1559 transaction: its raw bytes (as `eth_sendRawTransaction` takes them) and
 * its hash. The same bytes as ethers' `Wallet.signTransaction` (RFC 6979 signatures are deterministic; a parity
 * test compares them), made with Buffer's native hex conversions: ethers converts hex and bytes a character
 * pair at a time, four times a transaction, and a registration batch carries tens of kilobytes of calldata —
 * garbage the collector paid for while the API answered reads (bench:scale). Both hashes are hash-wasm's
 * Keccak-256 once `initHashing` ran (as the API and the oracle do at start): ethers' JS keccak took 4–6 ms per
 * 60 kB of calldata on the event loop, twice a transaction.
 */
export function signEip1559Call(tx: Eip1559Call, key: SigningKey): { raw: string; hash: string } {
  const fields = [
    rlpItem(uint(tx.chainId)), rlpItem(uint(tx.nonce)), rlpItem(uint(tx.maxPriorityFeePerGas)), rlpItem(uint(tx.maxFeePerGas)),
    rlpItem(uint(tx.gasLimit)), rlpItem(bytesOf(tx.to, "to")), rlpItem(uint(0)), rlpItem(bytesOf(tx.data, "data")), rlpList([]),
  ];
  if (fields[5]!.length !== 21) throw new TypeError("to must be a 20-byte address");
  const unsigned = Buffer.concat([Buffer.from([2]), rlpList(fields)]);
  const sig = key.sign(keccakHex(unsigned));
  const signed = Buffer.concat([
    Buffer.from([2]),
    rlpList([...fields, rlpItem(uint(sig.yParity)), rlpItem(uint(BigInt(sig.r))), rlpItem(uint(BigInt(sig.s)))]),
  ]);
  return { raw: `0x${signed.toString("hex")}`, hash: keccakHex(signed) };
}
