import { randomUUID } from "node:crypto";
import { setImmediate as nextTick } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { CsvSyntaxError, parseCsvTable, type CsvTable } from "../../core/csv.js";
import { assessPortfolio, type AssessmentResponse, type AssessmentRequest, type AssessmentResult, type LoanRequest, type OutsideFacts } from "../../core/assess.js";
import { ASSET_TYPES, COMPARABLE_COLUMNS, parseComparableRow, type ComparableCase } from "../../core/comparables.js";
import { buildValuationModel, hashComparables, type ValuationModel } from "../../core/valuation.js";
import { auctionStatistics, type AuctionStatistics } from "../../core/auction.js";
import { PROCESS_ASSET_TYPES } from "../../core/process.js";
import { parseDay, formatDay } from "../../core/dates.js";
import { DebtrailError, NotFoundError, ValidationError } from "../../core/errors.js";
import { DURABLE, type BatchOp, type SublevelOf } from "../../store/db.js";
import { openComparables } from "../../store/comparables.js";
import type { Caller } from "../plugins/auth.js";
import { requireReadDetails, type Party } from "../../app/access.js";

/**
 * Assessments (issue 4, the API part): the comparable-case database, the valuation model built from it, and
 * the scoring core (core/assess.ts) behind POST /v1/assessments and GET /v1/claims/:claimId/assessment.
 *
 * Comparables live in LevelDB (store/comparables.ts). They are loaded once into memory on first use and kept
 * in step by imports; the valuation model, the auction statistics and the hash of the whole set are derived
 * from that in-memory set lazily and cached until the next import changes it.
 *
 * Imports validate every row before anything is written (a bad row → 400 naming the row and the field,
 * nothing written), then write all rows in one atomic, synced batch. Up to {@link SYNC_IMPORT_MAX} rows are
 * answered at once (201); larger imports answer 202 with a job whose progress GET /v1/comparables/import/:id
 * shows while the rows are written and the model is rebuilt.
 */

/** Imports up to this many rows are written before the answer (201); larger ones run as a job (202). */
export const SYNC_IMPORT_MAX = 10_000;
/** Most rows one import may carry. */
export const IMPORT_MAX_ROWS = 500_000;
/** Bad rows listed in a 400 (all are counted). */
const ERRORS_LISTED = 100;
/** Rows validated between yields to the event loop. */
const VALIDATE_SLICE = 10_000;

export interface Bilingual { code: string; zh: string; en: string }

export interface RowError { row: number; line?: number; field: string; rule: string }

export type ImportStatus = "queued" | "writing" | "indexing" | "done" | "failed";

export interface ImportJob {
  id: string;
  status: ImportStatus;
  source: "json" | "csv";
  /** Rows in the import. */
  total: number;
  /** Rows written so far (all rows are written in one atomic batch, so 0 or total). */
  done: number;
  imported?: number;
  added?: number;
  replaced?: number;
  /** Cases in the database after this import. */
  count?: number;
  /** Hash of the whole comparable set after this import. */
  hash?: string;
  modelHash?: string;
  errors: { code: string; message: string; row?: number; line?: number; field?: string; rule?: string }[];
  createdAt: string;
  updatedAt: string;
  owner: { keyId: string; name: string };
}

/** Rows of an import as they arrived: JSON objects or CSV records (all values strings). */
export interface ImportInput {
  source: "json" | "csv";
  rows: unknown[];
  /** Field path prefix of the rows: "cases" (JSON) or "rows" (CSV). */
  prefix: string;
  /** CSV only: the line of each row in the file (1 = the header). */
  lines?: number[];
}

export type ImportOutcome =
  | { status: 201; body: { imported: number; added: number; replaced: number; count: number; hash: string } }
  | { status: 202; body: { jobId: string; status: ImportStatus; total: number } };

export interface ValuationBasis {
  ready: boolean;
  method?: string;
  modelHash?: string;
  /** Market sales the model learnt from. */
  marketSales: number;
  comparables: { count: number; hash: string };
  note?: Bilingual;
}

export interface ClaimAssessmentQuery {
  asOf?: string;
  daysPastDue?: string;
  collateralAgeYears?: string;
  crossBankOverdue90Share?: string;
  stage?: string;
}

