/**
 * Loan-file handover between organisations' nodes (issue 16), on a real `hardhat node`, with three
 * organisations each running its own API on its own socket, its own LevelDB, its own API keys, chain keys
 * and handover key: `bank` sells to `amcA`; `amcB` is a licensed buyer that bought nothing. Between the
 * bank's node and amcA's runs a proxy (the network): it records what crosses, can be down, and can hold
 * an answer while the seller is restarted. Written as the dishonest parties: a seller whose files do not
 * match the chain, a third party posing as the seller, a ciphertext handed to the wrong organisation.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import type { FastifyInstance } from "fastify";
import { appScope, buildApi, callAt, claimRequest, freePort, startChain } from "../helpers/stack.js";
import { chainTimeMs } from "../helpers/clock.js";
import { loadConfig, deployOptionsFrom, type Config } from "../../src/config/config.js";
import { deployDebtrail } from "../../src/chain/deploy.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";
import { canonicalJson } from "../../src/core/canonical.js";
import { commitDocument, newSalt } from "../../src/core/commitment.js";
import { handoverDomain, handoverKeyPair, openSealed, sealTo, signPayload } from "../../src/app/handover/crypto.js";
import { buildManifest, filesCommitmentOf, type LoanFile, type Manifest } from "../../src/app/handover/files.js";
import type { Envelope, EnvelopeHeader } from "../../src/app/handover/seller.js";
import { openHandoverRepos } from "../../src/store/repos/handover.js";
import { withIdCheckCharacter } from "../../src/core/id-number.js";

/** Valid resident ID numbers (GB 11643 check character), one per debtor. */
const ID: Record<string, string> = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, withIdCheckCharacter(`11010119900101${d.repeat(3)}`)]));

type Org = "bank" | "amcA" | "amcB";
const key = () => randomBytes(16).toString("hex");
const K = { bankAdmin: key(), bank: key(), amcAAdmin: key(), amcA: key(), collectorA: key(), amcBAdmin: key(), amcB: key() };
const ACCOUNT = { bank: devWallet(1), amcA: devWallet(2), amcB: devWallet(3), collectorA: devWallet(4) };
const addr = (o: "bank" | "amcA" | "amcB") => ACCOUNT[o].address.toLowerCase();

let chain: Awaited<ReturnType<typeof startChain>>;
let provider: JsonRpcProvider;
const dirs: Record<Org, string> = {} as never;
const configs: Record<Org, Config> = {} as never;
const nodes: Record<Org, FastifyInstance> = {} as never;
const ports: Record<Org | "proxy", number> = {} as never;
const deploymentFile = join(mkdtempSync(join(tmpdir(), "debtrail-ho-deploy-")), "deployment.json");
const deploymentId = `test-handover-${randomUUID()}`;

/** The network between the bank's node and amcA's: records deliveries; can be down or hold one answer. */
const net = { mode: "pass" as "pass" | "down" | "hold", captured: [] as Array<{ envelope: Envelope; signature: string }>, held: null as null | (() => void), holding: false };
let proxy: Server;

function startProxy(): Promise<void> {
  proxy = createServer(async (req, res) => {
    res.on("error", () => undefined);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const inbox = req.method === "POST" && req.url === "/v1/handover/inbox";
    if (inbox) net.captured.push(JSON.parse(body.toString()));
    if (net.mode === "down") {
      res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: "UNAVAILABLE", message: "the network is down" }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const h of ["content-type", "x-debtrail-sender", "authorization"]) if (typeof req.headers[h] === "string") headers[h] = req.headers[h] as string;
    const up = await fetch(`http://127.0.0.1:${ports.amcA}${req.url}`, { method: req.method, headers, ...(body.length > 0 ? { body } : {}) });
    const text = await up.text();
    if (inbox && net.mode === "hold" && !net.holding) {
      net.holding = true; // amcA has answered (and stored); the seller waits for the answer
      await new Promise<void>((release) => (net.held = release));
    }
    res.writeHead(up.status, { "content-type": "application/json" }).end(text);
  });
  return new Promise((ok) => proxy.listen(ports.proxy, "127.0.0.1", () => ok()));
}

