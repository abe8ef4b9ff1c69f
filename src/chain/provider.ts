import { JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from "ethers";

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/**
 * ethers' JsonRpcProvider with its transport replaced by Node's own HTTP client: ethers encodes each request
 * body and decodes each response in JavaScript, a character at a time — for an import's 100-claim
 * transactions (110 KB of hex, sent twice: estimate and broadcast) and the indexer's large eth_getLogs
 * answers that was a good part of the API's event loop. Here the platform does it. Errors keep ethers'
 * shapes (SERVER_ERROR for a bad HTTP status or body; the network's own error otherwise), so callers see
 * no difference.
 *
 * Not fetch: fetch copies a request body into a Buffer and keeps an answer's chunks until its last one,
 * and the API holding a million-claim console model felt it — those buffers, alive across a transaction's
 * mining, outlived the young generation, and external memory kept in the old one starts a full collection
 * every 64 MB (about a minute of an import: a second of the API's main thread marking each time). Here the
 * body is written as a string and each chunk of the answer is decoded as it arrives and dropped.
 */
/**
 * A connection reset before any answer: the client keeps sockets alive and may reuse one in the instant
 * the node closes it as idle (both sides' keep-alive timeouts are 5 s), which surfaced as a rare ECONNRESET
 * in the middle of an oracle cycle. Every JSON-RPC request this code sends may be repeated once: reads, gas
 * estimates, and signed transactions (the same bytes).
 */
function connectionReset(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } })?.cause;
  const code = cause?.code ?? (e as { code?: string })?.code;
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE";
}

/** ethers' SERVER_ERROR (what the API maps to 503): never carrying the URL, which may hold an RPC key. */
const serverError = (message: string) => Object.assign(new Error(message), { code: "SERVER_ERROR", shortMessage: message });

/** How long one JSON-RPC request may take (a large eth_getLogs on a busy node included). */
const RPC_TIMEOUT_MS = 300_000;
/** Idle sockets are closed after 4 s: before the node's own 5 s keep-alive timeout closes them under a request. */
const KEEP_ALIVE = { keepAlive: true, timeout: 4_000, maxFreeSockets: 16 };

/**
 * The largest answer taken (in UTF-16 code units as decoded): a node answering without end is refused rather
 * than growing a string until V8 refuses it (which would throw inside a stream event: the process would end).
 */
export const MAX_ANSWER_CHARS = 256 * 2 ** 20;

/** What a request of a destroyed provider ends with (ethers' CANCELLED): never sent again. */
const providerClosed = () => Object.assign(new Error("the JSON-RPC provider was closed"), { code: "CANCELLED", shortMessage: "the JSON-RPC provider was closed" });

/** An answer: its status and its body decoded as UTF-8 chunk by chunk (a character split across chunks included). */
function post(url: URL, agent: HttpAgent, body: string, maxChars: number, closed: AbortSignal): Promise<{ status: number; statusText: string; text: string }> {
  return new Promise((resolve, reject) => {
    if (closed.aborted) return reject(providerClosed());
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, {
      method: "POST", agent, signal: AbortSignal.any([closed, AbortSignal.timeout(RPC_TIMEOUT_MS)]),
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    }, (res: IncomingMessage) => {
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk: string) => {
        if (text.length + chunk.length > maxChars) {
          req.destroy();
          reject(serverError(`the chain node's answer is larger than ${maxChars} characters`));
          return;
        }
        text += chunk;
      });
      res.once("end", () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", text }));
      res.on("error", reject);
    });
    // `on`, not `once`: a second error on the same request (a timeout after a reset) must not go unhandled.
    req.on("error", (e: Error) => {
      if (closed.aborted) reject(providerClosed());
      else if (e.name === "AbortError") reject(Object.assign(new Error(`the chain node did not answer within ${RPC_TIMEOUT_MS / 1000} s`), { code: "TIMEOUT" }));
      else reject(e);
    });
    req.end(body);
  });
}

export class FastJsonRpcProvider extends JsonRpcProvider {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  /** Aborted by destroy(): requests under way end, none is sent again (a retry of a reset included). */
  private readonly closing = new AbortController();

  /** `maxAnswerChars`: the largest answer taken ({@link MAX_ANSWER_CHARS}). */
  constructor(endpoint: string, network?: Network, options?: ConstructorParameters<typeof JsonRpcProvider>[2], private readonly maxAnswerChars = MAX_ANSWER_CHARS) {
    super(endpoint, network, options);
    this.url = new URL(endpoint);
    this.agent = this.url.protocol === "https:" ? new HttpsAgent(KEEP_ALIVE) : new HttpAgent(KEEP_ALIVE);
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const body = JSON.stringify(payload);
    let res: Awaited<ReturnType<typeof post>>;
    try {
      res = await post(this.url, this.agent, body, this.maxAnswerChars, this.closing.signal);
    } catch (e) {
      if (!connectionReset(e)) throw e;
      res = await post(this.url, this.agent, body, this.maxAnswerChars, this.closing.signal);
    }
    if (res.status < 200 || res.status >= 300) {
      throw serverError(`server response ${res.status} ${res.statusText}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(res.text);
    } catch {
      throw serverError("bad response data");
    }
    return (Array.isArray(answer) ? answer : [answer]) as JsonRpcResult[];
  }

  override destroy(): void {
    this.closing.abort();
    super.destroy();
    this.agent.destroy();
  }
}

/**
 * A JSON-RPC provider for the daemon and the API. The response cache is off (cacheTimeout -1):
 * ethers otherwise caches identical calls for 250 ms, which makes a nonce read right after a
 * mined transaction stale. Polling is quick because the local node mines on demand.
 */
export async function connectProvider(url: string): Promise<FastJsonRpcProvider> {
  const probe = new FastJsonRpcProvider(url, undefined, { cacheTimeout: -1, staticNetwork: true });
  const chainId = BigInt(await probe.send("eth_chainId", []));
  probe.destroy();
  const provider = new FastJsonRpcProvider(url, Network.from(chainId), {
    cacheTimeout: -1,
    staticNetwork: true,
    pollingInterval: 250,
  });
  return provider;
}

/** Waits until the node answers eth_chainId, or throws after `timeoutMs`. */
export async function waitForRpc(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(2000),
      });
      if (res.ok) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`chain node at ${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}
