/**
 * Dates for tests, derived from the clock or the chain's block time, never written as literals:
 * the suite must pass on any day it runs (also under `faketime -f '+365d'`, which the hardhat node
 * child inherits through LD_PRELOAD).
 */

export const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** The latest block's time on the chain at `url`, in ms. */
export async function chainTimeMs(url: string): Promise<number> {
  const block = await rpc(url, "eth_getBlockByNumber", ["latest", false]);
  return Number(BigInt(block.timestamp)) * 1000;
}

/** Moves a Hardhat node's clock `ms` ahead and mines a block at the new time; returns the new block time in ms. */
export async function advanceChain(url: string, ms: number): Promise<number> {
  await rpc(url, "evm_increaseTime", [Math.ceil(ms / 1000)]);
  await rpc(url, "evm_mine");
  return chainTimeMs(url);
}

/** YYYY-MM-DD in China (UTC+8) of the instant `ms` moved by `days` days. */
export function chinaDay(ms: number, days = 0): string {
  return new Date(ms + days * DAY_MS + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** An ISO 8601 instant with offset +08:00 at `hhmm` China time on {@link chinaDay}(ms, days). */
export function chinaTime(ms: number, days: number, hhmm: string): string {
  return `${chinaDay(ms, days)}T${hhmm}:00+08:00`;
}

/** A Hardhat chain's clock through `provider`: its latest block time (s), and a jump to a later time (a block mined there). */
export function chainClock(provider: { getBlock(tag: "latest"): Promise<{ timestamp: number } | null>; send(method: string, params: unknown[]): Promise<unknown> }) {
  const chainNow = async () => (await provider.getBlock("latest"))!.timestamp;
  async function jumpTo(t: number) {
    const now = await chainNow();
    if (t > now) await provider.send("evm_increaseTime", [t - now]);
    await provider.send("evm_mine", []);
  }
  return { chainNow, jumpTo };
}
