// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Roles} from "./Roles.sol";
import {IClaimRegistry} from "./interfaces/IClaimRegistry.sol";
import {IClaimMarket, ListingTerms, Listing, ListingStatus, Bid, BidStatus} from "./interfaces/IClaimMarket.sol";

/// @title ClaimMarket
/// @notice See {IClaimMarket}. Needs MARKET on the registry (which is also its role directory).
contract ClaimMarket is IClaimMarket {
    /// @notice The claim registry: locks listed claims, moves them to the winner, and holds the roles.
    IClaimRegistry public immutable registry;

    uint256 private constant BATCH_MIN_CLAIMS = 10;

    mapping(bytes32 listingId => Listing) private _listings;
    mapping(bytes32 listingId => mapping(address bidder => Bid)) private _bids;

    constructor(IClaimRegistry registry_) {
        registry = registry_;
    }

    /// @inheritdoc IClaimMarket
    function list(ListingTerms calldata t, bytes32[] calldata claimIds) external {
        bytes32 id = t.listingId;
        if (id == bytes32(0) || _listings[id].status != ListingStatus.None) revert ListingExists(id);
        if (claimIds.length == 0) revert EmptyListing(id);
        if (t.commitEnd <= block.timestamp || t.revealEnd <= t.commitEnd || t.executionPeriod == 0) {
            revert InvalidWindow(id, t.commitEnd, t.revealEnd, t.executionPeriod);
        }
        if (t.reserve != 0 && t.reserveCommitment != bytes32(0)) revert InvalidReserve(id);
        address seller = msg.sender;
        Listing storage lst = _listings[id];
        lst.seller = seller;
        lst.commitEnd = t.commitEnd;
        lst.revealEnd = t.revealEnd;
        lst.status = ListingStatus.Open;
        lst.licensedAmcOnly = t.licensedAmcOnly;
        lst.claimsHash = keccak256(abi.encode(claimIds));
        lst.reserveCommitment = t.reserveCommitment;
        lst.deposit = t.deposit;
        lst.reserve = t.reserve;
        lst.executionPeriod = t.executionPeriod;
        lst.claimCount = uint32(claimIds.length);
        uint256 retail = registry.lockListed(claimIds, seller);
        bool bankBatch = claimIds.length >= BATCH_MIN_CLAIMS && _has(Roles.ORIGINATOR, seller);
        if ((retail > 0 || bankBatch) && !t.licensedAmcOnly) revert EligibilityTooWide(id, retail, claimIds.length);
        emit ListingCreated(id, seller, claimIds, t, retail);
    }

    /// @inheritdoc IClaimMarket
    function cancel(bytes32 listingId, bytes32[] calldata claimIds) external {
        Listing storage lst = _open(listingId, ListingStatus.Open, claimIds);
        if (msg.sender != lst.seller) revert NotSeller(listingId, msg.sender);
        if (lst.bidCount != 0) revert HasBids(listingId, lst.bidCount);
        lst.status = ListingStatus.Cancelled;
        emit ListingCancelled(listingId);
        registry.unlockListed(claimIds);
    }

    /// @inheritdoc IClaimMarket
    function commitBid(bytes32 listingId, bytes32 commitment, bytes32 depositRef) external {
        Listing storage lst = _listings[listingId];
        if (lst.status != ListingStatus.Open) revert UnexpectedStatus(listingId, lst.status);
        if (block.timestamp >= lst.commitEnd) revert CommitClosed(listingId, lst.commitEnd);
        address bidder = msg.sender;
        if (bidder == lst.seller) revert SellerCannotBid(listingId);
        if (!_eligible(lst, bidder)) revert BidderNotEligible(listingId, bidder);
        if (commitment == bytes32(0)) revert EmptyCommitment(listingId);
        Bid storage b = _bids[listingId][bidder];
        if (b.status != BidStatus.None) revert BidAlreadyCommitted(listingId, bidder);
        uint32 seq = ++lst.bidCount;
        b.commitment = commitment;
        b.seq = seq;
        b.status = BidStatus.Committed;
        emit BidCommitted(listingId, bidder, seq, commitment, depositRef, lst.deposit);
    }

    /// @inheritdoc IClaimMarket
    function revealBid(bytes32 listingId, uint128 amount, bytes32 salt) external {
        Listing storage lst = _listings[listingId];
        if (lst.status != ListingStatus.Open) revert UnexpectedStatus(listingId, lst.status);
        if (block.timestamp < lst.commitEnd || block.timestamp >= lst.revealEnd) {
            revert RevealClosed(listingId, lst.commitEnd, lst.revealEnd);
        }
        address bidder = msg.sender;
        Bid storage b = _bids[listingId][bidder];
        if (b.status != BidStatus.Committed) revert BidNotCommitted(listingId, bidder);
        if (bidCommitment(listingId, bidder, amount, salt) != b.commitment) revert BidMismatch(listingId, bidder);
        b.amount = amount;
        b.status = BidStatus.Revealed;
        // Keep the best two: higher amount first, the earlier commit on a tie.
        if (_beats(listingId, amount, b.seq, lst.winner, lst.winningBid)) {
            (lst.runnerUp, lst.runnerUpBid) = (lst.winner, lst.winningBid);
            (lst.winner, lst.winningBid) = (bidder, amount);
        } else if (_beats(listingId, amount, b.seq, lst.runnerUp, lst.runnerUpBid)) {
            (lst.runnerUp, lst.runnerUpBid) = (bidder, amount);
        }
        emit BidRevealed(listingId, bidder, amount);
    }

    /// @inheritdoc IClaimMarket
    function award(bytes32 listingId, bytes32[] calldata claimIds, uint128 reserve, bytes32 salt) external {
        Listing storage lst = _open(listingId, ListingStatus.Open, claimIds);
        if (block.timestamp < lst.revealEnd) revert BiddingNotOver(listingId, lst.revealEnd);
        if (lst.reserveCommitment != bytes32(0)) {
            bool opened = keccak256(abi.encode(listingId, reserve, salt)) == lst.reserveCommitment;
            if (!opened) {
                if (block.timestamp < uint256(lst.revealEnd) + lst.executionPeriod) revert ReserveMismatch(listingId);
                reserve = 0; // withheld past its grace: the seller is bound by its listing
            }
            lst.reserve = reserve;
        }
        reserve = lst.reserve;
        if (lst.winner == address(0) || lst.winningBid < reserve) {
            lst.status = ListingStatus.Unsold;
            emit ListingUnsold(listingId, reserve, lst.winningBid);
            registry.unlockListed(claimIds);
            return;
        }
        if (lst.runnerUpBid < reserve) (lst.runnerUp, lst.runnerUpBid) = (address(0), 0);
        _awardTo(listingId, lst);
    }

    /// @inheritdoc IClaimMarket
    function recordPayment(bytes32 listingId, bytes32 paymentCommitment) external {
        Listing storage lst = _listings[listingId];
        if (lst.status != ListingStatus.Awarded) revert UnexpectedStatus(listingId, lst.status);
        if (msg.sender != lst.winner) revert NotWinner(listingId, msg.sender);
        if (block.timestamp >= lst.deadline) revert DeadlinePassed(listingId, lst.deadline);
        if (paymentCommitment == bytes32(0)) revert EmptyCommitment(listingId);
        lst.paid = true;
        emit PaymentRecorded(listingId, msg.sender, paymentCommitment);
    }

    /// @inheritdoc IClaimMarket
    function executeAward(
        bytes32 listingId,
        bytes32[] calldata claimIds,
        bytes32 packageId,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) external {
        Listing storage lst = _open(listingId, ListingStatus.Awarded, claimIds);
        if (msg.sender != lst.seller) revert NotSeller(listingId, msg.sender);
        if (block.timestamp >= lst.deadline) revert DeadlinePassed(listingId, lst.deadline);
        lst.status = ListingStatus.Sold;
        _bids[listingId][lst.winner].status = BidStatus.Won;
        emit AwardExecuted(listingId, lst.winner, lst.winningBid, packageId);
        registry.assignListed(lst.seller, claimIds, lst.winner, packageId, lst.winningBid, noticeHash, filesCommitment);
    }

    /// @inheritdoc IClaimMarket
    function awardRunnerUp(bytes32 listingId, bytes32[] calldata claimIds) external {
        Listing storage lst = _open(listingId, ListingStatus.Awarded, claimIds);
        if (block.timestamp < lst.deadline) revert DeadlineNotPassed(listingId, lst.deadline);
        address winner = lst.winner;
        bool sellerDefaulted = lst.paid;
        if (!sellerDefaulted) _bids[listingId][winner].status = BidStatus.Forfeited;
        emit AwardDefaulted(listingId, sellerDefaulted ? lst.seller : winner, winner, sellerDefaulted);
        if (lst.runnerUp == address(0)) {
            lst.status = ListingStatus.Failed;
            emit ListingFailed(listingId);
            registry.unlockListed(claimIds);
            return;
        }
        (lst.winner, lst.winningBid) = (lst.runnerUp, lst.runnerUpBid);
        (lst.runnerUp, lst.runnerUpBid) = (address(0), 0);
        lst.paid = false;
        _awardTo(listingId, lst);
    }

    /// @inheritdoc IClaimMarket
    function listingOf(bytes32 listingId) external view returns (Listing memory) {
        return _listings[listingId];
    }

    /// @inheritdoc IClaimMarket
    function bidOf(bytes32 listingId, address bidder) external view returns (Bid memory b) {
        b = _bids[listingId][bidder];
        if (b.status == BidStatus.Committed && block.timestamp >= _listings[listingId].revealEnd) {
            b.status = BidStatus.Forfeited;
        }
    }

    /// @inheritdoc IClaimMarket
    function isEligible(bytes32 listingId, address bidder) external view returns (bool) {
        Listing storage lst = _listings[listingId];
        return lst.status != ListingStatus.None && bidder != lst.seller && _eligible(lst, bidder);
    }

    /// @inheritdoc IClaimMarket
    function bidCommitment(bytes32 listingId, address bidder, uint128 amount, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(listingId, bidder, amount, salt));
    }

    function _awardTo(bytes32 listingId, Listing storage lst) private {
        uint40 deadline = uint40(block.timestamp) + lst.executionPeriod;
        lst.status = ListingStatus.Awarded;
        lst.deadline = deadline;
        emit ListingAwarded(listingId, lst.winner, lst.winningBid, deadline, lst.reserve);
    }

    /// @dev The listing in `status`, with exactly its claims.
    function _open(bytes32 listingId, ListingStatus status, bytes32[] calldata claimIds)
        private
        view
        returns (Listing storage lst)
    {
        lst = _listings[listingId];
        if (lst.status != status) revert UnexpectedStatus(listingId, lst.status);
        if (keccak256(abi.encode(claimIds)) != lst.claimsHash) revert ClaimsMismatch(listingId);
    }

    /// @dev Whether a bid (amount, seq) beats `other`'s: a higher amount, or the same amount committed earlier.
    function _beats(bytes32 listingId, uint128 amount, uint32 seq, address other, uint128 otherAmount)
        private
        view
        returns (bool)
    {
        if (other == address(0)) return true;
        if (amount != otherAmount) return amount > otherAmount;
        return seq < _bids[listingId][other].seq;
    }

    function _eligible(Listing storage lst, address bidder) private view returns (bool) {
        if (!_has(Roles.HOLDER, bidder)) return false;
        return _has(Roles.LICENSED_AMC, bidder) || (!lst.licensedAmcOnly && _has(Roles.QUALIFIED_INVESTOR, bidder));
    }

    function _has(bytes32 role, address account) private view returns (bool) {
        return IAccessControl(address(registry)).hasRole(role, account);
    }
}
