import { JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from "ethers";

/**
 * ethers' JsonRpcProvider with its transport replaced by Node's own fetch: ethers encodes each request body
 * and decodes each response in JavaScript, a character at a time — for an import's 100-claim transactions
 * (110 KB of hex, sent twice: estimate and broadcast) and the indexer's large eth_getLogs answers that was a
 * good part of the API's event loop. Here the platform does it. Errors keep ethers' shapes (SERVER_ERROR
 * for a bad HTTP status or body; the network's own error otherwise), so callers see no difference.
 */
/**
 * A connection reset before any answer: Node's fetch keeps sockets alive and may reuse one in the instant
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

export class FastJsonRpcProvider extends JsonRpcProvider {
  constructor(private readonly endpoint: string, network?: Network, options?: ConstructorParameters<typeof JsonRpcProvider>[2]) {
    super(endpoint, network, options);
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const body = JSON.stringify(payload);
    const post = () => fetch(this.endpoint, {
      method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(300_000),
    });
    let res: Response;
    try {
      res = await post();
    } catch (e) {
      if (!connectionReset(e)) throw e;
      res = await post();
    }
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) {
      throw serverError(`server response ${res.status} ${res.statusText}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw serverError("bad response data");
    }
    return (Array.isArray(answer) ? answer : [answer]) as JsonRpcResult[];
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