interface Derived {
  generation: number;
  cases: ComparableCase[];
  hash?: string;
  model?: ValuationModel | null;
  modelNote?: string;
  auction?: Map<string, AuctionStatistics>;
}

const NOTE_NO_MODEL: Omit<Bilingual, "code"> = {
  zh: "可比案例中的市场成交不足30笔，尚无估值模型；押品按档案中的评估价计",
  en: "fewer than 30 market sales among the comparables, so there is no valuation model yet; collateral counts at its appraisal on file",
};

/** Today's date in China (UTC+8), the default asOf of a claim's assessment. The core itself never reads the clock. */
function todayInChina(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

function normRegion(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const r = value.trim().toLowerCase();
  return r || undefined;
}

/** Reads JSON rows: `{cases: [...]}` or a bare array (as scripts/gen-portfolio writes comparables.json). */
export function rowsFromJson(body: unknown): ImportInput {
  const rows = Array.isArray(body) ? body : (body as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(rows)) throw new ValidationError("cases", "must be an array of comparable cases");
  return { source: "json", rows, prefix: "cases" };
}

/** Reads CSV rows (header row of COMPARABLE_COLUMNS; unknown columns are refused, so a typo is not lost). */
export function rowsFromCsv(text: string): ImportInput {
  let table: CsvTable;
  try {
    table = parseCsvTable(text);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    throw withDetails(new ValidationError("body", `is not valid CSV: ${e.message}`), { line: e.line });
  }
  const { header, rows } = table;
  const known = new Set<string>(COMPARABLE_COLUMNS);
  for (const c of header) {
    if (!known.has(c)) throw new ValidationError(`columns.${c}`, `is not a known column; the columns are ${COMPARABLE_COLUMNS.join(", ")}`);
  }
  for (const c of ["caseId", "assetType", "region", "area", "ageYears", "saleDate", "price"]) {
    if (!header.includes(c)) throw new ValidationError(`columns.${c}`, "is required in the header row");
  }
  return { source: "csv", rows: rows.map((r) => r.record), lines: rows.map((r) => r.line), prefix: "rows" };
}

function withDetails<E extends DebtrailError>(e: E, extra: Record<string, unknown>): E {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) e.details[k] = v;
  return e;
}

/** Validates every row (yielding to the event loop between slices); all bad rows are collected. */
async function validateRows(input: ImportInput): Promise<ComparableCase[]> {
  const { rows, prefix } = input;
  if (rows.length === 0) throw new ValidationError(prefix, "must hold at least one case");
  if (rows.length > IMPORT_MAX_ROWS) throw new ValidationError(prefix, `must hold at most ${IMPORT_MAX_ROWS} cases per import`);
  const cases: ComparableCase[] = [];
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % VALIDATE_SLICE === 0) await nextTick();
    try {
      const c = parseComparableRow(rows[i], `${prefix}[${i}]`);
      if (seen.has(c.caseId)) throw new ValidationError(`${prefix}[${i}].caseId`, "must be unique within the import");
      seen.add(c.caseId);
      cases.push(c);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors.push({ row: i, line: input.lines?.[i], field: e.field, rule: e.rule });
    }
  }
  if (errors.length > 0) {
    const first = errors[0]!;
    const where = first.line !== undefined ? ` (CSV line ${first.line})` : "";
    throw withDetails(
      new ValidationError(
        first.field,
        first.rule,
        `${first.field}: ${first.rule}${where}; ${errors.length} bad row(s), nothing imported / 第${first.row + 1}条数据有误（共${errors.length}条），未导入任何案例`,
      ),
      { row: first.row, line: first.line, errorCount: errors.length, errors: errors.slice(0, ERRORS_LISTED) },
    );
  }
  return cases;
}

