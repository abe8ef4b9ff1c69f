import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider, keccak256, randomBytes, toUtf8Bytes, type TransactionReceipt, type TypedDataDomain } from "ethers";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { chainNow } from "../helpers/oracle.js";
import { devWallet, DEV_SERVICE_ACCOUNT } from "../../src/config/dev-accounts.js";
import { originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { reportDomain, signReportByQuorum, ZERO_HASH, type Report } from "../../src/chain/reports.js";
import { deploymentKey } from "../../src/chain/deployment.js";
import { openStore } from "../../src/store/db.js";
import { openChainIndex } from "../../src/store/repos/chain-index.js";
import { CASE_STATES } from "../../src/core/oracle-plan.js";
import {
  Arbitrator__factory, ClaimRegistry__factory, CollectionClauses__factory,
  type Arbitrator, type ClaimRegistry, type CollectionClauses,
} from "../../types/ethers-contracts/index.js";

/** No loan files committed with these sales (ClaimRegistry.assign's filesCommitment). */
const ZERO_FILES = `0x${"0".repeat(64)}`;

/**
 * The API's read model (issue 15, src/api/plugins/read-model.ts): reads come from the chain index, so
 * - after a write made elsewhere (directly on chain, as another organisation's node would), a read with
 *   ?minBlock= (and minBlockHash) reflects it and matches the contracts' own views;
 * - a reorg under the running API (evm_snapshot / evm_revert, then another history) leaves answers equal
 *   to those of a fresh re-index of the same chain (index tables dropped, API restarted);
 * - a restarted API resumes the index after its cursor (it reads only the blocks it missed).
 */

let stack: TestStack;
let provider: JsonRpcProvider;
let registry: ClaimRegistry;
let clauses: CollectionClauses;
let arbitrator: Arbitrator;
let domain: TypedDataDomain;
const bank = devWallet(1);
const amc = devWallet(2);
const amc2 = devWallet(3);
const outsider = devWallet(9);
const service = devWallet(DEV_SERVICE_ACCOUNT);
const ids: string[] = [];

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
  registry = ClaimRegistry__factory.connect(stack.deployment.contracts.ClaimRegistry.address, provider);
  clauses = CollectionClauses__factory.connect(stack.deployment.contracts.CollectionClauses!.address, provider);
  arbitrator = Arbitrator__factory.connect(stack.deployment.contracts.Arbitrator!.address, provider);
  domain = reportDomain((await provider.getNetwork()).chainId, await clauses.getAddress());
  for (const no of ["RM-1", "RM-2", "RM-3", "RM-4"]) {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, { product: "sme", debtor: { name: "周九商贸有限公司", idNumber: "91110101MA0000005X", type: "corporate", debtorId: `D-${no}` } }));
    expect(r.status).toBe(201);
    expect(r.body.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
    ids.push(r.body.claimId);
  }
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

const signer = (w: typeof bank) => w.connect(provider);

/** A report signed by the service (the dev deployment's oracle quorum is 1), relayed by the admin. */
async function report(claimId: string, daysPastDue: number, outstanding: bigint, noticeLabel?: string): Promise<TransactionReceipt> {
  const nonce = Number((await clauses.caseOf(claimId)).nonce);
  const r: Report = {
    claimId, asOf: BigInt(await chainNow(provider)), daysPastDue, outstanding, collateralValue: 0n,
    classification: daysPastDue > 90 ? 2 : daysPastDue > 0 ? 1 : 0, riskGrade: 2,
    noticeHash: noticeLabel ? keccak256(toUtf8Bytes(`${noticeLabel}-${claimId}`)) : ZERO_HASH, nonce,
  };
  const signed = await signReportByQuorum([service], domain, r);
  return (await (await clauses.connect(signer(devWallet(0))).submitReports([signed])).wait())!;
}

const after = (r: TransactionReceipt) => `minBlock=${r.blockNumber}&minBlockHash=${r.blockHash}`;
const withQuery = (path: string, q: string) => `${path}${path.includes("?") ? "&" : "?"}${q}`;

/** Every read of chain facts for the test's claims, as several keys see them (times of day left out). */
async function answers(q: string): Promise<Record<string, unknown>> {
  const reads: Array<[string, string]> = [];
  for (const id of ids) {
    reads.push([`/v1/claims/${id}`, "dev-admin"], [`/v1/claims/${id}`, "dev-bank"], [`/v1/claims/${id}/history`, "dev-amc"], [`/v1/cases/${id}`, "dev-bank"]);
  }
  const disputes = Number(await arbitrator.disputeCount());
  for (let d = 1; d <= disputes; d++) reads.push([`/v1/disputes/${d}`, "dev-court"]);
  for (const key of ["dev-bank", "dev-amc", "dev-amc2", "dev-admin"]) reads.push(["/v1/portfolio", key], ["/v1/claims?limit=100", key]);
  for (const key of ["dev-bank", "dev-amc", "dev-admin"]) reads.push(["/v1/queue?limit=100", key]);
  const out: Record<string, unknown> = {};
  for (const [path, key] of reads) {
    const r = await call(stack, "GET", withQuery(path, q), key);
    expect({ path, key, status: r.status }).toEqual({ path, key, status: 200 });
    const { asOf: _time, ...body } = r.body;
    out[`${key} ${path}`] = body;
  }
  return out;
}

