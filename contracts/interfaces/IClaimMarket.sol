// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Where a listing stands. Open: listed, bidding (commit, then reveal) until awarded. Awarded: a winner
/// named, the seller to execute before the deadline. Sold: executed (the claims are the winner's). Unsold: no bid
/// reached the reserve (the claims are free again; relisting is allowed). Cancelled: withdrawn before any bid.
/// Failed: the winner and the runner-up (if any) defaulted or the seller did not execute for either.
enum ListingStatus {
    None,
    Open,
    Awarded,
    Sold,
    Unsold,
    Cancelled,
    Failed
}

/// @notice A bid's status. Committed: sealed. Revealed: opened in time (its deposit is refunded unless it wins).
/// Forfeited: never revealed in time, or its bidder won and did not record its payment in time (deposit forfeit).
/// Won: its award was executed.
enum BidStatus {
    None,
    Committed,
    Revealed,
    Forfeited,
    Won
}

/// @notice What a seller publishes when it lists a package. Times are unix seconds, amounts minor units (fen).
struct ListingTerms {
    /// The listing's id, chosen by the seller (a salted reference: it names nothing), unique in the market.
    bytes32 listingId;
    /// Salted commitment to the off-chain listing terms; listed over a data room, the terms name the room and its
    /// loan tape's hash, so the tape buyers read is bound here (they re-derive this from the terms and salt the room shows).
    bytes32 termsCommitment;
    /// 基准日: the date the package's figures are stated at.
    uint40 cutoffDate;
    /// Bids are committed before this time ...
    uint40 commitEnd;
    /// ... and revealed from `commitEnd` until before this time; the award follows.
    uint40 revealEnd;
    /// Seconds the winner has to record its payment and the seller to execute once awarded (the deadline).
    uint32 executionPeriod;
    /// The deposit (保证金) each bid states as paid, off chain.
    uint128 deposit;
    /// The public reserve (zero: none, or hidden behind `reserveCommitment`).
    uint128 reserve;
    /// keccak256(abi.encode(listingId, reserve, salt)) of a hidden reserve, revealed at the award; zero if public.
    bytes32 reserveCommitment;
    /// Only licensed AMCs may bid (required for any retail claim and for a bank's batch of ten or more).
    bool licensedAmcOnly;
}

/// @notice A listing as stored. Until the award, `winner`/`runnerUp` are the best and second-best revealed bids.
struct Listing {
    address seller;
    uint40 commitEnd;
    uint40 revealEnd;
    ListingStatus status;
    bool licensedAmcOnly;
    bytes32 claimsHash; // keccak256(abi.encode(claimIds))
    bytes32 reserveCommitment;
    uint128 deposit;
    uint128 reserve;
    address winner;
    uint32 executionPeriod;
    uint32 bidCount;
    uint32 claimCount;
    address runnerUp;
    uint40 deadline;
    bool paid;
    uint128 winningBid;
    uint128 runnerUpBid;
}

/// @notice A sealed bid: commitment = keccak256(abi.encode(listingId, bidder, amount, salt)).
struct Bid {
    bytes32 commitment;
    uint128 amount;
    uint32 seq; // commit order within the listing, from 1: the earlier commit wins a tie
    BidStatus status;
}

