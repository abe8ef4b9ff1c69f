// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ICouncil} from "./interfaces/ICouncil.sol";

/// @title Council
/// @notice See {ICouncil}.
contract Council is ICouncil {
    /// @notice Most members the council takes (approvals are counted over them on every schedule).
    uint256 public constant MAX_MEMBERS = 32;

    enum ProposalState {
        None,
        Proposed,
        Cancelled
    }

    /// @inheritdoc ICouncil
    TimelockController public immutable timelock;

    address[] private _members;
    uint256 private _threshold;
    mapping(bytes32 id => ProposalState) private _proposals;
    mapping(bytes32 id => mapping(address member => bool)) private _approved;

    modifier onlyMember() {
        if (!isMember(msg.sender)) revert NotCouncilMember(msg.sender);
        _;
    }

    modifier onlyTimelock() {
        if (msg.sender != address(timelock)) revert NotTimelock(msg.sender);
        _;
    }

    /// @param members_ the member organisations' accounts (1..MAX_MEMBERS, distinct, non-zero)
    /// @param threshold_ k: approvals an operation needs (1..n; at least 2 with more than one member)
    /// @param minDelay seconds between scheduling and running an operation (the timelock's minimum delay)
    constructor(address[] memory members_, uint256 threshold_, uint256 minDelay) {
        _configure(members_, threshold_);
        address[] memory proposers = new address[](1);
        proposers[0] = address(this);
        // The zero address as executor: anyone runs an operation once it is ready.
        address[] memory executors = new address[](1);
        // No admin: the timelock administers itself, i.e. through this council.
        timelock = new TimelockController(minDelay, proposers, executors, address(0));
    }

    /// @inheritdoc ICouncil
    function propose(address[] calldata targets, uint256[] calldata values, bytes[] calldata payloads, bytes32 salt)
        external
        onlyMember
        returns (bytes32 id)
    {
        id = timelock.hashOperationBatch(targets, values, payloads, bytes32(0), salt);
        if (_proposals[id] != ProposalState.None) revert AlreadyProposed(id);
        _proposals[id] = ProposalState.Proposed;
        emit CallsProposed(id, msg.sender, targets, values, payloads, salt);
        _approve(id);
    }

    /// @inheritdoc ICouncil
    function proposeCancel(bytes32 id) external onlyMember returns (bytes32 cancelId) {
        if (_proposals[id] == ProposalState.None) revert UnknownProposal(id);
        cancelId = cancelIdOf(id);
        if (_proposals[cancelId] != ProposalState.None) revert AlreadyProposed(cancelId);
        _proposals[cancelId] = ProposalState.Proposed;
        emit CancelProposed(cancelId, id, msg.sender);
        _approve(cancelId);
    }

    /// @inheritdoc ICouncil
    function approve(bytes32 id) external onlyMember {
        if (_proposals[id] == ProposalState.None) revert UnknownProposal(id);
        if (_proposals[id] == ProposalState.Cancelled) revert ProposalIsCancelled(id);
        if (_approved[id][msg.sender]) revert AlreadyApproved(id, msg.sender);
        _approve(id);
    }

    /// @inheritdoc ICouncil
    function revoke(bytes32 id) external onlyMember {
        if (!_approved[id][msg.sender]) revert NotApproved(id, msg.sender);
        _approved[id][msg.sender] = false;
        emit ApprovalRevoked(id, msg.sender);
    }

    /// @inheritdoc ICouncil
    function schedule(address[] calldata targets, uint256[] calldata values, bytes[] calldata payloads, bytes32 salt)
        external
        returns (bytes32 id)
    {
        id = timelock.hashOperationBatch(targets, values, payloads, bytes32(0), salt);
        _requireApproved(id);
        uint256 delay = timelock.getMinDelay();
        emit OperationScheduled(id, block.timestamp + delay);
        timelock.scheduleBatch(targets, values, payloads, bytes32(0), salt, delay);
    }

    /// @inheritdoc ICouncil
    function cancel(bytes32 id) external {
        _requireApproved(cancelIdOf(id));
        // A cancelled proposal stays dead: its approvals never schedule it again.
        _proposals[id] = ProposalState.Cancelled;
        emit OperationCancelled(id);
        timelock.cancel(id);
    }

    /// @inheritdoc ICouncil
    function reconfigure(address[] calldata members_, uint256 threshold_) external onlyTimelock {
        _configure(members_, threshold_);
    }

    /// @inheritdoc ICouncil
    function members() external view returns (address[] memory) {
        return _members;
    }

    /// @inheritdoc ICouncil
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc ICouncil
    function isMember(address account) public view returns (bool) {
        for (uint256 i = 0; i < _members.length; ++i) {
            if (_members[i] == account) return true;
        }
        return false;
    }

    /// @inheritdoc ICouncil
    function approvals(bytes32 id) public view returns (uint256 count) {
        for (uint256 i = 0; i < _members.length; ++i) {
            if (_approved[id][_members[i]]) ++count;
        }
    }

    /// @inheritdoc ICouncil
    function isProposed(bytes32 id) external view returns (bool) {
        return _proposals[id] == ProposalState.Proposed;
    }

    /// @inheritdoc ICouncil
    function hasApproved(bytes32 id, address member) external view returns (bool) {
        return _approved[id][member];
    }

    /// @inheritdoc ICouncil
    function cancelIdOf(bytes32 id) public pure returns (bytes32) {
        return keccak256(abi.encode("Debtrail Council: cancel", id));
    }

    function _approve(bytes32 id) private {
        _approved[id][msg.sender] = true;
        emit Approved(id, msg.sender);
    }

    /// @dev Approvals are counted over the members of now: a removed member's approval no longer counts.
    function _requireApproved(bytes32 id) private view {
        if (_proposals[id] == ProposalState.None) revert UnknownProposal(id);
        if (_proposals[id] == ProposalState.Cancelled) revert ProposalIsCancelled(id);
        uint256 count = approvals(id);
        if (count < _threshold) revert ApprovalsBelowThreshold(id, count, _threshold);
    }

    /// @dev 1..MAX_MEMBERS distinct non-zero members; k in 1..n, and at least 2 once there is more than one
    /// member: no organisation acts alone.
    function _configure(address[] memory members_, uint256 threshold_) private {
        uint256 n = members_.length;
        if (n > MAX_MEMBERS) revert TooManyMembers(n, MAX_MEMBERS);
        if (threshold_ == 0 || threshold_ > n || (n > 1 && threshold_ < 2)) revert InvalidThreshold(threshold_, n);
        for (uint256 i = 0; i < n; ++i) {
            if (members_[i] == address(0)) revert InvalidMember(members_[i]);
            for (uint256 j = 0; j < i; ++j) {
                if (members_[j] == members_[i]) revert InvalidMember(members_[i]);
            }
        }
        _members = members_;
        _threshold = threshold_;
        emit CouncilReconfigured(members_, threshold_);
    }
}
