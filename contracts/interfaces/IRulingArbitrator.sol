// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator, IArbitrable} from "./IArbitrator.sol";

/// @title Debtrail arbitrator errors
interface IRulingArbitratorErrors {
    /// @dev No dispute has this id.
    error DisputeNotFound(uint256 disputeId);
    /// @dev A ruling was already given for this dispute (an award is final).
    error DisputeNotWaiting(uint256 disputeId);
    /// @dev The ruling is above the dispute's number of choices.
    error RulingOutOfRange(uint256 disputeId, uint256 ruling, uint256 choices);
    /// @dev An arbitral award is final (仲裁法第9条): there is no appeal. Setting it aside (撤销) or refusing
    /// its enforcement (不予执行) is for a court, off this contract.
    error AwardIsFinal(uint256 disputeId);
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
    /// @notice The ruling was passed to the arbitrable contract (in the transaction that gave it).
    event RulingExecuted(uint256 indexed disputeId, IArbitrable indexed arbitrable, uint256 ruling);
    /// @notice ADMIN set the fee (wei) to create a dispute.
    event ArbitrationFeeSet(uint256 fee);
    /// @notice ADMIN withdrew collected fees.
    event FeesWithdrawn(address indexed to, uint256 amount);
}

/// @title Debtrail arbitrator (ERC-792)
/// @notice A centralized ERC-792 arbitrator for a permissioned network. Roles come from a role directory
/// (the ClaimRegistry's AccessControl): accounts with ARBITRATOR give rulings, ADMIN sets the fee.
/// Lifecycle: {createDispute} (by the arbitrable, paying {arbitrationCost}) → {giveRuling} (ARBITRATOR),
/// which is final and executed at once: the same transaction calls {IArbitrable-rule}. An arbitral award is
/// final (一裁终局, 仲裁法第9条): {appeal} always reverts with AwardIsFinal, {appealCost} is
/// `type(uint256).max` and {appealPeriod} is (0, 0); a dispute goes Waiting → Solved. Dispute ids start at 1.
/// Arbitration costs 0 until ADMIN sets a fee.
interface IRulingArbitrator is IArbitrator, IRulingArbitratorErrors, IRulingArbitratorEvents {
    /// @notice Gives the final ruling of a waiting dispute and executes it: calls the arbitrable's
    /// {IArbitrable-rule} in the same transaction (reverting with it if the arbitrable refuses).
    /// Caller needs ARBITRATOR.
    /// @param ruling 0 (refuse to arbitrate) up to the dispute's choices
    function giveRuling(uint256 disputeId, uint256 ruling) external;

    /// @notice Sets the fee in wei to create a dispute. ADMIN only.
    function setArbitrationFee(uint256 fee) external;

    /// @notice Sends the collected fees to `to`. ADMIN only.
    function withdrawFees(address payable to) external;

    /// @notice The contract that created `disputeId`, its number of choices, the ruling and whether it was
    /// given (and so executed).
    function disputeOf(uint256 disputeId)
        external
        view
        returns (IArbitrable arbitrable, uint256 choices, uint256 ruling, bool executed);

    /// @notice Block time of the ruling, 0 while the dispute waits.
    function ruledAt(uint256 disputeId) external view returns (uint256);

    /// @notice The number of disputes created (the latest dispute id).
    function disputeCount() external view returns (uint256);
}
