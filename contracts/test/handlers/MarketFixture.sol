// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {ClaimRegistry} from "../../ClaimRegistry.sol";
import {ClaimMarket} from "../../ClaimMarket.sol";
import {Roles} from "../../Roles.sol";
import {ClaimRegistration} from "../../interfaces/IClaimRegistry.sol";
import {ListingTerms} from "../../interfaces/IClaimMarket.sol";

/// @dev A registry and a market: a bank (originator), two licensed AMCs, a qualified investor and a stranger.
abstract contract MarketFixture is Test {
    ClaimRegistry internal registry;
    ClaimMarket internal market;
    address internal admin = makeAddr("admin");
    address internal bank = makeAddr("bank");
    address internal amcA = makeAddr("amcA");
    address internal amcB = makeAddr("amcB");
    address internal amcC = makeAddr("amcC");
    address internal investor = makeAddr("investor");
    address internal stranger = makeAddr("stranger");
    bytes32 internal constant BANK_CODE = "BANK001";
    uint40 internal constant T0 = 1_800_000_000;
    uint256 private _loans;

    function setUp() public virtual {
        _deploy();
    }

    function _deploy() internal {
        vm.warp(T0);
        registry = new ClaimRegistry(admin, 7);
        market = new ClaimMarket(registry);
        vm.startPrank(admin);
        registry.grantRole(Roles.ORIGINATOR, bank);
        registry.bindOriginatorCode(BANK_CODE, bank);
        address[3] memory amcs = [amcA, amcB, amcC];
        for (uint256 i = 0; i < 3; ++i) {
            registry.grantRole(Roles.HOLDER, amcs[i]);
            registry.grantRole(Roles.LICENSED_AMC, amcs[i]);
        }
        registry.grantRole(Roles.HOLDER, investor);
        registry.grantRole(Roles.QUALIFIED_INVESTOR, investor);
        registry.grantRole(Roles.MARKET, address(market));
        vm.stopPrank();
    }

    function _claims(uint256 n, bool retail) internal returns (bytes32[] memory ids) {
        ids = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            ClaimRegistration memory r;
            r.originatorCode = BANK_CODE;
            r.loanRef = keccak256(abi.encode("LN", ++_loans));
            r.terms.principal = 1_000_000_00;
            r.terms.outstanding = 800_000_00;
            r.terms.currency = "CNY";
            r.terms.originatedAt = 1_600_000_000;
            r.terms.maturityAt = 1_700_000_000;
            r.terms.retail = retail;
            vm.prank(bank);
            ids[i] = registry.register(r);
        }
    }

    function _terms(bytes32 id, bool amcOnly) internal view returns (ListingTerms memory t) {
        t.listingId = id;
        t.termsCommitment = keccak256(abi.encode("terms", id));
        t.cutoffDate = uint40(block.timestamp - 1 days);
        t.commitEnd = uint40(block.timestamp + 3 days);
        t.revealEnd = uint40(block.timestamp + 5 days);
        t.executionPeriod = 7 days;
        t.deposit = 100_000_00;
        t.reserve = 500_000_00;
        t.licensedAmcOnly = amcOnly;
    }

    function _list(address seller, bytes32 id, bytes32[] memory ids, ListingTerms memory t) internal virtual {
        t.listingId = id;
        vm.prank(seller);
        market.list(t, ids);
    }

    function _commit(bytes32 id, address bidder, uint128 amount) internal {
        bytes32 c = market.bidCommitment(id, bidder, amount, keccak256(abi.encode("salt", bidder)));
        vm.prank(bidder);
        market.commitBid(id, c, keccak256(abi.encode("deposit", bidder)));
    }

    function _reveal(bytes32 id, address bidder, uint128 amount) internal {
        vm.prank(bidder);
        market.revealBid(id, amount, keccak256(abi.encode("salt", bidder)));
    }
}
