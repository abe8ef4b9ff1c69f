/**
 * What a claim-amount result says in words (POST /v1/claim-amounts, `notes[].text`), in zh-CN and
 * English, each citing its rule; and `method`, the rules the computation follows, cited in Chinese.
 * Short names: 九民纪要 = 《全国法院民商事审判工作会议纪要》（法〔2019〕254号）.
 */
import type { Lang } from "./messages.js";

type Texts = Record<string, Record<Lang, string>>;
const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

/** Amounts in the texts are fen; they are shown as yuan with two decimals. */
function yuan(fen: string): string {
  const v = fen.padStart(3, "0");
  return `${v.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${v.slice(-2)}`;
}

export const AMOUNT_MESSAGES = {
  "cap-applied": t(
    "利息、罚息、复利及费用合计{charges}元，超过按未还本金年利率24%计算的{cap}元，超出的{excess}元法院可能不予支持（法发〔2017〕22号第二条）",
    "Interest, penalty and compound interest and fees total {charges} yuan, above 24% a year of the principal outstanding ({cap} yuan): a court would likely cut the {excess} yuan above it (Fa Fa [2017] No. 22, art. 2)",
  ),
  "cap-not-reached": t(
    "利息、罚息、复利及费用合计{charges}元，未超过按未还本金年利率24%计算的{cap}元（法发〔2017〕22号第二条）",
    "Interest, penalty and compound interest and fees total {charges} yuan, within 24% a year of the principal outstanding ({cap} yuan) (Fa Fa [2017] No. 22, art. 2)",
  ),
  "disguised-fees": t(
    "服务费、咨询费、顾问费、管理费共{amount}元，法院可能视为变相收取的利息，计入年利率24%的上限（九民纪要第51条）",
    "Service, consulting, advisory and management fees of {amount} yuan may be interest under another name: they count toward the 24% cap (Ninth Civil and Commercial Trial Minutes, art. 51)",
  ),
  "paid-above-cap": t(
    "已付利息、费用超过上限的部分{amount}元冲抵本金（民法典第六百八十条第一款；法发〔2017〕22号第二条）",
    "Charges already paid above the cap, {amount} yuan, are set against the principal (Civil Code art. 680(1); Fa Fa [2017] No. 22, art. 2)",
  ),
  "no-markup": t(
    "合同未约定罚息加收比例：逾期本金按合同利率计收逾期利息（民法典第六百七十六条）",
    "The contract agrees no penalty markup: overdue principal bears interest at the contract rate (Civil Code art. 676)",
  ),
  "stated-interest": t(
    "{field}按合同列明的利息{stated}元计，按日利率计算为{computed}元",
    "{field} counts the interest the schedule states, {stated} yuan; at the daily rate it would be {computed} yuan",
  ),
  credit: t(
    "提前还款{amount}元尚未到期抵扣，已从合计中扣除",
    "{amount} yuan paid ahead of its due date is not yet applied; it is deducted from the total",
  ),
} as const satisfies Texts;

export type AmountMessageKey = keyof typeof AMOUNT_MESSAGES;

/** Placeholders holding fen, shown in yuan. */
const MONEY_VARS = new Set(["charges", "cap", "excess", "amount", "stated", "computed"]);

/**
 * The note `key` in `lang`, its {placeholders} filled from `vars` (amounts given in fen, shown in yuan).
 * @throws Error for a key that has no text (a programming error, caught by the tests)
 */
export function amountsNote(lang: Lang, key: string, vars: Record<string, string> = {}): string {
  const texts = (AMOUNT_MESSAGES as Texts)[key];
  if (!texts) throw new Error(`no claim-amount text for ${key}`);
  return texts[lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) return `{${name}}`;
    return MONEY_VARS.has(name) ? yuan(value) : value;
  });
}

/** The rules every result follows (the response's `method`): codes, and each rule's source in Chinese. */
export const AMOUNT_RULES = {
  dayCount: "actual/360",
  capDayCount: "actual/365",
  rounding: "half-up-per-accrual",
  allocation: ["enforcementFees", "interest", "penaltyInterest", "compoundInterest", "otherFees", "principal"],
  rules: {
    dailyRate: "日利率＝年利率÷360（中国人民银行《关于人民币存贷款计结息问题的通知》，银发〔2005〕129号）；算头不算尾，基准日当日计息",
    rounding: "每次计息（余额与利率不变的一段）四舍五入至分",
    penaltyInterest: "逾期本金按罚息利率计收利息，罚息利率为合同利率加收30%–50%（《中国人民银行关于人民币贷款利率有关问题的通知》，银发〔2003〕251号第三条）；未约定加收比例的，按合同利率（《民法典》第六百七十六条）",
    compoundInterest: "对不能按时支付的利息，按罚息利率计收复利（银发〔2003〕251号第三条），以合同约定为限",
    allocation: "实现债权的有关费用、利息、主债务（《民法典》第五百六十一条）；利息中先还逾期利息（负担较重，第五百六十条第二款），再罚息、复利、其他费用",
    courtCap: "金融借款的利息、复利、罚息、违约金和其他费用总计超过年利率24%的部分可予调减（法发〔2017〕22号第二条）；以服务费、咨询费、顾问费、管理费等名义变相收取的利息计入（《全国法院民商事审判工作会议纪要》第五十一条）；实现债权的费用不计入",
  },
} as const;
