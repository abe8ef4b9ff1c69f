/**
 * `npm run soak`, phase `network-kills`: the random fault campaign on `npm run network` (issue 16). Under a
 * running workload — the bank registers and sells, the AMCs' collectors send letters, holders and the bank's
 * repayment feed report the same statuses — one organisation at a time loses both its processes to SIGKILL
 * at a random point, `trials` times per organisation; the network's supervisor starts them again. Afterwards,
 * with every organisation up: each acknowledged claim registered once, each acknowledged sale on chain once,
 * each acknowledged letter anchored once (no root twice, every hash chain complete), every claim's last
 * status applied and no report transaction repeated or reverted. Gas per action from the receipts, and the
 * recovery times, go to docs/benchmarks.md (section soak:network).
 */
import { JsonRpcProvider, type TransactionReceipt } from "ethers";
import { ClaimRegistry__factory, CollectionClauses__factory, EvidenceLog__factory } from "../../types/ethers-contracts/index.js";
import { claimRequest, callAt } from "../../test/helpers/stack.js";
import { startNetwork, type OrgName, type TestNetwork } from "../../test/helpers/network.js";
import type { Random } from "../../src/core/synthetic.js";
import { machine, writeSection } from "../bench/report.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ORGS: OrgName[] = ["bank", "amcA", "amcB", "court"];
const DAY = 86_400;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0;
};

