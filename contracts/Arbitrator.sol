// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
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
        uint40 ruledAt;
    }

    /// @notice Where ARBITRATOR and ADMIN are looked up (the ClaimRegistry).
    IAccessControl public immutable roles;

    mapping(uint256 disputeId => DisputeRecord) private _disputes;
    uint256 private _disputeCount;
    uint256 private _arbitrationFee;

    modifier onlyRole(bytes32 role) {
        if (!roles.hasRole(role, msg.sender)) revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, role);
        _;
    }

    /// @param roles_ the role directory (ClaimRegistry): ARBITRATOR rules, ADMIN configures
    constructor(IAccessControl roles_) {
        roles = roles_;
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
        emit RulingGiven(disputeId, ruling, msg.sender);
        emit RulingExecuted(disputeId, d.arbitrable, ruling);
        d.arbitrable.rule(disputeId, ruling);
    }

    /// @inheritdoc IArbitrator
    /// @dev Always reverts: an arbitral award is final (仲裁法第9条).
    function appeal(uint256 disputeId, bytes calldata) external payable {
        revert AwardIsFinal(disputeId);
    }

    /// @inheritdoc IRulingArbitrator
    function setArbitrationFee(uint256 fee) external onlyRole(Roles.ADMIN) {
        _arbitrationFee = fee;
        emit ArbitrationFeeSet(fee);
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
    /// @dev `type(uint256).max`: no appeal is possible, ever.
    function appealCost(uint256, bytes calldata) external pure returns (uint256) {
        return type(uint256).max;
    }

    /// @inheritdoc IArbitrator
    /// @dev Always (0, 0): there is no appeal period.
    function appealPeriod(uint256 disputeId) external view returns (uint256 start, uint256 end) {
        _dispute(disputeId);
        return (0, 0);
    }

    /// @inheritdoc IArbitrator
    function disputeStatus(uint256 disputeId) external view returns (DisputeStatus) {
        return _dispute(disputeId).ruled ? DisputeStatus.Solved : DisputeStatus.Waiting;
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
        return (d.arbitrable, d.choices, d.ruling, d.ruled);
    }

    /// @inheritdoc IRulingArbitrator
    function ruledAt(uint256 disputeId) external view returns (uint256) {
        return _dispute(disputeId).ruledAt;
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
