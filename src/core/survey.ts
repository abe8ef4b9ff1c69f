/**
 * Field surveys (数字化勘察): what a surveyor checks on site, per collateral type, and what the findings do
 * to a valuation.
 *
 * - A **checklist** per collateral type ({@link CHECKLISTS}) lists standard items, each with its options.
 *   Items marked `judgment: true` need a person's judgment (is this crack structural? is the occupant there
 *   unlawfully?); the surveyor judges only those. The other items are facts anyone on site, or the records,
 *   can settle (is there a court seal on the door? do the VIN and the registration agree?).
 * - Some options raise a **flag**; each flag ({@link SURVEY_FLAGS}) is a multiplicative factor on the value
 *   in basis points with its reason in zh-CN and English, e.g. structural damage ×0.75 (−25%).
 * - A **survey** is the record of one visit: the claim, the checklist answered, when (an instant), where (a
 *   region and at most a ~1 km grid cell: no address), who (an opaque surveyor id), and photos and documents
 *   as content hashes only. {@link validateSurvey} checks it; its canonical JSON (RFC 8785) hashed with
 *   keccak256 ({@link surveyHash}) is the evidence record's contentHash.
 * - {@link applySurvey} turns a valuation into one that cites the survey and lists what changed and why.
 *
 * Pure: no I/O, no clock (the validation's "now" is an argument); money is bigint fen, factors are integer bps.
 */
import { regionOf } from "./regions.js";
import { canonicalHash } from "./canonical.js";
import { ValidationError } from "./errors.js";
import { applyBps } from "./money.js";
import type { Valuation } from "./valuation.js";
import { CHECKLIST_VERSION, CHECKLISTS, SURVEY_ASSET_TYPES, SURVEY_FLAGS, SURVEY_FORMAT, type ChecklistItem, type SurveyAssetType } from "./survey-checklists.js";

export {
  CHECKLIST_VERSION, CHECKLISTS, SURVEY_ASSET_TYPES, SURVEY_FLAGS, SURVEY_FORMAT,
  type Checklist, type ChecklistItem, type ChecklistOption, type SurveyAssetType, type SurveyFlag,
} from "./survey-checklists.js";

/** Kinds of documents a survey may carry (by hash). */
export const SURVEY_DOCUMENT_KINDS = ["site-report", "photo-log", "floor-plan", "title-copy", "lease", "registry-extract", "other"] as const;

/** One answer as recorded. */
export interface SurveyAnswer {
  value: string;
  /** The surveyor's reasoning, for judgment items only; no personal data (≤ 200 characters). */
  note?: string;
  /** keccak256 of each photo taken for this item. */
  photos?: string[];
}

/** A survey as validated: exactly what is hashed (RFC 8785) into its contentHash. */
export interface Survey {
  format: typeof SURVEY_FORMAT;
  claimId: string;
  assetType: SurveyAssetType;
  checklistVersion: number;
  /** UTC instant, `Date.prototype.toISOString` form. */
  surveyedAt: string;
  /** Opaque id of the surveyor (no name). */
  surveyor: string;
  /** Coarse place: a region code and optionally a grid cell of at most two decimals (~1 km), "31.23,121.47". */
  location: { region: string; cell?: string };
  answers: Record<string, SurveyAnswer>;
  documents?: { kind: (typeof SURVEY_DOCUMENT_KINDS)[number]; hash: string }[];
}

/** What a survey does to a value: one entry per flag raised. */
export interface SurveyAdjustment {
  flag: string;
  /** The checklist item and the answer that raised it. */
  item: string;
  answer: string;
  factorBps: number;
  /** Whether the item needed the surveyor's judgment. */
  judgment: boolean;
  zh: string;
  en: string;
}

/** A valuation's citation of the survey it used. */
export interface SurveyCitation {
  /** Short id: "sv-" + the first 16 hex digits of the hash. */
  id: string;
  /** keccak256 of the survey's canonical JSON (its evidence contentHash). */
  hash: string;
  surveyedAt: string;
  assetType: SurveyAssetType;
  /** Product of the adjustments' factors, basis points. */
  factorBps: number;
  adjustments: SurveyAdjustment[];
  /** The figures before the survey was applied. */
  before: { value: string; p10: string; p90: string };
  /** What changed: each figure before and after, with the reasons in {@link adjustments}. */
  changes: { field: "value" | "p10" | "p90"; before: string; after: string }[];
}

