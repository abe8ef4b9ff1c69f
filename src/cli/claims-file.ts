import { parse } from "csv-parse/sync";
import type { ClaimRequest } from "../core/claim-input.js";
import { ValidationError } from "../core/errors.js";

/** CSV columns for claims (one row per loan). Debtor fields are flattened with a `debtor` prefix. */
export const CLAIM_CSV_COLUMNS = [
  "originatorCode", "contractNo", "debtorName", "debtorIdNumber", "debtorPhone", "debtorType", "debtorId",
  "principal", "outstanding", "currency", "originatedAt", "maturityAt", "product", "region",
] as const;

/**
 * Reads claims from CSV (header row with CLAIM_CSV_COLUMNS) or JSON (an array, or {claims:[...]}).
 * Shape errors name the row and column; the API validates the rest and reports per claim.
 */
export function parseClaimsFile(name: string, text: string): ClaimRequest[] {
  if (/\.json$/i.test(name)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ValidationError(name, `is not valid JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(data) ? data : (data as { claims?: unknown }).claims;
    if (!Array.isArray(list)) throw new ValidationError(name, "must hold an array of claims or {claims: [...]}");
    return list as ClaimRequest[];
  }
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  const first = rows[0] ?? {};
  for (const col of ["originatorCode", "contractNo", "debtorName", "debtorIdNumber", "debtorType", "debtorId", "principal", "outstanding", "originatedAt", "maturityAt", "product"]) {
    if (rows.length > 0 && !(col in first)) throw new ValidationError(`${name}: column ${col}`, "is required in the header row");
  }
  return rows.map((r) => ({
    originatorCode: r.originatorCode,
    contractNo: r.contractNo,
    debtor: {
      name: r.debtorName,
      idNumber: r.debtorIdNumber,
      ...(r.debtorPhone ? { phone: r.debtorPhone } : {}),
      type: r.debtorType as ClaimRequest["debtor"]["type"],
      debtorId: r.debtorId,
    },
    principal: r.principal,
    outstanding: r.outstanding,
    ...(r.currency ? { currency: r.currency } : {}),
    originatedAt: r.originatedAt,
    maturityAt: r.maturityAt,
    product: r.product as ClaimRequest["product"],
    ...(r.region ? { region: r.region } : {}),
  }));
}
