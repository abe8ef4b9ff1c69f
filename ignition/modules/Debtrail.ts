import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Debtrail's contracts. The deployer (account 0 of the network) becomes ADMIN; roles for banks,
 * AMCs, courts, recorders and oracles are granted afterwards from configuration (src/chain/deploy.ts).
 */
export default buildModule("Debtrail", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const claimRegistry = m.contract("ClaimRegistry", [admin]);
  const evidenceLog = m.contract("EvidenceLog", [admin]);
  return { claimRegistry, evidenceLog };
});
