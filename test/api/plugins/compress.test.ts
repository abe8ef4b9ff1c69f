import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { appWithReadsLog } from "./support.js";
import { gunzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import type { ReadsLog } from "../../../src/app/handover/reads-log.js";
import personalDataLog from "../../../src/api/plugins/personal-data-log.js";
import compress, { acceptsGzip, COMPRESS_MIN_BYTES } from "../../../src/api/plugins/compress.js";

/**
 * Gzipped answers: large JSON to clients that accept gzip, compressed once per kept answer; the
 * personal-data log (a real LevelDB store) still sees every answer as the route made it.
 */
describe("compress", () => {
  let close: () => Promise<void>;
  let log: ReadsLog;
  let app: FastifyInstance;
  const claim = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  // A kept answer showing a debtor's name, well over the threshold.
  const kept = Buffer.from(JSON.stringify({ claims: [{ claimId: claim(1), personalDataRedacted: false, debtor: { name: "张三" } }], pad: "催收记录".repeat(600) }));
  // A kept answer with no personal data: every onSend hook but compression's answers in the same call.
  const keptPlain = Buffer.from(JSON.stringify({ claims: [{ claimId: claim(2), personalDataRedacted: true }], pad: "处置记录".repeat(600) }));
  const sentInTheCall: boolean[] = [];
  const large = { items: Array.from({ length: 200 }, (_, i) => ({ claimId: claim(100 + i), personalDataRedacted: true })) };

  beforeAll(async () => {
    ({ log, app, close } = await appWithReadsLog("compress", { callerAlways: true }));
    await app.register(personalDataLog);
    await app.register(compress);
    app.get("/kept", (_request, reply) => { reply.type("application/json; charset=utf-8").send(kept); });
    app.get("/kept-plain", (_request, reply) => {
      reply.type("application/json; charset=utf-8").send(keptPlain);
      sentInTheCall.push(reply.sent);
    });
    app.get("/large", async () => large);
    app.get("/small", async () => ({ ok: true }));
    app.get("/missing", async (_request, reply) => reply.code(404).send({ message: "x".repeat(2 * COMPRESS_MIN_BYTES) }));
    app.get("/binary", (_request, reply) => { reply.type("application/octet-stream").send(Buffer.alloc(4 * COMPRESS_MIN_BYTES, 7)); });
    await app.ready();
  });
  afterAll(async () => {
    await close?.();
  });

  describe("acceptsGzip", () => {
    it("reads the header's weights: gzip or * above 0, unless gzip is refused by name", () => {
      expect(acceptsGzip("gzip, deflate, br")).toBe(true);
      expect(acceptsGzip("br;q=1.0, GZIP;q=0.5")).toBe(true);
      expect(acceptsGzip("x-gzip")).toBe(true);
      expect(acceptsGzip("*")).toBe(true);
      expect(acceptsGzip(["deflate", "gzip"])).toBe(true);
      expect(acceptsGzip(undefined)).toBe(false);
      expect(acceptsGzip("")).toBe(false);
      expect(acceptsGzip("identity")).toBe(false);
      expect(acceptsGzip("gzip;q=0")).toBe(false);
      expect(acceptsGzip("*, gzip;q=0")).toBe(false);
      expect(acceptsGzip("*;q=0")).toBe(false);
      expect(acceptsGzip("gzip;q=abc")).toBe(false);
    });
  });

  describe("onSend", () => {
    it("gzips a large answer for a client that accepts it: the same JSON, a fraction of the bytes, marked to vary by Accept-Encoding", async () => {
      const plain = await app.inject({ url: "/large" });
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.vary).toBe("accept-encoding");
      const zipped = await app.inject({ url: "/large", headers: { "accept-encoding": "gzip, deflate, br" } });
      expect(zipped.statusCode).toBe(200);
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(zipped.headers.vary).toBe("accept-encoding");
      expect(Number(zipped.headers["content-length"])).toBe(zipped.rawPayload.length);
      expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
      expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(large);
    });

    it("compresses a kept answer once and sends the same bytes each time; the personal-data log still logs every send", async () => {
      const sends = await Promise.all([0, 1, 2].map(() => app.inject({ url: "/kept", headers: { "accept-encoding": "gzip" } })));
      for (const s of sends) {
        expect(s.headers["content-encoding"]).toBe("gzip");
        expect(gunzipSync(s.rawPayload).equals(kept)).toBe(true);
      }
      expect(sends[1]!.rawPayload.equals(sends[0]!.rawPayload)).toBe(true);
      const reads = await log.list({ claimId: claim(1), limit: 10 });
      expect(reads.map((r) => r.via)).toEqual(["GET /kept", "GET /kept", "GET /kept"]);
    });

    it("sends a kept answer's compressed bytes, once made, within the route's own call", async () => {
      const first = await app.inject({ url: "/kept-plain", headers: { "accept-encoding": "gzip" } });
      const again = await app.inject({ url: "/kept-plain", headers: { "accept-encoding": "gzip" } });
      // The first waits for zlib; the next is sent before the handler returns (no promise between).
      expect(sentInTheCall).toEqual([false, true]);
      for (const s of [first, again]) {
        expect(s.headers["content-encoding"]).toBe("gzip");
        expect(s.headers["content-length"]).toBe(String(s.rawPayload.length));
        expect(gunzipSync(s.rawPayload).equals(keptPlain)).toBe(true);
      }
      expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    });

    it("leaves small answers, refused gzip, errors, HEAD and binary answers as they are", async () => {
      const small = await app.inject({ url: "/small", headers: { "accept-encoding": "gzip" } });
      expect(small.headers["content-encoding"]).toBeUndefined();
      expect(small.json()).toEqual({ ok: true });
      const refused = await app.inject({ url: "/large", headers: { "accept-encoding": "gzip;q=0, br" } });
      expect(refused.headers["content-encoding"]).toBeUndefined();
      expect(refused.json()).toEqual(large);
      const missing = await app.inject({ url: "/missing", headers: { "accept-encoding": "gzip" } });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers["content-encoding"]).toBeUndefined();
      const head = await app.inject({ method: "HEAD", url: "/large", headers: { "accept-encoding": "gzip" } });
      expect(head.headers["content-encoding"]).toBeUndefined();
      const binary = await app.inject({ url: "/binary", headers: { "accept-encoding": "gzip" } });
      expect(binary.headers["content-encoding"]).toBeUndefined();
      expect(binary.rawPayload.length).toBe(4 * COMPRESS_MIN_BYTES);
    });
  });
});
