import { MessageChannel, type MessagePort } from "node:worker_threads";
import { normalizeClaim, type ClaimRequest, type ClaimRules } from "../../core/claim-input.js";
import { checkRegistration } from "../../core/claim-checks.js";
import { DebtrailError, ForbiddenError, ValidationError } from "../../core/errors.js";
import { initHashing } from "../../core/merkle.js";
import { ClaimRequestSchema, itemChecker } from "../../api/schemas.js";
import { collateralHashOf, recordOf, toRegistration } from "../claims/registration.js";
import type { WorkerAnswer } from "../workers/pool.js";
import type { ItemError, JobItem } from "./types.js";

/**
 * The CPU work of accepting a batch import, run in a worker thread (src/app/workers/pool.ts): parse the
 * request body, check every row's shape and rules, derive its claim id (HMAC + keccak), build its
 * off-chain record and its registration, and serialise both to JSON — so the API's event loop only
 * reads the answer's bytes into LevelDB. A 100,000-row import is seconds of CPU; /healthz answers meanwhile.
 *
 * Nothing here reads the store or the chain: whether a claim is already registered or being registered by
 * another import is decided by the caller (accept.ts), under the intake lock.
 */

export interface IntakeInput {
  /** The request body as sent (JSON). */
  body: Uint8Array;
  jobId: string;
  createdAt: string;
  registrant: { address?: string; originatorCode?: string };
  loanRefSecret: string;
  piiSecret: string;
  rules: ClaimRules;
  maxItems: number;
}

/** What the rows came to: the valid rows' JSON (record, then queued item) in one byte array. */
export interface IntakeResult {
  total: number;
  /** Per row: its claim id, "" where none could be derived. */
  claimIds: string[];
  /** Rows refused, in row order. */
  failures: Array<{ index: number; error: ItemError }>;
  /** Indices of the valid rows, ascending. */
  valid: Int32Array;
  /** For valid row k: its record's JSON is json[spans[3k]..spans[3k+1]), its item's json[spans[3k+1]..spans[3k+2]). */
  spans: Uint32Array;
  json: Uint8Array;
}

const checkRow = itemChecker(ClaimRequestSchema, "claims");

/** Checks one row's shape as the single route's schema does, naming the field in batch terms. */
function checkShape(item: unknown, index: number): asserts item is ClaimRequest {
  const error = checkRow(item, index);
  if (error) throw error;
}

export function itemErrorOf(e: unknown): ItemError {
  if (e instanceof DebtrailError) {
    const d = e.details as { field?: string; rule?: string };
    return { code: e.code, message: e.message, field: d.field, rule: d.rule };
  }
  return { code: "INTERNAL", message: String((e as Error).message ?? e).slice(0, 300) };
}

/** Refuses what a JSON parser would turn into a prototype change elsewhere (as Fastify's own parser does). */
function refusePoisoning(value: unknown, text: string): void {
  if (!text.includes('"__proto__"') && !text.includes('"constructor"')) return;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (Object.prototype.hasOwnProperty.call(v, "__proto__")) throw new ValidationError("body", "must not contain a __proto__ key");
    const c = (v as Record<string, unknown>).constructor;
    if (Object.prototype.hasOwnProperty.call(v, "constructor") && c !== null && typeof c === "object" && Object.prototype.hasOwnProperty.call(c, "prototype")) {
      throw new ValidationError("body", "must not contain constructor.prototype");
    }
    for (const k in v) stack.push((v as Record<string, unknown>)[k]);
  }
}

/** The body's rows, or the 400 its shape deserves (field names as the route's schema would give them). */
export function rowsOf(body: Uint8Array, maxItems: number): unknown[] {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError("body", "must be valid JSON");
  }
  refusePoisoning(parsed, text);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ValidationError("body", "must be object");
  for (const k of Object.keys(parsed)) if (k !== "claims") throw new ValidationError(`body.${k}`, "is not an allowed property");
  const claims = (parsed as { claims?: unknown }).claims;
  if (claims === undefined) throw new ValidationError("body.claims", "must have required property 'claims'");
  if (!Array.isArray(claims)) throw new ValidationError("body.claims", "must be array");
  if (claims.length < 1) throw new ValidationError("body.claims", "must NOT have fewer than 1 items");
  if (claims.length > maxItems) throw new ValidationError("body.claims", `must NOT have more than ${maxItems} items`);
  claims.forEach((c, i) => {
    if (c === null || typeof c !== "object" || Array.isArray(c)) throw new ValidationError(`body.claims[${i}]`, "must be object");
  });
  return claims;
}

/** A growing UTF-8 buffer of JSON texts. */
class JsonBytes {
  private buf = new Uint8Array(1 << 20);
  private used = 0;
  private readonly encoder = new TextEncoder();

  get length(): number {
    return this.used;
  }

