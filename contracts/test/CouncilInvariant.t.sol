// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CouncilFixture} from "./handlers/CouncilFixture.sol";
import {CouncilHandler} from "./handlers/CouncilHandler.sol";
import {Roles} from "../Roles.sol";

/// @dev One organisation alone, whatever it tries in whatever order (CouncilHandler), changes no rule: it never
/// holds ADMIN, the quorum, the resale restriction, the council's membership and k and the timelock's delay and
/// proposers stay as they were.
contract CouncilInvariantTest is CouncilFixture {
    CouncilHandler internal handler;

    function setUp() public {
        _deploy();
        handler = new CouncilHandler(council, registry, clauses, bank, restricted);
    }

    /// @dev Only the handler is called by the fuzzer (forge-std's StdInvariant convention).
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_oneMemberHoldsNoAdmin() public view {
        assertFalse(registry.hasRole(Roles.ADMIN, bank), "ADMIN");
        assertFalse(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), bank), "DEFAULT_ADMIN_ROLE");
        assertTrue(registry.hasRole(Roles.ADMIN, address(timelock)), "the timelock administers");
        assertFalse(timelock.hasRole(timelock.PROPOSER_ROLE(), bank), "no proposer but the council");
    }

    function invariant_oneMemberChangesNoRule() public view {
        assertEq(clauses.quorum(), 2, "quorum");
        assertTrue(registry.isResaleRestricted(restricted), "restriction");
        assertEq(council.members().length, 4, "members");
        assertEq(council.threshold(), K, "k");
        assertEq(timelock.getMinDelay(), DELAY, "delay");
    }
}
