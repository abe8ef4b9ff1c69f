/**
 * Batch imports (src/app/jobs): against a real hardhat node and a real store.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, waitJob, appScope, type TestStack } from "../../helpers/stack.js";

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

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
    const again = claimRequest("DUP-1", { debtor: { name: "王五", idNumber: "110101199003070000", type: "retail", debtorId: "D-OTHER" } });
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
});
