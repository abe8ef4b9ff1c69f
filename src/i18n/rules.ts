/**
 * The rule codes of ValidationError (src/core/errors.ts) in zh-CN and English: what a refusal says after the
 * field it names (`{field}：<rule>`), in the reader's language, where the rule itself is a code such as
 * `not-in-the-future` or `one-of:joint|general`. A code with {placeholders} matches rules of its shape
 * (`text-1-{max}` matches `text-1-200`); a rule `code: explanation` matches its code. Every code thrown in
 * src/ has a text here (test/i18n/rule-codes.test.ts scans for them).
 */
import type { Lang } from "./messages.js";
import { RULE_SENTENCES } from "./rule-sentences.js";

const r = (zh: string, en: string): [string, string] => [zh, en];

export const RULE_TEXTS: Record<string, [zh: string, en: string]> = {
  // Presence and shape
  required: r("为必填项", "is required"),
  defined: r("不能为 undefined", "must be defined"),
  "non-empty": r("不能为空", "must not be empty"),
  empty: r("不能为空（至少一项）", "must not be empty (at least one item)"),
  "not-blank": r("不能为空白", "must not be blank"),
  "unknown-field": r("不是可识别的字段", "is not a known field"),
  "not-allowed": r("不是允许的字段", "is not an allowed property"),
  object: r("应为对象", "must be an object"),
  "object-or-null": r("应为对象或 null", "must be an object or null"),
  "plain-object": r("应为普通 JSON 对象", "must be a plain JSON object"),
  array: r("应为数组", "must be an array"),
  "non-empty-array": r("应为非空数组", "must be a non-empty array"),
  string: r("应为字符串", "must be a string"),
  boolean: r("应为 true 或 false", "must be true or false"),
  "json-value": r("应为可用 JSON 表示的值", "must be a value JSON can hold"),
  "canonical-json": r("应为规范化 JSON（RFC 8785）", "must be canonical JSON (RFC 8785)"),
  "well-formed-unicode": r("含有不完整的 Unicode 字符", "must be well-formed Unicode"),
  "safe-integer": r("应为安全范围内的整数", "must be a safe integer"),
  "too-many": r("项数过多", "has too many items"),
  unique: r("不能重复", "must not repeat"),
  duplicate: r("重复出现", "is listed twice"),
  "one-of": r("不在允许的取值范围内", "is not one of the allowed values"),
  "one-of:{values}": r("应为以下之一：{values}", "must be one of {values}"),
  "array-{min}-{max}": r("应为 {min} 至 {max} 项的数组", "must be an array of {min} to {max} items"),
  "array-of-{min}-{max}": r("应为 {min} 至 {max} 项的数组", "must be an array of {min} to {max} items"),
  "array-of-at-most-{max}": r("应为最多 {max} 项的数组", "must be an array of at most {max} items"),
  "text-1-{max}": r("应为 1 至 {max} 个字符的文字", "must be text of 1 to {max} characters"),
  "1-{max}-characters": r("应为 1 至 {max} 个字符", "must have 1 to {max} characters"),
  "no-control-characters": r("不能含有控制字符", "must not contain control characters"),
  "min-{n}-bytes": r("至少 {n} 字节", "must have at least {n} bytes"),
  "integer-{min}-{max}": r("应为 {min} 至 {max} 之间的整数", "must be an integer from {min} to {max}"),
  "integer-range": r("超出允许的整数范围", "must be a whole number in the allowed range"),
  "non-negative-integer": r("应为非负整数", "must be a non-negative integer"),
  "non-negative": r("不能为负数", "must not be negative"),
  "positive-integer": r("应为正整数", "must be a positive integer"),
  positive: r("应大于零", "must be above zero"),
  "min-above-max": r("下限不能高于上限", "min must not exceed max"),

  // Forms of values
  "bytes32-hex": r("应为 0x 开头的 64 位十六进制数", "must be 0x and 64 hex digits"),
  "bytes32-hex-lowercase": r("应为 0x 开头的 64 位小写十六进制数", "must be 0x and 64 lowercase hex digits"),
  bytes32: r("应为 32 字节的十六进制值", "must be a 32-byte hex value"),
  hash: r("应为 0x 开头的 64 位十六进制哈希（文件的 keccak256）", "must be 0x + 64 hex digits (keccak256 of the file)"),
  "hash-32-bytes-lowercase-hex": r("应为 32 字节的小写十六进制哈希", "must be a 32-byte hash in lowercase hex"),
  date: r("应为日期 YYYY-MM-DD", "must be a date, YYYY-MM-DD"),
  "date-YYYY-MM-DD": r("应为日期 YYYY-MM-DD", "must be a date, YYYY-MM-DD"),
  "date-range": r("日期范围无效（开始不能晚于结束）", "is not a valid date range (the start must not follow the end)"),
  "iso-8601-date-time": r("应为日期时间（ISO 8601）", "must be a date and time (ISO 8601)"),
  "iso-8601-date-time-with-offset": r("应为带时区偏移的日期时间（ISO 8601）", "must be a date and time with its offset (ISO 8601)"),
  "iso-instant-utc": r("应为 UTC 时间（ISO 8601，以 Z 结尾）", "must be a UTC instant (ISO 8601, ending in Z)"),
  "iana-time-zone": r("应为 IANA 时区，例如 Asia/Shanghai", "must be an IANA time zone, e.g. Asia/Shanghai"),
  fen: r("应为以分计的金额（十进制整数字符串）", "must be an amount in fen (a decimal string of an integer)"),
  bps: r("应为基点数（非负整数或如 \"478.5\" 的小数字符串）", "must be basis points, a non-negative integer or a decimal string such as \"478.5\""),
  "bps-range": r("超过允许的基点上限", "is above the allowed basis points"),
  "opaque-id": r("应为不透明编号（字母、数字及 . _ : @ -），不能是姓名", "must be an opaque id (letters, digits, . _ : @ -), never a name"),
  "source-id": r("应为主机名或机构代码（字母、数字、. _ -）", "must be a host name or agency code (letters, digits, . _ -)"),
  "phone-number": r("不是有效的电话号码", "is not a valid phone number"),
  "id-number": r("不是有效的身份证号码", "is not a valid ID number"),
  "id-number-length": r("居民身份证号码应为 18 位（GB 11643）", "a resident ID number has 18 characters (GB 11643)"),
  "id-number-region": r("身份证号码前两位不是省级行政区划代码（GB/T 2260）", "the ID number's first two digits are not a province code (GB/T 2260)"),
  "id-number-birth-date": r("身份证号码中的出生日期不存在或晚于今天", "the ID number's date of birth does not exist or is in the future"),
  "id-number-check-digit": r("身份证号码校验码错误（GB 11643）", "the ID number's check digit is wrong (GB 11643)"),
  "region-ambiguous": r("是多个行政区划的名称，请写明上级区划（如 北京市朝阳区）或代码", "names several administrative divisions: give the province and city before it, or the six-digit code"),
  "region-unknown": r("不在行政区划清单中（GB/T 2260）", "is not in the list of administrative divisions (GB/T 2260)"),
  "region-code": r("应为行政区划（GB/T 2260）的名称或代码，如 上海、310115（不能是地址）", "must be a region of GB/T 2260, by name or code, such as Shanghai or 310115 (no address)"),
  "district-code": r("应为 6 位县级行政区划代码（GB/T 2260）", "must be a six-digit GB/T 2260 district code"),
  "coarse-grid-cell": r("应为 \"纬度,经度\"，最多两位小数（约 1 公里）；更精确的位置属于个人信息", "must be \"lat,lng\" with at most two decimals (about 1 km); finer places are personal data"),
  "room-not-sellers": r("不是卖方本机构的资料室", "is not a data room of the seller's"),
  "room-claims-differ": r("资料室的债权与挂牌的债权不一致", "holds other claims than the listing"),
  "relist-option-unavailable": r("不是该挂牌的处置建议中的方案", "is not one of the listing's advised options"),
  "relist-parts:{count}": r("应逐一给出所选方案的 {count} 个包", "must give one entry per package of the chosen option ({count})"),
  "relist-window-within-a-year": r("应在一年之内", "must be within a year from now"),
  "listing-number": r("不是有效的挂牌编号", "is not a valid listing number"),
  "no-personal-data": r("不能含有电话或身份证号码等个人信息", "must not hold personal data such as phone or ID numbers"),
  "interruption-proof-object": r("应为中断时效证明（JSON 对象）", "must be an interruption proof (a JSON object)"),

  // Time and order
  "not-in-the-future": r("不能晚于现在", "must not be in the future"),
  "after-2000": r("应晚于 2000 年", "must be after 2000"),
  "after-cutoff": r("不能晚于基准日", "must not be after the cut-off date"),
  "before-disbursement": r("不能早于放款日", "must not be before the disbursement"),
  "not-before-the-offer": r("不能早于方案发出日", "must not be before the offer was issued"),
  "not-after-maturityAt": r("不能晚于到期日", "must not be after maturityAt"),
  "not-before-acceptedAt": r("不能早于受理日", "must not be before acceptedAt"),
  "not-before-cutoffDate": r("不能早于基准日", "must not be before the cut-off date"),
  "delivered-before-sent": r("早于通知发出时间", "is before the notice was sent"),
  "ended-before-started": r("结束时间不能早于开始时间", "must not end before it started"),
  "start-before-end": r("开始时间应早于结束时间", "must start before it ends"),
  ascending: r("应按时间先后排列", "must be in ascending order"),
  "30-days-to-3-months-after-announcement": r("应在受理公告后 30 日至 3 个月之间（企业破产法第 45 条）", "must be 30 days to 3 months after the announcement (Enterprise Bankruptcy Law art. 45)"),

  // Combinations
  "exactly-one-of-content-or-contentHash": r("content 与 contentHash 须且只能填写一个", "give exactly one of content or contentHash"),
  "name-or-phone-required": r("请填写对方姓名或电话", "give the person's name or phone number"),
  "bankruptcy-or-objection": r("请填写破产信息或异议信息", "give bankruptcy or objection"),
  "required-with-kind-prior-history": r("kind 为 prior-history 时必填", "is required when kind is prior-history"),
  "only-with-kind-prior-history": r("仅在 kind 为 prior-history 时可填写", "is only for kind prior-history"),
  "only-with-kind-delivery-proof": r("仅在 kind 为 delivery-proof 时可填写", "is only for kind delivery-proof"),
  "only-with-kind-address-confirmation": r("仅在 kind 为 address-confirmation 时可填写", "is only for kind address-confirmation"),
  "required-with-method-{method}": r("送达方式为 {method} 时必填", "is required with delivery method {method}"),
  "required-for-outbound": r("对外联系时必填", "is required for an outbound contact"),
  "absent-when-internal": r("内部记录不应填写此项", "must be absent for an internal record"),
  "required-unless-internal": r("非内部记录必填", "is required unless the record is internal"),
  "only-for-demand": r("仅催收可填写送达时间", "only a demand is delivered"),
  "only-for-suit": r("仅起诉、仲裁或支付令申请有结束时间", "only a suit, arbitration or payment-order application ends"),
  "only-on-judgment-items": r("仅判断类项目可填写备注", "is only for items that need the surveyor's judgment"),
  "judgment-required": r("需要勘查人员的判断", "needs the surveyor's judgment"),
  "maturity-or-installments-required": r("请填写到期日或分期还款日", "give the maturity or the installments"),
  "maturity-required-for-guarantee": r("保证债权需要主债务到期日", "a guarantee needs the principal debt's maturity"),
  "at-most-one-ours": r("最多一项可标为本行（ours）", "at most one may be ours"),
  "one-currency": r("所有债权应为同一币种", "must all be in one currency"),

  // Facts of claims and records
  "claim-holding-unknown": r("本节点不知道该债权的持有情况", "names a claim whose holding is not known here"),
  "notice-of-this-claim": r("应为本债权已记录的通知", "must be a notice recorded for this claim"),
  "delivery-proof-of-this-claim": r("应为本债权已记录的送达凭证", "must be a delivery proof recorded for this claim"),
  "address-confirmation-of-this-claim": r("应为本债权已记录的送达地址确认书", "must be an address confirmation recorded for this claim"),
  "no-loan-file-here": r("本节点没有该债权的贷款资料（转让通知需要债务人和担保人信息）", "has no loan file here (the transfer notices need the debtor and guarantors)"),
  "claim-has-no-collateral": r("该债权没有押品可供勘查", "the claim has no collateral to survey"),
  "must-match-collateral:{type}": r("应与债权的押品类型（{type}）一致", "must match the claim's collateral ({type})"),
  "not-an-item-of-the-{checklist}-checklist": r("不是 {checklist} 勘查清单中的项目", "is not an item of the {checklist} checklist"),
  "at-most-{max}-photos": r("照片最多 {max} 张", "must have at most {max} photos"),
  "package-id-taken": r("资产包编号已被本机构使用", "was already used by your organisation"),
  "pboc-30-50": r("罚息、复利应为合同利率加收 30%–50%（人民银行规定）", "penalty and compound interest must be the contract rate plus 30–50% (PBOC rules)"),
  "principal-sum": r("各期本金之和应等于贷款本金", "the installments' principal must add up to the loan's principal"),
  "implausible-amount": r("金额疑似录入错误；确认无误请发送 confirmImplausible: true", "is implausible; send confirmImplausible: true if it is right"),
  "valuation-order": r("应满足 P10 ≤ P50 ≤ P90", "must have p10 ≤ p50 ≤ p90"),
  "beyond-any-authority": r("超出所有角色的授权范围", "is beyond every role's authority"),
  "at-least-one-fen-per-installment": r("每期至少 1 分", "must be at least one fen per installment"),
  "record-at-index": r("该位置的记录与所给记录不符", "must be the record at that index"),
  "in-tree": r("不在该批次的默克尔树中", "must be in the batch's Merkle tree"),
  // Packages' data rooms (issue 19)
  address: r("应为账户地址（0x 加 40 位十六进制）", "must be an account address (0x and 40 hex digits)"),
  "unix-seconds": r("应为 Unix 时间（秒）", "must be a time in unix seconds"),
  "percent-encoded": r("应为百分号编码的文本", "must be percent-encoded text"),
  "not-after-today": r("不能晚于今天", "must not be after today"),
  "not-held-by-seller": r("应由卖方持有", "must be held by the seller"),
  "no-record-here": r("本节点没有该债权的贷款资料", "has no loan record at this node"),
};

