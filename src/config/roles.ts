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
export const CHAIN_ROLES = ["ADMIN", "ORIGINATOR", "HOLDER", "ORACLE", "RECORDER", "ARBITRATOR"] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];

/**
 * Which on-chain roles an API role's account needs. `admin` administers this organisation's node, not the
 * chain: chain ADMIN is the council's alone (k-of-n, contracts/Council.sol), never one organisation's.
 */
export const CHAIN_ROLES_OF: Record<ApiRole, readonly ChainRole[]> = {
  admin: [],
  bank: ["ORIGINATOR"],
  amc: ["HOLDER"],
  collector: [],
  court: ["ARBITRATOR"],
  oracle: ["ORACLE"],
  feed: [],
};
