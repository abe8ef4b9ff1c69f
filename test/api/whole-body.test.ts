import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { wholeBody } from "../../src/api/whole-body.js";

/**
 * The import's body reader: one shared buffer of the announced length, chunks copied in as they come (V8
 * does not count shared memory toward starting a full collection); Fastify's answers for too large (413)
 * and for bytes that are not the bytes announced (400).
 */
describe("whole-body", () => {
  const LIMIT = 256 * 1024;
  let app: FastifyInstance;
  let port: number;
  const digest = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

  beforeAll(async () => {
    app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("application/json", wholeBody);
    app.post("/echo", { bodyLimit: LIMIT }, async (request) => {
      const body = request.body as Buffer;
      return { isBuffer: Buffer.isBuffer(body), length: body.length, sha256: digest(body), shared: body.buffer instanceof SharedArrayBuffer };
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  /** POSTs `pieces` one write at a time (a pause between), with `headers`; the answer's status and JSON. */
  function post(pieces: Buffer[], headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((ok, fail) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/echo", method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d)).on("end", () => ok({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on("error", fail);
      let i = 0;
      const next = () => (i < pieces.length ? req.write(pieces[i++], () => setTimeout(next, 2)) : req.end());
      next();
    });
  }

  describe("wholeBody", () => {
    it("a body sent in many writes arrives byte for byte, as a Buffer over shared memory", async () => {
      const bytes = randomBytes(200 * 1024);
      const pieces = Array.from({ length: 25 }, (_, k) => bytes.subarray(k * 8192, (k + 1) * 8192));
      const r = await post(pieces, { "content-length": String(bytes.length) });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ isBuffer: true, length: bytes.length, sha256: digest(bytes), shared: true });
    });

    it("a chunked body (no Content-Length) is read whole too", async () => {
      const bytes = randomBytes(100 * 1024);
      const r = await post([bytes.subarray(0, 30_000), bytes.subarray(30_000)], { "transfer-encoding": "chunked" });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ isBuffer: true, length: bytes.length, sha256: digest(bytes) });
    });

    it("an empty body is an empty buffer (the route decides what it means)", async () => {
      const r = await app.inject({ method: "POST", url: "/echo", headers: { "content-type": "application/json" }, payload: "" });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ isBuffer: true, length: 0 });
    });

    it("announced over the route's limit: 413 before the body is read", async () => {
      const r = await post([Buffer.from("{")], { "content-length": String(LIMIT + 1) });
      expect(r.status).toBe(413);
      expect(r.body.code).toBe("FST_ERR_CTP_BODY_TOO_LARGE");
    });

    it("a chunked body that grows past the limit: 413", async () => {
      const r = await post([randomBytes(LIMIT / 2), randomBytes(LIMIT / 2), randomBytes(1024)], { "transfer-encoding": "chunked" });
      expect(r.status).toBe(413);
    });

    it("fewer bytes than announced: 400, not a hang or a short body", async () => {
      const r = await app.inject({ method: "POST", url: "/echo", headers: { "content-type": "application/json", "content-length": "100" }, payload: "x".repeat(60) });
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe("FST_ERR_CTP_INVALID_CONTENT_LENGTH");
    });

    it("more bytes than announced (a stream that lies about its length): 400", async () => {
      const r = await app.inject({ method: "POST", url: "/echo", headers: { "content-type": "application/json", "content-length": "10" }, payload: "x".repeat(60) });
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe("FST_ERR_CTP_INVALID_CONTENT_LENGTH");
    });
  });
});
