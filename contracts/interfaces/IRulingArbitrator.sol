// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator, IArbitrable} from "./IArbitrator.sol";

/// @title Debtrail arbitrator errors
interface IRulingArbitratorErrors {
    /// @dev No dispute has this id.
    error DisputeNotFound(uint256 disputeId);
    /// @dev A ruling was already given (and not appealed) for this dispute.
    error DisputeNotWaiting(uint256 disputeId);
    /// @dev The ruling is above the dispute's number of choices.
    error RulingOutOfRange(uint256 disputeId, uint256 ruling, uint256 choices);
    /// @dev The dispute has no ruling to execute or appeal yet.
    error RulingNotGiven(uint256 disputeId);
    /// @dev The ruling may only be executed once the appeal period has ended.
    error AppealPeriodNotOver(uint256 disputeId, uint256 end, uint256 blockTime);
    /// @dev The appeal period is over (or the ruling was executed): no appeal is possible.
    error AppealPeriodOver(uint256 disputeId, uint256 end, uint256 blockTime);
    /// @dev The ruling of this dispute was already passed to its arbitrable.
    error RulingAlreadyExecuted(uint256 disputeId);
    /// @dev Fewer wei sent than the fee.
    error InsufficientFee(uint256 paid, uint256 cost);
    /// @dev A dispute needs 1..255 choices.
    error InvalidChoices(uint256 choices);
    /// @dev Sending collected fees failed.
    error FeeTransferFailed(address to, uint256 amount);
}

/// @title Debtrail arbitrator events
interface IRulingArbitratorEvents {
    /// @notice `arbitrator` (an ARBITRATOR account: court or arbitration commission) ruled `ruling` on `disputeId`.
    event RulingGiven(uint256 indexed disputeId, uint256 ruling, address indexed arbitrator);
    /// @notice The final ruling was passed to the arbitrable contract.
    event RulingExecuted(uint256 indexed disputeId, IArbitrable indexed arbitrable, uint256 ruling);
    /// @notice ADMIN set the appeal period (seconds).
    event AppealPeriodSet(uint256 period);
    /// @notice ADMIN set the fees (wei); an appeal fee of `type(uint256).max` disables appeals.
    event FeesSet(uint256 arbitrationFee, uint256 appealFee);
    /// @notice ADMIN withdrew collected fees.
    event FeesWithdrawn(address indexed to, uint256 amount);
}

/// @title Debtrail arbitrator (ERC-792)
/// @notice A centralized ERC-792 arbitrator for a permissioned network. Roles come from a role directory
/// (the ClaimRegistry's AccessControl): accounts with ARBITRATOR give rulings, ADMIN sets periods and fees.
/// Lifecycle: {createDispute} (by the arbitrable) → {giveRuling} (ARBITRATOR) → appeal period, during which
/// {appeal} (paying {appealCost}) sends the dispute back to Waiting → {executeRuling} (anyone, after the
/// period) calls {IArbitrable-rule}. Dispute ids start at 1. By default arbitration costs 0 and appeals are
/// disabled (appeal fee `type(uint256).max`: an arbitral award is final, 一裁终局).
interface IRulingArbitrator is IArbitrator, IRulingArbitratorErrors, IRulingArbitratorEvents {
    /// @notice Gives the ruling of a waiting dispute. Caller needs ARBITRATOR. Starts the appeal period.
    /// @param ruling 0 (refuse to arbitrate) up to the dispute's choices
    function giveRuling(uint256 disputeId, uint256 ruling) external;

    /// @notice Passes the ruling to the arbitrable once the appeal period is over. Anyone may call it, once.
    function executeRuling(uint256 disputeId) external;

    /// @notice Sets the appeal period in seconds (applies to rulings given afterwards). ADMIN only.
    function setAppealPeriod(uint256 period) external;

    /// @notice Sets the fees in wei. ADMIN only.
    function setFees(uint256 arbitrationFee, uint256 appealFee) external;

    /// @notice Sends the collected fees to `to`. ADMIN only.
    function withdrawFees(address payable to) external;

    /// @notice The contract that created `disputeId`, with the number of choices and whether it was executed.
    function disputeOf(uint256 disputeId)
        external
        view
        returns (IArbitrable arbitrable, uint256 choices, uint256 ruling, bool executed);

    /// @notice The number of disputes created (the latest dispute id).
    function disputeCount() external view returns (uint256);
}
