import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { advanceDays, caseView, chainNow as chainClock, runCycle } from "../helpers/oracle.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { documentCommitment } from "../../src/core/commitment.js";

const DAY = 86_400;
let stack: TestStack;
let provider: JsonRpcProvider;

const chainNow = () => chainClock(provider);
const advance = (days: number) => advanceDays(provider, days);
async function status(claimId: string, daysPastDue: number, outstanding: string, collateralValue: string) {
  const r = await call(stack, "POST", "/v1/loan-status", "dev-bank", {
    claimId, asOf: new Date((await chainNow()) * 1000).toISOString(), daysPastDue, outstanding, collateralValue,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
}
const cycle = () => runCycle(stack);
const caseOf = (claimId: string) => caseView(stack, claimId);
/** Reads come from the chain index, which sees a reorg on its next poll: make that poll now. */
const indexed = () => appScope(stack.api).reads.indexer.sync();

let lowCover: string; // collateral well below 120 % of the outstanding: arbitration when due
let highCover: string; // collateral above the threshold: never arbitration

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 }); // the latest block is read right after the clock moves
  lowCover = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("ORA-1", { debtor: { name: "赵六", idNumber: "110101198001010010", type: "retail", debtorId: "D-ORA-1" } }))).body.claimId;
  highCover = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("ORA-2", { debtor: { name: "钱七", idNumber: "110101198002020026", type: "retail", debtorId: "D-ORA-2" } }))).body.claimId;
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