export type SurveyedValuation = Valuation & { survey: SurveyCitation };

const HASH = /^0x[0-9a-fA-F]{64}$/;
const OPAQUE = /^[A-Za-z0-9._:@-]{1,64}$/;
/** A grid cell: latitude and longitude with at most two decimals (about 1.1 km). */
const CELL = /^(-?\d{1,2}(?:\.\d{1,2})?),(-?\d{1,3}(?:\.\d{1,2})?)$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Looks like personal data in a note: a mainland mobile number, a resident ID number, or a long run of digits. */
const PERSONAL_IN_TEXT = /1[3-9]\d{9}|\d{17}[\dXx]|\d{8,}/;
const MAX_PHOTOS = 48;
const MAX_FUTURE_MS = 5 * 60_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function onlyKeys(v: Record<string, unknown>, keys: readonly string[], at: string): void {
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw new ValidationError(at ? `${at}.${k}` : k, "unknown-field");
}

function hashOf(v: unknown, at: string): string {
  if (typeof v !== "string" || !HASH.test(v)) throw new ValidationError(at, "hash", `${at}: must be 0x + 64 hex digits (keccak256 of the file)`);
  return v.toLowerCase();
}

/** True for a collateral type with a checklist. */
export function isSurveyAssetType(v: unknown): v is SurveyAssetType {
  return typeof v === "string" && (SURVEY_ASSET_TYPES as readonly string[]).includes(v);
}

/** The survey as a caller sends it (POST /v1/claims/:claimId/surveys), before validation. */
export interface SurveyInput {
  assetType: string;
  checklistVersion?: number;
  surveyedAt: string;
  surveyor: string;
  location: { region: string; cell?: string };
  answers: Record<string, { value: string; note?: string; photos?: string[] }>;
  documents?: { kind: string; hash: string }[];
}

/** Result of {@link validateSurvey}: the survey as hashed, and what a reader should know. */
export interface ValidatedSurvey {
  survey: Survey;
  hash: string;
  id: string;
  /** Items that expect a photo but came without one (not an error). */
  missingPhotos: string[];
}

/**
 * Validates a survey of `claimId` and returns it in its one canonical form (lower-case hashes, UTC instant,
 * no empty lists), with its hash and id.
 *
 * Rules: the asset type has a checklist of that version; every required item (all judgment items) is
 * answered with one of its options; unknown items are refused; notes only on judgment items, ≤ 200
 * characters, no phone or ID numbers; photos and documents are keccak256 hashes (≤ 48 photos); the time is
 * an instant with an offset, not after `nowMs` + 5 minutes nor before 2000; the place is a region code and
 * optionally a grid cell of at most two decimals — anything finer (an address, precise coordinates) is refused.
 *
 * @param nowMs the current time in ms (the core reads no clock)
 * @throws ValidationError naming the field, e.g. "answers.structure.value"
 */
