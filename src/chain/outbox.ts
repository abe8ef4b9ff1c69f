import { keccak256, type Interface, type JsonRpcProvider, type Wallet } from "ethers";
import { DURABLE, type Store, type SublevelOf } from "../store/db.js";
import type { OutboxEntry } from "../store/repos/outbox.js";
import { ChainRevertError, decodeChainError } from "./errors.js";
import { UnavailableError } from "../core/errors.js";
import { signEip1559Call } from "./tx-sign.js";
import { fetchReceipt, type MinedReceipt } from "./receipts.js";

export type { OutboxEntry, MinedReceipt };

export interface OutboxOptions {
  confirmations: number;
  /** How long to wait for a receipt before re-broadcasting. */
  rebroadcastAfterMs?: number;
  /** Total time to wait for a receipt before giving up (the entry stays "sent" for recovery). */
  waitTimeoutMs?: number;
  /**
   * A lock spanning every process that sends with the same keys (the store's {@link Store.exclusive}): the
   * API and `debtrail oracle` both sign with the service key, and each picks its nonce from the chain's
   * pending count, so one signer's sends must not interleave across processes.
   */
  lock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

/** Bounds a sender puts on one transaction: its calldata and its gas (`send` refuses over them). */
export interface TxLimits {
  /** Most calldata bytes (a node's pool refuses larger transactions; a JSON-RPC request grows with them). */
  maxBytes?: number;
  /** Most gas (checked against the estimate). */
  maxGas?: bigint;
}

/** A transaction over its sender's {@link TxLimits}: nothing was signed or stored; send less in it. */
export class TxTooLarge extends Error {
  constructor(readonly bound: "bytes" | "gas", readonly value: bigint, readonly max: bigint) {
    super(`the transaction needs ${value} ${bound === "gas" ? "gas" : "calldata bytes"}, over the cap of ${max}`);
  }
}

/**
 * Sends transactions exactly once across crashes: each is signed, then written (synced) to the
 * outbox, then broadcast. After a crash `recover()` re-broadcasts the same signed bytes — same hash,
 * same nonce — so an action is never lost and never repeated. Sends are serialized per signer and
 * nonces are managed here, not by ethers' NonceManager (which never rolls back).
 */
export class TxOutbox {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly nextNonce = new Map<string, number>();
  /**
   * Runs after a mined receipt, before {@link wait} returns it: the API waits there until its chain index
   * reached the receipt's block, so a read after a write of this process reflects the write.
   */
  afterMined: ((receipt: MinedReceipt) => Promise<void>) | null = null;

  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly entries: SublevelOf<OutboxEntry>,
    private readonly errors: Interface,
    private readonly options: OutboxOptions,
  ) {}

  /** Runs `fn` after every earlier send of `address` finished. */
  private serialize<T>(address: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(address) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.queues.set(address, next.catch(() => undefined));
    return next;
  }

  /**
   * Estimates (a revert surfaces here, decoded, before anything is stored), signs, stores and broadcasts.
   * @param tag what the transaction does, for recovery and audits (e.g. "register:<jobId>:<chunk>")
   * @param limits refuse (TxTooLarge, before signing) calldata over `maxBytes` or an estimate over `maxGas`
   */
  send(wallet: Wallet, tx: { to: string; data: string }, tag: string, limits: TxLimits = {}): Promise<OutboxEntry> {
    const bytes = (tx.data.length - 2) / 2;
    if (limits.maxBytes !== undefined && bytes > limits.maxBytes) return Promise.reject(new TxTooLarge("bytes", BigInt(bytes), BigInt(limits.maxBytes)));
    const from = wallet.address;
    const lock = this.options.lock ?? ((_name, fn) => fn());
    return this.serialize(from, () => lock(`signer:${from}`, async () => {
      let gas: bigint;
      let nonce: number;
      try {
        // The calldata as it is: ethers' estimateGas checks and re-encodes it byte by byte, twice (a 1,000-claim
        // registration is 450 kB of hex). A revert still rejects with CALL_EXCEPTION, mapped by ethers' send.
        gas = BigInt(await this.provider.send("eth_estimateGas", [{ from, to: tx.to, data: tx.data }]));
        const pending = await this.provider.getTransactionCount(from, "pending");
        nonce = Math.max(pending, this.nextNonce.get(from) ?? 0);
      } catch (e) {
        throw decodeChainError(e, this.errors);
      }
      if (limits.maxGas !== undefined && gas > limits.maxGas) throw new TxTooLarge("gas", gas, limits.maxGas);
      const gasLimit = (gas * 12n) / 10n + 10_000n;
      const { raw, hash } = await this.sign(wallet, { to: tx.to, data: tx.data, nonce, gasLimit });
      const entry: OutboxEntry = {
        hash,
        tag,
        from,
        to: tx.to,
        nonce,
        raw,
        status: "sent",
        createdAt: new Date().toISOString(),
      };
      await this.entries.put(entry.hash, entry, DURABLE);
      this.nextNonce.set(from, nonce + 1);
      await this.broadcast(entry);
      return entry;
    }));
  }

  /**
   * Signs a call: as an EIP-1559 transaction with the node's fee data, natively encoded (./tx-sign.ts); on a
   * network without EIP-1559 fees, as ethers populates and signs it (a legacy transaction).
   */
  private async sign(wallet: Wallet, tx: { to: string; data: string; nonce: number; gasLimit: bigint }): Promise<{ raw: string; hash: string }> {
    const fee = await this.provider.getFeeData();
    if (fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null) {
      const { chainId } = await this.provider.getNetwork();
      return signEip1559Call({ ...tx, chainId, maxFeePerGas: fee.maxFeePerGas, maxPriorityFeePerGas: fee.maxPriorityFeePerGas }, wallet.signingKey);
    }
    const raw = await wallet.signTransaction(await wallet.connect(this.provider).populateTransaction(tx));
    return { raw, hash: keccak256(raw) };
  }

