// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Roles} from "./Roles.sol";
import {IArbitrator, IArbitrable} from "./interfaces/IArbitrator.sol";
import {IRulingArbitrator} from "./interfaces/IRulingArbitrator.sol";

/// @title Arbitrator
/// @notice See {IRulingArbitrator}.
contract Arbitrator is IRulingArbitrator {
    struct DisputeRecord {
        IArbitrable arbitrable;
        uint8 choices;
        uint8 ruling;
        bool ruled;
        bool executed;
        uint40 ruledAt;
        uint40 appealPeriodEnd;
    }

    /// @notice Where ARBITRATOR and ADMIN are looked up (the ClaimRegistry).
    IAccessControl public immutable roles;

    mapping(uint256 disputeId => DisputeRecord) private _disputes;
    uint256 private _disputeCount;
    uint256 private _appealPeriod;
    uint256 private _arbitrationFee;
    uint256 private _appealFee = type(uint256).max;

    modifier onlyRole(bytes32 role) {
        if (!roles.hasRole(role, msg.sender)) revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, role);
        _;
    }

    /// @param roles_ the role directory (ClaimRegistry): ARBITRATOR rules, ADMIN configures
    /// @param appealPeriod_ seconds between a ruling and its execution (0 allowed)
    constructor(IAccessControl roles_, uint256 appealPeriod_) {
        roles = roles_;
        _appealPeriod = appealPeriod_;
        emit AppealPeriodSet(appealPeriod_);
    }

    /// @inheritdoc IArbitrator
    function createDispute(uint256 choices, bytes calldata extraData) external payable returns (uint256 disputeId) {
        if (choices == 0 || choices > type(uint8).max) revert InvalidChoices(choices);
        uint256 cost = arbitrationCost(extraData);
        if (msg.value < cost) revert InsufficientFee(msg.value, cost);
        disputeId = ++_disputeCount;
        _disputes[disputeId].arbitrable = IArbitrable(msg.sender);
        _disputes[disputeId].choices = uint8(choices);
        emit DisputeCreation(disputeId, IArbitrable(msg.sender));
    }

    /// @inheritdoc IRulingArbitrator
    function giveRuling(uint256 disputeId, uint256 ruling) external onlyRole(Roles.ARBITRATOR) {
        DisputeRecord storage d = _dispute(disputeId);
        if (d.ruled) revert DisputeNotWaiting(disputeId);
        if (ruling > d.choices) revert RulingOutOfRange(disputeId, ruling, d.choices);
        d.ruling = uint8(ruling);
        d.ruled = true;
        d.ruledAt = uint40(block.timestamp);
        d.appealPeriodEnd = SafeCast.toUint40(block.timestamp + _appealPeriod);
        emit RulingGiven(disputeId, ruling, msg.sender);
        emit AppealPossible(disputeId, d.arbitrable);
    }

    /// @inheritdoc IArbitrator
    function appeal(uint256 disputeId, bytes calldata extraData) external payable {
        DisputeRecord storage d = _dispute(disputeId);
        if (!d.ruled) revert RulingNotGiven(disputeId);
        if (d.executed || block.timestamp >= d.appealPeriodEnd) {
            revert AppealPeriodOver(disputeId, d.appealPeriodEnd, block.timestamp);
        }
        uint256 cost = appealCost(disputeId, extraData);
        if (msg.value < cost) revert InsufficientFee(msg.value, cost);
        d.ruled = false;
        d.ruling = 0;
        d.ruledAt = 0;
        d.appealPeriodEnd = 0;
        emit AppealDecision(disputeId, d.arbitrable);
    }

    /// @inheritdoc IRulingArbitrator
    function executeRuling(uint256 disputeId) external {
        DisputeRecord storage d = _dispute(disputeId);
        if (!d.ruled) revert RulingNotGiven(disputeId);
        if (d.executed) revert RulingAlreadyExecuted(disputeId);
        if (block.timestamp < d.appealPeriodEnd) revert AppealPeriodNotOver(disputeId, d.appealPeriodEnd, block.timestamp);
        d.executed = true;
        emit RulingExecuted(disputeId, d.arbitrable, d.ruling);
        d.arbitrable.rule(disputeId, d.ruling);
    }

    /// @inheritdoc IRulingArbitrator
    function setAppealPeriod(uint256 period) external onlyRole(Roles.ADMIN) {
        _appealPeriod = period;
        emit AppealPeriodSet(period);
    }

    /// @inheritdoc IRulingArbitrator
    function setFees(uint256 arbitrationFee, uint256 appealFee) external onlyRole(Roles.ADMIN) {
        _arbitrationFee = arbitrationFee;
        _appealFee = appealFee;
        emit FeesSet(arbitrationFee, appealFee);
    }

    /// @inheritdoc IRulingArbitrator
    function withdrawFees(address payable to) external onlyRole(Roles.ADMIN) {
        uint256 amount = address(this).balance;
        emit FeesWithdrawn(to, amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert FeeTransferFailed(to, amount);
    }

    /// @inheritdoc IArbitrator
    function arbitrationCost(bytes calldata) public view returns (uint256) {
        return _arbitrationFee;
    }

    /// @inheritdoc IArbitrator
    function appealCost(uint256, bytes calldata) public view returns (uint256) {
        return _appealFee;
    }

    /// @inheritdoc IArbitrator
    function appealPeriod(uint256 disputeId) external view returns (uint256 start, uint256 end) {
        DisputeRecord storage d = _dispute(disputeId);
        if (d.ruled && !d.executed) return (d.ruledAt, d.appealPeriodEnd);
        return (0, 0);
    }

    /// @inheritdoc IArbitrator
    function disputeStatus(uint256 disputeId) external view returns (DisputeStatus) {
        DisputeRecord storage d = _dispute(disputeId);
        if (d.executed || (d.ruled && block.timestamp >= d.appealPeriodEnd)) return DisputeStatus.Solved;
        return d.ruled ? DisputeStatus.Appealable : DisputeStatus.Waiting;
    }

    /// @inheritdoc IArbitrator
    function currentRuling(uint256 disputeId) external view returns (uint256) {
        return _dispute(disputeId).ruling;
    }

    /// @inheritdoc IRulingArbitrator
    function disputeOf(uint256 disputeId)
        external
        view
        returns (IArbitrable arbitrable, uint256 choices, uint256 ruling, bool executed)
    {
        DisputeRecord storage d = _dispute(disputeId);
        return (d.arbitrable, d.choices, d.ruling, d.executed);
    }

    /// @inheritdoc IRulingArbitrator
    function disputeCount() external view returns (uint256) {
        return _disputeCount;
    }

    function _dispute(uint256 disputeId) private view returns (DisputeRecord storage d) {
        d = _disputes[disputeId];
        if (address(d.arbitrable) == address(0)) revert DisputeNotFound(disputeId);
    }
}
