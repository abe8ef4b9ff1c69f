/**
 * Demo portfolio for the local dev stack: a few hundred claims across products, regions and case
 * states, sold in packages to the demo AMC, with collection evidence (and refused attempts), oracle
 * reports driving cases through warnings and demands (each after its notice period, in block time),
 * two disputes (one ruled, one waiting) — so a newcomer who runs `npm start` sees a living system.
 * Talks to the API over HTTP with the documented dev keys only; moves the dev chain's clock
 * (evm_increaseTime), so it refuses to run on anything but the local dev chain.
 *
 * Time: the chain's history must end at or before the wall clock (an anchor dated after a court's
 * check, or today's statuses refused as older than the chain's, would follow). So the dev chain starts
 * in the past (`npm start` sets DEBTRAIL_CHAIN_START, {@link demoHistoryDays} days back), the seed walks
 * its notice periods forward from there, never past the wall clock, and finally brings the chain to now.
 */
import { isDevNode } from "../config/dev-chain.js";
import { JsonRpcProvider } from "ethers";
import { DEV_PII_SECRET } from "../config/config.js";
import { Random, REGION_NAMES, generateCaseHistory } from "../core/synthetic.js";
import { comparableToRow } from "../core/comparables.js";
import { withIdCheckCharacter } from "../core/id-number.js";
import { regionOf } from "../core/regions.js";

export interface SeedOptions {
  api: string;
  rpcUrl: string;
  claims?: number;
  seed?: number;
  log?: (line: string) => void;
  /** The API's originator secret (config.loanRefSecret), to find the first demo claim's id; the dev default otherwise. */
  loanSecret?: string;
}

export interface SeedResult {
  seeded: boolean;
  claims: number;
  sold: number;
  evidence: number;
  disputes: number;
}

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建国", "海燕", "志强"];
const COMPANIES = ["华盛机械制造有限公司", "锦程物流有限公司", "恒信建材有限公司", "新安纺织有限公司", "鼎元食品有限公司", "瑞丰电子科技有限公司"];
const PRODUCTS = ["mortgage", "consumer", "credit-card", "sme", "corporate"] as const;
const PRODUCT_WEIGHTS = [0.35, 0.2, 0.15, 0.18, 0.12];
const DAY = 86_400;

export const DEMO_ORIGINATOR = "DEVBANK";

/** Seconds the chain stays behind the wall clock when the seed brings it to now. */
const NOW_MARGIN = 2;

/**
 * Days of chain history the seed needs before now: warning, demand and arbitration, each a notice
 * period (the claims' default: 15 days, or the deployment's minimum if longer) and a day apart, plus slack.
 */
export function demoHistoryDays(minNoticeDays = 7): number {
  return 2 * (Math.max(15, minNoticeDays) + 1) + 4;
}

/** Brings a chain that lies behind the wall clock up to it (never past it): later blocks follow the wall clock. */
export async function catchUpToWallClock(provider: JsonRpcProvider, nowMs = Date.now()): Promise<void> {
  const chain = (await provider.getBlock("latest"))!.timestamp;
  const gap = Math.floor(nowMs / 1000) - NOW_MARGIN - chain;
  if (gap <= 0) return;
  await provider.send("evm_increaseTime", [gap]);
  await provider.send("evm_mine", []);
}
export const demoContractNo = (i: number) => `DEMO-${String(i).padStart(4, "0")}`;

async function api(base: string, method: string, path: string, key: string | undefined, body?: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": typeof body === "string" ? "text/csv" : "application/json" } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return parsed;
}

