/**
 * A listing's commitment to its data room's tape (issue 19): the listing's off-chain terms name the room and the
 * tape's hash (`dataRoom: {roomId, tapeHash}`), and only their salted commitment goes on chain (termsCommitment).
 * The seller shows each buyer who enters the room the terms and their salt; the buyer's node re-derives the
 * commitment and compares it with the chain's, so a seller that changed the tape after listing — even one that
 * keeps the room self-consistent, a new tape under a new tapeHash — is caught: the listing committed to the old
 * hash. Pure.
 */
import { canonicalJson } from "../canonical.js";
import { saltedCommitment } from "./bidding.js";

/** The terms a listing over a data room commits to: the seller's terms and the room with its tape's hash. */
export function termsWithRoom(terms: Record<string, unknown>, room: { roomId: string; tapeHash: string }): Record<string, unknown> {
  return { ...terms, dataRoom: { roomId: room.roomId.toLowerCase(), tapeHash: room.tapeHash.toLowerCase() } };
}

export type BindingProblem = "listing-unknown" | "seller-differs" | "commitment-differs" | "room-differs" | "tape-differs";

/**
 * Whether a listing's terms, as the seller's node showed them with the room, bind the room the buyer read: null
 * when they do, else what differs. `onChain` is the listing as the buyer's own chain index has it (null: unknown).
 */
export function checkRoomBinding(
  room: { roomId: string; tapeHash: string; seller: string },
  binding: { terms: Record<string, unknown>; termsSalt: string },
  onChain: { termsCommitment: string; seller: string } | null,
): BindingProblem | null {
  if (!onChain) return "listing-unknown";
  if (onChain.seller.toLowerCase() !== room.seller.toLowerCase()) return "seller-differs";
  if (saltedCommitment(canonicalJson(binding.terms), binding.termsSalt).toLowerCase() !== onChain.termsCommitment.toLowerCase()) return "commitment-differs";
  const bound = binding.terms.dataRoom as { roomId?: unknown; tapeHash?: unknown } | undefined;
  if (typeof bound?.roomId !== "string" || bound.roomId.toLowerCase() !== room.roomId.toLowerCase()) return "room-differs";
  if (typeof bound.tapeHash !== "string" || bound.tapeHash.toLowerCase() !== room.tapeHash.toLowerCase()) return "tape-differs";
  return null;
}
