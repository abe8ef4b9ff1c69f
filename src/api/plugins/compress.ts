import fp from "fastify-plugin";
import { promisify } from "node:util";
import { constants, gzip as gzipCallback } from "node:zlib";
import type { FastifyInstance } from "fastify";

const gzip = promisify(gzipCallback);

/** Answers smaller than this go as they are (a packet's worth: compressing them saves nothing on the wire). */
export const COMPRESS_MIN_BYTES = 1024;
const COMPRESSIBLE = /^(application\/(json|javascript)|text\/|image\/svg\+xml)/i;

/**
 * Whether an `Accept-Encoding` header accepts gzip: `gzip` (or `x-gzip`) with a weight above 0, or `*`
 * above 0 when gzip is not named with weight 0 (RFC 9110 §12.5.3).
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  let gzipWeight: number | undefined;
  let anyWeight: number | undefined;
  for (const part of (Array.isArray(header) ? header.join(",") : header).split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split("=");
      if (k === "q") q = Number(v);
    }
    if (!Number.isFinite(q)) q = 0;
    if (name === "gzip" || name === "x-gzip") gzipWeight = q;
    else if (name === "*") anyWeight = q;
  }
  return gzipWeight !== undefined ? gzipWeight > 0 : (anyWeight ?? 0) > 0;
}

/** {@link acceptsGzip} of the headers seen lately: clients send the same few spellings on every request. */
const acceptsGzipOf = new Map<string, boolean>();
function acceptsGzipKept(header: string | string[] | undefined): boolean {
  if (typeof header !== "string") return acceptsGzip(header);
  let yes = acceptsGzipOf.get(header);
  if (yes === undefined) {
    if (acceptsGzipOf.size >= 256) acceptsGzipOf.clear();
    acceptsGzipOf.set(header, (yes = acceptsGzip(header)));
  }
  return yes;
}

/**
 * Answers of a kilobyte or more (JSON, text, scripts) go gzipped to clients that accept it — every browser
 * and Node's fetch. A kept answer (the same Buffer each time, src/api/rendered.ts) is compressed once, off
 * the event loop, and its compressed bytes are sent to every client until it is rendered again: the console's
 * queue page is 74 kB of JSON and about a tenth of that gzipped. Runs after every other onSend hook (the
 * personal-data log reads the answer as the route made it).
 */
export default fp(
  async function compressPlugin(fastify: FastifyInstance) {
    const compressed = new WeakMap<Buffer, Promise<Buffer>>();
    // A kept answer's compressed bytes once made: sent in the same call (no promise to wait for, and the reply
    // ends before the route's handler returns, so Fastify does not follow the reply to its end).
    const ready = new WeakMap<Buffer, Buffer>();
    fastify.addHook("onSend", (request, reply, payload, done) => {
      if (request.method === "HEAD" || reply.statusCode !== 200) return done(null, payload);
      const body = typeof payload === "string" || Buffer.isBuffer(payload) ? payload : null;
      if (body === null || Buffer.byteLength(body) < COMPRESS_MIN_BYTES) return done(null, payload);
      const type = reply.getHeader("content-type");
      if (typeof type !== "string" || !COMPRESSIBLE.test(type) || reply.getHeader("content-encoding") !== undefined) return done(null, payload);
      // Caches between us and a client must not hand a gzipped answer to one that did not ask for it.
      const vary = reply.getHeader("vary");
      if (!vary) reply.header("vary", "accept-encoding");
      else if (!/accept-encoding/i.test(String(vary))) reply.header("vary", `${String(vary)}, accept-encoding`);
      if (!acceptsGzipKept(request.headers["accept-encoding"])) return done(null, payload);
      const made = Buffer.isBuffer(body) ? ready.get(body) : undefined;
      if (made) {
        reply.header("content-encoding", "gzip");
        reply.removeHeader("content-length");
        return done(null, made);
      }
      let zipped = Buffer.isBuffer(body) ? compressed.get(body) : undefined;
      if (!zipped) {
        // An answer made for this request alone at zlib's fastest level (a package preview by filter can be
        // megabytes of JSON, compressed on every request); one sent to many at the default level.
        zipped = Buffer.isBuffer(body) ? gzip(body) : gzip(body, { level: constants.Z_BEST_SPEED });
        if (Buffer.isBuffer(body)) {
          compressed.set(body, zipped);
          zipped.then((bytes) => ready.set(body, bytes), () => undefined);
        }
      }
      zipped.then(
        (bytes) => {
          reply.header("content-encoding", "gzip");
          reply.removeHeader("content-length");
          done(null, bytes);
        },
        // Not compressible after all (zlib failed): the answer goes as it is.
        () => done(null, payload),
      );
    });
  },
  { name: "compress", dependencies: ["personal-data-log"] },
);
