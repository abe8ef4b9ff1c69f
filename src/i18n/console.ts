/**
 * Every text the console pages (src/api/public/console/) show, in zh-CN and English, one file per page or
 * concern under src/i18n/console/. The pages also use `kind.*` and `channel.*` from messages.ts. Keys are
 * stable; texts may use {placeholders}.
 */
import type { Lang } from "./messages.js";
import type { Texts } from "./console/text.js";
import { SHELL_TEXTS } from "./console/shell.js";
import { DASHBOARD_TEXTS } from "./console/dashboard.js";
import { QUEUE_TEXTS } from "./console/queue.js";
import { CLAIM_TEXTS } from "./console/claim.js";
import { CLAIM_ACTIONS_TEXTS } from "./console/claim-actions.js";
import { PACKAGES_TEXTS } from "./console/packages.js";
import { NAMES_TEXTS } from "./console/names.js";
import { COURT_TEXTS } from "./console/court.js";
import { MARKET_TEXTS } from "./console/market.js";
import { LISTINGS_TEXTS } from "./console/listings.js";
import { RELIST_TEXTS } from "./console/relist.js";

const PARTS: Texts[] = [SHELL_TEXTS, DASHBOARD_TEXTS, QUEUE_TEXTS, CLAIM_TEXTS, CLAIM_ACTIONS_TEXTS, PACKAGES_TEXTS, NAMES_TEXTS, COURT_TEXTS, MARKET_TEXTS, LISTINGS_TEXTS, RELIST_TEXTS];

export const CONSOLE_MESSAGES: Texts = Object.assign({}, ...PARTS);

/** Keys defined in two parts (a test keeps this empty: a later part would silently win). */
export function duplicateConsoleKeys(): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const part of PARTS) {
    for (const k of Object.keys(part)) {
      if (seen.has(k)) twice.push(k);
      seen.add(k);
    }
  }
  return twice;
}

/** Every console text in `lang`. */
export function consoleCatalog(lang: Lang): Record<string, string> {
  return Object.fromEntries(Object.entries(CONSOLE_MESSAGES).map(([k, v]) => [k, v[lang]]));
}
