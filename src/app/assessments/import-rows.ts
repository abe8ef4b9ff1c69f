import { setImmediate as nextTick } from "node:timers/promises";
import { CsvSyntaxError, parseCsvTable, type CsvTable } from "../../core/csv.js";
import { COMPARABLE_COLUMNS, parseComparableRow, type ComparableCase } from "../../core/comparables.js";
import { DebtrailError, ValidationError } from "../../core/errors.js";
import type { ImportInput } from "./types.js";

/** Imports up to this many rows are written before the answer (201); larger ones run as a job (202). */
export const SYNC_IMPORT_MAX = 10_000;
/** Most rows one import may carry. */
export const IMPORT_MAX_ROWS = 500_000;
/** Bad rows listed in a 400 (all are counted). */
const ERRORS_LISTED = 100;
/** Rows validated between yields to the event loop. */
const VALIDATE_SLICE = 10_000;

export interface RowError { row: number; line?: number; field: string; rule: string }

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

export function withDetails<E extends DebtrailError>(e: E, extra: Record<string, unknown>): E {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) e.details[k] = v;
  return e;
}

/** Validates every row (yielding to the event loop between slices); all bad rows are collected. */
export async function validateRows(input: ImportInput): Promise<ComparableCase[]> {
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
