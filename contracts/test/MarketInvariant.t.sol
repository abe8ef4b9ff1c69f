// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "./handlers/MarketFixture.sol";
import {Test} from "./utils/Test.sol";
import {ClaimRegistry} from "../ClaimRegistry.sol";
import {ClaimMarket} from "../ClaimMarket.sol";
import {Listing, ListingStatus, ListingTerms} from "../interfaces/IClaimMarket.sol";

/// @dev Random actions on one listing by its seller, three bidders and strangers, including dishonest ones
/// (the seller selling around the market, late reveals, wrong salts, early awards); every call may revert.
contract MarketHandler is Test {
    ClaimRegistry public immutable registry;
    ClaimMarket public immutable market;
    address public immutable seller;
    bytes32 public constant LISTING = "INV";
    bytes32[] public claimIds;
    address[3] public bidders;
    uint128[3] public amounts;
    bool[3] public revealed;

    constructor(ClaimRegistry registry_, ClaimMarket market_, address seller_, bytes32[] memory ids, address[3] memory bidders_) {
        registry = registry_;
        market = market_;
        seller = seller_;
        claimIds = ids;
        bidders = bidders_;
    }

    function ids() external view returns (bytes32[] memory) {
        return claimIds;
    }

    function commit(uint8 who, uint128 amount) external {
        uint256 i = who % 3;
        amount = amount % 32;
        vm.prank(bidders[i]);
        try market.commitBid(LISTING, market.bidCommitment(LISTING, bidders[i], amount, bytes32(i)), bytes32(0)) {
            amounts[i] = amount;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function reveal(uint8 who, bool wrongSalt) external {
        uint256 i = who % 3;
        vm.prank(bidders[i]);
        try market.revealBid(LISTING, amounts[i], wrongSalt ? bytes32("x") : bytes32(i)) {
            revealed[i] = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function sellAround(uint8 who) external {
        vm.prank(seller);
        try registry.transferFrom(seller, bidders[who % 3], uint256(claimIds[0])) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function award() external {
        try market.award(LISTING, claimIds, 0, bytes32(0)) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function pay() external {
        Listing memory l = market.listingOf(LISTING);
        vm.prank(l.winner);
        try market.recordPayment(LISTING, keccak256("paid")) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function execute() external {
        vm.prank(seller);
        try market.executeAward(LISTING, claimIds, "PKG", bytes32(0), bytes32(0)) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function runnerUp() external {
        try market.awardRunnerUp(LISTING, claimIds) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function wait(uint32 secondsAhead) external {
        vm.warp(block.timestamp + (secondsAhead % 1 days));
    }
}

/// @dev Whatever the parties do, a listed package is the seller's until the award is executed, and then the
/// winner's, who revealed the highest bid at or above the reserve (or took over from a defaulted winner).
contract MarketInvariantTest is MarketFixture {
    MarketHandler internal handler;

    function setUp() public override {
        _deploy();
        bytes32[] memory ids = _claims(2, false);
        handler = new MarketHandler(registry, market, bank, ids, [amcA, amcB, amcC]);
        ListingTerms memory t = _terms(handler.LISTING(), true);
        t.reserve = 10;
        _list(bank, handler.LISTING(), ids, t);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_claimsStayWithTheSellerUntilExecutedToTheWinner() public view {
        Listing memory l = market.listingOf(handler.LISTING());
        bytes32[] memory ids = handler.ids();
        for (uint256 i = 0; i < ids.length; ++i) {
            address holder = registry.holderOf(ids[i]);
            if (l.status == ListingStatus.Sold) {
                assertEq(holder, l.winner, "sold to the winner");
            } else {
                assertEq(holder, l.seller, "the seller's until executed");
                bool locked = l.status == ListingStatus.Open || l.status == ListingStatus.Awarded;
                assertEq(registry.isListed(ids[i]), locked, "locked exactly while open or awarded");
            }
        }
        if (l.status == ListingStatus.Awarded || l.status == ListingStatus.Sold) {
            assertTrue(l.winningBid >= l.reserve, "at or above the reserve");
        }
    }
}
