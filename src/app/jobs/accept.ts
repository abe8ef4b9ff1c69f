import { randomUUID } from "node:crypto";
import { DebtrailError } from "../../core/errors.js";
import { TypedBatch } from "../../store/db.js";
import { itemKey, itemsOf } from "../../store/repos/jobs.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import { rangeReader, type IntakeInput, type PreparedImport } from "./intake.js";
import { MAX_IMPORT, type ItemError, type JobHeader, type JobItem, type JobOwner, type JobsDeps } from "./types.js";

/** Item errors listed in the refusal of a batch in which no claim is valid. */
const REFUSALS_LISTED = 100;
/** Rows written per LevelDB batch while an import is accepted (each batch synced; the event loop runs between). */
const ROWS_PER_WRITE = 2_000;
/** Claim ids looked up per read of the records and the chain index. */
const LOOKUP = 5_000;

/** A row of the import that is already registered, or being registered by another import. */
function conflictOf(index: number, claimId: string, record: ClaimRecord | undefined, onChain: boolean): ItemError | null {
  const field = `claims[${index}]`;
  if (onChain || record?.status === "registered") {
    return { code: "CONFLICT", rule: "already-registered", field, message: `${field}: claim ${claimId} is already registered; its record is left as it is` };
  }
  if (record?.status === "pending") {
    const by = record.jobId ? `import ${record.jobId}` : "a registration in progress";
    return { code: "CONFLICT", rule: "registration-in-progress", field, message: `${field}: claim ${claimId} is being registered by ${by}` };
  }
  return null;
}

function refusal(first: ItemError, refused: number, errors: Array<{ index: number } & ItemError>): DebtrailError {
  return new DebtrailError(first.code, `no claim of this batch can be registered; ${first.message}`, { field: first.field, rule: first.rule, refused, errors });
}

/**
 * Accepting an import: the worker prepares the rows (intake.ts), then — under the intake lock, which every
 * process of this store shares — rows whose claim is already registered (its record says so, or the chain
 * index has it) or is being registered by another import are refused by name and their records left
 * untouched; the rest are written: the job's header (`accepting`), its items and records in synced batches
 * of {@link ROWS_PER_WRITE} rows, then the header `queued`. Only then does the caller answer 202. A crash
 * before that leaves an `accepting` job that {@link rollBackUnaccepted} removes at the next start.
 */
export async function acceptImport(deps: JobsDeps, owner: JobOwner, body: Uint8Array): Promise<JobHeader> {
  const { repos, clock, workers, settings } = deps;
  const id = randomUUID();
  const started = performance.now();
  const now = new Date(clock.now()).toISOString();
  const input: IntakeInput = {
    body: owned(body), jobId: id, createdAt: now, registrant: { address: owner.address, originatorCode: owner.originatorCode },
    loanRefSecret: settings.loanRefSecret, piiSecret: settings.piiSecret, rules: await settings.rules(), maxItems: MAX_IMPORT,
  };
  // Shared memory (the route's body, src/api/whole-body.ts) is read by the worker in place; a buffer is moved.
  const transfer = input.body.buffer instanceof SharedArrayBuffer ? [] : [input.body.buffer as ArrayBuffer];
  const prepared = await workers.run<PreparedImport>("prepareImport", input, transfer);
  try {
    return await checkAndWrite(deps, owner, prepared, { id, now, started, preparedMs: performance.now() - started });
  } finally {
    prepared.json.close(); // the worker lets the rows' JSON go
  }
}

