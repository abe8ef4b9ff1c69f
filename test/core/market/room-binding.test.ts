import { describe, it, expect } from "vitest";
import { canonicalJson } from "../../../src/core/canonical.js";
import { newSalt, saltedCommitment } from "../../../src/core/market/bidding.js";
import { checkRoomBinding, termsWithRoom } from "../../../src/core/market/room-binding.js";

const room = { roomId: `0x${"a".repeat(64)}`, tapeHash: `0x${"b".repeat(64)}`, seller: `0x${"c".repeat(40)}` };

describe("checkRoomBinding", () => {
  const salt = newSalt();
  const terms = termsWithRoom({ note: "x" }, room);
  const onChain = { termsCommitment: saltedCommitment(canonicalJson(terms), salt), seller: room.seller.toUpperCase().replace("0X", "0x") };

  it("holds when the terms the seller shows open the chain's commitment and name this room and tape", () => {
    expect(terms.dataRoom).toEqual({ roomId: room.roomId, tapeHash: room.tapeHash });
    expect(checkRoomBinding(room, { terms, termsSalt: salt }, onChain)).toBeNull();
  });

  it("names what differs: another tape, terms rewritten, another salt, another room, another seller, no listing", () => {
    expect(checkRoomBinding({ ...room, tapeHash: `0x${"d".repeat(64)}` }, { terms, termsSalt: salt }, onChain)).toBe("tape-differs");
    expect(checkRoomBinding({ ...room, roomId: `0x${"e".repeat(64)}` }, { terms, termsSalt: salt }, onChain)).toBe("room-differs");
    const rewritten = termsWithRoom({ note: "x" }, { ...room, tapeHash: `0x${"d".repeat(64)}` });
    expect(checkRoomBinding({ ...room, tapeHash: `0x${"d".repeat(64)}` }, { terms: rewritten, termsSalt: salt }, onChain)).toBe("commitment-differs");
    expect(checkRoomBinding(room, { terms, termsSalt: newSalt() }, onChain)).toBe("commitment-differs");
    expect(checkRoomBinding(room, { terms, termsSalt: salt }, { ...onChain, seller: `0x${"f".repeat(40)}` })).toBe("seller-differs");
    expect(checkRoomBinding(room, { terms, termsSalt: salt }, null)).toBe("listing-unknown");
    // Terms committed without a room bind nothing.
    const plain = { note: "x" };
    expect(checkRoomBinding(room, { terms: plain, termsSalt: salt }, { ...onChain, termsCommitment: saltedCommitment(canonicalJson(plain), salt) })).toBe("room-differs");
  });
});
