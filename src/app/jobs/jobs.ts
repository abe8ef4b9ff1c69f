import { ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { itemsOf } from "../../store/repos/jobs.js";
import { acceptImport, rollBackUnaccepted } from "./accept.js";
import { createRunner } from "./runner.js";
import type { JobHeader, JobItem, JobOwner, JobsDeps } from "./types.js";

export { MAX_IMPORT } from "./types.js";
export type { JobHeader, JobItem, JobOwner, JobsDeps } from "./types.js";

/** Results listed per read of a job (GET /v1/jobs/:id?limit=), at most. */
export const MAX_RESULTS = 10_000;

/** Who reads a job: its creator's key, or an admin. */
export interface JobReader {
  role: string;
  keyId: string;
}

/**
 * Batch imports as durable jobs (POST /v1/claims/batch, GET /v1/jobs/:id): accepted in a worker thread and
 * written before the 202 (accept.ts), registered in chunks through the outbox (runner.ts).
 */
export function createJobs(deps: JobsDeps) {
  const runner = createRunner(deps);

  async function accept(owner: JobOwner, body: Uint8Array): Promise<JobHeader> {
    const header = await acceptImport(deps, owner, body);
    deps.metrics.jobsQueued.inc();
    runner.kick();
    return header;
  }

  /**
   * A job's progress and a page of its rows: `limit` rows (default and most {@link MAX_RESULTS}) after row
   * `after`, only the failed ones with `failedOnly`; `nextAfter` names where the next page starts.
   */
  async function get(reader: JobReader, id: string, page: { after?: number; limit?: number; failedOnly?: boolean } = {}) {
    const header = await deps.repos.headers.get(id);
    if (!header || header.status === "accepting") throw new NotFoundError("job", id);
    if (reader.role !== "admin" && reader.keyId !== header.owner.keyId) throw new ForbiddenError("only the job's creator or an admin may read it");
    const limit = page.limit ?? MAX_RESULTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) throw new ValidationError("limit", `must be an integer from 1 to ${MAX_RESULTS}`);
    const results: JobItem[] = [];
    let nextAfter: number | null = null;
    for await (const item of deps.repos.items.values(itemsOf(id, page.after))) {
      if (page.failedOnly && item.status !== "failed") continue;
      if (results.length === limit) {
        nextAfter = results[results.length - 1]!.index;
        break;
      }
      const { registration: _, ...shown } = item;
      results.push(shown);
    }
    const finished = header.registered + header.failed;
    const status = header.status as Exclude<JobHeader["status"], "accepting">;
    return { ...header, status, done: finished, progress: header.total === 0 ? 1 : finished / header.total, results, nextAfter };
  }

  return {
    accept,
    get,
    /** At start: rolls back imports a crash interrupted while they were accepted, then resumes the others. */
    async start(): Promise<void> {
      await rollBackUnaccepted(deps);
      runner.kick();
    },
    kick: runner.kick,
    stop: runner.stop,
    /** Imports being prepared in the worker thread right now. */
    get preparing(): number {
      return deps.workers.busy;
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