function env(o: Org, keys: unknown[], service: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CHAIN_RPC_URL: chain.url, DATA_DIR: dirs[o], DEPLOYMENT_FILE: deploymentFile, SERVICE_PRIVATE_KEY: devWallet(service).privateKey,
    PII_SECRET: `${o}-own-pii-secret-${randomBytes(8).toString("hex")}`, DEBTRAIL_API_KEYS: JSON.stringify(keys), ORACLE_ENABLED: "0",
    LOG_LEVEL: "silent", PORT: String(ports[o]), HANDOVER_RETRY_MS: "300", HANDOVER_RETRY_MAX_MS: "3000", EVIDENCE_BATCH_AGE_MS: "200",
    HANDOVER_RETENTION_DAYS: "30", ...extra,
  };
}

const at = (o: Org, method: string, path: string, k?: string, body?: unknown, headers: Record<string, string> = {}) =>
  Object.keys(headers).length === 0 ? callAt(`http://127.0.0.1:${ports[o]}`, method, path, k, body) : fetch(`http://127.0.0.1:${ports[o]}${path}`, {
    method, headers: { ...(k ? { authorization: `Bearer ${k}` } : {}), ...headers },
  }).then(async (r) => ({ status: r.status, body: await r.json() as any }));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every value of an organisation's LevelDB as text (what its disk holds). */
async function storeText(o: Org): Promise<string> {
  const db = appScope(nodes[o]).store.db;
  let out = "";
  for await (const [k, v] of db.iterator({ keyEncoding: "utf8", valueEncoding: "utf8" } as never) as AsyncIterable<[string, string]>) out += `${k}\u0000${v}\n`;
  return out;
}

async function register(contractNo: string, name: string, idNumber: string): Promise<string> {
  const r = await at("bank", "POST", "/v1/claims", K.bank, claimRequest(contractNo, {
    originatorCode: "HOBANK", debtor: { name, idNumber, phone: "13900139000", type: "retail", debtorId: `D-${contractNo}` },
  }));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.claimId;
}

async function sell(claimIds: string[], packageId: string, to = addr("amcA")) {
  const r = await at("bank", "POST", "/v1/assignments", K.bank, { claimIds, to, packageId, price: "1000", notice: `债权转让通知：${packageId} 项下债权已转让` });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { handoverId: string; txHash: string; blockNumber: number; blockHash: string; filesCommitment: string; packageRef: string };
}

const outbox = async (id: string) => (await at("bank", "GET", `/v1/handover/outbox/${id}`, K.bank)).body;
const delivered = (id: string) => until(`handover ${id} delivered`, async () => ((await outbox(id)).status === "delivered" ? outbox(id) : undefined));

const C: Record<string, string> = {};
let sale1: Awaited<ReturnType<typeof sell>>;

