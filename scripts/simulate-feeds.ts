/**
 * `npm run simulate:feeds -- --claims 0xabc…,0xdef… [--seed 1] [--to 2026-03-10 (default yesterday)] [--days 60] [--out data/feeds.json] [--post http://127.0.0.1:8080 --key dev-bank]`
 *
 * Writes a seeded, reproducible feed file (format debtrail-feeds/1, docs/feeds.md) of outside data for a set
 * of claims, since no live court, registry or credit-bureau source is reachable here:
 *
 * - court enforcement (中国执行信息公开网 style): most debtors have no case; about one in five is a judgment
 *   debtor (被执行人) with one to three cases; about one in ten is on the dishonest list (失信被执行人); a few
 *   were listed and later taken off (two snapshots);
 * - property registry for secured claims: mostly only our first-ranking mortgage; some seizures by another
 *   court (首封/轮候查封); some mortgages ranking before ours;
 * - third-party appraisals for about two in five secured claims, around 90% of the appraisal on file;
 * - credit-bureau changes: mostly quiet; some new overdue debt elsewhere; some multiple borrowing; corporate
 *   debtors with a cross-bank 90+ days overdue share.
 *
 * Each record's `provenance.contentHash` is the keccak256 of a simulated source document (its text is not
 * kept). Claim ids come from --claims, --claims-file (JSON array or one per line) or --count (random ids).
 * With --post, the file is sent to POST /v1/feeds/import of a running API.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { Random } from "../src/core/synthetic.js";
import { contentHashOf } from "../src/core/evidence.js";
import { FEED_FILE_FORMAT, type FeedRecord } from "../src/core/feeds.js";

/** What the simulator knows of a claim. */
export interface SimClaim {
  claimId: string;
  debtorType?: "retail" | "corporate";
  /** Collateral appraisal on file, fen; undefined = unsecured, unless `secured` says otherwise. */
  appraisedValue?: string;
  secured?: boolean;
  /** Region code for the registry's source name. */
  region?: string;
}

export interface SimOptions {
  /** Last day a record may be fetched (YYYY-MM-DD); records are spread over `days` before it. */
  to: string;
  days?: number;
}

const COURTS = ["上海市浦东新区人民法院", "北京市朝阳区人民法院", "广州市天河区人民法院", "杭州市西湖区人民法院", "成都市武侯区人民法院", "武汉市江汉区人民法院", "深圳市南山区人民法院"];
const COURT_CODES = ["沪0115", "京0105", "粤0106", "浙0106", "川0107", "鄂0103", "粤0305"];
const APPRAISERS = ["华信房地产土地估价有限公司", "中联资产评估集团有限公司", "同致诚土地房地产估价有限公司", "世联评估价值咨询有限公司"];
const DAY = 86_400_000;

function pad(n: number, w: number): string {
  return String(n).padStart(w, "0");
}

/**
 * Feed records for `claims`, reproducible from `seed`, fetched within `days` before the end of `to`
 * (UTC+8 office hours), sorted by fetch time.
 */
