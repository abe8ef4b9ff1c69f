/**
 * API roles: what a caller may do through Debtrail. Each maps to on-chain roles where it writes.
 * `oracle` is another organisation's daemon asking this one for signatures (POST /v1/oracle/sign, nothing
 * else that writes); `feed` is this organisation's own observations of loans (POST /v1/loan-status,
 * outside data): they let its daemon co-sign, and never propose a report for a claim it does not hold
 * (unless the key names the holder it services, `worksFor`). Who may do what with a claim: src/app/access.ts.
 */
export const API_ROLES = ["admin", "bank", "amc", "collector", "court", "oracle", "feed"] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** On-chain role names (contracts/Roles.sol: keccak256 of the name). */
export const CHAIN_ROLES = ["ADMIN", "ORIGINATOR", "HOLDER", "ORACLE", "RECORDER", "ARBITRATOR", "LICENSED_AMC", "QUALIFIED_INVESTOR", "MARKET"] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];

/**
 * Which on-chain roles an API role's account needs. `admin` administers this organisation's node, not the
 * chain: chain ADMIN is the council's alone (k-of-n, contracts/Council.sol), never one organisation's.
 */
export const CHAIN_ROLES_OF: Record<ApiRole, readonly ChainRole[]> = {
  admin: [],
  bank: ["ORIGINATOR"],
  amc: ["HOLDER", "LICENSED_AMC"],
  collector: [],
  court: ["ARBITRATOR"],
  oracle: ["ORACLE"],
  feed: [],
};

/**
 * What a buyer (`amc` key) is on chain (issue 19): a licensed AMC (持牌资产管理公司: HOLDER + LICENSED_AMC, the only
 * buyer of personal NPLs and of a bank's batch of ten or more) or a qualified investor (合格投资者: HOLDER +
 * QUALIFIED_INVESTOR, an AMC's corporate packages). The API role stays `amc` (a buyer's node and keys are the same).
 */
export const BUYER_KINDS = ["licensed-amc", "qualified-investor"] as const;
export type BuyerKindOnChain = (typeof BUYER_KINDS)[number];

/** The on-chain roles an API key's account needs: its role's, with a qualified investor's kind instead of LICENSED_AMC. */
export function chainRolesOf(key: { role: ApiRole; buyerKind?: BuyerKindOnChain }): readonly ChainRole[] {
  if (key.role === "amc" && key.buyerKind === "qualified-investor") return ["HOLDER", "QUALIFIED_INVESTOR"];
  return CHAIN_ROLES_OF[key.role];
}
