// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CaseLadder} from "./CaseLadder.sol";
import {IArbitrator, IArbitrable} from "./interfaces/IArbitrator.sol";
import {ICollectionClauses, CaseState, ClosureReason, Report} from "./interfaces/ICollectionClauses.sol";

/// @title CaseDisputes
/// @notice The arbitration side of {CollectionClauses}: creating a claim's dispute at the ERC-792 arbitrator
/// (or deferring it while the fee is unfunded), executing the final ruling on the case, ERC-1497 meta-evidence.
abstract contract CaseDisputes is CaseLadder {
    /// @notice Ruling options of a dispute: 1 enforce (auction), 2 dismiss, 3 settle (0: refused).
    uint256 public constant RULING_CHOICES = 3;
    uint256 private constant RULING_REFUSED = 0;
    uint256 private constant RULING_ENFORCE = 1;
    uint256 private constant RULING_DISMISS = 2;
    uint256 private constant RULING_SETTLE = 3;

    /// @inheritdoc ICollectionClauses
    IArbitrator public immutable arbitrator;

    mapping(bytes32 claimId => uint256) internal _disputeOf;
    mapping(uint256 disputeId => bytes32) private _claimOf;
    uint256 private _metaEvidenceId;

    /// @param arbitrator_ the ERC-792 arbitrator disputes go to
    /// @param metaEvidenceURI ERC-1497 meta-evidence 0 (the question and ruling options of every dispute)
    constructor(IArbitrator arbitrator_, string memory metaEvidenceURI) {
        arbitrator = arbitrator_;
        emit MetaEvidence(0, metaEvidenceURI);
    }

    /// @inheritdoc IArbitrable
    function rule(uint256 disputeId, uint256 ruling) external {
        if (msg.sender != address(arbitrator)) revert NotArbitrator(msg.sender);
        bytes32 claimId = _claimOf[disputeId];
        // A refused dispute is no longer the claim's: its id never rules on a later arbitration.
        if (claimId == bytes32(0) || _disputeOf[claimId] != disputeId) revert UnknownDispute(disputeId);
        Case memory c = _loadCase(claimId);
        emit Ruling(arbitrator, disputeId, ruling);
        emit RulingApplied(claimId, disputeId, ruling);
        if (ruling == RULING_REFUSED) {
            // No award: the ladder goes on from the demand; a later report may start arbitration again
            // once the notice period has run again from now (see {CaseLadder-_noticeDueAt}).
            _transition(claimId, c, CaseState.Demanded, bytes32(0));
            _storeCase(claimId, c);
            delete _disputeOf[claimId];
            return;
        }
        _transition(claimId, c, CaseState.Ruled, bytes32(0));
        if (ruling == RULING_ENFORCE) emit EnforcementOrdered(claimId, disputeId);
        else if (ruling == RULING_DISMISS) _close(claimId, c, ClosureReason.Dismissed);
        else if (ruling == RULING_SETTLE) _close(claimId, c, ClosureReason.Settled);
        _storeCase(claimId, c);
    }

    /// @inheritdoc ICollectionClauses
    function claimOfDispute(uint256 disputeId) external view returns (bytes32) {
        return _claimOf[disputeId];
    }

    /// @inheritdoc ICollectionClauses
    function metaEvidenceId() external view returns (uint256) {
        return _metaEvidenceId;
    }

    /// @dev An unfunded fee defers this claim alone: the case stays Demanded, the batch goes on, and a later
    /// report starts arbitration once the contract holds the fee. The case is written before the arbitrator
    /// is called.
    function _startArbitration(bytes32 claimId, Case memory c, Report memory r) internal override {
        uint256 cost = arbitrator.arbitrationCost("");
        uint256 balance = address(this).balance;
        if (cost > balance) {
            emit ArbitrationDeferred(claimId, cost, balance);
            return;
        }
        _transition(claimId, c, CaseState.InArbitration, bytes32(0));
        _storeCase(claimId, c);
        uint256 disputeId = arbitrator.createDispute{value: cost}(RULING_CHOICES, "");
        _disputeOf[claimId] = disputeId;
        _claimOf[disputeId] = claimId;
        emit ArbitrationStarted(
            claimId, disputeId, r.daysPastDue, uint256(r.collateralValue) * 10_000 / r.outstanding
        );
        emit Dispute(arbitrator, disputeId, _metaEvidenceId, uint256(claimId));
    }

    function _publishMetaEvidence(string calldata metaEvidenceURI) internal {
        uint256 id = ++_metaEvidenceId;
        emit MetaEvidence(id, metaEvidenceURI);
    }
}
