// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Debtrail roles
/// @notice Role identifiers shared by every Debtrail contract (OpenZeppelin AccessControl).
/// ADMIN is also each contract's DEFAULT_ADMIN_ROLE holder. After deployment both belong to the council's
/// timelock alone ({Council}): k-of-n of the organisations, after a delay; no organisation holds them.
library Roles {
    /// @notice Manages roles, originator codes, quorum and parameters, pauses and lifts transfer restrictions.
    /// In a network: the council's timelock, never one organisation.
    bytes32 internal constant ADMIN = keccak256("ADMIN");
    /// @notice A bank that registers its loans as claims (原始债权人).
    bytes32 internal constant ORIGINATOR = keccak256("ORIGINATOR");
    /// @notice A licensed AMC or qualified investor allowed to hold claims (受让方).
    bytes32 internal constant HOLDER = keccak256("HOLDER");
    /// @notice Signs loan-status reports that drive the smart clauses.
    bytes32 internal constant ORACLE = keccak256("ORACLE");
    /// @notice Anchors evidence batches.
    bytes32 internal constant RECORDER = keccak256("RECORDER");
    /// @notice A court or arbitration commission that rules on disputes.
    bytes32 internal constant ARBITRATOR = keccak256("ARBITRATOR");
}
