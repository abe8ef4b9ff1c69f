/**
 * The 证据目录 (evidence catalogue) of a claim: every evidence record, what it proves, its proof bundle (and so its
 * anchor), and for a notice its delivery proof — the list a court's reliability review asks for (在线诉讼规则第十六至
 * 十九条). Pure: the records, their bundles and the as-of day are arguments; what an item proves is a message key
 * (src/i18n/proof-print.ts words it).
 *
 * Each item is verifiable like any bundle; {@link checkCatalogue} is the offline check (every bundle intact and of
 * the claim, the hash chain unbroken between the items, each delivery proof delivering the item it names).
 */
import { checkBundleIntegrity } from "./bundle.js";
import { checkChain, type EvidenceKind } from "./evidence.js";
import { deliveriesOf, type RecordRef } from "./delivery.js";
import { formatDay } from "./dates.js";
import { chinaDayOfMs } from "./input-fields.js";
import type { InterruptionProof, ProofEntry, ProofRecord } from "./interruption-proof.js";

export const CATALOGUE_VERSION = 1;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** What a record of a kind proves (a message key of src/i18n/proof-print.ts: `proves.<key>`). */
export function provesKey(kind: EvidenceKind, delivered: boolean): string {
  switch (kind) {
    case "letter": case "notice": return delivered ? "demand-delivered" : "demand-sent";
    case "assignment-notice": return delivered ? "assignment-delivered" : "assignment-sent";
    default: return kind;
  }
}

export interface CatalogueItem {
  no: number;
  kind: EvidenceKind;
  /** When the record says it happened: the recorder's statement. */
  occurredAt: string;
  /** What it proves: a message key and its values. */
  proves: { key: string; vars: Record<string, string> };
  record: ProofRecord;
  /** For a notice: the delivery proof that decides its delivery (its catalogue number), when one does. */
  delivery?: { proofNo: number; method: string; deliveredAt: string };
  /** For a delivery proof: the catalogue number of the notice it delivers. */
  delivers?: number;
  /** The limitation event it became ("events[2]"), when it counts. */
  event?: string;
}

export interface EvidenceCatalogue {
  version: typeof CATALOGUE_VERSION;
  type: "evidence-catalogue";
  claimId: string;
  asOf: string;
  items: CatalogueItem[];
  /** Every item anchored. */
  complete: boolean;
}

/**
 * The catalogue of a claim's records in hash-chain order as of `asOf` (China day). `events` maps a record id to
 * the limitation event it became (from the claim's limitation result), to mark the items that count.
 */
export function buildCatalogue(args: { claimId: string; asOf: number; entries: readonly ProofEntry[]; events?: ReadonlyMap<string, string> }): EvidenceCatalogue {
  const { claimId, asOf, entries } = args;
  const refs: RecordRef[] = entries.map((e) => ({ recordId: e.recordId, record: e.record, ...(e.altered ? { altered: true } : {}) }));
  const deliveries = deliveriesOf(refs, (asOf + 1) * DAY_MS - CHINA_OFFSET_MS - 1);
  const noOf = new Map(entries.map((e, i) => [e.recordId, i + 1]));
  const items: CatalogueItem[] = entries.map((e, i) => {
    const delivered = deliveries.get(e.recordId)?.delivered ?? null;
    const vars: Record<string, string> = { date: formatDay(chinaDayOfMs(Date.parse(e.record.occurredAt))) };
    if (delivered) vars.deliveredOn = formatDay(chinaDayOfMs(Date.parse(delivered.deliveredAt)));
    if (e.record.counterparty) vars.relation = e.record.counterparty.relation;
    if (e.record.delivery) vars.method = e.record.delivery.method;
    if (e.record.priorEvent) vars.priorEvent = e.record.priorEvent;
    const event = args.events?.get(e.recordId);
    const delivers = e.record.delivery ? noOf.get(e.record.delivery.notice) : undefined;
    return {
      no: i + 1,
      kind: e.record.kind,
      occurredAt: e.record.occurredAt,
      proves: { key: provesKey(e.record.kind, delivered !== null), vars },
      record: e.bundle ? { status: "anchored", bundle: e.bundle } : { status: "pending", recordId: e.recordId, record: e.record },
      ...(delivered ? { delivery: { proofNo: noOf.get(delivered.proof)!, method: delivered.method, deliveredAt: delivered.deliveredAt } } : {}),
      ...(delivers !== undefined ? { delivers } : {}),
      ...(event ? { event } : {}),
    };
  });
  return { version: CATALOGUE_VERSION, type: "evidence-catalogue", claimId, asOf: formatDay(asOf), items, complete: items.every((x) => x.record.status === "anchored") };
}

export interface CatalogueCheck {
  ok: boolean;
  problems: Array<{ code: "malformed" | "bundle-invalid" | "pending" | "other-claim" | "chain-break" | "delivery-mismatch"; at: string; detail?: string }>;
}

/**
 * The offline check of a catalogue: every item's bundle intact and of the claim, the items' hash chain unbroken
 * from the claim's first record, and each delivery link naming the item it delivers. Never throws for a bad one.
 */
export function checkCatalogue(input: unknown): CatalogueCheck {
  const problems: CatalogueCheck["problems"] = [];
  const c = input as EvidenceCatalogue;
  if (c === null || typeof c !== "object" || c.type !== "evidence-catalogue" || c.version !== CATALOGUE_VERSION || !Array.isArray(c.items) || typeof c.claimId !== "string") {
    return { ok: false, problems: [{ code: "malformed", at: "catalogue" }] };
  }
  const records = [];
  for (const [i, item] of c.items.entries()) {
    const at = `items[${i}]`;
    if (item?.record?.status === "pending") {
      problems.push({ code: "pending", at });
      records.push(item.record.record);
      continue;
    }
    const integrity = item?.record?.status === "anchored" ? checkBundleIntegrity(item.record.bundle) : { ok: false as const, reason: "malformed" };
    if (!integrity.ok) {
      problems.push({ code: "bundle-invalid", at, detail: integrity.reason });
      return { ok: false, problems };
    }
    const record = item.record.bundle.record;
    if (record.claimId !== c.claimId.toLowerCase()) problems.push({ code: "other-claim", at });
    if (item.delivers !== undefined) {
      const target = c.items[item.delivers - 1]?.record;
      const targetId = target?.status === "anchored" ? target.bundle.recordHash.toLowerCase() : target?.recordId;
      if (record.delivery?.notice !== targetId) problems.push({ code: "delivery-mismatch", at });
    }
    records.push(record);
  }
  for (const b of checkChain(records).breaks) problems.push({ code: "chain-break", at: `items[${b.index}]`, detail: b.reason });
  return { ok: problems.length === 0, problems };
}

/** Either printable document. */
export type PrintableProof = EvidenceCatalogue | InterruptionProof;
