import { readFile, stat } from "node:fs/promises";
import type { HandoverConfig } from "../../config/handover.js";

/**
 * Where another organisation's node answers: HANDOVER_PEERS first, then the network file's
 * `orgs.<name>.{address, api}` (re-read when it changes, so a node started before `npm run network`
 * wrote it finds its peers). A locator only: a wrong URL can hand out no key the buyer's account did not
 * sign, and take no files it cannot decrypt.
 */
export function createPeerDirectory(cfg: Pick<HandoverConfig, "peers" | "networkFile">) {
  let cached: { mtimeMs: number; peers: Map<string, string> } | undefined;

  async function fromNetworkFile(): Promise<Map<string, string>> {
    if (!cfg.networkFile) return new Map();
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(cfg.networkFile)).mtimeMs;
    } catch {
      return new Map();
    }
    if (cached?.mtimeMs === mtimeMs) return cached.peers;
    const peers = new Map<string, string>();
    try {
      const net = JSON.parse(await readFile(cfg.networkFile, "utf8")) as { orgs?: Record<string, { address?: string; api?: string }> };
      for (const org of Object.values(net.orgs ?? {})) {
        if (typeof org?.address === "string" && typeof org.api === "string") peers.set(org.address.toLowerCase(), org.api.replace(/\/+$/, ""));
      }
    } catch {
      return cached?.peers ?? new Map(); // being rewritten: the last good reading
    }
    cached = { mtimeMs, peers };
    return peers;
  }

  return {
    /** The API base URL of the node that serves `account`, if known. */
    async urlOf(account: string): Promise<string | undefined> {
      const a = account.toLowerCase();
      return cfg.peers.find((p) => p.address === a)?.url ?? (await fromNetworkFile()).get(a);
    },
  };
}

export type PeerDirectory = ReturnType<typeof createPeerDirectory>;
