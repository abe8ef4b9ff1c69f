import type { FastifyRequest } from "fastify";
import { errorCodes } from "fastify";

type Done = (err: Error | null, body?: Buffer) => void;

/**
 * A content-type parser for the import's bodies of tens of megabytes: the body is read into one
 * `SharedArrayBuffer` of the announced `Content-Length`, each network chunk copied in as it arrives.
 *
 * Why shared: V8 counts the memory of ordinary ArrayBuffers (Node's Buffers) against the thread that holds
 * them and, 64 MB past what was left after its last full collection, starts one at once — and the API's
 * heap holds the console's million-row model, whose marking takes the main thread for seconds on a busy
 * machine. Fastify's `parseAs: "buffer"` holds the chunks and then a copy of them (twice the body); shared
 * memory is not counted, so only the chunks are, and they die young. The worker that parses the body reads
 * the same memory (no copy, nothing to transfer). The memory is reserved when the length is announced: the
 * routes using this are behind a key and a role, checked before the body is read (app.ts), and the pages
 * are the system's to fill only as bytes arrive.
 *
 * Same answers as Fastify's: 413 over the route's `bodyLimit` (announced or received), 400 when the bytes
 * received are not the bytes announced. A body without `Content-Length` (chunked) is read Fastify's way.
 */
export function wholeBody(request: FastifyRequest, payload: NodeJS.ReadableStream, done: Done): void {
  const limit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
  const header = request.headers["content-length"];
  const announced = header === undefined ? Number.NaN : Number(header);
  if (announced > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  const body = Number.isSafeInteger(announced) && announced >= 0 ? Buffer.from(new SharedArrayBuffer(announced), 0, announced) : null;
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const finish = (err: Error | null, value?: Buffer) => {
    if (settled) return;
    settled = true;
    payload.removeListener("data", onData);
    payload.removeListener("end", onEnd);
    payload.removeListener("error", onError);
    done(err, value);
  };
  function onData(data: Buffer | string) {
    const chunk = typeof data === "string" ? Buffer.from(data) : data;
    if (received + chunk.length > limit) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    if (body) {
      // More bytes than announced: refused as Fastify refuses a mismatch (its check comes at the end).
      if (received + chunk.length > body.length) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      chunk.copy(body, received);
    } else chunks.push(chunk);
    received += chunk.length;
  }
  function onEnd() {
    if (body) return received === body.length ? finish(null, body) : finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    finish(null, Buffer.concat(chunks, received));
  }
  function onError(err: Error & { statusCode?: number }) {
    if (!(typeof err.statusCode === "number" && err.statusCode >= 400)) err.statusCode = 400;
    finish(err);
  }
  payload.on("data", onData);
  payload.on("end", onEnd);
  payload.on("error", onError);
  payload.resume();
}
