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
