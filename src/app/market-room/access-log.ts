import { TypedBatch, type Store } from "../../store/db.js";
import type { MarketRoomRepos, RoomAccess } from "../../store/repos/market-rooms.js";
import { hashOf } from "./signing.js";

const ZERO = `0x${"0".repeat(64)}`;
const seqKey = (seq: number) => String(seq).padStart(12, "0");

/**
 * The data-room access log at the seller's node (issue 19: who saw which package, when): one entry per access,
 * shown or refused, written durably before the answer leaves — in the personal-data read log's style (an
 * append-only table of this node), not anchored per access on chain — and hash-chained: each entry carries the
 * previous entry's hash, so an entry removed or changed later shows; and the buyer's node keeps the seller's
 * signed receipt of its entry (./signing.ts), so the log's end cannot be cut off without the buyer's receipt
 * contradicting it. One writer at a time (the store's cross-process lock).
 */
export function createAccessLog(deps: { store: Store; repos: MarketRoomRepos; clock: { now(): number } }) {
  const { store, repos } = deps;

  async function head(): Promise<{ seq: number; hash: string }> {
    for await (const e of repos.accesses.values({ reverse: true, limit: 1 })) return { seq: e.seq, hash: e.hash };
    return { seq: 0, hash: ZERO };
  }

  return {
    /** Appends an entry; resolves with it once it is on disk. */
    append(entry: Omit<RoomAccess, "seq" | "at" | "prevHash" | "hash">): Promise<RoomAccess> {
      return store.exclusive("market-room-access-log", async () => {
        const last = await head();
        const body = { ...entry, seq: last.seq + 1, at: new Date(deps.clock.now()).toISOString(), prevHash: last.hash };
        const full: RoomAccess = { ...body, hash: hashOf(body) };
        await new TypedBatch().put(repos.accesses, seqKey(full.seq), full).put(repos.accessByRoom, `${full.roomId}!${seqKey(full.seq)}`, full.seq).write(store);
        return full;
      });
    },

    /** A room's entries, newest first. */
    async ofRoom(roomId: string, limit = 200): Promise<RoomAccess[]> {
      const out: RoomAccess[] = [];
      for await (const seq of repos.accessByRoom.values({ gt: `${roomId}!`, lt: `${roomId}!~`, reverse: true, limit })) {
        const e = await repos.accesses.get(seqKey(seq));
        if (e) out.push(e);
      }
      return out;
    },

    /** Re-derives every hash of the log: the first entry that does not chain, or null when all do. */
    async verify(): Promise<{ seq: number; problem: "hash" | "link" | "gap" } | null> {
      let prev = ZERO, expect = 1;
      for await (const e of repos.accesses.values()) {
        if (e.seq !== expect) return { seq: expect, problem: "gap" };
        if (e.prevHash !== prev) return { seq: e.seq, problem: "link" };
        const { hash, ...body } = e;
        if (hashOf(body) !== hash) return { seq: e.seq, problem: "hash" };
        prev = hash;
        expect++;
      }
      return null;
    },
  };
}

export type AccessLog = ReturnType<typeof createAccessLog>;
