/**
 * Shared by the hostile-input and access tests (issue 7): the stack they run on, the table of who may
 * call each route, a raw HTTP client (any method, body, content type; a hard timeout) and a digest of
 * the whole off-chain store.
 */
import { request as httpRequest } from "node:http";
import { createHash } from "node:crypto";
import { JsonRpcProvider } from "ethers";
import { devApiKeys, devWallet } from "../../src/config/dev-accounts.js";
import type { ApiRole } from "../../src/config/roles.js";
import { appScope, type TestStack } from "../helpers/stack.js";

/**
 * The dev keys plus an oracle peer's key and a feed key (the dev set has neither), each with its own
 * account. Keys given in DEBTRAIL_API_KEYS need at least 8 characters, so the first AMC is dev-amc1 here
 * (dev-amc elsewhere).
 */
export const ORACLE_KEY = "dev-oracle";
/** This organisation's own feed of loan observations (no worksFor: it services no holder). */
export const FEED_KEY = "dev-feed";
export const KEYS: Record<string, ApiRole> = {
  "dev-admin": "admin",
  "dev-bank": "bank",
  "dev-amc1": "amc",
  "dev-amc2": "amc",
  "dev-collector": "collector",
  "dev-court": "court",
  [ORACLE_KEY]: "oracle",
  [FEED_KEY]: "feed",
};
export const KEY_NAMES = Object.keys(KEYS);

/** Environment of the stacks in test/security: every role has a key; nothing runs on a timer. */
export function securityEnv(extra: Record<string, string> = {}): Record<string, string> {
  const apiKeys = [
    ...devApiKeys().map((k) => (k.key === "dev-amc" ? { ...k, key: "dev-amc1" } : k)),
    { key: ORACLE_KEY, role: "oracle", name: "Oracle peer (test)", privateKey: devWallet(9).privateKey },
    { key: FEED_KEY, role: "feed", name: "Own loan feed (test)" },
  ];
  return {
    DEBTRAIL_API_KEYS: JSON.stringify(apiKeys),
    ORACLE_ENABLED: "0",
    EVIDENCE_BATCH_AGE_MS: "3600000",
    RATE_LIMIT_PER_MINUTE: "10000000",
    VERIFY_RATE_LIMIT_PER_MINUTE: "1000000", // the fuzzers verify thousands of bundles without a key
    // These tests send unknown keys on purpose, many a minute; the failed-auth limit has its own test (test/api/hardening.test.ts).
    AUTH_FAILURES_PER_MINUTE: "1000000",
    ...extra,
  };
}

/**
 * Who may call each route, written out by hand: a route that silently becomes open (or closed) fails
 * test/security/access.test.ts. `public`: no key needed. `any`: any valid key. Otherwise the keys
 * (not only roles: some routes also check the object, e.g. only a job's creator reads it).
 */
export type Access = "public" | "any" | readonly string[];

/** Keys of roles, for the table below. */
export const withRoles = (...roles: ApiRole[]): string[] => KEY_NAMES.filter((k) => roles.includes(KEYS[k]!));

