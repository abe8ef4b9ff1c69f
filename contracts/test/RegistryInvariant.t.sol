// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {ClaimRegistry} from "../ClaimRegistry.sol";
import {Roles} from "../Roles.sol";
import {RegistryHandler} from "./handlers/RegistryHandler.sol";

/// @dev Invariants of the registry over random registrations, package sales, plain transfers (to the zero
/// address too) and restriction lifts: no claim is ever burned or registered twice, and a retail claim that
/// changed hands stays restricted until ADMIN lifts it.
contract RegistryInvariantTest is Test {
    ClaimRegistry internal registry;
    RegistryHandler internal handler;
    address internal admin = makeAddr("admin");
    address internal bank = makeAddr("bank");
    bytes32 internal constant BANK_CODE = "BANK001";

    function setUp() public {
        registry = new ClaimRegistry(admin, 7);
        address[4] memory accounts = [makeAddr("amc1"), makeAddr("amc2"), makeAddr("amc3"), makeAddr("notHolder")];
        handler = new RegistryHandler(registry, admin, bank, BANK_CODE, accounts);
        vm.startPrank(admin);
        registry.grantRole(Roles.ORIGINATOR, bank);
        registry.bindOriginatorCode(BANK_CODE, bank);
        for (uint256 i = 0; i < 3; ++i) {
            registry.grantRole(Roles.HOLDER, accounts[i]);
            registry.grantRole(Roles.LICENSED_AMC, accounts[i]);
        }
        vm.stopPrank();
    }

    /// @dev Only the handler is called by the fuzzer (forge-std's StdInvariant convention).
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev No burn and no second registration was ever observed.
    function invariant_noBurnNoReRegistration() public view {
        assertEq(handler.violations(), 0, handler.firstViolation());
    }

    /// @dev A claim id once registered is registered forever, held by whom the model last saw it go to.
    function invariant_registeredForever() public view {
        bytes32[] memory ids = handler.registered();
        for (uint256 i = 0; i < ids.length; ++i) {
            assertTrue(registry.isRegistered(ids[i]), "still registered");
            assertEq(registry.holderOf(ids[i]), handler.lastHolder(ids[i]), "holder as observed");
        }
    }

    /// @dev A retail claim that moved since the last lift is restricted; a corporate claim never is.
    function invariant_retailRestrictedAfterEveryTransfer() public view {
        bytes32[] memory ids = handler.registered();
        for (uint256 i = 0; i < ids.length; ++i) {
            bool expected = handler.retail(ids[i]) && handler.movedSinceLift(ids[i]);
            assertEq(registry.isResaleRestricted(ids[i]), expected, "restriction as modelled");
        }
    }
}