export function simulateFeeds(seed: number, claims: readonly SimClaim[], options: SimOptions): FeedRecord[] {
  const rng = new Random(seed);
  const days = options.days ?? 60;
  const end = Date.parse(`${options.to}T00:00:00+08:00`);
  const at = (daysBack: number) => {
    const hour = rng.int(9, 17), minute = rng.int(0, 59);
    return new Date(end - daysBack * DAY + (hour - 8) * 3_600_000 + minute * 60_000).toISOString();
  };
  const day = (iso: string, back: number) => new Date(Date.parse(iso) - back * DAY).toISOString().slice(0, 10);
  const doc = (parts: unknown) => contentHashOf(JSON.stringify(parts));
  const out: FeedRecord[] = [];

  for (const c of claims) {
    const claimId = c.claimId.toLowerCase();
    const secured = c.secured ?? c.appraisedValue !== undefined;
    const onFile = c.appraisedValue !== undefined ? BigInt(c.appraisedValue) : BigInt(rng.int(80, 600)) * 1_000_000n;
    const region = (c.region ?? rng.pick(["shanghai", "beijing", "guangzhou", "hangzhou", "chengdu", "wuhan"])).toLowerCase();

    // Court enforcement: one snapshot, or listed then taken off the list.
    const u = rng.next();
    const courtCase = (dishonest: boolean, fetched: string) => {
      const k = rng.int(0, COURTS.length - 1);
      return {
        court: COURTS[k]!, caseNo: `(${fetched.slice(0, 4)})${COURT_CODES[k]}执${rng.int(100, 9999)}号`, filedAt: day(fetched, rng.int(10, 200)),
        amount: String(BigInt(rng.int(5, 500)) * 1_000_000n), dishonest, ...(dishonest ? { restrictedConsumption: true } : {}),
      };
    };
    const court = (cases: ReturnType<typeof courtCase>[], fetchedAt: string): FeedRecord => ({
      type: "court-enforcement", claimId,
      provenance: { source: "zxgk.court.gov.cn", fetchedAt, contentHash: doc(["zxgk", claimId, fetchedAt, cases]), reference: `ZX${fetchedAt.slice(0, 10).replaceAll("-", "")}${pad(rng.int(0, 999_999), 6)}` },
      data: { cases },
    });
    if (u < 0.65) out.push(court([], at(rng.int(0, days))));
    else if (u < 0.85) { const f = at(rng.int(0, days)); out.push(court(Array.from({ length: rng.int(1, 3) }, () => courtCase(false, f)), f)); }
    else if (u < 0.95) { const f = at(rng.int(0, days)); out.push(court([courtCase(true, f), ...(rng.chance(0.5) ? [courtCase(false, f)] : [])], f)); }
    else {
      const first = at(rng.int(Math.ceil(days / 2), days)), later = at(rng.int(0, Math.floor(days / 2) - 1));
      out.push(court([courtCase(false, first)], first), court([], later));
    }

    if (secured) {
      // Property registry: our mortgage, sometimes a senior one, sometimes a seizure.
      const fetchedAt = at(rng.int(0, days));
      const v = rng.next();
      const mortgages: { rank: number; amount: string; registeredAt: string; ours: boolean }[] = [];
      if (v >= 0.85 && v < 0.92) mortgages.push({ rank: 1, amount: String((onFile * BigInt(rng.int(10, 40))) / 100n), registeredAt: day(fetchedAt, rng.int(1500, 3000)), ours: false });
      mortgages.push({ rank: mortgages.length + 1, amount: String((onFile * 7n) / 10n), registeredAt: day(fetchedAt, rng.int(400, 1400)), ours: true });
      if (rng.chance(0.1)) mortgages.push({ rank: mortgages.length + 1, amount: String((onFile * BigInt(rng.int(5, 20))) / 100n), registeredAt: day(fetchedAt, rng.int(30, 300)), ours: false });
      const seizures = v >= 0.92 ? [{ court: rng.pick(COURTS), at: day(fetchedAt, rng.int(5, 60)), rank: rng.int(1, 2) }] : [];
      out.push({
        type: "property-registry", claimId,
        provenance: { source: `bdc.${region}.gov.cn`, fetchedAt, contentHash: doc(["bdc", claimId, fetchedAt, mortgages, seizures]) },
        data: { seizures, mortgages },
      });
      // Third-party appraisal.
      if (rng.chance(0.4)) {
        const f = at(rng.int(0, days));
        const factor = Math.max(0.5, Math.min(1.2, 0.9 + 0.1 * rng.normal()));
        const value = (onFile * BigInt(Math.round(factor * 10_000))) / 10_000n;
        out.push({
          type: "appraisal", claimId,
          provenance: { source: `appraisal:${pad(rng.int(1, 9999), 4)}`, fetchedAt: f, contentHash: doc(["appraisal", claimId, f, String(value)]) },
          data: { appraiser: rng.pick(APPRAISERS), reportNo: `估字(${f.slice(0, 4)})第${pad(rng.int(1, 9999), 4)}号`, valuedAt: day(f, rng.int(1, 10)), value: String(value), method: "market-comparison" },
        });
      }
    }

    // Credit bureau.
    const w = rng.next();
    const fetchedAt = at(rng.int(0, days));
    const corporate = c.debtorType === "corporate";
    out.push({
      type: "credit-bureau", claimId,
      provenance: { source: "credit.pbccrc.org.cn", fetchedAt, contentHash: doc(["pbccrc", claimId, fetchedAt, w]) },
      data: {
        reportDate: day(fetchedAt, 0),
        newOverdueElsewhere: w >= 0.75 && w < 0.9,
        ...(w >= 0.75 && w < 0.9 ? { overdueAmountElsewhere: String(BigInt(rng.int(1, 80)) * 1_000_000n) } : {}),
        newLoans90d: w >= 0.9 ? rng.int(3, 8) : rng.int(0, 1),
        inquiries90d: w >= 0.9 ? rng.int(6, 20) : rng.int(0, 4),
        ...(corporate ? { crossBankOverdue90Bps: w >= 0.75 ? rng.int(1_000, 4_000) : rng.int(0, 500) } : {}),
      },
    });
  }
  return out.sort((a, b) => (a.provenance.fetchedAt < b.provenance.fetchedAt ? -1 : a.provenance.fetchedAt > b.provenance.fetchedAt ? 1 : 0));
}

