import type { Survey, SurveyAdjustment } from "../../core/survey.js";
import type { Store, SublevelOf } from "../db.js";

/** A survey as the store keeps it (no personal data: the survey document itself carries none). */
export interface StoredSurvey {
  id: string;
  hash: string;
  claimId: string;
  /** The evidence record (kind "survey") whose contentHash is `hash`; unset while it is being recorded. */
  recordId?: string;
  survey: Survey;
  missingPhotos: string[];
  recordedAt: string;
  recordedBy: { name: string; keyId: string; role: string };
}

/** A recorded survey with the value adjustments its flags make (what a claim's assessment applies). */
export type LatestSurvey = StoredSurvey & { recordId: string; factorBps: number; adjustments: SurveyAdjustment[] };

/** The field surveys' tables. */
export interface SurveysRepo {
  /** `${claimId}!${surveyedAt}!${id}` → the survey: a claim's surveys in time order. */
  surveys: SublevelOf<StoredSurvey>;
  /** `${claimId}!${hash}` → key in `surveys`. */
  byHash: SublevelOf<string>;
}

export function openSurveys(store: Store): SurveysRepo {
  return { surveys: store.sub("surveys"), byHash: store.sub("survey-hashes") };
}
