import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { appWithReadsLog } from "./support.js";
import type { FastifyInstance } from "fastify";
import type { ReadsLog } from "../../../src/app/handover/reads-log.js";
import personalDataLog, { claimsShown } from "../../../src/api/plugins/personal-data-log.js";
import errors from "../../../src/api/plugins/errors.js";

/**
 * The personal-data log hook over a real LevelDB store: every answer that shows a claim's personal data is
 * logged before it leaves — built for the request (its claims taken from the object it was serialized
 * from), or kept and sent again (the same Buffer) — and nothing else is.
 */
describe("personal-data-log", () => {
  let close: () => Promise<void>;
  let log: ReadsLog;
  let app: FastifyInstance;
  const claim = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  const debtor = (i: number, shown: boolean) => ({ claimId: claim(i), personalDataRedacted: !shown, debtor: shown ? { name: `张${i}` } : null });
  const kept = Buffer.from(JSON.stringify({ claims: [debtor(7, true), debtor(8, false)] }));

  beforeAll(async () => {
    ({ log, app, close } = await appWithReadsLog("pdlog"));
    await app.register(errors);
    await app.register(personalDataLog);
    const item = { type: "object", properties: { claimId: { type: "string" }, personalDataRedacted: { type: "boolean" }, debtor: { type: ["object", "null"], additionalProperties: true } } };
    app.get("/list", { schema: { response: { 200: { type: "object", properties: { claims: { type: "array", items: item } } } } } }, async () => ({
      // Claim 3 is dropped by the response schema: not in the text, logged anyway (the object named it).
      claims: [debtor(1, true), debtor(2, false)], dropped: debtor(3, true),
    }));
    app.get("/nested", async () => ({ case: { claimId: claim(4), parties: [{ personalDataRedacted: false, name: "李四" }] } }));
    app.get("/kept", (_request, reply) => { reply.type("application/json").send(kept); });
    app.get("/redacted", async () => ({ claims: [debtor(5, false)] }));
    app.get("/fails", async (_request, reply) => reply.code(404).send({ claimId: claim(6), personalDataRedacted: false }));
    await app.ready();
  });
  afterAll(async () => {
    await close?.();
  });

  const readsOf = async (i: number) => (await log.list({ claimId: claim(i), limit: 10 })).map((r) => `${r.via} ${r.purpose}`);

  describe("onSend", () => {
    it("logs the claims an answer built for the request shows, with the route and the stated purpose", async () => {
      const res = await app.inject({ url: "/list", headers: { authorization: "k", "x-purpose": "collection" } });
      expect(res.statusCode).toBe(200);
      expect(res.json().claims).toHaveLength(2);
      expect(await readsOf(1)).toEqual(["GET /list collection"]);
      expect(await readsOf(2)).toEqual([]);
      expect(await readsOf(3)).toEqual(["GET /list collection"]);
      // A claim id above the object showing the data names it.
      await app.inject({ url: "/nested", headers: { authorization: "k" } });
      expect(await readsOf(4)).toEqual(["GET /nested unstated"]);
    });

    it("logs a kept answer each time it is sent", async () => {
      for (let i = 0; i < 3; i++) expect((await app.inject({ url: "/kept", headers: { authorization: "k" } })).statusCode).toBe(200);
      expect(await readsOf(7)).toEqual(["GET /kept unstated", "GET /kept unstated", "GET /kept unstated"]);
      expect(await readsOf(8)).toEqual([]);
    });

    it("logs nothing for a redacted answer, a refused one or one without a caller", async () => {
      await app.inject({ url: "/redacted", headers: { authorization: "k" } });
      expect((await app.inject({ url: "/fails", headers: { authorization: "k" } })).statusCode).toBe(404);
      await app.inject({ url: "/list" });
      expect(await readsOf(5)).toEqual([]);
      expect(await readsOf(6)).toEqual([]);
      expect(await readsOf(1)).toHaveLength(1);
    });
  });

  describe("onSend within a window (answers alike in one second)", () => {
    it("the first answer waits for its entry on disk; the next ones alike leave without a write and are all listed", async () => {
      const at = Date.UTC(2030, 5, 1);
      const w = await appWithReadsLog("pdlog-window", { now: () => at });
      try {
        await w.app.register(personalDataLog);
        w.app.get("/kept", (_request, reply) => { reply.type("application/json").send(kept); });
        const original = w.store.batch.bind(w.store);
        let batches = 0;
        (w.store as { batch: unknown }).batch = (ops: never) => (batches++, original(ops));
        expect((await w.app.inject({ url: "/kept", headers: { authorization: "k", "x-purpose": "collection" } })).statusCode).toBe(200);
        expect(batches).toBe(1);
        for (let i = 0; i < 4; i++) expect((await w.app.inject({ url: "/kept", headers: { authorization: "k", "x-purpose": "collection" } })).statusCode).toBe(200);
        expect(batches).toBe(1);
        // Another purpose is not alike: its answer waits for an entry of its own.
        await w.app.inject({ url: "/kept", headers: { authorization: "k", "x-purpose": "audit" } });
        expect(batches).toBe(2);
        const reads = (await w.log.list({ claimId: claim(7), limit: 10 })).map((r) => r.purpose);
        expect(reads.sort()).toEqual(["audit", "collection", "collection", "collection", "collection", "collection"]);
      } finally {
        await w.close();
      }
    });
  });

  describe("onRequest", () => {
    it("refuses an unknown purpose before anything is read, naming X-Purpose", async () => {
      const res = await app.inject({ url: "/list", headers: { authorization: "k", "x-purpose": "curiosity" } });
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe("X-Purpose");
      expect(await readsOf(1)).toHaveLength(1);
    });
  });

  describe("claimsShown", () => {
    it("finds shown claims under their claimId at any depth, and only those", () => {
      expect([...claimsShown({ a: [debtor(1, true), { claimId: claim(2), x: { personalDataRedacted: false } }, debtor(3, false)] })].sort()).toEqual([claim(1), claim(2)]);
      expect(claimsShown({ personalDataRedacted: false })).toEqual(new Set());
    });
  });
});