/** Seeds the demo portfolio unless its first claim exists already (idempotent per chain). */
export async function seedDemo(opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const n = opts.claims ?? 300;
  const rng = new Random(opts.seed ?? 20261123);
  const provider = new JsonRpcProvider(opts.rpcUrl, undefined, { cacheTimeout: -1 });
  try {
    // It moves the chain's clock (evm_increaseTime) and uses the dev keys: a local dev node only, whatever its chain id.
    const client = String(await provider.send("web3_clientVersion", []));
    if (!isDevNode(client)) throw new Error(`the demo seed only runs on a local dev node (Hardhat or anvil), not ${client}`);
    const status = await fetch(`${opts.api}/v1/claims/${await firstDemoClaimId(opts.loanSecret)}`, { headers: { authorization: "Bearer dev-admin" } });
    if (status.status === 200) return { seeded: false, claims: 0, sold: 0, evidence: 0, disputes: 0 };

    const chainNow = async () => (await provider.getBlock("latest"))!.timestamp;
    /** Moves the chain on, never past the wall clock. */
    const advance = async (days: number) => {
      const to = (await chainNow()) + Math.round(days * DAY);
      if (to > Date.now() / 1000 - NOW_MARGIN) {
        throw new Error(`the demo seed would move the chain past the wall clock: start the dev chain at least ${demoHistoryDays()} days in the past (npm start sets DEBTRAIL_CHAIN_START)`);
      }
      await provider.send("evm_increaseTime", [Math.round(days * DAY)]);
      await provider.send("evm_mine", []);
    };
    try {
      return await seed(opts, log, n, rng, provider, chainNow, advance);
    } finally {
      // Whatever happened, the chain's clock is the wall clock's from here on.
      await catchUpToWallClock(provider);
    }
  } finally {
    provider.destroy();
  }
}

