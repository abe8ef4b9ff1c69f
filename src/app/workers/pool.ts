import { Worker, type Transferable } from "node:worker_threads";
import { DebtrailError } from "../../core/errors.js";

/**
 * Heavy work off the event loop: a module's handlers run in worker threads, so a request handler (or the
 * console's model) only posts the input and awaits the answer, and /healthz keeps answering meanwhile.
 *
 * A module run here exports `handlers`: functions of one structured-clonable argument that answer
 * `{ result, transfer? }` (transfer: ArrayBuffers handed over without a copy). An error thrown there is
 * rethrown here: a DebtrailError (code, message, details: field and rule) as a DebtrailError of the same
 * code, anything else as a {@link WorkerError} with the original's name and message.
 *
 * The sources are TypeScript run by tsx (there is no build step): a worker registers tsx before it imports
 * the module. Workers start on first use, are reused, and do not keep the process alive.
 */

export type WorkerHandlers = Record<string, (arg: never) => Promise<WorkerAnswer<unknown>> | WorkerAnswer<unknown>>;
export interface WorkerAnswer<T> {
  result: T;
  transfer?: Transferable[];
}

/** An error (not a DebtrailError) thrown by a handler, as it crossed the thread boundary. */
export class WorkerError extends Error {
  constructor(readonly originalName: string, message: string) {
    super(message);
  }
}

interface WireError {
  name: string;
  code?: string;
  message: string;
  details?: Record<string, unknown>;
}

const errorOf = (e: WireError): Error =>
  typeof e.code === "string" && e.details !== undefined ? new DebtrailError(e.code, e.message, e.details) : new WorkerError(e.name, e.message);

const BOOT = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  const mod = await import(workerData.module);
  parentPort.on("message", async (m) => {
    try {
      const out = await mod.handlers[m.fn](m.arg);
      parentPort.postMessage({ id: m.id, ok: true, result: out.result }, out.transfer ?? []);
    } catch (e) {
      const err = e ?? {};
      const coded = typeof err.code === "string" && err.details !== null && typeof err.details === "object";
      parentPort.postMessage({ id: m.id, ok: false, error: { name: String(err.name ?? "Error"), message: String(err.message ?? err), ...(coded ? { code: err.code, details: JSON.parse(JSON.stringify(err.details)) } : {}) } });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: number;
}

export interface WorkerPool {
  /** Runs handler `fn` of the module with `arg` (its ArrayBuffers in `transfer` are moved, not copied). */
  run<T>(fn: string, arg: unknown, transfer?: Transferable[]): Promise<T>;
  /** Tasks posted and not answered yet. */
  readonly busy: number;
  /** Terminates the workers; later runs start new ones. */
  close(): Promise<void>;
}

/**
 * A pool of up to `size` workers running `module` (a file URL). Tasks go to the least busy worker; each
 * worker takes its tasks in turn (a handler is synchronous work, so a worker runs one at a time anyway).
 */
export function createWorkerPool(module: URL, size = 1): WorkerPool {
  const slots: Slot[] = [];
  let seq = 0;
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void; slot: Slot }>();
  const tsx = module.pathname.endsWith(".ts") ? import.meta.resolve("tsx/esm/api") : undefined;

  function start(): Slot {
    const worker = new Worker(BOOT, { eval: true, workerData: { module: module.href, tsx } });
    worker.unref();
    let ready!: () => void;
    let broken!: (e: Error) => void;
    const slot: Slot = { worker, busy: 0, ready: new Promise<void>((ok, fail) => ((ready = ok), (broken = fail))) };
    slot.ready.catch(() => undefined);
    const failAll = (e: Error) => {
      broken(e);
      for (const [id, w] of waiting) {
        if (w.slot !== slot) continue;
        waiting.delete(id);
        w.fail(e);
      }
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
    };
    worker.on("message", (m: { ready?: true; fatal?: string; id?: number; ok?: boolean; result?: unknown; error?: WireError }) => {
      if (m.ready) return ready();
      if (m.fatal) return failAll(new Error(`worker for ${module.pathname} failed to start: ${m.fatal}`));
      const w = waiting.get(m.id!);
      if (!w) return;
      waiting.delete(m.id!);
      slot.busy--;
      if (slot.busy === 0) worker.unref();
      if (m.ok) w.ok(m.result);
      else w.fail(errorOf(m.error!));
    });
    worker.on("error", (e) => failAll(e));
    worker.on("exit", (code) => failAll(new Error(`worker for ${module.pathname} exited (${code})`)));
    slots.push(slot);
    return slot;
  }

  return {
    async run<T>(fn: string, arg: unknown, transfer: Transferable[] = []): Promise<T> {
      const idle = slots.find((s) => s.busy === 0);
      const slot = idle ?? (slots.length < size ? start() : slots.reduce((a, b) => (b.busy < a.busy ? b : a)));
      slot.busy++;
      slot.worker.ref(); // while a task runs, its answer is awaited
      try {
        await slot.ready;
      } catch (e) {
        slot.busy--;
        throw e;
      }
      const id = ++seq;
      return new Promise<T>((ok, fail) => {
        waiting.set(id, { ok: ok as (v: unknown) => void, fail, slot });
        slot.worker.postMessage({ id, fn, arg }, transfer);
      });
    },
    get busy() {
      return slots.reduce((n, s) => n + s.busy, 0);
    },
    async close() {
      const all = slots.splice(0);
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
