// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Roles} from "./Roles.sol";
import {IClaimRegistry, ClaimTerms} from "./interfaces/IClaimRegistry.sol";
import {IArbitrator, IArbitrable} from "./interfaces/IArbitrator.sol";
import {
    ICollectionClauses, CaseState, ClosureReason, Report, SignedReport, CaseRecord
} from "./interfaces/ICollectionClauses.sol";

/// @title CollectionClauses
/// @notice See {ICollectionClauses}.
contract CollectionClauses is ICollectionClauses, EIP712 {
    /// @notice EIP-712 type hash of {Report}.
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "Report(bytes32 claimId,uint64 asOf,uint32 daysPastDue,uint128 outstanding,uint128 collateralValue,uint8 classification,uint8 riskGrade,bytes32 noticeHash,uint32 nonce)"
    );
    /// @notice How far (seconds) a report's asOf may lie ahead of block time: clocks of nodes and oracles differ.
    uint256 public constant MAX_FUTURE_SKEW = 5 minutes;
    /// @notice Ruling options of a dispute: 1 enforce (auction), 2 dismiss, 3 settle (0: refused).
    uint256 public constant RULING_CHOICES = 3;
    uint256 private constant RULING_ENFORCE = 1;
    uint256 private constant RULING_DISMISS = 2;
    uint256 private constant RULING_SETTLE = 3;
    uint256 private constant MAX_CLASS = 4;
    uint256 private constant MAX_REPORT_AGE_LIMIT = 30 days;

    /// @dev Bit (8·from + to) is set for every allowed edge; see {CaseState}.
    uint256 private constant ALLOWED_EDGES = (1 << 1) | (1 << 6) // Performing → Overdue, Closed
        | (1 << 10) | (1 << 8) | (1 << 15) | (1 << 14) // Overdue → Warned, Performing, Restructured, Closed
        | (1 << 19) | (1 << 16) | (1 << 23) | (1 << 22) // Warned → Demanded, Performing, Restructured, Closed
        | (1 << 28) | (1 << 24) | (1 << 31) | (1 << 30) // Demanded → InArbitration, Performing, Restructured, Closed
        | (1 << 37) // InArbitration → Ruled
        | (1 << 46) // Ruled → Closed
        | (1 << 57) | (1 << 62); // Restructured → Overdue, Closed

    /// @dev One storage slot per claim: only what the contract itself reads. Figures go to events.
    struct Case {
        CaseState state;
        uint40 lastAsOf;
        uint40 lastNoticeAt;
        uint40 stateSince;
        uint32 nonce;
        uint16 warnDays; // non-zero once the terms are cached (the registry guarantees warnDays >= 1)
        uint16 demandDays;
        uint16 arbitrationDays;
        uint16 coverageBps;
        uint16 noticeDays;
    }

    /// @inheritdoc ICollectionClauses
    IClaimRegistry public immutable registry;
    /// @inheritdoc ICollectionClauses
    IArbitrator public immutable arbitrator;
    IAccessControl private immutable _roles;

    mapping(bytes32 claimId => Case) private _cases;
    mapping(bytes32 claimId => uint256) private _disputeOf;
    mapping(bytes32 claimId => bytes32) private _planOf;
    mapping(uint256 disputeId => bytes32) private _claimOf;
    mapping(bytes32 digest => bool) private _applied;
    uint256 private _quorum;
    uint256 private _maxReportAge;
    uint256 private _metaEvidenceId;

    modifier onlyRole(bytes32 role) {
        if (!_roles.hasRole(role, msg.sender)) revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, role);
        _;
    }

    /// @param registry_ the ClaimRegistry: clause terms, holders, and the role directory (ORACLE, ADMIN, RECORDER)
    /// @param arbitrator_ the ERC-792 arbitrator disputes go to
    /// @param quorum_ k: distinct oracle signatures per report (>= 1)
    /// @param maxReportAge_ staleness bound in seconds (e.g. 1 day)
    /// @param metaEvidenceURI ERC-1497 meta-evidence 0 (the question and ruling options of every dispute)
    constructor(
        IClaimRegistry registry_,
        IArbitrator arbitrator_,
        uint256 quorum_,
        uint256 maxReportAge_,
        string memory metaEvidenceURI
    ) EIP712("Debtrail CollectionClauses", "1") {
        registry = registry_;
        arbitrator = arbitrator_;
        _roles = IAccessControl(address(registry_));
        _setQuorum(quorum_);
        _setMaxReportAge(maxReportAge_);
        emit MetaEvidence(0, metaEvidenceURI);
    }

    /// @notice Holds ETH for arbitration fees, should the arbitrator ask any (0 on the permissioned network).
    receive() external payable {}

    /// @inheritdoc ICollectionClauses
    function submitReports(SignedReport[] calldata reports) external {
        if (reports.length == 0) revert EmptyBatch();
        uint256 k = _quorum;
        uint256 maxAge = _maxReportAge;
        for (uint256 i = 0; i < reports.length; ++i) {
            _applyReport(reports[i], k, maxAge);
        }
    }

    /// @inheritdoc ICollectionClauses
    function restructure(bytes32 claimId, bytes32 planHash, uint16 installments) external {
        if (planHash == bytes32(0)) revert EmptyPlan(claimId);
        if (msg.sender != registry.holderOf(claimId) && !_roles.hasRole(Roles.ADMIN, msg.sender)) {
            revert NotClaimHolder(claimId, msg.sender);
        }
        _transition(claimId, _cases[claimId], CaseState.Restructured, bytes32(0));
        _planOf[claimId] = planHash;
        emit CaseRestructured(claimId, planHash, installments, msg.sender);
    }

    /// @inheritdoc ICollectionClauses
    function submitEvidence(bytes32 claimId, string calldata evidenceURI) external {
        if (msg.sender != registry.holderOf(claimId) && !_roles.hasRole(Roles.RECORDER, msg.sender)) {
            revert NotClaimHolder(claimId, msg.sender);
        }
        emit Evidence(arbitrator, uint256(claimId), msg.sender, evidenceURI);
    }

    /// @inheritdoc IArbitrable
    function rule(uint256 disputeId, uint256 ruling) external {
        if (msg.sender != address(arbitrator)) revert NotArbitrator(msg.sender);
        bytes32 claimId = _claimOf[disputeId];
        if (claimId == bytes32(0)) revert UnknownDispute(disputeId);
        Case storage c = _cases[claimId];
        _transition(claimId, c, CaseState.Ruled, bytes32(0));
        emit Ruling(arbitrator, disputeId, ruling);
        emit RulingApplied(claimId, disputeId, ruling);
        if (ruling == RULING_ENFORCE) emit EnforcementOrdered(claimId, disputeId);
        else if (ruling == RULING_DISMISS) _close(claimId, c, ClosureReason.Dismissed);
        else if (ruling == RULING_SETTLE) _close(claimId, c, ClosureReason.Settled);
    }

    /// @inheritdoc ICollectionClauses
    function setQuorum(uint256 quorum_) external onlyRole(Roles.ADMIN) {
        _setQuorum(quorum_);
    }

    /// @inheritdoc ICollectionClauses
    function setMaxReportAge(uint256 maxReportAge_) external onlyRole(Roles.ADMIN) {
        _setMaxReportAge(maxReportAge_);
    }

    /// @inheritdoc ICollectionClauses
    function setMetaEvidence(string calldata metaEvidenceURI) external onlyRole(Roles.ADMIN) {
        uint256 id = ++_metaEvidenceId;
        emit MetaEvidence(id, metaEvidenceURI);
    }

    /// @inheritdoc ICollectionClauses
    function caseOf(bytes32 claimId) external view returns (CaseRecord memory record) {
        Case storage c = _cases[claimId];
        record = CaseRecord({
            state: c.state,
            lastAsOf: c.lastAsOf,
            lastNoticeAt: c.lastNoticeAt,
            stateSince: c.stateSince,
            nonce: c.nonce,
            warnDays: c.warnDays,
            demandDays: c.demandDays,
            arbitrationDays: c.arbitrationDays,
            coverageBps: c.coverageBps,
            noticeDays: c.noticeDays,
            disputeId: _disputeOf[claimId],
            planHash: _planOf[claimId]
        });
    }

    /// @inheritdoc ICollectionClauses
    function reportDigest(Report calldata report) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    REPORT_TYPEHASH,
                    report.claimId,
                    report.asOf,
                    report.daysPastDue,
                    report.outstanding,
                    report.collateralValue,
                    report.classification,
                    report.riskGrade,
                    report.noticeHash,
                    report.nonce
                )
            )
        );
    }

    /// @inheritdoc ICollectionClauses
    function isReportApplied(bytes32 digest) external view returns (bool) {
        return _applied[digest];
    }

    /// @inheritdoc ICollectionClauses
    function claimOfDispute(uint256 disputeId) external view returns (bytes32) {
        return _claimOf[disputeId];
    }

    /// @inheritdoc ICollectionClauses
    function isAllowedTransition(CaseState from, CaseState to) public pure returns (bool) {
        return ALLOWED_EDGES & (1 << (uint256(from) * 8 + uint256(to))) != 0;
    }

    /// @inheritdoc ICollectionClauses
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc ICollectionClauses
    function quorum() external view returns (uint256) {
        return _quorum;
    }

    /// @inheritdoc ICollectionClauses
    function maxReportAge() external view returns (uint256) {
        return _maxReportAge;
    }

    /// @inheritdoc ICollectionClauses
    function metaEvidenceId() external view returns (uint256) {
        return _metaEvidenceId;
    }

    /// @dev Checks (replay, freshness, order, signatures), records, then advances the case by the clauses.
    function _applyReport(SignedReport calldata signed, uint256 k, uint256 maxAge) private {
        Report calldata r = signed.report;
        bytes32 claimId = r.claimId;
        bytes32 digest = reportDigest(r);
        if (_applied[digest]) revert ReportAlreadyApplied(digest);
        Case storage c = _cases[claimId];
        if (c.warnDays == 0) _cacheTerms(claimId, c);
        if (c.state == CaseState.Closed) revert CaseAlreadyClosed(claimId);
        if (r.classification > MAX_CLASS || r.riskGrade > MAX_CLASS) {
            revert ReportFieldOutOfRange(claimId, r.classification, r.riskGrade);
        }
        if (r.asOf > block.timestamp + MAX_FUTURE_SKEW) revert ReportFromFuture(claimId, r.asOf, block.timestamp);
        if (uint256(r.asOf) + maxAge < block.timestamp) revert StaleReport(claimId, r.asOf, block.timestamp);
        if (r.asOf <= c.lastAsOf) revert ReportNotNewer(claimId, r.asOf, c.lastAsOf);
        if (r.nonce != c.nonce) revert ReportNonceMismatch(claimId, r.nonce, c.nonce);
        _checkQuorum(digest, signed.signatures, k);

        _applied[digest] = true;
        c.lastAsOf = uint40(r.asOf); // asOf <= block time + skew: fits
        c.nonce = r.nonce + 1;
        emit ReportApplied(
            claimId,
            r.nonce,
            r.asOf,
            r.daysPastDue,
            r.outstanding,
            r.collateralValue,
            r.classification,
            r.riskGrade,
            digest
        );
        _advance(claimId, c, r);
    }

    /// @dev The clauses: see {ICollectionClauses}. At most one notice transition per report.
    function _advance(bytes32 claimId, Case storage c, Report calldata r) private {
        CaseState s = c.state;
        bytes32 notice = r.noticeHash;
        if (s == CaseState.InArbitration || s == CaseState.Ruled) {
            if (notice != bytes32(0)) revert NoticeNotDue(claimId, uint8(s), r.daysPastDue);
            if (s == CaseState.Ruled && r.outstanding == 0) _close(claimId, c, ClosureReason.Repaid);
            return;
        }
        if (r.outstanding == 0 || r.daysPastDue == 0) {
            if (notice != bytes32(0)) revert NoticeNotDue(claimId, uint8(s), r.daysPastDue);
            if (r.outstanding == 0) _close(claimId, c, ClosureReason.Repaid);
            else if (s != CaseState.Performing && s != CaseState.Restructured) {
                _transition(claimId, c, CaseState.Performing, bytes32(0));
            }
            return;
        }
        if (s == CaseState.Performing || s == CaseState.Restructured) {
            _transition(claimId, c, CaseState.Overdue, bytes32(0));
            s = CaseState.Overdue;
        }
        if (notice != bytes32(0)) {
            if (s == CaseState.Overdue && r.daysPastDue >= c.warnDays) {
                _transition(claimId, c, CaseState.Warned, notice);
            } else if (s == CaseState.Warned && r.daysPastDue >= c.demandDays) {
                _transition(claimId, c, CaseState.Demanded, notice);
            } else {
                revert NoticeNotDue(claimId, uint8(s), r.daysPastDue);
            }
            return;
        }
        if (s == CaseState.Demanded && _arbitrationDue(c, r)) _startArbitration(claimId, c, r);
    }

    /// @dev daysPastDue ≥ arbitrationDays AND coverage < coverageBps AND the last notice is ≥ noticeDays old.
    function _arbitrationDue(Case storage c, Report calldata r) private view returns (bool) {
        return r.daysPastDue >= c.arbitrationDays
            && uint256(r.collateralValue) * 10_000 < uint256(c.coverageBps) * r.outstanding && c.lastNoticeAt != 0
            && block.timestamp >= uint256(c.lastNoticeAt) + uint256(c.noticeDays) * 1 days;
    }

    function _startArbitration(bytes32 claimId, Case storage c, Report calldata r) private {
        _transition(claimId, c, CaseState.InArbitration, bytes32(0));
        uint256 cost = arbitrator.arbitrationCost("");
        if (cost > address(this).balance) revert ArbitrationFeeUnfunded(cost, address(this).balance);
        uint256 disputeId = arbitrator.createDispute{value: cost}(RULING_CHOICES, "");
        _disputeOf[claimId] = disputeId;
        _claimOf[disputeId] = claimId;
        emit ArbitrationStarted(
            claimId, disputeId, r.daysPastDue, uint256(r.collateralValue) * 10_000 / r.outstanding
        );
        emit Dispute(arbitrator, disputeId, _metaEvidenceId, uint256(claimId));
    }

    function _close(bytes32 claimId, Case storage c, ClosureReason reason) private {
        _transition(claimId, c, CaseState.Closed, bytes32(0));
        emit CaseClosed(claimId, reason);
    }

    /// @dev The one place a case changes state: the edge check lives here.
    function _transition(bytes32 claimId, Case storage c, CaseState to, bytes32 noticeHash) private {
        CaseState from = c.state;
        if (!isAllowedTransition(from, to)) revert TransitionNotAllowed(claimId, uint8(from), uint8(to));
        c.state = to;
        c.stateSince = uint40(block.timestamp);
        if (noticeHash != bytes32(0)) c.lastNoticeAt = uint40(block.timestamp);
        emit CaseStateChanged(claimId, from, to, noticeHash);
    }

    /// @dev Every signature must recover to a distinct ORACLE; at least k of them.
    function _checkQuorum(bytes32 digest, bytes[] calldata signatures, uint256 k) private view {
        uint256 n = signatures.length;
        if (n < k) revert QuorumNotReached(n, k);
        address[] memory signers = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            address signer = ECDSA.recover(digest, signatures[i]);
            for (uint256 j = 0; j < i; ++j) {
                if (signers[j] == signer) revert DuplicateSigner(signer);
            }
            if (!_roles.hasRole(Roles.ORACLE, signer)) revert SignerNotOracle(signer);
            signers[i] = signer;
        }
    }

    /// @dev Clause terms never change in the registry, so one read per claim suffices.
    function _cacheTerms(bytes32 claimId, Case storage c) private {
        if (!registry.isRegistered(claimId)) revert UnknownClaim(claimId);
        ClaimTerms memory t = registry.termsOf(claimId);
        c.warnDays = t.clauses.warnDays;
        c.demandDays = t.clauses.demandDays;
        c.arbitrationDays = t.clauses.arbitrationDays;
        c.coverageBps = t.clauses.coverageBps;
        c.noticeDays = t.clauses.noticeDays;
    }

    function _setQuorum(uint256 quorum_) private {
        if (quorum_ == 0) revert InvalidQuorum(quorum_);
        _quorum = quorum_;
        emit QuorumSet(quorum_);
    }

    function _setMaxReportAge(uint256 maxReportAge_) private {
        if (maxReportAge_ == 0 || maxReportAge_ > MAX_REPORT_AGE_LIMIT) revert InvalidMaxReportAge(maxReportAge_);
        _maxReportAge = maxReportAge_;
        emit MaxReportAgeSet(maxReportAge_);
    }
}
