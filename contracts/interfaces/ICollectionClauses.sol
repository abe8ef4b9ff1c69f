// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator, IArbitrable, IEvidence} from "./IArbitrator.sol";
import {IClaimRegistry} from "./IClaimRegistry.sol";

/// @notice The case state of a claim. A claim without any report is Performing.
/// Allowed edges (every change goes through one function that checks them):
///   Performing → Overdue | Closed
///   Overdue → Warned | Performing | Restructured | Closed
///   Warned → Demanded | Performing | Restructured | Closed
///   Demanded → InArbitration | Performing | Restructured | Closed
///   Restructured → Overdue | Closed
///   InArbitration → Ruled | Demanded (ruling 0: arbitration refused, the ladder goes on)
///   Ruled → Closed
///   Closed: terminal
enum CaseState {
    Performing,
    Overdue,
    Warned,
    Demanded,
    InArbitration,
    Ruled,
    Closed,
    Restructured
}

/// @notice Why a case closed: full repayment, or a ruling (dismissed / settled).
enum ClosureReason {
    Repaid,
    Dismissed,
    Settled
}

/// @notice An oracle report on one claim. Amounts in minor units. Never signed alone: oracles sign the batch it
/// is in ({ICollectionClauses-batchDigest}).
/// @dev EIP-712 type: Report(bytes32 claimId,uint64 asOf,uint32 daysPastDue,uint128 outstanding,
/// uint128 collateralValue,uint8 classification,uint8 riskGrade,bytes32 noticeHash,uint32 nonce)
struct Report {
    bytes32 claimId;
    /// unix seconds the figures are valid at; strictly increasing per claim
    uint64 asOf;
    /// days past due (for a restructured claim: against the installment plan)
    uint32 daysPastDue;
    uint128 outstanding;
    uint128 collateralValue;
    /// 0 pass (正常) .. 4 loss (损失)
    uint8 classification;
    /// 0 = A .. 4 = E
    uint8 riskGrade;
    /// hash of the notice (warning or formal demand) this report delivers; zero when none
    bytes32 noticeHash;
    /// per-claim sequence number: must equal {ICollectionClauses-caseOf}(claimId).nonce
    uint32 nonce;
}

/// @notice What the contract keeps of a case, plus the claim's clause thresholds (cached from the registry).
struct CaseRecord {
    CaseState state;
    uint40 lastAsOf;
    /// block time of the last warning or demand transition; 0 if none
    uint40 lastNoticeAt;
    /// block time of the last state change (the next notice step waits noticeDays from the later of this
    /// and lastNoticeAt)
    uint40 stateSince;
    /// number of reports applied = the nonce the next report must carry
    uint32 nonce;
    uint16 warnDays;
    uint16 demandDays;
    uint16 arbitrationDays;
    uint16 coverageBps;
    uint16 noticeDays;
    /// the open or ruled dispute at the arbitrator, 0 if none (cleared by a refused ruling)
    uint256 disputeId;
    /// hash of the installment plan while restructured (kept after it resumes the ladder)
    bytes32 planHash;
}

