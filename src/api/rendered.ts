import type { FastifyReply } from "fastify";

/**
 * Rendered answers of read routes (the JSON the route's own serializer makes, UTF-8 encoded once), kept
 * while nothing they depend on changed. The stamp names that state — for chain reads the store's write
 * generation (src/store/memo.ts: an index commit is a write), for the console also the read model's
 * version and block and the second of `now` (queue deadlines and contact ages are relative to it). An
 * answer is a pure function of its stamp, the viewer (role, account, employer: what access and scope
 * depend on) and the request, so a kept answer is exactly the one that would be rendered again; a new
 * stamp starts over with an empty set. Errors are not kept.
 */
export function createRenderCache(maxAnswers = 5_000) {
  let stamp = "";
  let answers = new Map<string, Promise<Buffer>>();
  return {
    get(currentStamp: string, key: string, render: () => Promise<Buffer>): Promise<Buffer> {
      if (currentStamp !== stamp) {
        stamp = currentStamp;
        answers = new Map();
      }
      const kept = answers.get(key);
      if (kept) return kept;
      const own = answers;
      const p = render();
      own.set(key, p);
      if (own.size > maxAnswers) own.delete(own.keys().next().value!);
      p.catch(() => {
        if (own.get(key) === p) own.delete(key);
      });
      return p;
    },
  };
}

export type RenderCache = ReturnType<typeof createRenderCache>;

/** Who a read is rendered for: what access decisions and scopes read of an API key. */
export interface Viewer {
  role: string;
  address?: string;
  worksFor?: string;
}

/**
 * Answers `reply` with the rendering of `compute()` kept in `cache` under `stamp` for this viewer and
 * `what` (the route and its parameters), rendering it with the route's serializer when not kept.
 */
export async function sendRendered<T>(cache: RenderCache, stamp: string, reply: FastifyReply, viewer: Viewer, what: string, compute: () => Promise<T>): Promise<FastifyReply> {
  const key = `${viewer.role}|${viewer.address ?? ""}|${viewer.worksFor ?? ""}|${what}`;
  const body = await cache.get(stamp, key, async () => Buffer.from(String(reply.serialize(await compute())), "utf8"));
  return reply.type("application/json; charset=utf-8").send(body);
}
