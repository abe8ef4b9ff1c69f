/**
 * The reasons of a market match (src/core/market/score.ts), in zh-CN and English: `market.reason.<group>`
 * speaks for the match, `market.against.<group>` against it, `market.source.*` says whether the investor
 * declared the preference or it was learned from its bids. Keys are stable; texts use {placeholders}
 * (`effect`, `share`, `expected`, `target`, `max` are percentages; `size`, `min`, `max` of a ticket are
 * yuan). Names of regions, products, collateral and paths come from the console's catalogue.
 */
import type { Lang } from "./messages.js";
import type { MatchReason } from "../core/market/score.js";
import { CONSOLE_MESSAGES } from "./console.js";
import { formatMajor } from "../core/money.js";

const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const MARKET_MESSAGES: Record<string, Record<Lang, string>> = {
  "market.reason.region": t("{name}：占本包余额 {share}%，估值因此上调 {effect}%", "{name}: {share}% of the balance, raises the value by {effect}%"),
  "market.against.region": t("{name}：占本包余额 {share}%，估值因此下调 {effect}%", "{name}: {share}% of the balance, lowers the value by {effect}%"),
  "market.reason.asset": t("{name}：占本包余额 {share}%，估值因此上调 {effect}%", "{name}: {share}% of the balance, raises the value by {effect}%"),
  "market.against.asset": t("{name}：占本包余额 {share}%，估值因此下调 {effect}%", "{name}: {share}% of the balance, lowers the value by {effect}%"),
  "market.reason.collateral": t("押品为{name}：占本包余额 {share}%，估值因此上调 {effect}%", "collateral {name}: {share}% of the balance, raises the value by {effect}%"),
  "market.against.collateral": t("押品为{name}：占本包余额 {share}%，估值因此下调 {effect}%", "collateral {name}: {share}% of the balance, lowers the value by {effect}%"),
  "market.reason.path": t("建议处置方式为{name}：占本包余额 {share}%，估值因此上调 {effect}%", "disposal path {name}: {share}% of the balance, raises the value by {effect}%"),
  "market.against.path": t("建议处置方式为{name}：占本包余额 {share}%，估值因此下调 {effect}%", "disposal path {name}: {share}% of the balance, lowers the value by {effect}%"),
  "market.reason.timeBarred": t("已过诉讼时效的债权占余额 {share}%，估值因此上调 {effect}%", "time-barred claims: {share}% of the balance, raises the value by {effect}%"),
  "market.against.timeBarred": t("已过诉讼时效的债权占余额 {share}%，估值因此下调 {effect}%", "time-barred claims: {share}% of the balance, lowers the value by {effect}%"),
  "market.reason.loss": t("损失类占余额 {share}%，估值因此上调 {effect}%", "classed loss: {share}% of the balance, raises the value by {effect}%"),
  "market.against.loss": t("损失类占余额 {share}%，估值因此下调 {effect}%", "classed loss: {share}% of the balance, lowers the value by {effect}%"),
  "market.reason.dpdYears": t("平均逾期 {amount} 年，估值因此上调 {effect}%", "{amount} years past due on average, raises the value by {effect}%"),
  "market.against.dpdYears": t("平均逾期 {amount} 年，估值因此下调 {effect}%", "{amount} years past due on average, lowers the value by {effect}%"),
  "market.reason.spread": t("估值区间宽度 {amount}（P90−P10 与 P50 之比），估值因此上调 {effect}%", "valuation spread {amount} ((P90 − P10) / P50), raises the value by {effect}%"),
  "market.against.spread": t("估值区间宽度 {amount}（P90−P10 与 P50 之比），估值因此下调 {effect}%", "valuation spread {amount} ((P90 − P10) / P50), lowers the value by {effect}%"),
  "market.reason.ticket": t("包的估值 {size} 元在投资规模 {min}–{max} 元之内", "the package's valuation {size} yuan is within the ticket size {min}–{max} yuan"),
  "market.against.ticket": t("包的估值 {size} 元超出投资规模 {min}–{max} 元，估值因此下调 {effect}%", "the package's valuation {size} yuan is outside the ticket size {min}–{max} yuan, lowers the value by {effect}%"),
  "market.reason.timeBarredTolerance": t("已过诉讼时效 {claims} 笔、占余额 {share}%，在可接受的 {max}% 以内", "{claims} time-barred claims, {share}% of the balance: within the {max}% accepted"),
  "market.against.timeBarredTolerance": t("已过诉讼时效 {claims} 笔、占余额 {share}%，超过可接受的 {max}%", "{claims} time-barred claims, {share}% of the balance: above the {max}% accepted"),
  "market.reason.returnTarget": t("按保留价买入的预期收益 {expected}%，达到目标收益 {target}%", "expected return at the reserve price {expected}%, meets the target of {target}%"),
  "market.against.returnTarget": t("按保留价买入的预期收益 {expected}%，低于目标收益 {target}%", "expected return at the reserve price {expected}%, below the target of {target}%"),
  "market.source.declared": t("投资人已声明", "declared by the investor"),
  "market.source.learned": t("依其以往 {bids} 次出价（{wins} 次中标）得出", "learned from its {bids} past bids ({wins} won)"),
  "market.source.both": t("投资人已声明，并依其以往 {bids} 次出价（{wins} 次中标）修正", "declared by the investor, adjusted by its {bids} past bids ({wins} won)"),
};

/** Where a reason's value name comes from in the console's catalogue. */
const NAME_FAMILY: Record<string, string> = { region: "console.region", asset: "console.product", collateral: "console.asset", path: "console.path" };

/** The message `key` in `lang` with `params` filled in. Unknown keys come back as the key. */
export function marketText(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const text = MARKET_MESSAGES[key]?.[lang] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** A reason as a sentence in `lang`, with where it comes from (declared, learned or both). */
export function describeReason(lang: Lang, reason: MatchReason): string {
  const params: Record<string, string | number> = { ...reason.params };
  const family = NAME_FAMILY[reason.group];
  if (family && reason.value) params.name = CONSOLE_MESSAGES[`${family}.${reason.value}`]?.[lang] ?? reason.value;
  if (reason.group === "ticket") for (const k of ["size", "min", "max"]) params[k] = formatMajor(BigInt(String(params[k])), lang);
  const main = marketText(lang, reason.key, params);
  if (reason.group === "ticket" || reason.group === "returnTarget" || reason.group === "timeBarredTolerance") return main;
  const learned = reason.bids > 0;
  if (!reason.declared && !learned) return main;
  const source = reason.declared ? (learned ? "market.source.both" : "market.source.declared") : "market.source.learned";
  return `${main}${lang === "zh-CN" ? "（" : " ("}${marketText(lang, source, { bids: reason.bids, wins: reason.wins })}${lang === "zh-CN" ? "）" : ")"}`;
}