/// @title Collection clauses errors
interface ICollectionClausesErrors {
    /// @dev asOf is older than the staleness bound allows.
    error StaleReport(bytes32 claimId, uint64 asOf, uint256 blockTime);
    /// @dev asOf lies further in the future than the allowed clock skew.
    error ReportFromFuture(bytes32 claimId, uint64 asOf, uint256 blockTime);
    /// @dev asOf is not after the last applied report's asOf.
    error ReportNotNewer(bytes32 claimId, uint64 asOf, uint64 lastAsOf);
    /// @dev This exact batch (EIP-712 digest) was applied before: a replay.
    error BatchAlreadyApplied(bytes32 digest);
    /// @dev The report's nonce is not the claim's next nonce.
    error ReportNonceMismatch(bytes32 claimId, uint32 nonce, uint32 expected);
    /// @dev classification or riskGrade is above 4.
    error ReportFieldOutOfRange(bytes32 claimId, uint8 classification, uint8 riskGrade);
    /// @dev Fewer distinct oracle signatures than the quorum.
    error QuorumNotReached(uint256 signers, uint256 quorum);
    /// @dev Two signatures of one batch recover to the same signer.
    error DuplicateSigner(address signer);
    /// @dev A signature recovers to an account without ORACLE.
    error SignerNotOracle(address signer);
    /// @dev The state change is not an allowed edge.
    error TransitionNotAllowed(bytes32 claimId, uint8 from, uint8 to);
    /// @dev The report carries a notice but moves the case to neither Warned nor Demanded.
    error NoticeNotDue(bytes32 claimId, uint8 state, uint32 daysPastDue);
    /// @dev The claim is closed: no more reports.
    error CaseAlreadyClosed(bytes32 claimId);
    /// @dev The claim is not in the registry.
    error UnknownClaim(bytes32 claimId);
    /// @dev A batch without reports.
    error EmptyBatch();
    /// @dev Quorum must be at least 1.
    error InvalidQuorum(uint256 quorum);
    /// @dev The staleness bound must be 1 second .. 30 days.
    error InvalidMaxReportAge(uint256 maxReportAge);
    /// @dev Only the claim's holder or ADMIN may restructure; only its holder or RECORDER may add evidence; only its
    /// holder may record a notice's delivery.
    error NotClaimHolder(bytes32 claimId, address caller);
    /// @dev An installment plan needs a hash.
    error EmptyPlan(bytes32 claimId);
    /// @dev {IArbitrable-rule} called by someone other than the arbitrator.
    error NotArbitrator(address caller);
    /// @dev The dispute was not created by this contract, or is no longer its claim's (a refused one).
    error UnknownDispute(uint256 disputeId);
    /// @dev The report carries the formal demand before the warning's notice period is over (block time):
    /// the demand may come at `dueAt`, noticeDays after the warning of `lastNoticeAt`.
    error NoticePeriodRunning(bytes32 claimId, uint256 lastNoticeAt, uint256 dueAt);
    /// @dev The case's notice has no delivery to record: the case is not Warned or Demanded by a notice, or its
    /// notice's delivery was recorded already.
    error NoticeDeliveryNotRecordable(bytes32 claimId, uint8 state);
    /// @dev A notice is delivered after it was sent (`sentAt`, exclusive) and not after the block's time.
    error DeliveryTimeOutOfRange(bytes32 claimId, uint256 deliveredAt, uint256 sentAt, uint256 blockTime);
    /// @dev ADMIN asked to withdraw more than the contract holds.
    error InsufficientBalance(uint256 amount, uint256 balance);
    /// @dev Sending withdrawn ETH failed.
    error WithdrawalFailed(address to, uint256 amount);
}

/// @title Collection clauses events
interface ICollectionClausesEvents {
    /// @notice A report of a quorum-signed batch was applied (the figures live in this event, not in storage); its
    /// batch's {BatchApplied} comes just before the batch's reports. (claimId, nonce) identifies a report.
    event ReportApplied(
        bytes32 indexed claimId,
        uint32 nonce,
        uint64 asOf,
        uint32 daysPastDue,
        uint128 outstanding,
        uint128 collateralValue,
        uint8 classification,
        uint8 riskGrade
    );
    /// @notice A quorum-signed batch of `reports` reports is applied (their ReportApplied follow); `relayer` sent
    /// it. `digest` is what the oracles signed ({ICollectionClauses-batchDigest}).
    event BatchApplied(bytes32 indexed digest, uint256 reports, address indexed relayer);
    /// @notice The case moved `from` → `to`; `noticeHash` is the warning or demand notice, zero when none.
    event CaseStateChanged(bytes32 indexed claimId, CaseState from, CaseState indexed to, bytes32 noticeHash);
    /// @notice The case was restructured with an installment plan (`by` is the holder or ADMIN).
    event CaseRestructured(bytes32 indexed claimId, bytes32 planHash, uint16 installments, address indexed by);
    /// @notice Arbitration was due but the contract cannot pay the arbitrator's fee (`cost` > `balance` wei):
    /// the case stays Demanded (the other reports of the batch apply) until a later report finds it funded.
    event ArbitrationDeferred(bytes32 indexed claimId, uint256 cost, uint256 balance);
    /// @notice Arbitration started: dispute `disputeId` at the arbitrator.
    event ArbitrationStarted(bytes32 indexed claimId, uint256 indexed disputeId, uint32 daysPastDue, uint256 coverageBps);
    /// @notice The arbitrator's final ruling was executed on the case (0: refused, the case is Demanded again).
    event RulingApplied(bytes32 indexed claimId, uint256 indexed disputeId, uint256 ruling);
    /// @notice Ruling 1: the collateral is to be enforced (judicial auction); the off-chain side starts it.
    event EnforcementOrdered(bytes32 indexed claimId, uint256 indexed disputeId);
    /// @notice The case closed.
    event CaseClosed(bytes32 indexed claimId, ClosureReason reason);
    /// @notice The holder (`by`) recorded the proven delivery of the case's last notice: its notice period runs
    /// from `deliveredAt` (送达, 民法典第137条), not from sending.
    event NoticeDeliveryRecorded(bytes32 indexed claimId, uint40 deliveredAt, address indexed by);
    /// @notice ADMIN set the oracle quorum k.
    event QuorumSet(uint256 quorum);
    /// @notice ADMIN set the staleness bound (seconds).
    event MaxReportAgeSet(uint256 maxReportAge);
    /// @notice ADMIN (`by`) withdrew `amount` wei of the fee reserve to `to`.
    event FundsWithdrawn(address indexed to, uint256 amount, address indexed by);
}

