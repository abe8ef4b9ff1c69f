import type { Store, SublevelOf } from "../db.js";

/** A signed transaction, written to the store before it is broadcast (src/chain/outbox.ts). */
export interface OutboxEntry {
  hash: string;
  tag: string;
  from: string;
  to: string;
  nonce: number;
  raw: string;
  status: "sent" | "mined" | "reverted" | "dropped";
  createdAt: string;
  blockNumber?: number;
  gasUsed?: string;
}

/** The outbox's entries by transaction hash (`outbox`). */
export function openOutbox(store: Store): SublevelOf<OutboxEntry> {
  return store.sub("outbox");
}
