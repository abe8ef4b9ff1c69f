import { DebtrailError } from "../core/errors.js";
import type { Caller } from "../app/access.js";
import { runCycle } from "./cycle.js";
import { acceptStatuses } from "./intake.js";
import { cosign, type CosignItem } from "./peers.js";
import { disagreementsView } from "./disagreements.js";
import type { CycleSummary, LoanStatusInput, OracleDeps, OracleFailure } from "./types.js";

/**
 * The oracle daemon's use cases over one set of Deps: loan statuses in; each cycle runs the scoring core,
 * plans a report for each claim whose figures or case state change, renders and records due notices as
 * evidence, collects k-of-n signatures (its own and its peers'), and submits reports in batches through
 * the outbox. The API's routes call it (src/api/routes/oracle.ts); `debtrail oracle` runs its timer
 * without HTTP (main.ts).
 *
 * Durable: a status is on disk before it is acknowledged; a report is written (with its notice's
 * evidence record) before it is signed by peers or sent; the chain's nonce and digest set make every
 * report apply at most once, and recovery after a crash asks the chain what happened before acting.
 */
export function createOracle(deps: OracleDeps) {
  const { repos, settings } = deps;
  let running: Promise<CycleSummary> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /**
   * Runs one cycle after the one running (if any) ends — in this process or in another sharing the store
   * (the cycle lock): what was accepted before the call is in it.
   */
  function run(): Promise<CycleSummary> {
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => repos.store.exclusive("oracle-cycle", () => runCycle(deps)));
    running = next;
    void next.catch(() => undefined).finally(() => {
      if (running === next) running = undefined;
    });
    return next;
  }

  return {
    run,

    accept: (caller: Caller, inputs: LoanStatusInput[]) => acceptStatuses(deps, caller, inputs),

    cosign: (caller: Caller, items: CosignItem[]) => cosign(deps, caller, items),

    /** What GET /v1/oracle/status and `debtrail oracle` show: all of it from the store, whichever process ran the cycles. */
    async status() {
      let pendingReports = 0;
      const waiting = new Set<string>();
      for await (const _ of repos.pending.iterator()) pendingReports++;
      for await (const [key] of repos.dirty.iterator()) waiting.add(key.split("!")[0]);
      const recentFailures: OracleFailure[] = [];
      for await (const f of repos.failures.values({ reverse: true, limit: 20 })) recentFailures.push(f);
      const sorted = [...(((await repos.meta.get("latency")) as number[] | undefined) ?? [])].sort((a, b) => a - b);
      const pct = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null);
      return {
        signer: deps.signer.address,
        quorum: Number(await deps.chain.clauses.quorum()),
        peers: settings.peers.map((p) => p.url),
        enabled: settings.enabled,
        intervalMs: settings.intervalMs,
        waitingClaims: waiting.size,
        pendingReports,
        lastCycle: ((await repos.meta.get("lastCycle")) as CycleSummary | undefined) ?? null,
        latencyMs: { p50: pct(0.5), p95: pct(0.95), samples: sorted.length },
        recentFailures,
        // Where this operator's data and its peers' disagree (issue 16): refusals either way, disagreements first.
        disagreements: await disagreementsView(deps),
      };
    },

    /** The last applied report of a claim (for latency measurements and the case view). */
    lastApplied: (claimId: string) => repos.applied.get(claimId.toLowerCase()),

    /**
     * Runs cycles on the timer (when enabled): one after another, `intervalMs` apart; after a failure (RPC
     * down, …) it backs off (2×, 4×, … the interval, at most 5 minutes), then resumes.
     * @param onCycle called with each cycle's summary (`debtrail oracle` prints it)
     */
    start(onCycle?: (summary: CycleSummary) => void): void {
      if (!settings.enabled) return;
      let failuresInARow = 0;
      const loop = async () => {
        if (stopped) return;
        try {
          const summary = await run();
          failuresInARow = 0;
          onCycle?.(summary);
        } catch (e) {
          failuresInARow++;
          deps.log.warn({ err: e instanceof DebtrailError ? e.message : e, failuresInARow }, "oracle cycle failed; retrying with backoff");
        }
        const delay = failuresInARow === 0 ? settings.intervalMs : Math.min(300_000, settings.intervalMs * 2 ** Math.min(failuresInARow, 10));
        if (!stopped) timer = setTimeout(loop, delay);
      };
      timer = setTimeout(loop, 0);
    },

    /** Stops the timer and waits for the cycle running, if any. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

export type Oracle = ReturnType<typeof createOracle>;
