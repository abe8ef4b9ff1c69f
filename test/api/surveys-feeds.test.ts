import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { generateCaseHistory } from "../../src/core/synthetic.js";
import { comparableToRow } from "../../src/core/comparables.js";
import { canonicalHash } from "../../src/core/canonical.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { CHECKLISTS } from "../../src/core/survey.js";
import { feedId, validateFeedRecord } from "../../src/core/feeds.js";
import { simulateFeedFile } from "../../scripts/simulate-feeds.js";

let stack: TestStack;
let claimId: string;
let otherClaimId: string;

const HOUR = 3_600_000;
/** An ISO instant `hours` before now (surveys and feeds may not be in the future). */
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
/** Today in China: the assessment's asOf. */
const today = () => new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
const assessment = (id: string, key = "dev-amc") => call(stack, "GET", `/v1/claims/${id}/assessment?asOf=${today()}&daysPastDue=200&collateralAgeYears=12`, key);

/** A residential survey answering every required item with its first (clean) option. */
function survey(overrides: Record<string, unknown> = {}, answers: Record<string, unknown> = {}) {
  const all: Record<string, unknown> = {};
  for (const it of CHECKLISTS.residential.items) if (it.required) all[it.id] = { value: it.options[0]!.value };
  return {
    assetType: "residential", surveyedAt: ago(48), surveyor: "surveyor-017", location: { region: "shanghai", cell: "31.23,121.47" },
    answers: { ...all, ...answers }, ...overrides,
  };
}

beforeAll(async () => {
  stack = await startStack();
  const register = async (no: string) => {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, {
      originatedAt: "2019-01-01", maturityAt: "2024-01-01",
      collateral: { type: "residential", region: "Shanghai", areaSqm: 90, appraisedValue: "300000000" },
    }));
    expect(r.status).toBe(201);
    return r.body.claimId as string;
  };
  claimId = await register("SF-001");
  otherClaimId = await register("SF-002");
  const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  expect((await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [claimId, otherClaimId], to: amc, packageId: "PKG-SF", price: "1000", notice: "债权转让通知" })).status).toBe(201);
  const { cases } = generateCaseHistory(11, { count: 3000, to: "2025-06-30" });
  expect((await call(stack, "POST", "/v1/comparables/import", "dev-amc", { cases: cases.map(comparableToRow) })).status).toBe(201);
}, 180_000);
afterAll(async () => stack?.stop());

