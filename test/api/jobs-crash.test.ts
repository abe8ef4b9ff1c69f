import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { JsonRpcProvider } from "ethers";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";
import { startStack, freePort, claimRequest, type TestStack } from "../helpers/stack.js";
import { waitForRpc } from "../../src/chain/provider.js";

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
  await stack.api.close(); // this test runs the API as a separate process it can kill
});
const children = new Set<ChildProcess>();
// A failed or timed-out test must not leave its API child running: it holds the runner's stderr open.
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await stack?.stop();
});

async function spawnApi(port: number): Promise<ChildProcess> {
  // node itself (not the tsx wrapper, which would leave an orphan on SIGKILL) with tsx as a loader.
  const child = spawn(process.execPath, ["--import", "tsx", resolve("src/api/server.ts")], {
    env: { ...process.env, DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: stack.chainUrl, DATA_DIR: stack.dataDir, PORT: String(port), LOG_LEVEL: "silent" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  const deadline = Date.now() + 90_000; // a loaded machine starts tsx slowly
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("API did not start");
}

const get = (port: number, path: string) =>
  fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: "Bearer dev-bank" } }).then((r) => r.json() as Promise<any>);

describe("jobs service", () => {
  describe("crash during a batch registration", () => {
    it("after SIGKILL and restart, every accepted claim is registered exactly once and the job completes", async () => {
      await waitForRpc(stack.chainUrl);
      const port = await freePort();
      let api = await spawnApi(port);
      const claims = Array.from({ length: 400 }, (_, i) => claimRequest(`CRASH-${i}`));
      const accepted = await fetch(`http://127.0.0.1:${port}/v1/claims/batch`, {
        method: "POST",
        headers: { authorization: "Bearer dev-bank", "content-type": "application/json" },
        body: JSON.stringify({ claims }),
      });
      expect(accepted.status).toBe(202);
      const { jobId } = (await accepted.json()) as { jobId: string };
      // Kill mid-job: after some chunks landed, before all.
      let before = 0;
      for (let i = 0; i < 300 && before === 0; i++) {
        before = (await get(port, `/v1/jobs/${jobId}`)).registered;
        if (before === 0) await new Promise((r) => setTimeout(r, 20));
      }
      api.kill("SIGKILL");
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(400);
      await new Promise((r) => api.once("exit", r));
      const mid = await new JsonRpcProvider(stack.chainUrl).getBlockNumber();
      expect(mid).toBeGreaterThan(0);

      api = await spawnApi(port);
      let job: any;
      for (let i = 0; i < 600; i++) {
        job = await get(port, `/v1/jobs/${jobId}`);
        if (job.status === "done") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      api.kill("SIGKILL");
      expect(job.status).toBe("done");
      expect(job.failed).toBe(0);
      expect(job.registered).toBe(400);

      const provider = new JsonRpcProvider(stack.chainUrl);
      const registry = ClaimRegistry__factory.connect(stack.deployment.contracts.ClaimRegistry.address, provider);
      const events = await registry.queryFilter(registry.filters.ClaimRegistered(), 0);
      const ids = events.map((e) => e.args.claimId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const r of job.results) expect(ids).toContain(r.claimId);
      provider.destroy();
    }, 240_000); // two API starts and a 400-claim job: slow on a loaded machine, bounded by the waits above
  });
});