beforeAll(async () => {
  chain = await startChain();
  provider = new JsonRpcProvider(chain.url);
  for (const o of ["bank", "amcA", "amcB"] as Org[]) dirs[o] = mkdtempSync(join(tmpdir(), `debtrail-ho-${o}-`));
  for (const p of ["bank", "amcA", "amcB", "proxy"] as const) ports[p] = await freePort();
  const peers = JSON.stringify([{ address: addr("amcA"), url: `http://127.0.0.1:${ports.proxy}` }, { address: addr("amcB"), url: `http://127.0.0.1:${ports.amcB}` }]);
  configs.bank = loadConfig(env("bank", [
    { key: K.bankAdmin, role: "admin", name: "bank operator", privateKey: devWallet(0).privateKey },
    { key: K.bank, role: "bank", name: "Bank", privateKey: ACCOUNT.bank.privateKey, originatorCode: "HOBANK" },
  ], 6, { HANDOVER_PEERS: peers, HANDOVER_PART_BYTES: "1024" }));
  configs.amcA = loadConfig(env("amcA", [
    { key: K.amcAAdmin, role: "admin", name: "amcA operator", privateKey: devWallet(10).privateKey },
    { key: K.amcA, role: "amc", name: "AMC A", privateKey: ACCOUNT.amcA.privateKey },
    { key: K.collectorA, role: "collector", name: "collector of AMC A", privateKey: ACCOUNT.collectorA.privateKey, worksFor: ACCOUNT.amcA.address },
  ], 11));
  configs.amcB = loadConfig(env("amcB", [
    { key: K.amcBAdmin, role: "admin", name: "amcB operator", privateKey: devWallet(12).privateKey },
    { key: K.amcB, role: "amc", name: "AMC B", privateKey: ACCOUNT.amcB.privateKey },
  ], 13));
  // One deployment; each organisation's accounts get their roles (no node's operator becomes chain ADMIN but the bank's deployer).
  for (const o of ["bank", "amcA", "amcB"] as Org[]) {
    const apiKeys = configs[o].apiKeys.filter((k) => o === "bank" || k.role !== "admin");
    await deployDebtrail({ ...deployOptionsFrom(configs[o], {}), apiKeys, deploymentId });
  }
  await startProxy();
  for (const o of ["bank", "amcA", "amcB"] as Org[]) nodes[o] = await buildApi(configs[o], ports[o]);
}, 240_000);

afterAll(async () => {
  for (const n of Object.values(nodes)) await n?.close().catch(() => undefined);
  net.held?.();
  await new Promise((ok) => proxy?.close(() => ok(undefined)));
  provider?.destroy();
  await chain?.stop();
  for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  rmSync(`ignition/deployments/${deploymentId}`, { recursive: true, force: true });
});

