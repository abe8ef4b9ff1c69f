import { ValidationError } from "./errors.js";
import type { Forum } from "./forums.js";

/**
 * The disposal process by (asset type, stage): the steps each stage takes and the documents each step
 * needs, so the documents a claim lacks can be listed. Stages are cumulative: a claim in litigation also
 * needs everything collection and demand needed (a court will ask for the loan contract and the proof
 * the demand was delivered).
 *
 * Asset types: real estate (residential, commercial, industrial, land) is secured by a mortgage
 * registered with the real-estate registry (不动产登记, without which it does not exist: 民法典第四百零二条);
 * vehicles by a registration at the vehicle office (机动车抵押登记); equipment by a chattel mortgage registered
 * in 动产融资统一登记公示系统 (the PBoC Credit Reference Center's unified registry, since 2021-01-01: 国发〔2020〕18号;
 * no longer the market regulator), without which it cannot be asserted against third parties (民法典第四百零三条);
 * unsecured has none.
 *
 * The litigation and enforcement stages follow the forum the claim goes to (core/forums.ts): a suit, arbitration
 * under a valid clause (仲裁法第十六条), a payment order (民事诉讼法第二百二十五条), the special procedure to realise a
 * security (第二百零七条), or a notarised instrument's enforcement certificate (公证法第三十七条); enforcement then asks
 * for that forum's title. Without a forum, a suit.
 */

export const STAGES = ["collection", "demand", "litigation", "enforcement", "auction", "transfer"] as const;
export type Stage = (typeof STAGES)[number];
export const STAGES_ZH: Record<Stage, string> = { collection: "催收", demand: "正式催告", litigation: "诉讼", enforcement: "强制执行", auction: "司法拍卖", transfer: "债权转让" };

export const PROCESS_ASSET_TYPES = ["residential", "commercial", "industrial", "land", "vehicle", "equipment", "unsecured"] as const;
export type ProcessAssetType = (typeof PROCESS_ASSET_TYPES)[number];

