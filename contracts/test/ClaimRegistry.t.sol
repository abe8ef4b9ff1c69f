// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {ClaimRegistry} from "../ClaimRegistry.sol";
import {Roles} from "../Roles.sol";
import {IClaimRegistryErrors, ClaimTerms, ClauseTerms, ClaimRegistration} from "../interfaces/IClaimRegistry.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

contract ClaimRegistryTest is Test {
    ClaimRegistry internal registry;
    address internal admin = makeAddr("admin");
    address internal bank = makeAddr("bank");
    address internal otherBank = makeAddr("otherBank");
    address internal amc = makeAddr("amc");
    address internal amc2 = makeAddr("amc2");
    address internal stranger = makeAddr("stranger");
    bytes32 internal constant BANK_CODE = "BANK001";
    bytes32 internal constant OTHER_CODE = "BANK002";

    function setUp() public {
        registry = new ClaimRegistry(admin, 7);
        vm.startPrank(admin);
        registry.grantRole(Roles.ORIGINATOR, bank);
        registry.grantRole(Roles.ORIGINATOR, otherBank);
        registry.grantRole(Roles.HOLDER, amc);
        registry.grantRole(Roles.HOLDER, amc2);
        registry.bindOriginatorCode(BANK_CODE, bank);
        registry.bindOriginatorCode(OTHER_CODE, otherBank);
        vm.stopPrank();
    }

    function _registration(bytes32 code, uint256 loanNo, bool retail) internal pure returns (ClaimRegistration memory r) {
        r.originatorCode = code;
        r.loanRef = keccak256(abi.encodePacked("LN-", loanNo));
        r.terms.principal = 1_000_000_00;
        r.terms.outstanding = 800_000_00;
        r.terms.currency = "CNY";
        r.terms.originatedAt = 1_600_000_000;
        r.terms.maturityAt = 1_700_000_000;
        r.terms.retail = retail;
    }

    function _register(uint256 loanNo, bool retail) internal returns (bytes32 claimId) {
        vm.prank(bank);
        claimId = registry.register(_registration(BANK_CODE, loanNo, retail));
    }

    function _sell(bytes32 claimId, address from, address to) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        vm.prank(from);
        registry.assign(ids, to, "PKG-1", 500_000_00, keccak256("notice"));
    }

    function test_register_mintsToOriginatorWithDefaults() public {
        bytes32 claimId = _register(1, false);
        assertEq(registry.holderOf(claimId), bank, "holder");
        ClaimTerms memory t = registry.termsOf(claimId);
        assertEq(t.clauses.warnDays, 1, "warn");
        assertEq(t.clauses.demandDays, 30, "demand");
        assertEq(t.clauses.arbitrationDays, 90, "arbitration");
        assertEq(t.clauses.coverageBps, 12_000, "coverage");
        assertEq(t.clauses.noticeDays, 15, "notice");
        assertEq(claimId, registry.claimIdOf(BANK_CODE, keccak256(abi.encodePacked("LN-", uint256(1)))), "id");
    }

    function testFuzz_register_duplicateRevertsForAnyCaller(uint256 loanNo, uint128 principal) public {
        principal = uint128(bound(principal, 1, type(uint128).max));
        ClaimRegistration memory r = _registration(BANK_CODE, loanNo, false);
        r.terms.principal = principal;
        vm.prank(bank);
        bytes32 claimId = registry.register(r);
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimAlreadyRegistered.selector, claimId));
        registry.register(r);
        // Another originator cannot register the loan under the bank's code either.
        vm.prank(otherBank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.OriginatorCodeNotHeld.selector, BANK_CODE, otherBank));
        registry.register(r);
    }

    function test_registerBatch_duplicateInsideBatchRevertsAll() public {
        ClaimRegistration[] memory rs = new ClaimRegistration[](3);
        rs[0] = _registration(BANK_CODE, 10, false);
        rs[1] = _registration(BANK_CODE, 11, true);
        rs[2] = _registration(BANK_CODE, 10, false);
        bytes32 duplicate = registry.claimIdOf(BANK_CODE, rs[0].loanRef);
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimAlreadyRegistered.selector, duplicate));
        registry.registerBatch(rs);
        assertFalse(registry.isRegistered(registry.claimIdOf(BANK_CODE, rs[1].loanRef)), "nothing half-written");
    }

    function test_register_withoutRoleReverts() public {
        ClaimRegistration memory r = _registration(BANK_CODE, 1, false);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, Roles.ORIGINATOR)
        );
        registry.register(r);
    }

    function test_register_invalidTermsRevert() public {
        ClaimRegistration memory r = _registration(BANK_CODE, 1, false);
        bytes32 claimId = registry.claimIdOf(BANK_CODE, r.loanRef);
        r.terms.principal = 0;
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.InvalidPrincipal.selector, claimId));
        registry.register(r);
        r = _registration(BANK_CODE, 1, false);
        r.terms.clauses = ClauseTerms(40, 30, 90, 12_000, 15);
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.InvalidClauseTerms.selector, claimId));
        registry.register(r);
        r = _registration(BANK_CODE, 1, false);
        r.terms.maturityAt = r.terms.originatedAt - 1;
        vm.prank(bank);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimRegistryErrors.InvalidDates.selector, claimId, r.terms.originatedAt, r.terms.maturityAt
            )
        );
        registry.register(r);
    }

    function testFuzz_transferFrom_byNonOwnerReverts(address caller) public {
        bytes32 claimId = _register(2, false);
        vm.assume(caller != bank && caller != address(0));
        vm.prank(caller);
        vm.expectRevert();
        registry.transferFrom(bank, amc, uint256(claimId));
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.NotClaimHolder.selector, claimId, caller));
        registry.assign(ids, amc, "PKG", 1, bytes32(0));
        assertEq(registry.holderOf(claimId), bank, "unchanged");
    }

    function testFuzz_transferFrom_toNonHolderReverts(address buyer) public {
        vm.assume(buyer != amc && buyer != amc2 && buyer != address(0));
        bytes32 claimId = _register(3, false);
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.BuyerNotHolder.selector, buyer));
        registry.transferFrom(bank, buyer, uint256(claimId));
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.BuyerNotHolder.selector, buyer));
        registry.safeTransferFrom(bank, buyer, uint256(claimId));
        assertEq(registry.holderOf(claimId), bank, "unchanged");
    }

    function test_assign_movesPackageAndCannotSellTwice() public {
        bytes32 a = _register(4, false);
        bytes32 b = _register(5, false);
        bytes32[] memory ids = new bytes32[](2);
        ids[0] = a;
        ids[1] = b;
        vm.prank(bank);
        registry.assign(ids, amc, "PKG-2", 1_000_00, keccak256("notice"));
        assertEq(registry.holderOf(a), amc, "a");
        assertEq(registry.holderOf(b), amc, "b");
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.NotClaimHolder.selector, a, bank));
        registry.assign(ids, amc2, "PKG-3", 1, bytes32(0));
    }

    function testFuzz_assign_retailRestrictedUntilLifted(uint256 loanNo, bool viaTransferFrom) public {
        bytes32 claimId = _register(loanNo, true);
        _sell(claimId, bank, amc);
        assertTrue(registry.isResaleRestricted(claimId), "restricted");
        vm.prank(amc);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimResaleRestricted.selector, claimId));
        if (viaTransferFrom) registry.transferFrom(amc, amc2, uint256(claimId));
        else _sellExpectingRevert(claimId);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, Roles.ADMIN)
        );
        registry.liftResaleRestriction(claimId);
        vm.prank(admin);
        registry.liftResaleRestriction(claimId);
        vm.prank(amc);
        registry.transferFrom(amc, amc2, uint256(claimId));
        assertEq(registry.holderOf(claimId), amc2, "moved after lift");
    }

    function _sellExpectingRevert(bytes32 claimId) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        registry.assign(ids, amc2, "PKG-9", 1, bytes32(0));
    }

    function test_assign_corporateClaimCanBeResold() public {
        bytes32 claimId = _register(6, false);
        _sell(claimId, bank, amc);
        assertFalse(registry.isResaleRestricted(claimId), "corporate not restricted");
        _sell(claimId, amc, amc2);
        assertEq(registry.holderOf(claimId), amc2, "resold");
    }

    function testFuzz_pause_blocksRegistrationAndTransfers(uint256 loanNo) public {
        bytes32 claimId = _register(loanNo, false);
        vm.prank(admin);
        registry.pause();
        vm.prank(bank);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.transferFrom(bank, amc, uint256(claimId));
        ClaimRegistration memory r = _registration(BANK_CODE, loanNo ^ 1, false);
        vm.prank(bank);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.register(r);
        vm.prank(admin);
        registry.unpause();
        vm.prank(bank);
        registry.transferFrom(bank, amc, uint256(claimId));
        assertEq(registry.holderOf(claimId), amc, "moved after unpause");
    }

    function test_pause_onlyAdmin() public {
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bank, Roles.ADMIN));
        registry.pause();
    }

    function test_bindOriginatorCode_onceOnly() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.OriginatorCodeTaken.selector, BANK_CODE, bank));
        registry.bindOriginatorCode(BANK_CODE, stranger);
    }

    /// @dev Old code: `assign(ids, address(0), …)` burned the claim and the same loan could be registered again.
    function testFuzz_assign_toZeroAddressRefusedClaimStays(uint256 loanNo, bool retail) public {
        bytes32 claimId = _register(loanNo, retail);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimNotBurnable.selector, claimId));
        registry.assign(ids, address(0), "PKG-BURN", 1, bytes32(0));
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
        registry.assign(ids, address(0), "PKG-BURN", 1, bytes32(0));
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
