import { randomUUID } from "node:crypto";
import { setImmediate as nextTick } from "node:timers/promises";
import type { ComparableCase } from "../../core/comparables.js";
import { buildValuationModel, hashComparables, type ValuationModel } from "../../core/valuation.js";
import { auctionStatistics, type AuctionStatistics } from "../../core/auction.js";
import { formatDay } from "../../core/dates.js";
import { DebtrailError, NotFoundError } from "../../core/errors.js";
import { DURABLE, type TypedBatch } from "../../store/db.js";
import type { ImportJob } from "../../store/repos/comparables.js";
import type { Caller } from "../access.js";
import { isoNow } from "../deps.js";
import { createSerial } from "../serial.js";
import { SYNC_IMPORT_MAX, validateRows } from "./import-rows.js";
import type { AssessmentsDeps, Bilingual, ImportInput, ImportOutcome, ValuationBasis } from "./types.js";

export const NOTE_NO_MODEL: Omit<Bilingual, "code"> = {
  zh: "可比案例中的市场成交不足30笔，尚无估值模型；押品按档案中的评估价计",
  en: "fewer than 30 market sales among the comparables, so there is no valuation model yet; collateral counts at its appraisal on file",
};

/** The comparable set as of one import: its cases and what is derived from them (lazily, once per import). */
export interface Derived {
  generation: number;
  cases: ComparableCase[];
  hash?: string;
  model?: ValuationModel | null;
  modelNote?: string;
  auction?: Map<string, AuctionStatistics>;
}

/**
 * The comparable-case database (可比案例库) in memory: loaded from the store (src/store/repos/comparables.ts) on
 * first use and kept in step by imports; the valuation model, the auction statistics and the hash of the
 * whole set are derived lazily and kept until the next import changes it.
 *
 * Imports validate every row before anything is written (a bad row → 400 naming the row and the field,
 * nothing written), then write all rows in one atomic, synced batch. Up to SYNC_IMPORT_MAX rows are answered
 * at once (201); larger imports answer 202 with a job whose progress importJob shows while the rows are
 * written and the model is rebuilt.
 */
export function createComparableSet(deps: Pick<AssessmentsDeps, "repos" | "clock" | "log" | "metrics">) {
  const { log, metrics } = deps;
  const comparables = deps.repos.comparables;
  const { jobs } = comparables;
  /** Jobs running in this process (their latest progress lives here, the store has the last durable state). */
  const live = new Map<string, { job: ImportJob; run: Promise<void> }>();

  let loading: Promise<Map<string, ComparableCase>> | null = null;
  let generation = 0;
  let derived: Derived | null = null;

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
        if (!/at least 30 market sales/.test(d.modelNote)) log.warn({ err: e }, "valuation model could not be built");
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
  const serial = createSerial();

  /**
   * Writes validated cases (and any extra records) in one synced batch, then updates the in-memory set.
   * With `hash`, also the hash of the whole set after the import (a pass over every case).
   */
  function commit(cases: ComparableCase[], opts: { hash?: boolean; extra?: (r: { added: number; replaced: number; count: number }, batch: TypedBatch) => void } = {}) {
    return serial(async () => {
      const map = await caseMap();
      let replaced = 0;
      for (const c of cases) if (map.has(c.caseId)) replaced++;
      const added = cases.length - replaced;
      const count = map.size + added;
      await comparables.putAll(cases, (batch) => opts.extra?.({ added, replaced, count }, batch));
      for (const c of cases) map.set(c.caseId, c);
      generation++;
      derived = null;
      const hash = opts.hash ? hashOf(await current()) : undefined;
      return { imported: cases.length, added, replaced, count, hash };
    });
  }

  async function saveJob(job: ImportJob): Promise<void> {
    job.updatedAt = isoNow(deps);
    await jobs.put(job.id, { ...job }, DURABLE);
  }

  async function runJob(job: ImportJob, cases: ComparableCase[]): Promise<void> {
    try {
      job.status = "writing";
      job.updatedAt = isoNow(deps);
      const r = await commit(cases, {
        hash: true,
        // The job's header moves to "indexing" in the same atomic batch as its rows.
        extra: (x, batch) => batch.put(jobs, job.id, {
          ...job, status: "indexing", done: cases.length, imported: cases.length, added: x.added, replaced: x.replaced, count: x.count, updatedAt: isoNow(deps),
        }),
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
      log.error({ err: e, job: job.id }, "comparable import failed");
      job.status = "failed";
      const d = e instanceof DebtrailError ? (e.details as { field?: string; rule?: string }) : {};
      job.errors.push({ code: e instanceof DebtrailError ? e.code : "INTERNAL", message: String((e as Error).message ?? e).slice(0, 500), field: d.field, rule: d.rule });
      await saveJob(job).catch(() => undefined);
    } finally {
      metrics.jobsQueued.dec();
    }
  }

  return {
    current,
    modelOf,
    auctionOf,
    basisOf,

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
      const now = isoNow(deps);
      const job: ImportJob = {
        id: randomUUID(), status: "queued", source: input.source, total: cases.length, done: 0, errors: [],
        createdAt: now, updatedAt: now, owner: { keyId: caller.keyId, name: caller.name },
      };
      await saveJob(job);
      metrics.jobsQueued.inc();
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

    /** Waits for the import jobs running in this process. */
    async close(): Promise<void> {
      await Promise.all([...live.values()].map((l) => l.run));
    },
  };
}

export type ComparableSet = ReturnType<typeof createComparableSet>;
