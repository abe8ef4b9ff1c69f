import fp from "fastify-plugin";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { parsePurpose, claimSet, type ClaimSet, type ReadContext } from "../../app/handover/reads-log.js";
import type { Caller } from "../../app/access.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The object an answer for this caller was serialized from (set before serialization, read when it is sent). */
    answerObject: object | null;
  }
}

/** What an answer carries when it shows a claim's personal data (src/app/access.ts mayReadPersonalData). */
const NEEDLE = '"personalDataRedacted":false';
/** What a kept answer that shows no personal data is marked with. */
const NONE: ClaimSet = { id: "", claimIds: [] };

/** The claims whose personal data an answer shows: objects with `personalDataRedacted: false`, under their `claimId`. */
export function claimsShown(body: unknown): Set<string> {
  const found = new Set<string>();
  // Keys by for…in and no arrays made per object: an answer listing a thousand claims is walked per request.
  const walk = (node: object, claimId: string | undefined): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (v !== null && typeof v === "object") walk(v, claimId);
      }
      return;
    }
    const o = node as Record<string, unknown>;
    const id = typeof o.claimId === "string" ? o.claimId : claimId;
    if (o.personalDataRedacted === false && id) found.add(id);
    for (const k in o) {
      const v = o[k];
      if (v !== null && typeof v === "object") walk(v, id);
    }
  };
  if (body !== null && typeof body === "object") walk(body, undefined);
  const out = new Set<string>();
  for (const id of found) out.add(id.toLowerCase());
  return out;
}

function statedPurpose(request: FastifyRequest): string | undefined {
  const header = request.headers["x-purpose"];
  if (typeof header === "string") return header;
  const q = (request.query as { purpose?: unknown } | undefined)?.purpose;
  return typeof q === "string" ? q : undefined;
}

/**
 * Every answer that shows personal data is logged before it is sent: who (the API key), which claims,
 * why (`X-Purpose`, or a route's `purpose` parameter; `unstated` when the caller gave none) and through
 * which route. A purpose that is given must be one of the known ones (400 naming X-Purpose otherwise).
 * The log is written durably first: a crash never leaves a read that was answered but not logged.
 */
export default fp(
  async function personalDataLog(fastify: FastifyInstance) {
    const shownIn = new WeakMap<Buffer, ClaimSet>();
    // Who a caller is in the log: made once per caller (callers are fixed at start, src/api/plugins/auth.ts).
    const whoOf = new WeakMap<Caller, ReadContext["who"]>();
    // An answer built for this request: when its text shows personal data, its claims are found in the
    // object it was serialized from, not by parsing the text again (a preview listing a thousand claims is a
    // megabyte of JSON). The serializer only drops fields: the object names every claim the text shows.
    // Kept on the request (a WeakMap entry per request was a measurable part of a small read's CPU and GC).
    fastify.decorateRequest("answerObject", null);
    // Synchronous hooks with a callback: a hook that is an async function costs every request a promise,
    // and most answers show no personal data (the read routes' floor, bench:api).
    fastify.addHook("onRequest", (request, _reply, done) => {
      const header = request.headers["x-purpose"];
      if (header === undefined) return done();
      try {
        parsePurpose(header, "X-Purpose");
      } catch (e) {
        return done(e as Error);
      }
      done();
    });
    fastify.addHook("preSerialization", (request, reply, payload, done) => {
      if (request.caller && reply.statusCode < 300 && payload !== null && typeof payload === "object") request.answerObject = payload;
      done(null, payload);
    });
    fastify.addHook("onSend", (request, reply, payload, done) => {
      const caller = request.caller;
      if (!caller || reply.statusCode >= 300) return done(null, payload);
      const text = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload : null;
      if (text === null) return done(null, payload);
      // A kept answer is the same Buffer each time (src/api/rendered.ts): it is searched, and its claims found, once.
      let shown = Buffer.isBuffer(text) ? shownIn.get(text) : undefined;
      if (!shown && !text.includes(NEEDLE)) {
        if (Buffer.isBuffer(text)) shownIn.set(text, NONE);
        return done(null, payload);
      }
      if (!shown) {
        shown = claimSet(claimsShown(request.answerObject ?? JSON.parse(text.toString())));
        if (Buffer.isBuffer(text)) shownIn.set(text, shown);
      }
      if (shown.claimIds.length === 0) return done(null, payload);
      let who = whoOf.get(caller);
      if (!who) {
        who = {
          keyId: caller.keyId, name: caller.name, role: caller.role,
          ...(caller.address ? { address: caller.address } : {}), ...(caller.worksFor ? { worksFor: caller.worksFor } : {}),
        };
        whoOf.set(caller, who);
      }
      const purpose = statedPurpose(request) ?? "unstated";
      const via = `${request.method} ${request.routeOptions.url ?? request.url}`;
      const logged = fastify.handover.readsLog.recordSet({ who, purpose, action: "read", via }, shown);
      // Already on disk (an answer alike in its window): sent in this call, with no promise for Fastify to follow.
      if (logged === null) return done(null, payload);
      logged.then(() => done(null, payload), (e: unknown) => done(e as Error));
    });
  },
  { name: "personal-data-log" },
);