/** "METHOD /openapi/path" → who may call it (role level; object-level exceptions in access.test.ts). */
export const ROUTE_ACCESS: Record<string, Access> = {
  "GET /healthz": "public",
  "GET /metrics": "public",
  "GET /v1/me": "any",
  "POST /v1/claims": withRoles("bank"),
  "POST /v1/claims/batch": withRoles("bank"),
  "GET /v1/claims/{claimId}": "any",
  "GET /v1/claims/{claimId}/history": "any",
  "GET /v1/jobs/{id}": "any", // and then only the job's creator or an admin (object level)
  "POST /v1/assignments": withRoles("bank", "amc"),
  "POST /v1/evidence": withRoles("bank", "amc", "collector"),
  "POST /v1/evidence/batch": withRoles("bank", "amc", "collector"),
  "POST /v1/evidence/flush": withRoles("admin"),
  "GET /v1/evidence/{recordId}/receipt": "any", // and then only who may read the claim's off-chain details (object level)
  "GET /v1/claims/{claimId}/evidence": "any", // as the receipt
  "GET /v1/evidence/refused": withRoles("admin", "court"),
  "POST /v1/verify": "public",
  "POST /v1/assessments": withRoles("admin", "bank", "amc", "collector", "oracle"),
  "GET /v1/claims/{claimId}/assessment": "any", // as the receipt
  "POST /v1/comparables/import": withRoles("admin", "amc"),
  "GET /v1/comparables/import/{jobId}": withRoles("admin", "amc"),
  "GET /v1/comparables/stats": "any",
  "POST /v1/limitation": "any", // due diligence on loans not registered: no personal data, nothing stored
  "POST /v1/claim-amounts": "any", // as POST /v1/limitation: a calculator, nothing stored
  "GET /v1/claims/{claimId}/limitation": "any", // and then only who may read the claim's off-chain details (object level)
  // Issue 17: a claim's 证据目录 and 时效中断证明 (as its evidence), verifying a proof (anyone, like a bundle), the
  // debtor's bankruptcy or objection and a notice's delivery on chain (the holder's side).
  "GET /v1/claims/{claimId}/evidence-catalogue": "any",
  "GET /v1/claims/{claimId}/interruption-proof": "any",
  "POST /v1/verify/interruption-proof": "public",
  "PUT /v1/claims/{claimId}/legal-status": withRoles("bank", "amc", "collector"),
  "POST /v1/cases/{claimId}/notice-delivery": withRoles("bank", "amc"),
  // An oracle key (another organisation's daemon) only asks for signatures; an admin reports no status.
  "POST /v1/loan-status": withRoles("bank", "amc", "feed"), // and then only the holder's side, or a feed (object level)
  "POST /v1/loan-status/batch": withRoles("bank", "amc", "feed"),
  "POST /v1/oracle/run": withRoles("admin"),
  "GET /v1/oracle/status": "any",
  "POST /v1/oracle/sign": withRoles("oracle", "admin"),
  "GET /v1/cases/{claimId}": "any",
  "GET /v1/disputes/{id}": "any",
  "POST /v1/disputes/{id}/ruling": withRoles("court"),
  // The console's API (issue 6).
  "GET /v1/portfolio": withRoles("admin", "bank", "amc"),
  "GET /v1/claims": withRoles("admin", "bank", "amc", "collector", "court", "oracle"), // scoped by the caller inside (src/app/access.ts listScope)
  "GET /v1/queue": withRoles("admin", "bank", "amc", "collector"),
  "POST /v1/packages/preview": withRoles("bank", "amc"),
  "GET /v1/tx/{txHash}": withRoles("admin", "bank", "amc", "collector", "court", "oracle"),
  // Issue 18: the seller's package sales, the court's disputes and a dispute's record.
  "GET /v1/packages": withRoles("bank", "amc"),
  "GET /v1/disputes": withRoles("court", "admin"),
  "GET /v1/disputes/{id}/record": withRoles("court", "admin"),
  // Field surveys and outside-data feeds.
  "GET /v1/surveys/checklists": "any",
  "POST /v1/claims/{claimId}/surveys": withRoles("bank", "amc", "collector"), // and then only the holder's side (object level)
  "GET /v1/claims/{claimId}/surveys": "any", // as the receipt
  "POST /v1/feeds": withRoles("bank", "amc", "feed"), // and then only the holder's side, or a feed (object level)
  "POST /v1/feeds/import": withRoles("bank", "amc", "feed"),
  "GET /v1/claims/{claimId}/feeds": "any", // as the receipt
  // Settlement offers (mediation).
  "POST /v1/claims/{claimId}/offers": withRoles("bank", "amc", "collector"), // and then only the holder's side (object level)
  "GET /v1/claims/{claimId}/offers": "any", // as the receipt
  "GET /v1/offers/{id}": "any", // as the receipt
  "POST /v1/offers/{id}/approve": withRoles("bank", "amc", "admin"),
  "POST /v1/offers/{id}/accept": withRoles("bank", "amc", "collector", "admin"),
  // Loan-file handover between organisations' nodes (issue 16).
  "GET /v1/handover/keys": "public", // the node's handover key, signed by each account it serves
  "POST /v1/handover/inbox": "public", // authenticated by the selling account's signature, not by a key
  "GET /v1/handover/outbox": withRoles("admin", "bank", "amc"), // and then only the seller's own sales
  "GET /v1/handover/outbox/{id}": withRoles("admin", "bank", "amc"),
  "POST /v1/handover/outbox/{id}/retry": withRoles("admin", "bank", "amc"),
  "GET /v1/handover/inbox": withRoles("admin", "amc", "bank", "collector"), // and then only deliveries to the caller's side
  "GET /v1/handover/inbox/{txHash}": withRoles("admin", "amc", "bank", "collector"),
  "GET /v1/handover/claims/{claimId}/file": withRoles("amc", "bank", "collector"), // and then only the holder's side, or the seller read-only
  "GET /v1/personal-data/reads": withRoles("admin"),
  "POST /v1/handover/retention/run": withRoles("admin"),
  // Packages' data rooms (issue 19): a room to its seller and to eligible buyers (any key, then the chain's roles decide).
  "POST /v1/market/rooms": withRoles("bank", "amc"),
  "GET /v1/market/rooms": withRoles("bank", "amc", "admin"),
  "GET /v1/market/rooms/{roomId}": "any", // or no key with a request signed by the buyer's account (headers)
  "GET /v1/market/rooms/{roomId}/accesses": withRoles("bank", "amc", "admin"), // and then only the room's seller
  "POST /v1/market/peer-rooms": withRoles("amc"),
  "GET /v1/market/peer-rooms": withRoles("amc"),
  "GET /v1/market/peer-rooms/{seller}/{roomId}": withRoles("amc"),
  "PUT /v1/market/profile": withRoles("amc"),
  "GET /v1/market/profile": withRoles("amc"),
  "GET /v1/market/recommendations": withRoles("amc"),
  "GET /v1/market/recommended-listings": withRoles("amc"),
  // The claim market (issue 19): sellers list and execute, buyers (amc keys: licensed AMCs and qualified
  // investors) bid; object-level checks (the listing's seller, an eligible buyer) come after the role.
  "POST /v1/market/listings": withRoles("bank", "amc"),
  "GET /v1/market/listings": withRoles("admin", "bank", "amc", "court"),
  "GET /v1/market/listings/{id}": withRoles("admin", "bank", "amc", "court"),
  "POST /v1/market/listings/{id}/cancel": withRoles("bank", "amc"),
  "POST /v1/market/listings/{id}/award": withRoles("bank", "amc"),
  "POST /v1/market/listings/{id}/runner-up": withRoles("bank", "amc", "court", "admin"),
  "POST /v1/market/listings/{id}/execute": withRoles("bank", "amc"),
  "POST /v1/market/listings/{id}/bids": withRoles("amc"),
  "POST /v1/market/listings/{id}/reveal": withRoles("amc"),
  "POST /v1/market/listings/{id}/payment": withRoles("amc"),
  // A package that did not sell: the advice and the relist, a seller's key (and then only the listing's seller).
  "GET /v1/market/listings/{id}/advice": withRoles("bank", "amc"),
  "POST /v1/market/listings/{id}/relist": withRoles("bank", "amc"),
};