/// @title Claim market errors
interface IClaimMarketErrors {
    /// @dev A listing with this id exists already (or the id is zero).
    error ListingExists(bytes32 listingId);
    /// @dev The listing has no claims.
    error EmptyListing(bytes32 listingId);
    /// @dev The window is not now < commitEnd < revealEnd, or the execution period is zero.
    error InvalidWindow(bytes32 listingId, uint40 commitEnd, uint40 revealEnd, uint32 executionPeriod);
    /// @dev A reserve both public and committed.
    error InvalidReserve(bytes32 listingId);
    /// @dev Retail claims (26号文) or a bank's batch of ten or more (财金〔2012〕6号) are for licensed AMCs only.
    error EligibilityTooWide(bytes32 listingId, uint256 retailClaims, uint256 claimCount);
    /// @dev The listing is not in the status the call needs.
    error UnexpectedStatus(bytes32 listingId, ListingStatus status);
    /// @dev The claims given are not the listing's (their hash differs).
    error ClaimsMismatch(bytes32 listingId);
    /// @dev Only the listing's seller may do this.
    error NotSeller(bytes32 listingId, address caller);
    /// @dev The seller may not bid on its own listing.
    error SellerCannotBid(bytes32 listingId);
    /// @dev The bidder is not a licensed AMC (nor, where the listing allows them, a qualified investor).
    error BidderNotEligible(bytes32 listingId, address bidder);
    /// @dev One sealed bid per bidder and listing, never replaced.
    error BidAlreadyCommitted(bytes32 listingId, address bidder);
    /// @dev The commitment is zero.
    error EmptyCommitment(bytes32 listingId);
    /// @dev Bids are committed only before `commitEnd`.
    error CommitClosed(bytes32 listingId, uint40 commitEnd);
    /// @dev Bids are revealed only from `opensAt` until before `closesAt`.
    error RevealClosed(bytes32 listingId, uint40 opensAt, uint40 closesAt);
    /// @dev The caller has no sealed bid to reveal on this listing.
    error BidNotCommitted(bytes32 listingId, address bidder);
    /// @dev The amount and salt do not open the caller's commitment.
    error BidMismatch(bytes32 listingId, address bidder);
    /// @dev The award comes only once the reveal ended.
    error BiddingNotOver(bytes32 listingId, uint40 revealEnd);
    /// @dev The hidden reserve's reveal does not match its commitment (and its grace has not passed).
    error ReserveMismatch(bytes32 listingId);
    /// @dev The seller cannot cancel a listing that has bids.
    error HasBids(bytes32 listingId, uint32 bidCount);
    /// @dev Only the award's winner may do this.
    error NotWinner(bytes32 listingId, address caller);
    /// @dev The award's execution deadline has passed.
    error DeadlinePassed(bytes32 listingId, uint40 deadline);
    /// @dev The award's execution deadline has not passed yet.
    error DeadlineNotPassed(bytes32 listingId, uint40 deadline);
}

/// @title Claim market events
interface IClaimMarketEvents {
    /// @notice A package was listed: its claims (now locked in the registry), its terms, and how many are retail.
    event ListingCreated(
        bytes32 indexed listingId, address indexed seller, bytes32[] claimIds, ListingTerms terms, uint256 retailClaims
    );
    /// @notice The seller withdrew a listing that had no bid; its claims are free again.
    event ListingCancelled(bytes32 indexed listingId);
    /// @notice A sealed bid, with the salted commitment to the deposit's payment proof and the deposit's amount.
    event BidCommitted(
        bytes32 indexed listingId, address indexed bidder, uint32 seq, bytes32 commitment, bytes32 depositRef, uint128 deposit
    );
    /// @notice A bid was opened in time.
    event BidRevealed(bytes32 indexed listingId, address indexed bidder, uint128 amount);
    /// @notice The award (or, after a default, the runner-up's): the winner, its bid and the execution deadline.
    event ListingAwarded(
        bytes32 indexed listingId, address indexed winner, uint128 amount, uint40 deadline, uint128 reserve
    );
    /// @notice No revealed bid reached the reserve: the claims are free again.
    event ListingUnsold(bytes32 indexed listingId, uint128 reserve, uint128 bestBid);
    /// @notice The winner recorded its payment (a salted commitment to the payment's proof).
    event PaymentRecorded(bytes32 indexed listingId, address indexed winner, bytes32 paymentCommitment);
    /// @notice The seller executed the award: the claims went to the winner (ClaimRegistry's PackageAssigned).
    event AwardExecuted(bytes32 indexed listingId, address indexed winner, uint128 amount, bytes32 packageId);
    /// @notice The deadline passed without execution: the seller (the winner had paid) or the winner (it had not) defaulted.
    event AwardDefaulted(bytes32 indexed listingId, address indexed defaulter, address winner, bool sellerDefaulted);
    /// @notice Nobody is left to award after a default: the claims are free again.
    event ListingFailed(bytes32 indexed listingId);
}

