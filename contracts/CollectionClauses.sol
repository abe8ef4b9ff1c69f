// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Roles} from "./Roles.sol";
import {CaseDisputes} from "./CaseDisputes.sol";
import {IClaimRegistry, ClauseTerms} from "./interfaces/IClaimRegistry.sol";
import {IArbitrator} from "./interfaces/IArbitrator.sol";
import {ICollectionClauses, CaseState, Report, CaseRecord} from "./interfaces/ICollectionClauses.sol";

/// @title CollectionClauses
/// @notice See {ICollectionClauses}. Reports, quorum and administration live here; the clause rule and the
/// state machine in {CaseLadder}; disputes and rulings in {CaseDisputes}.
contract CollectionClauses is CaseDisputes, EIP712 {
    /// @notice EIP-712 type hash of a batch, what the oracles sign: `reports` is `abi.encode(Report[])`.
    bytes32 public constant BATCH_TYPEHASH = keccak256("ReportBatch(bytes reports)");
    /// @notice How far (seconds) a report's asOf may lie ahead of block time: clocks of nodes and oracles differ.
    uint256 public constant MAX_FUTURE_SKEW = 5 minutes;
    uint256 private constant MAX_CLASS = 4;
    uint256 private constant MAX_REPORT_AGE_LIMIT = 30 days;

    /// @inheritdoc ICollectionClauses
    IClaimRegistry public immutable registry;
    IAccessControl private immutable _roles;

    mapping(bytes32 claimId => bytes32) private _planOf;
    mapping(bytes32 digest => bool) private _appliedBatches;
    // One slot, read once per batch.
    uint64 private _quorum;
    uint64 private _maxReportAge;

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
    ) CaseDisputes(arbitrator_, metaEvidenceURI) EIP712("Debtrail CollectionClauses", "1") {
        registry = registry_;
        _roles = IAccessControl(address(registry_));
        _setQuorum(quorum_);
        _setMaxReportAge(maxReportAge_);
    }

    /// @notice Holds ETH for arbitration fees, should the arbitrator ask any (0 on the permissioned network).
    /// Only ADMIN takes it out again ({withdraw}).
    receive() external payable {}

    /// @inheritdoc ICollectionClauses
    function submitReports(bytes calldata reports, bytes[] calldata signatures) external {
        bytes32 digest = batchDigest(reports);
        Report[] memory batch = abi.decode(reports, (Report[]));
        uint256 n = batch.length;
        if (n == 0) revert EmptyBatch();
        if (_appliedBatches[digest]) revert BatchAlreadyApplied(digest);
        _checkQuorum(digest, signatures, _quorum);
        _appliedBatches[digest] = true;
        emit BatchApplied(digest, n, msg.sender);
        uint256 maxAge = _maxReportAge;
        Case memory c;
        for (uint256 i = 0; i < n; ++i) {
            _applyReport(batch[i], c, maxAge);
        }
    }

    /// @inheritdoc ICollectionClauses
    function restructure(bytes32 claimId, bytes32 planHash, uint16 installments) external {
        if (planHash == bytes32(0)) revert EmptyPlan(claimId);
        if (msg.sender != registry.holderOf(claimId) && !_roles.hasRole(Roles.ADMIN, msg.sender)) {
            revert NotClaimHolder(claimId, msg.sender);
        }
        Case memory c = _loadCase(claimId);
        _transition(claimId, c, CaseState.Restructured, bytes32(0));
        _storeCase(claimId, c);
        _planOf[claimId] = planHash;
        emit CaseRestructured(claimId, planHash, installments, msg.sender);
    }

    /// @inheritdoc ICollectionClauses
    function recordNoticeDelivery(bytes32 claimId, uint40 deliveredAt) external {
        if (msg.sender != registry.holderOf(claimId)) revert NotClaimHolder(claimId, msg.sender);
        _recordDelivery(claimId, deliveredAt);
    }

    /// @inheritdoc ICollectionClauses
    function submitEvidence(bytes32 claimId, string calldata evidenceURI) external {
        if (msg.sender != registry.holderOf(claimId) && !_roles.hasRole(Roles.RECORDER, msg.sender)) {
            revert NotClaimHolder(claimId, msg.sender);
        }
        emit Evidence(arbitrator, uint256(claimId), msg.sender, evidenceURI);
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
    function withdraw(address payable to, uint256 amount) external onlyRole(Roles.ADMIN) {
        uint256 balance = address(this).balance;
        if (amount > balance) revert InsufficientBalance(amount, balance);
        emit FundsWithdrawn(to, amount, msg.sender);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert WithdrawalFailed(to, amount);
    }

    /// @inheritdoc ICollectionClauses
    function setMetaEvidence(string calldata metaEvidenceURI) external onlyRole(Roles.ADMIN) {
        _publishMetaEvidence(metaEvidenceURI);
    }

    /// @inheritdoc ICollectionClauses
    function caseOf(bytes32 claimId) external view returns (CaseRecord memory record) {
        Case memory c = _loadCase(claimId);
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
    function batchDigest(bytes calldata reports) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(BATCH_TYPEHASH, keccak256(reports))));
    }

    /// @inheritdoc ICollectionClauses
    function isBatchApplied(bytes32 digest) external view returns (bool) {
        return _appliedBatches[digest];
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

    /// @dev Checks (freshness, order, nonce), records, then advances the case by the clauses: one storage read
    /// and one write of the case (the figures go to the event).
    function _applyReport(Report memory r, Case memory c, uint256 maxAge) private {
        bytes32 claimId = r.claimId;
        _loadCase(claimId, c);
        if (c.warnDays == 0) _openCase(claimId, c);
        if (c.state == CaseState.Closed) revert CaseAlreadyClosed(claimId);
        if (r.classification > MAX_CLASS || r.riskGrade > MAX_CLASS) {
            revert ReportFieldOutOfRange(claimId, r.classification, r.riskGrade);
        }
        if (r.asOf > block.timestamp + MAX_FUTURE_SKEW) revert ReportFromFuture(claimId, r.asOf, block.timestamp);
        if (uint256(r.asOf) + maxAge < block.timestamp) revert StaleReport(claimId, r.asOf, block.timestamp);
        if (r.asOf <= c.lastAsOf) revert ReportNotNewer(claimId, r.asOf, c.lastAsOf);
        if (r.nonce != c.nonce) revert ReportNonceMismatch(claimId, r.nonce, c.nonce);

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
            r.riskGrade
        );
        bool arbitrate = _advance(claimId, c, r);
        _storeCase(claimId, c);
        if (arbitrate) _startArbitration(claimId, c, r);
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

    /// @dev A claim's first report: its clause terms are copied from the registry, which never changes them
    /// (an unregistered claim has none: warnDays is at least 1 for every registered one).
    function _openCase(bytes32 claimId, Case memory c) private view {
        ClauseTerms memory t = registry.clausesOf(claimId);
        if (t.warnDays == 0) revert UnknownClaim(claimId);
        c.warnDays = t.warnDays;
        c.demandDays = t.demandDays;
        c.arbitrationDays = t.arbitrationDays;
        c.coverageBps = t.coverageBps;
        c.noticeDays = t.noticeDays;
    }

    function _setQuorum(uint256 quorum_) private {
        if (quorum_ == 0 || quorum_ > type(uint64).max) revert InvalidQuorum(quorum_);
        _quorum = uint64(quorum_);
        emit QuorumSet(quorum_);
    }

    function _setMaxReportAge(uint256 maxReportAge_) private {
        if (maxReportAge_ == 0 || maxReportAge_ > MAX_REPORT_AGE_LIMIT) revert InvalidMaxReportAge(maxReportAge_);
        _maxReportAge = uint64(maxReportAge_); // <= 30 days: fits
        emit MaxReportAgeSet(maxReportAge_);
    }
}