/// @title Debtrail collection clauses
/// @notice Per-claim smart clauses and case state, driven by batches of oracle reports, each batch signed once
/// (its EIP-712 digest) by k of the ORACLE accounts; the IArbitrable of the {IRulingArbitrator}.
///
/// Roles are read from the ClaimRegistry (its AccessControl is the role directory): ORACLE signs reports,
/// ADMIN sets quorum, staleness bound and meta-evidence and withdraws the fee reserve, RECORDER may add
/// evidence. Anyone may relay.
///
/// Clauses (thresholds from the registry's ClauseTerms, read once at a claim's first report — the
/// registry never changes them):
/// - outstanding == 0 closes the case (Repaid) from any state but InArbitration.
/// - daysPastDue == 0 cures Overdue/Warned/Demanded back to Performing.
/// - daysPastDue > 0 moves Performing/Restructured to Overdue (a missed installment resumes the ladder).
/// - Overdue → Warned needs daysPastDue ≥ warnDays and the warning's noticeHash in the report.
/// - Warned → Demanded needs daysPastDue ≥ demandDays, the demand's noticeHash in the report AND
///   block.timestamp ≥ lastNoticeAt + noticeDays days (the warning's notice period, in block time; a demand
///   before it reverts with NoticePeriodRunning). At most one notice per report, so every notice gets its
///   own on-chain time.
/// - Demanded → InArbitration when daysPastDue ≥ arbitrationDays AND collateralValue·10000 <
///   coverageBps·outstanding AND block.timestamp ≥ max(lastNoticeAt, stateSince) + noticeDays days, where
///   lastNoticeAt is the block time of the demand — or its proven delivery, once the holder recorded it
///   ({recordNoticeDelivery}) — and stateSince differs from it only after a refused ruling or a recorded delivery. Then a dispute is created at the arbitrator (3 choices) and
///   ERC-1497 `Dispute` links the evidence group `uint256(claimId)` to it. If this contract cannot pay the
///   arbitrator's fee, ArbitrationDeferred is emitted instead and the case stays Demanded.
/// - noticeDays is at least the registry's deployment-wide minimum ({IClaimRegistry-minNoticeDays}), so
///   warning, demand and arbitration are at least that many days apart in block time.
/// - A notice in a report that triggers no notice transition reverts (NoticeNotDue): a notice hash on
///   chain always marks a real step.
/// - InArbitration and Ruled cases take reports (figures are recorded) without moving, except that a
///   Ruled case closes on full repayment.
/// Rulings are final (an arbitral award, 仲裁法第9条: no appeal) and executed when given: 0 refused →
/// Demanded again, the dispute cleared (the ladder continues; a later report may start a new arbitration
/// noticeDays after the refusal); 1 enforce → Ruled + EnforcementOrdered (waits for repayment); 2 dismiss →
/// Ruled → Closed (Dismissed); 3 settle → Ruled → Closed (Settled).
///
/// Replay protection: the batch digest is bound to this contract and chain (EIP-712 domain) and covers every
/// report in order, so no report can be taken out of a batch, added to it or moved to another contract or
/// chain. Each report's asOf must be strictly greater than the claim's last asOf and its nonce must equal the
/// claim's report count, so no report applies twice and a stale report never overrides a newer one; and the
/// batch digest must not have been applied (one storage slot per batch): a relayer that resends a batch after
/// a crash gets its own error (BatchAlreadyApplied: done) rather than a nonce mismatch (superseded), and
/// {isBatchApplied} answers it before sending.
interface ICollectionClauses is ICollectionClausesErrors, ICollectionClausesEvents, IArbitrable, IEvidence {
    /// @notice Applies a quorum-signed batch of reports in order, all or nothing (an unfunded arbitration fee is
    /// no failure: that claim's arbitration is deferred). Anyone may call it.
    /// @param reports `abi.encode(Report[])`: the batch as the oracles signed it (Chainlink OCR-style)
    /// @param signatures at least {quorum} 65-byte ECDSA signatures of distinct ORACLE accounts over
    /// {batchDigest}(reports), in any order
    function submitReports(bytes calldata reports, bytes[] calldata signatures) external;

