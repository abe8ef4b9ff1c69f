/**
 * The field-survey checklists per collateral type and the flags their options raise (see survey.ts): data,
 * with the reasons in zh-CN and English.
 */

/** Collateral types with a checklist. */
export const SURVEY_ASSET_TYPES = ["residential", "commercial", "industrial", "land", "equipment", "vehicle"] as const;
export type SurveyAssetType = (typeof SURVEY_ASSET_TYPES)[number];

/** Version of the checklists below; a survey names the version it answered. */
export const CHECKLIST_VERSION = 1;
/** The `format` of a survey document. */
export const SURVEY_FORMAT = "debtrail-survey/1";

/** A finding that changes the value: a factor in basis points (10,000 = unchanged) and its reason. */
export interface SurveyFlag {
  readonly code: string;
  readonly factorBps: number;
  readonly zh: string;
  readonly en: string;
}

function flag(code: string, factorBps: number, zh: string, en: string): SurveyFlag {
  return Object.freeze({ code, factorBps, zh, en });
}

/**
 * Every flag a checklist option can raise. Factors multiply (each flag counts once per survey), so two
 * findings of −25% and −10% give ×0.675. A factor of 0 means the collateral cannot be counted on at all.
 */
export const SURVEY_FLAGS: Readonly<Record<string, SurveyFlag>> = Object.freeze(Object.fromEntries([
  flag("structural-damage", 7_500, "主体结构损坏（承重构件开裂、倾斜或变形），−25%", "Structural damage (load-bearing cracks, tilt or deformation), −25%"),
  flag("minor-defects", 9_500, "轻微损伤（非结构性裂缝、局部破损），−5%", "Minor, non-structural defects, −5%"),
  flag("poor-maintenance", 9_000, "维护状况差，−10%", "Poorly maintained, −10%"),
  flag("water-damage", 9_300, "渗漏水或水浸痕迹，−7%", "Leaks or water damage, −7%"),
  flag("illegal-occupation", 8_000, "被他人无权占用（腾退需诉讼或强制执行），−20%", "Occupied without right (eviction needs a lawsuit or enforcement), −20%"),
  flag("lease-encumbrance", 9_000, "带租约（买卖不破租赁），−10%", "Let under a lease that survives a sale (买卖不破租赁), −10%"),
  flag("no-access", 9_500, "无法进入查看，状况未知，−5%", "No access: condition unknown, −5%"),
  flag("seizure", 9_000, "现场有查封公告或封条（他案查封，处置受限），−10%", "Court seizure notice or seal on site (seized in another case; disposal restricted), −10%"),
  flag("unauthorised-works", 9_000, "存在违章搭建或擅自改建，−10%", "Unauthorised construction or alterations, −10%"),
  flag("utilities-cut", 9_700, "水电燃气已断，−3%", "Water, power or gas cut off, −3%"),
  flag("area-shortfall", 9_000, "实测面积较权证少5%以上，−10%", "Measured area more than 5% below the title, −10%"),
  flag("adverse-surroundings", 9_500, "周边存在嫌恶设施或环境明显不利，−5%", "Adverse surroundings (nuisances nearby), −5%"),
  flag("fixtures-removed", 9_500, "装修、设施被拆除或损毁，−5%", "Fittings and fixtures removed or wrecked, −5%"),
  flag("weak-commercial-area", 9_000, "商圈衰退、周边空置率高，−10%", "Declining trading area, high vacancy around, −10%"),
  flag("contamination", 7_000, "存在环境污染迹象（需环境评估），−30%", "Signs of contamination (needs an environmental assessment), −30%"),
  flag("fire-safety", 9_500, "消防设施缺失或未通过验收，−5%", "Fire safety missing or not approved, −5%"),
  flag("boundary-dispute", 8_500, "界址不清或存在权属争议，−15%", "Unclear boundary or disputed title, −15%"),
  flag("no-road-access", 8_500, "无通路，−15%", "No road access, −15%"),
  flag("stalled-construction", 8_500, "在建工程停工烂尾，−15%", "Construction stalled, −15%"),
  flag("planning-conflict", 8_000, "现状用途与规划或出让用途不符，−20%", "Use conflicts with zoning or the land grant, −20%"),
  flag("identity-mismatch", 5_000, "现场标的与权证或登记不一致，−50%（需核实）", "What is on site does not match the title or registration, −50% (to be verified)"),
  flag("collateral-missing", 0, "押品不在现场，下落不明，按零计", "The collateral is not there and its whereabouts are unknown: counted at zero"),
  flag("not-operational", 6_000, "设备无法运行，−40%", "The equipment does not run, −40%"),
  flag("idle", 9_000, "设备长期闲置，−10%", "The equipment stands idle, −10%"),
  flag("heavy-wear", 8_000, "磨损严重，−20%", "Heavy wear, −20%"),
  flag("dismantled", 7_000, "设备被拆分或部分转移，−30%", "The equipment is partly dismantled or removed, −30%"),
  flag("accident-damage", 7_000, "车辆有重大事故损伤，−30%", "Major accident damage, −30%"),
  flag("high-mileage", 8_500, "里程超过20万公里，−15%", "Mileage above 200,000 km, −15%"),
].map((f) => [f.code, f])));

