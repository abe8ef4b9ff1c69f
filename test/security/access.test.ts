/**
 * Access matrix (issue 7, "Hostile input and access"): every API route × every key (each role, no key,
 * an unknown key, a malformed header), and every state-changing contract function × every account.
 * The expected tables are written out here and in support.ts; a route or function that silently
 * becomes open (or closed), or a new one nobody classified, fails.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { randomUUID } from "node:crypto";
import hre from "hardhat";
import { Interface, Wallet, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { contentHashOf } from "../../src/core/evidence.js";
import {
  ROUTE_ACCESS, HIDDEN_PUBLIC_ROUTES, KEYS, KEY_NAMES, ORACLE_KEY, FEED_KEY, allowedKeys, operationsOf, raw, securityEnv, type RawResponse,
} from "./support.js";
import {
  Arbitrator__factory, ClaimMarket__factory, ClaimRegistry__factory, CollectionClauses__factory, Council__factory, EvidenceLog__factory,
  type Arbitrator, type ClaimMarket, type ClaimRegistry, type CollectionClauses, type Council, type EvidenceLog,
} from "../../types/ethers-contracts/index.js";
import { roleId, originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { reportDomain, signBatchByQuorum, ZERO_HASH } from "../../src/chain/reports.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

/** No loan files committed with these sales (ClaimRegistry.assign's filesCommitment). */
const ZERO_FILES = `0x${"0".repeat(64)}`;

// ---------------------------------------------------------------------------------------------
// API: every route × every key
// ---------------------------------------------------------------------------------------------

