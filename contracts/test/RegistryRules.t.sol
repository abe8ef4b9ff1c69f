// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RegistryFixture} from "./handlers/RegistryFixture.sol";
import {ClaimRegistry} from "../ClaimRegistry.sol";
import {Roles} from "../Roles.sol";
import {IClaimRegistryErrors, ClaimTerms, ClauseTerms, ClaimRegistration} from "../interfaces/IClaimRegistry.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @dev Issue 14: claims are never burned (a claim id is registered forever), the retail resale rule holds on
/// every transfer path, and no claim registers with a notice period below the deployment's minimum.
contract RegistryRulesTest is RegistryFixture {
    /// @dev Old code: `assign(ids, address(0), …)` burned the claim and the same loan could be registered again.
    function testFuzz_assign_toZeroAddressRefusedClaimStays(uint256 loanNo, bool retail) public {
        bytes32 claimId = _register(loanNo, retail);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimNotBurnable.selector, claimId));
        registry.assign(ids, address(0), "PKG-BURN", 1, bytes32(0), bytes32(0));
        assertTrue(registry.isRegistered(claimId), "still registered");
        assertEq(registry.holderOf(claimId), bank, "still the bank's");
        // The same loan with other terms is still a duplicate.
        ClaimRegistration memory again = _registration(BANK_CODE, loanNo, retail);
        again.terms.principal = 1;
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimAlreadyRegistered.selector, claimId));
        registry.register(again);
    }

    /// @dev A holder (not only the originator) cannot burn either, by assign or by any ERC-721 path.
    function test_assign_holderCannotBurnBoughtClaim() public {
        bytes32 claimId = _register(77, false);
        _sell(claimId, bank, amc);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        vm.prank(amc);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimNotBurnable.selector, claimId));
        registry.assign(ids, address(0), "PKG-BURN", 1, bytes32(0), bytes32(0));
        vm.prank(amc);
        vm.expectRevert();
        registry.transferFrom(amc, address(0), uint256(claimId));
        assertEq(registry.holderOf(claimId), amc, "still held");
    }

    /// @dev Old code: a plain ERC-721 transfer of a retail claim left it unrestricted, so its buyer sold it on.
    function testFuzz_transferFrom_retailClaimRestrictedOnEveryPath(uint256 loanNo, uint8 path) public {
        bytes32 claimId = _register(loanNo, true);
        uint256 tokenId = uint256(claimId);
        vm.prank(bank);
        if (path % 3 == 0) registry.transferFrom(bank, amc, tokenId);
        else if (path % 3 == 1) registry.safeTransferFrom(bank, amc, tokenId);
        else registry.safeTransferFrom(bank, amc, tokenId, "");
        assertEq(registry.holderOf(claimId), amc, "bought");
        assertTrue(registry.isResaleRestricted(claimId), "restricted after a plain transfer");
        vm.prank(amc);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimResaleRestricted.selector, claimId));
        registry.transferFrom(amc, amc2, tokenId);
        // An approved operator is refused too.
        vm.prank(amc);
        registry.approve(amc2, tokenId);
        vm.prank(amc2);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimResaleRestricted.selector, claimId));
        registry.safeTransferFrom(amc, amc2, tokenId);
        // ADMIN lifts it: one more sale, after which the new holder is restricted again.
        vm.prank(admin);
        registry.liftResaleRestriction(claimId);
        vm.prank(amc);
        registry.transferFrom(amc, amc2, tokenId);
        assertTrue(registry.isResaleRestricted(claimId), "restricted again for the next buyer");
    }

    function test_transferFrom_corporateClaimStaysFree() public {
        bytes32 claimId = _register(78, false);
        vm.prank(bank);
        registry.transferFrom(bank, amc, uint256(claimId));
        assertFalse(registry.isResaleRestricted(claimId), "corporate not restricted");
        vm.prank(amc);
        registry.transferFrom(amc, amc2, uint256(claimId));
        assertEq(registry.holderOf(claimId), amc2, "resold");
    }

    /// @dev Old code accepted noticeDays = 0: warning, demand and arbitration in one transaction.
    function testFuzz_register_noticeDaysBelowMinimumReverts(uint16 noticeDays) public {
        uint16 minimum = registry.minNoticeDays();
        assertEq(minimum, 7, "deployment minimum");
        ClaimRegistration memory r = _registration(BANK_CODE, 500, false);
        r.terms.clauses = ClauseTerms(1, 30, 90, 12_000, noticeDays);
        bytes32 claimId = registry.claimIdOf(BANK_CODE, r.loanRef);
        vm.prank(bank);
        if (noticeDays < minimum) {
            vm.expectRevert(
                abi.encodeWithSelector(IClaimRegistryErrors.NoticeDaysBelowMinimum.selector, claimId, noticeDays, minimum)
            );
            registry.register(r);
            assertFalse(registry.isRegistered(claimId), "not registered");
        } else {
            registry.register(r);
            assertEq(registry.termsOf(claimId).clauses.noticeDays, noticeDays, "kept as given, never clamped");
        }
    }

    function test_register_defaultsTakeTheLongerMinimum() public {
        ClaimRegistry strict = new ClaimRegistry(admin, 30);
        vm.startPrank(admin);
        strict.grantRole(Roles.ORIGINATOR, bank);
        strict.bindOriginatorCode(BANK_CODE, bank);
        vm.stopPrank();
        vm.prank(bank);
        bytes32 claimId = strict.register(_registration(BANK_CODE, 1, false));
        assertEq(strict.termsOf(claimId).clauses.noticeDays, 30, "defaults never below the minimum");
        assertEq(registry.termsOf(_register(1, false)).clauses.noticeDays, 15, "default 15 above a minimum of 7");
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.InvalidMinNoticeDays.selector, 0));
        new ClaimRegistry(admin, 0);
    }
}
