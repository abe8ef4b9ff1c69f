import {
  CHECKLISTS, CHECKLIST_VERSION, SURVEY_ASSET_TYPES, SURVEY_FLAGS, surveyAdjustments, surveyAttachments, validateSurvey,
} from "../../core/survey.js";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { DURABLE } from "../../store/db.js";
import { recordIdsWithContent } from "../../store/repos/evidence.js";
import type { LatestSurvey, StoredSurvey } from "../../store/repos/surveys.js";
import { mayActOn, notHolderError, requireReadDetails, type Caller } from "../access.js";
import { isoNow, serviceNow, type AppDeps } from "../deps.js";
import type { ClaimAccess } from "../claims/parties.js";
import type { Accepted, EvidenceRequest } from "../evidence/types.js";
import { createSerial } from "../serial.js";

const MS_PER_DAY = 86_400_000;

/** What surveys need: their tables, the claims' records, the chain (registration, time), claim access, evidence. */
export interface SurveysDeps extends Pick<AppDeps, "repos" | "chain" | "clock"> {
  access: ClaimAccess;
  /** A survey is recorded as evidence by the caller (the evidence feature checks who may record). */
  evidence: { record(caller: Caller, req: EvidenceRequest): Promise<Accepted> };
}

/**
 * Field surveys (issue 8): validated by the core (survey.ts), recorded as evidence of kind "survey" whose
 * contentHash is the keccak256 of the survey's canonical JSON and whose attachments are its photo and
 * document hashes, kept per claim in time order; the latest one by asOf is applied by the claim's assessment.
 */