  add(value: unknown): void {
    const text = JSON.stringify(value);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.used + text.length * 3));
      next.set(this.buf.subarray(0, this.used));
      this.buf = next;
    }
    this.used += this.encoder.encodeInto(text, this.buf.subarray(this.used)).written;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.used);
  }
}

/** Parses and prepares every row of an import (see {@link IntakeResult}). Throws only for a malformed body. */
export function prepareImport(input: IntakeInput): IntakeResult {
  const rows = rowsOf(input.body, input.maxItems);
  const claimIds: string[] = new Array(rows.length).fill("");
  const failures: IntakeResult["failures"] = [];
  const valid: number[] = [];
  const spans: number[] = [];
  const out = new JsonBytes();
  const seen = new Set<string>();
  rows.forEach((req, index) => {
    try {
      checkShape(req, index);
      Object.assign(req, checkRegistration(req, `claims[${index}]`)); // GB 11643, GB/T 2260 region, implausible amounts (issue 18)
      const n = normalizeClaim(req, input.loanRefSecret, `claims[${index}]`, input.rules);
      if (input.registrant.originatorCode !== n.originatorCode) {
        throw new ForbiddenError(`claims[${index}].originatorCode: this API key registers under ${input.registrant.originatorCode ?? "no originator code"}`, { field: `claims[${index}].originatorCode` });
      }
      claimIds[index] = n.claimId;
      if (seen.has(n.claimId)) throw new DebtrailError("CONFLICT", `claims[${index}] repeats a loan of this request`, { rule: "duplicate-in-request", field: `claims[${index}]` });
      seen.add(n.claimId);
      const collateralHash = collateralHashOf(input.piiSecret, req.collateral);
      const item: JobItem = { index, claimId: n.claimId, status: "queued", registration: toRegistration(n, collateralHash) };
      valid.push(index);
      spans.push(out.length);
      out.add(recordOf(input.registrant, req, n, collateralHash, input.createdAt, input.jobId));
      spans.push(out.length);
      out.add(item);
      spans.push(out.length);
    } catch (e) {
      failures.push({ index, error: itemErrorOf(e) });
    }
  });
  return { total: rows.length, claimIds, failures, valid: Int32Array.from(valid), spans: Uint32Array.from(spans), json: out.bytes() };
}

/**
 * {@link IntakeResult} as the API's thread receives it: the rows' JSON stays in the worker and is handed over
 * a byte range at a time ({@link rangeReader}) as the rows are written. A 100,000-row import's JSON is about
 * 160 MB; held at once by the API's thread, that memory (outside V8's heap, counted by it) starts a full
 * collection of the API's whole heap right away — the console's million-row model — whose marking takes
 * the main thread for seconds on a busy machine. Ranges are copied into one shared buffer, reused: a fresh
 * buffer per range would add the same megabytes, dead but counted until a young-generation collection.
 */
export type PreparedImport = Omit<IntakeResult, "json"> & { json: MessagePort };

/**
 * Reads byte ranges of a prepared import's JSON (the port of {@link PreparedImport}) through one shared
 * buffer of `maxBytes`: a range is a view of that buffer, valid until the next read (a larger range comes
 * in a buffer of its own). A read fails at once when the port is closed or the worker is gone.
 */
export function rangeReader(port: MessagePort, maxBytes: number): (from: number, to: number) => Promise<Uint8Array> {
  const shared = new Uint8Array(new SharedArrayBuffer(Math.max(1, maxBytes)));
  port.postMessage({ shared: shared.buffer });
  return (from, to) =>
    new Promise((ok, fail) => {
      const onMessage = (answer: number | Uint8Array) => (port.off("close", onClose), ok(typeof answer === "number" ? shared.subarray(0, answer) : answer));
      const onClose = () => (port.off("message", onMessage), fail(new Error("the import's worker went away before its rows were written")));
      port.once("message", onMessage);
      port.once("close", onClose);
      port.postMessage({ from, to });
    });
}

/** The worker's handlers (src/app/workers/pool.ts). */
export const handlers = {
  async prepareImport(input: IntakeInput): Promise<WorkerAnswer<PreparedImport>> {
    await initHashing();
    const { json, ...result } = prepareImport(input);
    // The JSON lives as long as the port: the caller closes it when the rows are written (or refused).
    const { port1, port2 } = new MessageChannel();
    let shared: Uint8Array | null = null;
    port1.on("message", (m: { shared: SharedArrayBuffer } | { from: number; to: number }) => {
      if ("shared" in m) {
        shared = new Uint8Array(m.shared);
        return;
      }
      const range = json.subarray(m.from, m.to);
      if (shared && range.length <= shared.length) {
        shared.set(range);
        port1.postMessage(range.length);
      } else {
        const bytes = range.slice();
        port1.postMessage(bytes, [bytes.buffer]);
      }
    });
    return { result: { ...result, json: port2 }, transfer: [result.valid.buffer, result.spans.buffer, port2] as never };
  },
};