export async function networkCampaign(opts: { trials: number; rng: Random }): Promise<string> {
  const { trials, rng } = opts;
  const t0 = Date.now();
  const net: TestNetwork = await startNetwork({ NETWORK_ORACLE_INTERVAL_MS: "1000", NETWORK_EVIDENCE_BATCH_AGE_MS: "2000" }, 300_000);
  const startSeconds = (Date.now() - t0) / 1000;
  const provider = new JsonRpcProvider(net.json.rpc, undefined, { cacheTimeout: -1, staticNetwork: true });
  const { orgs, contracts } = net.json;
  const at = (org: OrgName, method: string, path: string, role: string, body?: unknown) =>
    callAt(orgs[org].api, method, path, orgs[org].keys[role], body).catch(() => ({ status: 0, body: null as any }));
  const chainTime = async () => (await provider.getBlock("latest"))!.timestamp;
  try {
    // ---- the book: 40 claims, half sold to each AMC
    let loanNo = 0;
    const claim = () => claimRequest(`NETSOAK-${++loanNo}`, { originatorCode: "NETBANK", debtor: { name: `网络压测${loanNo}`, idNumber: `3101011980010${String(loanNo).padStart(5, "0")}`, phone: "13900000000", type: "retail", debtorId: `NS-${loanNo}` } });
    const registered: string[] = [];
    const holderOf = new Map<string, OrgName>();
    const job = await at("bank", "POST", "/v1/claims/batch", "bank", { claims: Array.from({ length: 40 }, claim) });
    check(job.status === 202, `the book's batch: ${job.status}`);
    for (;;) {
      const j = (await at("bank", "GET", `/v1/jobs/${job.body.jobId}`, "bank")).body;
      if (j?.status === "done") {
        check(j.registered === 40, `the book: ${j.registered} of 40 registered`);
        registered.push(...[...j.results].sort((a: any, b: any) => a.index - b.index).map((r: any) => r.claimId as string));
        break;
      }
      await sleep(250);
    }
    const sales: Array<{ claimIds: string[]; to: OrgName; tx: string }> = [];
    for (const [k, to] of (["amcA", "amcB"] as const).entries()) {
      const ids = registered.slice(k * 20, k * 20 + 20);
      const r = await at("bank", "POST", "/v1/assignments", "bank", { claimIds: ids, to: orgs[to].address, packageId: `NETSOAK-${to}`, price: "1000", notice: "债权转让通知" });
      check(r.status === 201, `sale to ${to}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      sales.push({ claimIds: ids, to, tx: r.body.txHash });
      for (const id of ids) holderOf.set(id, to);
    }
    const held = (to: OrgName) => [...holderOf].filter(([, h]) => h === to).map(([id]) => id);

    // ---- the workload, while organisations die and come back
    let running = true;
    const letters: Array<{ recordId: string; org: OrgName; claimId: string }> = [];
    const counts = { registrations: 0, letters: 0, statuses: 0, refusedWhileDown: 0 };
    const bankLoop = (async () => {
      while (running) {
        const r = await at("bank", "POST", "/v1/claims", "bank", claim());
        if (r.status === 201) {
          registered.push(r.body.claimId);
          counts.registrations++;
        } else counts.refusedWhileDown++;
        await sleep(rng.int(500, 2000));
      }
    })();
    const letterLoop = (org: "amcA" | "amcB") => (async () => {
      while (running) {
        const ids = held(org);
        const claimId = ids[rng.int(0, ids.length - 1)];
        const r = await at(org, "POST", "/v1/evidence", "collector", {
          claimId, kind: "letter", channel: "post", direction: "outbound", actor: `soak-${org}`,
          occurredAt: new Date(((await chainTime()) - 1) * 1000).toISOString(), counterparty: { phone: "13900000000", relation: "debtor" }, content: `催收函 ${org} ${counts.letters}`,
        });
        if (r.status === 201) {
          letters.push({ recordId: r.body.recordId, org, claimId });
          counts.letters++;
        } else counts.refusedWhileDown++;
        await sleep(rng.int(200, 1000));
      }
    })();
    const letterLoops = [letterLoop("amcA"), letterLoop("amcB")];
    const statusLoop = (async () => {
      while (running) {
        const claimId = registered.slice(0, 40)[rng.int(0, 39)];
        const holder = holderOf.get(claimId)!;
        const s = { claimId, asOf: new Date((await chainTime()) * 1000).toISOString(), daysPastDue: [0, 3, 5][rng.int(0, 2)], outstanding: "85000000", collateralValue: "40000000", product: "mortgage", debtorType: "retail" };
        // The bank's repayment data first, then the holder's system: the holder's latest is then backed when both answered.
        const b = await at("bank", "POST", "/v1/loan-status", "feed", s);
        const h = b.status === 202 ? await at(holder, "POST", "/v1/loan-status", "amc", s) : { status: 0 };
        if (h.status === 202) counts.statuses++;
        else counts.refusedWhileDown++;
        await sleep(rng.int(300, 1500));
      }
    })();

    // ---- the kills: `trials` per organisation, in random order, one organisation down at a time
    const order = ORGS.flatMap((o) => Array.from({ length: trials }, () => o));
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const recovery: number[] = [];
    for (const [n, org] of order.entries()) {
      await sleep(rng.int(300, 5000));
      const { serve, oracle } = net.pids(org);
      for (const pid of [serve, oracle]) {
        try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
      }
      const killedAt = Date.now();
      const deadline = killedAt + 120_000;
      for (;;) {
        const now = net.pids(org);
        const up = now.serve !== serve && now.oracle !== oracle && (await fetch(`${orgs[org].api}/healthz`).then((r) => r.ok, () => false));
        if (up) break;
        check(Date.now() < deadline, `kill ${n + 1} (${org}): not back within 120 s\n${net.logs(org)}`);
        await sleep(100);
      }
      recovery.push((Date.now() - killedAt) / 1000);
      if ((n + 1) % 10 === 0) console.log(`network-kills: ${n + 1}/${order.length} kills, last ${org} back in ${recovery.at(-1)!.toFixed(1)} s`);
    }
    running = false;
    await Promise.all([bankLoop, ...letterLoops, statusLoop]);

    // ---- settle: a last status of every claim of the book, from both sides, with everyone up. Its days past due
    // (7) were never reported before, so it is a change for every claim (an unchanged figure is not reported again).
    const finalAsOf = new Date((await chainTime()) * 1000).toISOString();
    for (const claimId of registered.slice(0, 40)) {
      const s = { claimId, asOf: finalAsOf, daysPastDue: 7, outstanding: "85000000", collateralValue: "40000000", product: "mortgage", debtorType: "retail" };
      check((await at("bank", "POST", "/v1/loan-status", "feed", s)).status === 202, "final status at the bank");
      check((await at(holderOf.get(claimId)!, "POST", "/v1/loan-status", "amc", s)).status === 202, "final status at the holder");
    }
    const clauses = CollectionClauses__factory.connect(contracts.CollectionClauses, provider);
    const settleBy = Date.now() + 180_000;
    for (;;) {
      const cases = await Promise.all(registered.slice(0, 40).map((id) => clauses.caseOf(id)));
      if (cases.every((c) => Number(c.lastAsOf) === Date.parse(finalAsOf) / 1000)) break;
      const behind = registered.slice(0, 40).filter((_, i) => Number(cases[i].lastAsOf) !== Date.parse(finalAsOf) / 1000);
      check(Date.now() < settleBy, `the final statuses did not all apply: ${behind.length} claims behind (held by ${[...new Set(behind.map((id) => holderOf.get(id)))].join(", ")})\n${net.logs(holderOf.get(behind[0])!)}`);
      await sleep(1000);
    }

    // ---- checks: nothing lost, nothing twice
    const registry = ClaimRegistry__factory.connect(contracts.ClaimRegistry, provider);
    const regCount = new Map<string, number>();
    for (const e of await registry.queryFilter(registry.filters.ClaimRegistered(), 0)) regCount.set(e.args.claimId, (regCount.get(e.args.claimId) ?? 0) + 1);
    for (const id of registered) check(regCount.get(id) === 1, `claim ${id} registered ${regCount.get(id) ?? 0} times`);
    const assigned = await registry.queryFilter(registry.filters.ClaimAssigned(), 0);
    check(assigned.length === 40, `${assigned.length} assignments on chain, 40 acknowledged`);
    const roots = new Set<string>();
    const evidenceLog = EvidenceLog__factory.connect(contracts.EvidenceLog, provider);
    for (const e of await evidenceLog.queryFilter(evidenceLog.filters.RootAnchored(), 0)) {
      check(!roots.has(e.args.root), `root ${e.args.root} anchored twice`);
      roots.add(e.args.root);
    }
    const anchorBy = Date.now() + 120_000;
    for (const l of letters) {
      for (;;) {
        const r = await at(l.org, "GET", `/v1/evidence/${l.recordId}/receipt`, "amc");
        if (r.status === 200 && r.body.anchor) {
          check(roots.has(r.body.root) || (await evidenceLog.anchoredAt(r.body.root)).timestamp > 0n, `letter ${l.recordId}: root not anchored`);
          break;
        }
        check(Date.now() < anchorBy, `letter ${l.recordId} at ${l.org} never anchored (${r.status})`);
        await sleep(500);
      }
    }
    for (const org of ["amcA", "amcB"] as const) {
      for (const claimId of held(org)) {
        const ev = (await at(org, "GET", `/v1/claims/${claimId}/evidence`, "amc")).body;
        check(ev.complete === true, `${org}: the hash chain of ${claimId} is broken`);
        const mine = letters.filter((l) => l.claimId === claimId).map((l) => l.recordId);
        const present = new Set(ev.records.map((r: any) => r.recordId));
        check(mine.every((id) => present.has(id)), `${org}: an acknowledged letter of ${claimId} is missing`);
      }
    }
    const applied = await clauses.queryFilter(clauses.filters.ReportApplied(), 0);
    const byClaim = new Map<string, number[]>();
    for (const e of applied) byClaim.set(e.args.claimId, [...(byClaim.get(e.args.claimId) ?? []), Number(e.args.nonce)]);
    for (const [id, nonces] of byClaim) check(nonces.every((n, i) => n === i), `claim ${id}: report nonces ${nonces.join(",")}`);
    // Every transaction any organisation sent succeeded: nothing was sent twice and reverted.
    const blocks = await provider.getBlockNumber();
    const orgAccounts = new Set<string>();
    for (const o of ORGS) {
      orgAccounts.add(orgs[o].address.toLowerCase());
      orgAccounts.add(String((await at(o, "GET", "/v1/oracle/status", o === "bank" ? "bank" : o === "court" ? "court" : "amc")).body.signer).toLowerCase());
    }
    const receipts: TransactionReceipt[] = [];
    for (let b = 1; b <= blocks; b++) {
      const block = await provider.getBlock(b, false);
      for (const h of block?.transactions ?? []) {
        const r = (await provider.getTransactionReceipt(h))!;
        if (orgAccounts.has(r.from.toLowerCase())) receipts.push(r);
      }
    }
    const reverted = receipts.filter((r) => r.status !== 1);
    check(reverted.length === 0, `${reverted.length} transactions of the organisations reverted: ${reverted.slice(0, 3).map((r) => r.hash).join(", ")}`);

    // ---- gas per action from the receipts (and one claim walked to a ruling for the last two)
    const gas = await gasPerAction(net, provider, receipts, at, chainTime, claim, sales);
    const restarts = recovery.length;
    const detail = `${restarts} SIGKILLs (${trials} per organisation) under load: ${counts.registrations} claims registered, ${counts.letters} letters, ${counts.statuses} statuses acknowledged (${counts.refusedWhileDown} requests refused by a dead organisation); every acknowledged claim registered once, every letter anchored once (${roots.size} roots, none twice), every claim's last status applied, ${receipts.length} transactions of the organisations, none reverted`;
    writeSection("soak:network", [
      "## A network of organisations under faults (`npm run soak`, phase network-kills)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; \`npm run network\` (anvil, a block every 2 s, chain id ${net.json.chainId}; four organisations, each \`debtrail serve\` + \`debtrail oracle\`), seed ${process.env.SOAK_SEED ?? 7}.`,
      "",
      `- network up (network.json written) ${startSeconds.toFixed(0)} s after start, contracts compiled before`,
      `- ${detail}`,
      `- back after a SIGKILL (both processes restarted, /healthz answering): median ${pct(recovery, 0.5).toFixed(1)} s, p95 ${pct(recovery, 0.95).toFixed(1)} s, max ${Math.max(...recovery).toFixed(1)} s`,
      "",
      "Gas per action, from the receipts of this run (k = 2 signatures per report):",
      "",
      "| action | transactions | gas per transaction (mean) | per item |",
      "| --- | ---: | ---: | --- |",
      ...gas.map((g) => `| ${g.action} | ${g.count} | ${g.mean.toLocaleString("en")} | ${g.perItem} |`),
    ].join("\n"));
    return detail;
  } finally {
    provider.destroy();
    await net.stop();
  }
}

type At = (org: OrgName, method: string, path: string, role: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Mean gas per kind of action among the organisations' receipts; walks one claim to a ruling for the dispute's actions. */
async function gasPerAction(
  net: TestNetwork, provider: JsonRpcProvider, receipts: TransactionReceipt[], at: At, chainTime: () => Promise<number>,
  claim: () => ReturnType<typeof claimRequest>, sales: Array<{ claimIds: string[]; tx: string }>,
) {
  const { orgs, contracts } = net.json;
  // One claim to arbitration and a ruling (the test clock: the 7-day notices pass in seconds).
  const reg = await at("bank", "POST", "/v1/claims", "bank", { ...claim(), clauses: { warnDays: 1, demandDays: 30, arbitrationDays: 90, coverageBps: 12_000, noticeDays: 7 } });
  check(reg.status === 201, "the ruling's claim");
  const claimId: string = reg.body.claimId;
  const feed = async (dpd: number) => {
    const s = { claimId, asOf: new Date((await chainTime()) * 1000).toISOString(), daysPastDue: dpd, outstanding: "85000000", collateralValue: "40000000", product: "mortgage", debtorType: "retail" };
    check((await at("court", "POST", "/v1/loan-status", "feed", s)).status === 202, "court feed");
    check((await at("bank", "POST", "/v1/loan-status", "bank", s)).status === 202, "bank status");
  };
  const state = async () => (await at("bank", "GET", `/v1/cases/${claimId}`, "bank")).body.state;
  const until = async (want: string) => {
    const by = Date.now() + 90_000;
    while ((await state()) !== want) {
      check(Date.now() < by, `the ruling's claim never reached ${want}`);
      await sleep(500);
    }
  };
  await feed(5);
  await until("warned");
  await net.advance(8 * DAY);
  await feed(40);
  await until("demanded");
  await net.advance(8 * DAY);
  await feed(95);
  await until("in-arbitration");
  let disputeId: string | null = null;
  for (const by = Date.now() + 30_000; !disputeId; await sleep(250)) {
    disputeId = (await at("court", "GET", `/v1/cases/${claimId}`, "court")).body?.disputeId ?? null; // the court's own index
    check(Date.now() < by, "the court's node never saw the dispute");
  }
  const ruled = await at("court", "POST", `/v1/disputes/${disputeId}/ruling`, "court", { ruling: "enforce" });
  check(ruled.status === 201, `ruling ${ruled.status}`);
  const more = await Promise.all([reg.body.txHash, ruled.body.txHash].map((h: string) => provider.getTransactionReceipt(h)));
  const all = [...receipts, ...(more.filter(Boolean) as TransactionReceipt[])];
  const clauses = CollectionClauses__factory.createInterface();
  const registry = ClaimRegistry__factory.createInterface();
  const evidence = EvidenceLog__factory.createInterface();
  const kinds = new Map<string, { gas: bigint[]; items: number[] }>();
  const add = (k: string, r: TransactionReceipt, items = 1) => {
    const e = kinds.get(k) ?? { gas: [], items: [] };
    e.gas.push(r.gasUsed);
    e.items.push(items);
    kinds.set(k, e);
  };
  const saleTx = new Map(sales.map((s) => [s.tx, s.claimIds.length]));
  for (const r of all) {
    const names = r.logs.map((l) => {
      for (const iface of [clauses, registry, evidence]) {
        try {
          const parsed = iface.parseLog({ topics: [...l.topics], data: l.data });
          if (parsed) return parsed.name;
        } catch { /* another contract's */ }
      }
      return undefined;
    });
    const n = (name: string) => names.filter((x) => x === name).length;
    if (saleTx.has(r.hash)) add("package sale (`assign`)", r, saleTx.get(r.hash)!);
    else if (n("ClaimRegistered") > 0) add("claim registration (`POST /v1/claims` one at a time; the book's one job of 40)", r, n("ClaimRegistered"));
    else if (n("ReportApplied") > 0) add("oracle reports (`submitReports`, 2 signatures each)", r, n("ReportApplied"));
    else if (n("RootAnchored") > 0) add("evidence anchor (`anchor`, one Merkle root)", r);
    else if (n("Evidence") > 0) add("dispute evidence link (ERC-1497 `submitEvidence`)", r);
    else if (n("Ruling") > 0 || r.hash === ruled.body.txHash) add("ruling (`rule`, executed on the case)", r);
  }
  void orgs;
  void contracts;
  return [...kinds].map(([action, { gas, items }]) => {
    const total = gas.reduce((a, b) => a + b, 0n);
    const itemCount = items.reduce((a, b) => a + b, 0);
    const mean = Number(total / BigInt(gas.length));
    return { action, count: gas.length, mean, perItem: itemCount > gas.length ? `${Math.round(Number(total) / itemCount).toLocaleString("en")} gas per item (${(itemCount / gas.length).toFixed(1)} items per transaction)` : "—" };
  });
}
