// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {ClaimRegistry} from "../../ClaimRegistry.sol";
import {Roles} from "../../Roles.sol";
import {ClaimRegistration} from "../../interfaces/IClaimRegistry.sol";

/// @dev A registry (minimum notice 7 days) with two banks and two AMCs, and helpers to register and sell.
abstract contract RegistryFixture is Test {
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
        registry.grantRole(Roles.LICENSED_AMC, amc);
        registry.grantRole(Roles.LICENSED_AMC, amc2);
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

    /// @dev A fresh package id for each sale: a seller sells once under a package id.
    uint256 internal _packageNo;

    function _sell(bytes32 claimId, address from, address to) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = claimId;
        vm.prank(from);
        registry.assign(ids, to, bytes32(++_packageNo), 500_000_00, keccak256("notice"), bytes32(0));
    }
}
