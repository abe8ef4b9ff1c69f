import fp from "fastify-plugin";
import { timingSafeEqual, createHash } from "node:crypto";
import { Wallet } from "ethers";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiKeyConfig } from "../../config/config.js";
import type { ApiRole } from "../../config/roles.js";
import { ForbiddenError, UnauthorizedError } from "../../core/errors.js";

/** Who is calling: the API key's role, name and on-chain account. */
export interface Caller {
  role: ApiRole;
  name: string;
  /** The account that signs this caller's transactions (zero-address-free: undefined if none). */
  address?: string;
  privateKey?: string;
  originatorCode?: string;
  worksFor?: string;
  /** A short, non-secret id of the key, for logs and audit records. */
  keyId: string;
}

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyInstance {
    /** preHandler that requires one of `roles` (any role when empty). */
    requireRole(...roles: ApiRole[]): (request: FastifyRequest) => Promise<void>;
  }
}

function digest(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

/** The callers configured by API keys, with each key's SHA-256 digest. */
export function callersFromConfig(apiKeys: ApiKeyConfig[]): Array<{ digest: Buffer; caller: Caller }> {
  return apiKeys.map((k) => ({
    digest: digest(k.key),
    caller: {
      role: k.role,
      name: k.name ?? k.role,
      address: k.privateKey ? new Wallet(k.privateKey).address : undefined,
      privateKey: k.privateKey,
      originatorCode: k.originatorCode,
      worksFor: k.worksFor,
      keyId: digest(k.key).toString("hex").slice(0, 12),
    },
  }));
}

/** API keys → callers. Keys are compared by SHA-256 digest in constant time. */
export default fp(
  async function authPlugin(fastify: FastifyInstance) {
    const callers = callersFromConfig(fastify.config.apiKeys);

    fastify.decorateRequest("caller", undefined);
    fastify.addHook("onRequest", async (request) => {
      const header = request.headers.authorization;
      if (!header) return;
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthorizedError("Authorization must be \"Bearer <api key>\"");
      const d = digest(match[1]);
      const found = callers.find((c) => timingSafeEqual(c.digest, d));
      if (!found) throw new UnauthorizedError("unknown API key");
      request.caller = found.caller;
    });

    fastify.decorate("requireRole", (...roles: ApiRole[]) => async (request: FastifyRequest) => {
      if (!request.caller) throw new UnauthorizedError();
      if (roles.length > 0 && !roles.includes(request.caller.role)) {
        throw new ForbiddenError(`role ${request.caller.role} may not do this; needs ${roles.join(" or ")}`, { roles });
      }
    });
  },
  { name: "auth", dependencies: ["context"] },
);