describe("field surveys", () => {
  let firstId: string;

  it("serves the checklists with judgment items marked and the flags' factors", async () => {
    const res = await call(stack, "GET", "/v1/surveys/checklists", "dev-collector");
    expect(res.status).toBe(200);
    expect(res.body.assetTypes).toEqual(["residential", "commercial", "industrial", "land", "equipment", "vehicle"]);
    const residential = res.body.checklists.find((c: { assetType: string }) => c.assetType === "residential");
    const structure = residential.items.find((i: { id: string }) => i.id === "structure");
    expect(structure).toMatchObject({ judgment: true, required: true });
    expect(structure.options.map((o: { flag?: string }) => o.flag)).toContain("structural-damage");
    expect(residential.items.find((i: { id: string }) => i.id === "seizure-notice").judgment).toBe(false);
    expect(res.body.flags).toContainEqual(expect.objectContaining({ code: "structural-damage", factorBps: 7500 }));
  });

  it("records a survey as evidence of kind survey: contentHash = the survey's canonical JSON hash, photos as attachments", async () => {
    const photo = contentHashOf("photo of the front door");
    const body = survey({}, { identity: { value: "match", photos: [photo] } });
    const res = await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-collector", body);
    expect(res.status).toBe(201);
    const s = res.body.survey;
    expect(s).toMatchObject({ status: "recorded", claimId, assetType: "residential", factorBps: 10_000, adjustments: [] });
    expect(s.hash).toBe(canonicalHash(s.survey));
    expect(s.attachments).toEqual([photo]);
    expect(s.judged.map((j: { item: string }) => j.item)).toEqual(expect.arrayContaining(["occupancy", "structure"]));
    firstId = s.id;
    const evidence = await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-amc");
    const record = evidence.body.records.find((r: { recordId: string }) => r.recordId === s.recordId);
    expect(record.record).toMatchObject({ kind: "survey", direction: "internal", counterparty: null, contentHash: s.hash, attachments: [photo], actor: "surveyor-017" });
    expect(JSON.stringify(record.record)).not.toContain("31.23");

    // The same survey again: the first recording, not a second record.
    const again = await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-collector", body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, survey: { id: s.id, recordId: s.recordId } });
  });

  it("a survey that flags structural damage lowers the valuation by 25%, citing the survey and the reason", async () => {
    const before = await assessment(claimId);
    expect(before.status).toBe(200);
    expect(before.body.survey).toMatchObject({ id: firstId, applied: true, factorBps: 10_000 });
    const clean = before.body.result.valuation;
    expect(clean.survey.id).toBe(firstId);

    const res = await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-collector", survey({ surveyedAt: ago(24) }, {
      structure: { value: "structural-damage", note: "承重墙斜向贯通裂缝，楼板下挠", photos: [contentHashOf("crack photo 1"), contentHashOf("crack photo 2")] },
    }));
    expect(res.status).toBe(201);
    expect(res.body.survey.adjustments).toEqual([expect.objectContaining({ flag: "structural-damage", item: "structure", judgment: true, factorBps: 7500 })]);

    const after = await assessment(claimId);
    expect(after.status).toBe(200);
    const v = after.body.result.valuation;
    const expected = (BigInt(clean.value) * 7_500n + 5_000n) / 10_000n;
    expect(v.value).toBe(expected.toString());
    expect(v.survey).toMatchObject({ id: res.body.survey.id, hash: res.body.survey.hash, factorBps: 7500, before: { value: clean.value } });
    expect(v.survey.adjustments[0]).toMatchObject({ flag: "structural-damage", zh: expect.stringContaining("结构"), en: expect.stringContaining("Structural damage") });
    expect(v.survey.changes).toContainEqual({ field: "value", before: clean.value, after: expected.toString() });
    expect(after.body.survey).toMatchObject({
      id: res.body.survey.id, recordId: res.body.survey.recordId, applied: true,
      valuation: { before: { value: clean.value }, after: { value: expected.toString() } },
    });
    expect(after.body.result.collateralAdjustments.steps).toEqual([expect.objectContaining({ source: "survey", ref: res.body.survey.id, code: "structural-damage", factorBps: 7500 })]);
    expect(BigInt(after.body.outsideEffect.after.expectedLoss)).toBeGreaterThanOrEqual(BigInt(after.body.outsideEffect.before.expectedLoss));

    // An assessment as of a day before the damage was seen uses no survey from after it.
    const earlier = await call(stack, "GET", `/v1/claims/${claimId}/assessment?asOf=2025-06-30&daysPastDue=200&collateralAgeYears=12`, "dev-amc");
    expect(earlier.body.survey).toBeUndefined();

    // The originating bank keeps reading the claim's surveys (retention); a court only once a case is before it (issue 14).
    const list = await call(stack, "GET", `/v1/claims/${claimId}/surveys`, "dev-bank");
    expect(list.status).toBe(200);
    expect((await call(stack, "GET", `/v1/claims/${claimId}/surveys`, "dev-court")).status).toBe(403);
    expect(list.body.surveys.map((x: { id: string }) => x.id)).toEqual([res.body.survey.id, firstId]);
  });

  it("refuses with coded errors: missing judgment, personal data, wrong collateral type, not the holder, unknown claim", async () => {
    const noJudgment = survey();
    delete (noJudgment.answers as Record<string, unknown>).structure;
    const a = await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-collector", noJudgment);
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ error: "VALIDATION", field: "answers.structure", rule: "judgment-required" });
    const b = await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-collector", survey({ location: { region: "shanghai", cell: "31.234,121.473" } }));
    expect(b.body).toMatchObject({ error: "VALIDATION", field: "location.cell", rule: "coarse-grid-cell" });
    const c = await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-collector", { ...survey(), assetType: "vehicle", answers: { present: { value: "found" }, vin: { value: "match" }, damage: { value: "none" }, mileage: { value: "under-100k" }, registration: { value: "normal" } } });
    expect(c.body).toMatchObject({ error: "VALIDATION", field: "assetType", rule: "must-match-collateral:residential" });
    expect((await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-bank", survey({ surveyor: "bank-surveyor" }))).status).toBe(403);
    expect((await call(stack, "POST", `/v1/claims/${claimId}/surveys`, "dev-court", survey())).status).toBe(403);
    expect((await call(stack, "POST", `/v1/claims/0x${"ab".repeat(32)}/surveys`, "dev-amc", survey())).status).toBe(404);
    expect((await call(stack, "POST", `/v1/claims/${claimId}/surveys`, undefined, survey())).status).toBe(401);
    expect((await call(stack, "GET", `/v1/claims/${claimId}/surveys`, "dev-amc")).body.count).toBe(2);
  });
});

