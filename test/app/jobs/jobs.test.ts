/**
 * Batch imports (src/app/jobs): against a real hardhat node and a real store. The stack runs with a small
 * calldata bound (REGISTER_TX_MAX_BYTES: ~11 claims a transaction) and two transactions in flight.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { devWallet } from "../../../src/config/dev-accounts.js";
import { startStack, call, claimRequest, waitJob, appScope, type TestStack } from "../../helpers/stack.js";

const MAX_TX_BYTES = 6_000;
const IN_FLIGHT = 2;

let stack: TestStack;
let provider: JsonRpcProvider;

beforeAll(async () => {
  stack = await startStack({ REGISTER_TX_MAX_BYTES: String(MAX_TX_BYTES), REGISTER_IN_FLIGHT: String(IN_FLIGHT) });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
});
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("batch import", () => {
  it("a second import by the same bank leaves an already registered claim's record untouched and names the row as a conflict", async () => {
    const first = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims: [claimRequest("DUP-1"), claimRequest("DUP-2")] });
    expect(first.status).toBe(202);
    const done = await waitJob(stack, first.body.jobId);
    expect(done.registered).toBe(2);
    const [claimId] = done.results.map((r: { claimId: string }) => r.claimId);
    const before = (await call(stack, "GET", `/v1/claims/${claimId}`, "dev-bank")).body;
    expect(before.status).toBe("registered");

    // The dishonest (or careless) second import: the same loan with other debtor data, beside a new loan.
    const again = claimRequest("DUP-1", { debtor: { name: "王五", idNumber: "110101199003070003", type: "retail", debtorId: "D-OTHER" } });
    const second = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims: [claimRequest("DUP-3"), again] });
    expect(second.status).toBe(202);
    const job = await waitJob(stack, second.body.jobId);
    expect(job.status).toBe("done");

    // The registered claim's off-chain record is the first import's, byte for byte.
    const after = (await call(stack, "GET", `/v1/claims/${claimId}`, "dev-bank")).body;
    expect(after.status).toBe("registered");
    expect(after.offChain).toEqual(before.offChain);
    const record = await appScope(stack.api).store.sub<{ jobId: string; status: string }>("claims").get(claimId);
    expect(record).toMatchObject({ jobId: first.body.jobId, status: "registered" });

    // The row is reported as a conflict naming it, at acceptance; the new loan is registered.
    expect(second.body.rejected).toBe(1);
    expect(job.registered).toBe(1);
    const row = job.results.find((r: { index: number }) => r.index === 1);
    expect(row).toMatchObject({ status: "failed", claimId, error: { code: "CONFLICT", rule: "already-registered", field: "claims[1]" } });
    expect(row.error.message).toContain("claims[1]");
  });

  it("an import bigger than one transaction registers fully in chunks within the calldata bound, never more than REGISTER_IN_FLIGHT unmined", async () => {
    const bank = devWallet(1).address;
    const unmined = async () => (await provider.getTransactionCount(bank, "pending")) - (await provider.getTransactionCount(bank, "latest"));
    const claims = Array.from({ length: 40 }, (_, i) => claimRequest(`CHUNK-${i}`));
    await provider.send("evm_setAutomine", [false]);
    let jobId: string;
    try {
      const res = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims });
      expect(res.status).toBe(202);
      jobId = res.body.jobId;
      // The runner fills its window, then waits for a block: the third transaction is not signed meanwhile.
      for (let i = 0; i < 100 && (await unmined()) < IN_FLIGHT; i++) await sleep(100);
      expect(await unmined()).toBe(IN_FLIGHT);
      await sleep(1_500);
      expect(await unmined()).toBe(IN_FLIGHT);
      for (let i = 0; i < 60 && (await call(stack, "GET", `/v1/jobs/${jobId}`, "dev-bank")).body.status !== "done"; i++) {
        expect(await unmined()).toBeLessThanOrEqual(IN_FLIGHT);
        await provider.send("evm_mine", []);
        await sleep(300);
      }
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const job = await waitJob(stack, jobId!);
    expect(job).toMatchObject({ status: "done", registered: 40, failed: 0 });
    const txs = [...new Set(job.results.map((r: { txHash: string }) => r.txHash))] as string[];
    expect(txs.length).toBeGreaterThanOrEqual(4); // 40 claims of ~512 bytes each, at most ~11 a transaction
    for (const hash of txs) {
      const tx = await provider.getTransaction(hash);
      expect((tx!.data.length - 2) / 2).toBeLessThanOrEqual(MAX_TX_BYTES);
    }
  });

  it("/healthz answers while a large import is prepared (worker thread) and while its rows are written", async () => {
    const api = appScope(stack.api);
    const headers = api.store.sub<{ status: string }>("jobs");
    const claims = Array.from({ length: 20_000 }, (_, i) => claimRequest(`BIG-${i}`));
    let accepted = false;
    const importing = call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims }).finally(() => (accepted = true));
    const seen = { preparing: 0, writing: 0 };
    while (!accepted) {
      const health = await call(stack, "GET", "/healthz");
      expect(health.status).toBe(200);
      if (api.jobs.preparing > 0) seen.preparing++;
      for await (const h of headers.values()) if (h.status === "accepting") seen.writing++;
    }
    expect((await importing).status).toBe(202);
    expect(seen.preparing).toBeGreaterThan(0);
    expect(seen.writing).toBeGreaterThan(0);
  });
});