export function validateSurvey(claimId: string, input: unknown, nowMs: number): ValidatedSurvey {
  if (typeof claimId !== "string" || !HASH.test(claimId)) throw new ValidationError("claimId", "hash");
  if (!isRecord(input)) throw new ValidationError("survey", "object");
  onlyKeys(input, ["assetType", "checklistVersion", "surveyedAt", "surveyor", "location", "answers", "documents"], "");
  if (!isSurveyAssetType(input.assetType)) throw new ValidationError("assetType", `one-of:${SURVEY_ASSET_TYPES.join("|")}`);
  const checklist = CHECKLISTS[input.assetType];
  const version = input.checklistVersion ?? CHECKLIST_VERSION;
  if (version !== checklist.version) throw new ValidationError("checklistVersion", `must be ${checklist.version}`);

  if (typeof input.surveyedAt !== "string" || !ISO_WITH_OFFSET.test(input.surveyedAt) || Number.isNaN(Date.parse(input.surveyedAt))) {
    throw new ValidationError("surveyedAt", "iso-8601-date-time-with-offset");
  }
  const at = Date.parse(input.surveyedAt);
  if (at > nowMs + MAX_FUTURE_MS) throw new ValidationError("surveyedAt", "not-in-the-future");
  if (at < Date.UTC(2000, 0, 1)) throw new ValidationError("surveyedAt", "after-2000");
  if (typeof input.surveyor !== "string" || !OPAQUE.test(input.surveyor)) throw new ValidationError("surveyor", "opaque-id", "surveyor: an opaque id (letters, digits, . _ : @ -), never a name");

  if (!isRecord(input.location)) throw new ValidationError("location", "object");
  onlyKeys(input.location, ["region", "cell"], "location");
  // A region of GB/T 2260 (regions.ts: key, code, name or path, read whole), stored as its key: never an address.
  const known = typeof input.location.region === "string" && input.location.region.length <= 64 ? regionOf(input.location.region) : undefined;
  if (!known) throw new ValidationError("location.region", "region-code", "location.region: a region of GB/T 2260, by name or code, such as Shanghai or 310115 (no address)");
  const location: Survey["location"] = { region: known.key };
  if (input.location.cell !== undefined) {
    const m = typeof input.location.cell === "string" ? CELL.exec(input.location.cell) : null;
    if (!m || Math.abs(Number(m[1])) > 90 || Math.abs(Number(m[2])) > 180) {
      throw new ValidationError("location.cell", "coarse-grid-cell", "location.cell: \"lat,lng\" with at most two decimals (about 1 km); finer places are personal data");
    }
    location.cell = input.location.cell as string;
  }

  if (!isRecord(input.answers)) throw new ValidationError("answers", "object");
  const byId = new Map(checklist.items.map((i) => [i.id, i]));
  for (const key of Object.keys(input.answers)) if (!byId.has(key)) throw new ValidationError(`answers.${key}`, `not-an-item-of-the-${checklist.assetType}-checklist`);
  const answers: Record<string, SurveyAnswer> = {};
  const missingPhotos: string[] = [];
  let photoCount = 0;
  for (const it of checklist.items) {
    const f = `answers.${it.id}`;
    const a = input.answers[it.id];
    if (a === undefined) {
      if (it.required) throw new ValidationError(f, it.judgment ? "judgment-required" : "required", `${f}: ${it.judgment ? "needs the surveyor's judgment" : "must be answered"} (${it.zh} / ${it.en})`);
      continue;
    }
    if (!isRecord(a)) throw new ValidationError(f, "object");
    onlyKeys(a, ["value", "note", "photos"], f);
    if (typeof a.value !== "string" || !it.options.some((opt) => opt.value === a.value)) {
      throw new ValidationError(`${f}.value`, `one-of:${it.options.map((opt) => opt.value).join("|")}`);
    }
    const answer: SurveyAnswer = { value: a.value };
    if (a.note !== undefined) {
      if (!it.judgment) throw new ValidationError(`${f}.note`, "only-on-judgment-items");
      if (typeof a.note !== "string" || a.note.trim().length === 0 || a.note.length > 200) throw new ValidationError(`${f}.note`, "text-1-200");
      if (PERSONAL_IN_TEXT.test(a.note)) throw new ValidationError(`${f}.note`, "no-personal-data", `${f}.note: must not hold phone or ID numbers`);
      answer.note = a.note.trim();
    }
    if (a.photos !== undefined) {
      if (!Array.isArray(a.photos)) throw new ValidationError(`${f}.photos`, "array");
      const photos = a.photos.map((p, k) => hashOf(p, `${f}.photos[${k}]`));
      if (new Set(photos).size !== photos.length) throw new ValidationError(`${f}.photos`, "unique");
      photoCount += photos.length;
      if (photos.length > 0) answer.photos = photos;
    }
    if (it.photo && !answer.photos) missingPhotos.push(it.id);
    answers[it.id] = answer;
  }
  if (photoCount > MAX_PHOTOS) throw new ValidationError("answers", `at-most-${MAX_PHOTOS}-photos`);

  let documents: Survey["documents"];
  if (input.documents !== undefined) {
    if (!Array.isArray(input.documents) || input.documents.length > 16) throw new ValidationError("documents", "array-of-at-most-16");
    documents = input.documents.map((d, k) => {
      const f = `documents[${k}]`;
      if (!isRecord(d)) throw new ValidationError(f, "object");
      onlyKeys(d, ["kind", "hash"], f);
      if (!(SURVEY_DOCUMENT_KINDS as readonly string[]).includes(d.kind as string)) throw new ValidationError(`${f}.kind`, `one-of:${SURVEY_DOCUMENT_KINDS.join("|")}`);
      return { kind: d.kind as (typeof SURVEY_DOCUMENT_KINDS)[number], hash: hashOf(d.hash, `${f}.hash`) };
    });
    if (documents.length === 0) documents = undefined;
  }

  const survey: Survey = {
    format: SURVEY_FORMAT,
    claimId: claimId.toLowerCase(),
    assetType: checklist.assetType,
    checklistVersion: version,
    surveyedAt: new Date(at).toISOString(),
    surveyor: input.surveyor,
    location,
    answers,
    ...(documents ? { documents } : {}),
  };
  const hash = surveyHash(survey);
  return { survey, hash, id: surveyId(hash), missingPhotos };
}

