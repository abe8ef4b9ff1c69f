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
    /// @notice A licensed AMC or qualified investor allowed to hold claims (受让方); which of the two is told by
    /// LICENSED_AMC or QUALIFIED_INVESTOR beside it.
    bytes32 internal constant HOLDER = keccak256("HOLDER");
    /// @notice A licensed asset-management company (national financial AMC or local AMC, 持牌资产管理公司): the only
    /// buyer of personal NPLs (26号文) and of a bank's batch of ten or more (财金〔2012〕6号).
    bytes32 internal constant LICENSED_AMC = keccak256("LICENSED_AMC");
    /// @notice A qualified investor (合格投资者) other than a licensed AMC: may buy an AMC's corporate packages.
    bytes32 internal constant QUALIFIED_INVESTOR = keccak256("QUALIFIED_INVESTOR");
    /// @notice The claim market contract: locks listed claims and moves them to the award's winner.
    bytes32 internal constant MARKET = keccak256("MARKET");
    /// @notice Signs loan-status reports that drive the smart clauses.
    bytes32 internal constant ORACLE = keccak256("ORACLE");
    /// @notice Anchors evidence batches.
    bytes32 internal constant RECORDER = keccak256("RECORDER");
    /// @notice A court or arbitration commission that rules on disputes.
    bytes32 internal constant ARBITRATOR = keccak256("ARBITRATOR");
}