interface Shape {
  key: string;
  pattern: RegExp;
  names: string[];
  /** Characters of the key outside its placeholders: the more, the more specific. */
  literal: number;
}

/** A rule found: its code (or English sentence) and the values its placeholders stand for. */
interface Found {
  key: string;
  vars: Record<string, string>;
  texts: [zh: string, en: string];
}

const textsOf = (key: string): [string, string] | undefined =>
  RULE_TEXTS[key] ?? (RULE_SENTENCES[key] !== undefined ? [RULE_SENTENCES[key]!, key] : undefined);

/** Shapes with placeholders, most specific first; `{token}` stands for one word with a digit (a format, a version), any other for text. */
const SHAPES: Shape[] = [...Object.keys(RULE_TEXTS), ...Object.keys(RULE_SENTENCES)].filter((key) => /\{\w+\}/.test(key)).map((key) => {
  const names: string[] = [];
  const parts = key.split(/(\{\w+\})/);
  const source = parts.map((part) => {
    const m = /^\{(\w+)\}$/.exec(part);
    if (!m) return part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
    names.push(m[1]!);
    return m[1] === "token" ? "(\\S*\\d\\S*)" : "(.+?)";
  }).join("");
  return { key, pattern: new RegExp(`^${source}$`), names, literal: parts.filter((p) => !/^\{\w+\}$/.test(p)).join("").length };
}).sort((a, b) => b.literal - a.literal);

/**
 * `rule` found among the rule codes and sentences: itself, a shape it matches, or the code before its
 * `: explanation`. Null when it has no text (free text nobody translated).
 */
export function ruleCodeOf(rule: string): Found | null {
  const exact = textsOf(rule);
  if (exact) return { key: rule, vars: {}, texts: exact };
  for (const s of SHAPES) {
    const m = s.pattern.exec(rule);
    if (m) return { key: s.key, vars: Object.fromEntries(s.names.map((n, i) => [n, m[i + 1]!.replaceAll("|", ", ")])), texts: textsOf(s.key)! };
  }
  const head = /^([a-z0-9]+(?:-[a-zA-Z0-9]+)*):\s/.exec(rule)?.[1];
  return head && RULE_TEXTS[head] ? { key: head, vars: {}, texts: RULE_TEXTS[head]! } : null;
}

/** `rule` in `lang`, or null when it has no text. */
export function ruleText(rule: string, lang: Lang): string | null {
  const found = ruleCodeOf(rule);
  if (!found) return null;
  const [zh, en] = found.texts;
  return (lang === "en" ? en : zh).replace(/\{(\w+)\}/g, (whole, name: string) => found.vars[name] ?? whole);
}