async function seed(
  opts: SeedOptions, log: (line: string) => void, n: number, rng: Random, provider: JsonRpcProvider,
  chainNow: () => Promise<number>, advance: (days: number) => Promise<void>,
): Promise<SeedResult> {
  // Comparable cases for valuations.
  const { cases } = generateCaseHistory(7, { count: 4000 });
  await api(opts.api, "POST", "/v1/comparables/import", "dev-admin", { cases: cases.map(comparableToRow) });
  log(`demo: imported ${cases.length} comparable cases`);

  // Claims.
  const claims = Array.from({ length: n }, (_, i) => {
    const product = rng.weighted(PRODUCTS, PRODUCT_WEIGHTS);
    const corporate = product === "corporate" || (product === "sme" && rng.chance(0.6));
    const region = rng.pick(REGION_NAMES);
    const size = product === "credit-card" ? 3_000_000 : product === "consumer" ? 10_000_000 : product === "mortgage" ? 150_000_000 : product === "sme" ? 400_000_000 : 2_000_000_000;
    const principal = Math.max(100_000, Math.round(size * Math.exp(0.5 * rng.normal())));
    const outstanding = Math.round(principal * (0.4 + 0.55 * rng.next()));
    const year = rng.int(2018, 2023);
    const withCollateral = product === "mortgage" || (product !== "credit-card" && product !== "consumer" && rng.chance(0.6));
    // A company is named after its own city, in Chinese ("沈阳华盛机械制造有限公司"); the second pick keeps the
    // demo's random stream (and so its portfolio) as it was.
    const city = regionOf(region)?.zh.replace(/市$/, "") ?? "";
    const name = corporate ? (rng.pick(REGION_NAMES), `${city}${rng.pick(COMPANIES)}`) : `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}`;
    return {
      originatorCode: DEMO_ORIGINATOR,
      contractNo: demoContractNo(i),
      debtor: {
        name,
        idNumber: corporate ? `91${String(310000000000000 + i * 7919).padStart(16, "0")}` : withIdCheckCharacter(`${regionOf(region)?.code ?? "110101"}19${String(70 + (i % 30)).padStart(2, "0")}0101${String(1000 + i).slice(-3)}`),
        phone: `13${rng.int(0, 9)}${String(rng.int(0, 99_999_999)).padStart(8, "0")}`,
        type: corporate ? "corporate" : "retail",
        debtorId: `DEMO-D-${i}`,
        timeZone: "Asia/Shanghai",
      },
      principal: String(principal),
      outstanding: String(outstanding),
      originatedAt: `${year}-${String(rng.int(1, 12)).padStart(2, "0")}-15`,
      maturityAt: `${year + rng.int(3, 8)}-06-30`,
      product,
      region,
      ...(withCollateral
        ? { collateral: { type: rng.weighted(["residential", "commercial", "industrial"], [0.7, 0.2, 0.1]), region, areaSqm: rng.int(50, 400), appraisedValue: String(Math.round(outstanding * (0.5 + rng.next()))), appraisedAt: `${year}-03-01` } }
        : {}),
    };
  });
  const job = await api(opts.api, "POST", "/v1/claims/batch", "dev-bank", { claims });
  let jobState;
  do {
    await new Promise((r) => setTimeout(r, 250));
    jobState = await api(opts.api, "GET", `/v1/jobs/${job.jobId}`, "dev-bank");
  } while (jobState.status !== "done");
  const ids: string[] = jobState.results.filter((r: any) => r.status === "registered").map((r: any) => r.claimId);
  log(`demo: registered ${ids.length} claims`);

  // Two thirds sold to the demo AMC in packages of 50.
  const amc = (await api(opts.api, "GET", "/v1/me", "dev-amc")).address;
  const sold = ids.filter((_, i) => i % 3 !== 0);
  for (let p = 0; p * 50 < sold.length; p++) {
    const chunk = sold.slice(p * 50, p * 50 + 50);
    const price = chunk.reduce((sum, id) => sum + BigInt(claims[ids.indexOf(id)].outstanding) * 3n / 10n, 0n);
    await api(opts.api, "POST", "/v1/assignments", "dev-bank", {
      claimIds: chunk, to: amc, packageId: `PKG-DEMO-${p + 1}`, price: price.toString(),
      notice: `债权转让通知（第 ${p + 1} 包）：本行已将所列债权转让予受让方，请向受让方履行还款义务。Notice of assignment (package ${p + 1}).`,
    });
  }
  log(`demo: sold ${sold.length} claims to the demo AMC in ${Math.ceil(sold.length / 50)} packages`);

  // Loan statuses, in three rounds with the chain's clock moving: overdue → warned; a notice period later
  // demanded; another notice period later two arbitrations (the clauses measure notice periods in block time).
  const dpdOf = ids.map(() => rng.weighted([0, rng.int(1, 29), rng.int(31, 89), rng.int(91, 400)], [0.35, 0.25, 0.2, 0.2]));
  const collateralOf = ids.map((_, i) => {
    const c = claims[i];
    // Well covered (≥ 130 %) everywhere but the claims meant for arbitration.
    return (BigInt(c.outstanding) * 13n) / 10n;
  });
  const arbitrationIndexes = dpdOf.flatMap((d, i) => (d > 90 && sold.includes(ids[i]) ? [i] : [])).slice(0, 2);
  for (const i of arbitrationIndexes) collateralOf[i] = BigInt(claims[i].outstanding) / 3n;
  const noticeDays = ids.length > 0 ? (await api(opts.api, "GET", `/v1/claims/${ids[0]}`, "dev-bank")).onChain.clauses.noticeDays as number : 15;
  const soldSet = new Set(sold);
  const feed = async (dpdShift: number, only?: (i: number) => boolean) => {
    const asOf = new Date((await chainNow()) * 1000).toISOString();
    const statusOf = (claimId: string, i: number) => ({
      claimId, asOf, daysPastDue: dpdOf[i] === 0 ? 0 : dpdOf[i] + dpdShift, outstanding: claims[i].outstanding, collateralValue: collateralOf[i].toString(),
    });
    // Each claim's status comes from its current holder: the bank for what it kept, the AMC for what it bought.
    for (const [key, held] of [["dev-bank", false], ["dev-amc", true]] as const) {
      const statuses = ids.flatMap((claimId, i) => (only && !only(i)) || soldSet.has(claimId) !== held ? [] : [statusOf(claimId, i)]);
      if (statuses.length > 0) await api(opts.api, "POST", "/v1/loan-status/batch", key, { statuses });
    }
    return api(opts.api, "POST", "/v1/oracle/run", "dev-admin");
  };
  await feed(0);
  await advance(noticeDays + 1);
  await feed(noticeDays + 1, (i) => dpdOf[i] >= 30);
  await advance(noticeDays + 1);
  const last = await feed(2 * (noticeDays + 1), (i) => dpdOf[i] >= 30);
  log(`demo: oracle cycles done (last: ${last.applied} reports applied)`);

  // The chain's history ends now: evidence and rulings happen at the wall clock's time.
  await catchUpToWallClock(provider);

  // Collection evidence on the AMC's claims, in the last days, at proper hours.
  const now = await chainNow();
  const records: any[] = [];
  for (const [k, claimId] of sold.entries()) {
    if (k % 2 !== 0) continue;
    const i = ids.indexOf(claimId);
    const contacts = rng.int(1, 4);
    for (let c = 0; c < contacts; c++) {
      const kind = rng.weighted(["call", "sms", "letter", "visit"], [0.5, 0.25, 0.15, 0.1]);
      const day = now - (contacts - c) * DAY;
      const local = new Date((day + 8 * 3600) * 1000).toISOString().slice(0, 10);
      records.push({
        claimId, kind, channel: kind === "call" ? "phone" : kind === "sms" ? "sms" : kind === "letter" ? "post" : "in-person",
        direction: "outbound", occurredAt: `${local}T${String(rng.int(9, 19)).padStart(2, "0")}:${String(rng.int(0, 59)).padStart(2, "0")}:00+08:00`,
        actor: "demo-collector-01",
        counterparty: { name: claims[i].debtor.name, phone: claims[i].debtor.phone, relation: "debtor" },
        content: kind === "call" ? `电话联系${claims[i].debtor.name}，告知逾期情况，对方表示将于月底前还款。` : `催收${kind === "sms" ? "短信" : kind === "letter" ? "函件" : "上门走访记录"}：请尽快归还逾期款项。`,
      });
    }
  }
  // One attempt at night: refused by the contact-hours rule and kept for audit.
  const nightDay = new Date((now - DAY + 8 * 3600) * 1000).toISOString().slice(0, 10);
  records.push({ ...records[0], kind: "call", channel: "phone", occurredAt: `${nightDay}T22:30:00+08:00`, content: "夜间来电（应被拒绝）" });
  const ev = await api(opts.api, "POST", "/v1/evidence/batch", "dev-collector", { records });
  await api(opts.api, "POST", "/v1/evidence/flush", "dev-admin");
  log(`demo: ${ev.accepted} evidence records anchored, ${ev.refused} refused by compliance rules`);

  // The disputes: the court rules on the first (final, executed at once); the second waits for its ruling.
  let disputes = 0;
  for (const [k, i] of arbitrationIndexes.entries()) {
    const c = await api(opts.api, "GET", `/v1/cases/${ids[i]}`, "dev-court");
    if (!c.disputeId) continue;
    disputes++;
    if (k === 0) {
      await api(opts.api, "POST", `/v1/disputes/${c.disputeId}/ruling`, "dev-court", { ruling: "enforce" });
      log(`demo: dispute ${c.disputeId} on claim ${ids[i]} ruled (enforce): final and executed`);
    } else {
      log(`demo: dispute ${c.disputeId} on claim ${ids[i]} waits for the court's ruling`);
    }
  }
  return { seeded: true, claims: ids.length, sold: sold.length, evidence: ev.accepted, disputes };
}

/** Claim id of the demo portfolio's first claim. */
export async function firstDemoClaimId(loanSecret: string = DEV_PII_SECRET): Promise<string> {
  const { normalizeClaim } = await import("../core/claim-input.js");
  return normalizeClaim({
    originatorCode: DEMO_ORIGINATOR, contractNo: demoContractNo(0),
    debtor: { name: "x", idNumber: "X0000", type: "retail", debtorId: "x" },
    principal: "1", outstanding: "1", originatedAt: "2020-01-01", maturityAt: "2021-01-01", product: "consumer",
  } as never, loanSecret).claimId;
}