describe("loan-file handover across organisations' nodes", () => {
  it("bank sells to amcA: the files arrive encrypted, match the chain, and amcA's collector reads the debtor; the bank keeps a read-only copy and no rights", async () => {
    C.c1 = await register("HO-1", "张一", ID["1"]);
    C.c2 = await register("HO-2", "张二", ID["2"]);
    const occurredAt = new Date((await chainTimeMs(chain.url)) + 1000).toISOString();
    const ev = await at("bank", "POST", "/v1/evidence", K.bank, {
      claimId: C.c1, kind: "letter", channel: "post", direction: "outbound", occurredAt, actor: "bank-desk-1",
      counterparty: { name: "张一", relation: "debtor" }, content: "催收函：张一先生，请于十日内还款。",
    });
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    sale1 = await sell([C.c1, C.c2], "HO-PKG-1");
    const h = await delivered(sale1.handoverId);
    expect(h).toMatchObject({ status: "delivered", to: addr("amcA"), partsTotal: 2, partsAcknowledged: 2, filesCommitment: sale1.filesCommitment });

    // On chain: the salted commitment, in every claim's event; nothing else of the files.
    const registry = ClaimRegistry__factory.connect(JSON.parse(readFileSync(deploymentFile, "utf8")).contracts.ClaimRegistry.address, provider);
    const events = await registry.queryFilter(registry.filters.ClaimAssigned(), sale1.blockNumber, sale1.blockNumber);
    expect(events.map((e) => e.args.filesCommitment)).toEqual([sale1.filesCommitment, sale1.filesCommitment]);

    // amcA: complete, and its collector reads the debtor's details (the file and the claim), from its own node.
    const inbox = (await at("amcA", "GET", "/v1/handover/inbox", K.amcA)).body.handovers;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ status: "complete", from: addr("bank"), received: expect.arrayContaining([C.c1, C.c2]), expected: 2, missing: 0 });
    expect(inbox[0].legalBasis.assignment.articles).toContain("民法典第546条");
    const file = await at("amcA", "GET", `/v1/handover/claims/${C.c1}/file?purpose=collection`, K.collectorA);
    expect(file.status, JSON.stringify(file.body)).toBe(200);
    expect(file.body).toMatchObject({ source: "received", from: addr("bank"), personalDataRedacted: false });
    expect(file.body.file.record.debtor).toMatchObject({ name: "张一", idNumber: ID["1"] });
    expect(file.body.file.evidence).toHaveLength(1);
    expect(file.body.file.evidence[0].content).toContain("张一先生");
    expect(file.body.file.documents[0].text).toContain("HO-PKG-1");
    const claim = await at("amcA", "GET", `/v1/claims/${C.c1}`, K.collectorA, undefined, { "x-purpose": "collection" });
    expect(claim.body.offChain.debtor.name).toBe("张一");
    // amcA's collector works the claim at its own node (the debtor's record is there now).
    const contact = await at("amcA", "POST", "/v1/evidence", K.collectorA, {
      claimId: C.c1, kind: "letter", channel: "post", direction: "outbound", occurredAt: new Date(await chainTimeMs(chain.url)).toISOString(),
      actor: "collector-a-1", counterparty: { name: "张一", relation: "debtor" }, content: "受让方催收函",
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);

    // The bank: its copy read-only; no right to act on the claim any more.
    const copy = await at("bank", "GET", `/v1/handover/claims/${C.c1}/file?purpose=audit`, K.bank);
    expect(copy.body).toMatchObject({ source: "sold", readOnly: true, to: addr("amcA") });
    const late = await at("bank", "POST", "/v1/evidence", K.bank, {
      claimId: C.c1, kind: "letter", channel: "post", direction: "outbound", occurredAt: new Date(await chainTimeMs(chain.url)).toISOString(),
      actor: "bank-desk-1", counterparty: { name: "张一", relation: "debtor" }, content: "late",
    });
    expect(late.status).toBe(403);
  }, 90_000);

  it("amcB's node has nothing of the sale, and a ciphertext meant for amcA, handed to amcB, is refused and cannot be decrypted", async () => {
    expect((await at("amcB", "GET", "/v1/handover/inbox", K.amcBAdmin)).body.handovers).toEqual([]);
    expect((await at("amcB", "GET", `/v1/claims/${C.c1}?minBlock=${sale1.blockNumber}`, K.amcB)).body.offChain).toBeNull();
    expect((await at("amcB", "GET", `/v1/handover/claims/${C.c1}/file?purpose=collection`, K.amcB)).status).toBe(403);
    const disk = await storeText("amcB");
    for (const secret of ["张一", ID["1"], "13900139000", "张一先生"]) expect(disk.includes(secret), secret).toBe(false);

    const captured = net.captured.find((c) => c.envelope.txHash === sale1.txHash)!;
    const amcBKeys = handoverKeyPair(Buffer.from(readFileSync(configs.amcB.handover.keyFile, "utf8").trim(), "hex"));
    const amcAKeys = handoverKeyPair(Buffer.from(readFileSync(configs.amcA.handover.keyFile, "utf8").trim(), "hex"));
    const { ephemeralPublicKey: _e, iv: _i, ciphertext: _c, tag: _t, ...header } = captured.envelope;
    const aad = Buffer.from(canonicalJson(header), "utf8");
    expect(openSealed(amcAKeys, captured.envelope, aad).toString()).toContain("张");
    expect(() => openSealed(amcBKeys, captured.envelope, aad)).toThrow();
    // Replayed at amcB's node: not addressed there.
    const replay = await fetch(`http://127.0.0.1:${ports.amcB}/v1/handover/inbox`, {
      method: "POST", headers: { "content-type": "application/json", "x-debtrail-sender": addr("bank") }, body: JSON.stringify(captured),
    });
    expect(replay.status).toBe(409);
    expect((await replay.json()).rule).toBe("not-addressed-here");
    expect((await storeText("amcB")).includes("张一")).toBe(false);
  });

  it("every read of personal data is logged (who, which claim, why), the sale's disclosure too; the handover records its legal basis", async () => {
    const reads = (await at("amcA", "GET", `/v1/personal-data/reads?claimId=${C.c1}`, K.amcAAdmin)).body.reads;
    const collectorKeyId = createHash("sha256").update(K.collectorA).digest("hex").slice(0, 12); // the key's non-secret id
    expect(reads).toEqual(expect.arrayContaining([
      expect.objectContaining({ claimId: C.c1, purpose: "collection", action: "read", via: "GET /v1/handover/claims/:claimId/file", who: expect.objectContaining({ keyId: collectorKeyId, role: "collector" }) }),
      expect.objectContaining({ claimId: C.c1, purpose: "collection", via: "GET /v1/claims/:claimId" }),
    ]));
    // No purpose stated: logged as such; an unknown purpose is refused before anything is read.
    expect((await at("amcA", "GET", `/v1/claims/${C.c2}`, K.amcA)).body.offChain.debtor.name).toBe("张二");
    const c2 = (await at("amcA", "GET", `/v1/personal-data/reads?claimId=${C.c2}`, K.amcAAdmin)).body.reads;
    expect(c2[0]).toMatchObject({ claimId: C.c2, purpose: "unstated", who: { role: "amc" } });
    const bad = await at("amcA", "GET", `/v1/claims/${C.c2}`, K.amcA, undefined, { "x-purpose": "curiosity" });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("X-Purpose");
    expect((await at("amcA", "GET", `/v1/handover/claims/${C.c2}/file`, K.amcA)).status).toBe(400); // purpose required
    // The seller's log: each debtor's data disclosed to amcA.
    const disclosed = (await at("bank", "GET", `/v1/personal-data/reads?claimId=${C.c2}`, K.bankAdmin)).body.reads;
    expect(disclosed).toEqual(expect.arrayContaining([expect.objectContaining({ action: "disclosed", recipient: addr("amcA"), purpose: "assignment" })]));
    // A redacted answer reads no personal data: amcB's look at the claim is not logged.
    expect((await at("amcB", "GET", `/v1/personal-data/reads?claimId=${C.c1}`, K.amcBAdmin)).body.reads).toEqual([]);
    const h = await outbox(sale1.handoverId);
    expect(h.legalBasis.personalData.articles).toEqual(expect.arrayContaining(["个人信息保护法第23条"]));
    expect(h.legalBasis.retention).toMatchObject({ articles: ["个人信息保护法第47条"], days: 30 });
  });

  it("a tampered file set is refused, visible at both ends, retried with back-off, and delivered once put right", async () => {
    C.c3 = await register("HO-3", "张三", ID["3"]);
    net.mode = "down";
    const sale = await sell([C.c3], "HO-PKG-3");
    const down = await until("a failed attempt", async () => ((await outbox(sale.handoverId)).attempts >= 1 ? outbox(sale.handoverId) : undefined));
    expect(down).toMatchObject({ status: "sending", lastProblem: { kind: "unreachable" } });
    // Someone changes the bank's copy after the sale committed to it.
    const repos = openHandoverRepos(appScope(nodes.bank).store);
    const fileKey = `${sale.handoverId}!${C.c3}`;
    const original = (await repos.outFiles.get(fileKey))!;
    await repos.outFiles.put(fileKey, { ...original, record: { ...original.record, debtor: { ...original.record.debtor, phone: "13000000000" } } });
    net.mode = "pass";
    await at("bank", "POST", `/v1/handover/outbox/${sale.handoverId}/retry`, K.bank);
    const refused = await until("a refusal", async () => { const h = await outbox(sale.handoverId); return h.lastProblem?.kind === "refused" ? h : undefined; });
    expect(refused).toMatchObject({ status: "sending", lastProblem: { rule: "file-digest-mismatch", claimId: C.c3, status: 409 } });
    expect(Date.parse(refused.nextAttemptAt)).toBeGreaterThan(Date.parse(refused.lastProblem.at));
    const there = (await at("amcA", "GET", `/v1/handover/inbox/${sale.txHash}`, K.amcA)).body;
    expect(there).toMatchObject({ status: "refused", received: [], lastRefusal: { rule: "file-digest-mismatch", claimId: C.c3 } });
    expect((await at("amcA", "GET", `/v1/handover/claims/${C.c3}/file?purpose=collection`, K.amcA)).status).toBe(404);
    // Put right: the next attempt delivers it.
    await repos.outFiles.put(fileKey, original);
    await at("bank", "POST", `/v1/handover/outbox/${sale.handoverId}/retry`, K.bank);
    await delivered(sale.handoverId);
    expect((await at("amcA", "GET", `/v1/handover/inbox/${sale.txHash}`, K.amcA)).body).toMatchObject({ status: "complete", received: [C.c3] });
  }, 60_000);

  it("the seller dies midway (after amcA stored a part, before its answer arrived): restarted, it resumes and amcA keeps each file once", async () => {
    C.c5 = await register("HO-5", "张五", ID["5"]);
    C.c6 = await register("HO-6", "张六", ID["6"]);
    net.mode = "hold";
    net.holding = false;
    const sale = await sell([C.c5, C.c6], "HO-PKG-5");
    await until("amcA stored the first part", async () => {
      const r = await at("amcA", "GET", `/v1/handover/inbox/${sale.txHash}`, K.amcA);
      return r.status === 200 && r.body.received.length === 1;
    });
    await nodes.bank.close(); // the seller goes away with the first part unacknowledged
    net.mode = "pass";
    net.held?.();
    expect((await outbox2(sale.handoverId)).partsAcknowledged).toBe(0);
    nodes.bank = await buildApi(configs.bank, ports.bank);
    const h = await delivered(sale.handoverId);
    expect(h.partsAcknowledged).toBe(2);
    const there = (await at("amcA", "GET", `/v1/handover/inbox/${sale.txHash}`, K.amcA)).body;
    expect(there.status).toBe("complete");
    expect([...there.received].sort()).toEqual([C.c5, C.c6].sort());
    expect(there.deliveries).toBeGreaterThanOrEqual(3); // part 0 twice, part 1 once
    const inFiles = openHandoverRepos(appScope(nodes.amcA).store).inFiles;
    let stored = 0;
    for await (const _ of inFiles.iterator({ gt: `${C.c5}!`, lt: `${C.c5}!~` })) stored++;
    expect(stored).toBe(1);
  }, 60_000);

  it("the seller dies after its sale was mined but before it wrote so: the sale is found on chain and the files delivered", async () => {
    C.c7 = await register("HO-7", "张七", ID["7"]);
    const seller = appScope(nodes.bank).handover.seller;
    const notice = commitDocument("债权转让通知：HO-PKG-7");
    const id = randomUUID();
    const { filesCommitment } = await seller.prepare({ id, from: addr("bank"), to: addr("amcA"), claimIds: [C.c7], packageRef: originatorCodeToBytes32("HO-PKG-7"), packageLabel: "HO-PKG-7", notice: { ...notice, text: "债权转让通知：HO-PKG-7" } });
    // The transaction goes out; the node "dies" before it records the receipt (nothing calls committed()).
    const registryAddress = JSON.parse(readFileSync(deploymentFile, "utf8")).contracts.ClaimRegistry.address;
    const registry = ClaimRegistry__factory.connect(registryAddress, new Wallet(ACCOUNT.bank.privateKey, provider));
    await (await registry.assign([C.c7], addr("amcA"), originatorCodeToBytes32("HO-PKG-7"), 1n, notice.commitment, filesCommitment)).wait();
    const h = await delivered(id);
    expect(h).toMatchObject({ status: "delivered", filesCommitment });
    expect((await at("amcA", "GET", `/v1/handover/claims/${C.c7}/file?purpose=audit`, K.amcA)).body.file.record.debtor.name).toBe("张七");
  }, 60_000);

  it("a dishonest seller: files that do not match the sale's commitment, or a loan record that does not match the registration, are refused", async () => {
    const bank = new Wallet(ACCOUNT.bank.privateKey, provider);
    const chainId = (await provider.getNetwork()).chainId.toString();
    const registryAddress = JSON.parse(readFileSync(deploymentFile, "utf8")).contracts.ClaimRegistry.address.toLowerCase();
    const domain = handoverDomain(chainId, registryAddress);
    const amcAKey = (await at("amcA", "GET", "/v1/handover/keys")).body.statements.find((s: { account: string }) => s.account.toLowerCase() === addr("amcA")).publicKey;
    const real = (await at("amcA", "GET", `/v1/handover/claims/${C.c1}/file?purpose=audit`, K.amcA)).body.file as LoanFile;
    async function push(signer: Wallet, header: Omit<EnvelopeHeader, "recipientKey" | "version" | "chainId" | "registry">, manifest: Manifest, salt: string, files: LoanFile[], sender = signer.address) {
      const full: EnvelopeHeader = { version: 1, chainId, registry: registryAddress, recipientKey: amcAKey, ...header };
      const envelope: Envelope = { ...full, ...sealTo(amcAKey, Buffer.from(canonicalJson({ manifest, salt, files })), Buffer.from(canonicalJson(full))) };
      const res = await fetch(`http://127.0.0.1:${ports.amcA}/v1/handover/inbox`, {
        method: "POST", headers: { "content-type": "application/json", "x-debtrail-sender": sender.toLowerCase() },
        body: JSON.stringify({ envelope, signature: await signPayload(signer, domain, envelope) }),
      });
      return { status: res.status, body: await res.json() as any };
    }
    const sale = { from: addr("bank"), to: addr("amcA"), txHash: sale1.txHash, blockNumber: sale1.blockNumber, blockHash: sale1.blockHash, packageRef: sale1.packageRef, filesCommitment: sale1.filesCommitment, part: { index: 0, count: 1 } };
    const legalBasis = (await outbox(sale1.handoverId)).legalBasis;
    // Other files under the sale's commitment: a debtor changed, the manifest rebuilt, a fresh salt.
    const forged = { ...real, record: { ...real.record, debtor: { ...real.record.debtor, phone: "13111111111" } } };
    const m = buildManifest({ chainId, registry: registryAddress, packageRef: sale1.packageRef, packageLabel: "HO-PKG-1", from: addr("bank"), to: addr("amcA"), legalBasis }, [forged, (await at("amcA", "GET", `/v1/handover/claims/${C.c2}/file?purpose=audit`, K.amcA)).body.file]);
    const r1 = await push(bank, sale, m, newSalt(), [forged]);
    expect(r1.status).toBe(409);
    expect(r1.body.rule).toBe("files-commitment-mismatch");
    expect((await at("amcA", "GET", `/v1/handover/claims/${C.c1}/file?purpose=audit`, K.amcA)).body.file.record.debtor.phone).toBe("13900139000");

    // A sale on chain committing to a file whose contract number is not the registered loan's.
    C.c4 = await register("HO-4", "张四", ID["4"]);
    const bankCopy = (await at("bank", "GET", `/v1/claims/${C.c4}`, K.bank)).body.offChain;
    const lie: LoanFile = { claimId: C.c4, documents: [], evidence: [], record: { ...real.record, claimId: C.c4, contractNo: "HO-4-FAKE", loanSalt: bankCopy.loanSalt, loanRef: bankCopy.loanRef, originatorCode: "HOBANK", principal: "100000000", outstanding: "85000000" } };
    const lm = buildManifest({ chainId, registry: registryAddress, packageRef: originatorCodeToBytes32("HO-LIE"), packageLabel: "HO-LIE", from: addr("bank"), to: addr("amcA"), legalBasis }, [lie]);
    const salt = newSalt();
    const registry = ClaimRegistry__factory.connect(registryAddress, bank);
    const receipt = (await (await registry.assign([C.c4], addr("amcA"), originatorCodeToBytes32("HO-LIE"), 1n, `0x${"0".repeat(64)}`, filesCommitmentOf(salt, lm))).wait())!;
    const r2 = await push(bank, { ...sale, txHash: receipt.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, packageRef: originatorCodeToBytes32("HO-LIE"), filesCommitment: filesCommitmentOf(salt, lm) }, lm, salt, [lie]);
    expect(r2.status, JSON.stringify(r2.body)).toBe(409);
    expect(r2.body).toMatchObject({ rule: "registration-mismatch", details: { claimId: C.c4 } });
    expect((await at("amcA", "GET", `/v1/handover/claims/${C.c4}/file?purpose=audit`, K.amcA)).status).toBe(404);
    expect((await at("amcA", "GET", `/v1/handover/inbox/${receipt.hash}`, K.amcA)).body).toMatchObject({ status: "refused", lastRefusal: { rule: "registration-mismatch" } });

    // A third party (amcB, a licensed buyer) posing as the bank, then pushing under its own name; a stranger with no role.
    const amcB = new Wallet(ACCOUNT.amcB.privateKey);
    const r3 = await push(amcB, sale, m, newSalt(), [forged], addr("bank"));
    expect(r3.status).toBe(403);
    expect(r3.body.field).toBe("signature");
    const r4 = await push(amcB, { ...sale, from: addr("amcB") }, m, newSalt(), [forged]);
    expect(r4.status).toBe(409);
    expect(r4.body.rule).toBe("no-such-sale");
    const r5 = await push(Wallet.createRandom() as unknown as Wallet, { ...sale, from: "" }, m, newSalt(), [forged]);
    expect(r5.status).toBe(403);
    expect((await at("amcA", "GET", `/v1/handover/claims/${C.c1}/file?purpose=audit`, K.amcA)).body.file.record.debtor.phone).toBe("13900139000");
  }, 60_000);

  it("retention: the seller's copy is deleted when its period ends (time is an argument), the buyer's stays", async () => {
    const h = await outbox(sale1.handoverId);
    const handover = appScope(nodes.bank).handover;
    expect((await handover.runRetention(Date.parse(h.retainUntil) - 1)).erased).toEqual([]);
    expect((await at("bank", "GET", `/v1/claims/${C.c1}`, K.bank)).body.offChain.debtor.name).toBe("张一");
    const run = await handover.runRetention(Date.parse(h.retainUntil) + 1);
    expect(run.erased.map((e) => e.claimId).sort()).toEqual([C.c1, C.c2].sort());
    expect((await outbox(sale1.handoverId)).status).toBe("erased");
    expect((await at("bank", "GET", `/v1/claims/${C.c1}`, K.bank)).body.offChain).toBeNull();
    expect((await at("bank", "GET", `/v1/handover/claims/${C.c1}/file?purpose=audit`, K.bank)).status).toBe(403);
    const disk = await storeText("bank");
    for (const secret of ["张一", ID["1"], "张一先生", "张二", ID["2"]]) expect(disk.includes(secret), secret).toBe(false);
    // Not yet due: the later sales keep their copies; the buyer keeps its file.
    expect(disk.includes("张三")).toBe(true);
    expect((await at("amcA", "GET", `/v1/handover/claims/${C.c1}/file?purpose=audit`, K.amcA)).body.file.record.debtor.name).toBe("张一");
  }, 30_000);
});

async function outbox2(id: string) {
  // The bank's node is down: read its store directly.
  const { openStore } = await import("../../src/store/db.js");
  const { deploymentKey, readDeployment } = await import("../../src/chain/deployment.js");
  const store = await openStore(dirs.bank, deploymentKey((await readDeployment(deploymentFile))!));
  try {
    const h = await openHandoverRepos(store).outbound.get(id);
    return { partsAcknowledged: (h?.parts ?? []).filter((p) => p.ackedAt).length };
  } finally {
    await store.close();
  }
}