    /// @notice Moves an Overdue/Warned/Demanded case to Restructured under an installment plan.
    /// Caller: the claim's holder (registry owner) or ADMIN.
    function restructure(bytes32 claimId, bytes32 planHash, uint16 installments) external;

    /// @notice Records when the case's last notice (the one that moved it to Warned or Demanded) was proven
    /// delivered, so its notice period runs from delivery (送达): `lastNoticeAt` becomes `deliveredAt`. Once per
    /// notice, after it was sent and not in the future — it can only lengthen the wait. Caller: the claim's holder
    /// (who holds the proof of delivery, an evidence record).
    function recordNoticeDelivery(bytes32 claimId, uint40 deliveredAt) external;

    /// @notice Emits ERC-1497 `Evidence` for the claim's evidence group `uint256(claimId)`.
    /// Caller: the claim's holder or a RECORDER.
    function submitEvidence(bytes32 claimId, string calldata evidenceURI) external;

    /// @notice Sends `amount` wei of the fee reserve (ETH sent to this contract) to `to`. ADMIN only.
    function withdraw(address payable to, uint256 amount) external;

    /// @notice Sets the number k of distinct oracle signatures a report needs. ADMIN only.
    function setQuorum(uint256 quorum) external;

    /// @notice Sets how old (seconds before block time) a report's asOf may be. ADMIN only.
    function setMaxReportAge(uint256 maxReportAge) external;

    /// @notice Publishes new meta-evidence (JSON URI: the question and ruling options) for later disputes. ADMIN only.
    function setMetaEvidence(string calldata metaEvidenceURI) external;

    /// @notice The case of a claim (all zero / Performing before its first report).
    function caseOf(bytes32 claimId) external view returns (CaseRecord memory);

    /// @notice The EIP-712 digest oracles sign for a batch: typed data `ReportBatch(bytes reports)` under this
    /// contract's domain (name, version, chain id, address), `reports` being `abi.encode(Report[])`.
    function batchDigest(bytes calldata reports) external view returns (bytes32);

    /// @notice Whether the batch with this digest was applied.
    function isBatchApplied(bytes32 digest) external view returns (bool);

    /// @notice The claim a dispute at the arbitrator belongs to (zero if none; kept after a refused ruling).
    function claimOfDispute(uint256 disputeId) external view returns (bytes32);

    /// @notice Whether `from` → `to` is an allowed edge.
    function isAllowedTransition(CaseState from, CaseState to) external pure returns (bool);

    /// @notice The EIP-712 domain separator (name "Debtrail CollectionClauses", version "1").
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    function registry() external view returns (IClaimRegistry);
    function arbitrator() external view returns (IArbitrator);
    function quorum() external view returns (uint256);
    function maxReportAge() external view returns (uint256);
    function metaEvidenceId() external view returns (uint256);
}
