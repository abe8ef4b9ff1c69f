/**
 * Salted commitments: the only form in which a document or a loan-contract number reaches the chain.
 *
 * An unsalted hash of guessable text is no secret: a notice is a public template filled with a
 * debtor's name and facts that are on chain, so keccak256(letter) hashes back from a name dictionary
 * in milliseconds, and keccak256(contractNo) from an enumeration of contract numbers. So:
 *
 * - **Documents** (warning / demand notices, assignment notices, settlement plans) are committed to as
 *   `keccak256(abi.encode(bytes32 salt, bytes32 contentHash))`, `contentHash = keccak256(text)`, with a
 *   random 32-byte salt kept off chain (with the evidence record, the assignment, the offer) and
 *   carried in the proof bundle: whoever holds the text and the salt can check the commitment, nobody
 *   else can test guesses against it.
 * - **Loan references** commit to the contract number with a salt derived from the originator's secret,
 *   `loanSalt = HMAC-SHA256(secret, "debtrail/loan-ref/v1|" + originatorCode + "|" + contractNo)`,
 *   `loanRef = keccak256(abi.encode(bytes32 loanSalt, keccak256(utf8(contractNo))))`: deterministic, so
 *   the same loan gets the same claim id (ClaimRegistry's ClaimAlreadyRegistered guard holds), and per
 *   loan, so the salt that travels with one loan file says nothing about another loan.
 */
import { createHmac, randomBytes } from "node:crypto";
import { keccak256, toUtf8Bytes } from "ethers";
import { ValidationError } from "./errors.js";
import { keccakHex } from "./merkle.js";

/** Bytes of a document salt. */
export const SALT_BYTES = 32;
/** Domain separator of the loan-reference salt (versioned: a new formula gets a new tag). */
export const LOAN_REF_DOMAIN = "debtrail/loan-ref/v1";
/** Shortest originator secret accepted: 16 bytes (128 bits), so the secret cannot be enumerated. */
export const MIN_LOAN_SECRET_BYTES = 16;

const HASH = /^0x[0-9a-f]{64}$/;

/** keccak256(abi.encode(bytes32 a, bytes32 b)): the ABI encoding of two bytes32 is the two words side by side. */
export function keccakOfWords(a: string, b: string): string {
  const words = Buffer.alloc(64);
  words.write(a.slice(2), 0, "hex");
  words.write(b.slice(2), 32, "hex");
  return keccakHex(words);
}

function bytes32(value: unknown, field: string): string {
  const v = typeof value === "string" ? value.toLowerCase() : value;
  if (typeof v !== "string" || !HASH.test(v)) throw new ValidationError(field, "bytes32-hex");
  return v;
}

/** A fresh random 32-byte salt, `0x` + 64 lowercase hex. */
export function newSalt(): string {
  return `0x${randomBytes(SALT_BYTES).toString("hex")}`;
}

/** keccak256 of a document's bytes (UTF-8 for a string): the document's content hash. */
export function contentHashOfText(text: string | Uint8Array): string {
  return keccak256(typeof text === "string" ? toUtf8Bytes(text) : text);
}

/**
 * The salted commitment to a document: `keccak256(abi.encode(bytes32 salt, bytes32 contentHash))`.
 * This, never `contentHash` itself, is what goes on chain (a notice hash, an assignment notice hash,
 * a settlement plan hash).
 *
 * @param salt random 32 bytes kept off chain ({@link newSalt})
 * @param contentHash keccak256 of the document ({@link contentHashOfText})
 * @throws ValidationError if either is not 32-byte hex
 */
export function documentCommitment(salt: string, contentHash: string): string {
  return keccakOfWords(bytes32(salt, "salt"), bytes32(contentHash, "contentHash"));
}

/** A salted commitment to a document, with what is needed to check it. */
export interface DocumentCommitment {
  /** keccak256 of the document. Off chain only. */
  contentHash: string;
  /** Random 32 bytes. Off chain only; travels in the proof bundle to whoever may read the claim. */
  salt: string;
  /** keccak256(abi.encode(salt, contentHash)): the value on chain. */
  commitment: string;
}

/** Commits to `text` with `salt` (a fresh one by default). */
export function commitDocument(text: string | Uint8Array, salt: string = newSalt()): DocumentCommitment {
  const contentHash = contentHashOfText(text);
  return { contentHash, salt: salt.toLowerCase(), commitment: documentCommitment(salt, contentHash) };
}

/** True when `commitment` is the commitment of the document with `contentHash` under `salt`. Never throws. */
export function checkDocumentCommitment(args: { salt: unknown; contentHash: unknown; commitment: unknown }): boolean {
  try {
    return documentCommitment(args.salt as string, args.contentHash as string) === bytes32(args.commitment, "commitment");
  } catch {
    return false;
  }
}

/**
 * The per-loan salt of a loan reference: HMAC-SHA256 under the originator's secret of
 * `"debtrail/loan-ref/v1|" + originatorCode + "|" + contractNo` (contract number trimmed).
 *
 * @param secret the originator's secret (ORIGINATOR_SECRET, else PII_SECRET; ≥ 16 bytes)
 * @throws ValidationError if the secret is too short or the contract number blank
 */
export function loanSaltOf(secret: string | Uint8Array, originatorCode: string, contractNo: string): string {
  const key = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  if (key.length < MIN_LOAN_SECRET_BYTES) throw new ValidationError("secret", `min-${MIN_LOAN_SECRET_BYTES}-bytes`);
  const no = contractNo.trim();
  if (!no) throw new ValidationError("contractNo", "must not be blank");
  return `0x${createHmac("sha256", key).update(`${LOAN_REF_DOMAIN}|${originatorCode}|${no}`, "utf8").digest("hex")}`;
}

/**
 * The loan reference ClaimRegistry keeps: `keccak256(abi.encode(bytes32 loanSalt, keccak256(utf8(contractNo))))`.
 * @throws ValidationError if the salt is not 32-byte hex
 */
export function loanRefOf(contractNo: string, loanSalt: string): string {
  return documentCommitment(loanSalt, keccakHex(Buffer.from(contractNo.trim(), "utf8")));
}

/**
 * What a buyer or a court does with a loan file: recomputes the loan reference from the contract
 * number and the salt that came with it, and compares it with the chain's (ClaimRegistered.loanRef).
 * Never throws.
 */
export function checkLoanRef(args: { contractNo: unknown; loanSalt: unknown; loanRef: unknown }): boolean {
  if (typeof args.contractNo !== "string" || typeof args.loanRef !== "string") return false;
  try {
    return loanRefOf(args.contractNo, args.loanSalt as string) === bytes32(args.loanRef, "loanRef");
  } catch {
    return false;
  }
}
