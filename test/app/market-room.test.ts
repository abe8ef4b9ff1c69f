/**
 * Packages' de-identified data rooms across organisations' nodes (issue 19), on a real `hardhat node`: the bank's
 * node (seller) and amcA's node, each with its own API, LevelDB, keys and chain accounts. amcA is a licensed AMC
 * on chain (LICENSED_AMC); `inv` — an account amcA's node also serves — a qualified investor (QUALIFIED_INVESTOR).
 * Written as the dishonest parties: an investor on a bank's personal-NPL package, the court, an unknown account,
 * a buyer signing in another's name, a replayed request — and a scan of every answer a non-seller got for the
 * seller's debtors' names, phones, ID numbers, addresses and contract numbers.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes, randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import type { FastifyInstance } from "fastify";
import { appScope, buildApi, callAt, claimRequest, freePort, startChain } from "../helpers/stack.js";
import { chainTimeMs, chinaDay } from "../helpers/clock.js";
import { loadConfig, deployOptionsFrom, type Config } from "../../src/config/config.js";
import { deployDebtrail } from "../../src/chain/deploy.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { handoverDomain } from "../../src/app/handover/crypto.js";
import { signRoomRequest } from "../../src/app/market-room/signing.js";
import { withIdCheckCharacter } from "../../src/core/id-number.js";
import { readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { openConsole, signInConsole } from "../helpers/console-page.js";

type Org = "bank" | "amcA";
const key = () => randomBytes(16).toString("hex");
const K = { bankAdmin: key(), bank: key(), court: key(), amcAAdmin: key(), amcA: key(), inv: key() };
const ACCOUNT = { bank: devWallet(1), amcA: devWallet(2), inv: devWallet(3), court: devWallet(5) };
const addr = (o: keyof typeof ACCOUNT) => ACCOUNT[o].address.toLowerCase();

let chain: Awaited<ReturnType<typeof startChain>>;
const dirs: Record<Org, string> = {} as never;
const configs: Record<Org, Config> = {} as never;
const nodes: Record<Org, FastifyInstance> = {} as never;
const ports: Record<Org, number> = {} as never;
const deploymentFile = join(mkdtempSync(join(tmpdir(), "debtrail-room-deploy-")), "deployment.json");
const deploymentId = `test-room-${randomUUID()}`;

/** The seller's debtors: what must never reach a buyer. */
const PEOPLE = [1, 2, 3].map((n) => ({
  contractNo: `ROOM-RETAIL-${n}-${randomBytes(3).toString("hex")}`, name: ["欧阳明轩", "司马静怡", "上官浩然"][n - 1]!,
  idNumber: withIdCheckCharacter(`33010619850${n}0${n}2${n}${n}`), phone: `1390571${String(n).repeat(4)}`,
  street: `文三路${n}8${n}号${n}幢${n}0${n}室`, address: `浙江省杭州市西湖区文三路${n}8${n}号${n}幢${n}0${n}室`,
}));
const CORP = [1, 2].map((n) => ({ contractNo: `ROOM-CORP-${n}-${randomBytes(3).toString("hex")}`, name: `杭州远航贸易${n}有限公司`, idNumber: `91330106MA2${n}XYZ${n}${n}${n}${n}Q`, phone: `0571888${n}${n}${n}${n}${n}`, street: `莫干山路${n}00号`, address: `浙江省杭州市拱墅区莫干山路${n}00号` }));

const answers: string[] = [];
const at = (o: Org, method: string, path: string, k?: string, body?: unknown) => callAt(`http://127.0.0.1:${ports[o]}`, method, path, k, body).then((r) => {
  if (o !== "bank" || (k !== K.bank && k !== K.bankAdmin)) answers.push(JSON.stringify(r.body));
  return r;
});

