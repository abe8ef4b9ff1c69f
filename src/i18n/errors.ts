/**
 * The API's errors in words, in zh-CN and English. Every error answer carries `code` (a key below) and
 * `params` (its placeholders) beside `error`, `message`, `field` and `rule`; `message` is in the language of
 * the request's Accept-Language (English otherwise), and the console and the CLI render `code` + `params`
 * in theirs. A code without a text here falls back to the server's own message.
 */
import type { Lang } from "./messages.js";

type Texts = Record<string, [zh: string, en: string]>;

export const ERROR_TEXTS: Texts = {
  // Who is calling
  "auth.missing-key": ["缺少 API 密钥：请在 Authorization 头中提供 “Bearer <密钥>”。", "Missing API key: send \"Authorization: Bearer <key>\"."],
  "auth.unknown-key": ["API 密钥无效：服务器不认识这个密钥。", "Unknown API key: the server does not know this key."],
  "auth.malformed": ["Authorization 头格式应为 “Bearer <密钥>”。", "The Authorization header must be \"Bearer <api key>\"."],
  "forbidden.role": ["当前角色（{role}）不能执行此操作；需要：{roles}。", "Your role ({role}) may not do this; it needs {roles}."],
  "forbidden.originator-only": ["只有该债权的原始债权人可以录入登记前的历史记录。", "Only the claim's originator records its history from before the registration."],
  "forbidden.no-signing-account": ["此 API 密钥没有签名账户，不能发起链上交易。", "This API key has no signing account: it cannot send transactions."],
  "forbidden.personal-data": ["无权查询个人信息。", "Not allowed to search by personal data."],
  "forbidden.licensed-amc-only-personal": ["该挂牌含个人不良贷款，仅持牌资产管理公司可以出价（26号文）。", "This listing holds personal NPLs: only licensed AMCs may bid (CBIRC No. 26)."],
  "forbidden.licensed-amc-only": ["该挂牌仅限持牌资产管理公司出价（银行10户以上批量转让：财金〔2012〕6号）。", "Only licensed AMCs may bid on this listing (a bank's batch of ten or more: Caijin [2012] No. 6)."],
  "forbidden.not-eligible": ["出价方既非持牌资产管理公司也非合格投资者，或为卖方本身。", "The bidder is neither a licensed AMC nor a qualified investor, or is the seller itself."],
  forbidden: ["无权操作：{detail}", "Not allowed: {detail}"],

  // Input
  "validation.required": ["缺少必填字段 {field}。", "{field} is required."],
  "validation.additional": ["{field} 不是允许的字段。", "{field} is not an allowed field."],
  "validation.type": ["{field} 的类型应为 {type}。", "{field} must be a {type}."],
  "validation.pattern": ["{field} 格式不正确：应为 {expected}。", "{field} is not in the expected form: {expected}."],
  "validation.format": ["{field} 格式不正确。", "{field} is not in the expected form."],
  "validation.one-of": ["{field} 的取值不在允许范围内。", "{field} is not one of the allowed values."],
  "validation.minLength": ["{field} 至少 {limit} 个字符。", "{field} must have at least {limit} characters."],
  "validation.maxLength": ["{field} 最多 {limit} 个字符。", "{field} must have at most {limit} characters."],
  "validation.minItems": ["{field} 至少 {limit} 项。", "{field} must have at least {limit} items."],
  "validation.maxItems": ["{field} 最多 {limit} 项。", "{field} must have at most {limit} items."],
  "validation.minimum": ["{field} 不得小于 {limit}。", "{field} must be at least {limit}."],
  "validation.maximum": ["{field} 不得大于 {limit}。", "{field} must be at most {limit}."],
  "validation.invalid": ["{field} 无效：{rule}", "{field} is invalid: {rule}"],
  // A rule code's text in each language (src/i18n/rules.ts): params ruleZh and ruleEn.
  "validation.rule": ["{field}：{ruleZh}。", "{field}: {ruleEn}."],
  "validation.id-number": ["{field} 不是有效的身份证号码。", "{field} is not a valid ID number."],
  "validation.id-number-length": ["{field}：居民身份证号码应为 18 位（GB 11643）。", "{field}: a resident ID number has 18 characters (GB 11643)."],
  "validation.id-number-check-digit": ["{field}：身份证号码校验码错误（第 18 位应为 {expected}，GB 11643）。", "{field}: the ID number's check digit is wrong (the 18th character should be {expected}, GB 11643)."],
  "validation.id-number-birth-date": ["{field}：身份证号码中的出生日期 {date} 不存在或晚于今天。", "{field}: the ID number's date of birth {date} does not exist or is in the future."],
  "validation.id-number-region": ["{field}：身份证号码前两位 {code} 不是省级行政区划代码（GB/T 2260）。", "{field}: the ID number's first two digits {code} are not a province code (GB/T 2260)."],
  "validation.region-ambiguous": ["{field}：“{value}” 是多个行政区划的名称：{candidates}；请写明上级区划（如 省市区）或六位代码。", "{field}: \"{value}\" names several administrative divisions: {candidatesEn}; give the path (province, city, district) or the six-digit code."],
  "validation.region-unknown": ["{field}：“{value}” 不在行政区划清单中（GB/T 2260）；请使用 {examples} 等名称或代码。", "{field}: \"{value}\" is not in the list of administrative divisions (GB/T 2260); use a name or code such as {examples}."],
  "validation.implausible-principal": ["{field}：本金 {amount} 过小，疑似录入错误；请核对，确认无误请勾选“确认金额无误”（confirmImplausible: true）后重新提交。", "{field}: a principal of {amount} is implausibly small; check it, and confirm it (confirmImplausible: true) if it is right."],
  "validation.implausible-outstanding": ["{field}：未偿余额 {outstanding} 超过本金 {principal} 的 {multiple} 倍，疑似录入错误；请核对，确认无误请勾选“确认金额无误”（confirmImplausible: true）后重新提交。", "{field}: an outstanding of {outstanding} is more than {multiple} times the principal {principal}; check it, and confirm it (confirmImplausible: true) if it is right."],
  "validation.package-id-taken": ["资产包编号 {packageId} 已被本机构使用（{usedAt}），请换一个编号。", "Package id {packageId} was already used by your organisation ({usedAt}); choose another."],
  "validation.not-in-the-future": ["{field} 不能晚于现在。", "{field} must not be in the future."],
  "validation.iso-8601-date-time": ["{field} 应为日期时间（ISO 8601）。", "{field} must be a date and time (ISO 8601)."],
  "validation.date": ["{field} 应为日期 YYYY-MM-DD。", "{field} must be a date, YYYY-MM-DD."],
  "validation.fen": ["{field} 应为以分计的金额（十进制整数字符串）。", "{field} must be an amount in fen (a decimal string of an integer)."],
  "validation.phone-number": ["{field} 不是有效的电话号码。", "{field} is not a valid phone number."],
  "validation.name-or-phone-required": ["{field}：请填写对方姓名或电话。", "{field}: give the person's name or phone number."],
  "validation.non-empty": ["{field} 不能为空。", "{field} must not be empty."],
  "validation.unique": ["{field} 不能重复。", "{field} must not repeat."],
  "validation.backdated": ["{field}：联系时间早于允许的补录期限。", "{field}: the contact is dated earlier than the allowed backdating window."],
  "validation.before-holding": ["{field}：联系时间早于本机构持有该债权。", "{field}: the contact is dated before your organisation held the claim."],
  "validation.query-too-short": ["搜索内容至少 {limit} 个字符。", "Search for at least {limit} characters."],

  // State
  "not-found": ["未找到 {what} {id}。", "{what} {id} not found."],
  "route-not-found": ["没有这个接口：{method} {path}。", "No such route: {method} {path}."],
  "conflict.already-registered": ["该笔贷款已登记为债权（同一合同号不能重复登记）。", "This loan is already registered as a claim (a contract number registers once)."],
  "conflict.not-holder": ["债权 {claimId} 不由您持有，不能转让。", "Claim {claimId} is not held by you: it cannot be assigned."],
  "conflict.resale-restricted": ["债权 {claimId} 是批量受让的零售债权，不得再转让。", "Claim {claimId} is a retail claim bought in a package: it may not be sold on."],
  "conflict.no-loan-file": ["本节点没有债权 {claimId} 的贷款资料：出让须向受让方移交资料，仅可出让本节点存有贷款资料的债权。", "This node has no loan file of claim {claimId}: a sale hands the files over to the buyer, so only a claim whose loan record is here can be sold."],
  "conflict.paused": ["登记簿已暂停，请稍后再试。", "The registry is paused; try again later."],
  "conflict.already-ruled": ["该争议已裁决（裁决为终局）。", "This dispute has been ruled (the award is final)."],
  "conflict.not-arbitrator": ["只有仲裁机构可以裁决。", "Only the arbitrator rules."],
  "conflict.case-state": ["该债权的案件状态为「{stateName}」，不能进行此操作。", "The claim's case is {stateName}: this cannot be done now."],
  // The claim market (issue 19)
  "conflict.claim-listed": ["债权 {claimId} 已挂牌竞价：只能转让给该挂牌的中标方。", "Claim {claimId} is listed on the market: it goes only to the listing's winner."],
  "conflict.listing-exists": ["同名挂牌已存在。", "A listing with this id exists already."],
  "conflict.listing-status": ["该挂牌当前状态不能进行此操作。", "The listing's status does not allow this now."],
  "conflict.bid-exists": ["每个竞买人对每个挂牌只能密封出价一次，出价不可更改。", "One sealed bid per bidder and listing; a bid is never replaced."],
  "conflict.commit-closed": ["密封出价期已结束。", "The sealed-bid phase has ended."],
  "conflict.reveal-closed": ["不在揭示期内：出价只能在出价期结束后、揭示期结束前揭示；逾期未揭示的出价无效，保证金不予退还。", "Not in the reveal phase: a bid is revealed after the commit phase and before the reveal ends; a bid not revealed in time is void and its deposit forfeit."],
  "conflict.no-bid": ["您在该挂牌下没有密封出价。", "You have no sealed bid on this listing."],
  "conflict.bidding-not-over": ["揭示期尚未结束，不能定标。", "The reveal phase has not ended: no award yet."],
  "conflict.has-bids": ["已有出价的挂牌不能撤回。", "A listing with bids cannot be withdrawn."],
  "conflict.deadline-passed": ["成交执行期限已过。", "The award's execution deadline has passed."],
  "conflict.deadline-not-passed": ["成交执行期限未到。", "The award's execution deadline has not passed."],
  "conflict.not-awarded": ["该挂牌尚未定标。", "The listing is not awarded."],
  "conflict.listing-not-unsold": ["该挂牌状态为 {status}：只有已结束且未成交（流拍、定标未执行或已撤回）的挂牌才有重新挂牌建议；尚未定标的先定标。", "The listing is {status}: only a closed listing that did not sell (unsold, award not executed, or withdrawn) has relist advice; award an open one first."],
  "conflict.room-tape-mismatch": ["卖方资料室的贷款清单不是挂牌 {listingId} 在链上承诺的那一份（{problem}）：清单在挂牌后被更改，已拒收，本节点保留的仍是先前核对无误的清单。", "The seller's data room tape is not the one listing {listingId} committed to on chain ({problem}): the tape changed after listing; refused, and this node keeps the tape it checked before."],
  "conflict.relist-exists": ["该挂牌已按另一方案重新挂牌：{listings}。", "The listing was relisted already with another plan: {listings}."],
  conflict: ["与现有状态冲突：{detail}", "Conflicts with the current state: {detail}"],
  "compliance.contact-hours": ["合规规则拒绝：不在联系时段内。", "Refused by compliance: outside contact hours."],
  "compliance.daily-cap": ["合规规则拒绝：已达每日联系上限。", "Refused by compliance: the daily contact cap is reached."],
  "compliance.weekly-cap": ["合规规则拒绝：已达每周联系上限。", "Refused by compliance: the weekly contact cap is reached."],
  "compliance.third-party": ["合规规则拒绝：不得联系第三方。", "Refused by compliance: third parties may not be contacted."],

  // The service
  "rate-limited": ["请求过于频繁，请稍后再试。", "Too many requests; try again shortly."],
  "payload-too-large": ["请求内容过大。", "The request body is too large."],
  "unavailable.chain": ["区块链节点暂时无法访问；本次请求未做任何更改，请稍后重试。", "The chain node cannot be reached; nothing was changed, try again."],
  "unavailable.store": ["存储暂时无法写入；未保存任何内容，请稍后重试。", "The store could not write; nothing was saved, try again later."],
  unavailable: ["服务暂时不可用：{detail}", "Temporarily unavailable: {detail}"],
  "chain-revert": ["链上合约拒绝了该交易：{detail}", "The contract refused the transaction: {detail}"],
  internal: ["服务器内部错误，已记录日志。", "Internal error; it has been logged."],
};

/** Texts as the pages look them up: `error.<code>` in `lang`. */
export function errorCatalog(lang: Lang): Record<string, string> {
  return Object.fromEntries(Object.entries(ERROR_TEXTS).map(([code, [zh, english]]) => [`error.${code}`, lang === "en" ? english : zh]));
}

/** The text of `code` in `lang` with `params` filled in, or null when the code has no text. */
export function renderError(code: string, params: Record<string, unknown>, lang: Lang): string | null {
  const texts = ERROR_TEXTS[code];
  if (!texts) return null;
  const text = lang === "en" ? texts[1] : texts[0];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined || params[name] === null ? whole : String(params[name])));
}

/** The language an Accept-Language header prefers (zh… → zh-CN), or null when it names neither. */
export function langOfHeader(header: string | undefined): Lang | null {
  if (!header) return null;
  const ranked = header.split(",").map((part, i) => {
    const [tag, ...rest] = part.trim().toLowerCase().split(";");
    const q = rest.map((r) => /^\s*q=([0-9.]+)\s*$/.exec(r)?.[1]).find(Boolean);
    return { tag: tag ?? "", q: q === undefined ? 1 : Number(q), i };
  }).filter((x) => x.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return null;
}
