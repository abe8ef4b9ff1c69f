import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Wallet, JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";
import { checkLoanRef, documentCommitment } from "../../src/core/commitment.js";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startStack, call, claimRequest, waitJob, appScope, type TestStack } from "../helpers/stack.js";
import { openPersonalDataReads } from "../../src/store/repos/handover-reads.js";

let stack: TestStack;
let amc: string;
let amc2: string;

beforeAll(async () => {
  stack = await startStack();
  amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address;
});
afterAll(async () => stack?.stop());

describe("claims API", () => {
  describe("GET /v1/me", () => {
    it("names role and address per dev key, 401 without or with an unknown key", async () => {
      const me = await call(stack, "GET", "/v1/me", "dev-bank");
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ role: "bank", originatorCode: "DEVBANK", address: devWallet(1).address });
      expect((await call(stack, "GET", "/v1/me")).status).toBe(401);
      expect((await call(stack, "GET", "/v1/me", "nope-nope")).status).toBe(401);
    });
  });

  describe("register, assign, history (the must-show walk)", () => {
    const ids: string[] = [];

    it("registers three claims", async () => {
      for (const no of ["LN-001", "LN-002", "LN-003"]) {
        const res = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no));
        expect(res.status).toBe(201);
        expect(res.body.claimId).toMatch(/^0x[0-9a-f]{64}$/);
        expect(res.body.blockNumber).toBeGreaterThan(0);
        ids.push(res.body.claimId);
      }
      expect(new Set(ids).size).toBe(3);
    });

    it("the chain's loanRef is a salted commitment to the contract number; the loan file's salt lets its readers check it", async () => {
      const provider = new JsonRpcProvider(stack.chainUrl);
      const registry = ClaimRegistry__factory.connect(stack.deployment.contracts.ClaimRegistry.address, provider);
      const [event] = await registry.queryFilter(registry.filters.ClaimRegistered(ids[0]), 0);
      const onChain = event.args.loanRef;
      provider.destroy();
      // The attack that worked: keccak256 of the contract number (enumerable) was the chain's loanRef.
      expect(onChain).not.toBe(keccak256(toUtf8Bytes("LN-001")));
      const mine = await call(stack, "GET", `/v1/claims/${ids[0]}`, "dev-bank");
      expect(mine.body.offChain).toMatchObject({ contractNo: "LN-001", loanRef: onChain });
      expect(checkLoanRef({ contractNo: mine.body.offChain.contractNo, loanSalt: mine.body.offChain.loanSalt, loanRef: onChain })).toBe(true);
      expect(checkLoanRef({ contractNo: "LN-002", loanSalt: mine.body.offChain.loanSalt, loanRef: onChain })).toBe(false);
      // Each loan its own salt: one loan file's salt says nothing of another loan.
      const second = await call(stack, "GET", `/v1/claims/${ids[1]}`, "dev-bank");
      expect(second.body.offChain.loanSalt).not.toBe(mine.body.offChain.loanSalt);
      // Who may not read the claim's details gets no salt (issue 14: another AMC gets none of the off-chain record).
      const other = await call(stack, "GET", `/v1/claims/${ids[0]}`, "dev-amc2");
      expect(other.status).toBe(200);
      expect(other.body.offChain).toBeNull();
      expect(other.body.offChainWithheld.reason).toBe("not-a-party");
      // The operator's admin reads the record, without personal data: no salt either.
      const admin = await call(stack, "GET", `/v1/claims/${ids[0]}`, "dev-admin");
      expect(admin.body.offChain.contractNo).toBe("LN-001");
      expect(admin.body.offChain.loanSalt).toBeUndefined();
      expect(admin.body.offChain.loanRef).toBeUndefined();
    });

    it("refuses the same loan again with 409 and the claim id", async () => {
      const res = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("LN-001"));
      expect(res.status).toBe(409);
      expect(res.body.details.claimId).toBe(ids[0]);
    });

    it("assigns two to dev-amc and the history shows both steps", async () => {
      const res = await call(stack, "POST", "/v1/assignments", "dev-bank", {
        claimIds: [ids[0], ids[1]],
        to: amc,
        packageId: "PKG-1",
        price: "90000000",
        notice: "债权转让通知 / Notice of assignment",
      });
      expect(res.status).toBe(201);
      const history = await call(stack, "GET", `/v1/claims/${ids[0]}/history`, "dev-amc");
      expect(history.status).toBe(200);
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(["registered", "assigned"]);
      const [reg, asg] = history.body.events;
      expect(reg.to).toBe(devWallet(1).address);
      expect(asg).toMatchObject({ from: devWallet(1).address, to: amc, packageId: "PKG-1", price: "90000000", noticeHash: res.body.noticeHash });
      expect(asg.blockNumber).toBeGreaterThan(reg.blockNumber);
      // On chain a salted commitment to the notice, not its hash; the buyer gets the salt to check it.
      const text = "债权转让通知 / Notice of assignment";
      expect(res.body.noticeHash).not.toBe(keccak256(toUtf8Bytes(text)));
      expect(res.body.noticeContentHash).toBe(keccak256(toUtf8Bytes(text)));
      expect(asg).toMatchObject({ noticeSalt: res.body.noticeSalt, noticeContentHash: res.body.noticeContentHash });
      expect(documentCommitment(asg.noticeSalt, keccak256(toUtf8Bytes(text)))).toBe(asg.noticeHash);
      const outsider = (await call(stack, "GET", `/v1/claims/${ids[0]}/history`, "dev-amc2")).body.events.find((e: any) => e.type === "assigned");
      expect(outsider.noticeHash).toBe(asg.noticeHash);
      expect(outsider.noticeSalt).toBeUndefined();
      // A notice is required as text: a bare hash cannot be salted here.
      const bare = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [ids[2]], to: amc, packageId: "PKG-H", price: "1", noticeHash: keccak256(toUtf8Bytes(text)) });
      expect(bare.status).toBe(400);
      expect(bare.body.field).toMatch(/notice$/);
    });

    it("refuses a sale of a claim the bank already sold, and nothing changes on chain", async () => {
      const provider = new JsonRpcProvider(stack.chainUrl);
      const before = await provider.getBlockNumber();
      const res = await call(stack, "POST", "/v1/assignments", "dev-bank", {
        claimIds: [ids[2], ids[0]],
        to: amc2,
        packageId: "PKG-2",
        price: "1",
        notice: "again",
      });
      expect(res.status).toBe(409);
      expect(res.body.details).toMatchObject({ reason: "not-holder", claimId: ids[0] });
      expect(await provider.getBlockNumber()).toBe(before);
      const claim = await call(stack, "GET", `/v1/claims/${ids[2]}`, "dev-bank");
      expect(claim.body.onChain.holder).toBe(devWallet(1).address);
      provider.destroy();
    });

    it("refuses a buyer without HOLDER with 400 naming `to`", async () => {
      const res = await call(stack, "POST", "/v1/assignments", "dev-bank", {
        claimIds: [ids[2]],
        to: Wallet.createRandom().address,
        packageId: "PKG-3",
        price: "1",
        notice: "x",
      });
      expect(res.status).toBe(400);
      expect(res.body.field).toBe("to");
    });

    it("a retail claim bought in a package cannot be sold on by the AMC", async () => {
      const res = await call(stack, "POST", "/v1/assignments", "dev-amc", { claimIds: [ids[0]], to: amc2, packageId: "PKG-4", price: "1", notice: "x" });
      expect(res.status).toBe(409);
      expect(res.body.details.reason).toBe("resale-restricted");
    });

    it("a direct transferFrom to a non-holder reverts with BuyerNotHolder", async () => {
      const provider = new JsonRpcProvider(stack.chainUrl);
      const bank = devWallet(1).connect(provider);
      const registry = ClaimRegistry__factory.connect(stack.deployment.contracts.ClaimRegistry.address, bank);
      const stranger = Wallet.createRandom().address;
      const error = await registry.transferFrom(bank.address, stranger, BigInt(ids[2])).then(
        () => null,
        (e: { data?: string }) => e,
      );
      expect(error?.data).toBeDefined();
      expect(registry.interface.parseError(error!.data!)?.name).toBe("BuyerNotHolder");
      expect(await registry.holderOf(ids[2])).toBe(bank.address);
      provider.destroy();
    });

    it("shows personal data to the originator, the holder and its collector (a court once the case is before it), not to others", async () => {
      const view = async (key: string) => (await call(stack, "GET", `/v1/claims/${ids[0]}`, key)).body;
      for (const key of ["dev-bank", "dev-amc", "dev-collector"]) {
        const off = (await view(key)).offChain;
        expect(off.personalDataRedacted, key).toBe(false);
        expect(off.debtor.name).toBe("张三");
      }
      // The operator's admin reads the record without personal data; another AMC and a court with no case
      // before it read none of it (issue 14, src/app/access.ts).
      const admin = (await view("dev-admin")).offChain;
      expect(admin.personalDataRedacted).toBe(true);
      expect(admin.debtor).toBeUndefined();
      for (const key of ["dev-amc2", "dev-court"]) {
        const body = await view(key);
        expect(body.offChain, key).toBeNull();
        expect(body.offChainWithheld.reason, key).toBe("not-a-party");
        expect(JSON.stringify(body)).not.toContain("张三");
      }
      // Each read that showed the debtor is logged — in the log's own LevelDB, not in the organisation's store.
      const reads = (await call(stack, "GET", `/v1/personal-data/reads?claimId=${ids[0]}`, "dev-admin")).body.reads;
      const readers = new Set(reads.filter((r: { via: string }) => r.via === "GET /v1/claims/:claimId").map((r: { who: { keyId: string } }) => r.who.keyId));
      expect(readers.size).toBe(3);
      expect(existsSync(join(stack.dataDir, "personal-data-log", "db"))).toBe(true);
      let inStore = 0;
      for await (const _ of openPersonalDataReads(appScope(stack.api).store).entries.iterator()) inStore++;
      expect(inStore).toBe(0);
    });
  });

  describe("POST /v1/claims validation", () => {
    it.each([
      ["principal", { principal: "12.5" }],
      ["principal", { principal: "0" }],
      ["maturityAt", { maturityAt: "2020-01-01" }],
      ["originatedAt", { originatedAt: "2021-02-30" }],
      ["product", { product: "yacht" }],
      ["clauses.demandDays", { clauses: { warnDays: 40, demandDays: 30 } }],
    ])("400 naming %s", async (field, patch) => {
      const res = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`BAD-${field}`, patch));
      expect(res.status).toBe(400);
      expect(res.body.field).toContain(field);
    });

    it("explains a malformed amount in words", async () => {
      const res = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("BAD-money", { outstanding: "1,000.00" }));
      expect(res.status).toBe(400);
      expect(res.body.field).toBe("body.outstanding");
      expect(res.body.rule).toMatch(/minor units/);
    });

    it("403 for another originator code and for a non-bank role", async () => {
      expect((await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("X-1", { originatorCode: "OTHERBANK" }))).status).toBe(403);
      expect((await call(stack, "POST", "/v1/claims", "dev-amc", claimRequest("X-2"))).status).toBe(403);
    });
  });

  describe("due process: the deployment's minimum notice period (MIN_NOTICE_DAYS, default 7)", () => {
    it("400 naming clauses.noticeDays below the minimum, with the minimum in the rule; never clamped; nothing left behind", async () => {
      const shortest = { warnDays: 1, demandDays: 1, arbitrationDays: 1, coverageBps: 12_000 };
      for (const noticeDays of [0, 6]) {
        const res = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`NOTICE-${noticeDays}`, { clauses: { ...shortest, noticeDays } }));
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.field).toBe("clauses.noticeDays");
        expect(res.body.rule).toMatch(/at least 7/);
      }
      // Nothing was left behind: the same loan registers once its terms are right.
      expect((await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("NOTICE-0", { clauses: { ...shortest, noticeDays: 15 } }))).status).toBe(201);
      const ok = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("NOTICE-7", { clauses: { ...shortest, noticeDays: 7 } }));
      expect(ok.status).toBe(201);
      expect((await call(stack, "GET", `/v1/claims/${ok.body.claimId}`, "dev-bank")).body.onChain.clauses.noticeDays).toBe(7);
    });

    it("a batch names the claim: claims[i].clauses.noticeDays", async () => {
      const claims = [claimRequest("NOTICE-B0"), claimRequest("NOTICE-B1", { clauses: { warnDays: 1, demandDays: 30, arbitrationDays: 90, coverageBps: 12_000, noticeDays: 3 } })];
      const res = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims });
      expect(res.status).toBe(202);
      const job = await waitJob(stack, res.body.jobId);
      const byIndex = new Map(job.results.map((r: { index: number }) => [r.index, r]));
      expect(byIndex.get(0)).toMatchObject({ status: "registered" });
      expect(byIndex.get(1)).toMatchObject({ status: "failed", error: { field: "claims[1].clauses.noticeDays" } });
      const only = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims: [claims[1]] });
      expect(only.status).toBe(400);
      expect(only.body.field).toBe("claims[0].clauses.noticeDays");
    });
  });

  describe("POST /v1/claims/batch", () => {
    it("registers a batch as a job with progress and per-claim results", async () => {
      const claims = Array.from({ length: 90 }, (_, i) => claimRequest(`B-${i}`));
      claims.push(claimRequest("LN-002")); // already registered
      claims.push(claimRequest("B-3")); // repeated in the request
      claims.push(claimRequest("B-bad", { maturityAt: "2000-01-01" }));
      const res = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims });
      expect(res.status).toBe(202);
      const job = await waitJob(stack, res.body.jobId);
      expect(job.status).toBe("done");
      expect(job.registered).toBe(90);
      expect(job.failed).toBe(3);
      expect(job.progress).toBe(1);
      const byIndex = new Map(job.results.map((r: { index: number }) => [r.index, r]));
      expect(byIndex.get(90)).toMatchObject({ status: "failed", error: { rule: "already-registered" } });
      expect(byIndex.get(91)).toMatchObject({ status: "failed", error: { rule: "duplicate-in-request" } });
      expect(byIndex.get(92)).toMatchObject({ status: "failed", error: { field: "claims[92].maturityAt" } });
      expect((await call(stack, "GET", `/v1/jobs/${res.body.jobId}`, "dev-amc")).status).toBe(403);
    });
  });

  describe("ops", () => {
    it("serves healthz, metrics and an OpenAPI document listing every route", async () => {
      expect((await call(stack, "GET", "/healthz")).body.status).toBe("ok");
      const metrics = await call(stack, "GET", "/metrics");
      expect(metrics.body).toContain("debtrail_http_requests_total");
      const docs = (await call(stack, "GET", "/docs/json")).body;
      for (const path of ["/v1/me", "/v1/claims", "/v1/claims/batch", "/v1/claims/{claimId}", "/v1/claims/{claimId}/history", "/v1/jobs/{id}", "/v1/assignments", "/healthz", "/metrics"]) {
        expect(Object.keys(docs.paths)).toContain(path);
      }
    });
  });
});