async function signedGet(roomId: string, wallet: Wallet, account = wallet.address, nonce = `0x${randomBytes(32).toString("hex")}`, issuedAt?: number) {
  const domain = handoverDomain(JSON.parse(readFileSync(deploymentFile, "utf8")).chainId, JSON.parse(readFileSync(deploymentFile, "utf8")).contracts.ClaimRegistry.address.toLowerCase());
  const req = { roomId, account, issuedAt: issuedAt ?? Math.floor(Date.now() / 1000), nonce };
  const signature = await signRoomRequest(wallet, domain, req);
  const headers = { "x-debtrail-account": account, "x-debtrail-issued-at": String(req.issuedAt), "x-debtrail-nonce": nonce, "x-debtrail-signature": signature };
  const get = async () => {
    const r = await fetch(`http://127.0.0.1:${ports.bank}/v1/market/rooms/${roomId}`, { headers });
    const body = await r.json() as any;
    answers.push(JSON.stringify(body));
    return { status: r.status, body };
  };
  return { get };
}

function env(o: Org, keys: unknown[], service: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CHAIN_RPC_URL: chain.url, DATA_DIR: dirs[o], DEPLOYMENT_FILE: deploymentFile, SERVICE_PRIVATE_KEY: devWallet(service).privateKey,
    PII_SECRET: `${o}-own-pii-secret-${randomBytes(8).toString("hex")}`, DEBTRAIL_API_KEYS: JSON.stringify(keys), ORACLE_ENABLED: "0",
    LOG_LEVEL: "silent", PORT: String(ports[o]), ...extra,
  };
}

const R: Record<string, string> = {};

