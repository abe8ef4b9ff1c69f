import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { JsonRpcProvider } from "ethers";
import { ClaimRegistry__factory, CollectionClauses__factory, Council__factory, EvidenceLog__factory } from "../../types/ethers-contracts/index.js";
import { roleId } from "../../src/chain/roles.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { callAt, claimRequest } from "../helpers/stack.js";
import { chinaDay } from "../helpers/clock.js";
import { withIdCheckCharacter } from "../../src/core/id-number.js";
import { rpc, startNetwork, type NetworkJson, type OrgName, type TestNetwork } from "../helpers/network.js";

/**
 * The network end to end (issue 16), on `npm run network` itself: anvil with a block every 2 s (chain id not
 * 31337), four organisations each with its own `debtrail serve` + `debtrail oracle`, keys and store. Only the
 * organisations' own API keys from network.json are used, each at its own node. The 7-day notices pass through
 * the TEST-ONLY clock offset (the chain's and the daemons' clocks together).
 *
 * register at bank → sell to amcA → the loan file handed over to amcA's node (absent at amcB's) → amcA's collector records contacts → amcA alone
 * moves nothing → the bank's repayment data co-signs: warned → 8 days → amcA SIGKILLed with its demand signed and
 * stored, short of a co-signature; the others go on; back, it catches up: nothing lost, nothing twice → 8 days → arbitration →
 * the court lists the dispute from its own index with its ERC-1497 evidence, verifies a bundle against its own
 * RPC and rules from its node → `debtrail verify --rpc` verifies the bundle against the chain alone.
 */

let net: TestNetwork;
let provider: JsonRpcProvider;
let orgs: NetworkJson["orgs"];
let firstClaim: string | undefined;
const DAY = 86_400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  net = await startNetwork();
  orgs = net.json.orgs;
  provider = new JsonRpcProvider(net.json.rpc, undefined, { cacheTimeout: -1, staticNetwork: true });
}, 300_000);

afterAll(async () => {
  provider?.destroy();
  await net?.stop();
}, 60_000);

/** A call at an organisation's own node with one of its own keys (by role). */
async function at(org: OrgName, method: string, path: string, role: string, body?: unknown) {
  const key = orgs[org].keys[role];
  if (!key) throw new Error(`${org} has no ${role} key`);
  return callAt(orgs[org].api, method, path, key, body);
}

/** Polls `probe` until it returns a value (not undefined), or fails with the organisations' logs. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, org?: OrgName): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}\n${net.logs(org)}`);
    await sleep(250);
  }
}

const chainTime = async () => (await provider.getBlock("latest"))!.timestamp;
const caseAt = async (org: OrgName, role: string, claimId: string, minBlock?: number) =>
  (await at(org, "GET", `/v1/cases/${claimId}${minBlock ? `?minBlock=${minBlock}` : ""}`, role)).body;

/** The same status of the claim as the holder's own system and an operator's feed see it. */
const status = (claimId: string, asOfUnix: number, daysPastDue: number, collateralValue = "40000000") => ({
  claimId, asOf: new Date(asOfUnix * 1000).toISOString(), daysPastDue, outstanding: "85000000", collateralValue, product: "mortgage", debtorType: "retail",
});

/** Reports applied on chain for the claim (ReportApplied events), with their nonces. */
async function reportsApplied(claimId: string): Promise<number[]> {
  const clauses = CollectionClauses__factory.connect(net.json.contracts.CollectionClauses, provider);
  const events = await clauses.queryFilter(clauses.filters.ReportApplied(claimId), 0);
  return events.map((e) => Number(e.args.nonce));
}

async function transitions(claimId: string): Promise<string[]> {
  const c = await caseAt("amcA", "amc", claimId);
  return c.timeline.filter((t: any) => t.type === "state-changed").map((t: any) => t.details.to);
}

