/**
 * `debtrail verify <bundle.json> --rpc <url>`: checks an evidence proof bundle with nothing but a
 * JSON-RPC endpoint (offline integrity, then the anchor on chain) and words the outcome as a
 * verification certificate. No Debtrail API is involved.
 */
import { readFile } from "node:fs/promises";
import { JsonRpcProvider, Network } from "ethers";
import { verifyBundleOnChain, BUNDLE_FAILURE_MESSAGES, type BundleFailure } from "../chain/verify-bundle.js";
import type { ProofBundle } from "../core/bundle.js";
import { t, type Lang, type MessageKey } from "../i18n/messages.js";

/** Why a bundle file could not be used: it cannot be read, or it is not JSON. */
export class BundleFileError extends Error {
  constructor(
    readonly problem: "unreadable" | "not-json",
    readonly file: string,
    readonly reason: string,
    /** The file system's error code when the file could not be read (ENOENT, EISDIR, EACCES, ...). */
    readonly errno?: string,
  ) {
    super(`${problem}: ${file}: ${reason}`);
  }
}

/** The JSON-RPC endpoint did not answer eth_chainId. */
export class RpcUnavailableError extends Error {
  constructor(readonly url: string, readonly reason: string) {
    super(`${url}: ${reason}`);
  }
}

/**
 * Reads a bundle file. Accepts the bundle itself, a receipt (GET /v1/evidence/:id/receipt, whose
 * extra `status` is dropped) or an object holding it under `bundle` (a saved POST /v1/verify answer).
 *
 * @throws BundleFileError if the file cannot be read or is not JSON
 */
export async function readBundleFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BundleFileError("unreadable", file, err.message, err.code);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new BundleFileError("not-json", file, (e as Error).message);
  }
  if (data !== null && typeof data === "object" && !Array.isArray(data)) {
    const o = data as Record<string, unknown>;
    if (!("record" in o) && o.bundle !== null && typeof o.bundle === "object") return o.bundle;
    if (o.status === "anchored") {
      const { status: _status, ...bundle } = o;
      return bundle;
    }
  }
  return data;
}

/**
 * A provider for `url` whose network is fixed by one eth_chainId call (so an unreachable node fails
 * once, within `timeoutMs`, instead of ethers retrying the network detection for ever).
 *
 * @throws RpcUnavailableError
 */
export async function connectRpc(url: string, timeoutMs = 10_000): Promise<JsonRpcProvider> {
  let chainId: bigint;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { result?: string; error?: { message?: string } };
    if (typeof body.result !== "string") throw new Error(body.error?.message ?? "no eth_chainId result");
    chainId = BigInt(body.result);
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    throw new RpcUnavailableError(url, err.cause?.code ?? err.cause?.message ?? err.message);
  }
  return new JsonRpcProvider(url, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
}

