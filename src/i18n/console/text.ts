import type { Lang } from "../messages.js";

/** Console texts by key, each in zh-CN and English. */
export type Texts = Record<string, Record<Lang, string>>;

export const en = (zh: string, english: string) => ({ "zh-CN": zh, en: english });

/** `prefix.key` texts from `{key: [zh, en]}`. */
export const named = (prefix: string, entries: Record<string, [string, string]>): Texts =>
  Object.fromEntries(Object.entries(entries).map(([k, [zh, english]]) => [`${prefix}.${k}`, en(zh, english)]));