/** One answer a checklist item allows. */
export interface ChecklistOption {
  readonly value: string;
  readonly zh: string;
  readonly en: string;
  /** The flag this answer raises, if any (a key of {@link SURVEY_FLAGS}). */
  readonly flag?: string;
}

/** One item of a checklist. */
export interface ChecklistItem {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  /** True when the item needs a person's judgment: the surveyor must answer it and may add a note. */
  readonly judgment: boolean;
  /** Must be answered (every judgment item is). */
  readonly required: boolean;
  /** A photo is expected with the answer (a missing one is not an error; it is listed by {@link validateSurvey}). */
  readonly photo: boolean;
  readonly options: readonly ChecklistOption[];
}

export interface Checklist {
  readonly assetType: SurveyAssetType;
  readonly version: number;
  readonly zh: string;
  readonly en: string;
  readonly items: readonly ChecklistItem[];
}

const o = (value: string, zh: string, en: string, f?: string): ChecklistOption => Object.freeze(f ? { value, zh, en, flag: f } : { value, zh, en });
function item(id: string, zh: string, en: string, judgment: boolean, options: ChecklistOption[], extra: { required?: boolean; photo?: boolean } = {}): ChecklistItem {
  return Object.freeze({ id, zh, en, judgment, required: judgment || (extra.required ?? true), photo: extra.photo ?? false, options: Object.freeze(options) });
}