async function checkAndWrite(deps: JobsDeps, owner: JobOwner, prepared: PreparedImport, at: { id: string; now: string; started: number; preparedMs: number }): Promise<JobHeader> {
  const { repos } = deps;
  const { id, now, started, preparedMs } = at;
  const listed = () => prepared.failures.slice(0, REFUSALS_LISTED).map((f) => ({ index: f.index, ...f.error }));
  if (prepared.valid.length === 0) throw refusal(prepared.failures[0]!.error, prepared.failures.length, listed());

  return repos.store.exclusive("claims-intake", async () => {
    const failures = new Map(prepared.failures.map((f) => [f.index, f.error]));
    const write: number[] = []; // positions in `valid` of the rows to write
    for (let k = 0; k < prepared.valid.length; k += LOOKUP) {
      const part = Array.from(prepared.valid.subarray(k, k + LOOKUP));
      const ids = part.map((i) => prepared.claimIds[i]!);
      const [records, chain] = await Promise.all([repos.claims.getMany(ids), repos.chainClaims.getMany(ids)]);
      part.forEach((index, j) => {
        const conflict = conflictOf(index, ids[j]!, records[j], chain[j] !== undefined);
        if (conflict) failures.set(index, conflict);
        else write.push(k + j);
      });
    }
    if (write.length === 0) {
      const all = [...failures].sort((a, b) => a[0] - b[0]).map(([index, e]) => ({ index, ...e }));
      throw refusal(all[0]!, all.length, all.slice(0, REFUSALS_LISTED));
    }
    const header: JobHeader = {
      id, kind: "register-claims", status: "accepting", total: prepared.total, registered: 0, failed: failures.size,
      createdAt: now, updatedAt: now, owner: { keyId: owner.keyId, address: owner.address, name: owner.name },
    };
    await new TypedBatch().put(repos.headers, id, header).write(repos.store);
    const { spans, valid, claimIds } = prepared;
    let batch = new TypedBatch();
    let rows = 0;
    const flush = async () => {
      if (batch.length > 0) await batch.write(repos.store);
      batch = new TypedBatch();
      rows = 0;
    };
    // The JSON of each ROWS_PER_WRITE rows (and of refused rows between them) from the worker, in one range.
    const ranges: Array<readonly [number, number]> = [];
    for (let w = 0; w < write.length; w += ROWS_PER_WRITE) {
      ranges.push([spans[3 * write[w]!]!, spans[3 * write[Math.min(w + ROWS_PER_WRITE, write.length) - 1]! + 2]!]);
    }
    const read = rangeReader(prepared.json, Math.max(...ranges.map(([from, to]) => to - from)));
    for (let r = 0; r < ranges.length; r++) {
      const part = write.slice(r * ROWS_PER_WRITE, (r + 1) * ROWS_PER_WRITE);
      const [base, end] = ranges[r]!;
      const json = await read(base, end); // a view of the shared buffer: written (flushed) before the next read
      for (const k of part) {
        const index = valid[k]!;
        batch.putJson(repos.claims, claimIds[index]!, json.subarray(spans[3 * k]! - base, spans[3 * k + 1]! - base));
        batch.putJson(repos.items, itemKey(id, index), json.subarray(spans[3 * k + 1]! - base, spans[3 * k + 2]! - base));
      }
      await flush();
    }
    for (const [index, error] of failures) {
      const item: JobItem = { index, status: "failed", error, ...(claimIds[index] ? { claimId: claimIds[index] } : {}) };
      batch.put(repos.items, itemKey(id, index), item);
      if (++rows >= ROWS_PER_WRITE) await flush();
    }
    await flush();
    header.status = "queued";
    await new TypedBatch().put(repos.headers, id, header).write(repos.store);
    deps.log.info({ job: id, rows: prepared.total, refused: failures.size, ms: { prepare: Math.round(preparedMs), checkAndWrite: Math.round(performance.now() - started - preparedMs) } }, "import accepted");
    return header;
  });
}

/**
 * `body` as the worker gets it: in shared memory as it is (the worker reads it in place), else in an
 * ArrayBuffer of its own (so it can be moved to the worker without touching the caller's).
 */
function owned(body: Uint8Array): Uint8Array {
  if (body.buffer instanceof SharedArrayBuffer) return body;
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer ? body : new Uint8Array(body);
}

/**
 * Removes what an import that never reached `queued` wrote (the process died while accepting it; its client
 * got no 202): its items, and the records it wrote — those still pending under its id — then its header.
 */
export async function rollBackUnaccepted(deps: JobsDeps): Promise<number> {
  const { repos } = deps;
  const dead: JobHeader[] = [];
  for await (const h of repos.headers.values()) if (h.status === "accepting") dead.push(h);
  for (const h of dead) {
    let batch = new TypedBatch();
    let page: JobItem[] = [];
    const drop = async () => {
      const ids = page.filter((it) => it.status === "queued" && it.claimId).map((it) => it.claimId!);
      const records = await repos.claims.getMany(ids);
      records.forEach((r, j) => {
        if (r?.jobId === h.id && r.status === "pending") batch.del(repos.claims, ids[j]!);
      });
      for (const it of page) batch.del(repos.items, itemKey(h.id, it.index));
      await batch.write(repos.store);
      batch = new TypedBatch();
      page = [];
    };
    for await (const it of repos.items.values(itemsOf(h.id))) {
      page.push(it);
      if (page.length >= ROWS_PER_WRITE) await drop();
    }
    await drop();
    await new TypedBatch().del(repos.headers, h.id).write(repos.store);
    deps.log.warn({ job: h.id }, "an import not fully accepted before a restart was rolled back");
  }
  return dead.length;
}