describe("API access matrix", () => {
  let stack: TestStack;
  const fx = {} as {
    amc: string; amc2: string;
    bankClaim: string; // held by the bank
    bankSale: string; // the bank sells it to the AMC during the matrix
    amcClaim: string; // held by dev-amc1 (evidence, collector)
    amcSale: string; // dev-amc1 sells it to dev-amc2 during the matrix (corporate: no resale restriction)
    bankJob: string; // a registration job created by dev-bank
    recordId: string;
    txHash: string; // the registration of bankClaim
    surveyAnswers: Record<string, { value: string; note?: string }>; // every required item of the residential checklist
  };
  let seq = 0;
  const NO_LISTING = `0x${"ab".repeat(32)}`;

  /** A request per route that passes validation, so the role gate (a preHandler, after validation) is what answers. */
  const REQUESTS: Record<string, (key: string | undefined) => { path: string; body?: unknown }> = {
    "GET /healthz": () => ({ path: "/healthz" }),
    "GET /metrics": () => ({ path: "/metrics" }),
    "GET /v1/me": () => ({ path: "/v1/me" }),
    "POST /v1/claims": () => ({ path: "/v1/claims", body: claimRequest(`ACC-ONE-${++seq}`) }),
    "POST /v1/claims/batch": () => ({ path: "/v1/claims/batch", body: { claims: [claimRequest(`ACC-BATCH-${++seq}`)] } }),
    "GET /v1/claims/{claimId}": () => ({ path: `/v1/claims/${fx.bankClaim}` }),
    "GET /v1/claims/{claimId}/history": () => ({ path: `/v1/claims/${fx.bankClaim}/history` }),
    "GET /v1/jobs/{id}": () => ({ path: `/v1/jobs/${fx.bankJob}` }),
    // Each seller sells a claim it holds, so that the role is the only reason for a refusal.
    "POST /v1/assignments": (key) => ({
      path: "/v1/assignments",
      body: key === "dev-amc1"
        ? { claimIds: [fx.amcSale], to: fx.amc2, packageId: `PKG-ACC-${++seq}`, price: "100", notice: "债权转让通知" }
        : { claimIds: [fx.bankSale], to: fx.amc, packageId: `PKG-ACC-${++seq}`, price: "100", notice: "债权转让通知" },
    }),
    "POST /v1/evidence": () => ({ path: "/v1/evidence", body: valuation(fx.amcClaim) }),
    "POST /v1/evidence/batch": () => ({ path: "/v1/evidence/batch", body: { records: [valuation(fx.amcClaim)] } }),
    "POST /v1/evidence/flush": () => ({ path: "/v1/evidence/flush" }),
    "GET /v1/evidence/{recordId}/receipt": () => ({ path: `/v1/evidence/${fx.recordId}/receipt` }),
    "GET /v1/claims/{claimId}/evidence": () => ({ path: `/v1/claims/${fx.amcClaim}/evidence` }),
    "GET /v1/evidence/refused": () => ({ path: "/v1/evidence/refused" }),
    "POST /v1/verify": () => ({ path: "/v1/verify", body: { contentHash: contentHashOf("access matrix") } }),
    "POST /v1/assessments": () => ({
      path: "/v1/assessments",
      body: { asOf: "2026-01-31", loans: [{ loanId: "L1", product: "consumer", debtorType: "retail", debtorId: "P1", outstanding: "500000", daysPastDue: 40 }] },
    }),
    "GET /v1/claims/{claimId}/assessment": () => ({ path: `/v1/claims/${fx.bankClaim}/assessment` }),
    "POST /v1/comparables/import": () => ({
      path: "/v1/comparables/import",
      body: { cases: [{ caseId: `ACC-${++seq}`, assetType: "residential", region: "shanghai", area: 90, ageYears: 10, saleDate: "2024-05-01", price: "400000000" }] },
    }),
    "GET /v1/comparables/import/{jobId}": () => ({ path: `/v1/comparables/import/${randomUUID()}` }),
    "GET /v1/comparables/stats": () => ({ path: "/v1/comparables/stats" }),
    "POST /v1/limitation": () => ({ path: "/v1/limitation", body: { asOf: "2024-06-01", claims: [{ id: "ACC-LIM-1", maturityAt: "2022-03-01", events: [] }] } }),
    "POST /v1/claim-amounts": () => ({
      path: "/v1/claim-amounts",
      body: { cutoff: "2024-06-01", loans: [{ id: "ACC-AMT-1", principal: "100000", disbursedAt: "2024-01-01", annualRateBps: 435, schedule: [{ dueDate: "2024-07-01", principal: "100000" }] }] },
    }),
    "GET /v1/claims/{claimId}/limitation": () => ({ path: `/v1/claims/${fx.amcClaim}/limitation` }),
    "GET /v1/claims/{claimId}/evidence-catalogue": () => ({ path: `/v1/claims/${fx.amcClaim}/evidence-catalogue` }),
    "GET /v1/claims/{claimId}/interruption-proof": () => ({ path: `/v1/claims/${fx.amcClaim}/interruption-proof` }),
    "POST /v1/verify/interruption-proof": () => ({ path: "/v1/verify/interruption-proof", body: { type: "limitation-interruption-proof" } }),
    "PUT /v1/claims/{claimId}/legal-status": () => ({ path: `/v1/claims/${fx.amcClaim}/legal-status`, body: { objection: false } }),
    "POST /v1/cases/{claimId}/notice-delivery": () => ({ path: `/v1/cases/${fx.amcClaim}/notice-delivery`, body: { proof: fx.recordId } }),
    "POST /v1/loan-status": () => ({ path: "/v1/loan-status", body: loanStatus(fx.bankClaim) }),
    "POST /v1/loan-status/batch": () => ({ path: "/v1/loan-status/batch", body: { statuses: [loanStatus(fx.bankClaim)] } }),
    "POST /v1/oracle/run": () => ({ path: "/v1/oracle/run" }),
    "GET /v1/oracle/status": () => ({ path: "/v1/oracle/status" }),
    "POST /v1/oracle/sign": () => ({
      path: "/v1/oracle/sign",
      body: { reports: [{ report: {
        claimId: fx.bankClaim, asOf: "1700000000", daysPastDue: 0, outstanding: "85000000", collateralValue: "0",
        classification: 0, riskGrade: 0, noticeHash: ZERO_HASH, nonce: 0,
      } }] },
    }),
    "GET /v1/cases/{claimId}": () => ({ path: `/v1/cases/${fx.bankClaim}` }),
    "GET /v1/disputes/{id}": () => ({ path: "/v1/disputes/1" }),
    "POST /v1/disputes/{id}/ruling": () => ({ path: "/v1/disputes/1/ruling", body: { ruling: "enforce" } }),
    "GET /v1/portfolio": () => ({ path: "/v1/portfolio" }),
    "GET /v1/claims": () => ({ path: "/v1/claims" }),
    "GET /v1/queue": () => ({ path: "/v1/queue" }),
    "POST /v1/packages/preview": () => ({ path: "/v1/packages/preview", body: { claimIds: [fx.bankClaim] } }),
    "GET /v1/tx/{txHash}": () => ({ path: `/v1/tx/${fx.txHash}` }),
    "GET /v1/packages": () => ({ path: "/v1/packages" }),
    "GET /v1/disputes": () => ({ path: "/v1/disputes" }),
    "GET /v1/disputes/{id}/record": () => ({ path: "/v1/disputes/1/record" }),
    "GET /v1/surveys/checklists": () => ({ path: "/v1/surveys/checklists" }),
    "POST /v1/claims/{claimId}/surveys": () => ({
      path: `/v1/claims/${fx.amcClaim}/surveys`,
      body: { assetType: "residential", surveyedAt: "2026-01-05T10:00:00+08:00", surveyor: `surveyor-${++seq}`, location: { region: "shanghai" }, answers: fx.surveyAnswers },
    }),
    "GET /v1/claims/{claimId}/surveys": () => ({ path: `/v1/claims/${fx.amcClaim}/surveys` }),
    "POST /v1/feeds": () => ({ path: "/v1/feeds", body: { items: [feedItem()] } }),
    "POST /v1/feeds/import": () => ({ path: "/v1/feeds/import", body: { format: "debtrail-feeds/1", items: [feedItem()] } }),
    "GET /v1/claims/{claimId}/feeds": () => ({ path: `/v1/claims/${fx.bankClaim}/feeds` }),
    "POST /v1/claims/{claimId}/offers": () => ({ path: `/v1/claims/${fx.amcClaim}/offers`, body: {} }),
    "GET /v1/claims/{claimId}/offers": () => ({ path: `/v1/claims/${fx.amcClaim}/offers` }),
    "GET /v1/offers/{id}": () => ({ path: `/v1/offers/${randomUUID()}` }),
    "POST /v1/offers/{id}/approve": () => ({ path: `/v1/offers/${randomUUID()}/approve` }),
    "POST /v1/offers/{id}/accept": () => ({ path: `/v1/offers/${randomUUID()}/accept`, body: { channel: "post" } }),
    "GET /v1/handover/keys": () => ({ path: "/v1/handover/keys" }),
    // Without the sender's header it is refused (400) before its body is read: neither 401 nor 403, as for any public route.
    "POST /v1/handover/inbox": () => ({ path: "/v1/handover/inbox", body: {} }),
    "GET /v1/handover/outbox": () => ({ path: "/v1/handover/outbox" }),
    "GET /v1/handover/outbox/{id}": () => ({ path: `/v1/handover/outbox/${randomUUID()}` }),
    "POST /v1/handover/outbox/{id}/retry": () => ({ path: `/v1/handover/outbox/${randomUUID()}/retry` }),
    "GET /v1/handover/inbox": () => ({ path: "/v1/handover/inbox" }),
    "GET /v1/handover/inbox/{txHash}": () => ({ path: `/v1/handover/inbox/${fx.txHash}` }),
    "GET /v1/handover/claims/{claimId}/file": () => ({ path: `/v1/handover/claims/${fx.amcClaim}/file?purpose=audit` }),
    "GET /v1/personal-data/reads": () => ({ path: "/v1/personal-data/reads" }),
    "POST /v1/handover/retention/run": () => ({ path: "/v1/handover/retention/run" }),
    "POST /v1/market/rooms": () => ({ path: "/v1/market/rooms", body: { claimIds: [`0x${"7".repeat(64)}`], cutOff: "2020-01-01" } }),
    "GET /v1/market/rooms": () => ({ path: "/v1/market/rooms" }),
    "GET /v1/market/rooms/{roomId}": () => ({ path: `/v1/market/rooms/0x${"7".repeat(64)}` }),
    "GET /v1/market/rooms/{roomId}/accesses": () => ({ path: `/v1/market/rooms/0x${"7".repeat(64)}/accesses` }),
    "POST /v1/market/peer-rooms": () => ({ path: "/v1/market/peer-rooms", body: { seller: `0x${"7".repeat(40)}`, roomId: `0x${"7".repeat(64)}` } }),
    "GET /v1/market/peer-rooms": () => ({ path: "/v1/market/peer-rooms" }),
    "GET /v1/market/peer-rooms/{seller}/{roomId}": () => ({ path: `/v1/market/peer-rooms/0x${"7".repeat(40)}/0x${"7".repeat(64)}` }),
    "PUT /v1/market/profile": () => ({ path: "/v1/market/profile", body: { regions: [], assetTypes: [] } }),
    "GET /v1/market/profile": () => ({ path: "/v1/market/profile" }),
    "GET /v1/market/recommendations": () => ({ path: "/v1/market/recommendations" }),
    "GET /v1/market/recommended-listings": () => ({ path: "/v1/market/recommended-listings" }),
    // The market: a listing that does not exist (404 or a refusal naming the claim once the role is let through).
    "POST /v1/market/listings": () => ({
      path: "/v1/market/listings",
      body: { label: `ACC-LIST-${++seq}`, claimIds: [NO_LISTING], cutoffDate: "2026-01-01", commitEnd: 4_000_000_000, revealEnd: 4_000_000_100, executionPeriodSeconds: 86_400, deposit: "100" },
    }),
    "GET /v1/market/listings": () => ({ path: "/v1/market/listings" }),
    "GET /v1/market/listings/{id}": () => ({ path: `/v1/market/listings/${NO_LISTING}` }),
    "POST /v1/market/listings/{id}/cancel": () => ({ path: `/v1/market/listings/${NO_LISTING}/cancel` }),
    "POST /v1/market/listings/{id}/award": () => ({ path: `/v1/market/listings/${NO_LISTING}/award` }),
    "POST /v1/market/listings/{id}/runner-up": () => ({ path: `/v1/market/listings/${NO_LISTING}/runner-up` }),
    "POST /v1/market/listings/{id}/execute": () => ({ path: `/v1/market/listings/${NO_LISTING}/execute`, body: { notice: "债权转让通知" } }),
    "POST /v1/market/listings/{id}/bids": () => ({ path: `/v1/market/listings/${NO_LISTING}/bids`, body: { amount: "100", depositProof: `DEP-${++seq}` } }),
    "POST /v1/market/listings/{id}/reveal": () => ({ path: `/v1/market/listings/${NO_LISTING}/reveal` }),
    "POST /v1/market/listings/{id}/payment": () => ({ path: `/v1/market/listings/${NO_LISTING}/payment`, body: { paymentProof: `PAY-${++seq}` } }),
    "GET /v1/market/listings/{id}/advice": () => ({ path: `/v1/market/listings/${NO_LISTING}/advice` }),
    "POST /v1/market/listings/{id}/relist": () => ({
      path: `/v1/market/listings/${NO_LISTING}/relist`, body: { option: "whole", parts: [{ deposit: "100" }], commitEnd: Math.floor(Date.now() / 1000) + 3_600, revealEnd: Math.floor(Date.now() / 1000) + 7_200, executionPeriodSeconds: 3600 },
    }),
    // Not in the OpenAPI document.
    "GET /docs": () => ({ path: "/docs" }),
    "GET /docs/json": () => ({ path: "/docs/json" }),
    "GET /verify": () => ({ path: "/verify" }),
    "GET /assets/verify.js": () => ({ path: "/assets/verify.js" }),
    "GET /assets/verify.css": () => ({ path: "/assets/verify.css" }),
    "GET /console": () => ({ path: "/console" }),
    "GET /console/claims": () => ({ path: "/console/claims" }),
  };

  /**
   * Object-level refusals on top of the role table, for the objects REQUESTS uses: the keys the role gate
   * lets through but the object does not (→ 403).
   */
  /** Off-chain details of amcClaim (held by dev-amc1, originated by dev-bank): not for another AMC, a court without a case before it, an oracle peer or a feed. */
  const NOT_PARTIES_OF_AMC_CLAIM = ["dev-amc2", "dev-court", ORACLE_KEY, FEED_KEY];
  /** Of bankClaim (held and originated by dev-bank). */
  const NOT_PARTIES_OF_BANK_CLAIM = ["dev-amc1", "dev-amc2", "dev-collector", "dev-court", ORACLE_KEY, FEED_KEY];
  const OBJECT_DENIED: Record<string, { keys: string[]; why: string }> = {
    "GET /v1/jobs/{id}": { keys: KEY_NAMES.filter((k) => k !== "dev-bank" && k !== "dev-admin"), why: "only the job's creator or an admin" },
    // Reads of off-chain details (src/app/access.ts): the holder's side, the originator, a court before which the case is, the operator's admin.
    "GET /v1/claims/{claimId}/evidence": { keys: NOT_PARTIES_OF_AMC_CLAIM, why: "amcClaim's details: dev-amc1 and its collector, dev-bank (originator), dev-admin" },
    "GET /v1/evidence/{recordId}/receipt": { keys: NOT_PARTIES_OF_AMC_CLAIM, why: "a record of amcClaim: as its evidence" },
    "GET /v1/claims/{claimId}/surveys": { keys: NOT_PARTIES_OF_AMC_CLAIM, why: "as amcClaim's evidence" },
    "GET /v1/claims/{claimId}/offers": { keys: NOT_PARTIES_OF_AMC_CLAIM, why: "as amcClaim's evidence" },
    "GET /v1/claims/{claimId}/feeds": { keys: NOT_PARTIES_OF_BANK_CLAIM, why: "bankClaim's details: dev-bank and dev-admin" },
    "GET /v1/claims/{claimId}/assessment": { keys: NOT_PARTIES_OF_BANK_CLAIM, why: "bankClaim's details: dev-bank and dev-admin" },
    "GET /v1/claims/{claimId}/limitation": { keys: NOT_PARTIES_OF_AMC_CLAIM, why: "computed from amcClaim's evidence: as its evidence" },
    "GET /v1/claims/{claimId}/evidence-catalogue": { keys: NOT_PARTIES_OF_AMC_CLAIM, why: "amcClaim's evidence, bundles and all" },
    "GET /v1/claims/{claimId}/interruption-proof": { keys: NOT_PARTIES_OF_AMC_CLAIM, why: "as amcClaim's evidence" },
    "PUT /v1/claims/{claimId}/legal-status": { keys: ["dev-bank", "dev-amc2"], why: "only the claim's holder (dev-amc1) and its collectors" },
    "POST /v1/cases/{claimId}/notice-delivery": { keys: ["dev-bank", "dev-amc2"], why: "only the claim's holder (dev-amc1), with its own key" },
    "POST /v1/evidence": { keys: ["dev-bank", "dev-amc2"], why: "only the claim's holder (dev-amc1) and its collectors" },
    "POST /v1/claims/{claimId}/surveys": { keys: ["dev-bank", "dev-amc2"], why: "only the claim's holder (dev-amc1) and its collectors" },
    "POST /v1/claims/{claimId}/offers": { keys: ["dev-bank", "dev-amc2"], why: "only the claim's holder (dev-amc1) and its collectors" },
    "POST /v1/feeds": { keys: ["dev-amc1", "dev-amc2"], why: "a bank or AMC sends outside data only on claims it holds (bankClaim: the bank's); a feed on any" },
    "POST /v1/feeds/import": { keys: ["dev-amc1", "dev-amc2"], why: "as POST /v1/feeds" },
    "POST /v1/loan-status": { keys: ["dev-amc1", "dev-amc2"], why: "a bank or AMC reports only on claims it holds (bankClaim: the bank's); a feed observes any" },
    "POST /v1/loan-status/batch": { keys: ["dev-amc1", "dev-amc2"], why: "as POST /v1/loan-status, for every status of the batch" },
    "GET /v1/handover/claims/{claimId}/file": { keys: ["dev-amc2"], why: "amcClaim's loan file: its holder's side (dev-amc1, its collector) and, read-only, its seller (dev-bank)" },
  };

  function valuation(claimId: string) {
    return {
      claimId, kind: "valuation", channel: "system", direction: "internal", occurredAt: "2026-01-05T10:00:00+08:00",
      actor: "valuer-1", content: `valuation note ${++seq}`,
    };
  }
  function feedItem() {
    return {
      type: "appraisal", claimId: fx.bankClaim,
      provenance: { source: "appraiser.example", fetchedAt: "2026-01-05T10:00:00+08:00", contentHash: contentHashOf(`feed ${++seq}`) },
      data: { appraiser: "Appraiser Co.", reportNo: `R-${++seq}`, valuedAt: "2026-01-02", value: "50000000", method: "market-comparison" },
    };
  }
  function loanStatus(claimId: string) {
    return { claimId, asOf: new Date().toISOString().slice(0, 10), daysPastDue: 0, outstanding: "85000000" };
  }

  async function register(contractNo: string, debtorType: "retail" | "corporate" = "retail"): Promise<string> {
    return (await registerTx(contractNo, debtorType)).claimId;
  }
  async function registerTx(contractNo: string, debtorType: "retail" | "corporate" = "retail", extra: Record<string, unknown> = {}): Promise<{ claimId: string; txHash: string }> {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(contractNo, {
      ...extra,
      debtor: { name: "测试", idNumber: syntheticIdNumber("110101", ++seq), type: debtorType, debtorId: `D-${contractNo}` },
      ...(debtorType === "corporate" ? { product: "corporate" } : {}),
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }

  async function send(id: string, key: string | undefined, headers: Record<string, string> = {}): Promise<RawResponse> {
    const [method, openApiPath] = id.split(" ") as [string, string];
    const builder = REQUESTS[id];
    if (!builder) throw new Error(`no request for ${id} in REQUESTS: add one (and its row in ROUTE_ACCESS)`);
    const { path, body } = builder(key);
    expect(path.includes("{"), `${id}: ${openApiPath} needs its parameters`).toBe(false);
    return raw(stack.baseUrl, {
      method, path,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      timeoutMs: 60_000,
    });
  }

  let documented: string[] = [];
  let doc: any;

  beforeAll(async () => {
    stack = await startStack(securityEnv());
    fx.amc = (await call(stack, "GET", "/v1/me", "dev-amc1")).body.address;
    fx.amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address;
    ({ claimId: fx.bankClaim, txHash: fx.txHash } = await registerTx("ACC-KEEP"));
    fx.bankSale = await register("ACC-SALE");
    fx.amcClaim = (await registerTx("ACC-AMC", "retail", { collateral: { type: "residential", region: "shanghai", areaSqm: 90 } })).claimId;
    fx.amcSale = await register("ACC-AMC-SALE", "corporate");
    const sold = await call(stack, "POST", "/v1/assignments", "dev-bank", {
      claimIds: [fx.amcClaim, fx.amcSale], to: fx.amc, packageId: "PKG-ACC-SETUP", price: "1000", notice: "债权转让通知",
    });
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    const job = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims: [claimRequest("ACC-JOB")] });
    expect(job.status).toBe(202);
    fx.bankJob = job.body.jobId;
    const ev = await call(stack, "POST", "/v1/evidence", "dev-amc1", valuation(fx.amcClaim));
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    fx.recordId = ev.body.recordId;
    const checklists = (await call(stack, "GET", "/v1/surveys/checklists", "dev-admin")).body;
    const residential = checklists.checklists.find((c: { assetType: string }) => c.assetType === "residential");
    fx.surveyAnswers = Object.fromEntries(residential.items
      .filter((i: { required: boolean }) => i.required)
      .map((i: { id: string; judgment: boolean; options: Array<{ value: string }> }) => [i.id, { value: i.options[0]!.value, ...(i.judgment ? { note: "judged on site" } : {}) }]));
    doc = (await call(stack, "GET", "/docs/json")).body;
    documented = operationsOf(doc).map((o) => o.id);
  }, 180_000);
  afterAll(async () => stack?.stop());

  it("has an expected row for every route the OpenAPI document lists, and no row for a route that is gone", () => {
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((id) => !(id in ROUTE_ACCESS)), "routes without a row in ROUTE_ACCESS (test/security/support.ts)").toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((id) => !documented.includes(id)), "rows for routes not in the OpenAPI document").toEqual([]);
    for (const id of [...documented, ...HIDDEN_PUBLIC_ROUTES]) expect(REQUESTS[id], `REQUESTS has no request for ${id}`).toBeDefined();
  });

  it("the OpenAPI document tells the truth about which routes need a key", () => {
    for (const { id, op } of operationsOf(doc)) {
      const saysPublic = Array.isArray(op.security) && op.security.length === 0;
      expect({ id, public: saysPublic }).toEqual({ id, public: ROUTE_ACCESS[id] === "public" });
    }
  });

  it("every route × every key: allowed keys get through, other roles get 403, no key 401 (unless public)", async () => {
    const table: string[] = [];
    const failures: string[] = [];
    for (const id of documented) {
      const access = ROUTE_ACCESS[id]!;
      const objectDenied = OBJECT_DENIED[id]?.keys ?? [];
      const row: string[] = [];
      for (const key of [undefined, ...KEY_NAMES]) {
        const res = await send(id, key);
        const who = key ?? "(no key)";
        let expected: "allow" | 401 | 403;
        if (key === undefined) expected = access === "public" ? "allow" : 401;
        else if (!allowedKeys(access).includes(key)) expected = 403;
        else if (objectDenied.includes(key)) expected = 403;
        else expected = "allow";
        const ok = expected === "allow" ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === expected;
        if (!ok) failures.push(`${id} as ${who}: expected ${expected}, got ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status === 401 || res.status === 403) {
          expect(res.json, `${id} as ${who}`).toMatchObject({ error: res.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", message: expect.any(String) });
        }
        row.push(`${who}=${res.status}`);
      }
      table.push(`${id.padEnd(40)} ${row.join(" ")}`);
    }
    if (process.env.SHOW_MATRIX) console.log(table.join("\n"));
    expect(failures, `\n${table.join("\n")}`).toEqual([]);
  }, 180_000);

  it("objects the role gate lets through are still guarded: a job only for its creator, evidence only by the holder's side", async () => {
    for (const [id, { keys, why }] of Object.entries(OBJECT_DENIED)) {
      for (const key of keys) {
        const res = await send(id, key);
        expect({ id, key, why, status: res.status }).toEqual({ id, key, why, status: 403 });
      }
    }
    // In a batch, a record of a claim the caller does not hold is refused alone, as FORBIDDEN.
    for (const key of ["dev-bank", "dev-amc2"]) {
      const res = await send("POST /v1/evidence/batch", key);
      expect(res.status).toBe(201);
      expect(res.json.results[0].error).toMatchObject({ error: "FORBIDDEN" });
    }
    for (const key of ["dev-amc1", "dev-collector"]) {
      const res = await send("POST /v1/evidence/batch", key);
      expect(res.json.results[0].error, key).toBeUndefined();
    }
  }, 120_000);

  it("loan statuses: the holder reports; the seller, a stranger AMC, an oracle peer and an admin cannot; a feed observes (a status drives warnings and arbitration)", async () => {
    const status = (claimId: string) => ({ claimId, asOf: new Date().toISOString().slice(0, 10), daysPastDue: 5, outstanding: "85000000" });
    // dev-amc1 holds amcClaim; dev-bank originated it and sold it: it no longer reports (issue 14).
    expect((await call(stack, "POST", "/v1/loan-status", "dev-amc1", status(fx.amcClaim))).status).toBe(202);
    for (const key of ["dev-bank", "dev-amc2"]) {
      const refused = await call(stack, "POST", "/v1/loan-status", key, status(fx.amcClaim));
      expect(refused.status, key).toBe(403);
      expect(refused.body, key).toMatchObject({ error: "FORBIDDEN", field: "claimId" });
    }
    // In a batch, one foreign claim refuses the whole (all-or-nothing) batch, naming it.
    const mixed = await call(stack, "POST", "/v1/loan-status/batch", "dev-amc1", { statuses: [status(fx.amcClaim), status(fx.bankClaim)] });
    expect(mixed.status).toBe(403);
    expect(mixed.body.field).toBe("statuses[1].claimId");
    // An oracle peer only asks for signatures; an admin is no party to the loan.
    for (const key of [ORACLE_KEY, "dev-admin"]) expect((await call(stack, "POST", "/v1/loan-status", key, status(fx.amcClaim))).status, key).toBe(403);
    // The organisation's own feed observes any registered claim (to co-sign from), proposing nothing.
    expect((await call(stack, "POST", "/v1/loan-status", FEED_KEY, status(fx.amcClaim))).status).toBe(202);
  });

  it("an unknown key or a malformed Authorization header is refused with 401 on every route, public ones included", async () => {
    for (const id of [...documented, ...HIDDEN_PUBLIC_ROUTES]) {
      for (const authorization of ["Bearer not-a-real-key", "Bearer dev-admin2", "Basic ZGV2LWFkbWluOg==", "Bearer", "dev-admin", "Bearer dev-admin extra"]) {
        const res = await send(id, undefined, { authorization });
        expect({ id, authorization, status: res.status }).toEqual({ id, authorization, status: 401 });
        expect(res.json).toMatchObject({ error: "UNAUTHORIZED", message: expect.any(String) });
      }
    }
  }, 120_000);

  it("hidden pages and the docs UI are public", async () => {
    for (const id of HIDDEN_PUBLIC_ROUTES) {
      const res = await send(id, undefined);
      expect({ id, status: res.status }).toEqual({ id, status: 200 });
    }
  });

  it("the dev-oracle key really is an oracle (the matrix covers every API role)", async () => {
    expect((await call(stack, "GET", "/v1/me", ORACLE_KEY)).body.role).toBe("oracle");
    expect((await call(stack, "GET", "/v1/me", FEED_KEY)).body.role).toBe("feed");
    expect(new Set(Object.values(KEYS))).toEqual(new Set(["admin", "bank", "amc", "collector", "court", "oracle", "feed"]));
  });
});

// ---------------------------------------------------------------------------------------------
// Contracts: every state-changing function × every account
// ---------------------------------------------------------------------------------------------

const { ethers } = await hre.network.create();

/** Errors that mean "this account may not do this". */
const ACCESS_ERRORS = new Set([
  "AccessControlUnauthorizedAccount", "AccessControlBadConfirmation", "NotClaimHolder", "NotArbitrator",
  "ERC721InsufficientApproval", "ERC721InvalidApprover", "NotCouncilMember", "NotTimelock",
  "NotSeller", "NotWinner", "SellerCannotBid", "BidderNotEligible", "BidNotCommitted", "BuyerNotHolder", "BuyerNotLicensedAmc",
]);

/**
 * The holder is a licensed AMC (HOLDER + LICENSED_AMC), the investor a qualified investor (HOLDER +
 * QUALIFIED_INVESTOR: a buyer, but not of a listing for licensed AMCs only).
 */
type Account = "admin" | "originator" | "holder" | "investor" | "oracle" | "recorder" | "arbitrator" | "outsider";
const ACCOUNTS: Account[] = ["admin", "originator", "holder", "investor", "oracle", "recorder", "arbitrator", "outsider"];
const ALL = ACCOUNTS;

describe("contract access matrix", () => {
  const s = {} as Record<Account, Signer>;
  const a = {} as Record<Account, string>;
  let registry: ClaimRegistry, evidenceLog: EvidenceLog, clauses: CollectionClauses, arbitrator: Arbitrator, council: Council, market: ClaimMarket;
  let errors: Interface;
  /** A council proposal of setQuorum(1) by the holder, approved by the arbitrator too (2 of 3: schedulable). */
  const proposal = { targets: [] as string[], values: [0n], payloads: [] as string[], salt: keccak256(toUtf8Bytes("acc-proposal")) };
  let proposalId: string;
  const bankCode = originatorCodeToBytes32("ACCBANK");
  let bankClaim: string, holderClaim: string, restrictedClaim: string;
  let loanNo = 0;
  /**
   * Market listings by the originator (retail claims: licensed AMCs only), one per phase a function needs:
   * commit (bidding open, no bid), reveal (the holder's bid sealed, its reveal open), award (the reveal over, the
   * holder's bid revealed), awarded (the holder won; the deadline far), lapsed (the holder won; the deadline passed).
   */
  type Phase = "commit" | "reveal" | "award" | "awarded" | "lapsed";
  const listing = {} as Record<Phase, { id: string; claims: string[] }>;
  let listClaim: string; // held by the originator, listed nowhere
  const BID = 1_000n;
  const BID_SALT = keccak256(toUtf8Bytes("acc-bid-salt"));

  function registration(retail = false) {
    return {
      originatorCode: bankCode,
      loanRef: keccak256(toUtf8Bytes(`ACC-LN-${++loanNo}`)),
      terms: {
        principal: 1_000_000n, outstanding: 800_000n, currency: "0x434e59", originatedAt: 1_600_000_000, maturityAt: 1_690_000_000,
        retail, clauses: { warnDays: 0, demandDays: 0, arbitrationDays: 0, coverageBps: 0, noticeDays: 0 },
        collateralHash: ZERO_HASH, documentsRoot: ZERO_HASH,
      },
    };
  }

  async function register(retail = false): Promise<string> {
    const r = registration(retail);
    await (await registry.connect(s.originator).register(r)).wait();
    return registry.claimIdOf(r.originatorCode, r.loanRef);
  }

  interface Row {
    /** Who may call it; everyone else gets `denied` (with `deniedArgs(account)` when given), or the error `deniedAs` names for it. */
    allowed: readonly Account[];
    denied?: string;
    deniedArgs?: (account: Account) => unknown[];
    deniedAs?: Partial<Record<Account, { denied: string; deniedArgs?: unknown[] }>>;
    /** A static call of the function as `account` (nothing is written). */
    call: (account: Account) => Promise<unknown>;
    why?: string;
  }

  const adminOnly = (role: string) => (account: Account) => [a[account], roleId(role as never)];

  /** contract → function signature → row. Every non-view function of the six contracts must appear. */
  let MATRIX: Record<string, Record<string, Row>>;

  beforeAll(async () => {
    const signers = await ethers.getSigners();
    ACCOUNTS.forEach((name, i) => (s[name] = signers[i]!));
    for (const name of ACCOUNTS) a[name] = await s[name].getAddress();
    registry = await new ClaimRegistry__factory(s.admin).deploy(a.admin, 7);
    arbitrator = await new Arbitrator__factory(s.admin).deploy(await registry.getAddress());
    clauses = await new CollectionClauses__factory(s.admin).deploy(await registry.getAddress(), await arbitrator.getAddress(), 1, 86_400, "ipfs://meta");
    evidenceLog = await new EvidenceLog__factory(s.admin).deploy(a.admin);
    const grant = async (role: string, who: string) => (await registry.grantRole(roleId(role as never), who)).wait();
    await grant("ORIGINATOR", a.originator);
    await grant("HOLDER", a.holder);
    await grant("LICENSED_AMC", a.holder); // restrictedClaim below is retail: only a licensed AMC buys it (26号文)
    await grant("HOLDER", a.investor);
    await grant("QUALIFIED_INVESTOR", a.investor);
    await grant("ORACLE", a.oracle);
    await grant("RECORDER", a.recorder);
    await grant("ARBITRATOR", a.arbitrator);
    await (await evidenceLog.grantRole(roleId("RECORDER"), a.recorder)).wait();
    await (await registry.bindOriginatorCode(bankCode, a.originator)).wait();
    bankClaim = await register();
    holderClaim = await register();
    restrictedClaim = await register(true);
    await (await registry.connect(s.originator).assign([holderClaim, restrictedClaim], a.holder, originatorCodeToBytes32("PKG"), 1n, ZERO_HASH, ZERO_FILES)).wait();
    await (await arbitrator.connect(s.outsider).createDispute(3, "0x")).wait(); // dispute 1, waiting
    // The council of three organisations (k = 2) the network's ADMIN would be: its own access rules.
    council = await new Council__factory(s.admin).deploy([a.holder, a.arbitrator, a.originator], 2, 3600);
    proposal.targets = [await clauses.getAddress()];
    proposal.payloads = [clauses.interface.encodeFunctionData("setQuorum", [1])];
    await (await council.connect(s.holder).propose(proposal.targets, proposal.values, proposal.payloads, proposal.salt)).wait();
    proposalId = (await council.queryFilter(council.filters.CallsProposed()))[0]!.args.id;
    await (await council.connect(s.arbitrator).approve(proposalId)).wait();
    errors = new Interface([
      ...ClaimRegistry__factory.abi, ...EvidenceLog__factory.abi, ...CollectionClauses__factory.abi, ...Arbitrator__factory.abi, ...Council__factory.abi,
      ...ClaimMarket__factory.abi,
    ].filter((f) => f.type === "error"));

    const { chainId } = await ethers.provider.getNetwork();
    const domain = reportDomain(chainId, await clauses.getAddress());
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const oracleWallet = s.oracle;
    const signed = await signBatchByQuorum([oracleWallet], domain, [{
      claimId: bankClaim, asOf: now, daysPastDue: 1, outstanding: 800_000n, collateralValue: 0n, classification: 1, riskGrade: 1, noticeHash: ZERO_HASH, nonce: 0,
    }]);
    // Dispute 2 is CollectionClauses' own (a claim walked to arbitration): a ruling executes at once, so it
    // needs a real arbitrable behind it (dispute 1's "arbitrable" is an account without code).
    const arbitrationClaim = await register();
    for (const [dpd, notice, wait] of [[1, "warning", 0], [30, "demand", 15], [90, "", 15]] as const) {
      await ethers.provider.send("evm_increaseTime", [wait * 86_400 + 60]);
      await ethers.provider.send("evm_mine", []);
      const asOf = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      const nonce = Number((await clauses.caseOf(arbitrationClaim)).nonce);
      const report = await signBatchByQuorum([oracleWallet], domain, [{
        claimId: arbitrationClaim, asOf, daysPastDue: dpd, outstanding: 800_000n, collateralValue: 0n, classification: 2, riskGrade: 3,
        noticeHash: notice ? keccak256(toUtf8Bytes(notice)) : ZERO_HASH, nonce,
      }]);
      await (await clauses.connect(s.outsider).submitReports(report.reports, report.signatures)).wait();
    }
    expect((await clauses.caseOf(arbitrationClaim)).disputeId).toBe(2n);

    // The claim market (issue 19): MARKET on the registry, listings in every phase the static calls need.
    market = await new ClaimMarket__factory(s.admin).deploy(await registry.getAddress());
    await grant("MARKET", await market.getAddress());
    const timeTo = async (ts: bigint) => {
      await ethers.provider.send("evm_setNextBlockTimestamp", [Number(ts)]);
      await ethers.provider.send("evm_mine", []);
    };
    const t0 = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const FAR = t0 + 10_000_000n;
    const windows: Record<Phase, [bigint, bigint, number]> = {
      commit: [FAR, FAR + 1_000n, 86_400], reveal: [t0 + 1_000n, FAR, 86_400], award: [t0 + 1_000n, t0 + 2_000n, 86_400],
      awarded: [t0 + 1_000n, t0 + 2_000n, 10_000_000], lapsed: [t0 + 1_000n, t0 + 2_000n, 1_000],
    };
    listClaim = await register(true);
    for (const [phase, [commitEnd, revealEnd, executionPeriod]] of Object.entries(windows) as Array<[Phase, [bigint, bigint, number]]>) {
      listing[phase] = { id: keccak256(toUtf8Bytes(`acc-listing-${phase}`)), claims: [await register(true)] };
      await (await market.connect(s.originator).list({
        listingId: listing[phase].id, termsCommitment: keccak256(toUtf8Bytes("acc-terms")), cutoffDate: t0 - 86_400n, commitEnd, revealEnd,
        executionPeriod, deposit: 100n, reserve: 0n, reserveCommitment: ZERO_HASH, licensedAmcOnly: true,
      }, listing[phase].claims)).wait();
    }
    const bidding: Phase[] = ["reveal", "award", "awarded", "lapsed"];
    for (const phase of bidding) {
      const commitment = await market.bidCommitment(listing[phase].id, a.holder, BID, BID_SALT);
      await (await market.connect(s.holder).commitBid(listing[phase].id, commitment, keccak256(toUtf8Bytes("acc-deposit")))).wait();
    }
    await timeTo(t0 + 1_000n);
    for (const phase of bidding.filter((p) => p !== "reveal")) await (await market.connect(s.holder).revealBid(listing[phase].id, BID, BID_SALT)).wait();
    await timeTo(t0 + 2_000n);
    for (const phase of ["awarded", "lapsed"] as const) {
      await (await market.connect(s.outsider).award(listing[phase].id, listing[phase].claims, 0n, ZERO_HASH)).wait();
    }
    await timeTo(t0 + 4_000n); // past the lapsed award's deadline (its award + 1,000 s), long before the others'

    const R = registry, E = evidenceLog, C = clauses, A = arbitrator, M = market;
    MATRIX = {
      ClaimRegistry: {
        "register((bytes32,bytes32,(uint128,uint128,bytes3,uint40,uint40,bool,(uint16,uint16,uint16,uint16,uint16),bytes32,bytes32)))": {
          allowed: ["originator"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ORIGINATOR"),
          call: (x) => R.connect(s[x]).register.staticCall(registration()),
        },
        "registerBatch((bytes32,bytes32,(uint128,uint128,bytes3,uint40,uint40,bool,(uint16,uint16,uint16,uint16,uint16),bytes32,bytes32))[])": {
          allowed: ["originator"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ORIGINATOR"),
          call: (x) => R.connect(s[x]).registerBatch.staticCall([registration()]),
        },
        "assign(bytes32[],address,bytes32,uint256,bytes32,bytes32)": {
          allowed: ["originator"], denied: "NotClaimHolder", deniedArgs: (x) => [bankClaim, a[x]], why: "only the claim's holder (or an approved operator)",
          call: (x) => R.connect(s[x]).assign.staticCall([bankClaim], a.holder, originatorCodeToBytes32("PKG2"), 1n, ZERO_HASH, ZERO_FILES),
        },
        "lockListed(bytes32[],address)": {
          allowed: [], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("MARKET"), why: "only the ClaimMarket contract (MARKET): a claim is locked by a listing, never by hand",
          call: (x) => R.connect(s[x]).lockListed.staticCall([listClaim], a.originator),
        },
        "unlockListed(bytes32[])": {
          allowed: [], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("MARKET"), why: "only the market: else a seller frees a listed claim and sells it twice",
          call: (x) => R.connect(s[x]).unlockListed.staticCall(listing.commit.claims),
        },
        "assignListed(address,bytes32[],address,bytes32,uint256,bytes32,bytes32)": {
          allowed: [], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("MARKET"), why: "only the market, executing an award",
          call: (x) => R.connect(s[x]).assignListed.staticCall(a.originator, listing.awarded.claims, a.holder, originatorCodeToBytes32("PKG-MKT"), BID, ZERO_HASH, ZERO_FILES),
        },
        "bindOriginatorCode(bytes32,address)": {
          allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"),
          call: (x) => R.connect(s[x]).bindOriginatorCode.staticCall(originatorCodeToBytes32("NEWBANK"), a.outsider),
        },
        "liftResaleRestriction(bytes32)": {
          allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"),
          call: (x) => R.connect(s[x]).liftResaleRestriction.staticCall(restrictedClaim),
        },
        "pause()": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => R.connect(s[x]).pause.staticCall() },
        "unpause()": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => R.connect(s[x]).unpause.staticCall() },
        "grantRole(bytes32,address)": {
          allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), why: "ADMIN administers every role but ADMIN",
          call: (x) => R.connect(s[x]).grantRole.staticCall(roleId("HOLDER"), a.outsider),
        },
        "revokeRole(bytes32,address)": {
          allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"),
          call: (x) => R.connect(s[x]).revokeRole.staticCall(roleId("ORACLE"), a.oracle),
        },
        "renounceRole(bytes32,address)": {
          allowed: ["holder"], denied: "AccessControlBadConfirmation", why: "an account renounces only its own role",
          call: (x) => R.connect(s[x]).renounceRole.staticCall(roleId("HOLDER"), a.holder),
        },
        "transferFrom(address,address,uint256)": {
          allowed: ["originator"], denied: "ERC721InsufficientApproval", deniedArgs: (x) => [a[x], BigInt(bankClaim)],
          call: (x) => R.connect(s[x]).transferFrom.staticCall(a.originator, a.holder, bankClaim),
        },
        "safeTransferFrom(address,address,uint256)": {
          allowed: ["originator"], denied: "ERC721InsufficientApproval", deniedArgs: (x) => [a[x], BigInt(bankClaim)],
          call: (x) => R.connect(s[x])["safeTransferFrom(address,address,uint256)"].staticCall(a.originator, a.holder, bankClaim),
        },
        "safeTransferFrom(address,address,uint256,bytes)": {
          allowed: ["originator"], denied: "ERC721InsufficientApproval", deniedArgs: (x) => [a[x], BigInt(bankClaim)],
          call: (x) => R.connect(s[x])["safeTransferFrom(address,address,uint256,bytes)"].staticCall(a.originator, a.holder, bankClaim, "0x"),
        },
        "approve(address,uint256)": {
          allowed: ["originator"], denied: "ERC721InvalidApprover", deniedArgs: (x) => [a[x]],
          call: (x) => R.connect(s[x]).approve.staticCall(a.outsider, bankClaim),
        },
        "setApprovalForAll(address,bool)": {
          allowed: ALL, why: "sets the caller's own operators only",
          call: (x) => R.connect(s[x]).setApprovalForAll.staticCall(x === "outsider" ? a.admin : a.outsider, true),
        },
      },
      EvidenceLog: {
        "anchor(bytes32,uint32,string)": {
          allowed: ["recorder"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("RECORDER"),
          call: (x) => E.connect(s[x]).anchor.staticCall(keccak256(toUtf8Bytes("root")), 3, "ipfs://batch"),
        },
        "attachEvidence(uint256,address,string)": {
          allowed: ["recorder"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("RECORDER"),
          call: (x) => E.connect(s[x]).attachEvidence.staticCall(1n, a.arbitrator, "ipfs://evidence"),
        },
        "pause()": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => E.connect(s[x]).pause.staticCall() },
        "unpause()": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => E.connect(s[x]).unpause.staticCall() },
        "grantRole(bytes32,address)": {
          allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"),
          call: (x) => E.connect(s[x]).grantRole.staticCall(roleId("RECORDER"), a.outsider),
        },
        "revokeRole(bytes32,address)": {
          allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"),
          call: (x) => E.connect(s[x]).revokeRole.staticCall(roleId("RECORDER"), a.recorder),
        },
        "renounceRole(bytes32,address)": {
          allowed: ["recorder"], denied: "AccessControlBadConfirmation",
          call: (x) => E.connect(s[x]).renounceRole.staticCall(roleId("RECORDER"), a.recorder),
        },
      },
      CollectionClauses: {
        "submitReports(bytes,bytes[])": {
          allowed: ALL, why: "anyone relays: the oracle signatures are the authority (see reports.test.ts for forged ones)",
          call: (x) => C.connect(s[x]).submitReports.staticCall(signed.reports, signed.signatures),
        },
        "restructure(bytes32,bytes32,uint16)": {
          allowed: ["holder", "admin"], denied: "NotClaimHolder", deniedArgs: (x) => [holderClaim, a[x]],
          call: (x) => C.connect(s[x]).restructure.staticCall(holderClaim, keccak256(toUtf8Bytes("plan")), 6),
        },
        "recordNoticeDelivery(bytes32,uint40)": {
          allowed: ["holder"], denied: "NotClaimHolder", deniedArgs: (x) => [holderClaim, a[x]], why: "the holder, who holds the proof of delivery (issue 17)",
          call: (x) => C.connect(s[x]).recordNoticeDelivery.staticCall(holderClaim, 1n),
        },
        "submitEvidence(bytes32,string)": {
          allowed: ["holder", "recorder"], denied: "NotClaimHolder", deniedArgs: (x) => [holderClaim, a[x]],
          call: (x) => C.connect(s[x]).submitEvidence.staticCall(holderClaim, "ipfs://evidence"),
        },
        "rule(uint256,uint256)": {
          allowed: [], denied: "NotArbitrator", deniedArgs: (x) => [a[x]], why: "only the Arbitrator contract itself",
          call: (x) => C.connect(s[x]).rule.staticCall(1n, 1n),
        },
        "setQuorum(uint256)": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => C.connect(s[x]).setQuorum.staticCall(2) },
        "setMaxReportAge(uint256)": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => C.connect(s[x]).setMaxReportAge.staticCall(3600) },
        "setMetaEvidence(string)": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => C.connect(s[x]).setMetaEvidence.staticCall("ipfs://meta2") },
        "withdraw(address,uint256)": {
          allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), why: "the fee reserve: ADMIN only",
          call: (x) => C.connect(s[x]).withdraw.staticCall(a[x], 0n),
        },
      },
      ClaimMarket: {
        "list((bytes32,bytes32,uint40,uint40,uint40,uint32,uint128,uint128,bytes32,bool),bytes32[])": {
          allowed: ["originator"], denied: "NotClaimHolder", deniedArgs: (x) => [listClaim, a[x]], why: "a seller lists only claims it holds",
          call: async (x) => {
            const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
            return M.connect(s[x]).list.staticCall({
              listingId: keccak256(toUtf8Bytes("acc-listing-new")), termsCommitment: ZERO_HASH, cutoffDate: now - 86_400n, commitEnd: now + 10_000n,
              revealEnd: now + 20_000n, executionPeriod: 86_400, deposit: 0n, reserve: 0n, reserveCommitment: ZERO_HASH, licensedAmcOnly: true,
            }, [listClaim]);
          },
        },
        "cancel(bytes32,bytes32[])": {
          allowed: ["originator"], denied: "NotSeller", deniedArgs: (x) => [listing.commit.id, a[x]], why: "the seller only (a bidder and a stranger are refused)",
          call: (x) => M.connect(s[x]).cancel.staticCall(listing.commit.id, listing.commit.claims),
        },
        "commitBid(bytes32,bytes32,bytes32)": {
          allowed: ["holder"], denied: "BidderNotEligible", deniedArgs: (x) => [listing.commit.id, a[x]],
          deniedAs: { originator: { denied: "SellerCannotBid", deniedArgs: [listing.commit.id] } },
          why: "a licensed AMC only (retail claims): not the seller, not a qualified investor, not an account without HOLDER",
          call: (x) => M.connect(s[x]).commitBid.staticCall(listing.commit.id, keccak256(toUtf8Bytes(`bid-${x}`)), ZERO_HASH),
        },
        "revealBid(bytes32,uint128,bytes32)": {
          allowed: ["holder"], denied: "BidNotCommitted", deniedArgs: (x) => [listing.reveal.id, a[x]], why: "a bidder opens only its own sealed bid (even knowing its amount and salt)",
          call: (x) => M.connect(s[x]).revealBid.staticCall(listing.reveal.id, BID, BID_SALT),
        },
        "award(bytes32,bytes32[],uint128,bytes32)": {
          allowed: ALL, why: "anyone once the reveal ended: the revealed bids decide, not the caller",
          call: (x) => M.connect(s[x]).award.staticCall(listing.award.id, listing.award.claims, 0n, ZERO_HASH),
        },
        "recordPayment(bytes32,bytes32)": {
          allowed: ["holder"], denied: "NotWinner", deniedArgs: (x) => [listing.awarded.id, a[x]], why: "the award's winner only (the seller too is refused)",
          call: (x) => M.connect(s[x]).recordPayment.staticCall(listing.awarded.id, keccak256(toUtf8Bytes("acc-payment"))),
        },
        "executeAward(bytes32,bytes32[],bytes32,bytes32,bytes32)": {
          allowed: ["originator"], denied: "NotSeller", deniedArgs: (x) => [listing.awarded.id, a[x]], why: "the seller only, to the winner at the winning bid (the winner is refused too)",
          call: (x) => M.connect(s[x]).executeAward.staticCall(listing.awarded.id, listing.awarded.claims, originatorCodeToBytes32("PKG-MKT"), ZERO_HASH, ZERO_FILES),
        },
        "awardRunnerUp(bytes32,bytes32[])": {
          allowed: ALL, why: "anyone once the deadline passed: the recorded payment decides who defaulted",
          call: (x) => M.connect(s[x]).awardRunnerUp.staticCall(listing.lapsed.id, listing.lapsed.claims),
        },
      },
      Arbitrator: {
        "createDispute(uint256,bytes)": { allowed: ALL, why: "ERC-792: any arbitrable opens disputes, paying arbitrationCost", call: (x) => A.connect(s[x]).createDispute.staticCall(3, "0x") },
        "giveRuling(uint256,uint256)": {
          allowed: ["arbitrator"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ARBITRATOR"),
          call: (x) => A.connect(s[x]).giveRuling.staticCall(2n, 1n),
        },
        "appeal(uint256,bytes)": {
          allowed: [], denied: "AwardIsFinal", deniedArgs: () => [2n], why: "nobody: an arbitral award is final (仲裁法第9条)",
          call: (x) => A.connect(s[x]).appeal.staticCall(2n, "0x"),
        },
        "setArbitrationFee(uint256)": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => A.connect(s[x]).setArbitrationFee.staticCall(1) },
        "withdrawFees(address)": { allowed: ["admin"], denied: "AccessControlUnauthorizedAccount", deniedArgs: adminOnly("ADMIN"), call: (x) => A.connect(s[x]).withdrawFees.staticCall(a.admin) },
      },
      Council: {
        "propose(address[],uint256[],bytes[],bytes32)": {
          allowed: ["holder", "arbitrator", "originator"], denied: "NotCouncilMember", deniedArgs: (x) => [a[x]],
          call: (x) => council.connect(s[x]).propose.staticCall(proposal.targets, proposal.values, proposal.payloads, keccak256(toUtf8Bytes("another"))),
        },
        "proposeCancel(bytes32)": {
          allowed: ["holder", "arbitrator", "originator"], denied: "NotCouncilMember", deniedArgs: (x) => [a[x]],
          call: (x) => council.connect(s[x]).proposeCancel.staticCall(proposalId),
        },
        "approve(bytes32)": {
          allowed: ["holder", "arbitrator", "originator"], denied: "NotCouncilMember", deniedArgs: (x) => [a[x]],
          why: "members (the holder and arbitrator approved already: AlreadyApproved is no access error)",
          call: (x) => council.connect(s[x]).approve.staticCall(proposalId),
        },
        "revoke(bytes32)": {
          allowed: ["holder", "arbitrator", "originator"], denied: "NotCouncilMember", deniedArgs: (x) => [a[x]],
          call: (x) => council.connect(s[x]).revoke.staticCall(proposalId),
        },
        "schedule(address[],uint256[],bytes[],bytes32)": {
          allowed: ALL, why: "anyone, once k members approved: the approvals are the authority",
          call: (x) => council.connect(s[x]).schedule.staticCall(proposal.targets, proposal.values, proposal.payloads, proposal.salt),
        },
        "cancel(bytes32)": {
          allowed: ALL, why: "anyone, once k members approved the cancellation (none has: ApprovalsBelowThreshold or UnknownProposal)",
          call: (x) => council.connect(s[x]).cancel.staticCall(proposalId),
        },
        "reconfigure(address[],uint256)": {
          allowed: [], denied: "NotTimelock", deniedArgs: (x) => [a[x]], why: "only the council's own timelock: k-of-n after the delay",
          call: (x) => council.connect(s[x]).reconfigure.staticCall([a[x]], 1),
        },
      },
    };
  });

  /** The revert of `p` as {name, args}, or null when it did not revert. */
  async function revertOf(p: Promise<unknown>): Promise<{ name: string; args: unknown[] } | null> {
    try {
      await p;
      return null;
    } catch (e) {
      const data = (e as { data?: unknown }).data ?? (e as { error?: { data?: unknown } }).error?.data;
      if (typeof data === "string" && data.length >= 10) {
        const parsed = errors.parseError(data);
        if (parsed) return { name: parsed.name, args: [...parsed.args] };
      }
      return { name: `undecoded: ${(e as Error).message.slice(0, 200)}`, args: [] };
    }
  }

  it("lists every state-changing function of the six contracts", () => {
    const factories = {
      ClaimRegistry: ClaimRegistry__factory, EvidenceLog: EvidenceLog__factory, CollectionClauses: CollectionClauses__factory, Arbitrator: Arbitrator__factory,
      Council: Council__factory, ClaimMarket: ClaimMarket__factory,
    };
    for (const [name, factory] of Object.entries(factories)) {
      const iface = new Interface(factory.abi);
      const writes: string[] = [];
      iface.forEachFunction((f) => {
        if (f.stateMutability !== "view" && f.stateMutability !== "pure") writes.push(f.format("sighash"));
      });
      expect({ name, functions: Object.keys(MATRIX[name]!).sort() }).toEqual({ name, functions: writes.sort() });
    }
  });

  it("every function × every account: allowed accounts pass the access check, the others revert with the named error", async () => {
    const failures: string[] = [];
    const table: string[] = [];
    for (const [contract, rows] of Object.entries(MATRIX)) {
      for (const [fn, row] of Object.entries(rows)) {
        const cells: string[] = [];
        for (const account of ACCOUNTS) {
          const r = await revertOf(row.call(account));
          const where = `${contract}.${fn.split("(")[0]} as ${account}`;
          if (row.allowed.includes(account)) {
            // Allowed: it succeeds, or fails for a reason other than access (e.g. ExpectedPause, TransitionNotAllowed).
            if (r && (ACCESS_ERRORS.has(r.name) || r.name.startsWith("undecoded"))) failures.push(`${where}: allowed, but reverted ${r.name}`);
            cells.push(`${account}=${r ? r.name : "ok"}`);
          } else {
            const denied = row.deniedAs?.[account]?.denied ?? row.denied;
            const deniedArgs = row.deniedAs?.[account] ? row.deniedAs[account]!.deniedArgs : row.deniedArgs?.(account);
            if (!r || r.name !== denied) failures.push(`${where}: expected ${denied}, got ${r ? r.name : "success"}`);
            else if (deniedArgs) {
              const want = deniedArgs.map((v) => (typeof v === "string" ? v.toLowerCase() : v));
              const got = r.args.map((v) => (typeof v === "string" ? v.toLowerCase() : v));
              if (JSON.stringify(got, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) !== JSON.stringify(want, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) {
                failures.push(`${where}: ${r.name} with ${JSON.stringify(got, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}, expected ${JSON.stringify(want, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
              }
            }
            cells.push(`${account}=✗`);
          }
        }
        table.push(`${contract}.${fn.split("(")[0]}: ${cells.join(" ")}`);
        if (process.env.SHOW_MATRIX) console.log(table.at(-1));
      }
    }
    expect(failures, `\n${table.join("\n")}`).toEqual([]);
  }, 120_000);

  it("a role granted by ADMIN opens exactly that function; revoking it closes it again", async () => {
    const stranger = Wallet.createRandom().connect(ethers.provider);
    await (await s.admin.sendTransaction({ to: stranger.address, value: 10n ** 18n })).wait();
    const anchor = () => evidenceLog.connect(stranger).anchor.staticCall(keccak256(toUtf8Bytes("r2")), 1, "u");
    expect((await revertOf(anchor()))?.name).toBe("AccessControlUnauthorizedAccount");
    await (await evidenceLog.grantRole(roleId("RECORDER"), stranger.address)).wait();
    expect(await revertOf(anchor())).toBeNull();
    // RECORDER on the EvidenceLog is not RECORDER on the registry (which CollectionClauses consults).
    expect((await revertOf(clauses.connect(stranger).submitEvidence.staticCall(holderClaim, "u")))?.name).toBe("NotClaimHolder");
    await (await evidenceLog.revokeRole(roleId("RECORDER"), stranger.address)).wait();
    expect((await revertOf(anchor()))?.name).toBe("AccessControlUnauthorizedAccount");

    // The market reads buyer kinds from the registry: HOLDER alone, or a qualified investor, does not open a
    // listing for licensed AMCs; LICENSED_AMC does, until revoked.
    const bid = () => market.connect(stranger).commitBid.staticCall(listing.commit.id, keccak256(toUtf8Bytes("stranger-bid")), ZERO_HASH);
    const kinds: Array<[string, "grant" | "revoke", string | null]> = [
      ["HOLDER", "grant", "BidderNotEligible"], ["QUALIFIED_INVESTOR", "grant", "BidderNotEligible"],
      ["LICENSED_AMC", "grant", null], ["LICENSED_AMC", "revoke", "BidderNotEligible"],
    ];
    expect((await revertOf(bid()))?.name).toBe("BidderNotEligible");
    for (const [role, action, expected] of kinds) {
      await (await registry[action === "grant" ? "grantRole" : "revokeRole"](roleId(role as never), stranger.address)).wait();
      expect({ role, action, error: (await revertOf(bid()))?.name ?? null }).toEqual({ role, action, error: expected });
    }
    // MARKET is the listing lock's only key: granted to an account, it opens exactly the lock.
    const lock = () => registry.connect(stranger).lockListed.staticCall([listClaim], a.originator);
    expect((await revertOf(lock()))?.name).toBe("AccessControlUnauthorizedAccount");
    await (await registry.grantRole(roleId("MARKET"), stranger.address)).wait();
    expect(await revertOf(lock())).toBeNull();
    expect((await revertOf(market.connect(stranger).cancel.staticCall(listing.commit.id, listing.commit.claims)))?.name).toBe("NotSeller");
    await (await registry.revokeRole(roleId("MARKET"), stranger.address)).wait();
    expect((await revertOf(lock()))?.name).toBe("AccessControlUnauthorizedAccount");
  });
});
