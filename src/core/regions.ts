import { coded, ValidationError } from "./errors.js";

/**
 * The canonical regions a claim may name (its debtor's or its collateral's), from the administrative
 * divisions of GB/T 2260: every province-level division, and the prefecture-level cities that are provincial
 * capitals or sub-provincial or large lending markets. A region is stored as its key (the lower-case pinyin the
 * scoring core's regional figures use: "shanghai", "beijing"); registration accepts the key, the Chinese name
 * (with or without 省/市/自治区), the English name or the six-digit code, so "北京", "北京市", "Beijing" and
 * "110000" are one region, never two. Anything else is refused, naming the field.
 */
export interface Region {
  key: string;
  /** GB/T 2260 code. */
  code: string;
  zh: string;
  en: string;
  /** The province of a city (its key); none for a province-level division. */
  province?: string;
}

// [key, code, zh (full name), en]
const PROVINCES: ReadonlyArray<[string, string, string, string]> = [
  ["beijing", "110000", "北京市", "Beijing"], ["tianjin", "120000", "天津市", "Tianjin"], ["hebei", "130000", "河北省", "Hebei"],
  ["shanxi", "140000", "山西省", "Shanxi"], ["inner-mongolia", "150000", "内蒙古自治区", "Inner Mongolia"], ["liaoning", "210000", "辽宁省", "Liaoning"],
  ["jilin", "220000", "吉林省", "Jilin"], ["heilongjiang", "230000", "黑龙江省", "Heilongjiang"], ["shanghai", "310000", "上海市", "Shanghai"],
  ["jiangsu", "320000", "江苏省", "Jiangsu"], ["zhejiang", "330000", "浙江省", "Zhejiang"], ["anhui", "340000", "安徽省", "Anhui"],
  ["fujian", "350000", "福建省", "Fujian"], ["jiangxi", "360000", "江西省", "Jiangxi"], ["shandong", "370000", "山东省", "Shandong"],
  ["henan", "410000", "河南省", "Henan"], ["hubei", "420000", "湖北省", "Hubei"], ["hunan", "430000", "湖南省", "Hunan"],
  ["guangdong", "440000", "广东省", "Guangdong"], ["guangxi", "450000", "广西壮族自治区", "Guangxi"], ["hainan", "460000", "海南省", "Hainan"],
  ["chongqing", "500000", "重庆市", "Chongqing"], ["sichuan", "510000", "四川省", "Sichuan"], ["guizhou", "520000", "贵州省", "Guizhou"],
  ["yunnan", "530000", "云南省", "Yunnan"], ["tibet", "540000", "西藏自治区", "Tibet"], ["shaanxi", "610000", "陕西省", "Shaanxi"],
  ["gansu", "620000", "甘肃省", "Gansu"], ["qinghai", "630000", "青海省", "Qinghai"], ["ningxia", "640000", "宁夏回族自治区", "Ningxia"],
  ["xinjiang", "650000", "新疆维吾尔自治区", "Xinjiang"],
];

// [key, code, zh, en, province key]
const CITIES: ReadonlyArray<[string, string, string, string, string]> = [
  ["shijiazhuang", "130100", "石家庄市", "Shijiazhuang", "hebei"], ["taiyuan", "140100", "太原市", "Taiyuan", "shanxi"],
  ["hohhot", "150100", "呼和浩特市", "Hohhot", "inner-mongolia"], ["shenyang", "210100", "沈阳市", "Shenyang", "liaoning"],
  ["dalian", "210200", "大连市", "Dalian", "liaoning"], ["changchun", "220100", "长春市", "Changchun", "jilin"],
  ["harbin", "230100", "哈尔滨市", "Harbin", "heilongjiang"], ["nanjing", "320100", "南京市", "Nanjing", "jiangsu"],
  ["wuxi", "320200", "无锡市", "Wuxi", "jiangsu"], ["suzhou", "320500", "苏州市", "Suzhou", "jiangsu"],
  ["hangzhou", "330100", "杭州市", "Hangzhou", "zhejiang"], ["ningbo", "330200", "宁波市", "Ningbo", "zhejiang"],
  ["wenzhou", "330300", "温州市", "Wenzhou", "zhejiang"], ["hefei", "340100", "合肥市", "Hefei", "anhui"],
  ["fuzhou", "350100", "福州市", "Fuzhou", "fujian"], ["xiamen", "350200", "厦门市", "Xiamen", "fujian"],
  ["nanchang", "360100", "南昌市", "Nanchang", "jiangxi"], ["jinan", "370100", "济南市", "Jinan", "shandong"],
  ["qingdao", "370200", "青岛市", "Qingdao", "shandong"], ["zhengzhou", "410100", "郑州市", "Zhengzhou", "henan"],
  ["wuhan", "420100", "武汉市", "Wuhan", "hubei"], ["changsha", "430100", "长沙市", "Changsha", "hunan"],
  ["guangzhou", "440100", "广州市", "Guangzhou", "guangdong"], ["shenzhen", "440300", "深圳市", "Shenzhen", "guangdong"],
  ["foshan", "440600", "佛山市", "Foshan", "guangdong"], ["dongguan", "441900", "东莞市", "Dongguan", "guangdong"],
  ["nanning", "450100", "南宁市", "Nanning", "guangxi"], ["haikou", "460100", "海口市", "Haikou", "hainan"],
  ["chengdu", "510100", "成都市", "Chengdu", "sichuan"], ["guiyang", "520100", "贵阳市", "Guiyang", "guizhou"],
  ["kunming", "530100", "昆明市", "Kunming", "yunnan"], ["lhasa", "540100", "拉萨市", "Lhasa", "tibet"],
  ["xian", "610100", "西安市", "Xi'an", "shaanxi"], ["lanzhou", "620100", "兰州市", "Lanzhou", "gansu"],
  ["xining", "630100", "西宁市", "Xining", "qinghai"], ["yinchuan", "640100", "银川市", "Yinchuan", "ningxia"],
  ["urumqi", "650100", "乌鲁木齐市", "Urumqi", "xinjiang"],
];

