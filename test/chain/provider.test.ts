import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Network } from "ethers";
import { FastJsonRpcProvider } from "../../src/chain/provider.js";

/** A JSON-RPC endpoint whose answers a test writes by hand (statuses, split characters, dropped connections). */
async function endpoint(handle: (body: { id: number; method: string }, res: ServerResponse, req: IncomingMessage) => void): Promise<{ url: string; server: Server; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (text += c));
    req.on("end", () => {
      bodies.push(text);
      handle(JSON.parse(text), res, req);
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/rpc`, server, bodies };
}

const open: Array<{ provider: FastJsonRpcProvider; server: Server }> = [];
afterEach(async () => {
  for (const { provider, server } of open.splice(0)) {
    provider.destroy();
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
});
function providerOf(e: { url: string; server: Server }, maxAnswerChars?: number): FastJsonRpcProvider {
  const provider = new FastJsonRpcProvider(e.url, Network.from(31337n), { staticNetwork: true, cacheTimeout: -1 }, maxAnswerChars);
  open.push({ provider, server: e.server });
  return provider;
}

describe("chain/provider", () => {
  describe("FastJsonRpcProvider._send", () => {
    it("decodes an answer whose multi-byte characters are split across chunks", async () => {
      const e = await endpoint((body, res) => {
        const bytes = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: body.id, result: "债权转让通知书—已送达" }), "utf8");
        res.writeHead(200, { "content-type": "application/json" });
        // One byte at a time: every character of three bytes arrives in three chunks.
        let i = 0;
        const next = () => (i < bytes.length ? res.write(bytes.subarray(i, ++i), () => setImmediate(next)) : res.end());
        next();
      });
      expect(await providerOf(e).send("debtrail_text", [])).toBe("债权转让通知书—已送达");
    });

    it("sends the request body as JSON with its length, and answers a batch in order", async () => {
      const seen: Array<{ type?: string; length?: string; bytes: number }> = [];
      const e = await endpoint((body, res, req) => {
        seen.push({ type: req.headers["content-type"], length: req.headers["content-length"], bytes: Buffer.byteLength(e.bodies.at(-1)!) });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(Array.isArray(body) ? body.map((b: { id: number; method: string }) => ({ jsonrpc: "2.0", id: b.id, result: b.method })) : { jsonrpc: "2.0", id: body.id, result: body.method }));
      });
      const provider = providerOf(e);
      const [a, b] = await Promise.all([provider.send("eth_a", ["债务人"]), provider.send("eth_b", [])]);
      expect([a, b]).toEqual(["eth_a", "eth_b"]);
      // ethers joins the two into one batch; the length counts bytes, not characters.
      expect(JSON.parse(e.bodies[0]!).map((x: { method: string; params: unknown[] }) => [x.method, x.params])).toEqual([["eth_a", ["债务人"]], ["eth_b", []]]);
      expect(seen).toEqual([{ type: "application/json", length: String(seen[0]!.bytes), bytes: Buffer.byteLength(e.bodies[0]!) }]);
    });

    it("refuses a bad HTTP status and a body that is not JSON as SERVER_ERROR, without the URL", async () => {
      let answer: "status" | "garbage" = "status";
      const e = await endpoint((_body, res) => {
        if (answer === "status") {
          res.writeHead(502, "Bad Gateway");
          res.end("upstream down");
        } else {
          res.writeHead(200);
          res.end("{not json");
        }
      });
      const provider = providerOf(e);
      const status = await provider.send("eth_blockNumber", []).catch((x: unknown) => x as { code: string; message: string });
      expect(status).toMatchObject({ code: "SERVER_ERROR" });
      expect(status.message).toContain("502");
      expect(status.message).not.toContain("/rpc");
      answer = "garbage";
      await expect(provider.send("eth_blockNumber", [])).rejects.toMatchObject({ code: "SERVER_ERROR", message: expect.stringContaining("bad response data") });
    });

    it("sends a request again once when the connection is reset before any answer", async () => {
      let calls = 0;
      const e = await endpoint((body, res, req) => {
        if (++calls === 1) return req.socket.destroy();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, result: "0x2a" }));
      });
      const provider = providerOf(e);
      expect(await provider.send("eth_blockNumber", [])).toBe("0x2a");
      expect(calls).toBe(2);
      expect(e.bodies[0]).toBe(e.bodies[1]);
    });

    it("gives up after a second reset: the network's own error reaches the caller", async () => {
      const e = await endpoint((_body, _res, req) => req.socket.destroy());
      await expect(providerOf(e).send("eth_blockNumber", [])).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET|EPIPE/) });
      expect(e.bodies).toHaveLength(2);
    });

    it("does not wait forever for an answer cut off half way: the request is refused or sent once more", async () => {
      let calls = 0;
      const e = await endpoint((body, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        if (++calls === 1) return res.write('{"jsonrpc":"2.0","id":', () => res.socket?.destroy());
        const text = JSON.stringify({ jsonrpc: "2.0", id: body.id, result: "0x2a" });
        res.end(text.padEnd(1000, " "));
      });
      const outcome = await providerOf(e).send("eth_blockNumber", []).then((r: unknown) => ({ result: r }), (x: { code?: string }) => ({ code: x.code }));
      // A reset is sent once more (any request here may be: reads, estimates, signed transactions' same bytes).
      expect(outcome).toEqual({ result: "0x2a" });
      expect(calls).toBe(2);
    });

    it("refuses an answer larger than its limit, as SERVER_ERROR, without reading the rest", async () => {
      let written = 0;
      const e = await endpoint((_body, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        // An answer without end, a kilobyte at a time, until the client goes away.
        const next = () => {
          if (res.destroyed || written > 10_000_000) return res.end();
          written += 1024;
          res.write("x".repeat(1024), () => setImmediate(next));
        };
        res.write('{"jsonrpc":"2.0","id":1,"result":"');
        next();
      });
      await expect(providerOf(e, 64 * 1024).send("eth_getLogs", [])).rejects.toMatchObject({ code: "SERVER_ERROR", message: expect.stringContaining("larger than 65536") });
      expect(written).toBeLessThan(10_000_000);
    });

    it("destroyed, ends the requests under way and sends none again (no retry reaches the node later)", async () => {
      const e = await endpoint(() => undefined); // never answers
      const provider = providerOf(e);
      const pending = provider.send("eth_getLogs", []).catch((x: { code?: string }) => x);
      while (e.bodies.length === 0) await new Promise((ok) => setTimeout(ok, 5));
      provider.destroy();
      expect(await pending).toMatchObject({ code: "CANCELLED" });
      await new Promise((ok) => setTimeout(ok, 100));
      expect(e.bodies).toHaveLength(1);
    });

    it("fails at once, with ECONNREFUSED, when nothing listens", async () => {
      const e = await endpoint(() => undefined);
      await new Promise((ok) => e.server.close(ok));
      await expect(providerOf(e).send("eth_blockNumber", [])).rejects.toMatchObject({ code: "ECONNREFUSED" });
    });
  });
});
