/**
 * A relist advice's reason as a sentence in the reader's language (texts: ./console/relist.ts, shared with the
 * console page, which renders them the same way): money parameters as yuan, `*Bps` as percentages, a disposal
 * path by its name.
 */
import type { Lang } from "./messages.js";
import type { RelistReason } from "../core/market/relist.js";
import { CONSOLE_MESSAGES } from "./console.js";
import { formatMajor } from "../core/money.js";

/** The parameters shown as money (fen on the wire). */
export const RELIST_MONEY_PARAMS = ["reserve", "p10", "bid", "bestBid", "pathValue", "saleValue"] as const;

export function relistReasonText(lang: Lang, reason: RelistReason): string {
  const key = `console.relist.reason.${reason.code}`;
  const text = CONSOLE_MESSAGES[key]?.[lang] ?? reason.code;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = reason.params[name];
    if (v === undefined) return `{${name}}`;
    if ((RELIST_MONEY_PARAMS as readonly string[]).includes(name)) return `¥${formatMajor(BigInt(String(v)), lang)}`;
    if (name.endsWith("Bps")) return `${Number((Number(v) / 100).toFixed(2))}%`;
    if (name === "path") return CONSOLE_MESSAGES[`console.path.${v}`]?.[lang] ?? String(v);
    return String(v);
  });
}
