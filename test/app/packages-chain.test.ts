/**
 * Package ids once per seller, on chain too (issue 18): ClaimRegistry refuses a seller's second sale under a
 * package id (PackageIdAlreadyUsed), the API answers that with 409 and the code of its own check; and the same
 * sale retried after a crash is recognised as done, not refused as a reused id nor sent twice.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { appScope, call, claimRequest, startStack, type TestStack } from "../helpers/stack.js";
import { openAssignments } from "../../src/store/repos/assignments.js";
import { openPackages, packageKey } from "../../src/store/repos/packages.js";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";

let stack: TestStack;
let provider: JsonRpcProvider;
let bank: string;
let amc: string;
const ids: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  provider = new JsonRpcProvider(stack.chainUrl);
  bank = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address;
  amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  for (const no of ["PC-1", "PC-2", "PC-3", "PC-4"]) {
    const res = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.claimId);
  }
}, 180_000);
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

const sale = (claimIds: string[], packageId: string, price = "100000") => ({ claimIds, to: amc, packageId, price, notice: `债权转让通知：${packageId}` });

describe("package ids on chain", () => {
  it("a label the chain has for this seller, though this node's records lost it, is refused with 409 package-id-taken; nothing is sent", async () => {
    const first = await call(stack, "POST", "/v1/assignments", "dev-bank", sale([ids[0]!], "2026年第一批"));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const registry = ClaimRegistry__factory.connect(stack.deployment.contracts.ClaimRegistry.address, provider);
    expect(await registry.isPackageIdUsed(bank, first.body.packageRef)).toBe(true);
    // The node forgets the sale (a store restored from an old backup, another node of the same bank): its own
    // check lets the label through, the chain does not.
    const packages = openPackages(appScope(stack.api).store);
    await packages.byLabel.del(packageKey(bank, "2026年第一批"));
    const before = await provider.getBlockNumber();
    const again = await call(stack, "POST", "/v1/assignments", "dev-bank", sale([ids[1]!], "2026年第一批", "5"));
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body).toMatchObject({ code: "validation.package-id-taken", params: { packageId: "2026年第一批", usedAt: new Date((await provider.getBlock(first.body.blockNumber))!.timestamp * 1000).toISOString().slice(0, 10) } });
    expect(again.body).toMatchObject({ field: "packageId", rule: "package-id-taken", details: { reason: "package-id-taken" } });
    const zh = await fetch(`${stack.baseUrl}/v1/assignments`, {
      method: "POST", headers: { authorization: "Bearer dev-bank", "content-type": "application/json", "accept-language": "zh-CN" },
      body: JSON.stringify(sale([ids[1]!], "2026年第一批", "5")),
    });
    expect(((await zh.json()) as { message: string }).message).toContain("资产包编号 2026年第一批 已被本机构使用");
    expect(await provider.getBlockNumber()).toBe(before);
    expect((await call(stack, "GET", `/v1/claims/${ids[1]}`, "dev-bank")).body.onChain.holder).toBe(bank);
  });

  it("the same sale retried after the node died between broadcasting and writing the hash is done, once: same transaction, records settled", async () => {
    const first = await call(stack, "POST", "/v1/assignments", "dev-bank", sale([ids[2]!], "PKG-RETRY"));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Put the records back as a crash after the broadcast left them: the sale reserved, no hash written.
    const store = appScope(stack.api).store;
    const packages = openPackages(store);
    const { assignments } = openAssignments(store);
    const pkg = (await packages.byLabel.get(packageKey(bank, "PKG-RETRY")))!;
    const record = (await assignments.get(pkg.assignmentId))!;
    const { txHash: _p, blockNumber: _pb, ...pendingPkg } = pkg;
    const { txHash: _a, blockNumber: _ab, ...pendingRecord } = record;
    await packages.byLabel.put(packageKey(bank, "PKG-RETRY"), { ...pendingPkg, status: "pending" });
    await assignments.put(record.id, { ...pendingRecord, status: "pending" });
    await stack.restartApi();
    const blocks = await provider.getBlockNumber();
    const retry = await call(stack, "POST", "/v1/assignments", "dev-bank", sale([ids[2]!], "PKG-RETRY"));
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toMatchObject({ txHash: first.body.txHash, blockNumber: first.body.blockNumber, packageRef: first.body.packageRef, handoverId: first.body.handoverId, filesCommitment: first.body.filesCommitment, noticeHash: first.body.noticeHash });
    expect(await provider.getBlockNumber()).toBe(blocks);
    const settled = await openPackages(appScope(stack.api).store).byLabel.get(packageKey(bank, "PKG-RETRY"));
    expect(settled).toMatchObject({ status: "done", txHash: first.body.txHash });
    const listed = (await call(stack, "GET", "/v1/packages", "dev-bank")).body;
    const mine = listed.packages.filter((p: { packageId: string }) => p.packageId === "PKG-RETRY");
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: "done", txHash: first.body.txHash });
    // Not the same sale (other claims under the label): refused as before, off chain.
    const other = await call(stack, "POST", "/v1/assignments", "dev-bank", sale([ids[3]!], "PKG-RETRY"));
    expect(other.status).toBe(400);
    expect(other.body.code).toBe("validation.package-id-taken");
    expect(await provider.getBlockNumber()).toBe(blocks);
  });

  it("a sale whose node died before it signed anything leaves the label free: the same sale again goes through, once", async () => {
    const store = appScope(stack.api).store;
    const packages = openPackages(store);
    const { assignments } = openAssignments(store);
    const template = (await packages.byLabel.get(packageKey(bank, "PKG-RETRY")))!;
    const assignmentId = "00000000-dead-4000-8000-000000000001";
    // What reserve wrote before the crash: a pending sale and its assignment, no transaction anywhere.
    await packages.byLabel.put(packageKey(bank, "PKG-DIED"), {
      ...template, label: "PKG-DIED", ref: `0x${"ab".repeat(32)}`, claimIds: [ids[3]!], assignmentId, status: "pending", txHash: undefined, blockNumber: undefined,
      createdAt: new Date().toISOString(),
    });
    const record = (await assignments.get(template.assignmentId))!;
    await assignments.put(assignmentId, { ...record, id: assignmentId, claimIds: [ids[3]!], packageId: "PKG-DIED", status: "pending", txHash: undefined, blockNumber: undefined });
    await stack.restartApi();
    const blocks = await provider.getBlockNumber();
    const res = await call(stack, "POST", "/v1/assignments", "dev-bank", sale([ids[3]!], "PKG-DIED"));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await provider.getBlockNumber()).toBeGreaterThan(blocks);
    const after = openAssignments(appScope(stack.api).store);
    expect((await after.assignments.get(assignmentId))?.status).toBe("failed");
    expect(await openPackages(appScope(stack.api).store).byLabel.get(packageKey(bank, "PKG-DIED"))).toMatchObject({ status: "done", txHash: res.body.txHash });
    // Once done, the label is the seller's for good: another sale under it is refused.
    const again = await call(stack, "POST", "/v1/assignments", "dev-bank", sale([ids[1]!], "PKG-DIED"));
    expect(again.status).toBe(400);
    expect(again.body.code).toBe("validation.package-id-taken");
  });
});
