import { Transaction, type TransactionReceipt } from "ethers";
import { UnavailableError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import { GasCapExceeded, type OutboxEntry } from "../../chain/outbox.js";
import { TypedBatch } from "../../store/db.js";
import { itemKey, itemsOf } from "../../store/repos/jobs.js";
import { asRegistration } from "../claims/registration.js";
import { itemErrorOf } from "./intake.js";
import type { JobHeader, JobItem, JobOwner, JobsDeps } from "./types.js";

/** Queued items read from the store at a time. */
const PAGE = 2_000;
/** Times one chunk is sent again after its transaction reverted (someone registered one of its claims meanwhile). */
const RESENDS = 3;

interface InFlight {
  entry: OutboxEntry;
  items: JobItem[];
  resends: number;
}

/** Refused for its size: over the cap given to the outbox, or over what the node estimates or includes. */
const tooMuchGas = (e: unknown) =>
  e instanceof GasCapExceeded || /out of gas|gas required exceeds|exceeds block gas limit|gas limit reached|exceeds the (transaction )?gas cap/i.test(String((e as Error)?.message ?? ""));

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
  async function sentBefore(header: JobHeader): Promise<Map<string, TransactionReceipt>> {
    const mined = new Map<string, TransactionReceipt>();
    for (const entry of await chain.outbox.findByTag(`register-batch:${header.id}:`)) {
      if (entry.status === "reverted" || entry.status === "dropped") continue;
      try {
        const receipt = await chain.outbox.wait(entry);
        for (const ref of loanRefsOf(entry)) mined.set(ref, receipt);
      } catch (e) {
        if (!(e instanceof ChainRevertError)) throw e;
      }
    }
    return mined;
  }

  /**
   * Sends `items` (split while a bound is exceeded), each transaction added to `flights` as soon as it is
   * in the outbox — so a retry after a failure part-way sends only the rows not yet in flight.
   */
  async function send(header: JobHeader, owner: JobOwner, items: JobItem[], flights: InFlight[], resends = 0): Promise<void> {
    let rest = items.filter((it) => it.status === "queued" && !flights.some((f) => f.items.includes(it)));
    while (rest.length > 0) {
      const data = chain.registry.interface.encodeFunctionData("registerBatch", [rest.map((it) => asRegistration(it.registration!))]);
      if (rest.length > 1 && (data.length - 2) / 2 > limits.maxTxBytes) return halves(header, owner, rest, flights, resends);
      try {
        const entry = await chain.outbox.send(chain.wallet(owner.privateKey!), { to: await chain.registry.getAddress(), data }, tagOf(header.id, rest), { maxGas: BigInt(limits.maxTxGas) });
        flights.push({ entry, items: rest, resends });
        return;
      } catch (e) {
        if (rest.length > 1 && tooMuchGas(e)) return halves(header, owner, rest, flights, resends);
        if (!(e instanceof ChainRevertError && e.errorName === "ClaimAlreadyRegistered")) throw e;
        // Registered by someone else since it was accepted: that row fails alone, the rest is sent.
        const dup = String(e.args[0]).toLowerCase();
        const item = rest.find((it) => it.claimId?.toLowerCase() === dup);
        if (!item) throw e;
        await finish(header, [item], { status: "failed", error: { code: "CONFLICT", rule: "already-registered", field: `claims[${item.index}]`, message: `claims[${item.index}]: claim ${dup} is already registered` } });
        rest = rest.filter((it) => it !== item);
      }
    }
  }

  async function halves(header: JobHeader, owner: JobOwner, items: JobItem[], flights: InFlight[], resends: number): Promise<void> {
    const half = Math.ceil(items.length / 2);
    await send(header, owner, items.slice(0, half), flights, resends);
    await send(header, owner, items.slice(half), flights, resends);
  }

  /**
   * Waits for the oldest transaction in flight and writes its rows' outcome. A transaction reverted when
   * mined (a claim of it registered by someone else after the estimate) is sent again: the estimate then
   * names that claim. A failure for good fails that transaction's rows only.
   */
  async function settleOldest(header: JobHeader, owner: JobOwner, flights: InFlight[]): Promise<void> {
    const flight = flights[0]!;
    const mined = async () => {
      try {
        return await chain.outbox.wait(flight.entry);
      } catch (e) {
        // Its nonce went to another transaction: it never mines; its rows are sent again.
        if (flight.entry.status === "dropped") throw new ChainRevertError("TransactionDropped", [flight.entry.hash]);
        throw e;
      }
    };
    try {
      const receipt = await patiently(header, mined);
      if (!receipt) return; // stopping
      flights.shift();
      metrics.chainTransactions.inc({ kind: "register-batch", outcome: "mined" });
      await finish(header, flight.items, { status: "registered", txHash: flight.entry.hash, blockNumber: receipt.blockNumber });
    } catch (e) {
      flights.shift();
      if (e instanceof ChainRevertError && flight.resends < RESENDS) {
        metrics.chainTransactions.inc({ kind: "register-batch", outcome: "reverted" });
        await sendPatiently(header, owner, flight.items, flights, flight.resends + 1);
        return;
      }
      await failRows(header, flight.items, e);
    }
  }

  /** {@link send}, retried while the node is away; rows it cannot send for good fail. */
  async function sendPatiently(header: JobHeader, owner: JobOwner, items: JobItem[], flights: InFlight[], resends = 0): Promise<void> {
    try {
      await patiently(header, () => send(header, owner, items, flights, resends));
    } catch (e) {
      if (stopping) return;
      await failRows(header, items.filter((it) => !flights.some((f) => f.items.includes(it))), e);
    }
  }

  async function failRows(header: JobHeader, items: JobItem[], e: unknown): Promise<void> {
    if (stopping) return;
    metrics.chainTransactions.inc({ kind: "register-batch", outcome: "failed" });
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
    const flights: InFlight[] = [];
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
      for (let i = 0; i < fresh.length && !stopping; i += limits.claimsPerTx) {
        // Back-pressure: the next chunk is signed once fewer than inFlight transactions wait.
        while (flights.length >= limits.inFlight && !stopping) await settleOldest(header, owner, flights);
        if (!stopping) await sendPatiently(header, owner, fresh.slice(i, i + limits.claimsPerTx), flights);
      }
      if (stopping) return;
    }
    while (flights.length > 0 && !stopping) await settleOldest(header, owner!, flights);
    if (stopping) return;
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
