/**
 * Sealed bidding: the rules a node checks before it sends anything (issue 19), the same as ClaimMarket enforces on
 * chain: who may bid on a package, and the commitments a sealed bid, a hidden reserve and a listing's terms
 * carry. Pure: time is an argument.
 */
import { AbiCoder, keccak256, randomBytes, hexlify, toUtf8Bytes } from "ethers";
import { ValidationError } from "../errors.js";
import { BATCH_MIN_CLAIMS } from "../transfer-rules.js";

const abi = AbiCoder.defaultAbiCoder();
export const newSalt = (): string => hexlify(randomBytes(32));

/** The commitment a sealed bid carries: keccak256(abi.encode(listingId, bidder, amount, salt)) (ClaimMarket.bidCommitment). */
export function bidCommitment(listingId: string, bidder: string, amount: bigint, salt: string): string {
  return keccak256(abi.encode(["bytes32", "address", "uint128", "bytes32"], [listingId, bidder, amount, salt]));
}

/** A hidden reserve's commitment: keccak256(abi.encode(listingId, reserve, salt)). */
export function reserveCommitment(listingId: string, reserve: bigint, salt: string): string {
  return keccak256(abi.encode(["bytes32", "uint128", "bytes32"], [listingId, reserve, salt]));
}

/** A salted commitment to text (a label, canonical terms, a payment proof): keccak256(abi.encode(salt, keccak256(utf8(text)))). */
export function saltedCommitment(text: string, salt: string): string {
  return keccak256(abi.encode(["bytes32", "bytes32"], [salt, keccak256(toUtf8Bytes(text))]));
}

/**
 * Whether only licensed AMCs may bid: any personal (retail) claim (26号文), or a bank (ORIGINATOR) selling ten or
 * more claims (财金〔2012〕6号). An AMC's corporate package is open to qualified investors too.
 */
export function licensedAmcOnlyRequired(f: { retailClaims: number; claimCount: number; sellerIsOriginator: boolean }): boolean {
  return f.retailClaims > 0 || (f.sellerIsOriginator && f.claimCount >= BATCH_MIN_CLAIMS);
}

/** The bidding window, checked against `nowSec` (seconds) as the contract will: now < commitEnd < revealEnd, execution > 0. */
export function checkWindow(w: { commitEnd: number; revealEnd: number; executionPeriod: number }, nowSec: number): void {
  if (!Number.isInteger(w.commitEnd) || w.commitEnd <= nowSec) throw new ValidationError("commitEnd", "must be a time (unix seconds) after now");
  if (!Number.isInteger(w.revealEnd) || w.revealEnd <= w.commitEnd) throw new ValidationError("revealEnd", "must be after commitEnd");
  if (!Number.isInteger(w.executionPeriod) || w.executionPeriod <= 0 || w.executionPeriod > 2 ** 32 - 1) {
    throw new ValidationError("executionPeriodSeconds", "must be a positive number of seconds");
  }
}
