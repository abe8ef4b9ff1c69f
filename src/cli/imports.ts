/**
 * `debtrail import loan-status|cases <file>` and `debtrail assess <file>`.
 *
 * Imports go in chunks (--chunk) with a progress bar on stderr. The API takes a chunk all or nothing, so
 * when it refuses one for a bad row — the error names the row (`statuses[3].asOf`, `cases[12].area`) or
 * the claim — that row is set aside as failed, with the reason, and the rest of the chunk is sent again.
 * At the end: how many went in, and each failure with its row (and CSV line) and why.
 * Exit codes: 0 all in, 3 some failed, 1 none went in (or the file is malformed), 2 usage (no or
 * unreadable file), 4 the API is unreachable or failing.
 */
import { readFile } from "node:fs/promises";
import { parseCsvTable, type CsvTable } from "../core/csv.js";
import { t, type Lang } from "../i18n/messages.js";
import { formatMajor } from "../core/money.js";
import { EXIT, CliExit, send, errorMessage, request, progress, type Ctx } from "./common.js";

/** One row of an import file: its position (1-based data row), CSV line, and the value sent. */
interface Row<V> {
  row: number;
  line?: number;
  value: V;
}

export interface Failure {
  row: number;
  line?: number;
  claimId?: string;
  caseId?: string;
  error: string;
  field?: string;
  message: string;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const MONEY = /^(0|[1-9][0-9]{0,38})$/;

async function readText(ctx: Ctx, file: string | undefined): Promise<string> {
  if (!file) throw new CliExit(EXIT.usage, t(ctx.lang, "cli.missingArg", { name: "file" }));
  try {
    return (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
  } catch (e) {
    throw new CliExit(EXIT.usage, t(ctx.lang, "import.unreadable", { file, reason: (e as NodeJS.ErrnoException).code === "ENOENT" ? t(ctx.lang, "verify.noSuchFile") : (e as Error).message }));
  }
}

function isJson(file: string, text: string): boolean {
  return /\.json$/i.test(file) || /^\s*[[{]/.test(text);
}

function parseJson(ctx: Ctx, file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliExit(EXIT.failed, t(ctx.lang, "import.badFile", { file, reason: `not valid JSON: ${(e as Error).message}` }));
  }
}

/** CSV records (header row = keys) with the line each starts on. */
function parseCsvRows(ctx: Ctx, file: string, text: string, required: readonly string[]): Row<Record<string, string>>[] {
  let table: CsvTable;
  try {
    table = parseCsvTable(text);
  } catch (e) {
    throw new CliExit(EXIT.failed, t(ctx.lang, "import.badFile", { file, reason: `not valid CSV: ${(e as Error).message}` }));
  }
  const { header, rows } = table;
  for (const c of required) {
    if (rows.length > 0 && !header.includes(c)) throw new CliExit(EXIT.failed, t(ctx.lang, "import.badFile", { file, reason: `column ${c} is required in the header row` }));
  }
  return rows.map((r, i) => ({ row: i + 1, line: r.line, value: r.record }));
}

function failureLine(lang: Lang, f: Failure): string {
  const what = f.claimId ?? f.caseId;
  const message = `${what ? `${what}: ` : ""}${f.message}`;
  return f.line !== undefined ? t(lang, "import.rowFailureLine", { row: f.row, line: f.line, message }) : t(lang, "import.rowFailure", { row: f.row, message });
}

function exitOf(ok: number, failed: number): number {
  if (failed === 0) return EXIT.ok;
  return ok > 0 ? EXIT.partial : EXIT.failed;
}

/**
 * Sends `rows` in chunks; a refused chunk loses the row its error names (`badIndex`), and is sent again.
 * @returns per accepted chunk the API's answer
 */
async function sendChunks<V>(
  ctx: Ctx,
  label: string,
  rows: Row<V>[],
  chunkSize: number,
  post: (values: V[]) => Promise<{ status: number; body: any }>,
  badIndices: (body: any, chunk: Row<V>[]) => number[],
  describe: (row: Row<V>) => Partial<Failure>,
): Promise<{ failures: Failure[]; answers: { rows: number; body: any }[] }> {
  const failures: Failure[] = [];
  const answers: { rows: number; body: any }[] = [];
  const bar = progress(ctx, label);
  let done = 0;
  bar.update(0, rows.length);
  for (let start = 0; start < rows.length; start += chunkSize) {
    let pending = rows.slice(start, start + chunkSize);
    const size = pending.length;
    while (pending.length > 0) {
      const res = await post(pending.map((r) => r.value));
      if (res.status < 300) {
        answers.push({ rows: pending.length, body: res.body });
        break;
      }
      if (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 429) {
        bar.end();
        throw new CliExit(res.status >= 500 ? EXIT.unavailable : EXIT.failed, t(ctx.lang, "cli.error", { status: res.status, message: errorMessage(res.body, res.status) }));
      }
      let bad = badIndices(res.body, pending).filter((k) => k >= 0 && k < pending.length);
      if (bad.length === 0 && pending.length === 1) bad = [0];
      if (bad.length === 0) {
        // The error names no row: the whole chunk fails with it.
        for (const r of pending) failures.push({ row: r.row, line: r.line, ...describe(r), error: res.body?.error ?? String(res.status), field: res.body?.field, message: errorMessage(res.body, res.status) });
        break;
      }
      const set = new Set(bad);
      for (const k of bad) {
        const r = pending[k]!;
        const listed = (res.body?.details?.errors as any[] | undefined)?.find((e) => e.row === k);
        const field = listed?.field ?? res.body?.field;
        const message = listed ? `${listed.field}: ${listed.rule}` : errorMessage(res.body, res.status);
        failures.push({ row: r.row, line: r.line, ...describe(r), error: res.body?.error ?? String(res.status), field, message });
      }
      pending = pending.filter((_, k) => !set.has(k));
    }
    done += size;
    bar.update(done, rows.length);
  }
  bar.end();
  return { failures, answers };
}

/** The row a field path names: `body.statuses[3].asOf` → 3. */
function indexIn(field: unknown, name: string): number | undefined {
  if (typeof field !== "string") return undefined;
  const m = new RegExp(`${name}\\[(\\d+)\\]`).exec(field);
  return m ? Number(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// import loan-status

type Status = Record<string, unknown>;

/** Loan statuses from JSON ({statuses:[...]} or an array) or CSV (claimId, asOf, daysPastDue, outstanding, collateralValue?, product?, debtorType?). */
export function parseLoanStatusRows(ctx: Ctx, file: string, text: string): { rows: Row<Status>[]; failures: Failure[] } {
  const failures: Failure[] = [];
  let rows: Row<Status>[];
  if (isJson(file, text)) {
    const data = parseJson(ctx, file, text);
    const list = Array.isArray(data) ? data : (data as { statuses?: unknown })?.statuses;
    if (!Array.isArray(list)) throw new CliExit(EXIT.failed, t(ctx.lang, "import.badFile", { file, reason: "must hold an array of loan statuses or {statuses: [...]}" }));
    rows = list.map((value, i) => ({ row: i + 1, value: value as Status }));
  } else {
    rows = [];
    for (const r of parseCsvRows(ctx, file, text, ["claimId", "asOf", "daysPastDue", "outstanding"])) {
      const v = r.value;
      const bad = (field: string, rule: string) => failures.push({ row: r.row, line: r.line, claimId: v.claimId || undefined, error: "VALIDATION", field, message: `${field}: ${rule}` });
      if (!/^(0|[1-9][0-9]{0,4})$/.test(v.daysPastDue ?? "")) {
        bad("daysPastDue", "must be a whole number of days");
        continue;
      }
      const status: Status = { claimId: v.claimId, asOf: v.asOf, daysPastDue: Number(v.daysPastDue), outstanding: v.outstanding };
      for (const k of ["collateralValue", "product", "debtorType"]) if (v[k]) status[k] = v[k];
      rows.push({ row: r.row, line: r.line, value: status });
    }
  }
  // What can be checked here is checked here; the API checks the rest (and the claims exist).
  const kept: Row<Status>[] = [];
  for (const r of rows) {
    const v = r.value;
    const claimId = typeof v?.claimId === "string" ? v.claimId : undefined;
    const bad = (field: string, rule: string) => failures.push({ row: r.row, line: r.line, claimId, error: "VALIDATION", field, message: `${field}: ${rule}` });
    if (v === null || typeof v !== "object" || Array.isArray(v)) bad("status", "must be an object");
    else if (!claimId || !BYTES32.test(claimId)) bad("claimId", "must be 0x and 64 hex digits");
    else if (typeof v.asOf !== "string" || v.asOf.length < 10) bad("asOf", "must be a date YYYY-MM-DD or an ISO 8601 date-time");
    else if (typeof v.outstanding !== "string" || !MONEY.test(v.outstanding)) bad("outstanding", "must be a decimal string of fen");
    else if (v.collateralValue !== undefined && (typeof v.collateralValue !== "string" || !MONEY.test(v.collateralValue))) bad("collateralValue", "must be a decimal string of fen");
    else kept.push(r);
  }
  failures.sort((a, b) => a.row - b.row);
  return { rows: kept, failures };
}

export async function importLoanStatus(ctx: Ctx, file: string | undefined): Promise<number> {
  const text = await readText(ctx, file);
  const { rows, failures: local } = parseLoanStatusRows(ctx, file!, text);
  const total = rows.length + local.length;
  if (!ctx.json) ctx.err(t(ctx.lang, "import.loanStatus.reading", { count: total, file: file! }));
  const { failures, answers } = await sendChunks(
    ctx, t(ctx.lang, "import.loanStatus.progress"), rows, ctx.chunk ?? 1000,
    (statuses) => send(ctx, "POST", "/v1/loan-status/batch", { statuses }),
    (body, chunk) => {
      const k = indexIn(body?.field, "statuses") ?? indexIn(body?.message, "statuses");
      if (k !== undefined) return [k];
      const id = String(body?.details?.id ?? body?.details?.claimId ?? "").toLowerCase();
      return id ? [chunk.findIndex((r) => String(r.value.claimId).toLowerCase() === id)] : [];
    },
    (r) => ({ claimId: typeof r.value.claimId === "string" ? r.value.claimId : undefined }),
  );
  const all = [...local, ...failures].sort((a, b) => a.row - b.row);
  const accepted = answers.reduce((n, a) => n + a.rows, 0);
  if (ctx.json) {
    ctx.out(JSON.stringify({ total, accepted, failed: all.length, failures: all }, null, 2));
  } else {
    ctx.out(t(ctx.lang, "import.loanStatus.summary", { total, accepted, failed: all.length }));
    for (const f of all) ctx.out(`  ${failureLine(ctx.lang, f)}`);
  }
  return exitOf(accepted, all.length);
}

// ---------------------------------------------------------------------------------------------
// import cases (comparable cases for valuations)

/** Comparable cases from JSON ({cases:[...]} or an array) or CSV (the columns `npm run gen:portfolio` writes). */
export function parseCaseRows(ctx: Ctx, file: string, text: string): Row<Record<string, unknown>>[] {
  if (isJson(file, text)) {
    const data = parseJson(ctx, file, text);
    const list = Array.isArray(data) ? data : (data as { cases?: unknown })?.cases;
    if (!Array.isArray(list)) throw new CliExit(EXIT.failed, t(ctx.lang, "import.badFile", { file, reason: "must hold an array of comparable cases or {cases: [...]}" }));
    return list.map((value, i) => ({ row: i + 1, value: value as Record<string, unknown> }));
  }
  return parseCsvRows(ctx, file, text, ["caseId", "assetType", "region", "area", "ageYears", "saleDate", "price"]).map((r) => {
    // Empty optional cells are absent, as in a JSON row.
    const value: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.value)) if (v !== "") value[k] = v;
    return { ...r, value };
  });
}

export async function importCases(ctx: Ctx, file: string | undefined): Promise<number> {
  const text = await readText(ctx, file);
  const rows = parseCaseRows(ctx, file!, text);
  if (!ctx.json) ctx.err(t(ctx.lang, "import.cases.reading", { count: rows.length, file: file! }));
  const { failures, answers } = await sendChunks(
    ctx, t(ctx.lang, "import.cases.progress"), rows, Math.min(ctx.chunk ?? 5000, 10_000),
    (cases) => send(ctx, "POST", "/v1/comparables/import", { cases }),
    (body) => {
      const listed = (body?.details?.errors as { row: number }[] | undefined)?.map((e) => e.row);
      if (listed?.length) return [...new Set(listed)];
      const k = indexIn(body?.field, "cases");
      return k !== undefined ? [k] : [];
    },
    (r) => ({ caseId: typeof r.value?.caseId === "string" ? r.value.caseId : undefined }),
  );
  const imported = answers.reduce((n, a) => n + (a.body.imported ?? 0), 0);
  const added = answers.reduce((n, a) => n + (a.body.added ?? 0), 0);
  const replaced = answers.reduce((n, a) => n + (a.body.replaced ?? 0), 0);
  const last = answers.at(-1)?.body;
  failures.sort((a, b) => a.row - b.row);
  if (ctx.json) {
    ctx.out(JSON.stringify({ total: rows.length, imported, added, replaced, failed: failures.length, count: last?.count ?? null, hash: last?.hash ?? null, failures }, null, 2));
  } else {
    ctx.out(t(ctx.lang, "import.cases.summary", { total: rows.length, imported, added, replaced, failed: failures.length }));
    if (last) ctx.out(`  ${t(ctx.lang, "import.cases.database", { count: last.count, hash: last.hash })}`);
    for (const f of failures) ctx.out(`  ${failureLine(ctx.lang, f)}`);
  }
  return exitOf(imported, failures.length);
}

// ---------------------------------------------------------------------------------------------
// assess

const MAX_LOANS = 200_000;
const CLASS_ORDER = ["pass", "special-mention", "substandard", "doubtful", "loss"] as const;
const CLASS_ZH: Record<string, string> = { pass: "正常", "special-mention": "关注", substandard: "次级", doubtful: "可疑", loss: "损失" };
const PATH_ZH: Record<string, string> = { "self-collection": "自行清收", restructuring: "债务重组", "package-sale": "批量转让", "litigation-auction": "诉讼及司法拍卖", "write-off": "核销" };

/** Today in China (UTC+8): the default assessment date. */
function todayInChina(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The request body from JSON ({asOf, loans, debtors?} or an array of loans) or CSV (one loan per row). */
export function parseAssessFile(ctx: Ctx, file: string, text: string): { asOf: string; loans: unknown[]; debtors?: unknown[] } {
  if (isJson(file, text)) {
    const data = parseJson(ctx, file, text) as { asOf?: unknown; loans?: unknown; debtors?: unknown } | unknown[];
    if (Array.isArray(data)) return { asOf: ctx.asOf ?? todayInChina(), loans: data };
    if (!data || typeof data !== "object" || !Array.isArray(data.loans)) throw new CliExit(EXIT.failed, t(ctx.lang, "import.badFile", { file, reason: "must hold {asOf, loans: [...]} or an array of loans" }));
    return {
      asOf: ctx.asOf ?? (typeof data.asOf === "string" ? data.asOf : todayInChina()),
      loans: data.loans,
      ...(Array.isArray(data.debtors) ? { debtors: data.debtors } : {}),
    };
  }
  const rows = parseCsvRows(ctx, file, text, ["loanId", "product", "debtorType", "debtorId", "outstanding", "daysPastDue"]);
  const loans = rows.map(({ value: v }) => {
    const loan: Record<string, unknown> = {
      loanId: v.loanId, product: v.product, debtorType: v.debtorType, debtorId: v.debtorId, outstanding: v.outstanding,
      daysPastDue: /^\d+$/.test(v.daysPastDue ?? "") ? Number(v.daysPastDue) : v.daysPastDue,
    };
    if (v.region) loan.region = v.region;
    if (v.stage) loan.stage = v.stage;
    if (v.collateralAssetType) {
      loan.collateral = {
        assetType: v.collateralAssetType,
        region: v.collateralRegion || v.region || "",
        area: Number(v.collateralArea || 0),
        ...(v.collateralAgeYears ? { ageYears: Number(v.collateralAgeYears) } : {}),
        ...(v.collateralAppraisedValue ? { appraisedValue: v.collateralAppraisedValue } : {}),
      };
    }
    return loan;
  });
  return { asOf: ctx.asOf ?? todayInChina(), loans };
}

function pad(s: string, width: number, right = false): string {
  // CJK characters take two columns in a terminal.
  const w = [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const fill = " ".repeat(Math.max(0, width - w));
  return right ? fill + s : s + fill;
}

export async function assess(ctx: Ctx, file: string | undefined): Promise<number> {
  const text = await readText(ctx, file);
  const body = parseAssessFile(ctx, file!, text);
  if (body.loans.length === 0) throw new CliExit(EXIT.failed, t(ctx.lang, "import.badFile", { file: file!, reason: "holds no loans" }));
  if (body.loans.length > MAX_LOANS) throw new CliExit(EXIT.usage, t(ctx.lang, "assess.tooMany", { max: MAX_LOANS, count: body.loans.length }));
  const res = await request(ctx, "POST", "/v1/assessments", { ...body, advice: "delinquent" });
  if (ctx.json) {
    ctx.out(JSON.stringify(res, null, 2));
    return EXIT.ok;
  }
  const lang = ctx.lang;
  const results = res.results as any[];
  const byClass = new Map<string, { count: number; outstanding: bigint; expectedLoss: bigint }>();
  const grades = new Map<string, number>();
  const paths = new Map<string, number>();
  let total = 0n;
  let loss = 0n;
  body.loans.forEach((loan: any, i) => {
    const r = results[i];
    const outstanding = BigInt(loan.outstanding);
    total += outstanding;
    loss += BigInt(r.risk.expectedLoss);
    const c = byClass.get(r.classification) ?? { count: 0, outstanding: 0n, expectedLoss: 0n };
    c.count++;
    c.outstanding += outstanding;
    c.expectedLoss += BigInt(r.risk.expectedLoss);
    byClass.set(r.classification, c);
    grades.set(r.risk.grade, (grades.get(r.risk.grade) ?? 0) + 1);
    if (r.recovery) paths.set(r.recovery.recommended, (paths.get(r.recovery.recommended) ?? 0) + 1);
  });
  const name = (c: string) => (lang === "en" ? c : `${CLASS_ZH[c]} ${c}`);
  ctx.out(t(lang, "assess.title", { asOf: res.asOf, count: res.count }));
  const model = res.valuationModel;
  ctx.out(t(lang, model.ready ? "assess.model" : "assess.noModel", { count: model.comparables.count, method: model.method ?? "" }));
  ctx.out("");
  const head = [pad(t(lang, "assess.col.class"), 26), pad(t(lang, "assess.col.loans"), 9, true), pad(t(lang, "assess.col.outstanding"), 22, true), pad(t(lang, "assess.col.share"), 8, true), pad(t(lang, "assess.col.expectedLoss"), 22, true)];
  ctx.out(head.join("  "));
  for (const c of CLASS_ORDER) {
    const v = byClass.get(c) ?? { count: 0, outstanding: 0n, expectedLoss: 0n };
    const share = total > 0n ? `${(Number((v.outstanding * 10_000n) / total) / 100).toFixed(1)}%` : "-";
    ctx.out([pad(name(c), 26), pad(String(v.count), 9, true), pad(formatMajor(v.outstanding), 22, true), pad(share, 8, true), pad(formatMajor(v.expectedLoss), 22, true)].join("  "));
  }
  ctx.out([pad(t(lang, "assess.total"), 26), pad(String(res.count), 9, true), pad(formatMajor(total), 22, true), pad("100.0%", 8, true), pad(formatMajor(loss), 22, true)].join("  "));
  ctx.out("");
  ctx.out(t(lang, "assess.grades", { list: ["A", "B", "C", "D", "E"].map((g) => `${g} ${grades.get(g) ?? 0}`).join(", ") }));
  if (paths.size) ctx.out(t(lang, "assess.paths", { list: [...paths.entries()].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${lang === "en" ? p : PATH_ZH[p] ?? p} ${n}`).join(", ") }));
  const top = results.map((r, i) => ({ r, i })).sort((a, b) => (BigInt(b.r.risk.priority) > BigInt(a.r.risk.priority) ? 1 : -1)).slice(0, 5);
  ctx.out(t(lang, "assess.top"));
  for (const { r } of top) {
    const reasons = (r.risk.priorityReasons.length ? r.risk.priorityReasons : r.risk.reasons).slice(0, 2).map((x: any) => (lang === "en" ? x.en : x.zh)).join("; ");
    ctx.out(`  ${pad(r.loanId, 16)} ${pad(name(r.classification), 26)} ${pad(t(lang, "assess.dpd", { dpd: r.daysPastDue }), 12)} ${pad(formatMajor(BigInt(r.risk.priority)), 20, true)}  ${reasons}`);
  }
  return EXIT.ok;
}