describe("oracle daemon", () => {
  describe("a claim's way from loan-status feeds alone", () => {
    it("performing: the first figures are reported; the same figures again are not", async () => {
      await status(lowCover, 0, "85000000", "40000000");
      await status(highCover, 0, "85000000", "120000000");
      const first = await cycle();
      expect(first.applied).toBe(2);
      expect(first.transactions).toHaveLength(1); // both reports in one transaction
      expect((await caseOf(lowCover)).state).toBe("performing");
      await status(lowCover, 0, "85000000", "40000000"); // newer asOf, same figures
      const again = await cycle();
      expect(again.planned).toBe(0);
      expect(again.skipped.unchanged).toBe(1);
    });

    it("overdue past warnDays: warned, with the warning rendered, recorded as evidence and its hash on chain", async () => {
      await advance(2);
      await status(lowCover, 5, "85000000", "40000000");
      await status(highCover, 5, "85000000", "120000000");
      const r = await cycle();
      expect(r.notices).toBe(2);
      const c = await caseOf(lowCover);
      expect(c.state).toBe("warned");
      const changes = c.timeline.filter((t: any) => t.type === "state-changed").map((t: any) => t.details.to);
      expect(changes).toEqual(["overdue", "warned"]);
      const warned = c.timeline.find((t: any) => t.details.to === "warned");
      const evidence = await call(stack, "GET", `/v1/claims/${lowCover}/evidence`, "dev-bank");
      const notice = evidence.body.records.find((x: any) => x.record.kind === "notice");
      expect(notice.content).toMatch(/逾期还款提醒函/);
      expect(notice.content).toMatch(/Overdue payment reminder/);
      expect(notice.content).toContain("赵六");
      // The review's letter rules (issue 17): Chinese operative, 人民币…元, from delivery, limitation interrupted on delivery.
      expect(notice.content).toMatch(/^逾期还款提醒函\n赵六：/);
      expect(notice.content.indexOf("英文译文（仅供参考；中英文本如有不一致，以中文文本为准）")).toBeLessThan(notice.content.indexOf("Overdue payment reminder"));
      expect(notice.content).toContain("人民币850,000.00元");
      expect(notice.content).toMatch(/日期：\d{4}年\d{1,2}月\d{1,2}日/);
      expect(notice.content).toMatch(/请于本函送达之日起\d+日内/);
      expect(notice.content).toContain("本函送达之日起诉讼时效中断并重新计算");
      // On chain: a salted commitment, not the letter's hash (a name dictionary re-renders that in ms).
      expect(notice.record.contentHash).toBe(contentHashOf(notice.content));
      expect(warned.details.noticeHash).not.toBe(notice.record.contentHash);
      // The originator sees which evidence record the notice hash commits to; another AMC does not.
      expect(warned.details.noticeRecordId).toBe(notice.recordId);
      const other = await call(stack, "GET", `/v1/cases/${lowCover}`, "dev-amc2");
      expect(other.body.timeline.find((t: any) => t.details.to === "warned").details.noticeRecordId).toBeUndefined();
    });

    it("past demandDays but within the warning's notice period (block time): no demand proposed, the figures only", async () => {
      await advance(1);
      await status(lowCover, 35, "85000000", "40000000");
      await status(highCover, 35, "85000000", "120000000");
      const early = await cycle();
      expect(early.notices).toBe(0);
      expect(early.applied).toBe(2); // the new figures, without a notice
      expect((await caseOf(lowCover)).state).toBe("warned");
      await status(lowCover, 35, "85000000", "40000000"); // newer asOf, same figures: only the period holds the demand back
      const waiting = await cycle();
      expect(waiting.planned).toBe(0);
      expect(waiting.skipped["notice-period-running"]).toBe(1);
    });

    it("past demandDays and the notice period: demanded, with the formal demand; the notices verify as evidence by their hash", async () => {
      await advance(14);
      await status(lowCover, 49, "85000000", "40000000");
      await status(highCover, 49, "85000000", "120000000");
      await cycle();
      const c = await caseOf(lowCover);
      expect(c.state).toBe("demanded");
      const demanded = c.timeline.find((t: any) => t.details.to === "demanded");
      expect((await call(stack, "POST", "/v1/evidence/flush", "dev-admin")).body.status).toBe("anchored");
      // The receipt of the notice's record carries the salt: with it, the commitment on chain is checked.
      const receipt = (await call(stack, "GET", `/v1/evidence/${demanded.details.noticeRecordId}/receipt`, "dev-bank")).body;
      // The demand names the mortgage only because this claim has collateral (its reported value), and declares
      // no acceleration it has no clause for.
      const letter = (await call(stack, "GET", `/v1/claims/${lowCover}/evidence`, "dev-bank")).body.records.find((x: any) => x.recordId === demanded.details.noticeRecordId).content;
      expect(letter).toMatch(/^催收通知书\n/);
      expect(letter).toContain("本通知书送达之日起诉讼时效中断并重新计算");
      expect(letter).toContain("依法就抵押财产优先受偿");
      expect(letter).not.toMatch(/提前到期|acceleration/);
      expect(receipt.status).toBe("anchored");
      expect(receipt.record.kind).toBe("notice");
      expect(receipt.document.commitment).toBe(demanded.details.noticeHash);
      expect(documentCommitment(receipt.document.salt, receipt.record.contentHash)).toBe(demanded.details.noticeHash);
      const { status: _s, ...bundle } = receipt;
      expect((await call(stack, "POST", "/v1/verify", undefined, bundle)).body.verified).toBe(true);
      const forged = { ...bundle, document: { ...bundle.document, salt: contentHashOf("a guessed salt") } };
      expect((await call(stack, "POST", "/v1/verify", undefined, forged)).body).toMatchObject({ verified: false, reason: "commitment-mismatch" });
      // Who may not read the claim gets no salt.
      expect((await call(stack, "GET", `/v1/evidence/${demanded.details.noticeRecordId}/receipt`, "dev-amc2")).body.document).toBeUndefined();
      // The letter's own hash verifies; the details only with a key that may read the claim.
      const v = await call(stack, "POST", "/v1/verify", undefined, { contentHash: receipt.record.contentHash });
      expect(v.body).toMatchObject({ verified: true, detailsRedacted: true });
      expect(v.body.bundle).toBeUndefined();
      const keyed = await call(stack, "POST", "/v1/verify", "dev-bank", { contentHash: receipt.record.contentHash });
      expect(keyed.body.verified).toBe(true);
      expect(keyed.body.bundle.record.kind).toBe("notice");
      expect(keyed.body.bundle.document.commitment).toBe(demanded.details.noticeHash);
    });

    it("not before the notice period: past arbitrationDays but within noticeDays of the demand, no arbitration", async () => {
      await advance(1);
      await status(lowCover, 95, "85000000", "40000000");
      await cycle();
      expect((await caseOf(lowCover)).state).toBe("demanded");
    });

    it("past arbitrationDays, coverage under the threshold, notice period over: in arbitration; coverage at or above it keeps the other out", async () => {
      await advance(15);
      await status(lowCover, 112, "85000000", "40000000");
      await status(highCover, 112, "85000000", "102000000"); // exactly 120 % of 850,000.00
      await cycle();
      const low = await caseOf(lowCover);
      expect(low.state).toBe("in-arbitration");
      expect(low.disputeId).not.toBeNull();
      const arbitration = low.timeline.find((t: any) => t.type === "arbitration-started");
      expect(arbitration.details.coverageBps).toBe(4705);
      expect((await caseOf(highCover)).state).toBe("demanded");
      const dispute = await call(stack, "GET", `/v1/disputes/${low.disputeId}`, "dev-court");
      expect(dispute.body).toMatchObject({ claimId: lowCover, status: "waiting", ruling: null });
    });

    it("the court rules (enforce): the award is final and executed on chain in the same transaction", async () => {
      const { disputeId } = await caseOf(lowCover);
      expect((await call(stack, "POST", `/v1/disputes/${disputeId}/ruling`, "dev-amc", { ruling: "enforce" })).status).toBe(403);
      const ruled = await call(stack, "POST", `/v1/disputes/${disputeId}/ruling`, "dev-court", { ruling: "enforce" });
      expect(ruled.status).toBe(201);
      expect(ruled.body.executed).toEqual({ txHash: ruled.body.txHash, blockNumber: ruled.body.blockNumber });
      expect(ruled.body.dispute).toMatchObject({ status: "solved", ruling: "enforce", executed: true });
      expect(ruled.body.dispute.ruledAt).not.toBeNull();
      expect(ruled.body.dispute).not.toHaveProperty("appealPeriod");
      // No second ruling: an award is final.
      const again = await call(stack, "POST", `/v1/disputes/${disputeId}/ruling`, "dev-court", { ruling: "dismiss" });
      expect(again.status).toBe(409);
      const c = await caseOf(lowCover);
      expect(c.state).toBe("ruled");
      expect(c.timeline.map((t: any) => t.type)).toEqual(expect.arrayContaining(["ruling-applied", "enforcement-ordered"]));
      expect((await call(stack, "GET", `/v1/disputes/${disputeId}`, "dev-court")).body).toMatchObject({ ruling: "enforce", executed: true });
    });

    it("full repayment closes both cases", async () => {
      await advance(1);
      await status(lowCover, 0, "0", "40000000");
      await status(highCover, 0, "0", "102000000");
      await cycle();
      const low = await caseOf(lowCover);
      const high = await caseOf(highCover);
      expect(low.state).toBe("closed");
      expect(high.state).toBe("closed");
      expect(low.timeline.find((t: any) => t.type === "closed").details.reason).toBe("repaid");
      const path = low.timeline.filter((t: any) => t.type === "state-changed").map((t: any) => t.details.to);
      expect(path).toEqual(["overdue", "warned", "demanded", "in-arbitration", "ruled", "closed"]);
    });
  });

  describe("outside data", () => {
    it("a debtor on the dishonest-debtor list (a court enforcement feed) gets a worse risk grade in the signed report", async () => {
      const plain = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("ORA-F1", { debtor: { name: "周九", idNumber: "110101198004040047", type: "retail", debtorId: "D-ORA-F1" } }))).body.claimId;
      const listed = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("ORA-F2", { debtor: { name: "吴十", idNumber: "110101198005050052", type: "retail", debtorId: "D-ORA-F2" } }))).body.claimId;
      const fetchedAt = new Date(((await chainNow()) - 3600) * 1000).toISOString();
      const feed = await call(stack, "POST", "/v1/feeds", "dev-bank", { items: [{
        type: "court-enforcement", claimId: listed,
        provenance: { source: "zxgk.court.gov.cn", fetchedAt, contentHash: contentHashOf(`模拟查询页 ${fetchedAt}`), reference: "ZX2026-ORA" },
        data: { cases: [{ court: "上海市浦东新区人民法院", caseNo: "(2026)沪0115执9号", filedAt: "2026-01-10", amount: "12000000", dishonest: true, restrictedConsumption: true }] },
      }] });
      expect(feed.status, JSON.stringify(feed.body)).toBe(201);
      await status(plain, 40, "85000000", "40000000");
      await status(listed, 40, "85000000", "40000000");
      await cycle();
      const grade = async (id: string) => (await caseOf(id)).timeline.find((t: any) => t.type === "report").details.riskGrade as string;
      expect(await grade(listed) > await grade(plain)).toBe(true); // "A" < … < "E"
    });
  });

  describe("reorg", () => {
    it("a report whose block vanished is planned and applied again", async () => {
      const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("ORA-REORG", { debtor: { name: "孙八", idNumber: "110101198003030031", type: "retail", debtorId: "D-ORA-R" } }))).body.claimId;
      await status(claimId, 5, "85000000", "40000000");
      const snapshot = await provider.send("evm_snapshot", []);
      expect((await cycle()).applied).toBe(1);
      expect((await caseOf(claimId)).state).toBe("warned");
      expect(await provider.send("evm_revert", [snapshot])).toBe(true);
      await indexed();
      expect((await caseOf(claimId)).state).toBe("performing");
      const again = await cycle();
      expect(again.reverted).toBe(1);
      expect(again.applied).toBe(1);
      expect((await caseOf(claimId)).state).toBe("warned");
    });

    it("an applied report that vanishes while the daemon is down is planned again after the restart", async () => {
      const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("ORA-REORG-RESTART", { debtor: { name: "孙八", idNumber: "11010119800303004X", type: "retail", debtorId: "D-ORA-RR" } }))).body.claimId;
      await status(claimId, 5, "85000000", "40000000");
      const snapshot = await provider.send("evm_snapshot", []);
      expect((await cycle()).applied).toBe(1);
      await stack.restartApi(); // what the daemon knew of recent blocks is on disk, not in memory
      expect(await provider.send("evm_revert", [snapshot])).toBe(true);
      await indexed();
      expect((await caseOf(claimId)).state).toBe("performing");
      const again = await cycle();
      expect(again.reverted).toBe(1);
      expect(again.applied).toBe(1);
      expect((await caseOf(claimId)).state).toBe("warned");
      expect((await cycle()).reverted).toBe(0);
    });

    it("asks each transaction's receipt once a cycle, and none again while the chain has not moved", async () => {
      const ids: string[] = [];
      for (const [n, idNumber] of ["110101198004040514", "110101198004040629", "110101198004040733"].entries()) {
        const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`ORA-RCPT-${n}`, { debtor: { name: `周${n}`, idNumber, type: "retail", debtorId: `D-ORA-RC${n}` } }));
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        ids.push(r.body.claimId);
      }
      for (const id of ids) await status(id, 5, "85000000", "40000000");
      const first = await cycle();
      expect(first.applied).toBeGreaterThanOrEqual(3);
      // The oracle's own provider, its receipt calls counted (passed through to the real node).
      const chainProvider = appScope(stack.api).chain.provider;
      const real = chainProvider.getTransactionReceipt.bind(chainProvider);
      const asked: string[] = [];
      chainProvider.getTransactionReceipt = (hash: string) => (asked.push(hash), real(hash));
      try {
        // The chain moved (the first cycle's transactions): the recent reports are checked, a transaction once for all its reports.
        expect((await cycle()).reverted).toBe(0);
        // The first cycle's reports went in fewer transactions than reports: one ask per transaction, not per report.
        expect(first.transactions.length).toBeLessThan(first.applied);
        expect(asked).toEqual(expect.arrayContaining(first.transactions));
        expect(new Set(asked).size).toBe(asked.length);
        // Nothing mined since: nothing asked.
        const head = (await provider.getBlock("latest"))!.hash;
        asked.length = 0;
        expect((await cycle()).reverted).toBe(0);
        expect((await provider.getBlock("latest"))!.hash).toBe(head);
        expect(asked).toEqual([]);
      } finally {
        chainProvider.getTransactionReceipt = real;
      }
    });
  });

  describe("bad input", () => {
    it("names the field: both daysPastDue and a schedule, a future date, an unknown claim", async () => {
      const now = new Date((await chainNow()) * 1000).toISOString();
      const both = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: lowCover, asOf: now, outstanding: "1", daysPastDue: 3, schedule: [] });
      expect(both.status).toBe(400);
      expect(both.body.field).toBe("daysPastDue");
      const future = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: lowCover, asOf: "2099-01-01", outstanding: "1", daysPastDue: 3 });
      expect(future.body).toMatchObject({ field: "asOf", rule: "not-in-the-future" });
      const unknown = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: `0x${"12".repeat(32)}`, asOf: now, outstanding: "1", daysPastDue: 3 });
      expect(unknown.status).toBe(404);
      const collector = await call(stack, "POST", "/v1/loan-status", "dev-collector", { claimId: lowCover, asOf: now, outstanding: "1", daysPastDue: 3 });
      expect(collector.status).toBe(403);
    });
  });
});
