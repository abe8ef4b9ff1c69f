// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title Council errors
interface ICouncilErrors {
    /// @dev Only a member of the council may propose, approve or revoke.
    error NotCouncilMember(address caller);
    /// @dev Membership and threshold change only through the council's own timelock (k-of-n, after the delay).
    error NotTimelock(address caller);
    /// @dev The zero address, or one listed twice.
    error InvalidMember(address member);
    /// @dev More members than the council takes.
    error TooManyMembers(uint256 members, uint256 max);
    /// @dev k must be 1..n, and at least 2 when the council has more than one member: no organisation alone.
    error InvalidThreshold(uint256 threshold, uint256 members);
    /// @dev These calls (with this salt) were proposed before.
    error AlreadyProposed(bytes32 id);
    /// @dev Nothing was proposed under this id.
    error UnknownProposal(bytes32 id);
    /// @dev The proposal was cancelled: it never runs, whatever approvals it had.
    error ProposalIsCancelled(bytes32 id);
    /// @dev The member approved this proposal already.
    error AlreadyApproved(bytes32 id, address member);
    /// @dev The member has no approval of this proposal to revoke.
    error NotApproved(bytes32 id, address member);
    /// @dev Fewer current members approved than the threshold.
    error ApprovalsBelowThreshold(bytes32 id, uint256 approvals, uint256 threshold);
}

/// @title Council events
interface ICouncilEvents {
    /// @notice A member proposed calls (the operation `id` of the timelock); members read them here before approving.
    event CallsProposed(
        bytes32 indexed id, address indexed proposer, address[] targets, uint256[] values, bytes[] payloads, bytes32 salt
    );
    /// @notice A member proposed to cancel the scheduled operation `id` (itself approved as `cancelId`).
    event CancelProposed(bytes32 indexed cancelId, bytes32 indexed id, address indexed proposer);
    /// @notice A member approved a proposal.
    event Approved(bytes32 indexed id, address indexed member);
    /// @notice A member withdrew its approval.
    event ApprovalRevoked(bytes32 indexed id, address indexed member);
    /// @notice k members approved: the operation is scheduled at the timelock and may run from `readyAt`.
    event OperationScheduled(bytes32 indexed id, uint256 readyAt);
    /// @notice k members cancelled a scheduled operation: it never runs.
    event OperationCancelled(bytes32 indexed id);
    /// @notice The council's members and k, at deployment or changed through the council's own timelock.
    event CouncilReconfigured(address[] members, uint256 threshold);
}

/// @title Debtrail council: no single administrator
/// @notice k-of-n of the member organisations (bank, AMCs, court…), behind an OpenZeppelin TimelockController
/// that holds ADMIN of every Debtrail contract: role grants, quorum and parameter changes, lifting a resale
/// restriction, pausing, and this council's own membership all need k members' approvals and then the
/// timelock's delay, during which everyone sees what will run (and k members may cancel it). The council is
/// the timelock's only proposer and canceller; anyone executes a ready operation.
///
/// Flow: a member `propose`s calls (targets, values, payloads, salt) — approving them itself; others
/// `approve` the proposal's id; once k current members approve, anyone `schedule`s it; after the delay anyone
/// calls the timelock's `executeBatch` with the same calls. With more than one member, k is at least 2.
interface ICouncil is ICouncilErrors, ICouncilEvents {
    /// @notice Proposes calls to run through the timelock, approving them for the caller. Member only.
    /// @return id the timelock's operation id: hashOperationBatch(targets, values, payloads, 0, salt)
    function propose(address[] calldata targets, uint256[] calldata values, bytes[] calldata payloads, bytes32 salt)
        external
        returns (bytes32 id);

    /// @notice Proposes to cancel the scheduled operation `id`, approving that for the caller. Member only.
    /// @return cancelId what members approve to cancel it ({cancelIdOf})
    function proposeCancel(bytes32 id) external returns (bytes32 cancelId);

    /// @notice Approves a proposal (of calls or of a cancellation). Member only; once per member.
    function approve(bytes32 id) external;

    /// @notice Withdraws the caller's approval (before the proposal is scheduled it then may fall short).
    function revoke(bytes32 id) external;

    /// @notice Schedules approved calls at the timelock with its minimum delay. Anyone; needs k approvals of
    /// current members and a proposal that was not cancelled.
    function schedule(address[] calldata targets, uint256[] calldata values, bytes[] calldata payloads, bytes32 salt)
        external
        returns (bytes32 id);

    /// @notice Cancels the scheduled operation `id`. Anyone; needs k approvals of its cancellation.
    function cancel(bytes32 id) external;

    /// @notice Replaces the members and k at once (so a council can grow from one member to several with k
    /// >= 2 in one step). Only through the timelock: k-of-n of the current council, after the delay. Approvals
    /// of pending proposals count only for members who stay.
    function reconfigure(address[] calldata members, uint256 threshold) external;

    /// @notice The timelock this council proposes to: the ADMIN of the Debtrail contracts.
    function timelock() external view returns (TimelockController);

    /// @notice The current members.
    function members() external view returns (address[] memory);

    /// @notice k: approvals an operation needs.
    function threshold() external view returns (uint256);

    /// @notice Whether `account` is a member.
    function isMember(address account) external view returns (bool);

    /// @notice Approvals of current members for proposal `id`.
    function approvals(bytes32 id) external view returns (uint256);

    /// @notice Whether proposal `id` was made (and not cancelled).
    function isProposed(bytes32 id) external view returns (bool);

    /// @notice Whether `member` approved proposal `id`.
    function hasApproved(bytes32 id, address member) external view returns (bool);

    /// @notice The id members approve to cancel operation `id`.
    function cancelIdOf(bytes32 id) external pure returns (bytes32);
}
