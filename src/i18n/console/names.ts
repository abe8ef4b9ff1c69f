/** Names of codes (roles, classes, states, products, regions, …) as a person reads them. */
import { REGIONS, regionByKey, type Region } from "../../core/regions.js";
import { named, type Texts } from "./text.js";

export const NAMES_TEXTS: Texts = {
  ...named("console.txStatus", { success: ["成功", "success"], reverted: ["已回滚", "reverted"] }),
  ...named("console.role", { admin: ["管理员", "admin"], bank: ["银行", "bank"], amc: ["资产管理公司", "AMC"], collector: ["催收员", "collector"], court: ["法院", "court"], oracle: ["预言机", "oracle"], feed: ["数据源", "feed"] }),
  ...named("console.class", { pass: ["正常", "Pass"], "special-mention": ["关注", "Special mention"], substandard: ["次级", "Substandard"], doubtful: ["可疑", "Doubtful"], loss: ["损失", "Loss"] }),
  ...named("console.state", {
    performing: ["正常履约", "Performing"], overdue: ["逾期", "Overdue"], warned: ["已提醒", "Warned"], demanded: ["已催告", "Demanded"],
    "in-arbitration": ["仲裁中", "In arbitration"], ruled: ["已裁决", "Ruled"], closed: ["已结案", "Closed"], restructured: ["已重组", "Restructured"],
  }),
  ...named("console.product", { mortgage: ["住房按揭", "Mortgage"], consumer: ["消费贷款", "Consumer loan"], "credit-card": ["信用卡", "Credit card"], sme: ["小微企业贷款", "SME loan"], corporate: ["对公贷款", "Corporate loan"] }),
  // Every canonical region (src/core/regions.ts, GB/T 2260): 上海 / Shanghai, as people name them.
  ...named("console.region", { ...regionNames(), "-": ["未填", "not given"] }),
  ...named("console.path", { "self-collection": ["自行清收", "Self-collection"], restructuring: ["债务重组", "Restructuring"], "package-sale": ["批量转让", "Package sale"], "litigation-auction": ["诉讼及司法拍卖", "Litigation and auction"], "write-off": ["核销", "Write-off"] }),
  ...named("console.clause", { warn: ["逾期提醒", "Warning"], demand: ["正式催告", "Formal demand"], arbitration: ["申请仲裁", "Arbitration"] }),
  ...named("console.relation", {
    debtor: ["债务人", "debtor"], "co-debtor": ["共同债务人", "co-debtor"], guarantor: ["担保人", "guarantor"], "legal-representative": ["法定代表人", "legal representative"],
    "authorised-agent": ["授权代理人", "authorised agent"], family: ["家庭成员", "family member"], employer: ["工作单位", "employer"], colleague: ["同事", "colleague"], other: ["其他人", "someone else"],
  }),
  ...named("console.rule", { "contact-hours": ["联系时段", "contact hours"], "daily-cap": ["每日上限", "daily cap"], "weekly-cap": ["每周上限", "weekly cap"], "third-party": ["第三方", "third party"] }),
  ...named("console.direction", { outbound: ["主动联系", "outbound"], inbound: ["对方来电/来访", "inbound"], internal: ["内部记录", "internal"] }),
  ...named("console.ownership", { registered: ["登记", "Registered"], assigned: ["转让", "Assigned"], transferred: ["转移", "Transferred"] }),
  ...named("console.caseEvent", {
    report: ["预言机报告", "Oracle report"], "state-changed": ["状态变更", "State change"], "arbitration-started": ["申请仲裁", "Arbitration"],
    "ruling-applied": ["裁决执行", "Ruling"], "enforcement-ordered": ["强制执行", "Enforcement"], closed: ["结案", "Closed"], restructured: ["重组", "Restructured"],
  }),
  ...named("console.ruling", { refused: ["不予裁决", "refused to rule"], enforce: ["支持债权（执行押品）", "enforce (auction the collateral)"], dismiss: ["驳回", "dismissed"], settle: ["和解", "settled"] }),
  ...named("console.closure", { repaid: ["全部还清", "repaid in full"], dismissed: ["裁决驳回", "dismissed by ruling"], settled: ["和解", "settled"] }),
  ...named("console.disputeStatus", { waiting: ["待裁决", "waiting for a ruling"], solved: ["已裁决（终局）", "ruled (final)"] }),
  ...named("console.debtorType", { retail: ["个人", "individual"], corporate: ["企业", "company"] }),
  ...named("console.asset", {
    residential: ["住宅", "residential"], commercial: ["商业地产", "commercial"], industrial: ["工业地产", "industrial"], land: ["土地", "land"],
    vehicle: ["车辆", "vehicle"], equipment: ["设备", "equipment"], unsecured: ["无担保", "unsecured"],
  }),
  ...named("console.stage", { collection: ["催收", "collection"], demand: ["正式催告", "formal demand"], litigation: ["诉讼", "litigation"], enforcement: ["强制执行", "enforcement"], auction: ["司法拍卖", "auction"], transfer: ["债权转让", "transfer"] }),
};

/**
 * Every region's name as the console shows it: 北京 / Beijing, 深圳 / Shenzhen, and a district with the division it
 * lies in — 南山区（深圳） / Nanshan District, Shenzhen — so the two 朝阳区 read apart; each name once (the code added
 * where two would read alike), so the console's region input reads a name back to its region.
 */
function regionNames(): Record<string, [string, string]> {
  const short = (r: Region) => r.zh.replace(/市$/, "");
  const base = REGIONS.map((r): [string, [string, string]] => {
    const outer = r.level === "county" ? regionByKey(r.city ?? r.province!)! : undefined;
    return [r.key, outer ? [`${r.zh}（${short(outer)}）`, `${r.en}, ${outer.en}`] : [short(r), r.en]];
  });
  // Two prefectures read alike (苏州 and 宿州 are both Suzhou): the province follows the lower one; then the code.
  const apart = (list: Array<[string, [string, string]]>, fix: (key: string, name: string, lang: 0 | 1) => string) => {
    const count = [new Map<string, number>(), new Map<string, number>()] as const;
    for (const [, names] of list) for (const lang of [0, 1] as const) count[lang].set(names[lang], (count[lang].get(names[lang]) ?? 0) + 1);
    return list.map(([key, names]): [string, [string, string]] => [key, [0, 1].map((lang) =>
      (count[lang as 0 | 1].get(names[lang]!)! > 1 && regionByKey(key)!.level !== "province" ? fix(key, names[lang]!, lang as 0 | 1) : names[lang]!)) as [string, string]]);
  };
  const withProvince = apart(base, (key, name, lang) => {
    const p = regionByKey(regionByKey(key)!.province!)!;
    return lang === 0 ? `${name}（${p.zh.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, "")}）` : `${name}, ${p.en}`;
  });
  return Object.fromEntries(apart(withProvince, (key, name) => `${name} ${regionByKey(key)!.code}`));
}