export const REGIONS: readonly Region[] = [
  ...PROVINCES.map(([key, code, zh, en]) => ({ key, code, zh, en })),
  ...CITIES.map(([key, code, zh, en, province]) => ({ key, code, zh, en, province })),
];

const SUFFIX = /(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$/;
const fold = (s: string) => s.normalize("NFKC").trim().toLowerCase().replace(/[\s'’\-_.]/g, "");

const BY_NAME: ReadonlyMap<string, Region> = (() => {
  const m = new Map<string, Region>();
  for (const r of REGIONS) {
    for (const name of [r.key, r.en, r.code, r.zh, r.zh.replace(SUFFIX, "")]) m.set(fold(name), r);
  }
  m.set(fold("Nei Mongol"), m.get("innermongolia")!);
  m.set(fold("Xizang"), m.get("tibet")!);
  m.set(fold("Xi An"), m.get("xian")!);
  return m;
})();

/** The region `name` stands for, or undefined. */
export function regionOf(name: string): Region | undefined {
  return BY_NAME.get(fold(name));
}

/**
 * The canonical key of the region `value` names.
 * @throws ValidationError naming `field` (rule region-unknown) when it is in no list
 */
export function canonicalRegion(value: string, field: string): string {
  const r = regionOf(value);
  if (!r) {
    throw coded(new ValidationError(field, "region-unknown", `${field}: "${value}" is not a region of GB/T 2260 this service knows (e.g. shanghai, 上海, 310000)`), "validation.region-unknown", { value, examples: "上海 / Shanghai / 310000" });
  }
  return r.key;
}

/** Suffixes of a county-level division (区, 县, 旗, county-level 市) and names that end like one but are not. */
const DISTRICT = /^([\u4e00-\u9fff]{1,7}?(?:新区|自治县|自治旗|区|县|旗|市))/u;
const NOT_A_DISTRICT = /(小区|社区|园区|校区|景区|厂区|营区|片区|街区|商区|住宅区|开发区|工业区|保税区|城区)$/u;
const DISTRICT_EN = /\b((?:[A-Z][a-z']+ ){1,3}(?:District|County))\b/;

/**
 * The district (county-level division of GB/T 2260: 区, 县, 旗 or county-level 市) an address names, and the
 * most specific region of {@link REGIONS} before it — never the street, number, building or compound: the
 * address is cut at the district. Names only what the address spells out in administrative order
 * (province, city, district); a residential compound (…小区) or a development zone is no district. Null
 * when the address names none. Pure: the name as written (NFKC), not a code (this module holds no table of
 * the ~2,800 districts).
 */
export function addressDistrict(address: string): { region: string | null; district: string | null } {
  let rest = address.normalize("NFKC").replace(/\s+/g, "");
  let region: Region | undefined;
  for (let depth = 0; depth < 2; depth++) {
    const hit = REGIONS.filter((r) => rest.startsWith(r.zh) || (rest.startsWith(r.zh.replace(SUFFIX, "")) && r.zh.replace(SUFFIX, "").length >= 2))
      .sort((a, b) => b.zh.length - a.zh.length)[0];
    if (!hit) break;
    region = hit;
    rest = rest.slice(rest.startsWith(hit.zh) ? hit.zh.length : hit.zh.replace(SUFFIX, "").length);
  }
  let district: string | null = null;
  for (let depth = 0; depth < 2; depth++) {
    const m = DISTRICT.exec(rest);
    if (!m || NOT_A_DISTRICT.test(m[1]!)) break;
    district = m[1]!;
    rest = rest.slice(district.length);
    // A prefecture-level city this module does not list (常州市武进区): its district follows it.
    if (!district.endsWith("市") || !DISTRICT.test(rest) || NOT_A_DISTRICT.test(DISTRICT.exec(rest)![1]!)) break;
  }
  if (district === null && region === undefined) {
    const en = DISTRICT_EN.exec(address.normalize("NFKC"));
    if (en) district = en[1]!;
  }
  return { region: region?.key ?? null, district };
}
