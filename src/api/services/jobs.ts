import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { normalizeClaim, type ClaimRequest, type NormalizedClaim } from "../../core/claim-input.js";
import { DebtrailError, ForbiddenError, NotFoundError, UnavailableError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import { writeBatch, type BatchOp, type SublevelOf } from "../../store/db.js";
import { callersFromConfig, type Caller } from "../plugins/auth.js";
import { Compile } from "typebox/compile";
import { ClaimRequestSchema } from "../schemas.js";
import { ValidationError } from "../../core/errors.js";

const claimShape = Compile(ClaimRequestSchema);

/** Checks one batch item's shape like the single route does, naming the field in batch terms. */
function checkShape(item: unknown, index: number): asserts item is ClaimRequest {
  if (claimShape.Check(item)) return;
  const [first] = claimShape.Errors(item);
  const params = first?.params as { requiredProperties?: string[]; additionalProperties?: string[] } | undefined;
  const path = (first?.instancePath ?? "").split("/").filter(Boolean);
  const extra = params?.additionalProperties?.[0];
  const missing = params?.requiredProperties?.[0];
  const field = [`claims[${index}]`, ...path, missing ?? extra].filter(Boolean).join(".");
  throw new ValidationError(field, extra ? "is not an allowed property" : first?.message ?? "is invalid");
}
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { Claims as ClaimsService } from "../../app/claims/register.js";

export interface JobHeader {
  id: string;
  kind: "register-claims";
  status: "queued" | "running" | "done";
  total: number;
  registered: number;
  failed: number;
  createdAt: string;
  updatedAt: string;
  owner: { keyId: string; address?: string; name: string };
}

export interface JobItem {
  index: number;
  claimId?: string;
  status: "queued" | "registered" | "failed";
  error?: { code: string; message: string; field?: string; rule?: string };
  txHash?: string;
  blockNumber?: number;
}

/** Item errors listed in the refusal of a batch in which no claim is valid. */
const REFUSALS_LISTED = 100;

/** Claims per registerBatch transaction: well inside the 16.7M gas cap of one transaction. */
export const DEFAULT_CHUNK = 100; // ~110k gas each: ~11M of the 16.7M per-transaction cap

const itemKey = (jobId: string, index: number) => `${jobId}:${String(index).padStart(7, "0")}`;

function errorOf(e: unknown): JobItem["error"] {
  if (e instanceof DebtrailError) {
    const d = e.details as { field?: string; rule?: string };
    return { code: e.code, message: e.message, field: d.field, rule: d.rule };
  }
  return { code: "INTERNAL", message: String((e as Error).message ?? e).slice(0, 300) };
}

/**
 * Bulk registration as durable jobs. Accepting a job writes the job, its items and the claims'
 * off-chain records in one synced batch before the 202; a runner registers them in chunks through
 * the outbox, and resumes after a restart without registering anything twice (the chain and the
 * outbox's tags tell what an earlier run already did).
 */
export function createJobsService(fastify: FastifyInstance, claimsService: ClaimsService, chunkSize = DEFAULT_CHUNK) {
  const { chain, store, config } = fastify;
  const headers = store.sub<JobHeader>("jobs");
  const items = store.sub<JobItem>("job-items");
  const callers = new Map(callersFromConfig(fastify.config.apiKeys).map((c) => [c.caller.keyId, c.caller]));
  let running: Promise<void> | null = null;
  let stopping = false;

  async function createRegisterJob(caller: Caller, requests: unknown[]): Promise<JobHeader> {
    const id = randomUUID();
    const now = new Date().toISOString();
    const ops: BatchOp[] = [];
    const seen = new Set<string>();
    let failed = 0;
    const refused: Array<{ index: number } & NonNullable<JobItem["error"]>> = [];
    const rules = await claimsService.claimRules();
    requests.forEach((req, index) => {
      const item: JobItem = { index, status: "queued" };
      try {
        checkShape(req, index);
        const n: NormalizedClaim = normalizeClaim(req, config.loanRefSecret, `claims[${index}]`, rules);
        claimsService.requireOriginator(caller, n.originatorCode, `claims[${index}].originatorCode`);
        item.claimId = n.claimId;
        if (seen.has(n.claimId)) throw new DebtrailError("CONFLICT", `claims[${index}] repeats a loan of this request`, { rule: "duplicate-in-request" });
        seen.add(n.claimId);
        const record: ClaimRecord = claimsService.recordOf(caller, req, n, claimsService.collateralHashOf(req.collateral), id);
        ops.push({ type: "put", sublevel: claimsService.claims as SublevelOf<unknown>, key: n.claimId, value: record });
      } catch (e) {
        item.status = "failed";
        item.error = errorOf(e);
        failed++;
      }
      ops.push({ type: "put", sublevel: items as SublevelOf<unknown>, key: itemKey(id, index), value: item });
      if (item.error && refused.length < REFUSALS_LISTED) refused.push({ index, ...item.error });
    });
    if (failed === requests.length) {
      // Not one claim to register: the request itself is refused (400, or 403 for another bank's code) and no job is written.
      const first = refused[0]!;
      throw new DebtrailError(first.code, `no claim of this batch can be registered; ${first.message}`, {
        field: first.field, rule: first.rule, refused: failed, errors: refused,
      });
    }
    const header: JobHeader = {
      id,
      kind: "register-claims",
      status: "queued",
      total: requests.length,
      registered: 0,
      failed,
      createdAt: now,
      updatedAt: now,
      owner: { keyId: caller.keyId, address: caller.address, name: caller.name },
    };
    ops.push({ type: "put", sublevel: headers as SublevelOf<unknown>, key: id, value: header });
    await writeBatch(store, ops);
    fastify.metrics.jobsQueued.inc();
    kick();
    return header;
  }

  async function get(caller: Caller, id: string) {
    const header = await headers.get(id);
    if (!header) throw new NotFoundError("job", id);
    if (caller.role !== "admin" && caller.keyId !== header.owner.keyId) throw new ForbiddenError("only the job's creator or an admin may read it");
    const results: JobItem[] = [];
    for await (const item of items.values({ gte: `${id}:`, lt: `${id};` })) results.push(item);
    const finished = header.registered + header.failed;
    return { ...header, done: finished, progress: header.total === 0 ? 1 : finished / header.total, results };
  }

  /** Starts the runner if idle. */
  function kick(): void {
    if (running || stopping) return;
    running = runAll()
      .catch((e) => fastify.log.error({ err: e }, "job runner stopped"))
      .finally(() => {
        running = null;
      });
  }

  async function runAll(): Promise<void> {
    for (;;) {
      let next: JobHeader | undefined;
      for await (const h of headers.values()) {
        if (h.status !== "done") {
          next = h;
          break;
        }
      }
      if (!next || stopping) return;
      await runJob(next);
    }
  }

  async function runJob(header: JobHeader): Promise<void> {
    const caller = callers.get(header.owner.keyId);
    const pending: JobItem[] = [];
    for await (const item of items.values({ gte: `${header.id}:`, lt: `${header.id};` })) if (item.status === "queued") pending.push(item);
    if (!caller?.privateKey) {
      // The key that created the job is no longer configured: nothing can sign for it.
      for (const item of pending) await finish(header, [item], { status: "failed", error: { code: "FORBIDDEN", message: "the API key that created this job is no longer configured" } });
    }
    header.status = "running";
    await headers.put(header.id, header, { sync: true });
    for (let i = 0; caller?.privateKey && i < pending.length && !stopping; i += chunkSize) {
      await runChunk(header, caller, pending.slice(i, i + chunkSize));
    }
    if (stopping) return;
    header.status = "done";
    header.updatedAt = new Date().toISOString();
    await headers.put(header.id, header, { sync: true });
    fastify.metrics.jobsQueued.dec();
  }

  async function finish(header: JobHeader, done: JobItem[], patch: Partial<JobItem>): Promise<void> {
    const ops: BatchOp[] = [];
    for (const item of done) {
      Object.assign(item, patch);
      if (item.status === "registered") header.registered++;
      else header.failed++;
      ops.push({ type: "put", sublevel: items as SublevelOf<unknown>, key: itemKey(header.id, item.index), value: item });
      if (item.claimId) {
        const record = await claimsService.claims.get(item.claimId);
        if (record && record.jobId === header.id) {
          record.status = item.status === "registered" ? "registered" : "failed";
          record.txHash = item.txHash;
          record.blockNumber = item.blockNumber;
          record.error = item.error?.message;
          ops.push({ type: "put", sublevel: claimsService.claims as SublevelOf<unknown>, key: item.claimId, value: record });
        }
      }
    }
    header.updatedAt = new Date().toISOString();
    ops.push({ type: "put", sublevel: headers as SublevelOf<unknown>, key: header.id, value: header });
    await writeBatch(store, ops);
  }

  /** Items already on chain: ours if the registering transaction is in our outbox under this job's tag. */
  async function settleAlreadyRegistered(header: JobHeader, chunk: JobItem[]): Promise<JobItem[]> {
    const onChain = await Promise.all(chunk.map((item) => chain.registry.isRegistered(item.claimId!)));
    const remaining: JobItem[] = [];
    for (let k = 0; k < chunk.length; k++) {
      const item = chunk[k];
      if (!onChain[k]) {
        remaining.push(item);
        continue;
      }
      const [event] = await chain.registry.queryFilter(chain.registry.filters.ClaimRegistered(item.claimId), chain.deployment.contracts.ClaimRegistry.blockNumber);
      const entry = event ? await chain.outbox.get(event.transactionHash) : undefined;
      if (entry?.tag.startsWith(`register-batch:${header.id}:`)) {
        await finish(header, [item], { status: "registered", txHash: event.transactionHash, blockNumber: event.blockNumber });
      } else {
        await finish(header, [item], { status: "failed", error: { code: "CONFLICT", message: `claim ${item.claimId} is already registered`, rule: "already-registered" } });
      }
    }
    return remaining;
  }

  async function runChunk(header: JobHeader, caller: Caller, chunk: JobItem[]): Promise<void> {
    let backoff = 500;
    for (;;) {
      try {
        let remaining = await settleAlreadyRegistered(header, chunk);
        while (remaining.length > 0) {
          const registrations = [];
          const rules = await claimsService.claimRules();
          for (const item of remaining) {
            const record = (await claimsService.claims.get(item.claimId!))!;
            registrations.push(claimsService.toRegistration(normalizeClaim(requestOf(record), config.loanRefSecret, "", rules), record.collateralHash));
          }
          const data = chain.registry.interface.encodeFunctionData("registerBatch", [registrations]);
          let entry;
          try {
            entry = await chain.outbox.send(chain.wallet(caller.privateKey!), { to: await chain.registry.getAddress(), data }, `register-batch:${header.id}:${remaining[0].index}`);
          } catch (e) {
            if (e instanceof ChainRevertError && e.errorName === "ClaimAlreadyRegistered") {
              // Registered by someone else since we checked: fail that one item, send the rest.
              const dup = String(e.args[0]).toLowerCase();
              const item = remaining.find((it) => it.claimId!.toLowerCase() === dup)!;
              await finish(header, [item], { status: "failed", error: { code: "CONFLICT", message: `claim ${dup} is already registered`, rule: "already-registered" } });
              remaining = remaining.filter((it) => it !== item);
              continue;
            }
            throw e;
          }
          const receipt = await chain.outbox.wait(entry);
          fastify.metrics.chainTransactions.inc({ kind: "register-batch", outcome: "mined" });
          await finish(header, remaining, { status: "registered", txHash: entry.hash, blockNumber: receipt.blockNumber });
          remaining = [];
        }
        return;
      } catch (e) {
        if (e instanceof UnavailableError && !stopping) {
          fastify.log.warn({ err: e, job: header.id }, "chain unavailable; retrying the chunk");
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 30_000);
          continue;
        }
        if (stopping) return;
        await finish(header, chunk.filter((it) => it.status === "queued"), { status: "failed", error: errorOf(e) });
        return;
      }
    }
  }

  return {
    createRegisterJob,
    get,
    kick,
    async stop() {
      stopping = true;
      await running;
    },
  };
}

/** Rebuilds the request from the stored record, to re-derive the on-chain registration after a restart. */
function requestOf(r: ClaimRecord): ClaimRequest {
  return {
    originatorCode: r.originatorCode,
    contractNo: r.contractNo,
    debtor: r.debtor,
    principal: r.principal,
    outstanding: r.outstanding,
    currency: r.currency,
    originatedAt: r.originatedAt,
    maturityAt: r.maturityAt,
    product: r.product,
    region: r.region,
    collateral: r.collateral,
    documentsRoot: r.documentsRoot,
    clauses: r.clauses,
  };
}

export type JobsService = ReturnType<typeof createJobsService>;
