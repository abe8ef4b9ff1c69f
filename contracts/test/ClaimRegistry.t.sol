// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RegistryFixture} from "./handlers/RegistryFixture.sol";
import {ClaimRegistry} from "../ClaimRegistry.sol";
import {Roles} from "../Roles.sol";
import {
    IClaimRegistryErrors, IClaimRegistryEvents, ClaimTerms, ClauseTerms, ClaimRegistration
} from "../interfaces/IClaimRegistry.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

contract ClaimRegistryTest is RegistryFixture, IClaimRegistryEvents {
    function test_register_mintsToOriginatorWithDefaults() public {
        ClaimRegistration memory r = _registration(BANK_CODE, 1, true);
        bytes32 expectedId = registry.claimIdOf(BANK_CODE, r.loanRef);
        // The event carries the terms the registry does not store: the chain keeps them there.
        ClaimTerms memory t0 = r.terms;
        vm.expectEmit(true, true, true, true);
        emit ClaimRegistered(
            expectedId,
            BANK_CODE,
            bank,
            r.loanRef,
            t0.principal,
            t0.outstanding,
            t0.currency,
            t0.originatedAt,
            t0.maturityAt,
            t0.collateralHash,
            t0.documentsRoot
        );
        vm.prank(bank);
        bytes32 claimId = registry.register(r);
        assertEq(claimId, expectedId, "id");
        assertEq(registry.holderOf(claimId), bank, "holder");
        ClauseTerms memory t = registry.clausesOf(claimId);
        assertEq(t.warnDays, 1, "warn");
        assertEq(t.demandDays, 30, "demand");
        assertEq(t.arbitrationDays, 90, "arbitration");
        assertEq(t.coverageBps, 12_000, "coverage");
        assertEq(t.noticeDays, 15, "notice");
        assertTrue(registry.isRetail(claimId), "retail");
        assertFalse(registry.isResaleRestricted(claimId), "not restricted before a transfer");
        assertEq(registry.clausesOf(keccak256("unknown")).warnDays, 0, "unknown claim: no terms");
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimNotRegistered.selector, keccak256("unknown")));
        registry.isRetail(keccak256("unknown"));
    }

    function testFuzz_registeredTermsOf_matchesSingleReads(uint8 count, uint256 seed) public {
        count = uint8(bound(count, 0, 24));
        bytes32[] memory ids = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            ClaimRegistration memory r = _registration(BANK_CODE, uint256(keccak256(abi.encode(seed, i))), (seed >> i) & 1 == 1);
            if ((seed >> (i + 64)) & 1 == 1) r.terms.clauses = ClauseTerms(uint16(1 + i), uint16(30 + i), uint16(90 + i), uint16(10_000 + i), 20);
            vm.prank(bank);
            ids[i] = registry.register(r);
        }
        (ClauseTerms[] memory clauses, bool[] memory retail) = registry.registeredTermsOf(ids);
        assertEq(clauses.length, count, "one per claim");
        assertEq(retail.length, count, "one per claim");
        for (uint256 i = 0; i < count; ++i) {
            assertEq(keccak256(abi.encode(clauses[i])), keccak256(abi.encode(registry.clausesOf(ids[i]))), "clauses as clausesOf");
            assertEq(retail[i], registry.isRetail(ids[i]), "retail as isRetail");
        }
    }

    function test_registeredTermsOf_unknownClaimReverts() public {
        vm.prank(bank);
        bytes32 known = registry.register(_registration(BANK_CODE, 1, false));
        bytes32[] memory ids = new bytes32[](2);
        ids[0] = known;
        ids[1] = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.ClaimNotRegistered.selector, ids[1]));
        registry.registeredTermsOf(ids);
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
        registry.assign(ids, amc, "PKG", 1, bytes32(0), bytes32(0));
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
        registry.assign(ids, amc, "PKG-2", 1_000_00, keccak256("notice"), bytes32(0));
        assertEq(registry.holderOf(a), amc, "a");
        assertEq(registry.holderOf(b), amc, "b");
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.NotClaimHolder.selector, a, bank));
        registry.assign(ids, amc2, "PKG-3", 1, bytes32(0), bytes32(0));
    }

    /// @dev The sale carries the salted commitment to the loan files handed over: every claim's event and the
    /// package's event name it, so the buyer's node can check the files it receives against the chain.
    function testFuzz_assign_emitsFilesCommitment(bytes32 filesCommitment) public {
        bytes32 a = _register(7, false);
        bytes32 b = _register(8, false);
        bytes32[] memory ids = new bytes32[](2);
        ids[0] = a;
        ids[1] = b;
        bytes32 notice = keccak256("notice");
        vm.expectEmit(true, true, true, true);
        emit IClaimRegistryEvents.ClaimAssigned(a, bank, amc, "PKG-F", 7, notice, filesCommitment);
        vm.expectEmit(true, true, true, true);
        emit IClaimRegistryEvents.ClaimAssigned(b, bank, amc, "PKG-F", 7, notice, filesCommitment);
        vm.expectEmit(true, true, true, true);
        emit IClaimRegistryEvents.PackageAssigned("PKG-F", bank, amc, 2, 7, notice, filesCommitment);
        vm.prank(bank);
        registry.assign(ids, amc, "PKG-F", 7, notice, filesCommitment);
    }

    /// @dev The dishonest seller calls the registry directly to sell other claims under a package id it sold under
    /// before (the API refuses it off chain; the chain must too): reverts, nothing moves.
    function test_assign_packageIdReusedBySellerReverts() public {
        bytes32 a = _register(20, false);
        bytes32 b = _register(21, false);
        _sellUnder(a, bank, amc, "PKG-2026-001", 1_000_00);
        assertTrue(registry.isPackageIdUsed(bank, "PKG-2026-001"), "used");
        assertFalse(registry.isPackageIdUsed(amc, "PKG-2026-001"), "per seller");
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = b;
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.PackageIdAlreadyUsed.selector, bank, bytes32("PKG-2026-001")));
        registry.assign(ids, amc2, "PKG-2026-001", 2_000_00, keccak256("other notice"), bytes32(0));
        assertEq(registry.holderOf(b), bank, "nothing moved");
        // Another seller may name its own package the same.
        _sellUnder(a, amc, amc2, "PKG-2026-001", 1_000_00);
        assertEq(registry.holderOf(a), amc2, "the buyer resold under its own id");
    }

    /// @dev A sale that reverts does not use its package id up: the seller may sell under it again.
    function test_assign_revertedSaleLeavesPackageIdFree() public {
        bytes32 a = _register(22, false);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = a;
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.BuyerNotHolder.selector, stranger));
        registry.assign(ids, stranger, "PKG-R", 1, bytes32(0), bytes32(0));
        assertFalse(registry.isPackageIdUsed(bank, "PKG-R"), "not used by a reverted sale");
        _sellUnder(a, bank, amc, "PKG-R", 1);
        assertEq(registry.holderOf(a), amc, "sold");
    }

    /// @dev Any package id, any price and buyer: once sold under it, a seller's second sale under it reverts,
    /// whatever else differs; a fresh id still sells.
    function testFuzz_assign_packageIdOncePerSeller(bytes32 packageId, uint256 price, bool otherBuyer) public {
        vm.assume(packageId != bytes32(0));
        bytes32 a = _register(30, false);
        bytes32 b = _register(31, false);
        _sellUnder(a, bank, amc, packageId, 1);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = b;
        address to = otherBuyer ? amc2 : amc;
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(IClaimRegistryErrors.PackageIdAlreadyUsed.selector, bank, packageId));
        registry.assign(ids, to, packageId, price, keccak256("n"), bytes32(0));
        bytes32 fresh = keccak256(abi.encode(packageId));
        _sellUnder(b, bank, to, fresh, price);
        assertEq(registry.holderOf(b), to, "a fresh id sells");
    }

    function _sellUnder(bytes32 claimId, address from, address to, bytes32 packageId, uint256 price) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        vm.prank(from);
        registry.assign(ids, to, packageId, price, keccak256("notice"), bytes32(0));
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
        registry.assign(ids, amc2, "PKG-9", 1, bytes32(0), bytes32(0));
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
}
