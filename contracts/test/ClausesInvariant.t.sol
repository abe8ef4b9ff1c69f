// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ClausesFixture} from "./handlers/ClausesFixture.sol";
import {ClausesHandler} from "./handlers/ClausesHandler.sol";
import {CaseRecord} from "../interfaces/ICollectionClauses.sol";

/// @dev Invariants over random sequences of signed reports, replays, restructurings, rulings and arbitration fees
/// (funded or not) on 3 claims.
contract ClausesInvariantTest is ClausesFixture {
    ClausesHandler internal handler;

    function setUp() public {
        _deploy();
        bytes32[] memory ids = new bytes32[](3);
        for (uint256 i = 0; i < ids.length; ++i) {
            ids[i] = _registerClaim(i + 1);
        }
        handler = new ClausesHandler(clauses, arbitrator, bank, court, admin, oracleKeys, ids);
    }

    /// @dev Only the handler is called by the fuzzer (forge-std's StdInvariant convention).
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Every observed transition was an allowed edge from the previous state; a demand only after the
    /// warning's notice period; arbitration only with its conditions, and deferred only when unfunded; no report
    /// (claimId, asOf) or digest applied twice; no replay succeeded.
    function invariant_transitionsFollowAllowedEdges() public view {
        assertEq(handler.violations(), 0, handler.firstViolation());
    }

    /// @dev The contract's state and nonce agree with what the events told the model.
    function invariant_caseMatchesObservedEvents() public view {
        bytes32[] memory ids = handler.claims();
        for (uint256 i = 0; i < ids.length; ++i) {
            CaseRecord memory c = clauses.caseOf(ids[i]);
            assertEq(uint256(c.state), uint256(handler.observedState(ids[i])), "state");
            assertEq(c.nonce, handler.appliedReports(ids[i]), "one nonce per applied report");
        }
    }
}