// Items shared by the building types.
const identity = item("identity", "现场位置、门牌与权证记载一致", "Location and number on site match the title", false, [
  o("match", "一致", "Match"), o("mismatch", "不一致", "Do not match", "identity-mismatch"),
], { photo: true });
const occupancy = item("occupancy", "占用情况", "Who occupies it", true, [
  o("vacant", "空置", "Vacant"), o("debtor", "债务人自用", "The debtor"), o("lawful-tenant", "承租人（有租约）", "A tenant under a lease", "lease-encumbrance"),
  o("unlawful-occupant", "他人无权占用", "Someone without a right to", "illegal-occupation"), o("no-access", "无法进入", "Could not get in", "no-access"),
], { photo: true });
const structure = item("structure", "主体结构", "Structure", true, [
  o("sound", "完好", "Sound"), o("minor-defects", "轻微非结构性损伤", "Minor, non-structural defects", "minor-defects"),
  o("structural-damage", "承重结构开裂、倾斜或变形", "Load-bearing cracks, tilt or deformation", "structural-damage"),
], { photo: true });
const maintenance = item("maintenance", "维护状况", "State of maintenance", true, [
  o("good", "良好", "Good"), o("fair", "一般", "Fair"), o("poor", "差", "Poor", "poor-maintenance"),
]);
const water = item("water", "渗漏水或水浸痕迹", "Leaks or water damage", false, [
  o("none", "无", "None"), o("present", "有", "Present", "water-damage"),
], { photo: true });
const seizure = item("seizure-notice", "查封公告或封条", "Court seizure notice or seal", false, [
  o("none", "无", "None"), o("present", "有", "Present", "seizure"),
], { photo: true });
const works = item("unauthorised-works", "违章搭建或擅自改建", "Unauthorised construction or alterations", true, [
  o("none", "无", "None"), o("present", "有", "Present", "unauthorised-works"),
], { photo: true });
const utilities = item("utilities", "水电燃气", "Water, power, gas", false, [
  o("connected", "正常", "Connected"), o("cut", "已断", "Cut off", "utilities-cut"),
], { required: false });
const area = item("area", "实测面积与权证比对", "Measured area against the title", false, [
  o("consistent", "基本一致（差异≤5%）", "Consistent (within 5%)"), o("shortfall", "少于权证5%以上", "More than 5% below the title", "area-shortfall"),
], { required: false });
const surroundings = item("surroundings", "周边环境", "Surroundings", true, [
  o("normal", "正常", "Normal"), o("adverse", "存在嫌恶设施或明显不利因素", "Nuisances or clearly adverse", "adverse-surroundings"),
]);

const buildingCore = [identity, occupancy, structure, maintenance, water, seizure, works, utilities, area, surroundings];