/** Drops the chain index and restarts the API: it indexes the chain from the deployment block again. */
async function freshReindex(): Promise<void> {
  await stack.restartApi(async () => {
    const store = await openStore(stack.dataDir, deploymentKey(stack.deployment));
    await openChainIndex(store).wipe();
    await store.close();
  });
}

async function head() {
  const b = (await provider.getBlock("latest"))!;
  return { blockNumber: b.number, blockHash: b.hash! } as TransactionReceipt;
}

describe("read model: reads from the chain index", () => {
  it("after writes made elsewhere, a read with ?minBlock= reflects them and matches the contracts' views", async () => {
    const [c0, c1] = ids;
    const sale = await (await registry.connect(signer(bank)).assign([c0!, c1!], amc.address, originatorCodeToBytes32("RM-PKG"), 5_000n, keccak256(randomBytes(32)), ZERO_FILES)).wait();
    const moved = await (await registry.connect(signer(amc)).transferFrom(amc.address, amc2.address, BigInt(c1!))).wait();
    const reported = await report(c0!, 3, 80_000_000n);
    const disputed = await (await arbitrator.connect(signer(outsider)).createDispute(3, "0x", { value: await arbitrator.arbitrationCost("0x") })).wait();
    const last = disputed!;

    const claim = (await call(stack, "GET", `/v1/claims/${c1}?${after(last)}`, "dev-amc2")).body;
    expect(claim.asOfBlock).toBeGreaterThanOrEqual(last.blockNumber);
    const t = await registry.termsOf(c1!);
    expect(claim.onChain).toEqual({
      holder: await registry.holderOf(c1!), principal: t.principal.toString(), outstanding: t.outstanding.toString(), currency: "CNY",
      originatedAt: new Date(Number(t.originatedAt) * 1000).toISOString(), maturityAt: new Date(Number(t.maturityAt) * 1000).toISOString(), retail: t.retail,
      clauses: { warnDays: Number(t.clauses.warnDays), demandDays: Number(t.clauses.demandDays), arbitrationDays: Number(t.clauses.arbitrationDays), coverageBps: Number(t.clauses.coverageBps), noticeDays: Number(t.clauses.noticeDays) },
      collateralHash: t.collateralHash, documentsRoot: t.documentsRoot, resaleRestricted: await registry.isResaleRestricted(c1!),
    });
    expect(claim.onChain.holder).toBe(amc2.address);

    const history = (await call(stack, "GET", `/v1/claims/${c1}/history?${after(last)}`, "dev-amc2")).body.events;
    expect(history.map((e: any) => [e.type, e.to, e.txHash])).toEqual([
      ["registered", bank.address, expect.any(String)],
      ["assigned", amc.address, sale!.hash],
      ["transferred", amc2.address, moved!.hash],
    ]);

    const kase = (await call(stack, "GET", `/v1/cases/${c0}?${after(last)}`, "dev-amc")).body;
    const onChain = await clauses.caseOf(c0!);
    expect({ state: kase.state, nonce: kase.nonce, lastAsOf: kase.lastAsOf }).toEqual({
      state: CASE_STATES[Number(onChain.state)], nonce: Number(onChain.nonce), lastAsOf: new Date(Number(onChain.lastAsOf) * 1000).toISOString(),
    });
    expect(kase.timeline.find((i: any) => i.type === "report")).toMatchObject({ txHash: reported.hash, blockNumber: reported.blockNumber, details: { daysPastDue: 3, outstanding: "80000000" } });

    const id = (await arbitrator.disputeCount()).toString();
    const dispute = (await call(stack, "GET", `/v1/disputes/${id}?${after(last)}`, "dev-court")).body;
    expect(dispute).toMatchObject({ disputeId: id, arbitrable: outsider.address, claimId: ZERO_HASH, choices: 3, status: "waiting", ruling: null, executed: false });

    // The console's figures follow: each AMC holds one of the two.
    for (const key of ["dev-amc", "dev-amc2"]) {
      const p = (await call(stack, "GET", `/v1/portfolio?${after(last)}`, key)).body;
      expect({ key, count: p.count, asOfBlock: p.asOfBlock >= last.blockNumber }).toEqual({ key, count: 1, asOfBlock: true });
    }
    const amcView = (await call(stack, "GET", `/v1/claims?${after(last)}`, "dev-amc")).body.claims;
    expect(amcView.map((c: any) => [c.claimId, c.figuresFrom, c.outstanding, c.state])).toEqual([[c0, "report", "80000000", kase.state]]);
  });

  it("?minBlock= is bounded: a block the index does not reach within 10 s answers 503 naming it; bad values 400 naming the field", async () => {
    const far = (await provider.getBlockNumber()) + 1_000_000;
    const started = Date.now();
    const r = await call(stack, "GET", `/v1/claims/${ids[0]}?minBlock=${far}`, "dev-bank");
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ error: "UNAVAILABLE", message: expect.stringContaining(`has not reached block ${far}`) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    const bad = async (path: string, field: string) => {
      const x = await call(stack, "GET", path, "dev-bank");
      expect({ path, status: x.status, field: x.body.field }).toEqual({ path, status: 400, field });
    };
    await bad(`/v1/claims/${ids[0]}?minBlock=abc`, "querystring.minBlock");
    await bad(`/v1/cases/${ids[0]}?minBlock=-1`, "querystring.minBlock");
    await bad(`/v1/portfolio?minBlock=1.5`, "querystring.minBlock");
    await bad(`/v1/claims/${ids[0]}?minBlockHash=${ZERO_HASH}`, "minBlockHash");
    // A block of the index's own past answers at once.
    const now = await call(stack, "GET", `/v1/queue?minBlock=1`, "dev-amc");
    expect(now.status).toBe(200);
  }, 30_000);

  it("a reorg under the running API (evm_revert, then another history): answers equal a fresh re-index", async () => {
    const [c0, , c2, c3] = ids;
    const snapshot = await provider.send("evm_snapshot", []);
    // On the branch that will vanish: a sale through the API (its answer waits for the index) and a report.
    const sale = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [c2], to: amc.address, packageId: "RM-GONE", price: "1", notice: "债权转让通知" });
    expect(sale.status).toBe(201);
    const gone = await report(c0!, 40, 79_000_000n);
    expect((await call(stack, "GET", `/v1/claims/${c2}`, "dev-bank")).body.onChain.holder).toBe(amc.address);
    const doomed = (await call(stack, "GET", `/v1/claims?${after(gone)}`, "dev-amc")).body.claims;
    expect(doomed.map((c: any) => [c.claimId, c.outstanding])).toEqual(expect.arrayContaining([[c0, "79000000"], [c2, "85000000"]]));

    expect(await provider.send("evm_revert", [snapshot])).toBe(true);
    // Another history on the same heights: c2 goes to the second AMC, c3 gets a report.
    await (await registry.connect(signer(bank)).assign([c2!], amc2.address, originatorCodeToBytes32("RM-NEW"), 7n, keccak256(randomBytes(32)), ZERO_FILES)).wait();
    const last = await report(c3!, 2, 84_000_000n);

    const claim = (await call(stack, "GET", `/v1/claims/${c2}?${after(last)}`, "dev-bank")).body;
    expect(claim.onChain.holder).toBe(amc2.address);
    const history = (await call(stack, "GET", `/v1/claims/${c2}/history?${after(last)}`, "dev-bank")).body.events;
    expect(history.map((e: any) => [e.type, e.to, e.packageId])).toEqual([["registered", bank.address, null], ["assigned", amc2.address, "RM-NEW"]]);
    expect((await call(stack, "GET", `/v1/cases/${c0}?${after(last)}`, "dev-bank")).body.nonce).toBe(Number((await clauses.caseOf(c0!)).nonce));
    // The vanished report is gone from every read, the console's in-memory model too.
    const amcClaims = (await call(stack, "GET", `/v1/claims?${after(last)}`, "dev-amc")).body.claims;
    expect(amcClaims.map((c: any) => [c.claimId, c.outstanding])).toEqual([[c0, "80000000"]]);
    expect((await call(stack, "GET", `/v1/portfolio?${after(last)}`, "dev-amc")).body).toMatchObject({ count: 1, outstanding: "80000000" });

    const live = await answers(after(last));
    await freshReindex();
    const fresh = await answers(after(last));
    expect(fresh).toEqual(live);
  }, 120_000);

  it("a restarted API resumes the index after its cursor, and reads what happened while it was down", async () => {
    const [c0] = ids;
    const before = (await call(stack, "GET", `/v1/claims/${c0}`, "dev-bank")).body.asOfBlock as number;
    let last!: TransactionReceipt;
    await stack.restartApi(async () => {
      // While the API is down: the claim changes hands and gets a report.
      await (await registry.connect(signer(amc)).transferFrom(amc.address, amc2.address, BigInt(c0!))).wait();
      last = await report(c0!, 45, 78_000_000n);
    });
    const claim = (await call(stack, "GET", `/v1/claims/${c0}?${after(last)}`, "dev-amc2")).body;
    expect(claim.onChain.holder).toBe(amc2.address);
    expect((await call(stack, "GET", `/v1/cases/${c0}?${after(last)}`, "dev-amc2")).body.timeline.at(-1)).toMatchObject({ type: "report", txHash: last.hash });
    // It read only the blocks after its cursor, not the chain from the deployment block.
    const metrics = (await call(stack, "GET", "/metrics")).body as string;
    const read = Number(/^debtrail_chain_index_blocks_total (\d+)/m.exec(metrics)?.[1]);
    expect(read).toBe((await provider.getBlockNumber()) - before);
    expect(read).toBeLessThan(last.blockNumber - stack.deployment.contracts.ClaimRegistry.blockNumber);

    const resumed = await answers(after(await head()));
    await freshReindex();
    expect(await answers(after(await head()))).toEqual(resumed);
  }, 120_000);
});
