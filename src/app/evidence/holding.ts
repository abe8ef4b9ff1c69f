import { getAddress, id, zeroPadValue } from "ethers";
import type { Chain } from "../../chain/client.js";
import { UnavailableError } from "../../core/errors.js";

/** ERC-721 Transfer(from, to, tokenId): every mint and transfer of a claim, all three indexed. */
const TRANSFER = id("Transfer(address,address,uint256)");

interface Transfer {
  to: string;
  blockNumber: number;
  /** Block time, ms. */
  at: number;
}

/** When a claim was registered, by whom, and since when its holder holds it (block times, ms). */
export interface Holding {
  originator: string;
  registeredAt: number;
  /** Block time of the latest transfer (or mint) of the claim to `holder`. */
  holdingSince: number;
}

/**
 * A claim's ownership history from ClaimRegistry's Transfer events, read cheaply: one getLogs per claim
 * filtered on its token id (an indexed topic), then only the blocks after the last one read; block times
 * are cached by block hash. A claim changes hands a few times in its life, so the cache stays small.
 */
export function createHoldingReader(chain: Chain) {
  const registry = chain.deployment.contracts.ClaimRegistry;
  const histories = new Map<string, { scannedTo: number; transfers: Transfer[] }>();
  const blockTimes = new Map<string, Promise<number>>();

  function blockTime(hash: string): Promise<number> {
    let t = blockTimes.get(hash);
    if (!t) {
      t = chain.provider.getBlock(hash).then((b) => {
        if (!b) throw new UnavailableError(`block ${hash} not found`);
        return b.timestamp * 1000;
      });
      t.catch(() => blockTimes.delete(hash));
      blockTimes.set(hash, t);
    }
    return t;
  }

  async function transfersOf(claimId: string): Promise<Transfer[]> {
    const known = histories.get(claimId) ?? { scannedTo: registry.blockNumber - 1, transfers: [] };
    const latest = await chain.provider.getBlockNumber();
    if (latest <= known.scannedTo) return known.transfers;
    const logs = await chain.provider.getLogs({
      address: registry.address,
      topics: [TRANSFER, null, null, zeroPadValue(claimId, 32)],
      fromBlock: known.scannedTo + 1,
      toBlock: latest,
    });
    const added = await Promise.all(logs.map(async (log) => ({
      to: getAddress(`0x${log.topics[2].slice(26)}`),
      blockNumber: log.blockNumber,
      at: await blockTime(log.blockHash),
    })));
    const next = { scannedTo: latest, transfers: [...known.transfers, ...added] };
    histories.set(claimId, next);
    return next.transfers;
  }

  return {
    /**
     * The claim's registration and `holder`'s holding of it.
     *
     * @throws UnavailableError when the events do not show `holder` getting the claim (the node lags or reorganised)
     */
    async holdingOf(claimId: string, holder: string): Promise<Holding> {
      const transfers = await transfersOf(claimId.toLowerCase());
      const mint = transfers[0];
      const last = [...transfers].reverse().find((t) => t.to.toLowerCase() === holder.toLowerCase());
      if (!mint || !last) {
        histories.delete(claimId.toLowerCase());
        throw new UnavailableError(`the chain node's events do not show how ${holder} got claim ${claimId}; try again`, { claimId });
      }
      return { originator: mint.to, registeredAt: mint.at, holdingSince: last.at };
    },
  };
}

export type HoldingReader = ReturnType<typeof createHoldingReader>;