/** keccak256 of the survey's canonical JSON (RFC 8785): its evidence record's contentHash. */
export function surveyHash(survey: Survey): string {
  return canonicalHash(survey);
}

/** The short id of a survey: "sv-" + the first 16 hex digits of its hash. */
export function surveyId(hash: string): string {
  return `sv-${hash.slice(2, 18)}`;
}

/** Every photo and document hash of a survey, in checklist order then documents (the evidence record's attachments). */
export function surveyAttachments(survey: Survey): string[] {
  const out: string[] = [];
  for (const a of Object.values(survey.answers)) for (const p of a.photos ?? []) out.push(p);
  for (const d of survey.documents ?? []) out.push(d.hash);
  return [...new Set(out)];
}

/** Items of a checklist that need a person's judgment (the form highlights these). */
export function judgmentItems(assetType: SurveyAssetType): ChecklistItem[] {
  return CHECKLISTS[assetType].items.filter((i) => i.judgment);
}

/**
 * The flags a survey raises, in checklist order, each once; and their combined factor (the product of the
 * factors, rounded half up to whole basis points at each step).
 */
export function surveyAdjustments(survey: Survey): { factorBps: number; adjustments: SurveyAdjustment[] } {
  const checklist = CHECKLISTS[survey.assetType];
  const seen = new Set<string>();
  const adjustments: SurveyAdjustment[] = [];
  let factor = 10_000n;
  for (const it of checklist.items) {
    const a = survey.answers[it.id];
    if (!a) continue;
    const opt = it.options.find((x) => x.value === a.value);
    if (!opt?.flag || seen.has(opt.flag)) continue;
    seen.add(opt.flag);
    const f = SURVEY_FLAGS[opt.flag]!;
    factor = applyBps(factor, BigInt(f.factorBps));
    adjustments.push({ flag: f.code, item: it.id, answer: a.value, factorBps: f.factorBps, judgment: it.judgment, zh: f.zh, en: f.en });
  }
  return { factorBps: Number(factor), adjustments };
}

/**
 * Applies a survey to a valuation: value, P10 and P90 times the survey's combined factor (bigint fen, half
 * up). The result cites the survey (id, hash) and lists each adjustment with its reason and each figure
 * before and after. Comparables, hashes and the method are kept: the survey is a stated step on top.
 *
 * @param hash the survey's hash (from {@link validateSurvey}; recomputed when omitted)
 */
export function applySurvey(valuation: Valuation, survey: Survey, hash: string = surveyHash(survey)): SurveyedValuation {
  const { factorBps, adjustments } = surveyAdjustments(survey);
  const bps = BigInt(factorBps);
  const after = {
    value: applyBps(BigInt(valuation.value), bps).toString(),
    p10: applyBps(BigInt(valuation.p10), bps).toString(),
    p90: applyBps(BigInt(valuation.p90), bps).toString(),
  };
  const before = { value: valuation.value, p10: valuation.p10, p90: valuation.p90 };
  const changes = (["value", "p10", "p90"] as const)
    .filter((f) => before[f] !== after[f])
    .map((field) => ({ field, before: before[field], after: after[field] }));
  return {
    ...valuation,
    ...after,
    survey: { id: surveyId(hash), hash, surveyedAt: survey.surveyedAt, assetType: survey.assetType, factorBps, adjustments, before, changes },
  };
}
