import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { scanChain, needles, findPersonalData } from "../helpers/chain-scan.js";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { advanceChain, chainTimeMs, chinaTime, DAY_MS } from "../helpers/clock.js";

/** Personal data of the test's debtors and contacts, in the spellings a careless system might hash. */
const PEOPLE = [
  { name: "欧阳明华", idNumber: "11010519491231002X", phone: "13912345678" },
  { name: "Zhang Wei", idNumber: "310101198506154321", phone: "+86 186-0021-3344" },
  { name: "李秀英", idNumber: "440301197212120011", phone: "15088776655" },
];
const CONTACT = { name: "欧阳建国", phone: "13700001111" };

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ EVIDENCE_BATCH_AGE_MS: "3600000" });
}, 120_000);
afterAll(async () => stack?.stop());

describe("privacy", () => {
  it("no name, ID number or phone — nor its unsalted keccak256/sha256 — reaches any transaction input, log or contract storage", async () => {
    const ids: string[] = [];
    for (const [i, p] of PEOPLE.entries()) {
      const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`PII-${i}`, {
        debtor: { name: p.name, idNumber: p.idNumber, phone: p.phone, type: "retail", debtorId: `DEBTOR-${i}`, address: "上海市浦东新区世纪大道100号" },
        collateral: { type: "residential", description: `${p.name}名下房产`, region: "Shanghai", areaSqm: 89 },
      }));
      expect(r.status).toBe(201);
      ids.push(r.body.claimId);
    }
    const batch = await call(stack, "POST", "/v1/claims/batch", "dev-bank", {
      claims: [claimRequest("PII-B", { debtor: { name: CONTACT.name, idNumber: "120101199909090099", phone: CONTACT.phone, type: "retail", debtorId: "DEBTOR-B" } })],
    });
    expect(batch.status).toBe(202);
    const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
    expect((await call(stack, "POST", "/v1/assignments", "dev-bank", {
      claimIds: ids, to: amc, packageId: "PKG-PII", price: "100", notice: `致${PEOPLE[0].name}：债权转让通知`,
    })).status).toBe(201);
    // The calls happen at 10:00 China time the day after the sale (the chain's clock is moved past it).
    const soldAt = await chainTimeMs(stack.chainUrl);
    await advanceChain(stack.chainUrl, 2 * DAY_MS);
    for (const [i, p] of PEOPLE.entries()) {
      const r = await call(stack, "POST", "/v1/evidence", "dev-amc", {
        claimId: ids[i], kind: "call", channel: "phone", direction: "outbound", actor: "collector-1",
        occurredAt: chinaTime(soldAt, 1, "10:00"),
        counterparty: { name: p.name, phone: p.phone, relation: "debtor" },
        content: `与${p.name}（身份证${p.idNumber}，电话${p.phone}）通话。`,
      });
      expect(r.status).toBe(201);
    }
    expect((await call(stack, "POST", "/v1/evidence/flush", "dev-admin")).body.status).toBe("anchored");
    for (let t = 0; t < 100 && (await call(stack, "GET", `/v1/jobs/${batch.body.jobId}`, "dev-bank")).body.status !== "done"; t++) {
      await new Promise((r) => setTimeout(r, 100));
    }

    // Everything the chain holds: every transaction's input, every log, every storage slot written.
    const scan = await scanChain(stack.chainUrl);
    expect(scan.transactions).toBeGreaterThan(10);
    expect(scan.slots).toBeGreaterThan(20); // the trace really gave us the written slots
    const chainText = scan.text;
    const values = [...PEOPLE.flatMap((p) => [p.name, p.idNumber, p.phone]), CONTACT.name, CONTACT.phone, "上海市浦东新区世纪大道100号"];
    const found = findPersonalData(chainText, values);
    expect(found).toEqual([]);
    // Sanity: the search finds what is there: the claim ids, and the notice's unsalted keccak256 (a
    // document hash, which is meant to be on chain) — so a hashed name would have been found too.
    expect(chainText).toContain(ids[0].slice(2));
    expect(findPersonalData(chainText, [`致${PEOPLE[0].name}：债权转让通知`]))
      .toContain(`keccak256("致${PEOPLE[0].name}：债权转让通知")`);
  }, 180_000);
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
