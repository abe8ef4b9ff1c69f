import { Type } from "typebox";
import type { FastifyReply } from "fastify";

/** Schema of a page or page asset route: a string body, hidden from the API docs. */
export const pageSchema = (summary: string) => ({ hide: true, tags: ["pages"], summary, response: { 200: Type.String() } });

/**
 * An HTML page: never cached, its own content security policy, no sniffing, no referrer. A page built once
 * goes as one Buffer, compressed once for every client (src/api/plugins/compress.ts).
 */
export function sendPage(reply: FastifyReply, html: string | Buffer, csp: string) {
  return reply
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-cache")
    .header("content-security-policy", csp)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .send(html);
}

/** A script, stylesheet or font served with a page (read once, as a Buffer: compressed once). */
export function sendAsset(reply: FastifyReply, asset: { type: string; cache: string }, body: Buffer) {
  return reply.header("content-type", asset.type).header("cache-control", asset.cache).header("x-content-type-options", "nosniff").send(body);
}
