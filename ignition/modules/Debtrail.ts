import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Debtrail's contracts. The deployer (account 0 of the network) becomes ADMIN; roles for banks,
 * AMCs, courts, recorders and oracles are granted afterwards from configuration (src/chain/deploy.ts).
 * The registry is the role directory of the arbitrator and the clauses.
 */
export default buildModule("Debtrail", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const quorum = m.getParameter("oracleQuorum", 1);
  const maxReportAge = m.getParameter("maxReportAge", 7 * 86_400);
  // Due process: no claim registers with a shorter notice period (days); fixed for the deployment's life.
  const minNoticeDays = m.getParameter("minNoticeDays", 7);
  const metaEvidence = m.getParameter("metaEvidence", "debtrail:meta-evidence:v1 (rulings: 1 enforce/auction, 2 dismiss, 3 settle)");
  const claimRegistry = m.contract("ClaimRegistry", [admin, minNoticeDays]);
  const evidenceLog = m.contract("EvidenceLog", [admin]);
  // Awards are final and executed when given (仲裁法第9条): no appeal period.
  const arbitrator = m.contract("Arbitrator", [claimRegistry]);
  const collectionClauses = m.contract("CollectionClauses", [claimRegistry, arbitrator, quorum, maxReportAge, metaEvidence]);
  return { claimRegistry, evidenceLog, arbitrator, collectionClauses };
});
