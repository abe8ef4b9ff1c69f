// One-off, offline: the pinyin table scripts/gen-regions.ts reads (scripts/regions-pinyin.json). Needs pinyin-pro,
// which is NOT a dependency of this project (a dictionary of every Chinese word for ~3,400 place names): install it
// somewhere else and name it, e.g.
//   npm install --prefix /tmp/py pinyin-pro@3.29.4
//   node scripts/gen-regions-pinyin.mjs /tmp/py/node_modules/pinyin-pro path/to/pca-code.json > scripts/regions-pinyin.json
// The table: each character's usual reading, and the names whose reading in context differs from reading them
// character by character (长沙 chang, 重庆 chong, 厦门 xia), with the place-name readings a general dictionary
// gets wrong corrected by hand (FIXES).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [lib, file] = process.argv.slice(2);
if (!lib || !file) {
  console.error("usage: node scripts/gen-regions-pinyin.mjs <path to pinyin-pro> <path to pca-code.json>");
  process.exit(2);
}
const entry = JSON.parse(readFileSync(resolve(lib, "package.json"), "utf8")).main ?? "index.js";
const mod = await import(pathToFileURL(resolve(lib, entry)).href);
const pinyin = mod.pinyin ?? mod.default?.pinyin;

/** Place names whose reading differs from the common word's (local readings, 地名异读). */
const FIXES = {
  乐清: "yue qing", 涡阳: "guo yang", 洪洞: "hong tong", 单县: "shan xian", 蔚县: "yu xian", 乐亭: "lao ting",
  郫都: "pi du", 黄陂: "huang pi", 浚县: "xun xian", 费县: "bi xian", 泌阳: "bi yang", 句容: "ju rong", 歙县: "she xian",
  犍为: "qian wei", 筠连: "jun lian", 蠡县: "li xian", 莎车: "sha che", 尉犁: "yu li", 柏乡: "bai xiang", 会稽: "kuai ji",
  六合: "lu he", 长子: "zhang zi", 东阿: "dong e", 番禺: "pan yu", 铅山: "yan shan", 睢县: "sui xian", 睢宁: "sui ning",
  大埔: "da bu", 黄埔: "huang pu", 阿城: "a cheng", 枞阳: "zong yang", 沈丘: "shen qiu", 巴彦淖尔: "ba yan nao er",
  乐陵: "le ling", 乐昌: "le chang", 乐山: "le shan", 乐东: "le dong", 乐安: "le an", 乐平: "le ping", 乐业: "le ye", 乐至: "le zhi",
  曾都: "zeng du", 万柏林: "wan bai lin", 大城: "da cheng", 民乐: "min le", 闵行: "min hang", 蚌山: "beng shan", 覃塘: "tan tang",
  繁峙: "fan shi",
  长沙: "chang sha", 长治: "chang zhi", 长春: "chang chun", 厦门: "xia men", 重庆: "chong qing", 六安: "lu an", 蚌埠: "beng bu",
};

/** Characters whose reading in a place name is always one (都 du, never dou; 什 shi: 喀什, 什邡). */
const CHAR_FIXES = { 都: "du", 什: "shi" };

const data = JSON.parse(readFileSync(file, "utf8"));
const names = new Set();
for (const p of data) {
  names.add(p.name);
  for (const c of p.children ?? []) {
    names.add(c.name);
    for (const a of c.children ?? []) if (/^\d{6}$/.test(a.code)) names.add(a.name);
  }
}
const read = (s) => pinyin(s, { toneType: "none", type: "array", v: false }).map((x) => x.toLowerCase());
const chars = {};
for (const n of names) for (const ch of n) chars[ch] ??= CHAR_FIXES[ch] ?? read(ch)[0];
const byName = {};
for (const n of [...names].sort()) {
  let syl = read(n);
  if (syl.length === [...n].length) syl = syl.map((s, i) => CHAR_FIXES[[...n][i]] ?? s);
  for (const [word, fix] of Object.entries(FIXES)) {
    const at = n.indexOf(word);
    if (at >= 0) syl.splice(at, word.length, ...fix.split(" "));
  }
  // Anything the dictionary could not read stays per character.
  if (syl.length !== [...n].length) continue;
  const plain = [...n].map((ch) => chars[ch]);
  if (syl.join(" ") !== plain.join(" ")) byName[n] = syl.join(" ");
}
process.stdout.write(`${JSON.stringify({ source: "pinyin-pro@3.29.4, corrected by hand (scripts/gen-regions-pinyin.mjs)", chars: Object.fromEntries(Object.entries(chars).sort()), names: byName }, null, 1)}\n`);