/// @title Debtrail claim market
/// @notice Sealed-bid sales of claim packages. A seller lists claims it holds (they are locked in the registry:
/// from then on they move only to this listing's winner, through {executeAward}); eligible buyers commit sealed
/// bids before `commitEnd` and reveal them before `revealEnd`; the award goes to the highest revealed bid at or
/// above the reserve, the earlier commit on a tie. Nobody, the seller included, can read or change a bid before
/// its reveal. An unrevealed bid is void and its deposit forfeit. The winner records its payment, the seller
/// executes before the deadline; if either does not, anyone may award the runner-up (or end the listing).
/// Deposits and payments move off chain (bank transfers); the chain records their salted proofs and the
/// statuses that decide refunds and forfeits.
interface IClaimMarket is IClaimMarketErrors, IClaimMarketEvents {
    /// @notice Lists a package of claims the caller holds, locking them. Refuses an eligibility wider than the rules
    /// allow (EligibilityTooWide): any retail claim, or a seller with ORIGINATOR selling ten or more, is for licensed
    /// AMCs only.
    function list(ListingTerms calldata terms, bytes32[] calldata claimIds) external;

    /// @notice The seller withdraws a listing without bids; its claims are released.
    function cancel(bytes32 listingId, bytes32[] calldata claimIds) external;

    /// @notice Commits a sealed bid before `commitEnd`: one per bidder, never replaced; not the seller; eligible only.
    /// @param depositRef salted commitment to the deposit's payment proof (the listing's deposit is stated as paid)
    function commitBid(bytes32 listingId, bytes32 commitment, bytes32 depositRef) external;

    /// @notice Opens the caller's own bid, from `commitEnd` until before `revealEnd`.
    function revealBid(bytes32 listingId, uint128 amount, bytes32 salt) external;

    /// @notice Awards (or ends Unsold) once the reveal ended. A hidden reserve is revealed here by whoever holds it;
    /// if nobody reveals it, anyone may award after `revealEnd + executionPeriod` with the reserve taken as zero
    /// (the seller is bound by its listing).
    function award(bytes32 listingId, bytes32[] calldata claimIds, uint128 reserve, bytes32 salt) external;

    /// @notice The winner records its payment before the deadline.
    function recordPayment(bytes32 listingId, bytes32 paymentCommitment) external;

    /// @notice The seller executes the award before the deadline: the claims go to the winner at the winning bid
    /// (ClaimRegistry.assignListed, with the package's id, the notice's and the loan files' commitments).
    function executeAward(
        bytes32 listingId,
        bytes32[] calldata claimIds,
        bytes32 packageId,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) external;

    /// @notice After the deadline, anyone: records who defaulted (the seller if the winner had paid, else the
    /// winner, whose deposit is forfeit) and awards the runner-up at or above the reserve, or ends the listing Failed.
    function awardRunnerUp(bytes32 listingId, bytes32[] calldata claimIds) external;

    /// @notice A listing.
    function listingOf(bytes32 listingId) external view returns (Listing memory);

    /// @notice A bid; a bid still sealed once the reveal ended reads Forfeited.
    function bidOf(bytes32 listingId, address bidder) external view returns (Bid memory);

    /// @notice Whether `bidder` may bid on the listing (HOLDER and LICENSED_AMC, or QUALIFIED_INVESTOR where allowed).
    function isEligible(bytes32 listingId, address bidder) external view returns (bool);

    /// @notice The commitment a bid must carry.
    function bidCommitment(bytes32 listingId, address bidder, uint128 amount, bytes32 salt) external pure returns (bytes32);
}