/** The outcome of one verification, with what the bundle says about the record and its anchor. */
export interface Certificate {
  verified: boolean;
  reason?: BundleFailure;
  /** The reason in both languages. */
  messages?: { en: string; "zh-CN": string };
  recordId: string | null;
  claimId: string | null;
  kind: string | null;
  channel: string | null;
  occurredAt: string | null;
  contentHash: string | null;
  /** The salted commitment to the record's document on chain (a notice), and its salt, when the bundle carries them. */
  commitment: string | null;
  salt: string | null;
  root: string | null;
  blockNumber: number | null;
  /** ISO time of the anchoring block: the chain's when verified, else the bundle's claim. */
  blockTime: string | null;
  /** Unix seconds the contract gives for the root, 0 when the chain was not reached or has no anchor. */
  anchoredAt: number;
  txHash: string | null;
  contract: string | null;
  chainId: number | null;
  submitter: string | null;
  proofLength: number | null;
  proof: string[];
  rpc: string;
  /** Blocks mined on top of the anchor's block at the node when checked (null when not verified). */
  confirmations: number | null;
  checkedAt: string;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const int = (v: unknown): number | null => (typeof v === "number" && Number.isSafeInteger(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function isoOfSeconds(seconds: number | null): string | null {
  if (seconds === null || seconds <= 0 || seconds > 8.64e12) return null;
  return new Date(seconds * 1000).toISOString();
}

/** Verifies `bundle` (any JSON value) against `provider`; never throws for a bad bundle, only for network errors. */
export async function verifyBundleWith(bundle: unknown, provider: JsonRpcProvider, rpc: string): Promise<Certificate> {
  const result = await verifyBundleOnChain(bundle as ProofBundle, provider);
  // How deep the anchor lies on this node's chain when checked: a chain that mines on an interval (or a BFT
  // network with finality) gives a receipt no sooner than its block; a court weighs a 0-confirmation anchor accordingly.
  const confirmations = result.verified ? Math.max(0, (await provider.getBlockNumber()) - result.blockNumber) : null;
  const b = obj(bundle);
  const record = obj(b.record);
  const anchor = obj(b.anchor);
  const proof = Array.isArray(b.proof) ? b.proof.filter((p): p is string => typeof p === "string") : [];
  return {
    verified: result.verified,
    ...(result.reason ? { reason: result.reason, messages: BUNDLE_FAILURE_MESSAGES[result.reason] } : {}),
    recordId: str(b.recordHash),
    claimId: str(record.claimId),
    kind: str(record.kind),
    channel: str(record.channel),
    occurredAt: str(record.occurredAt),
    contentHash: str(record.contentHash),
    commitment: str(obj(b.document).commitment),
    salt: str(obj(b.document).salt),
    root: str(b.root),
    blockNumber: int(anchor.blockNumber),
    blockTime: isoOfSeconds(result.verified ? result.anchoredAt : int(anchor.blockTimestamp)),
    anchoredAt: result.anchoredAt,
    txHash: str(anchor.txHash),
    contract: str(b.contract),
    chainId: int(b.chainId),
    submitter: str(anchor.submitter),
    proofLength: Array.isArray(b.proof) ? b.proof.length : null,
    proof,
    rpc,
    confirmations,
    checkedAt: new Date().toISOString(),
  };
}

/** The certificate as text lines in `lang`. */
export function certificateLines(lang: Lang, c: Certificate): string[] {
  const dash = "-";
  const named = (prefix: "kind" | "channel", value: string | null) =>
    value === null ? dash : lang === "en" ? value : `${nameOf(lang, `${prefix}.${value}`, value)} (${value})`;
  const rows: Array<[MessageKey, string]> = [
    ["cert.recordId", c.recordId ?? dash],
    ["cert.claimId", c.claimId ?? dash],
    ["cert.kind", named("kind", c.kind)],
    ["cert.channel", named("channel", c.channel)],
    ["cert.occurredAt", c.occurredAt ?? dash],
    ["cert.contentHash", c.contentHash ?? dash],
    ...(c.commitment !== null ? [["cert.commitment", c.commitment] as [MessageKey, string], ["cert.salt", c.salt ?? dash] as [MessageKey, string]] : []),
    ["cert.root", c.root ?? dash],
    ["cert.blockNumber", c.blockNumber === null ? dash : String(c.blockNumber)],
    ["cert.blockTime", c.blockTime ?? dash],
    ["cert.txHash", c.txHash ?? dash],
    ["cert.contract", c.contract ?? dash],
    ["cert.chainId", c.chainId === null ? dash : String(c.chainId)],
    ["cert.submitter", c.submitter ?? dash],
    ["cert.proof", c.proofLength === null ? dash : t(lang, "cert.proofLength", { count: c.proofLength })],
    ["cert.node", c.rpc],
    ["cert.confirmations", c.confirmations === null ? dash : String(c.confirmations)],
    ["cert.checkedAt", c.checkedAt],
  ];
  const width = Math.max(...rows.map(([key]) => displayWidth(t(lang, key))));
  const lines = [t(lang, "cert.title"), ""];
  if (c.verified) {
    lines.push(
      `${t(lang, "cert.result")}: ✔ ${t(lang, "cert.verified")}`,
      `  ${t(lang, "cert.verifiedText", { chainId: c.chainId ?? dash, blockTime: c.blockTime ?? dash })}`,
      `  ${t(lang, "cert.scope")}`,
    );
  } else {
    lines.push(`${t(lang, "cert.result")}: ✘ ${t(lang, "cert.notVerified")}`);
    if (c.messages) lines.push(`${t(lang, "cert.reason")}: ${c.messages[lang]} (${t(lang, "verify.reasonCode")}: ${c.reason})`);
    lines.push(`  ${t(lang, "cert.stated")}`);
  }
  lines.push("");
  for (const [key, value] of rows) {
    const label = t(lang, key);
    lines.push(`  ${label}${" ".repeat(width - displayWidth(label))}  ${value}`);
  }
  c.proof.forEach((hash, i) => lines.push(`  ${" ".repeat(width)}  [${i}] ${hash}`));
  return lines;
}

/** The message `key` (a kind or channel name), or `fallback` for a value no message names (a malformed bundle). */
function nameOf(lang: Lang, key: string, fallback: string): string {
  try {
    return t(lang, key as MessageKey);
  } catch {
    return fallback;
  }
}

/** Columns a label takes in a terminal: CJK and full-width characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
