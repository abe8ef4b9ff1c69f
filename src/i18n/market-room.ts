/**
 * The data room's words that are not the console's (src/i18n/console/market.ts): why a caller may not enter a
 * data room, in zh-CN and English. The batch-transfer rules' own refusals are src/i18n/transfer.ts's.
 */
const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const ROOM_REFUSALS = {
  "not-a-buyer": t(
    "资产包资料室仅向持牌资产管理公司和合格投资者开放（链上角色 LICENSED_AMC 或 QUALIFIED_INVESTOR）；该账户两者皆非",
    "A package's data room is open only to licensed AMCs and qualified investors (chain role LICENSED_AMC or QUALIFIED_INVESTOR); this account is neither",
  ),
  "seller-itself": t("卖方本身不是资料室的买方：请在本机构控制台查看挂牌", "The seller is no buyer of its own data room: see the listing on your own console"),
} as const;

export type RoomRefusalCode = keyof typeof ROOM_REFUSALS;
