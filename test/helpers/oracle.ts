import { expect } from "vitest";
import type { JsonRpcProvider } from "ethers";
import { call, type TestStack } from "./stack.js";

const DAY = 86_400;

/** The latest block's time (unix seconds). */
export async function chainNow(provider: JsonRpcProvider): Promise<number> {
  return (await provider.getBlock("latest"))!.timestamp;
}

/** Moves the chain clock on by `days` and mines a block. */
export async function advanceDays(provider: JsonRpcProvider, days: number): Promise<void> {
  await provider.send("evm_increaseTime", [Math.round(days * DAY)]);
  await provider.send("evm_mine", []);
}

/** One oracle cycle through POST /v1/oracle/run; no report may fail. */
export async function runCycle(stack: TestStack) {
  const r = await call(stack, "POST", "/v1/oracle/run", "dev-admin");
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.failed).toBe(0);
  return r.body;
}

/** GET /v1/cases/:claimId as the court sees it. */
export async function caseView(stack: TestStack, claimId: string, key = "dev-bank") {
  // The originating bank may read its claims' off-chain items (notice records) also after a sale.
  const r = await call(stack, "GET", `/v1/cases/${claimId}`, key);
  expect(r.status).toBe(200);
  return r.body;
}