/** The feed file for `claims`: what POST /v1/feeds/import takes. */
export function simulateFeedFile(seed: number, claims: readonly SimClaim[], options: SimOptions) {
  return { format: FEED_FILE_FORMAT, generatedAt: `${options.to}T23:59:59+08:00`, generator: `scripts/simulate-feeds.ts seed ${seed}`, items: simulateFeeds(seed, claims, options) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string", default: "1" },
      to: { type: "string" },
      days: { type: "string", default: "60" },
      claims: { type: "string" },
      "claims-file": { type: "string" },
      count: { type: "string" },
      out: { type: "string", default: "data/feeds.json" },
      post: { type: "string" },
      key: { type: "string", default: "dev-bank" },
    },
  });
  const seed = Number(values.seed);
  let ids: string[] = [];
  if (values.claims) ids = values.claims.split(",").map((s) => s.trim()).filter(Boolean);
  else if (values["claims-file"]) {
    const text = readFileSync(values["claims-file"], "utf8").trim();
    ids = text.startsWith("[") ? (JSON.parse(text) as Array<string | { claimId: string }>).map((x) => (typeof x === "string" ? x : x.claimId)) : text.split(/\s+/);
  } else if (values.count) {
    const rng = new Random(seed ^ 0x5eed);
    ids = Array.from({ length: Number(values.count) }, () => `0x${Array.from({ length: 8 }, () => rng.int(0, 0xffffffff).toString(16).padStart(8, "0")).join("")}`);
  } else {
    console.error("give --claims 0x…,0x…, --claims-file FILE or --count N");
    process.exit(2);
  }
  for (const id of ids) if (!/^0x[0-9a-fA-F]{64}$/.test(id)) throw new Error(`not a claim id: ${id}`);
  // The simulator may read the clock (it is a script, not the core): by default records end yesterday (UTC+8),
  // so none is fetched "in the future" for the API.
  const to = values.to ?? new Date(Date.now() + 8 * 3_600_000 - DAY).toISOString().slice(0, 10);
  const file = simulateFeedFile(seed, ids.map((claimId) => ({ claimId, secured: true })), { to, days: Number(values.days) });
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify(file, null, 2) + "\n");
  const byType = new Map<string, number>();
  for (const r of file.items) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  console.log(`seed ${seed}: ${file.items.length} records for ${ids.length} claims (${[...byType].map(([t, n]) => `${n} ${t}`).join(", ")}) → ${values.out}`);
  if (values.post) {
    const res = await fetch(`${values.post.replace(/\/$/, "")}/v1/feeds/import`, {
      method: "POST", headers: { authorization: `Bearer ${values.key}`, "content-type": "application/json" }, body: JSON.stringify(file),
    });
    const body = await res.json() as { created?: number; duplicates?: number; message?: string };
    console.log(`POST /v1/feeds/import → ${res.status}${res.ok ? `: ${body.created} recorded, ${body.duplicates} already known` : `: ${body.message}`}`);
    if (!res.ok) process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
