import { FetchRequest, JsonRpcProvider, Network, type FetchGetUrlFunc } from "ethers";

/**
 * A request to the node that is sent once more when the connection was reset before any answer: Node's
 * HTTP agent keeps sockets alive and may reuse one in the instant the node closes it as idle (both sides'
 * keep-alive timeouts are 5 s), which surfaced as a rare ECONNRESET in the middle of a cycle. Every JSON-RPC
 * request this code sends may be repeated: reads, gas estimates, and signed transactions (the same bytes).
 */
export function rpcRequest(url: string): FetchRequest {
  const request = new FetchRequest(url);
  const send: FetchGetUrlFunc = FetchRequest.createGetUrlFunc();
  request.getUrlFunc = async (req, signal) => {
    try {
      return await send(req, signal);
    } catch (e) {
      if ((e as { code?: string }).code !== "ECONNRESET") throw e;
      return send(req, signal);
    }
  };
  return request;
}

/**
 * A JSON-RPC provider for the daemon and the API. The response cache is off (cacheTimeout -1):
 * ethers otherwise caches identical calls for 250 ms, which makes a nonce read right after a
 * mined transaction stale. Polling is quick because the local node mines on demand.
 */
export async function connectProvider(url: string): Promise<JsonRpcProvider> {
  const probe = new JsonRpcProvider(rpcRequest(url), undefined, { cacheTimeout: -1, staticNetwork: true });
  const chainId = BigInt(await probe.send("eth_chainId", []));
  probe.destroy();
  const provider = new JsonRpcProvider(rpcRequest(url), Network.from(chainId), {
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
