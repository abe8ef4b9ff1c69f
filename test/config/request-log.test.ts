import { describe, it, expect } from "vitest";
import { Writable } from "node:stream";
import Fastify, { LogController } from "fastify";
import { loadConfig } from "../../src/config/config.js";
import { requestLog } from "../../src/api/app.js";

/** `npm start`'s terminal keeps its banner readable: one line per request, at debug on the local dev chain (issue 18). */
describe("request log", () => {
  const dev = { DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: "http://127.0.0.1:8545" };

  it("is at debug on the local dev chain, info elsewhere, REQUEST_LOG_LEVEL to choose", () => {
    expect(loadConfig(dev).requestLogLevel).toBe("debug");
    expect(loadConfig({ ...dev, REQUEST_LOG_LEVEL: "info" }).requestLogLevel).toBe("info");
    expect(() => loadConfig({ ...dev, REQUEST_LOG_LEVEL: "loud" })).toThrow(/REQUEST_LOG_LEVEL/);
  });

  it("writes one line per request at its level, none at the default info level when it is debug", async () => {
    for (const [level, shown] of [["debug", 0], ["info", 1]] as const) {
      const lines: string[] = [];
      const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
      const app = Fastify({ logger: { level: "info", stream }, logController: new LogController({ disableRequestLogging: true }) });
      requestLog(app as never, level);
      app.get("/x", async () => "ok");
      await app.inject({ method: "GET", url: "/x" });
      await app.close();
      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request");
      expect(requests.length).toBe(shown);
      if (shown) expect(requests[0]).toMatchObject({ method: "GET", url: "/x", status: 200 });
    }
  });
});
