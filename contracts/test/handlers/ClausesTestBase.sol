// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ClausesFixture, SignedBatch} from "./ClausesFixture.sol";
import {IEvidence} from "../../interfaces/IArbitrator.sol";
import {ICollectionClausesEvents, CaseState} from "../../interfaces/ICollectionClauses.sol";

/// @dev One default-terms claim per test, and the helpers the CollectionClauses test files share.
abstract contract ClausesTestBase is ClausesFixture, ICollectionClausesEvents, IEvidence {
    bytes32 internal claimId;

    function setUp() public {
        _deploy();
        claimId = _registerClaim(1);
    }

    function _expectSubmitRevert(SignedBatch memory batch, bytes memory err) internal {
        vm.prank(relayer);
        vm.expectRevert(err);
        _submit(batch);
    }

    function _toArbitration() internal returns (uint256 disputeId) {
        _toDemanded(claimId);
        _push(claimId, 60 days, 90, 500_000_00, 100_000_00, bytes32(0));
        disputeId = clauses.caseOf(claimId).disputeId;
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "in arbitration");
    }

    /// @dev The award is executed in the transaction that gives it.
    function _rule(uint256 disputeId, uint256 ruling) internal {
        vm.prank(court);
        arbitrator.giveRuling(disputeId, ruling);
    }
}
