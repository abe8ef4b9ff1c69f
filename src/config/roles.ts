/** API roles: what a caller may do through Debtrail. Each maps to on-chain roles where it writes. */
export const API_ROLES = ["admin", "bank", "amc", "collector", "court", "oracle"] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** On-chain role names (contracts/Roles.sol: keccak256 of the name). */
export const CHAIN_ROLES = ["ADMIN", "ORIGINATOR", "HOLDER", "ORACLE", "RECORDER", "ARBITRATOR"] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];

/** Which on-chain roles an API role's account needs. */
export const CHAIN_ROLES_OF: Record<ApiRole, readonly ChainRole[]> = {
  admin: ["ADMIN"],
  bank: ["ORIGINATOR"],
  amc: ["HOLDER"],
  collector: [],
  court: ["ARBITRATOR"],
  oracle: ["ORACLE"],
};