/** Served but not in the OpenAPI document (hidden pages, the docs UI): all public. */
export const HIDDEN_PUBLIC_ROUTES = ["GET /docs", "GET /docs/json", "GET /verify", "GET /assets/verify.js", "GET /assets/verify.css", "GET /console", "GET /console/claims"];

/** Keys allowed by a table row (every key for public and any). */
export function allowedKeys(access: Access): string[] {
  return access === "public" || access === "any" ? [...KEY_NAMES] : [...access];
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  ms: number;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Hard limit: a request that takes longer fails the test as a hang. */
  timeoutMs?: number;
}

/** One HTTP request over a fresh connection, exactly as given (no implicit content type). */
export function raw(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const started = Date.now();
  const timeoutMs = req.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { connection: "close", ...(req.headers ?? {}) };
    if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body);
    const r = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: Date.now() - started });
      });
    });
    const timer = setTimeout(() => {
      r.destroy(new Error(`no answer within ${timeoutMs} ms: ${req.method} ${req.path.slice(0, 200)}`));
    }, timeoutMs);
    r.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** Every key and value of the LevelDB store (all deployments' namespaces), hashed; and how many keys. */
export async function storeDigest(stack: TestStack): Promise<{ keys: number; sha256: string; bySublevel: Record<string, number> }> {
  const db = appScope(stack.api).store.db;
  const h = createHash("sha256");
  let keys = 0;
  const bySublevel: Record<string, number> = {};
  for await (const [k, v] of db.iterator({ keyEncoding: "utf8", valueEncoding: "utf8" } as never) as AsyncIterable<[string, string]>) {
    // Keys look like !namespace!!sublevel!key: count per sublevel for a readable diff.
    const name = /^!.*?!!(.*?)!/.exec(k)?.[1] ?? "?";
    // The personal-data read log (PIPL) is written by every read that shows personal data, by design.
    if (name.startsWith("personal-data-reads")) continue;
    h.update(k).update("\u0000").update(v).update("\u0001");
    keys++;
    bySublevel[name] = (bySublevel[name] ?? 0) + 1;
  }
  return { keys, sha256: h.digest("hex"), bySublevel };
}

/** The chain's head: a state change there shows as a new block (the dev node mines on every transaction). */
export async function chainHead(stack: TestStack): Promise<number> {
  const provider = new JsonRpcProvider(stack.chainUrl);
  try {
    return await provider.getBlockNumber();
  } finally {
    provider.destroy();
  }
}

/** The operations of the OpenAPI document: "METHOD /path" → operation. */
export function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Array<{ id: string; method: string; path: string; op: any }> {
  const out = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      out.push({ id: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op });
    }
  }
  return out;
}
