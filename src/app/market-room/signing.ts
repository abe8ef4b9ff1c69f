/**
 * The signed messages of a data room between nodes, in the handover's EIP-712 domain (this chain, this
 * ClaimRegistry: src/app/handover/crypto.ts handoverDomain), each signed with an organisation's own account key:
 * - `DataRoomRequest{roomId, account, issuedAt, nonce}`: a buyer's node asks a seller's node for a room in the
 *   name of its account; the seller recovers the signer and admits the account only as the chain says;
 * - `DataRoomReceipt{roomId, tapeHash, account, seq, entryHash}`: the seller's node answers with the entry its
 *   access log wrote, signed by the selling account — the buyer keeps it, so the seller cannot later deny or drop
 *   the access, nor deny the tape it showed.
 */
import { keccak256, toUtf8Bytes, verifyTypedData, type TypedDataDomain, type Wallet } from "ethers";
import { canonicalJson } from "../../core/canonical.js";

const REQUEST_TYPES = {
  DataRoomRequest: [
    { name: "roomId", type: "bytes32" }, { name: "account", type: "address" }, { name: "issuedAt", type: "uint64" }, { name: "nonce", type: "bytes32" },
  ],
};
const RECEIPT_TYPES = {
  DataRoomReceipt: [
    { name: "roomId", type: "bytes32" }, { name: "tapeHash", type: "bytes32" }, { name: "account", type: "address" },
    { name: "seq", type: "uint64" }, { name: "entryHash", type: "bytes32" },
  ],
};

export interface RoomRequest {
  roomId: string;
  account: string;
  /** Unix seconds. */
  issuedAt: number;
  nonce: string;
}

export interface RoomReceipt {
  roomId: string;
  tapeHash: string;
  account: string;
  seq: number;
  entryHash: string;
}

/** keccak256 of a value's RFC 8785 JSON. */
export function hashOf(value: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(value)));
}

export function signRoomRequest(wallet: Wallet, domain: TypedDataDomain, r: RoomRequest): Promise<string> {
  return wallet.signTypedData(domain, REQUEST_TYPES, r);
}

/** The account a request's signature recovers to (lower case), or null for a malformed one. */
export function requestSigner(domain: TypedDataDomain, r: RoomRequest, signature: string): string | null {
  try {
    return verifyTypedData(domain, REQUEST_TYPES, r, signature).toLowerCase();
  } catch {
    return null;
  }
}

export function signReceipt(wallet: Wallet, domain: TypedDataDomain, r: RoomReceipt): Promise<string> {
  return wallet.signTypedData(domain, RECEIPT_TYPES, r);
}

export function receiptSigner(domain: TypedDataDomain, r: RoomReceipt, signature: string): string | null {
  try {
    return verifyTypedData(domain, RECEIPT_TYPES, r, signature).toLowerCase();
  } catch {
    return null;
  }
}
