import { parse } from "csv-parse/sync";

/** CSV rows keyed by the header row (trimmed), each with the line it starts on. */
export interface CsvTable {
  header: string[];
  rows: Array<{ record: Record<string, string>; line: number }>;
}

/** A CSV parse failure, with the line it was found at when the parser knows it. */
export class CsvSyntaxError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

/**
 * Parses CSV text whose first row names the columns (BOM, blank lines and surrounding spaces ignored).
 * @throws CsvSyntaxError when the text is not valid CSV
 */
export function parseCsvTable(text: string): CsvTable {
  let header: string[] = [];
  try {
    const records = parse(text, {
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    }) as unknown as Array<{ record: Record<string, string>; info: { lines: number } }>;
    return { header, rows: records.map((r) => ({ record: r.record, line: r.info.lines })) };
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new CsvSyntaxError(err.message ?? String(e), err.lines);
  }
}