describe("outside data feeds", () => {
  let feed: { feedId: string; recordId: string };
  const source = "zxgk.court.gov.cn";
  const rawPage = "中国执行信息公开网 查询结果 …（模拟页面）";

  function enforcement(fetchedAt: string, dishonest: boolean) {
    return {
      type: "court-enforcement", claimId,
      provenance: { source, fetchedAt, contentHash: contentHashOf(`${rawPage}${fetchedAt}`), reference: "ZX20260301000123" },
      data: { cases: [{ court: "上海市浦东新区人民法院", caseNo: "(2026)沪0115执1234号", filedAt: "2026-01-10", amount: "12000000", dishonest, restrictedConsumption: dishonest }] },
    };
  }

  it("a debtor appearing on the enforcement list raises the priority, with the reason and the feed's provenance", async () => {
    const before = await assessment(claimId);
    expect(before.body.result.risk.priorityReasons.map((r: { code: string }) => r.code)).not.toContain("enforcement-dishonest");

    const item = enforcement(ago(2), true);
    const pushed = await call(stack, "POST", "/v1/feeds", "dev-amc", { items: [item] });
    expect(pushed.status).toBe(201);
    expect(pushed.body).toMatchObject({ accepted: 1, created: 1, duplicates: 0 });
    const expectedId = feedId(validateFeedRecord(item, "", Date.now()));
    feed = { feedId: pushed.body.items[0].feedId, recordId: pushed.body.items[0].recordId };
    expect(feed.feedId).toBe(expectedId);

    const after = await assessment(claimId);
    expect(after.status).toBe(200);
    const risk = after.body.result.risk;
    expect(BigInt(risk.priority)).toBeGreaterThan(BigInt(before.body.result.risk.priority));
    expect(risk.urgencyBps).toBe(before.body.result.risk.urgencyBps + 10_000);
    expect(risk.score).toBeGreaterThanOrEqual(before.body.result.risk.score);
    const reason = risk.priorityReasons.find((r: { code: string }) => r.code === "enforcement-dishonest");
    expect(reason).toMatchObject({ bps: 10_000, ref: feed.feedId, zh: expect.stringContaining("失信被执行人"), en: expect.stringContaining("dishonest") });
    expect(after.body.feeds.items).toEqual([expect.objectContaining({
      feedId: feed.feedId, recordId: feed.recordId, type: "court-enforcement", evidenceKind: "desk-search", current: true,
      provenance: { source, fetchedAt: new Date(item.provenance.fetchedAt).toISOString(), contentHash: item.provenance.contentHash, reference: "ZX20260301000123" },
    })]);
    expect(after.body.feeds.effects).toContainEqual(expect.objectContaining({ feedId: feed.feedId, code: "enforcement-dishonest", points: 100, urgencyBps: 10_000 }));
    expect(BigInt(after.body.outsideEffect.after.priority)).toBeGreaterThan(BigInt(after.body.outsideEffect.before.priority));
  });

  it("records each item once as evidence: contentHash = feed id, the source document's hash attached; it anchors", async () => {
    const again = await call(stack, "POST", "/v1/feeds", "dev-amc", { items: [enforcement((await call(stack, "GET", `/v1/claims/${claimId}/feeds`, "dev-amc")).body.feeds[0].provenance.fetchedAt, true)] });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 0, duplicates: 1, items: [{ feedId: feed.feedId, recordId: feed.recordId, created: false }] });
    const evidence = await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-amc");
    const records = evidence.body.records.filter((r: { record: { contentHash: string } }) => r.record.contentHash === feed.feedId);
    expect(records).toHaveLength(1);
    expect(records[0].record).toMatchObject({ kind: "desk-search", channel: "system", direction: "internal", actor: `feed:${source}` });
    const flushed = await call(stack, "POST", "/v1/evidence/flush", "dev-admin");
    expect(flushed.status).toBe(200);
    const receipt = await call(stack, "GET", `/v1/evidence/${feed.recordId}/receipt`, "dev-amc");
    expect(receipt.body.status).toBe("anchored");
    expect(receipt.body.record.contentHash).toBe(feed.feedId);
    // Whoever holds the source document can show it was the one received: its hash is an anchored attachment.
    const provenance = (await call(stack, "GET", `/v1/claims/${claimId}/feeds`, "dev-bank")).body.feeds[0].provenance;
    const verified = await call(stack, "POST", "/v1/verify", "dev-bank", { contentHash: provenance.contentHash });
    expect(verified.body).toMatchObject({ verified: true, recordId: feed.recordId });
  });

  it("shows feeds and surveys in the case timeline as off-chain items with provenance and evidence record ids", async () => {
    const res = await call(stack, "GET", `/v1/cases/${claimId}`, "dev-amc");
    expect(res.status).toBe(200);
    const items = res.body.timeline;
    // A court without the case before it sees the on-chain timeline only (issue 14).
    const court = await call(stack, "GET", `/v1/cases/${claimId}`, "dev-court");
    expect(court.body).toMatchObject({ offChainWithheld: true });
    expect(court.body.timeline.filter((i: { offChain?: boolean }) => i.offChain)).toEqual([]);
    const feedItem = items.find((i: { type: string }) => i.type === "feed");
    expect(feedItem).toMatchObject({
      offChain: true, recordId: feed.recordId, provenance: { source, contentHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
      details: { feedType: "court-enforcement", feedId: feed.feedId, summary: { zh: expect.stringContaining("失信"), en: expect.any(String) } },
    });
    expect(feedItem.txHash).toBeUndefined();
    expect(items.filter((i: { type: string }) => i.type === "survey")).toHaveLength(2);
    const times = items.map((i: { timestamp: string }) => Date.parse(i.timestamp));
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it("a later record taking the debtor off the list takes the boost away; the history stays", async () => {
    const off = { ...enforcement(ago(1), false), data: { cases: [] } };
    expect((await call(stack, "POST", "/v1/feeds", "dev-amc", { items: [off] })).status).toBe(201);
    const res = await assessment(claimId);
    expect(res.body.result.risk.priorityReasons.map((r: { code: string }) => r.code)).not.toContain("enforcement-dishonest");
    const list = await call(stack, "GET", `/v1/claims/${claimId}/feeds?asOf=${today()}`, "dev-amc");
    expect(list.body.count).toBe(2);
    expect(list.body.feeds.map((f: { current: boolean }) => f.current)).toEqual([true, false]);
  });

  it("imports a simulated feed file: registry, appraisal and credit records change value and score with reasons", async () => {
    const yesterday = new Date(Date.now() + 8 * HOUR - 24 * HOUR).toISOString().slice(0, 10);
    const file = simulateFeedFile(5, [{ claimId: otherClaimId, appraisedValue: "300000000", region: "shanghai" }], { to: yesterday, days: 30 });
    // Make the outcome certain for the assertions: a senior mortgage and a low appraisal.
    file.items = file.items.filter((r) => r.type !== "property-registry" && r.type !== "appraisal");
    const t = ago(30);
    file.items.push(
      { type: "property-registry", claimId: otherClaimId, provenance: { source: "bdc.shanghai.gov.cn", fetchedAt: t, contentHash: contentHashOf("registry extract") }, data: { seizures: [{ court: "上海市徐汇区人民法院", at: "2026-01-05", rank: 1 }], mortgages: [{ rank: 1, amount: "50000000", registeredAt: "2018-06-01", ours: false }, { rank: 2, amount: "210000000", registeredAt: "2019-01-02", ours: true }] } },
      { type: "appraisal", claimId: otherClaimId, provenance: { source: "appraisal:0317", fetchedAt: t, contentHash: contentHashOf("appraisal report") }, data: { appraiser: "华信房地产土地估价有限公司", reportNo: "估字(2026)第0317号", valuedAt: "2026-01-20", value: "100000000", method: "market-comparison" } },
    );
    const res = await call(stack, "POST", "/v1/feeds/import", "dev-amc", file);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ accepted: file.items.length, created: file.items.length });
    const kinds = new Map(res.body.items.map((x: { type: string; recordId: string }) => [x.type, x.recordId]));
    const evidence = (await call(stack, "GET", `/v1/claims/${otherClaimId}/evidence`, "dev-amc")).body.records;
    expect(evidence.find((r: { recordId: string }) => r.recordId === kinds.get("appraisal")).record.kind).toBe("valuation");

    const a = await assessment(otherClaimId);
    expect(a.status).toBe(200);
    const adj = a.body.result.collateralAdjustments;
    expect(adj.steps.map((s: { code: string }) => s.code)).toEqual(["appraisal-lower", "senior-claims-deducted"]);
    expect(adj.market).toBe("100000000");
    expect(adj.after).toBe("50000000");
    const codes = a.body.feeds.effects.map((e: { code: string }) => e.code);
    expect(codes).toEqual(expect.arrayContaining(["collateral-seized", "collateral-senior-mortgage", "appraisal-third-party"]));
    expect(a.body.result.risk.priorityReasons).toContainEqual(expect.objectContaining({ code: "collateral-seized", bps: 7500 }));

    const again = await call(stack, "POST", "/v1/feeds/import", "dev-amc", file);
    expect(again.body).toMatchObject({ created: 0, duplicates: file.items.length });
  });

  it("refuses bad items naming the field, unknown claims with 404, and roles without the right", async () => {
    const bad = enforcement(ago(1), true);
    (bad.data.cases[0] as Record<string, unknown>).debtorName = "张三";
    const r1 = await call(stack, "POST", "/v1/feeds", "dev-bank", { items: [enforcement(ago(1), true), bad] });
    expect(r1.status).toBe(400);
    expect(r1.body).toMatchObject({ error: "VALIDATION", field: "items[1].data.cases[0].debtorName" });
    const future = await call(stack, "POST", "/v1/feeds", "dev-bank", { items: [enforcement(new Date(Date.now() + 86_400_000).toISOString(), true)] });
    expect(future.body).toMatchObject({ field: "items[0].provenance.fetchedAt", rule: "not-in-the-future" });
    const unknown = await call(stack, "POST", "/v1/feeds", "dev-bank", { items: [{ ...enforcement(ago(1), true), claimId: `0x${"ab".repeat(32)}` }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.field).toBe("items[0].claimId");
    expect((await call(stack, "POST", "/v1/feeds", "dev-collector", { items: [enforcement(ago(1), true)] })).status).toBe(403);
    // A stranger AMC may not move another holder's priorities or values.
    const stranger = await call(stack, "POST", "/v1/feeds", "dev-amc2", { items: [enforcement(ago(1), true)] });
    expect(stranger.status).toBe(403);
    expect(stranger.body.field).toBe("items[0].claimId");
    expect((await call(stack, "POST", "/v1/feeds/import", "dev-bank", { format: "csv", items: [] })).status).toBe(400);
    expect((await call(stack, "GET", `/v1/claims/${claimId}/feeds`)).status).toBe(401);
  });

  it("documents the new routes in the OpenAPI document", async () => {
    const doc = (await call(stack, "GET", "/docs/json")).body;
    for (const [path, method] of [["/v1/feeds", "post"], ["/v1/feeds/import", "post"], ["/v1/claims/{claimId}/feeds", "get"], ["/v1/claims/{claimId}/surveys", "post"], ["/v1/claims/{claimId}/surveys", "get"], ["/v1/surveys/checklists", "get"]] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