  private async broadcast(entry: OutboxEntry): Promise<void> {
    try {
      // The raw bytes as they are (ethers' broadcastTransaction parses and re-encodes them first).
      await this.provider.send("eth_sendRawTransaction", [entry.raw]);
    } catch (e) {
      const message = String((e as Error).message ?? e);
      // Already in the pool or mined: the same signed bytes, nothing to do.
      if (/already known|already imported|known transaction|nonce too low|NONCE_EXPIRED/i.test(message)) return;
      // Unreachable node: the entry stays "sent"; waiting re-broadcasts, recovery too.
      if (decodeChainError(e, this.errors) instanceof UnavailableError) return;
      throw decodeChainError(e, this.errors);
    }
  }

  /**
   * Waits for the receipt and the configured confirmations; re-broadcasts while waiting. With `indexed`
   * false it does not wait for {@link afterMined} (a background job that no read waits on).
   * @throws ChainRevertError when the transaction reverted, UnavailableError when no receipt came in time
   */
  async wait(entry: OutboxEntry, options: { indexed?: boolean } = {}): Promise<MinedReceipt> {
    const rebroadcastAfter = this.options.rebroadcastAfterMs ?? 15_000;
    const deadline = Date.now() + (this.options.waitTimeoutMs ?? 300_000);
    let lastBroadcast = Date.now();
    let pause = 20;
    while (Date.now() < deadline) {
      let receipt: MinedReceipt | null = null;
      try {
        receipt = await fetchReceipt(this.provider, entry.hash);
        if (receipt && this.options.confirmations > 1) {
          const head = await this.provider.getBlockNumber();
          if (head - receipt.blockNumber + 1 < this.options.confirmations) receipt = null;
        }
      } catch (e) {
        const decoded = decodeChainError(e, this.errors);
        if (!(decoded instanceof UnavailableError)) throw decoded;
      }
      if (receipt) {
        entry.status = receipt.status === 1 ? "mined" : "reverted";
        entry.blockNumber = receipt.blockNumber;
        entry.gasUsed = receipt.gasUsed.toString();
        await this.entries.put(entry.hash, entry, DURABLE);
        if (receipt.status !== 1) throw new ChainRevertError("TransactionReverted", [entry.hash]);
        if (options.indexed !== false) await this.afterMined?.(receipt);
        return receipt;
      }
      if (Date.now() - lastBroadcast > rebroadcastAfter) {
        if (await this.isDropped(entry)) {
          entry.status = "dropped";
          await this.entries.put(entry.hash, entry, DURABLE);
          throw new UnavailableError(`transaction ${entry.hash} was dropped (its nonce was used by another transaction)`);
        }
        await this.broadcast(entry).catch(() => undefined);
        lastBroadcast = Date.now();
      }
      // Poll fast first (automining nodes answer at once), then back off to block-time scale.
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 1000);
    }
    throw new UnavailableError(`no receipt for ${entry.hash} yet; it stays queued and will be re-sent`, { txHash: entry.hash });
  }

  /** A transaction is dropped when no receipt exists but its nonce is already used on chain. */
  private async isDropped(entry: OutboxEntry): Promise<boolean> {
    try {
      const [receipt, latestCount] = await Promise.all([
        fetchReceipt(this.provider, entry.hash),
        this.provider.getTransactionCount(entry.from, "latest"),
      ]);
      return !receipt && latestCount > entry.nonce;
    } catch {
      return false;
    }
  }

  /** Entries still "sent" (after a crash): re-broadcast them. Returns them for callers to re-wait. */
  async recover(): Promise<OutboxEntry[]> {
    const open: OutboxEntry[] = [];
    for await (const entry of this.entries.values()) {
      if (entry.status !== "sent") continue;
      const receipt = await fetchReceipt(this.provider, entry.hash).catch(() => null);
      if (receipt) {
        entry.status = receipt.status === 1 ? "mined" : "reverted";
        entry.blockNumber = receipt.blockNumber;
        entry.gasUsed = receipt.gasUsed.toString();
        await this.entries.put(entry.hash, entry, DURABLE);
        continue;
      }
      if (await this.isDropped(entry)) {
        entry.status = "dropped";
        await this.entries.put(entry.hash, entry, DURABLE);
        continue;
      }
      await this.broadcast(entry).catch(() => undefined);
      open.push(entry);
    }
    return open;
  }

  /** Entries whose tag starts with `prefix` (a scan: for recovery at start, not for hot paths). */
  async findByTag(prefix: string): Promise<OutboxEntry[]> {
    const found: OutboxEntry[] = [];
    for await (const entry of this.entries.values()) if (entry.tag.startsWith(prefix)) found.push(entry);
    return found;
  }

  /**
   * Forgets the locally tracked next nonce of `address`: after a reorg dropped transactions, the
   * chain's count is the truth again (otherwise the next send would leave a nonce gap).
   */
  resetNonce(address: string): void {
    this.nextNonce.delete(address);
  }

  /** Looks an entry up by transaction hash. */
  get(hash: string): Promise<OutboxEntry | undefined> {
    return this.entries.get(hash);
  }
}
