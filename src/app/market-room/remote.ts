import { randomBytes } from "node:crypto";
import { Wallet, type TypedDataDomain } from "ethers";
import { ConflictError, ForbiddenError, NotFoundError, UnavailableError, ValidationError } from "../../core/errors.js";
import { checkRoomBinding } from "../../core/market/room-binding.js";
import type { LoanTape } from "../../core/market/loan-tape.js";
import type { Store } from "../../store/db.js";
import type { FetchedRoom, MarketRoomRepos } from "../../store/repos/market-rooms.js";
import type { Caller } from "../access.js";
import type { PeerDirectory } from "../handover/peers.js";
import { hashOf, receiptSigner, signRoomRequest } from "./signing.js";

const BYTES32 = /^0x[0-9a-f]{64}$/;
const ADDRESS = /^0x[0-9a-f]{40}$/;

export interface RemoteDeps {
  store: Store;
  repos: MarketRoomRepos;
  clock: { now(): number };
  domain: TypedDataDomain;
  /** Where another organisation's node answers (the handover's peer directory: HANDOVER_PEERS, NETWORK_FILE). */
  peers: PeerDirectory;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** A listing as this node's chain index has it (its on-chain terms commitment and seller), null when unknown. */
  listingOf?: (listingId: string) => Promise<{ termsCommitment: string; seller: string } | null>;
}

/** The headers of a signed data-room request (the seller's route reads them). */
export const ROOM_HEADERS = {
  account: "x-debtrail-account", issuedAt: "x-debtrail-issued-at", nonce: "x-debtrail-nonce", signature: "x-debtrail-signature", name: "x-debtrail-name",
} as const;

/**
 * A buyer's node fetching a seller's data room (issue 19) the way loan-file handover talks between nodes: the
 * seller's node found in the peer directory, the request signed by the buyer's own account key (EIP-712
 * DataRoomRequest), the answer checked — the tape hashes to what the room says, the receipt is the seller's
 * account's signature over this very access — and kept at the buyer's node (written before it is shown) with the
 * receipt, so the buyer can later show what it was shown and that the seller logged it.
 */
