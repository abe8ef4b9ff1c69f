import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { openStore } from "../../../src/store/db.js";
import { createReadsLog } from "../../../src/app/handover/reads-log.js";

/**
 * A bare Fastify app with the personal-data read log over a real LevelDB store (in a fresh directory), and a
 * caller (an AMC's collector) on each request that carries an Authorization header — or on every request
 * with `callerAlways`. Register the plugins under test and the routes, then `app.ready()`.
 */
export async function appWithReadsLog(name: string, opts: { callerAlways?: boolean; now?: () => number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `debtrail-${name}-`));
  const store = await openStore(dir, `test-${name}`);
  let t = Date.UTC(2030, 0, 1);
  // A second a call unless told: each answer in a window of its own.
  const log = createReadsLog({ store, clock: { now: opts.now ?? (() => (t += 1_000)) } });
  const app = Fastify({ logger: false });
  app.decorate("handover", { readsLog: log } as never);
  app.decorateRequest("caller", undefined);
  app.addHook("onRequest", (request, _reply, done) => {
    if (opts.callerAlways || request.headers.authorization) (request as { caller?: object }).caller = { keyId: "k1", name: "AMC collector", role: "collector" };
    done();
  });
  return {
    store, log, app,
    async close(): Promise<void> {
      await app.close();
      await log.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