export interface Item {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

const item = (code: string, zh: string, en: string): Item => Object.freeze({ code, zh, en });

/** Every document code with its bilingual name. */
export const DOCUMENTS: Readonly<Record<string, Item>> = Object.freeze(Object.fromEntries([
  item("loan-contract", "借款合同", "Loan contract"),
  item("drawdown-voucher", "借据/放款凭证", "Drawdown voucher"),
  item("repayment-record", "还款流水", "Repayment record"),
  item("debtor-identity", "债务人身份证明或营业执照", "Debtor's ID or business licence"),
  item("collection-log", "催收记录", "Collection log"),
  item("demand-letter", "催收函或律师函", "Demand letter or lawyer's letter"),
  item("delivery-proof", "送达凭证", "Proof of delivery"),
  item("mortgage-contract", "抵押合同", "Mortgage contract"),
  item("mortgage-registration", "不动产登记证明（他项权证）", "Real-estate mortgage registration certificate"),
  item("vehicle-registration", "机动车登记证书（抵押登记）", "Vehicle registration certificate with the pledge"),
  item("chattel-registration", "动产抵押登记证明（动产融资统一登记公示系统）", "Chattel mortgage registration in the unified movable-property registry (PBoC Credit Reference Center)"),
  item("complaint", "起诉状", "Statement of claim"),
  item("evidence-list", "证据清单", "List of evidence"),
  item("court-fee-receipt", "诉讼费缴纳凭证", "Court fee receipt"),
  item("preservation-ruling", "财产保全裁定", "Property preservation ruling"),
  item("judgment", "生效判决书或调解书", "Effective judgment or mediation statement"),
  item("enforcement-application", "强制执行申请书", "Application for enforcement"),
  item("seizure-ruling", "查封裁定", "Seizure ruling"),
  item("appraisal-report", "评估报告", "Appraisal report"),
  item("auction-announcement", "拍卖公告", "Auction announcement"),
  item("occupancy-survey", "现场勘察（占用情况）报告", "Field survey of occupancy"),
  item("assignment-agreement", "债权转让协议", "Assignment agreement"),
  item("assignment-notice", "债权转让通知（送达债务人）", "Assignment notice delivered to the debtor"),
  item("arbitration-clause", "仲裁条款或仲裁协议", "Arbitration clause or agreement"),
  item("arbitration-application", "仲裁申请书", "Request for arbitration"),
  item("arbitral-award", "仲裁裁决书", "Arbitral award"),
  item("payment-order-application", "支付令申请书", "Application for a payment order"),
  item("payment-order", "支付令（债务人未提出异议）", "Payment order (no objection by the debtor)"),
  item("security-realisation-application", "实现担保物权申请书", "Application to realise the security"),
  item("security-ruling", "准予拍卖、变卖担保财产的裁定", "Ruling to auction or sell the collateral"),
  item("notarised-instrument", "赋予强制执行效力的公证债权文书", "Notarised debt instrument with the debtor's acceptance of enforcement"),
  item("enforcement-certificate", "执行证书", "Enforcement certificate from the notary"),
].map((d) => [d.code, d])));

/** The document that starts enforcement, by forum (民事诉讼法第二百四十七至二百四十九条、第二百二十七条、第二百零八条). */
const TITLE_DOCUMENT: Record<Forum, string> = {
  litigation: "judgment", arbitration: "arbitral-award", "payment-order": "payment-order",
  "security-realisation": "security-ruling", "notarised-enforcement": "enforcement-certificate",
};

export interface Step extends Item {
  readonly stage: Stage;
  readonly documents: readonly string[];
}

const step = (stage: Stage, code: string, zh: string, en: string, documents: string[]): Step => Object.freeze({ stage, code, zh, en, documents: Object.freeze(documents) });

function securityDocuments(asset: ProcessAssetType): string[] {
  switch (asset) {
    case "residential": case "commercial": case "industrial": case "land": return ["mortgage-contract", "mortgage-registration"];
    case "vehicle": return ["mortgage-contract", "vehicle-registration"];
    case "equipment": return ["mortgage-contract", "chattel-registration"];
    default: return [];
  }
}

/** The first-instance steps of a forum (the litigation stage). */
function forumSteps(asset: ProcessAssetType, forum: Forum): Step[] {
  const stage: Stage = "litigation";
  const preserve = step(stage, "preserve", "申请财产保全", "Apply to preserve assets", ["preservation-ruling"]);
  switch (forum) {
    case "arbitration":
      return [step(stage, "file-arbitration", "依有效仲裁条款申请仲裁（一裁终局）", "Request arbitration under the valid clause (the award is final)", ["arbitration-clause", "arbitration-application", "evidence-list"]), preserve];
    case "payment-order":
      return [step(stage, "apply-payment-order", "申请支付令（督促程序）", "Apply for a payment order", ["payment-order-application", "evidence-list"])];
    case "security-realisation":
      return [step(stage, "apply-security-realisation", "申请实现担保物权", "Apply to realise the security", [...securityDocuments(asset), "security-realisation-application"])];
    case "notarised-enforcement":
      return [step(stage, "notarised-certificate", "向公证机构申请出具执行证书", "Ask the notary for the enforcement certificate", ["notarised-instrument", "enforcement-certificate"])];
    case "litigation":
      return [];
  }
}

/** The steps of one stage for an asset type (not cumulative); litigation and enforcement follow `forum`. */
export function stageSteps(asset: ProcessAssetType, stage: Stage, forum: Forum = "litigation"): Step[] {
  if (stage === "litigation" && forum !== "litigation") return forumSteps(asset, forum);
  const secured = asset !== "unsecured";
  const realEstate = asset === "residential" || asset === "commercial" || asset === "industrial" || asset === "land";
  switch (stage) {
    case "collection":
      return [
        step(stage, "file-review", "核对贷款档案", "Review the loan file", ["loan-contract", "drawdown-voucher", "repayment-record", "debtor-identity"]),
        step(stage, "contact", "合规催收并留痕", "Contact the debtor within the rules, and record it", ["collection-log"]),
      ];
    case "demand":
      return [step(stage, "formal-demand", "发送正式催告并取得送达凭证", "Send a formal demand and keep proof of delivery", ["demand-letter", "delivery-proof"])];
    case "litigation":
      return [
        ...(secured ? [step(stage, "security-check", "核实担保物权登记", "Verify the registered security", securityDocuments(asset))] : []),
        step(stage, "file-suit", "起诉并缴纳诉讼费", "File suit and pay the court fee", ["complaint", "evidence-list", "court-fee-receipt"]),
        step(stage, "preserve", "申请财产保全", "Apply to preserve assets", ["preservation-ruling"]),
      ];
    case "enforcement":
      return [
        forum === "litigation"
          ? step(stage, "apply-enforcement", "取得生效文书并申请执行", "Obtain an effective judgment and apply for enforcement", ["judgment", "enforcement-application"])
          : step(stage, "apply-enforcement", `持${DOCUMENTS[TITLE_DOCUMENT[forum]]!.zh}申请执行`, `Apply for enforcement on the ${DOCUMENTS[TITLE_DOCUMENT[forum]]!.en.toLowerCase()}`, [TITLE_DOCUMENT[forum], "enforcement-application"]),
        ...(secured ? [step(stage, "seize", "查封担保物", "Seize the collateral", ["seizure-ruling"])] : []),
      ];
    case "auction":
      if (!secured) return [];
      return [
        step(stage, "appraise", "评估与现场勘察", "Appraise and survey the property on site", realEstate ? ["appraisal-report", "occupancy-survey"] : ["appraisal-report"]),
        step(stage, "announce", "发布拍卖公告（首拍起拍价不低于评估价70%）", "Announce the auction (first reserve at least 70% of appraisal)", ["auction-announcement"]),
      ];
    case "transfer":
      return [step(stage, "assign", "签订转让协议并通知债务人", "Sign the assignment and notify the debtor", ["assignment-agreement", "assignment-notice"])];
  }
}

/** Every step up to and including `stage` (transfer only needs the file and its own step). */
export function processSteps(asset: ProcessAssetType, stage: Stage, forum: Forum = "litigation"): Step[] {
  if (stage === "transfer") return [...stageSteps(asset, "collection").slice(0, 1), ...stageSteps(asset, "transfer")];
  const upTo = STAGES.indexOf(stage);
  return STAGES.slice(0, upTo + 1).flatMap((s) => stageSteps(asset, s, forum));
}

/** All document codes a claim needs at a stage. */
export function documentsFor(asset: string, stage: string): string[] {
  const steps = processSteps(checkAsset(asset, "assetType"), checkStage(stage, "stage"));
  return [...new Set(steps.flatMap((s) => s.documents))];
}

function checkAsset(asset: string, field: string): ProcessAssetType {
  if (!(PROCESS_ASSET_TYPES as readonly string[]).includes(asset)) throw new ValidationError(field, `must be one of ${PROCESS_ASSET_TYPES.join(", ")}`);
  return asset as ProcessAssetType;
}
function checkStage(stage: string, field: string): Stage {
  if (!(STAGES as readonly string[]).includes(stage)) throw new ValidationError(field, `must be one of ${STAGES.join(", ")}`);
  return stage as Stage;
}

/** What a claim still lacks at its stage: documents, and the steps they belong to. */
export interface Missing {
  stage: Stage;
  stageZh: string;
  documents: Item[];
  steps: Item[];
}

/**
 * Lists the documents a claim lacks for its asset type and stage, and the steps that are incomplete.
 * @param have document codes on file; unknown codes are ignored
 * @param at field path prefix for errors, e.g. "loans[3]"
 * @param forum the forum the claim goes to (core/forums.ts adviseForums), default a suit
 */
export function missingItems(asset: string, stage: string, have: readonly string[] = [], at = "", forum: Forum = "litigation"): Missing {
  const a = checkAsset(asset, at ? `${at}.collateral.assetType` : "assetType");
  const s = checkStage(stage, at ? `${at}.stage` : "stage");
  const held = new Set(have);
  const documents: Item[] = [];
  const steps: Item[] = [];
  const listed = new Set<string>();
  for (const st of processSteps(a, s, forum)) {
    const lacking = st.documents.filter((d) => !held.has(d));
    if (lacking.length === 0) continue;
    steps.push(item(st.code, st.zh, st.en));
    for (const d of lacking) if (!listed.has(d)) { listed.add(d); documents.push(DOCUMENTS[d]!); }
  }
  return { stage: s, stageZh: STAGES_ZH[s], documents, steps };
}
