import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";
import { scanChain, needles, findPersonalData } from "../helpers/chain-scan.js";
import { startStack, call, claimRequest, waitJob, type TestStack } from "../helpers/stack.js";
import { advanceChain, chainTimeMs, chinaTime, DAY_MS } from "../helpers/clock.js";
import { chainNow, runCycle } from "../helpers/oracle.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { DEFAULT_CLAUSES } from "../../src/core/claim-input.js";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";

/** Personal data of the test's debtors and contacts, in the spellings a careless system might hash. */
const PEOPLE = [
  { name: "欧阳明华", idNumber: "11010519491231002X", phone: "13912345678", contractNo: "PII-0" },
  { name: "Zhang Wei", idNumber: "310101198506154324", phone: "+86 186-0021-3344", contractNo: "PII-1" },
  { name: "李秀英", idNumber: "44030119721212001X", phone: "15088776655", contractNo: "PII-2" },
];
const CONTACT = { name: "欧阳建国", phone: "13700001111" };
const ADDRESS = "上海市浦东新区世纪大道100号";
const HOUR = 3600;

let stack: TestStack;
let provider: JsonRpcProvider;

beforeAll(async () => {
  stack = await startStack({ EVIDENCE_BATCH_AGE_MS: "3600000", ORACLE_ENABLED: "0" });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
  // Contacts must fall in contact hours and after the buyer's purchase: the chain's clock is moved to the
  // next 10:00 in Shanghai (never back), and everything below is dated by it.
  const now = await chainNow(provider);
  const shanghaiHour = ((now + 8 * HOUR) % 86_400) / HOUR;
  await provider.send("evm_increaseTime", [Math.ceil(((10 - shanghaiHour + 24) % 24) * HOUR)]);
  await provider.send("evm_mine", []);
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

/** Texts of `claimId`'s evidence records (notices, letters, transcripts) as the holder sees them. */
async function documentsOf(claimId: string): Promise<Array<{ kind: string; content: string }>> {
  const r = await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-amc");
  expect(r.status).toBe(200);
  return r.body.records.filter((x: any) => typeof x.content === "string").map((x: any) => ({ kind: x.record.kind, content: x.content }));
}

describe("privacy", () => {
  let chainText = "";
  let scannedTo = 0;
  const documents: string[] = [];

  it("no name, ID number, phone, contract number or document text — nor its unsalted keccak256/sha256 — reaches any transaction input, log or contract storage", async () => {
    const ids: string[] = [];
    for (const [i, p] of PEOPLE.entries()) {
      const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(p.contractNo, {
        debtor: { name: p.name, idNumber: p.idNumber, phone: p.phone, type: "retail", debtorId: `DEBTOR-${i}`, address: ADDRESS },
        collateral: { type: "residential", description: `${p.name}名下房产`, region: "Shanghai", areaSqm: 89 },
      }));
      expect(r.status).toBe(201);
      ids.push(r.body.claimId);
    }
    const batch = await call(stack, "POST", "/v1/claims/batch", "dev-bank", {
      claims: [claimRequest("PII-B", { debtor: { name: CONTACT.name, idNumber: "120101199909090096", phone: CONTACT.phone, type: "retail", debtorId: "DEBTOR-B" } })],
    });
    expect(batch.status).toBe(202);

    // The oracle warns each debtor: a letter from the public template, the debtor's name and on-chain facts.
    const asOf = new Date((await chainNow(provider)) * 1000).toISOString();
    for (const id of ids) {
      const s = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: id, asOf, daysPastDue: 5, outstanding: "85000000", collateralValue: "40000000" });
      expect(s.status, JSON.stringify(s.body)).toBe(202);
    }
    expect((await runCycle(stack)).notices).toBe(PEOPLE.length);
    const warned = (await call(stack, "GET", `/v1/cases/${ids[0]}`, "dev-court")).body.timeline.find((t: any) => t.details.to === "warned");
    expect(warned.details.noticeHash).toMatch(/^0x[0-9a-f]{64}$/);

    // A package sale with a notice of assignment naming the debtor.
    const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
    const assignmentNotice = `致${PEOPLE[0].name}：债权转让通知。您在借款合同 ${PEOPLE[0].contractNo} 项下的债权已转让。`;
    const sold = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: ids, to: amc, packageId: "PKG-PII", price: "100", notice: assignmentNotice });
    expect(sold.status).toBe(201);
    documents.push(assignmentNotice);

    // The buyer's collectors call and write.
    // The calls happen at 10:00 China time the day after the sale (the chain's clock is moved past it).
    const soldAt = await chainTimeMs(stack.chainUrl);
    await advanceChain(stack.chainUrl, 2 * DAY_MS);
    const occurredAt = chinaTime(soldAt, 1, "10:00");
    for (const [i, p] of PEOPLE.entries()) {
      const r = await call(stack, "POST", "/v1/evidence", "dev-amc", {
        claimId: ids[i], kind: "call", channel: "phone", direction: "outbound", actor: "collector-1", occurredAt,
        counterparty: { name: p.name, phone: p.phone, relation: "debtor" },
        content: `与${p.name}（身份证${p.idNumber}，电话${p.phone}）通话。`,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const letter = await call(stack, "POST", "/v1/evidence", "dev-amc", {
        claimId: ids[i], kind: "letter", channel: "post", direction: "outbound", actor: "collector-1", occurredAt,
        counterparty: { name: p.name, relation: "debtor" },
        content: `${p.name}：催收函。借款合同 ${p.contractNo}，请于十五日内还款。`,
      });
      expect(letter.status, JSON.stringify(letter.body)).toBe(201);
    }
    expect((await call(stack, "POST", "/v1/evidence/flush", "dev-admin")).body.status).toBe("anchored");
    await waitJob(stack, batch.body.jobId);
    for (const id of ids) for (const d of await documentsOf(id)) documents.push(d.content);
    const notices = documents.filter((d) => d.includes("逾期还款提醒函"));
    expect(notices).toHaveLength(PEOPLE.length);
    expect(notices[0]).toContain(PEOPLE[0].name);
    expect(documents.length).toBeGreaterThanOrEqual(1 + 3 * PEOPLE.length);

    // Everything the chain holds: every transaction's input, every log, every storage slot written.
    const scan = await scanChain(stack.chainUrl);
    scannedTo = scan.head;
    chainText = scan.text;
    expect(scan.transactions).toBeGreaterThan(10);
    expect(scan.slots).toBeGreaterThan(20); // the trace really gave us the written slots
    const values = [
      ...PEOPLE.flatMap((p) => [p.name, p.idNumber, p.phone, p.contractNo]),
      CONTACT.name, CONTACT.phone, "PII-B", ADDRESS, ...documents,
    ];
    expect(findPersonalData(chainText, values)).toEqual([]);
    // The scan sees what is there: claim ids, and the notice's salted commitment (so a bare hash would show).
    expect(chainText).toContain(ids[0].slice(2));
    expect(chainText).toContain(warned.details.noticeHash.slice(2));
    expect(chainText).toContain(sold.body.noticeHash.slice(2));
  }, 240_000);

  it("positive control: the old formulas (keccak256 of a contract number as loanRef, of a letter as notice hash) are found", async () => {
    expect(chainText.length).toBeGreaterThan(0);
    const bank = devWallet(1).connect(provider);
    const registry = ClaimRegistry__factory.connect(stack.deployment.contracts.ClaimRegistry.address, bank);
    const planted = "PII-PLANTED-7";
    await (await registry.register({
      originatorCode: originatorCodeToBytes32("DEVBANK"),
      loanRef: keccak256(toUtf8Bytes(planted)), // the old loanRefOf
      terms: {
        principal: 100_000_000n, outstanding: 85_000_000n, currency: "0x434e59", originatedAt: 1_614_556_800, maturityAt: 1_772_323_200,
        retail: true, clauses: DEFAULT_CLAUSES, collateralHash: `0x${"0".repeat(64)}`, documentsRoot: `0x${"0".repeat(64)}`,
      },
    })).wait();
    // A document's bare hash in calldata (what the old notice hash was).
    await (await bank.sendTransaction({ to: bank.address, data: keccak256(toUtf8Bytes(documents[0])) })).wait();
    const added = await scanChain(stack.chainUrl, 8, scannedTo + 1);
    expect(added.transactions).toBe(2);
    const found = findPersonalData(added.text, [planted, documents[0], PEOPLE[0].name]);
    expect(found).toContain(`keccak256("${planted}")`);
    expect(found).toContain(`keccak256("${documents[0]}")`);
    expect(found).not.toContain(`keccak256("${PEOPLE[0].name}")`);
  }, 60_000);
});

describe("findPersonalData", () => {
  const hex = (s: string) => Buffer.from(s, "utf8").toString("hex");
  it("finds a value, its spellings and unsalted hashes at byte boundaries of any piece, not across pieces or at half bytes", () => {
    const keccak = needles("13800138000").find((n) => n.what.startsWith("keccak256"))!.hex;
    const text = ["00ff" + hex("张三") + "00", "ab" + keccak, "0" + hex("李四") + "0", hex("王") + "|" + hex("五")].join("|");
    expect(findPersonalData(text, ["张三", "13800138000", "李四", "王五"]).sort()).toEqual([
      '"张三" as UTF-8',
      'keccak256("13800138000")',
    ]);
  });
});