/** The checklists, one per collateral type. */
export const CHECKLISTS: Readonly<Record<SurveyAssetType, Checklist>> = Object.freeze({
  residential: Object.freeze({
    assetType: "residential", version: CHECKLIST_VERSION, zh: "住宅勘察清单", en: "Residential survey checklist",
    items: Object.freeze([...buildingCore,
      item("fittings", "装修与设施", "Fittings and fixtures", false, [
        o("intact", "完好", "Intact"), o("basic", "简易", "Basic"), o("removed", "被拆除或损毁", "Removed or wrecked", "fixtures-removed"),
      ], { photo: true }),
    ]),
  }),
  commercial: Object.freeze({
    assetType: "commercial", version: CHECKLIST_VERSION, zh: "商业用房勘察清单", en: "Commercial property survey checklist",
    items: Object.freeze([...buildingCore,
      item("trading-area", "商圈与周边空置", "Trading area and vacancy around", true, [
        o("active", "繁荣", "Active"), o("average", "一般", "Average"), o("declining", "衰退、空置率高", "Declining, high vacancy", "weak-commercial-area"),
      ], { photo: true }),
      item("fire-safety", "消防设施与验收", "Fire safety and approval", false, [
        o("approved", "齐全并通过验收", "In place and approved"), o("missing", "缺失或未验收", "Missing or not approved", "fire-safety"),
      ]),
    ]),
  }),
  industrial: Object.freeze({
    assetType: "industrial", version: CHECKLIST_VERSION, zh: "工业厂房勘察清单", en: "Industrial property survey checklist",
    items: Object.freeze([...buildingCore,
      item("contamination", "环境污染迹象", "Signs of contamination", true, [
        o("none", "未见", "None seen"), o("suspected", "疑似污染", "Suspected", "contamination"),
      ], { photo: true }),
      item("fire-safety", "消防设施与验收", "Fire safety and approval", false, [
        o("approved", "齐全并通过验收", "In place and approved"), o("missing", "缺失或未验收", "Missing or not approved", "fire-safety"),
      ]),
    ]),
  }),
  land: Object.freeze({
    assetType: "land", version: CHECKLIST_VERSION, zh: "土地勘察清单", en: "Land survey checklist",
    items: Object.freeze([
      identity,
      item("boundary", "界址", "Boundary", true, [
        o("clear", "清楚无争议", "Clear, undisputed"), o("disputed", "不清或有争议", "Unclear or disputed", "boundary-dispute"),
      ], { photo: true }),
      item("occupancy", "占用情况（含地上附着物）", "Occupation (incl. structures and crops on it)", true, [
        o("vacant", "空地", "Vacant"), o("debtor", "债务人使用", "Used by the debtor"), o("lawful-tenant", "出租（有租约）", "Let under a lease", "lease-encumbrance"),
        o("unlawful-occupant", "他人无权占用", "Occupied without right", "illegal-occupation"),
      ], { photo: true }),
      item("road-access", "通路", "Road access", false, [o("yes", "有", "Yes"), o("no", "无", "No", "no-road-access")]),
      item("development", "开发状况", "Development", false, [
        o("undeveloped", "未开发", "Undeveloped"), o("built", "已建成", "Built"), o("stalled", "在建停工", "Construction stalled", "stalled-construction"),
      ], { photo: true }),
      item("planning", "现状用途与规划、出让用途", "Use against zoning and the land grant", true, [
        o("consistent", "一致", "Consistent"), o("conflict", "不一致", "Conflicting", "planning-conflict"),
      ]),
      item("contamination", "环境污染迹象", "Signs of contamination", true, [
        o("none", "未见", "None seen"), o("suspected", "疑似污染", "Suspected", "contamination"),
      ], { photo: true }),
      seizure,
    ]),
  }),
  equipment: Object.freeze({
    assetType: "equipment", version: CHECKLIST_VERSION, zh: "机器设备勘察清单", en: "Equipment survey checklist",
    items: Object.freeze([
      item("present", "设备在场", "The equipment is there", false, [
        o("present", "在场", "There"), o("partly", "部分缺失或被拆分", "Partly missing or dismantled", "dismantled"), o("missing", "不在场", "Not there", "collateral-missing"),
      ], { photo: true }),
      item("nameplate", "铭牌、编号与抵押清单一致", "Nameplate and serial numbers match the pledge list", false, [
        o("match", "一致", "Match"), o("mismatch", "不一致", "Do not match", "identity-mismatch"),
      ], { photo: true }),
      item("operation", "运行状况", "Operation", true, [
        o("running", "正常运行", "Running"), o("idle", "闲置（可运行）", "Idle (can run)", "idle"), o("not-operational", "无法运行", "Does not run", "not-operational"),
      ]),
      item("wear", "磨损与保养", "Wear and upkeep", true, [
        o("good", "良好", "Good"), o("fair", "一般", "Fair"), o("heavy", "严重磨损", "Heavy wear", "heavy-wear"),
      ], { photo: true }),
      seizure,
    ]),
  }),
  vehicle: Object.freeze({
    assetType: "vehicle", version: CHECKLIST_VERSION, zh: "车辆勘察清单", en: "Vehicle survey checklist",
    items: Object.freeze([
      item("present", "车辆下落", "Where the vehicle is", false, [
        o("found", "找到", "Found"), o("missing", "未找到", "Not found", "collateral-missing"),
      ], { photo: true }),
      item("vin", "车架号与登记一致", "VIN matches the registration", false, [
        o("match", "一致", "Match"), o("mismatch", "不一致", "Does not match", "identity-mismatch"),
      ], { photo: true }),
      item("damage", "事故损伤", "Accident damage", true, [
        o("none", "无", "None"), o("minor", "轻微", "Minor", "minor-defects"), o("major", "重大", "Major", "accident-damage"),
      ], { photo: true }),
      item("mileage", "里程", "Mileage", false, [
        o("under-100k", "10万公里以下", "Under 100,000 km"), o("100k-200k", "10万–20万公里", "100,000–200,000 km"), o("over-200k", "20万公里以上", "Over 200,000 km", "high-mileage"),
      ], { photo: true }),
      item("registration", "登记状态（查封、扣押）", "Registration status (seized, impounded)", false, [
        o("normal", "正常", "Normal"), o("seized", "已被查封或扣押", "Seized or impounded", "seizure"),
      ]),
    ]),
  }),
});