beforeAll(async () => {
  chain = await startChain();
  for (const o of ["bank", "amcA"] as Org[]) {
    dirs[o] = mkdtempSync(join(tmpdir(), `debtrail-room-${o}-`));
    ports[o] = await freePort();
  }
  const peers = JSON.stringify([{ address: addr("bank"), url: `http://127.0.0.1:${ports.bank}` }]);
  configs.bank = loadConfig(env("bank", [
    { key: K.bankAdmin, role: "admin", name: "bank operator", privateKey: devWallet(0).privateKey },
    { key: K.bank, role: "bank", name: "Bank", privateKey: ACCOUNT.bank.privateKey, originatorCode: "ROOMBANK" },
    { key: K.court, role: "court", name: "Court", privateKey: ACCOUNT.court.privateKey },
  ], 6));
  configs.amcA = loadConfig(env("amcA", [
    { key: K.amcAAdmin, role: "admin", name: "amcA operator", privateKey: devWallet(10).privateKey },
    { key: K.amcA, role: "amc", name: "AMC A", privateKey: ACCOUNT.amcA.privateKey },
    { key: K.inv, role: "amc", name: "Investor", privateKey: ACCOUNT.inv.privateKey, buyerKind: "qualified-investor" },
  ], 11, { HANDOVER_PEERS: peers }));
  // One deployment; the buyers' kinds as roles on chain from their keys (amc: HOLDER + LICENSED_AMC; buyerKind qualified-investor: HOLDER + QUALIFIED_INVESTOR).
  await deployDebtrail({ ...deployOptionsFrom(configs.bank, {}), apiKeys: [...configs.bank.apiKeys, ...configs.amcA.apiKeys.filter((k) => k.role !== "admin")], deploymentId });
  for (const o of ["bank", "amcA"] as Org[]) nodes[o] = await buildApi(configs[o], ports[o]);

  const now = await chainTimeMs(chain.url);
  const register = async (p: { contractNo: string; name: string; idNumber: string; phone: string; address: string }, type: "retail" | "corporate") => {
    const r = await at("bank", "POST", "/v1/claims", K.bank, claimRequest(p.contractNo, {
      originatorCode: "ROOMBANK", product: type === "retail" ? "consumer" : "corporate", region: "杭州",
      debtor: { name: p.name, idNumber: p.idNumber, phone: p.phone, type, debtorId: `D-${p.contractNo}`, address: p.address },
      originatedAt: chinaDay(now, -1500), maturityAt: chinaDay(now, -400),
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.claimId as string;
  };
  R.retail = JSON.stringify(await Promise.all(PEOPLE.map((p) => register(p, "retail"))));
  R.corp = JSON.stringify(await Promise.all(CORP.map((p) => register(p, "corporate"))));
  R.cutOff = chinaDay(now, -1);
}, 240_000);

afterAll(async () => {
  for (const n of Object.values(nodes)) await n?.close().catch(() => undefined);
  await chain?.stop();
  for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  rmSync(`ignition/deployments/${deploymentId}`, { recursive: true, force: true });
});

describe("a package's de-identified data room", () => {
  it("the bank opens rooms over claims it holds: personal NPLs for licensed AMCs only, a small corporate package for qualified investors too", async () => {
    const personal = await at("bank", "POST", "/v1/market/rooms", K.bank, { claimIds: JSON.parse(R.retail), cutOff: R.cutOff, label: `欧阳明轩等三户` });
    expect(personal.status, JSON.stringify(personal.body)).toBe(201);
    expect(personal.body).toMatchObject({ seller: addr("bank"), sellerKind: "bank", claims: 3, rule: { buyers: ["licensed-amc"], basis: "personal-buyer-not-amc" } });
    expect(personal.body.totals).toMatchObject({ claims: 3, debtors: 3, personalClaims: 3 });
    R.personal = personal.body.roomId;
    const corp = await at("bank", "POST", "/v1/market/rooms", K.bank, { claimIds: JSON.parse(R.corp), cutOff: R.cutOff });
    expect(corp.body.rule).toEqual({ buyers: ["licensed-amc", "qualified-investor"], basis: null });
    R.corpRoom = corp.body.roomId;

    // Not the seller's claims, a future cut-off, another role: refused naming the field and rule.
    const other = `0x${"ab".repeat(32)}`;
    expect((await at("bank", "POST", "/v1/market/rooms", K.bank, { claimIds: [other], cutOff: R.cutOff })).body).toMatchObject({ field: "claimIds[0]", rule: "not-held-by-seller" });
    expect((await at("bank", "POST", "/v1/market/rooms", K.bank, { claimIds: JSON.parse(R.corp), cutOff: chinaDay(await chainTimeMs(chain.url), 3) })).body).toMatchObject({ field: "cutOff", rule: "not-after-today" });
    expect((await at("bank", "POST", "/v1/market/rooms", K.court, { claimIds: JSON.parse(R.corp), cutOff: R.cutOff })).status).toBe(403);
  }, 60_000);

  it("amcA's node fetches the room from the bank's node in amcA's name: the tape, checked against the seller's signed receipt, kept at amcA", async () => {
    const r = await at("amcA", "POST", "/v1/market/peer-rooms", K.amcA, { seller: addr("bank"), roomId: R.personal });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.room).toMatchObject({ roomId: R.personal, claims: 3 });
    expect(r.body.room.label).toBeUndefined();
    expect(r.body.tape.lines).toHaveLength(3);
    const line = r.body.tape.lines.find((l: any) => l.idTail === PEOPLE[0]!.idNumber.slice(-4));
    expect(line).toMatchObject({ debtorType: "retail", district: "西湖区", districtCode: "330106", region: "hangzhou", product: "consumer", balance: "85000000", collateralType: "unsecured" });
    expect(line.daysPastDue).toBeGreaterThanOrEqual(399);
    expect(line.limitation).toMatchObject({ status: expect.stringMatching(/running|expiring|expired/) });
    expect(r.body.receipt).toMatchObject({ seq: expect.any(Number), signature: expect.stringMatching(/^0x/) });
    const kept = await at("amcA", "GET", "/v1/market/peer-rooms", K.amcA);
    expect(kept.body.rooms.map((x: any) => x.room.roomId)).toEqual([R.personal]);
  }, 60_000);

  it("refuses, naming the rule: a qualified investor on a bank's personal NPLs, the court, an unknown account; a forged or replayed request", async () => {
    const inv = await at("amcA", "POST", "/v1/market/peer-rooms", K.inv, { seller: addr("bank"), roomId: R.personal });
    expect(inv.status).toBe(403);
    expect(inv.body.rule).toBe("personal-buyer-not-amc");
    expect(inv.body.message).toContain("26");
    // The same investor may enter a small corporate package of the bank's.
    expect((await at("amcA", "POST", "/v1/market/peer-rooms", K.inv, { seller: addr("bank"), roomId: R.corpRoom })).status).toBe(200);

    const court = await at("bank", "GET", `/v1/market/rooms/${R.personal}`, K.court);
    expect(court).toMatchObject({ status: 403, body: { rule: "not-a-buyer" } });
    const stranger = await (await signedGet(R.personal, Wallet.createRandom() as unknown as Wallet)).get();
    expect(stranger).toMatchObject({ status: 403, body: { rule: "not-a-buyer" } });
    // The investor signs with its own key in amcA's name: refused before anything is read.
    const forged = await (await signedGet(R.personal, new Wallet(ACCOUNT.inv.privateKey), ACCOUNT.amcA.address)).get();
    expect(forged).toMatchObject({ status: 403, body: { rule: "signature" } });
    // amcA's own request, captured and sent again.
    const once = await signedGet(R.personal, new Wallet(ACCOUNT.amcA.privateKey));
    expect((await once.get()).status).toBe(200);
    expect(await once.get()).toMatchObject({ status: 403, body: { rule: "replayed" } });
    const stale = await (await signedGet(R.personal, new Wallet(ACCOUNT.amcA.privateKey), ACCOUNT.amcA.address, undefined, Math.floor(Date.now() / 1000) - 3_600)).get();
    expect(stale).toMatchObject({ status: 403, body: { rule: "stale-request" } });
    expect((await fetch(`http://127.0.0.1:${ports.bank}/v1/market/rooms/${R.personal}`)).status).toBe(401);
  }, 60_000);

  it("the seller's log lists every access (who, which room, when; shown or refused by which rule), hash-chained", async () => {
    const log = await at("bank", "GET", `/v1/market/rooms/${R.personal}/accesses`, K.bank);
    expect(log.status).toBe(200);
    expect(log.body.chain).toBe("intact");
    const seen = log.body.accesses.map((a: any) => [a.account, a.outcome, a.rule ?? null, a.via]);
    expect(seen).toEqual(expect.arrayContaining([
      [addr("amcA"), "shown", null, "signed-request"],
      [addr("inv"), "refused", "personal-buyer-not-amc", "signed-request"],
      [addr("court"), "refused", "not-a-buyer", "api-key"],
    ]));
    expect(seen.some((a: any) => a[0] === addr("inv") && a[1] === "shown")).toBe(false);
    const mine = await at("bank", "GET", "/v1/market/rooms", K.bank);
    expect(mine.body.rooms.find((x: any) => x.roomId === R.personal).accesses).toMatchObject({ shown: 2, refused: 3 });
    // Another organisation does not read the seller's log.
    expect((await at("bank", "GET", `/v1/market/rooms/${R.personal}/accesses`, K.court)).status).toBe(403);
  });

  it("recommends the rooms amcA has seen for its declared profile, with reasons in the asked language", async () => {
    expect((await at("amcA", "POST", "/v1/market/peer-rooms", K.amcA, { seller: addr("bank"), roomId: R.corpRoom })).status).toBe(200);
    expect((await at("amcA", "GET", "/v1/market/recommendations", K.amcA)).status).toBe(404); // no profile yet
    const bad = await at("amcA", "PUT", "/v1/market/profile", K.amcA, { regions: ["Atlantis"], assetTypes: [] });
    expect(bad.body).toMatchObject({ field: "profile.regions[0]", rule: "region-unknown" });
    const profile = await at("amcA", "PUT", "/v1/market/profile", K.amcA, { regions: ["浙江"], assetTypes: ["consumer"], maxTimeBarredBps: 10_000 });
    expect(profile.body).toMatchObject({ investorId: addr("amcA"), regions: ["zhejiang"], assetTypes: ["consumer"] });
    const en = await at("amcA", "GET", "/v1/market/recommendations?lang=en", K.amcA);
    expect(en.status, JSON.stringify(en.body)).toBe(200);
    expect(en.body.recommendations.map((r: any) => r.roomId)).toEqual([R.personal, R.corpRoom]);
    expect(en.body.recommendations[0].reasons.join(" ")).toMatch(/Consumer loan|Zhejiang/);
    const zh = await at("amcA", "GET", "/v1/market/recommendations?lang=zh-CN", K.amcA);
    expect(zh.body.recommendations[0].reasons.join(" ")).toMatch(/消费贷款|浙江/);

    // The live listings as the source: the bank lists the personal package over its room (the listing's commitment
    // binds the tape); once amcA's own index has the listing, amcA's node reads the room again, checks the binding
    // against the chain, and recommends the listing; the corporate room, listed nowhere, is no listing to recommend.
    const now = Math.floor((await chainTimeMs(chain.url)) / 1000);
    const listed = await at("bank", "POST", "/v1/market/listings", K.bank, {
      label: "个人包", claimIds: JSON.parse(R.retail), cutoffDate: R.cutOff, commitEnd: now + 86_400, revealEnd: now + 2 * 86_400, executionPeriodSeconds: 86_400, deposit: "0", roomId: R.personal,
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    R.listing = listed.body.listingId;
    for (let i = 0; i < 80 && (await at("amcA", "GET", `/v1/market/listings/${R.listing}`, K.amcA)).status !== 200; i++) await new Promise((r) => setTimeout(r, 250));
    const again = await at("amcA", "POST", "/v1/market/peer-rooms", K.amcA, { seller: addr("bank"), roomId: R.personal });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.listings).toEqual([{ listingId: R.listing, verified: true }]);
    const live = await at("amcA", "GET", "/v1/market/recommended-listings?lang=en", K.amcA);
    expect(live.status, JSON.stringify(live.body)).toBe(200);
    expect(live.body.recommendations.map((r: any) => r.listingId)).toEqual([R.listing]);
    expect(live.body.recommendations[0]).toMatchObject({ claims: 3, licensedAmcOnly: true });
    expect(live.body.recommendations[0].seller.toLowerCase()).toBe(addr("bank"));
    expect(live.body.recommendations[0].reasons.join(" ")).toMatch(/Consumer loan|Zhejiang/);
  }, 60_000);

  it("nothing any non-seller was answered, nor amcA's store, holds a debtor's name, phone, ID number, address or contract number", async () => {
    const db = appScope(nodes.amcA).store.db;
    let disk = "";
    for await (const [k, v] of db.iterator({ keyEncoding: "utf8", valueEncoding: "utf8" } as never) as AsyncIterable<[string, string]>) disk += `${k}\u0000${v}\n`;
    const text = answers.join("\n") + disk;
    expect(answers.length).toBeGreaterThan(8);
    for (const p of [...PEOPLE, ...CORP]) {
      for (const secret of [p.name, p.phone, p.idNumber, p.idNumber.slice(0, 14), p.street, p.address, p.contractNo, `D-${p.contractNo}`]) {
        expect(text.includes(secret), secret).toBe(false);
      }
    }
  });
});

describe("the market's console pages, in Chromium, in both languages", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  });
  afterAll(async () => browser?.close());
  const base = (o: Org) => `http://127.0.0.1:${ports[o]}`;
  /** Everything a page shows and holds: its text and its HTML (attributes, titles). */
  const pageText = async (page: Page) => `${await page.locator("body").innerText()}\n${await page.content()}`;
  const noPersonalData = (text: string) => {
    for (const p of [...PEOPLE, ...CORP]) for (const secret of [p.name, p.phone, p.idNumber, p.idNumber.slice(0, 14), p.street, p.contractNo]) expect(text.includes(secret), secret).toBe(false);
  };

  it("the seller (中文) sees its rooms, how often each was shown and refused, and the access log with the rule of each refusal", async () => {
    const { page, errors } = await signInConsole(browser, base("bank"), K.bank);
    await openConsole(page, base("bank"), "/console/market");
    const row = page.locator(`#my-rooms tr[data-key="${R.personal}"]`);
    expect(await row.locator("td[data-col=buyers]").innerText()).toBe("持牌资产管理公司");
    expect(Number(await row.locator("td[data-col=shown]").innerText())).toBeGreaterThanOrEqual(2);
    await page.click(`button[data-log="${R.personal}"]`);
    await page.waitForSelector("#room-log");
    expect(await page.locator("#room-log [data-chain]").getAttribute("data-chain")).toBe("intact");
    const log = await page.locator("#room-log").innerText();
    expect(log).toContain("个人不良贷款仅限持牌资产管理公司（26号文）");
    expect(log).toContain("买方节点签名请求");
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("a buyer (English) opens a seller's room from its own node and reads the de-identified tape: figures, districts, ID tails, no personal data", async () => {
    const { page, errors } = await signInConsole(browser, base("amcA"), K.amcA, { lang: "en" });
    await openConsole(page, base("amcA"), "/console/market");
    expect(await page.locator("#fetched-rooms").innerText()).toContain(R.personal.slice(0, 8));
    // Recommended packages for the profile amcA declared, with the reasons in English.
    expect(await page.locator("#recommended tbody tr").first().getAttribute("data-key")).toBe(R.personal);
    expect(await page.locator("#recommended tbody tr").first().locator("td[data-col=reasons]").innerText()).toMatch(/Consumer loan|Zhejiang/);
    // And the live listing whose room it checked, linked to its page.
    expect(await page.locator("#recommended-listings tbody tr").first().getAttribute("data-key")).toBe(R.listing);
    expect(await page.locator("#recommended-listings a[data-listing]").first().getAttribute("href")).toBe(`/console/market/listings/${R.listing}`);
    await page.fill("#room-fetch input[name=seller]", addr("bank"));
    await page.fill("#room-fetch input[name=roomId]", R.corpRoom);
    await page.click("#room-fetch button[type=submit]");
    await page.waitForURL((u) => u.pathname === `/console/market/${addr("bank")}/${R.corpRoom}`);
    await page.waitForSelector("#view[data-loaded=true]");
    expect(await page.locator("#deidentified").innerText()).toContain("De-identified");
    expect(await page.locator("#tape tbody tr").count()).toBe(2);
    expect(await page.locator("#receipt").innerText()).toContain("receipt");
    noPersonalData(await pageText(page));

    await openConsole(page, base("amcA"), `/console/market/${addr("bank")}/${R.personal}`);
    expect(await page.locator("#room-totals [data-field=claims]").innerText()).toBe("3");
    const tape = await page.locator("#tape").innerText();
    expect(tape).toContain("西湖区");
    expect(tape).toContain(`****${PEOPLE[1]!.idNumber.slice(-4)}`);
    expect(tape).toContain("Consumer loan");
    noPersonalData(await pageText(page));
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("the same pages in the other language: the buyer's tape in 中文, and a qualified investor refused the personal package, told the rule", async () => {
    const amc = await signInConsole(browser, base("amcA"), K.amcA);
    await openConsole(amc.page, base("amcA"), "/console/market");
    expect(await amc.page.locator("#recommended tbody tr").first().locator("td[data-col=reasons]").innerText()).toMatch(/消费贷款|浙江/);
    expect(await amc.page.locator("#recommended-listings td[data-col=reasons]").first().innerText()).toMatch(/消费贷款|浙江/);
    await openConsole(amc.page, base("amcA"), `/console/market/${addr("bank")}/${R.personal}`);
    expect(await amc.page.locator("#deidentified").innerText()).toContain("去标识化");
    expect(await amc.page.locator("#tape").innerText()).toContain("消费贷款");
    noPersonalData(await pageText(amc.page));
    await amc.page.context().close();

    const inv = await signInConsole(browser, base("amcA"), K.inv);
    await openConsole(inv.page, base("amcA"), "/console/market");
    await inv.page.fill("#room-fetch input[name=seller]", addr("bank"));
    await inv.page.fill("#room-fetch input[name=roomId]", R.personal);
    await inv.page.click("#room-fetch button[type=submit]");
    await inv.page.waitForSelector("#market-error");
    expect(await inv.page.locator("#market-error").innerText()).toContain("26号文");
    expect(inv.page.url()).toContain("/console/market");
    await inv.page.context().close();
  }, 60_000);
});
