import { Transaction } from "ethers";
import type { MinedReceipt } from "../../chain/receipts.js";
import { UnavailableError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import { TxTooLarge, type OutboxEntry } from "../../chain/outbox.js";
import { claimRegistryWrites } from "../../chain/contracts/ClaimRegistry.js";
import { waitTx } from "../../chain/contracts/tx.js";
import { TypedBatch } from "../../store/db.js";
import { itemKey, itemsOf } from "../../store/repos/jobs.js";
import { asRegistration } from "../claims/registration.js";
import { itemErrorOf } from "./intake.js";
import type { JobHeader, JobItem, JobOwner, JobsDeps } from "./types.js";

/** Queued items read from the store at a time. */
const PAGE = 2_000;
/** Times one chunk is sent again after its transaction reverted (someone registered one of its claims meanwhile). */
const RESENDS = 3;

/** Rows to send in one transaction (split further if over a bound); `resends`: times already reverted. */
interface Piece {
  items: JobItem[];
  resends: number;
}

interface InFlight extends Piece {
  entry: OutboxEntry;
}

/** One job's registration in progress: pieces waiting, transactions in flight (oldest first). */
interface Lane {
  header: JobHeader;
  owner: JobOwner;
  flights: InFlight[];
  pieces: Piece[];
  /** The latest block a transaction of this run was mined in. */
  last?: MinedReceipt;
}

/** Refused for its size: over the cap given to the outbox, or over what the node estimates or includes. */
const tooLarge = (e: unknown) =>
  e instanceof TxTooLarge || /out of gas|gas required exceeds|exceeds block gas limit|gas limit reached|exceeds the (transaction )?gas cap/i.test(String((e as Error)?.message ?? ""));

/** The kind the transactions counter files an import's transactions under. */
const KIND = "register-batch";

const tagOf = (jobId: string, items: JobItem[]) => `register-batch:${jobId}:${items[0]!.index}-${items[items.length - 1]!.index}`;

/**
 * Registers the queued rows of imports on chain, one job after the other, and resumes after a restart
 * without registering anything twice.
 *
 * **Chunks.** A transaction carries at most `claimsPerTx` claims, never more calldata than `maxTxBytes`
 * and never more gas than `maxTxGas` (the outbox refuses to sign over it): a chunk over a bound is split
 * in halves, so no JSON-RPC request and no transaction is bigger than a node accepts.
 *
 * **Back-pressure.** At most `inFlight` of a job's transactions are sent and not yet mined; the next chunk
 * is signed only when the oldest is mined (the outbox's wait), so a slow chain slows the import instead
 * of filling the node's pool, and memory holds one page of rows whatever the import's size.
 *
 * **Exactly once.** Each transaction is written to the outbox before it is broadcast, tagged with the job
 * and its rows. A restarted runner first settles the job's tagged transactions (their calldata names the
 * claims; mined → those rows are registered), then sends what is still queued. A claim someone else
 * registered meanwhile fails alone (ClaimAlreadyRegistered at estimation), the rest of its chunk goes on.
 */
export function createRunner(deps: JobsDeps) {
  const { repos, chain, log, metrics, settings } = deps;
  const limits = settings.imports;
  const registry = claimRegistryWrites(deps);
  const txLimits = { maxBytes: limits.maxTxBytes, maxGas: BigInt(limits.maxTxGas) };
  let running: Promise<void> | null = null;
  let stopping = false;

  const isoNow = () => new Date(deps.clock.now()).toISOString();

  /** Writes the rows' outcome: items, the records this job wrote, and the header's counts, in one batch. */
  async function finish(header: JobHeader, done: JobItem[], patch: Partial<JobItem>): Promise<void> {
    if (done.length === 0) return;
    const batch = new TypedBatch();
    const ids = done.map((it) => it.claimId ?? "");
    const records = await repos.claims.getMany(ids.filter(Boolean));
    const byId = new Map(ids.filter(Boolean).map((id, j) => [id, records[j]]));
    for (const item of done) {
      Object.assign(item, patch);
      delete item.registration;
      if (item.status === "registered") header.registered++;
      else header.failed++;
      batch.put(repos.items, itemKey(header.id, item.index), item);
      const record = item.claimId ? byId.get(item.claimId) : undefined;
      // Only a record this job wrote: another's record of the same claim is never touched.
      if (record && record.jobId === header.id) {
        record.status = item.status === "registered" ? "registered" : "failed";
        record.txHash = item.txHash;
        record.blockNumber = item.blockNumber;
        record.error = item.error?.message;
        batch.put(repos.claims, item.claimId!, record);
      }
    }
    header.updatedAt = isoNow();
    batch.put(repos.headers, header.id, header);
    await batch.write(repos.store);
  }

  /** The loan references a registerBatch transaction carries (from its signed bytes). */
  function loanRefsOf(entry: OutboxEntry): Set<string> {
    const data = Transaction.from(entry.raw).data;
    const [registrations] = chain.registry.interface.decodeFunctionData("registerBatch", data) as unknown as [Array<{ originatorCode: string; loanRef: string }>];
    return new Set(registrations.map((r) => r.loanRef.toLowerCase()));
  }

  /**
   * What an earlier run of this job already sent (its tagged outbox entries): each mined one's rows are
   * registered; a reverted or dropped one's rows are sent again. Keyed by loan reference.
   */
  async function sentBefore(header: JobHeader): Promise<Map<string, MinedReceipt>> {
    const mined = new Map<string, MinedReceipt>();
    for (const entry of await chain.outbox.findByTag(`register-batch:${header.id}:`)) {
      if (entry.status === "reverted" || entry.status === "dropped") continue;
      try {
        const receipt = await waitTx(deps, KIND, entry, { indexed: false });
        for (const ref of loanRefsOf(entry)) mined.set(ref, receipt);
      } catch (e) {
        if (!(e instanceof ChainRevertError)) throw e;
      }
    }
    return mined;
  }

  const halves = (p: Piece): Piece[] => {
    const half = Math.ceil(p.items.length / 2);
    return [{ items: p.items.slice(0, half), resends: p.resends }, { items: p.items.slice(half), resends: p.resends }];
  };

  /**
   * Sends the lane's next piece as one transaction within the bounds — or, over a bound, puts its two halves
   * back in its place. A row whose claim someone else registered since it was accepted fails alone
   * (ClaimAlreadyRegistered at estimation) and the rest goes on. The piece leaves the queue only once sent.
   */
  async function sendNext(lane: Lane): Promise<void> {
    const piece = lane.pieces[0]!;
    piece.items = piece.items.filter((it) => it.status === "queued");
    while (piece.items.length > 0) {
      try {
        const sent = await registry.registerBatch(chain.wallet(lane.owner.privateKey!), piece.items.map((it) => asRegistration(it.registration!)), tagOf(lane.header.id, piece.items), txLimits);
        lane.pieces.shift();
        lane.flights.push({ entry: sent.entry, items: piece.items, resends: piece.resends });
        return;
      } catch (e) {
        if (piece.items.length > 1 && tooLarge(e)) {
          lane.pieces.splice(0, 1, ...halves(piece));
          return;
        }
        if (!(e instanceof ChainRevertError && e.errorName === "ClaimAlreadyRegistered")) throw e;
        const dup = String(e.args[0]).toLowerCase();
        const item = piece.items.find((it) => it.claimId?.toLowerCase() === dup);
        if (!item) throw e;
        await finish(lane.header, [item], { status: "failed", error: { code: "CONFLICT", rule: "already-registered", field: `claims[${item.index}]`, message: `claims[${item.index}]: claim ${dup} is already registered` } });
        piece.items = piece.items.filter((it) => it !== item);
      }
    }
    lane.pieces.shift();
  }

  /** {@link sendNext}, retried while the node is away; a piece that cannot be sent for good fails its rows. */
  async function sendPatiently(lane: Lane): Promise<void> {
    try {
      await patiently(lane.header, () => sendNext(lane));
    } catch (e) {
      const piece = lane.pieces.shift();
      if (piece) await failRows(lane.header, piece.items, e);
    }
  }

  /**
   * Waits for the lane's oldest transaction in flight and writes its rows' outcome. One reverted when mined
   * (a claim of it registered by someone else after the estimate) or dropped goes back to the front of the
   * queue: its estimate then names that claim. A failure for good fails that transaction's rows only.
   */
  async function settleOldest(lane: Lane): Promise<void> {
    const flight = lane.flights[0]!;
    const mined = async () => {
      try {
        // No read waits on an import's rows: registration goes on while the index follows at its own pace.
        return await waitTx(deps, KIND, flight.entry, { indexed: false });
      } catch (e) {
        // Its nonce went to another transaction: it never mines; its rows are sent again.
        if (flight.entry.status === "dropped") throw new ChainRevertError("TransactionDropped", [flight.entry.hash]);
        throw e;
      }
    };
    try {
      const receipt = await patiently(lane.header, mined);
      if (!receipt) return; // stopping
      lane.flights.shift();
      if (!lane.last || receipt.blockNumber >= lane.last.blockNumber) lane.last = receipt;
      await finish(lane.header, flight.items, { status: "registered", txHash: flight.entry.hash, blockNumber: receipt.blockNumber });
    } catch (e) {
      lane.flights.shift();
      if (e instanceof ChainRevertError && flight.resends < RESENDS) {
        lane.pieces.unshift({ items: flight.items, resends: flight.resends + 1 });
        return;
      }
      await failRows(lane.header, flight.items, e);
    }
  }

  /**
   * Sends the lane's pieces, never more than `inFlight` transactions unmined (back-pressure: the next piece
   * waits for the oldest); with `drain`, also waits until nothing is in flight.
   */
  async function pump(lane: Lane, drain: boolean): Promise<void> {
    while (!stopping) {
      if (lane.pieces.length > 0 && lane.flights.length < limits.inFlight) await sendPatiently(lane);
      else if (lane.flights.length > 0 && (lane.pieces.length > 0 || drain)) await settleOldest(lane);
      else return;
    }
  }

  async function failRows(header: JobHeader, items: JobItem[], e: unknown): Promise<void> {
    if (stopping) return;
    log.error({ err: e, job: header.id }, "registration of a chunk failed");
    await finish(header, items.filter((it) => it.status === "queued"), { status: "failed", error: itemErrorOf(e) });
  }

  /** Retries `fn` while the chain node is unavailable (backing off up to 30 s), unless stopping. */
  async function patiently<T>(header: JobHeader, fn: () => Promise<T>): Promise<T | undefined> {
    for (let backoff = 500; ; backoff = Math.min(backoff * 2, 30_000)) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof UnavailableError) || stopping) throw e;
        log.warn({ err: e, job: header.id }, "chain unavailable; retrying");
        await new Promise((r) => setTimeout(r, backoff));
        if (stopping) return undefined;
      }
    }
  }

  async function runJob(header: JobHeader): Promise<void> {
    const owner = settings.owners.get(header.owner.keyId);
    header.status = "running";
    await new TypedBatch().put(repos.headers, header.id, header).write(repos.store);
    const mined = owner?.privateKey ? await patiently(header, () => sentBefore(header)) : undefined;
    if (stopping) return;
    const lane: Lane = { header, owner: owner!, flights: [], pieces: [] };
    let after: number | undefined;
    for (;;) {
      const page: JobItem[] = [];
      for await (const it of repos.items.values({ ...itemsOf(header.id, after), limit: PAGE })) page.push(it);
      if (page.length === 0) break;
      after = page[page.length - 1]!.index;
      const queued = page.filter((it) => it.status === "queued");
      if (!owner?.privateKey) {
        // The key that created the job is no longer configured: nothing can sign for it.
        await finish(header, queued, { status: "failed", error: { code: "FORBIDDEN", message: "the API key that created this job is no longer configured" } });
        continue;
      }
      const fresh: JobItem[] = [];
      for (const it of queued) {
        const receipt = mined?.get(it.registration!.loanRef.toLowerCase());
        if (receipt) await finish(header, [it], { status: "registered", txHash: receipt.hash, blockNumber: receipt.blockNumber });
        else fresh.push(it);
      }
      for (let i = 0; i < fresh.length; i += limits.claimsPerTx) lane.pieces.push({ items: fresh.slice(i, i + limits.claimsPerTx), resends: 0 });
      await pump(lane, false);
      if (stopping) return;
    }
    await pump(lane, true);
    if (stopping) return;
    // Once, at the end (issue 18): "done" means this node's reads show the job's claims, as after any write here
    // (bounded as every write's wait; none while the index is far behind).
    if (lane.last) await chain.outbox.afterMined?.(lane.last);
    header.status = "done";
    header.updatedAt = isoNow();
    await new TypedBatch().put(repos.headers, header.id, header).write(repos.store);
    metrics.jobsQueued.dec();
  }

  async function runAll(): Promise<void> {
    for (;;) {
      let next: JobHeader | undefined;
      for await (const h of repos.headers.values()) {
        if (h.status === "queued" || h.status === "running") {
          next = h;
          break;
        }
      }
      if (!next || stopping) return;
      await runJob(next);
    }
  }

  return {
    /** Starts the runner if idle. */
    kick(): void {
      if (running || stopping) return;
      running = runAll()
        .catch((e) => log.error({ err: e }, "job runner stopped"))
        .finally(() => {
          running = null;
        });
    },
    async stop(): Promise<void> {
      stopping = true;
      await running;
    },
  };
}
