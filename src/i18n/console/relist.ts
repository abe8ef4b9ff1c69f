/**
 * The advice for an unsold listing (src/core/market/relist.ts) and the relist action on the seller's listing page
 * (listing.js), in zh-CN and English. A reason's text is `console.relist.reason.<code>`; its money parameters
 * (`reserve`, `p10`, `bid`, `bestBid`, `pathValue`, `saleValue`) are shown as yuan, `*Bps` as percentages, `path`
 * by its name (src/i18n/relist.ts relistReasonText, and the page's own renderer).
 */
import { en, named, type Texts } from "./text.js";

export const RELIST_TEXTS: Texts = {
  ...named("console.relist.reason", {
    "outcome-no-bids": ["无人出价（保留价 {reserve}）。", "Nobody bid (reserve {reserve})."],
    "outcome-none-revealed": ["收到 {bids} 个密封出价，但无一在揭示期内揭示。", "{bids} sealed bids came, none was revealed in time."],
    "outcome-below-reserve": ["{bids} 个揭示出价均低于保留价：最高 {bestBid}，保留价 {reserve}，差 {gapBps}。", "All {bids} revealed bids were below the reserve: best {bestBid}, reserve {reserve}, {gapBps} short."],
    "outcome-award-failed": ["中标方或卖方未在期限内完成交易，且无次高出价人可递补。", "The award was not executed in time and no runner-up was left."],
    "outcome-withdrawn": ["卖方在无人出价时撤回了挂牌。", "The seller withdrew the listing before any bid."],
    "bids-below-p10": ["最高出价 {bestBid} 低于估值下限（P10 合计）{p10}：整包按此价出售会低于悲观估值。", "The best bid {bestBid} is below the valuation's low end (ΣP10) {p10}: selling whole at it gives value away."],
    "reserve-best-bid": ["保留价取最高出价 {bid}：已有买方出过此价，且不低于估值下限 {p10}。", "Reserve at the best bid {bid}: a buyer offered it already, and it is not below the valuation's low end {p10}."],
    "reserve-p10-floor": ["保留价取估值下限（P10 合计）{p10}：出价 {bid} 低于它。", "Reserve at the valuation's low end (ΣP10) {p10}: the bid {bid} is below it."],
    "reserve-no-bids-p10": ["无出价：保留价取估值下限（P10 合计）{p10}。", "No bid: reserve at the valuation's low end (ΣP10) {p10}."],
    "reserve-no-bids-lower": ["原保留价 {reserve} 已不高于估值下限 {p10} 仍无人出价：下调 {cutPct}%。", "Nobody bid at {reserve}, already at or below the low end {p10}: {cutPct}% lower."],
    "reserve-capped": ["不高于未能成交的原保留价（按份额）{reserve}。", "Not above the reserve that did not sell (its share) {reserve}."],
    "withdraw-path-worth-more": ["建议撤回：{path}的预期回收现值 {pathValue} 高于出售可得 {saleValue}（多 {gainBps}）。", "Withdraw: {path} is expected to recover {pathValue} (present value), more than a sale fetches ({saleValue}, {gainBps} more)."],
    "whole-without-withdrawn": ["整包重新挂牌，不含建议撤回的 {withdrawn} 笔，余 {claims} 笔。", "Relist whole without the {withdrawn} claims to withdraw: {claims} claims."],
    "whole-bid-near-reserve": ["最高出价 {bestBid} 已接近保留价 {reserve}（差距不到 10%）：整包按新保留价重新挂牌即可。", "The best bid {bestBid} came within 10% of the reserve {reserve}: relisting whole at the new reserve should sell."],
    "split-personal": ["拆分个人 {personal} 笔与对公 {corporate} 笔：买方分别定价。", "Split {personal} personal from {corporate} corporate claims: buyers price them apart."],
    "split-personal-widens": ["拆分个人 {personal} 笔与对公 {corporate} 笔：对公包可向合格投资者开放，买方更多（个人不良仅限持牌资产管理公司，26号文）。", "Split {personal} personal from {corporate} corporate claims: the corporate part may go to qualified investors too, more buyers (personal NPLs only to licensed AMCs, CBIRC No. 26)."],
    "split-time-barred": ["拆分已过诉讼时效的 {claims} 笔（占余额 {shareBps}）：许多买方不收或单独定价。", "Split the {claims} time-barred claims ({shareBps} of the balance): many buyers take none or price them apart."],
    "split-secured": ["拆分有抵押的 {claims} 笔（占余额 {shareBps}）与无抵押的：买方不同。", "Split the {claims} secured claims ({shareBps} of the balance) from the unsecured: they suit different buyers."],
    "split-region": ["按地区拆分（{regions} 个地区，{parts} 个包）：买方多按地区收购。", "Split by region ({regions} regions, {parts} packages): buyers often buy by region."],
    "buyers-licensed-personal": ["含个人不良 {personal} 笔：仅限持牌资产管理公司（26号文）。", "{personal} personal NPLs: licensed AMCs only (CBIRC No. 26)."],
    "buyers-licensed-batch": ["银行批量转让 {claims} 笔（10 户以上）：仅限持牌资产管理公司（财金〔2012〕6号）。", "A bank's batch of {claims} (ten or more): licensed AMCs only (Caijin [2012] No. 6)."],
    "buyers-open-investors": ["{claims} 笔对公债权：可向合格投资者开放。", "{claims} corporate claims: may go to qualified investors too."],
    recommended: ["推荐此方案。", "Recommended."],
  }),
  ...named("console.relist.part", {
    whole: ["整包", "Whole package"], personal: ["个人", "Personal"], corporate: ["对公", "Corporate"], "time-barred": ["已过诉讼时效", "Time-barred"],
    "not-time-barred": ["未过诉讼时效", "Not time-barred"], secured: ["有抵押", "Secured"], unsecured: ["无抵押", "Unsecured"], "region:other": ["其他地区", "Other regions"],
  }),
  ...named("console.relist.option", {
    whole: ["整包重新挂牌", "Relist whole"], "split:personal": ["拆分：个人 / 对公", "Split: personal / corporate"], "split:time-barred": ["拆分：已过 / 未过诉讼时效", "Split: time-barred / not"],
    "split:secured": ["拆分：有抵押 / 无抵押", "Split: secured / unsecured"], "split:region": ["拆分：按地区", "Split: by region"],
  }),
  ...named("console.relist.outcome", {
    "no-bids": ["无人出价", "No bids"], "none-revealed": ["出价未揭示", "No bid revealed"], "below-reserve": ["出价低于保留价", "Bids below the reserve"],
    "award-failed": ["定标未执行", "Award not executed"], withdrawn: ["已撤回", "Withdrawn"],
  }),
  "console.relist.title": en("流拍处置建议", "Advice: the package did not sell"),
  "console.relist.intro": en(
    "依处置模型的估值与回收测算，以及已揭示的出价：整包以新保留价重新挂牌、拆分为更适合不同买方的包，或撤回清收/诉讼更划算的债权。",
    "From the disposal model's valuations and recoveries and the revealed bids: relist whole at a new reserve, split into packages that suit different buyers, or take back the claims worth more collected or litigated.",
  ),
  "console.relist.withdraw": en("建议撤回的债权", "Claims to withdraw"),
  "console.relist.claims": en("{claims} 笔 · 余额 {balance} · 估值 P10–P90 {p10}–{p90}", "{claims} claims · balance {balance} · valued P10–P90 {p10}–{p90}"),
  "console.relist.buyers.licensed": en("仅限持牌资产管理公司", "Licensed AMCs only"),
  "console.relist.buyers.open": en("持牌资产管理公司及合格投资者", "Licensed AMCs and qualified investors"),
  "console.relist.reserve": en("保留价（元）", "Reserve (yuan)"),
  "console.relist.deposit": en("保证金（元）", "Deposit (yuan)"),
  "console.relist.submit": en("按此方案重新挂牌", "Relist as advised"),
  "console.relist.done": en("已重新挂牌：{count} 个新挂牌。", "Relisted: {count} new listings."),
  "console.relist.relisted": en("已重新挂牌为：", "Relisted as:"),
  "console.relist.none": en("所有债权均建议撤回：不宜重新挂牌。", "Every claim is better withdrawn: nothing to relist."),
};