describe("npm run network: four organisations, each its own node, keys and store", () => {
  it("network.json names each organisation's node, account and own keys; the chain mines on an interval, not 31337", async () => {
    expect(Object.keys(net.json)).toEqual(["rpc", "chainId", "contracts", "orgs"]);
    expect(net.json.chainId).not.toBe("31337");
    expect(BigInt(await rpc(net.json.rpc, "eth_chainId"))).toBe(BigInt(net.json.chainId));
    expect(String(await rpc(net.json.rpc, "web3_clientVersion"))).toMatch(/^anvil\//);
    expect(Object.keys(net.json.contracts).sort()).toEqual(["Arbitrator", "ClaimMarket", "ClaimRegistry", "CollectionClauses", "Council", "EvidenceLog", "Timelock"]);
    expect(Object.keys(orgs)).toEqual(["bank", "amcA", "amcB", "court", "investor"]);
    // No single administrator: ADMIN of the role directory is the council's timelock alone (3 of the 4
    // organisations, after a delay); no organisation, nor the funding account that deployed, holds it.
    const registry = ClaimRegistry__factory.connect(net.json.contracts.ClaimRegistry!, provider);
    const council = Council__factory.connect(net.json.contracts.Council!, provider);
    const admins = [roleId("ADMIN"), await registry.DEFAULT_ADMIN_ROLE()];
    for (const account of [...Object.values(orgs).map((o) => o.address), devWallet(0).address]) {
      expect(await Promise.all(admins.map((r) => registry.hasRole(r, account))), account).toEqual([false, false]);
    }
    expect(await Promise.all(admins.map((r) => registry.hasRole(r, net.json.contracts.Timelock!)))).toEqual([true, true]);
    expect([[...await council.members()].sort(), Number(await council.threshold())]).toEqual([[orgs.bank, orgs.amcA, orgs.amcB, orgs.court].map((o) => o.address).sort(), 3]);
    expect(Object.keys(orgs.bank.keys).sort()).toEqual(["bank", "feed", "oracle"]);
    expect(Object.keys(orgs.amcA.keys).sort()).toEqual(["amc", "collector", "oracle"]);
    expect(Object.keys(orgs.court.keys).sort()).toEqual(["court", "feed", "oracle"]);
    // Each key works at its own node only: a bank key means nothing at amcA's.
    expect((await at("bank", "GET", "/v1/me", "bank")).body.address).toBe(orgs.bank.address);
    expect((await callAt(orgs.amcA.api, "GET", "/v1/me", orgs.bank.keys.bank)).status).toBe(401);
    // Interval mining: a sent transaction waits for the next block (no automine).
    const b0 = await provider.getBlockNumber();
    await sleep(4500);
    expect(await provider.getBlockNumber()).toBeGreaterThanOrEqual(b0 + 1);
    expect(await rpc(net.json.rpc, "anvil_getAutomine")).toBe(false);
  }, 60_000);

  it("register at bank, sell to amcA, contacts at amcA; quorum 2 from independent data; 7-day notices; a kill of amcA mid-report; the court rules from its node; a bundle verifies against the chain alone", async () => {
    // --- register at the bank's node (its own key, its originator code)
    const reg = await at("bank", "POST", "/v1/claims", "bank", claimRequest("NET-001", {
      originatorCode: "NETBANK", clauses: { warnDays: 1, demandDays: 30, arbitrationDays: 90, coverageBps: 12_000, noticeDays: 7 },
    }));
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const claimId: string = reg.body.claimId;
    firstClaim = claimId;

    // --- sell to amcA (the bank's node; amcA's account is a licensed HOLDER)
    const sale = await at("bank", "POST", "/v1/assignments", "bank", {
      claimIds: [claimId], to: orgs.amcA.address, packageId: "PKG-NET-001", price: "60000000", notice: "债权转让通知：贵方所欠债务已转让予资产管理公司A。",
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    // amcA's node indexes the chain itself: it sees the sale once its index reached the block.
    const seen = await at("amcA", "GET", `/v1/claims/${claimId}/history?minBlock=${sale.body.blockNumber}`, "amc");
    expect(seen.status).toBe(200);
    expect(seen.body.events.map((e: any) => e.type)).toEqual(["registered", "assigned"]);
    // The loan file goes to amcA's node encrypted to amcA alone (src/app/handover): the bank's node sees it
    // delivered; amcA's node checked it against the chain and serves it to its collector; amcB's has nothing.
    const handedOver = await until("the loan file delivered to amcA's node", async () => {
      const h = (await at("bank", "GET", `/v1/handover/outbox/${sale.body.handoverId}`, "bank")).body;
      return h.status === "delivered" ? h : undefined;
    }, 60_000, "bank");
    expect(handedOver).toMatchObject({ to: orgs.amcA.address.toLowerCase(), filesCommitment: sale.body.filesCommitment, partsAcknowledged: handedOver.partsTotal });
    const loanFile = await at("amcA", "GET", `/v1/handover/claims/${claimId}/file?purpose=collection`, "collector");
    expect(loanFile.status, JSON.stringify(loanFile.body)).toBe(200);
    expect(loanFile.body).toMatchObject({ source: "received", from: orgs.bank.address.toLowerCase() });
    expect(loanFile.body.file.record.debtor.name).toBe("张三");
    expect((await at("amcA", "GET", `/v1/claims/${claimId}`, "collector")).body.offChain.debtor.name).toBe("张三");
    expect((await at("amcA", "GET", "/v1/handover/inbox", "amc")).body.handovers).toEqual([expect.objectContaining({ status: "complete", txHash: sale.body.txHash.toLowerCase() })]);
    expect((await at("amcB", "GET", "/v1/handover/inbox", "amc")).body.handovers).toEqual([]);
    expect((await at("amcB", "GET", `/v1/handover/claims/${claimId}/file?purpose=collection`, "amc")).status).toBe(403);
    expect((await at("amcB", "GET", `/v1/claims/${claimId}`, "amc")).body.offChain).toBeNull();
    // The seller keeps no right to act: the bank's status of the claim is refused now.
    expect((await at("bank", "POST", "/v1/loan-status", "bank", status(claimId, await chainTime(), 5))).status).toBe(403);

    // --- amcA's collector records contacts at amcA's node, in the debtor's contact hours after the purchase
    const heldSince = (await provider.getBlock(sale.body.blockNumber))!.timestamp;
    let tenAm = Date.parse(`${chinaDay(heldSince * 1000)}T10:00:00+08:00`) / 1000;
    if (tenAm <= heldSince) tenAm += DAY;
    await net.advance(tenAm + 60 - (await chainTime()));
    const contact = (n: number) => ({
      claimId, kind: "call", channel: "phone", direction: "outbound", occurredAt: new Date((tenAm + n * 60) * 1000).toISOString(),
      actor: "collector-a-01", counterparty: { name: "张三", phone: "13800138000", relation: "debtor" }, content: `通话记录 ${n}：债务人称月底还款。`,
    });
    const c1 = await at("amcA", "POST", "/v1/evidence", "collector", contact(0));
    expect(c1.status, JSON.stringify(c1.body)).toBe(201);
    // Not amcB's collector: amcB does not hold the claim.
    expect((await at("amcB", "POST", "/v1/evidence", "collector", contact(1))).status).toBe(403);

    // --- amcA alone moves nothing: its status proposes, no other operator's data backs it
    const t1 = await chainTime();
    expect((await at("amcA", "POST", "/v1/loan-status", "amc", status(claimId, t1, 5))).status).toBe(202);
    // The court's enforcement records disagree (another figure): it refuses, and says so in its status.
    expect((await at("court", "POST", "/v1/loan-status", "feed", status(claimId, t1, 5, "10000000"))).status).toBe(202);
    const alone = await until("amcA's report waiting for co-signers", async () => {
      const s = (await at("amcA", "GET", "/v1/oracle/status", "amc")).body;
      return s.pendingReports === 1 && s.disagreements.recent.length >= 4 ? s : undefined;
    }, 60_000, "amcA");
    expect(alone.quorum).toBe(2);
    const refusedBy = Object.fromEntries(alone.disagreements.recent.filter((d: any) => d.claimId === claimId && d.side === "peer-refused").map((d: any) => [d.party, d.reason]));
    expect(refusedBy).toEqual({ [orgs.bank.api]: "no-matching-status", [orgs.amcB.api]: "no-matching-status", [orgs.court.api]: "figures-differ", [orgs.investor.api]: "no-matching-status" });
    const courtSide = (await at("court", "GET", "/v1/oracle/status", "court")).body.disagreements.recent.find((d: any) => d.claimId === claimId);
    expect(courtSide).toMatchObject({ side: "refused-peer", reason: "figures-differ", kind: "disagrees", report: { collateralValue: "40000000" }, ours: { collateralValue: "10000000" } });
    await sleep(5000); // several cycles and blocks: still nothing on chain
    expect(await reportsApplied(claimId)).toEqual([]);
    expect((await caseAt("court", "court", claimId)).state).toBe("performing");

    // --- the bank's repayment data shows the same: two operators agree, the case moves to warned
    expect((await at("bank", "POST", "/v1/loan-status", "feed", status(claimId, t1, 5))).status).toBe(202);
    await until("warned", async () => ((await caseAt("amcA", "amc", claimId)).state === "warned" ? true : undefined), 60_000, "amcA");
    expect(await reportsApplied(claimId)).toEqual([0]);

    // --- 8 days later (chain and daemons together): the demand is due. The chosen point of the kill: amcA's oracle has
    // planned the demand, recorded its notice as evidence and signed the report, which waits (durably) for a
    // co-signature — the bank's repayment data has not shown the figures yet. amcA's processes die there.
    await net.advance(8 * DAY);
    const c2 = await at("amcA", "POST", "/v1/evidence", "collector", { ...contact(2), occurredAt: new Date(((await chainTime()) - 120) * 1000).toISOString() });
    expect(c2.status, JSON.stringify(c2.body)).toBe(201);
    const t2 = await chainTime();
    expect((await at("amcA", "POST", "/v1/loan-status", "amc", status(claimId, t2, 40))).status).toBe(202);
    const signedAlone = await until("amcA's demand signed by amcA alone, waiting for a co-signer", async () => {
      const s = (await at("amcA", "GET", "/v1/oracle/status", "amc")).body;
      return s.pendingReports === 1 && s.waitingClaims === 0 && s.lastCycle?.waitingForSignatures === 1 ? s : undefined;
    }, 60_000, "amcA");
    const amcAService = signedAlone.signer.toLowerCase();
    const notices = async () => (await at("amcA", "GET", `/v1/claims/${claimId}/evidence`, "amc")).body.records.filter((r: any) => r.record.kind === "notice").length;
    expect(await notices()).toBe(2); // the warning's and the demand's, recorded before the report was signed
    await net.kill("amcA");

    // The others go on: the bank's repayment data now shows the figures; the bank registers; the court's index follows the chain.
    expect((await at("bank", "POST", "/v1/loan-status", "feed", status(claimId, t2, 40))).status).toBe(202);
    const reg2 = await at("bank", "POST", "/v1/claims", "bank", claimRequest("NET-002", { originatorCode: "NETBANK" }));
    expect(reg2.status).toBe(201);
    expect((await at("court", "GET", `/v1/claims/${reg2.body.claimId}?minBlock=${reg2.body.blockNumber}`, "court")).status).toBe(200);
    expect((await caseAt("court", "court", claimId)).state).toBe("warned");
    expect(await fetch(`${orgs.amcA.api}/healthz`).then(() => "up", () => "down")).toBe("down");

    // --- amcA back: it catches up from the chain and its outbox. Nothing lost (its contact anchored), nothing twice.
    await net.revive("amcA");
    const receipt2 = await until("amcA's pending contact anchored after its return", async () => {
      const r = await at("amcA", "GET", `/v1/evidence/${c2.body.recordId}/receipt`, "amc");
      return r.status === 200 && r.body.anchor ? r.body : undefined;
    }, 90_000, "amcA");
    // Its stored report gets the bank's co-signature and goes on chain, once; its notice is not recorded again.
    await until("demanded after amcA's return", async () => ((await caseAt("court", "court", claimId)).state === "demanded" ? true : undefined), 90_000, "amcA");
    const afterReturn = await until("amcA's oracle settled", async () => {
      const s = (await at("amcA", "GET", "/v1/oracle/status", "amc")).body;
      return s.pendingReports === 0 && s.lastCycle ? s : undefined;
    }, 60_000, "amcA");
    expect(afterReturn.recentFailures).toEqual([]);
    await sleep(3000); // a few more cycles: nothing is sent again
    expect(await reportsApplied(claimId)).toEqual([0, 1]);
    expect(await transitions(claimId)).toEqual(["overdue", "warned", "demanded"]);
    expect(await notices()).toBe(2);
    const anchors = await EvidenceLog__factory.connect(net.json.contracts.EvidenceLog, provider).queryFilter("RootAnchored" as never, 0);
    const roots = anchors.map((e: any) => e.args.root);
    expect(new Set(roots).size).toBe(roots.length);
    const evidence = (await at("amcA", "GET", `/v1/claims/${claimId}/evidence`, "amc")).body;
    expect(evidence.complete).toBe(true);
    expect(evidence.records.filter((r: any) => r.record.kind === "call")).toHaveLength(2);

    // --- 8 more days: 95 days past due, collateral under 120 %: arbitration, and amcA links its evidence (ERC-1497)
    await net.advance(8 * DAY);
    const t3 = await chainTime();
    expect((await at("bank", "POST", "/v1/loan-status", "feed", status(claimId, t3, 95))).status).toBe(202);
    expect((await at("amcA", "POST", "/v1/loan-status", "amc", status(claimId, t3, 95))).status).toBe(202);
    // The court's node lists it from its own index, though it keeps no record of a claim registered at the bank's node.
    const before = await until("the dispute before the court, with amcA's evidence group", async () => {
      const list = (await at("court", "GET", "/v1/disputes?status=waiting", "court")).body;
      const d = list.disputes?.find((x: any) => x.claimId === claimId);
      if (!d) return undefined;
      const record = (await at("court", "GET", `/v1/disputes/${d.disputeId}/record`, "court")).body;
      return record.evidenceGroup?.length ? { ...d, record } : undefined;
    }, 90_000, "court");
    expect(before).toMatchObject({ contractNo: null, state: "in-arbitration" });
    expect(before.holder.toLowerCase()).toBe(orgs.amcA.address.toLowerCase());
    const link = JSON.parse(before.record.evidenceGroup[0].uri);
    expect(link).toMatchObject({ claimId, node: orgs.amcA.api });
    expect(before.record.evidenceGroup[0].party.toLowerCase()).toBe(amcAService);
    // The list is the court's (and a node operator's): not a holder's.
    expect((await at("amcA", "GET", "/v1/disputes", "amc")).status).toBe(403);

    // amcA hands the court a proof bundle of its contact; the court verifies it against its own node's RPC.
    const bundle = receipt2;
    const checked = await at("court", "POST", "/v1/verify", "court", bundle);
    expect(checked.status).toBe(200);
    expect(checked.body.verified).toBe(true);

    // --- the court rules from its own node
    const ruled = await at("court", "POST", `/v1/disputes/${before.disputeId}/ruling`, "court", { ruling: "enforce" });
    expect(ruled.status, JSON.stringify(ruled.body)).toBe(201);
    expect(ruled.body.dispute.status).toBe("solved");
    expect((await at("amcA", "GET", `/v1/cases/${claimId}?minBlock=${ruled.body.blockNumber}`, "amc")).body.state).toBe("ruled");
    // Not the bank: it is no arbitrator.
    expect((await at("bank", "POST", `/v1/disputes/${before.disputeId}/ruling`, "bank", { ruling: "dismiss" })).status).toBe(403);

    // --- the bundle verifies with `debtrail verify --rpc` against the chain alone (no Debtrail server)
    const file = join(net.dir, "bundle.json");
    writeFileSync(file, JSON.stringify(bundle));
    const cli = await new Promise<{ code: number | null; out: string }>((ok) => {
      let out = "";
      const p = spawn(process.execPath, [resolve("bin/debtrail.js"), "verify", file, "--rpc", net.json.rpc, "--json"], { env: { ...process.env, CHAIN_RPC_URL: "" } });
      p.stdout.on("data", (d) => (out += d));
      p.once("exit", (code) => ok({ code, out }));
    });
    expect(cli.code, cli.out).toBe(0);
    expect(JSON.parse(cli.out)).toMatchObject({ verified: true, chainId: Number(net.json.chainId) });
  }, 300_000);

  it("the market: the bank lists personal NPLs; amcA and amcB read the de-identified room from their own nodes; sealed bids; the higher wins; the handover reaches only the winner; the investor is refused", async () => {
    // --- the bank registers two personal NPLs at its node (names, phones, ID numbers, addresses, contract numbers)
    const people = [1, 2].map((n) => ({
      contractNo: `NET-MKT-${n}-${Date.now()}`, name: ["欧阳明轩", "司马静怡"][n - 1]!, idNumber: withIdCheckCharacter(`33010619850${n}0${n}2${n}${n}`),
      phone: `1390571${String(n).repeat(4)}`, street: `文三路${n}8${n}号${n}幢${n}0${n}室`,
    }));
    const claimIds: string[] = [];
    for (const p of people) {
      const r = await at("bank", "POST", "/v1/claims", "bank", claimRequest(p.contractNo, {
        originatorCode: "NETBANK", product: "consumer", region: "杭州",
        debtor: { name: p.name, idNumber: p.idNumber, phone: p.phone, type: "retail", debtorId: `D-${p.contractNo}`, address: `浙江省杭州市西湖区${p.street}` },
      }));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      claimIds.push(r.body.claimId);
    }
    const now = await chainTime();
    const cutOff = chinaDay(now * 1000, -1);

    // --- its data room at its node; amcA and amcB fetch it from their own nodes (signed requests between nodes)
    const room = await at("bank", "POST", "/v1/market/rooms", "bank", { claimIds, cutOff, label: "欧阳明轩等两户" });
    expect(room.status, JSON.stringify(room.body)).toBe(201);
    expect(room.body.rule).toEqual({ buyers: ["licensed-amc"], basis: "personal-buyer-not-amc" });
    const seen: string[] = [];
    for (const o of ["amcA", "amcB"] as const) {
      const r = await at(o, "POST", "/v1/market/peer-rooms", "amc", { seller: orgs.bank.address, roomId: room.body.roomId });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.tape.lines.map((l: any) => [l.claimId, l.idTail, l.district])).toEqual(claimIds.map((c, i) => [c.toLowerCase(), people[i]!.idNumber.slice(-4), "西湖区"]));
      expect(r.body.tape.lines.every((l: any) => BigInt(l.balance) > 0n)).toBe(true);
      seen.push(JSON.stringify(r.body), JSON.stringify((await at(o, "GET", "/v1/market/peer-rooms", "amc")).body));
    }
    // The qualified investor may not enter a bank's personal-NPL room (26号文): refused by the bank's node, the rule named.
    const invRoom = await at("investor", "POST", "/v1/market/peer-rooms", "amc", { seller: orgs.bank.address, roomId: room.body.roomId });
    expect(invRoom.status, JSON.stringify(invRoom.body)).toBe(403);
    expect(JSON.stringify(invRoom.body)).toContain("personal-buyer-not-amc");
    seen.push(JSON.stringify(invRoom.body));
    for (const p of people) {
      for (const secret of [p.name, p.phone, p.idNumber, p.idNumber.slice(0, 14), p.street, p.contractNo, `D-${p.contractNo}`]) expect(seen.join("\n").includes(secret), secret).toBe(false);
    }
    // Every access is in the bank's log: amcA's and amcB's shown, the investor's refused.
    const log = (await at("bank", "GET", `/v1/market/rooms/${room.body.roomId}/accesses`, "bank")).body;
    expect(log.chain).toBe("intact");
    expect(log.accesses.map((a: any) => [a.account.toLowerCase(), a.outcome]).sort()).toEqual([
      [orgs.amcA.address.toLowerCase(), "shown"], [orgs.amcB.address.toLowerCase(), "shown"], [orgs.investor.address.toLowerCase(), "refused"],
    ].sort());

    // --- the bank lists the package (hidden reserve): licensed AMCs only
    const listed = await at("bank", "POST", "/v1/market/listings", "bank", {
      label: `网络测试包 ${now}`, claimIds, cutoffDate: cutOff, commitEnd: now + 3600, revealEnd: now + 7200, executionPeriodSeconds: 2 * DAY,
      deposit: "1000000", reserve: "50000000", hideReserve: true, terms: { dataRoom: room.body.roomId },
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    expect(listed.body.licensedAmcOnly).toBe(true);
    const id: string = listed.body.listingId;

    // --- both bid sealed through their own nodes (each indexes the chain itself: it sees the listing once its index reached it);
    // the investor is refused at its own node by the chain's rule
    for (const o of ["amcA", "amcB", "investor"] as const) {
      await until(`the listing in ${o}'s index`, async () => ((await at(o, "GET", `/v1/market/listings/${id}`, "amc")).body.listing ? true : undefined), 30_000, o);
    }
    const bidA = at("amcA", "POST", `/v1/market/listings/${id}/bids`, "amc", { amount: "61000000", depositProof: "DEP-A-NET" });
    const bidB = at("amcB", "POST", `/v1/market/listings/${id}/bids`, "amc", { amount: "64000000", depositProof: "DEP-B-NET" });
    for (const b of await Promise.all([bidA, bidB])) expect(b.status, JSON.stringify(b.body)).toBe(201);
    const inv = await at("investor", "POST", `/v1/market/listings/${id}/bids`, "amc", { amount: "99000000", depositProof: "DEP-I-NET" });
    expect(inv.status, JSON.stringify(inv.body)).toBe(403);
    // The seller's node, before the reveal: two commitments, no amount.
    const sealed = await until("both commitments in the bank's index", async () => {
      const v = (await at("bank", "GET", `/v1/market/listings/${id}`, "bank")).body;
      return v.bids?.length === 2 ? v : undefined;
    }, 30_000, "bank");
    expect(sealed.bids.map((b: any) => [b.status, b.amount])).toEqual([["committed", null], ["committed", null]]);
    expect(JSON.stringify(sealed)).not.toMatch(/61000000|64000000/);
    expect(sealed.mine).toMatchObject({ reserve: "50000000", reserveHidden: true });
    expect((await at("amcA", "GET", `/v1/market/listings/${id}`, "amc")).body).toMatchObject({ mine: null, listing: { reserve: null }, myBid: { amount: "61000000" } });

    // --- the window closes (chain and daemons together): each bidder's node reveals its own bid by itself
    await net.advance(now + 3600 + 10 - (await chainTime()));
    const revealed = await until("both bids revealed by their nodes", async () => {
      const v = (await at("bank", "GET", `/v1/market/listings/${id}`, "bank")).body;
      return v.listing?.revealed === 2 ? v : undefined;
    }, 90_000, "amcB");
    expect(Object.fromEntries(revealed.bids.map((b: any) => [b.bidder.toLowerCase(), b.amount]))).toEqual({
      [orgs.amcA.address.toLowerCase()]: "61000000", [orgs.amcB.address.toLowerCase()]: "64000000",
    });
    await net.advance(now + 7200 + 10 - (await chainTime()));
    const award = await at("bank", "POST", `/v1/market/listings/${id}/award`, "bank");
    expect(award.status, JSON.stringify(award.body)).toBe(200);
    const awarded = await until("the award in amcB's index", async () => {
      const l = (await at("amcB", "GET", `/v1/market/listings/${id}`, "amc")).body.listing;
      return l?.status === "awarded" ? l : undefined;
    }, 30_000, "amcB");
    expect(awarded).toMatchObject({ status: "awarded", winningBid: "64000000", reserve: "50000000" });
    expect(awarded.winner.toLowerCase()).toBe(orgs.amcB.address.toLowerCase());

    // --- the winner pays (recorded), the seller executes the award as the sale; the loan files go to amcB's node alone
    expect((await at("amcA", "POST", `/v1/market/listings/${id}/payment`, "amc", { paymentProof: "PAY-A" })).status).toBe(403);
    expect((await at("amcB", "POST", `/v1/market/listings/${id}/payment`, "amc", { paymentProof: "PAY-B-NET" })).status).toBe(200);
    const exec = await at("bank", "POST", `/v1/market/listings/${id}/execute`, "bank", { notice: "债权转让通知：贵方所欠债务已转让予资产管理公司B。" });
    expect(exec.status, JSON.stringify(exec.body)).toBe(201);
    await until("the loan files delivered to amcB's node", async () => {
      const h = (await at("bank", "GET", `/v1/handover/outbox/${exec.body.handoverId}`, "bank")).body;
      return h.status === "delivered" ? h : undefined;
    }, 60_000, "bank");
    for (const [i, c] of claimIds.entries()) {
      const file = await at("amcB", "GET", `/v1/handover/claims/${c}/file?purpose=collection`, "amc");
      expect(file.status, JSON.stringify(file.body)).toBe(200);
      expect(file.body.file.record.debtor.name).toBe(people[i]!.name);
      expect((await at("amcA", "GET", `/v1/handover/claims/${c}/file?purpose=collection`, "amc")).status).toBe(403);
      expect((await at("amcA", "GET", `/v1/claims/${c}`, "amc")).body.offChain).toBeNull();
    }
    const inboxA = (await at("amcA", "GET", "/v1/handover/inbox", "amc")).body.handovers;
    expect(inboxA.map((h: any) => h.txHash)).not.toContain(exec.body.txHash.toLowerCase());
    expect((await at("amcB", "GET", "/v1/handover/inbox", "amc")).body.handovers).toEqual([expect.objectContaining({ status: "complete", txHash: exec.body.txHash.toLowerCase() })]);
    expect((await at("bank", "GET", `/v1/market/listings/${id}`, "bank")).body.listing).toMatchObject({ status: "sold", paid: true });
  }, 240_000);

  it("started again on its dir it finds its chain and stores; a chain that lost its state is deployed again and every store started afresh, the keys kept", async () => {
    expect(firstClaim).toBeDefined();
    const deployment = () => JSON.parse(readFileSync(join(net.dir, "deployment.json"), "utf8")) as { genesisHash: string; deploymentId: string };
    const first = { json: net.json, deployment: deployment() };
    provider.destroy();
    const pids = (["bank", "amcA", "amcB", "court"] as const).flatMap((o) => Object.values(net.pids(o)));
    expect(await net.stop({ keep: true })).toBe(0); // SIGTERM, as Ctrl-C: every child stops, the chain writes its state
    expect(existsSync(join(net.dir, "network.json"))).toBe(false); // present only while it runs
    expect(pids.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } })).toEqual([]);
    expect(await rpc(first.json.rpc, "eth_blockNumber").then(() => "up", () => "down")).toBe("down");

    // Again: the same chain (its state kept), the same deployment, the stores as they were.
    net = await startNetwork({}, 240_000, net);
    expect(net.json).toEqual(first.json);
    expect(deployment()).toEqual(first.deployment);
    const record = await at("bank", "GET", `/v1/claims/${firstClaim}`, "bank");
    expect(record.status).toBe(200);
    expect(record.body.offChain.contractNo).toBe("NET-001"); // its off-chain record, from its store
    await net.stop({ keep: true });

    // The chain loses its state: deployed again on the new chain; each organisation's store is a new one.
    const storeIno = Object.fromEntries((["bank", "amcA", "amcB", "court"] as const).map((o) => [o, statSync(join(net.dir, o, "db")).ino]));
    rmSync(join(net.dir, "chain", "state.json"));
    net = await startNetwork({}, 240_000, net);
    orgs = net.json.orgs;
    expect(deployment().genesisHash).not.toBe(first.deployment.genesisHash);
    expect(existsSync(`ignition/deployments/${first.deployment.deploymentId}`)).toBe(false);
    for (const o of ["bank", "amcA", "amcB", "court"] as const) {
      expect(orgs[o].address).toBe(first.json.orgs[o].address); // its identity
      expect(orgs[o].keys).toEqual(first.json.orgs[o].keys);
      expect(statSync(join(net.dir, o, "db")).ino).not.toBe(storeIno[o]);
    }
    expect((await at("bank", "GET", `/v1/claims/${firstClaim}`, "bank")).status).toBe(404);
    provider = new JsonRpcProvider(net.json.rpc, undefined, { cacheTimeout: -1, staticNetwork: true });
    expect(await provider.getCode(net.json.contracts.ClaimRegistry)).not.toBe("0x");
  }, 400_000);
});
