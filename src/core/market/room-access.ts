/**
 * Who may enter a package's data room (issue 19): the buyers the package may be sold to, by the rules for the
 * seller and the claims — so a buyer that could never be awarded the package never sees its tape.
 *
 * - personal NPLs (a natural person's loan) go only to licensed AMCs (26号文; 1191号文) — whoever sells them;
 * - a bank's batch (10 or more claims: 10户/项以上) goes only to licensed AMCs (批量转让办法第三条, 财金〔2012〕6号);
 * - otherwise (an AMC's corporate package, a bank's corporate package under 10) qualified investors too.
 *
 * A buyer's kind is what the chain says of its account (LICENSED_AMC or QUALIFIED_INVESTOR beside HOLDER);
 * an account that is neither is refused whatever the package. Pure: the caller reads the roles.
 */
import { BATCH_MIN_CLAIMS } from "../transfer-rules.js";
import { TRANSFER_REFUSALS } from "../../i18n/transfer.js";
import { ROOM_REFUSALS } from "../../i18n/market-room.js";

export const MARKET_BUYER_KINDS = ["licensed-amc", "qualified-investor"] as const;
export type MarketBuyerKind = (typeof MARKET_BUYER_KINDS)[number];

/** Who a room admits, and the rule that narrows it to licensed AMCs (null when it does not). */
export interface RoomRule {
  buyers: MarketBuyerKind[];
  basis: "personal-buyer-not-amc" | "corporate-batch-buyer-not-amc" | null;
}

export type RoomRefusal = {
  code: "personal-buyer-not-amc" | "corporate-batch-buyer-not-amc" | "not-a-buyer" | "seller-itself";
  message: { "zh-CN": string; en: string };
};

/** The room's rule for a package of `claims` sold by a `seller` (a bank, the originator; or an AMC reselling). */
export function roomRule(seller: "bank" | "amc", claims: ReadonlyArray<{ personal: boolean }>): RoomRule {
  if (claims.some((c) => c.personal)) return { buyers: ["licensed-amc"], basis: "personal-buyer-not-amc" };
  if (seller === "bank" && claims.length >= BATCH_MIN_CLAIMS) return { buyers: ["licensed-amc"], basis: "corporate-batch-buyer-not-amc" };
  return { buyers: [...MARKET_BUYER_KINDS], basis: null };
}

/** Whether a buyer of `kind` (null: neither kind on chain) may enter a room under `rule`, with the rule it breaks. */
export function mayEnterRoom(rule: RoomRule, kind: MarketBuyerKind | null): { ok: true } | ({ ok: false } & RoomRefusal) {
  if (kind === null) return { ok: false, code: "not-a-buyer", message: { ...ROOM_REFUSALS["not-a-buyer"] } };
  if (rule.buyers.includes(kind)) return { ok: true };
  const code = rule.basis ?? "personal-buyer-not-amc";
  return { ok: false, code, message: { ...TRANSFER_REFUSALS[code] } };
}
