import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Debtrail's contracts. The deployer (account 0 of the network) is ADMIN while it bootstraps: roles for
 * banks, AMCs, courts, recorders and oracles are granted afterwards from configuration, then it hands ADMIN
 * to the council's timelock and keeps nothing (src/chain/deploy.ts). The council (k-of-n of the member
 * organisations, a delay) creates its timelock. The registry is the role directory of the arbitrator and the
 * clauses.
 */
export default buildModule("Debtrail", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const quorum = m.getParameter("oracleQuorum", 1);
  const maxReportAge = m.getParameter("maxReportAge", 7 * 86_400);
  // Due process: no claim registers with a shorter notice period (days); fixed for the deployment's life.
  const minNoticeDays = m.getParameter("minNoticeDays", 7);
  const metaEvidence = m.getParameter("metaEvidence", "debtrail:meta-evidence:v1 (rulings: 1 enforce/auction, 2 dismiss, 3 settle)");
  // No single administrator: the members' accounts, k, and the timelock's delay (seconds).
  const councilMembers = m.getParameter<string[]>("councilMembers");
  const councilThreshold = m.getParameter("councilThreshold", 1);
  const councilDelay = m.getParameter("councilDelay", 0);
  const claimRegistry = m.contract("ClaimRegistry", [admin, minNoticeDays]);
  const evidenceLog = m.contract("EvidenceLog", [admin]);
  // Awards are final and executed when given (仲裁法第9条): no appeal period.
  const arbitrator = m.contract("Arbitrator", [claimRegistry]);
  const collectionClauses = m.contract("CollectionClauses", [claimRegistry, arbitrator, quorum, maxReportAge, metaEvidence]);
  const council = m.contract("Council", [councilMembers, councilThreshold, councilDelay]);
  // Sealed-bid package sales; MARKET on the registry is granted with the other roles (src/chain/deploy.ts).
  const claimMarket = m.contract("ClaimMarket", [claimRegistry]);
  return { claimRegistry, evidenceLog, arbitrator, collectionClauses, council, claimMarket };
});
