import type { HandoverDeps } from "./deps.js";
import { createBuyer } from "./buyer.js";
import { createSeller } from "./seller.js";
import { createViews } from "./views.js";
import { runRetention } from "./retention.js";

/**
 * Loan-file handover between organisations' nodes (issue 16): the seller's side (files, commitment,
 * delivery with back-off), the buyer's side (checks, idempotent receipt), who sees what, and the
 * seller's retention. See docs/architecture.md, "Handover".
 */
export function createHandover(deps: HandoverDeps) {
  const seller = createSeller(deps);
  const buyer = createBuyer(deps);
  let retentionTimer: NodeJS.Timeout | undefined;
  return {
    seller,
    buyer,
    views: createViews(deps),
    readsLog: deps.readsLog,
    /** Deletes the sellers' copies whose retention ended by `nowMs` (time is an argument). */
    runRetention: (nowMs: number) => runRetention(deps, nowMs),
    start(): void {
      seller.start();
      retentionTimer = setInterval(() => {
        runRetention(deps, deps.clock.now()).catch((e: unknown) => deps.log.warn(`handover retention: ${(e as Error).message}`));
      }, deps.config.retentionIntervalMs);
      retentionTimer.unref();
    },
    async stop(): Promise<void> {
      if (retentionTimer) clearInterval(retentionTimer);
      retentionTimer = undefined;
      await seller.stop();
    },
  };
}

export type Handover = ReturnType<typeof createHandover>;