export function createAssessmentsService(fastify: FastifyInstance) {
  const { store } = fastify;
  const comparables = openComparables(store);
  const jobs = store.sub<ImportJob>("comparable-imports");
  /** Jobs running in this process (their latest progress lives here, the store has the last durable state). */
  const live = new Map<string, { job: ImportJob; run: Promise<void> }>();

  let loading: Promise<Map<string, ComparableCase>> | null = null;
  let generation = 0;
  let derived: Derived | null = null;
  let writes: Promise<unknown> = Promise.resolve();

  /** The case set in memory, loaded from the store on first use. */
  function caseMap(): Promise<Map<string, ComparableCase>> {
    if (!loading) {
      loading = comparables.loadAll().then((list) => new Map(list.map((c) => [c.caseId, c])));
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  }

  async function current(): Promise<Derived> {
    const map = await caseMap();
    if (!derived || derived.generation !== generation) derived = { generation, cases: [...map.values()] };
    return derived;
  }

  const hashOf = (d: Derived) => (d.hash ??= hashComparables(d.cases));
  const auctionOf = (d: Derived) => (d.auction ??= auctionStatistics(d.cases));
  function modelOf(d: Derived): ValuationModel | null {
    if (d.model === undefined) {
      try {
        d.model = buildValuationModel(d.cases);
      } catch (e) {
        d.model = null;
        d.modelNote = (e as Error).message;
        if (!/at least 30 market sales/.test(d.modelNote)) fastify.log.warn({ err: e }, "valuation model could not be built");
      }
    }
    return d.model;
  }

  function basisOf(d: Derived): ValuationBasis {
    const model = modelOf(d);
    const basis: ValuationBasis = {
      ready: model !== null,
      marketSales: model ? model.cases.length : d.cases.filter((c) => c.saleType === "market").length,
      comparables: { count: d.cases.length, hash: hashOf(d) },
    };
    if (model) {
      basis.method = model.method;
      basis.modelHash = model.modelHash;
    } else {
      basis.note = { code: "no-valuation-model", ...NOTE_NO_MODEL };
    }
    return basis;
  }

  /** Imports run one at a time, so counts and the in-memory set follow the store exactly. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = writes.then(fn, fn);
    writes = p.catch(() => undefined);
    return p;
  }

  /**
   * Writes validated cases (and any extra records) in one synced batch, then updates the in-memory set.
   * With `hash`, also the hash of the whole set after the import (a pass over every case).
   */
  function commit(cases: ComparableCase[], opts: { hash?: boolean; extra?: (r: { added: number; replaced: number; count: number }) => BatchOp[] } = {}) {
    return serial(async () => {
      const map = await caseMap();
      let replaced = 0;
      for (const c of cases) if (map.has(c.caseId)) replaced++;
      const added = cases.length - replaced;
      const count = map.size + added;
      await comparables.putAll(cases, opts.extra?.({ added, replaced, count }) ?? []);
      for (const c of cases) map.set(c.caseId, c);
      generation++;
      derived = null;
      const hash = opts.hash ? hashOf(await current()) : undefined;
      return { imported: cases.length, added, replaced, count, hash };
    });
  }

  async function saveJob(job: ImportJob): Promise<void> {
    job.updatedAt = new Date().toISOString();
    await jobs.put(job.id, { ...job }, DURABLE);
  }

  async function runJob(job: ImportJob, cases: ComparableCase[]): Promise<void> {
    try {
      job.status = "writing";
      job.updatedAt = new Date().toISOString();
      const r = await commit(cases, {
        hash: true,
        // The job's header moves to "indexing" in the same atomic batch as its rows.
        extra: (x) => [{
          type: "put", sublevel: jobs as SublevelOf<unknown>, key: job.id,
          value: { ...job, status: "indexing", done: cases.length, imported: cases.length, added: x.added, replaced: x.replaced, count: x.count, updatedAt: new Date().toISOString() },
        }],
      });
      Object.assign(job, { status: "indexing", done: cases.length, imported: r.imported, added: r.added, replaced: r.replaced, count: r.count, hash: r.hash });
      await nextTick();
      const d = await current();
      const model = modelOf(d);
      auctionOf(d);
      if (model) job.modelHash = model.modelHash;
      job.status = "done";
      await saveJob(job);
    } catch (e) {
      fastify.log.error({ err: e, job: job.id }, "comparable import failed");
      job.status = "failed";
      const d = e instanceof DebtrailError ? (e.details as { field?: string; rule?: string }) : {};
      job.errors.push({ code: e instanceof DebtrailError ? e.code : "INTERNAL", message: String((e as Error).message ?? e).slice(0, 500), field: d.field, rule: d.rule });
      await saveJob(job).catch(() => undefined);
    } finally {
      fastify.metrics.jobsQueued.dec();
    }
  }

  fastify.addHook("preClose", async () => {
    await Promise.all([...live.values()].map((l) => l.run));
  });

  return {
    /**
     * Imports comparable cases. Every row is checked first; any bad row → ValidationError naming the first
     * bad row's field (details list up to 100 of them, all are counted) and nothing is written.
     */
    async importCases(caller: Caller, input: ImportInput): Promise<ImportOutcome> {
      const cases = await validateRows(input);
      if (cases.length <= SYNC_IMPORT_MAX) {
        const r = await commit(cases, { hash: true });
        return { status: 201, body: { imported: r.imported, added: r.added, replaced: r.replaced, count: r.count, hash: r.hash! } };
      }
      const now = new Date().toISOString();
      const job: ImportJob = {
        id: randomUUID(), status: "queued", source: input.source, total: cases.length, done: 0, errors: [],
        createdAt: now, updatedAt: now, owner: { keyId: caller.keyId, name: caller.name },
      };
      await saveJob(job);
      fastify.metrics.jobsQueued.inc();
      const entry = { job, run: Promise.resolve() };
      live.set(job.id, entry);
      entry.run = runJob(job, cases).finally(() => {
        live.delete(job.id);
      });
      return { status: 202, body: { jobId: job.id, status: job.status, total: job.total } };
    },

    /** Progress of an import job. A job cut off by a restart before its rows were written reports failed; nothing of it was written. */
    async importJob(id: string): Promise<ImportJob> {
      const running = live.get(id)?.job;
      if (running) return { ...running, errors: [...running.errors] };
      const job = await jobs.get(id);
      if (!job) throw new NotFoundError("import", id);
      if (job.status === "queued" || job.status === "writing") {
        return {
          ...job, status: "failed", done: 0,
          errors: [...job.errors, { code: "INTERRUPTED", message: "the service restarted before the rows were written; nothing was imported, send the import again / 服务在写入前重启，未导入任何案例，请重新导入" }],
        };
      }
      if (job.status === "indexing") return { ...job, status: "done" }; // rows are written; the model is rebuilt on demand
      return job;
    },

    /** Count, counts by region and asset type, sale-date range and hash of the comparable set; the valuation model's identity. */
    async stats() {
      const d = await current();
      const byRegion: Record<string, { count: number; market: number; auction: number; byAssetType: Record<string, number> }> = {};
      const byAssetType: Record<string, number> = {};
      let market = 0, minDay = Infinity, maxDay = -Infinity;
      for (const c of d.cases) {
        const r = (byRegion[c.region] ??= { count: 0, market: 0, auction: 0, byAssetType: {} });
        r.count++;
        if (c.saleType === "market") { r.market++; market++; } else r.auction++;
        r.byAssetType[c.assetType] = (r.byAssetType[c.assetType] ?? 0) + 1;
        byAssetType[c.assetType] = (byAssetType[c.assetType] ?? 0) + 1;
        if (c.saleDay < minDay) minDay = c.saleDay;
        if (c.saleDay > maxDay) maxDay = c.saleDay;
      }
      const sorted = Object.fromEntries(Object.keys(byRegion).sort().map((k) => [k, byRegion[k]!]));
      return {
        count: d.cases.length,
        market,
        auction: d.cases.length - market,
        byRegion: sorted,
        byAssetType,
        saleDates: d.cases.length ? { from: formatDay(minDay), to: formatDay(maxDay) } : null,
        hash: hashOf(d),
        valuation: basisOf(d),
      };
    },

    /** POST /v1/assessments: the core's response plus the identity of the comparables and model used. */
    async assess(body: AssessmentRequest & { advice?: "delinquent" | "all" | "none" }): Promise<AssessmentResponse & { valuationModel: ValuationBasis }> {
      const d = await current();
      const valuation = modelOf(d) ?? undefined;
      const res = assessPortfolio({ asOf: body.asOf, loans: body.loans, debtors: body.debtors }, { valuation, auctionStatistics: auctionOf(d), advice: body.advice });
      return { ...res, valuationModel: basisOf(d) };
    },

    /** One registered claim, assessed from its stored off-chain record. */
    /** A claim's assessment from its off-chain record, surveys and feeds: for who may read those (src/app/access.ts). */
    async assessClaim(caller: Party, claimId: string, q: ClaimAssessmentQuery) {
      const record = await fastify.claims.claims.get(claimId);
      if (!record || record.status === "failed") throw new NotFoundError("claim", claimId);
      if (record.status !== "registered" && !(await fastify.chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
      requireReadDetails(caller, await fastify.claims.parties(claimId, caller));

      const asOf = q.asOf ?? todayInChina(fastify.clock.now());
      const asOfDay = parseDay(asOf, "asOf", true);
      let daysPastDue: number;
      let daysPastDueFrom: "query" | "maturity";
      if (q.daysPastDue !== undefined) {
        daysPastDue = Number(q.daysPastDue);
        daysPastDueFrom = "query";
      } else {
        daysPastDue = Math.max(0, asOfDay - parseDay(record.maturityAt, "maturityAt", true));
        daysPastDueFrom = "maturity";
      }
      const notes: Bilingual[] = [];
      const region = normRegion(record.region) ?? normRegion(record.collateral?.region);
      const loan: LoanRequest = {
        loanId: claimId,
        product: record.product,
        debtorType: record.debtor.type,
        debtorId: record.debtor.debtorId,
        outstanding: record.outstanding,
        daysPastDue,
        ...(region ? { region } : {}),
        ...(q.stage ? { stage: q.stage } : {}),
      };

      let valueIt = false;
      const c = record.collateral as Record<string, unknown> | undefined;
      if (c) {
        const type = typeof c.type === "string" ? c.type.trim().toLowerCase() : "";
        if ((PROCESS_ASSET_TYPES as readonly string[]).includes(type) && type !== "unsecured") {
          const area = typeof c.areaSqm === "number" ? c.areaSqm : undefined;
          const age = q.collateralAgeYears !== undefined ? Number(q.collateralAgeYears) : undefined;
          const colRegion = normRegion(c.region) ?? region;
          loan.collateral = {
            assetType: type,
            region: colRegion ?? "",
            area: area ?? 0,
            ...(age !== undefined ? { ageYears: age } : {}),
            ...(typeof c.appraisedValue === "string" ? { appraisedValue: c.appraisedValue } : {}),
          };
          if ((ASSET_TYPES as readonly string[]).includes(type)) {
            const lacking = [!colRegion && "region", !(area && area > 0) && "areaSqm", age === undefined && "collateralAgeYears"].filter(Boolean) as string[];
            if (lacking.length === 0) valueIt = true;
            else {
              notes.push({
                code: "collateral-not-valued",
                zh: `押品缺少${lacking.map((f) => ({ region: "所在地区", areaSqm: "面积", collateralAgeYears: "房龄（查询参数 collateralAgeYears）" })[f]).join("、")}，未按可比案例估值${typeof c.appraisedValue === "string" ? "，按评估价计" : ""}`,
                en: `collateral lacks ${lacking.join(", ")} (give the building age as ?collateralAgeYears=), so it was not valued from comparables${typeof c.appraisedValue === "string" ? "; its appraisal counts" : ""}`,
              });
            }
          }
        } else {
          notes.push({
            code: "collateral-type-unknown",
            zh: `押品类型"${String(c.type)}"无法识别，按无担保评估`,
            en: `collateral type "${String(c.type)}" is not one of ${PROCESS_ASSET_TYPES.filter((t) => t !== "unsecured").join(", ")}; assessed as unsecured`,
          });
        }
      }
      const debtors = q.crossBankOverdue90Share !== undefined && record.debtor.type === "corporate"
        ? [{ debtorId: record.debtor.debtorId, crossBankOverdue90Share: Number(q.crossBankOverdue90Share) }]
        : undefined;

      const d = await current();
      const model = valueIt ? modelOf(d) : null;
      if (valueIt && !model) notes.push({ code: "no-valuation-model", ...NOTE_NO_MODEL });
      // Outside facts (issue 8): the latest field survey and the outside-data feeds by asOf.
      const [survey, feedState] = await Promise.all([fastify.surveys.latest(claimId, asOfDay), fastify.feeds.stateFor(claimId, asOfDay)]);
      const outside: OutsideFacts = {
        ...(survey ? { survey: { survey: survey.survey, hash: survey.hash } } : {}),
        ...(feedState.current.length > 0 ? { feeds: feedState.effects } : {}),
      };
      const withOutside = outside.survey !== undefined || outside.feeds !== undefined;
      const assessWith = (facts?: OutsideFacts) => assessPortfolio(
        { asOf, loans: [loan], ...(debtors ? { debtors } : {}) },
        { valuation: model ?? undefined, auctionStatistics: auctionOf(d), advice: "all", ...(facts ? { outside: [facts] } : {}) },
      );
      const res = assessWith(withOutside ? outside : undefined);
      const result = res.results[0]!;
      if (model && !result.valuation) {
        notes.push({
          code: "no-comparables-in-region",
          zh: "可比案例库中没有该地区的市场成交，未按可比案例估值",
          en: "the comparables hold no market sales in the collateral's region, so it was not valued from them",
        });
      }
      let outsideOut: Record<string, unknown> = {};
      if (withOutside) {
        const plain = assessWith().results[0]!;
        const figures = (r: AssessmentResult) => ({
          score: r.risk.score, grade: r.risk.grade, priority: r.risk.priority, urgencyBps: r.risk.urgencyBps, expectedLoss: r.risk.expectedLoss,
          ...(r.collateralAdjustments ? { collateralValue: r.collateralAdjustments.after } : r.valuation ? { collateralValue: r.valuation.value } : r.collateralValue ? { collateralValue: r.collateralValue } : {}),
        });
        outsideOut = { outsideEffect: { before: figures(plain), after: figures(result) } };
        if (survey) {
          const view = surveyView(survey, result, loan.collateral?.assetType === survey.survey.assetType);
          if (!view.applied) notes.push({ code: "survey-not-applied", zh: "勘察记录未用于估值：押品没有可调整的价值（无可比估值和评估价）或类型不符", en: "the survey did not adjust a value: the collateral has no value to adjust (no valuation from comparables, no appraisal) or its type differs" });
          outsideOut.survey = view;
        }
        if (outside.feeds) outsideOut.feeds = { items: feedState.current, effects: feedState.effects.effects };
      }
      return {
        claimId,
        asOf: res.asOf,
        daysPastDueFrom,
        notes,
        valuationModel: basisOf(d),
        result,
        ...outsideOut,
      };
    },
  };
}

export type AssessmentsService = ReturnType<typeof createAssessmentsService>;

/** The survey a claim's assessment used, and the collateral figures before and after it. */
function surveyView(
  survey: NonNullable<Awaited<ReturnType<FastifyInstance["surveys"]["latest"]>>>,
  result: AssessmentResult,
  matches: boolean,
) {
  const base = { id: survey.id, hash: survey.hash, recordId: survey.recordId, surveyedAt: survey.survey.surveyedAt, assetType: survey.survey.assetType, factorBps: survey.factorBps, adjustments: survey.adjustments };
  const cited = result.valuation?.survey;
  if (cited && cited.id === survey.id) {
    return { ...base, applied: true, valuation: { before: cited.before, after: { value: result.valuation!.value, p10: result.valuation!.p10, p90: result.valuation!.p90 } } };
  }
  const adj = result.collateralAdjustments;
  if (matches && adj && !result.valuation) {
    const steps = adj.steps;
    const first = steps.findIndex((x) => x.source === "survey" && x.ref === survey.id);
    let last = -1;
    steps.forEach((x, k) => { if (x.source === "survey" && x.ref === survey.id) last = k; });
    // Before the survey: the value after the step preceding it (or the basis); after: its last step (or unchanged).
    const before = first > 0 ? steps[first - 1]!.value : first === 0 ? adj.before : steps.filter((x) => x.source === "feed" && x.code === "appraisal-third-party").at(-1)?.value ?? adj.before;
    const after = last >= 0 ? steps[last]!.value : before;
    return { ...base, applied: true, valuation: { before: { value: before }, after: { value: after } } };
  }
  return { ...base, applied: false, valuation: null };
}
