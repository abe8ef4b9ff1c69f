import type { FeedEffects } from "../../core/feeds.js";
import type { ImportStatus } from "../../store/repos/comparables.js";
import type { AppDeps } from "../deps.js";
import type { ClaimAccess } from "../claims/parties.js";
import type { LatestSurvey } from "../../store/repos/surveys.js";

export type { ImportJob, ImportStatus } from "../../store/repos/comparables.js";

export interface Bilingual { code: string; zh: string; en: string }

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

/** What a claim's assessment reads of the outside facts (issue 8): the latest field survey and the feeds in force. */
export interface OutsideData {
  /** The latest recorded survey of a claim made by the end of `asOfDay`. */
  latestSurvey(claimId: string, asOfDay: number): Promise<LatestSurvey | undefined>;
  /** The effects of the claim's feeds in force at the end of `asOfDay`, and the records that count. */
  feedState(claimId: string, asOfDay: number): Promise<{ effects: FeedEffects; current: unknown[] }>;
}

/** What assessments need: the comparables and claim records in the store, claim access, the outside facts. */
export interface AssessmentsDeps extends Pick<AppDeps, "repos" | "chain" | "clock" | "log" | "metrics"> {
  access: ClaimAccess;
  outside: OutsideData;
}
