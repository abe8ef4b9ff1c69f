import { randomBytes } from "node:crypto";
import { Wallet, type TypedDataDomain } from "ethers";
import { ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { parseDay } from "../../core/dates.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import { loanTape } from "../../core/market/loan-tape.js";
import { mayEnterRoom, roomRule, type MarketBuyerKind } from "../../core/market/room-access.js";
import { ROOM_REFUSALS } from "../../i18n/market-room.js";
import { TypedBatch, type Store } from "../../store/db.js";
import type { MarketRoomRepos, RoomAccess, RoomRecord } from "../../store/repos/market-rooms.js";
import type { Caller } from "../access.js";
import type { ServedAccount } from "../handover/keys.js";
import type { AccessLog } from "./access-log.js";
import { hashOf, requestSigner, signReceipt, type RoomRequest } from "./signing.js";
import { tapeSources, type SourceDeps } from "./sources.js";

/** Most claims one data room holds. */
export const MAX_ROOM_CLAIMS = 500;
/** How far a signed request's time may be from this node's clock (seconds), and so how long its nonce is kept. */
export const REQUEST_WINDOW_S = 300;
const BYTES32 = /^0x[0-9a-f]{64}$/;

export interface RoomsDeps {
  store: Store;
  repos: MarketRoomRepos;
  log: AccessLog;
  clock: { now(): number };
  /** EIP-712 domain of requests and receipts (the handover's: this chain, this registry). */
  domain: TypedDataDomain;
  /** The accounts this node acts for (their keys sign receipts), by lower-case address. */
  accounts: Map<string, ServedAccount>;
  /** The chain index's holder of each claim (null: not registered). */
  holderOf(claimId: string): Promise<string | null>;
  /** What the chain says an account is as a buyer (LICENSED_AMC, QUALIFIED_INVESTOR beside HOLDER), or null. */
  buyerKindOf(account: string): Promise<MarketBuyerKind | null>;
  sources: SourceDeps;
}

/** Who asks to enter a room: a caller of this node, or an account whose own node signed the request. */
export interface Visitor {
  account: string;
  name: string;
  via: "api-key" | "signed-request";
  keyId?: string;
}

/** What a buyer sees of a room besides the tape: no label (the seller's own words), no claim ids list (the tape has them). */
export function publicRoom(r: RoomRecord) {
  return {
    roomId: r.roomId, seller: r.seller, sellerKind: r.sellerKind, cutOff: r.cutOff, rule: r.rule, tapeHash: r.tapeHash,
    asOfBlock: r.asOfBlock, openedAt: r.openedAt, claims: r.claimIds.length,
  };
}

const refused = (code: string, message: { "zh-CN": string; en: string }) =>
  new ForbiddenError(`${message.en} / ${message["zh-CN"]}`, { rule: code, reason: message });

export function createRooms(deps: RoomsDeps) {
  const { repos } = deps;
  const nonces = new Map<string, number>();

  function sellerAccount(caller: Caller): ServedAccount {
    if ((caller.role !== "bank" && caller.role !== "amc") || !caller.address) throw new ForbiddenError("only a bank or an AMC with an account sells packages", { rule: "seller-role" });
    const a = deps.accounts.get(caller.address.toLowerCase());
    if (!a) throw new ForbiddenError("the caller's account is not one this node acts for", { rule: "seller-role" });
    return a;
  }

  async function room(roomId: string): Promise<RoomRecord> {
    const id = roomId.toLowerCase();
    const r = BYTES32.test(id) ? await repos.rooms.get(id) : undefined;
    if (!r) throw new NotFoundError("data room", roomId);
    return r;
  }

  /** An access shown or refused, logged (durably) before anything is answered; the receipt signed by the seller. */
  async function logged(r: RoomRecord, v: Visitor, kind: MarketBuyerKind | null, outcome: RoomAccess["outcome"], rule?: string) {
    const entry = await deps.log.append({
      roomId: r.roomId, account: v.account, name: v.name, kind, via: v.via, ...(v.keyId ? { keyId: v.keyId } : {}), outcome,
      ...(rule ? { rule } : {}), tapeHash: r.tapeHash,
    });
    const seller = deps.accounts.get(r.seller);
    const signature = seller
      ? await signReceipt(new Wallet(seller.privateKey), deps.domain, { roomId: r.roomId, tapeHash: r.tapeHash, account: v.account, seq: entry.seq, entryHash: entry.hash })
      : "";
    return { seq: entry.seq, hash: entry.hash, signature };
  }

  /** The room for a prospective buyer: refused with the rule unless the chain makes the account an eligible buyer. */
  async function enter(roomId: string, v: Visitor) {
    const r = await room(roomId);
    const account = v.account.toLowerCase();
    if (account === r.seller) throw refused("seller-itself", ROOM_REFUSALS["seller-itself"]);
    const kind = await deps.buyerKindOf(account);
    const verdict = mayEnterRoom(r.rule, kind);
    if (!verdict.ok) {
      await logged(r, { ...v, account }, kind, "refused", verdict.code);
      throw refused(verdict.code, verdict.message);
    }
    const receipt = await logged(r, { ...v, account }, kind, "shown");
    return { room: publicRoom(r), tape: r.tape, receipt, listings: await bound(r.roomId) };
  }

  /** The listings that committed to this room's tape, with their terms and salts (a buyer re-derives the commitments). */
  async function bound(roomId: string) {
    const out = [];
    for await (const b of repos.listings.values({ gt: `${roomId}!`, lt: `${roomId}!~` })) out.push(b);
    return out;
  }

  return {
    /**
     * The room a listing commits to, the seller's own: its tape hash (for the listing's terms) and claims.
     * @throws NotFoundError unknown; ValidationError `roomId` another seller's room
     */
    async forListing(seller: string, roomId: string): Promise<{ roomId: string; tapeHash: string; claimIds: string[] }> {
      const r = await room(roomId);
      if (r.seller !== seller.toLowerCase()) throw new ValidationError("roomId", "room-not-sellers");
      return { roomId: r.roomId, tapeHash: r.tapeHash, claimIds: r.claimIds };
    },

    /** Records that a listing's terms (with their salt) bind the room's tape: served with the room from now on. */
    async bindListing(roomId: string, binding: { listingId: string; terms: Record<string, unknown>; termsSalt: string }) {
      await repos.listings.put(`${roomId.toLowerCase()}!${binding.listingId.toLowerCase()}`, binding, { sync: true });
    },

    /** Opens a data room over claims the caller's account holds: the rule of who may enter and the tape as of the cut-off. */
    async open(caller: Caller, input: { claimIds: string[]; cutOff: string; label?: string }) {
      const seller = sellerAccount(caller);
      const ids = input.claimIds.map((c) => c.toLowerCase());
      if (ids.length === 0 || ids.length > MAX_ROOM_CLAIMS) throw new ValidationError("claimIds", `from 1 to ${MAX_ROOM_CLAIMS} claims`);
      ids.forEach((id, i) => {
        if (!BYTES32.test(id)) throw new ValidationError(`claimIds[${i}]`, "bytes32-hex");
        if (ids.indexOf(id) !== i) throw new ValidationError(`claimIds[${i}]`, "duplicate");
      });
      const cut = parseDay(input.cutOff, "cutOff");
      if (cut > parseDay(chinaDateOfMs(deps.clock.now()), "today", true)) throw new ValidationError("cutOff", "not-after-today");
      const label = (input.label ?? "").normalize("NFKC").trim().slice(0, 120);
      for (const [i, id] of ids.entries()) {
        const holder = await deps.holderOf(id);
        if (holder?.toLowerCase() !== seller.address.toLowerCase()) throw new ValidationError(`claimIds[${i}]`, "not-held-by-seller");
      }
      const { sources, asOfBlock, missing } = await tapeSources(deps.sources, caller, ids, input.cutOff);
      if (missing.length > 0) throw new ValidationError(`claimIds[${ids.indexOf(missing[0]!)}]`, "no-record-here");
      const tape = loanTape(input.cutOff, sources);
      const rule = roomRule(seller.role, sources.map((s) => ({ personal: s.record.debtor.type === "retail" })));
      const roomId = `0x${randomBytes(32).toString("hex")}`;
      const record: RoomRecord = {
        roomId, seller: seller.address.toLowerCase(), sellerName: seller.name, sellerKind: seller.role, label, claimIds: ids, cutOff: input.cutOff,
        rule, tape, tapeHash: hashOf(tape), asOfBlock, openedAt: new Date(deps.clock.now()).toISOString(), openedBy: caller.keyId,
      };
      await new TypedBatch().put(repos.rooms, roomId, record).put(repos.bySeller, `${record.seller}!${record.openedAt}!${roomId}`, roomId).write(deps.store);
      return { ...publicRoom(record), label, totals: tape.totals };
    },

    /** The seller's rooms (its account's; the operator's admin every room of this node), newest first, with their accesses. */
    async mine(caller: Caller) {
      const all = caller.role === "admin";
      const account = all ? "" : sellerAccount(caller).address.toLowerCase();
      const out = [];
      const range = all ? {} : { gt: `${account}!`, lt: `${account}!~` };
      for await (const id of repos.bySeller.values({ ...range, reverse: true, limit: 200 })) {
        const r = await repos.rooms.get(id);
        if (!r) continue;
        const accesses = await deps.log.ofRoom(r.roomId);
        out.push({
          ...publicRoom(r), label: r.label, totals: r.tape.totals,
          accesses: { shown: accesses.filter((a) => a.outcome === "shown").length, refused: accesses.filter((a) => a.outcome === "refused").length, last: accesses[0]?.at ?? null },
        });
      }
      return { rooms: out };
    },

    /** A room at this node, for a caller of it: the seller (its own room, not logged) or a buyer (logged). */
    async read(caller: Caller, roomId: string) {
      const r = await room(roomId);
      if (caller.role === "admin" || caller.address?.toLowerCase() === r.seller) {
        return { room: { ...publicRoom(r), label: r.label }, tape: r.tape, receipt: null, listings: await bound(r.roomId) };
      }
      if (!caller.address) throw refused("not-a-buyer", ROOM_REFUSALS["not-a-buyer"]);
      return enter(roomId, { account: caller.address, name: caller.name, via: "api-key", keyId: caller.keyId });
    },

    /** A room for a buyer's node, on a request its account signed (EIP-712 DataRoomRequest). */
    async readSigned(roomId: string, req: RoomRequest & { name?: string }, signature: string) {
      const signer = requestSigner(deps.domain, { roomId: req.roomId, account: req.account, issuedAt: req.issuedAt, nonce: req.nonce }, signature);
      if (signer === null || signer !== req.account.toLowerCase()) throw new ForbiddenError("the request is not signed by the account it names", { rule: "signature", field: "X-Debtrail-Signature" });
      if (req.roomId.toLowerCase() !== roomId.toLowerCase()) throw new ForbiddenError("the request was signed for another room", { rule: "signature", field: "X-Debtrail-Room" });
      const now = Math.floor(deps.clock.now() / 1000);
      if (Math.abs(now - req.issuedAt) > REQUEST_WINDOW_S) throw new ForbiddenError(`the request's time is more than ${REQUEST_WINDOW_S} s from this node's clock`, { rule: "stale-request", field: "X-Debtrail-Issued-At" });
      for (const [n, until] of nonces) if (until < now) nonces.delete(n);
      if (nonces.has(req.nonce)) throw new ForbiddenError("the request was used before (a replay)", { rule: "replayed", field: "X-Debtrail-Nonce" });
      nonces.set(req.nonce, now + REQUEST_WINDOW_S * 2);
      const name = (req.name ?? "").normalize("NFKC").replace(/[^\p{L}\p{N} ._-]/gu, "").slice(0, 60) || signer;
      return enter(roomId, { account: signer, name, via: "signed-request" });
    },

    /** The room's access log (its seller, the operator's admin): who saw it or was refused, when, hash-chained. */
    async accesses(caller: Caller, roomId: string) {
      const r = await room(roomId);
      if (caller.role !== "admin" && caller.address?.toLowerCase() !== r.seller) throw new NotFoundError("data room", roomId);
      return { roomId: r.roomId, accesses: await deps.log.ofRoom(r.roomId), chain: (await deps.log.verify()) ?? ("intact" as const) };
    },
  };
}

export type Rooms = ReturnType<typeof createRooms>;