export function createSurveys(deps: SurveysDeps) {
  const { chain, repos } = deps;
  const { surveys, byHash } = repos.surveys;
  const serial = createSerial();

  async function requireClaim(claimId: string) {
    if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
    return repos.claims.get(claimId);
  }

  /** The evidence record of a claim with this content hash (after a crash between the two writes). */
  async function findRecord(claimId: string, hash: string): Promise<string | undefined> {
    for (const recordId of await recordIdsWithContent(repos.evidence, hash)) {
      const stored = await repos.evidence.records.get(recordId);
      if (stored?.record.claimId === claimId && stored.record.contentHash === hash) return recordId;
    }
    return undefined;
  }

  function view(s: StoredSurvey) {
    const { factorBps, adjustments } = surveyAdjustments(s.survey);
    const checklist = CHECKLISTS[s.survey.assetType];
    return {
      id: s.id,
      hash: s.hash,
      recordId: s.recordId ?? null,
      status: s.recordId ? ("recorded" as const) : ("pending" as const),
      claimId: s.claimId,
      assetType: s.survey.assetType,
      surveyedAt: s.survey.surveyedAt,
      surveyor: s.survey.surveyor,
      location: s.survey.location,
      factorBps,
      adjustments,
      /** Items the surveyor judged, with the answer and note. */
      judged: checklist.items.filter((i) => i.judgment && s.survey.answers[i.id]).map((i) => ({ item: i.id, zh: i.zh, en: i.en, value: s.survey.answers[i.id]!.value, note: s.survey.answers[i.id]!.note })),
      missingPhotos: s.missingPhotos,
      attachments: surveyAttachments(s.survey),
      recordedAt: s.recordedAt,
      survey: s.survey,
    };
  }

  return {
    /** GET /v1/surveys/checklists: every checklist, with judgment items marked, and the flags with their factors. */
    checklists() {
      return { version: CHECKLIST_VERSION, assetTypes: [...SURVEY_ASSET_TYPES], checklists: SURVEY_ASSET_TYPES.map((t) => CHECKLISTS[t]), flags: Object.values(SURVEY_FLAGS) };
    },

    /**
     * Records a survey of a claim's collateral: validated, then recorded as evidence by the caller (the claim's
     * holder or its collectors; the evidence service checks), once: the same survey again answers the first.
     * @throws ValidationError, NotFoundError, ForbiddenError
     */
    async record(caller: Caller, claimId: string, input: unknown): Promise<{ created: boolean; survey: ReturnType<typeof view> }> {
      const id = claimId.toLowerCase();
      const claim = await requireClaim(id);
      // Checked before anything is written (the evidence service checks again when it records).
      const parties = await deps.access.parties(id, caller);
      if (!mayActOn(caller, parties)) throw notHolderError(parties, { en: "survey its collateral", zh: "勘察其押品" });
      const v = validateSurvey(id, input, await serviceNow(deps));
      const type = typeof claim?.collateral?.type === "string" ? claim.collateral.type.trim().toLowerCase() : undefined;
      if (claim && !claim.collateral) throw new ValidationError("assetType", "claim-has-no-collateral", "the claim has no collateral to survey / 该债权没有押品");
      if (type && type !== v.survey.assetType) throw new ValidationError("assetType", `must-match-collateral:${type}`, `assetType: the claim's collateral is ${type} / 押品类型为${type}`);
      return serial(async () => {
        const key = `${id}!${v.survey.surveyedAt}!${v.id}`;
        const existingKey = await byHash.get(`${id}!${v.hash}`);
        let stored = existingKey ? await surveys.get(existingKey) : undefined;
        if (stored?.recordId) return { created: false, survey: view(stored) };
        const fresh = !stored;
        if (!stored) {
          stored = {
            id: v.id, hash: v.hash, claimId: id, survey: v.survey, missingPhotos: v.missingPhotos,
            recordedAt: isoNow(deps), recordedBy: { name: caller.name, keyId: caller.keyId, role: caller.role },
          };
          // Written before the evidence record: a crash in between leaves a pending survey that a retry completes.
          await surveys.put(key, stored, DURABLE);
          await byHash.put(`${id}!${v.hash}`, key, DURABLE);
        }
        let recordId = fresh ? undefined : await findRecord(id, v.hash);
        if (!recordId) {
          const attachments = surveyAttachments(v.survey);
          try {
            ({ recordId } = await deps.evidence.record(caller, {
              claimId: id, kind: "survey", channel: "in-person", direction: "internal", occurredAt: v.survey.surveyedAt,
              actor: v.survey.surveyor, contentHash: v.hash, ...(attachments.length ? { attachments } : {}),
            }));
          } catch (e) {
            if (fresh) {
              await byHash.del(`${id}!${v.hash}`, DURABLE);
              await surveys.del(key, DURABLE);
            }
            throw e;
          }
        }
        stored = { ...stored, recordId };
        await surveys.put(key, stored, DURABLE);
        return { created: true, survey: view(stored) };
      });
    },

    /** GET /v1/claims/:claimId/surveys: newest first; for who may read the claim's off-chain details. */
    async list(caller: Caller, claimId: string) {
      const id = claimId.toLowerCase();
      await requireClaim(id);
      requireReadDetails(caller, await deps.access.parties(id, caller));
      const out = [];
      for await (const s of surveys.values({ gt: `${id}!`, lt: `${id}!~`, reverse: true })) out.push(view(s));
      return { claimId: id, count: out.length, surveys: out };
    },

    /** The latest recorded survey of a claim made by the end of day `asOfDay` (UTC day number). */
    async latest(claimId: string, asOfDay: number): Promise<LatestSurvey | undefined> {
      const id = claimId.toLowerCase();
      const until = new Date((asOfDay + 1) * MS_PER_DAY).toISOString();
      for await (const s of surveys.values({ gt: `${id}!`, lt: `${id}!${until}`, reverse: true })) {
        if (s.recordId) return { ...s, recordId: s.recordId, ...surveyAdjustments(s.survey) };
      }
      return undefined;
    },

    /** Off-chain items for the case timeline (GET /v1/cases/:claimId). */
    async timeline(claimId: string) {
      const id = claimId.toLowerCase();
      const items = [];
      for await (const s of surveys.values({ gt: `${id}!`, lt: `${id}!~` })) {
        if (!s.recordId) continue;
        const { factorBps, adjustments } = surveyAdjustments(s.survey);
        items.push({
          type: "survey",
          offChain: true as const,
          timestamp: s.survey.surveyedAt,
          recordId: s.recordId,
          details: {
            surveyId: s.id, hash: s.hash, assetType: s.survey.assetType, surveyor: s.survey.surveyor, region: s.survey.location.region,
            factorBps, flags: adjustments.map((a) => a.flag),
            summary: {
              zh: `现场勘察（${CHECKLISTS[s.survey.assetType].zh}）：${adjustments.length ? adjustments.map((a) => a.zh).join("；") : "未发现影响价值的问题"}`,
              en: `Field survey (${CHECKLISTS[s.survey.assetType].en}): ${adjustments.length ? adjustments.map((a) => a.en).join("; ") : "nothing found that changes the value"}`,
            },
          },
        });
      }
      return items;
    },
  };
}

export type Surveys = ReturnType<typeof createSurveys>;