export function createRemoteRooms(deps: RemoteDeps) {
  const doFetch = deps.fetch ?? fetch;
  const key = (account: string, seller: string, roomId: string) => `${account}!${seller}!${roomId}`;

  function buyer(caller: Caller): { account: string; wallet: Wallet } {
    if (!caller.address || !caller.privateKey || caller.role === "admin" || caller.role === "collector") {
      throw new ForbiddenError("only a buyer's own account (an AMC or investor key with its chain key) asks for a data room", { rule: "buyer-account" });
    }
    return { account: caller.address.toLowerCase(), wallet: new Wallet(caller.privateKey) };
  }

  return {
    async fetchRoom(caller: Caller, sellerIn: string, roomIdIn: string) {
      const seller = sellerIn.toLowerCase(), roomId = roomIdIn.toLowerCase();
      if (!ADDRESS.test(seller)) throw new ValidationError("seller", "address");
      if (!BYTES32.test(roomId)) throw new ValidationError("roomId", "bytes32-hex");
      const { account, wallet } = buyer(caller);
      const url = await deps.peers.urlOf(seller);
      if (!url) throw new NotFoundError("seller's node", seller);
      const req = { roomId, account: wallet.address, issuedAt: Math.floor(deps.clock.now() / 1000), nonce: `0x${randomBytes(32).toString("hex")}` };
      const signature = await signRoomRequest(wallet, deps.domain, req);
      let res: Response;
      try {
        res = await doFetch(`${url}/v1/market/rooms/${roomId}`, {
          headers: {
            [ROOM_HEADERS.account]: req.account, [ROOM_HEADERS.issuedAt]: String(req.issuedAt), [ROOM_HEADERS.nonce]: req.nonce,
            [ROOM_HEADERS.signature]: signature, [ROOM_HEADERS.name]: encodeURIComponent(caller.name), accept: "application/json",
          },
          signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new UnavailableError(`the seller's node did not answer: ${(e as Error).message}`);
      }
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.status === 403) throw new ForbiddenError(String(body.message ?? "refused by the seller's node"), { rule: String(body.rule ?? "refused"), ...(body.details as object ?? {}), from: "seller" });
      if (res.status === 404) throw new NotFoundError("data room", roomId);
      if (res.status !== 200) throw new UnavailableError(`the seller's node answered ${res.status}`);
      const room = body.room as FetchedRoom["room"] | undefined, tape = body.tape as LoanTape | undefined;
      const receipt = body.receipt as FetchedRoom["receipt"] | undefined;
      if (!room || !tape || !receipt || room.roomId !== roomId || room.seller !== seller) throw new UnavailableError("the seller's node answered for another room");
      if (hashOf(tape) !== room.tapeHash) throw new UnavailableError("the seller's tape does not hash to the room's tapeHash");
      const signer = receiptSigner(deps.domain, { roomId, tapeHash: room.tapeHash, account: wallet.address, seq: receipt.seq, entryHash: receipt.hash }, receipt.signature);
      if (signer !== seller) throw new UnavailableError("the access receipt is not signed by the seller's account");
      // The listings that say they commit to this tape: each re-derived against this node's own chain index. A
      // binding that does not hold — the seller changed the tape after listing, or shows another listing's terms — is
      // refused, and what this node kept of the room before is left as it was (the tape the listing committed to).
      const bindings = Array.isArray(body.listings) ? (body.listings as Array<{ listingId: string; terms: Record<string, unknown>; termsSalt: string }>).slice(0, 100) : [];
      const verified: NonNullable<FetchedRoom["listings"]> = [];
      for (const b of bindings) {
        if (typeof b?.listingId !== "string" || !BYTES32.test(b.listingId.toLowerCase()) || typeof b.termsSalt !== "string" || typeof b.terms !== "object" || b.terms === null) {
          throw new UnavailableError("the seller's node answered a malformed listing binding");
        }
        const onChain = deps.listingOf ? await deps.listingOf(b.listingId.toLowerCase()) : null;
        const problem = checkRoomBinding({ roomId, tapeHash: room.tapeHash, seller }, b, onChain);
        if (problem === "listing-unknown") continue; // not on chain (yet, as this node reads it): proves nothing either way
        if (problem) {
          throw new ConflictError("room-tape-mismatch", `the data room's tape is not the one listing ${b.listingId} committed to on chain (${problem})`, { field: "roomId", listingId: b.listingId.toLowerCase(), problem });
        }
        verified.push({ listingId: b.listingId.toLowerCase(), verified: true });
      }
      const kept: FetchedRoom = { seller, sellerUrl: url, room, tape, receipt, listings: verified, fetchedAt: new Date(deps.clock.now()).toISOString(), fetchedBy: caller.keyId };
      await deps.repos.fetched.put(key(account, seller, roomId), kept, { sync: true });
      return kept;
    },

    /** The rooms this buyer's account fetched, newest first (figures, not tapes). */
    async list(caller: Caller) {
      const { account } = buyer(caller);
      const out = [];
      for await (const f of deps.repos.fetched.values({ gt: `${account}!`, lt: `${account}!~` })) {
        out.push({ seller: f.seller, room: f.room, totals: f.tape.totals, fetchedAt: f.fetchedAt, receipt: { seq: f.receipt.seq } });
      }
      return { rooms: out.sort((a, b) => (a.fetchedAt < b.fetchedAt ? 1 : -1)) };
    },

    /** A fetched room as kept (the tape and the seller's receipt). */
    async kept(caller: Caller, seller: string, roomId: string) {
      const { account } = buyer(caller);
      const f = await deps.repos.fetched.get(key(account, seller.toLowerCase(), roomId.toLowerCase()));
      if (!f) throw new NotFoundError("fetched data room", roomId);
      return f;
    },
  };
}

export type RemoteRooms = ReturnType<typeof createRemoteRooms>;
