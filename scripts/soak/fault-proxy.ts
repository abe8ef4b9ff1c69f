/**
 * A loopback TCP proxy in front of a JSON-RPC node that misbehaves on demand: passes, drops new
 * connections, delays traffic, or resets connections mid-flight. For soak runs only.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

export type FaultMode = "pass" | "drop" | "delay" | "reset";

export interface FaultProxy {
  url: string;
  mode: FaultMode;
  /** Delay per chunk in "delay" mode, ms. */
  delayMs: number;
  counts: Record<FaultMode, number>;
  /** Cuts every open connection (kept-alive ones too), as a node going away does. */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = {
    url: "",
    mode: "pass",
    delayMs: 2000,
    counts: { pass: 0, drop: 0, delay: 0, reset: 0 },
    cutAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise((ok) => {
      for (const s of sockets) s.destroy();
      server.close(() => ok());
    }),
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    const mode = proxy.mode;
    proxy.counts[mode]++;
    if (mode === "drop") {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    const relay = (from: Socket, to: Socket) => from.on("data", (chunk) => {
      if (proxy.mode === "reset" && from === upstream) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (proxy.mode === "delay") setTimeout(() => to.write(chunk), proxy.delayMs);
      else to.write(chunk);
    });
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return proxy;
}
