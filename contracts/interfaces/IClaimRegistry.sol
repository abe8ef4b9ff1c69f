// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Smart-clause thresholds of a claim, in days and basis points.
/// All zero means "use the defaults" (warn 1, demand 30, arbitration 90, coverage 12000 bps, notice 15 days
/// or the deployment's minimum if that is longer). Otherwise warn >= 1, warn <= demand <= arbitration,
/// coverage >= 1 and notice >= {IClaimRegistry-minNoticeDays}.
struct ClauseTerms {
    uint16 warnDays;
    uint16 demandDays;
    uint16 arbitrationDays;
    uint16 coverageBps;
    uint16 noticeDays;
}

/// @notice A claim's terms as registered: amounts in minor units, dates as unix seconds, hashes. No personal
/// data: the debtor lives off chain. The registry stores only what contracts read (retail, clause thresholds:
/// {IClaimRegistry-isRetail}, {IClaimRegistry-clausesOf}); the rest is fixed on chain by the registration's
/// event ({IClaimRegistryEvents-ClaimRegistered}), which carries it.
struct ClaimTerms {
    uint128 principal;
    uint128 outstanding;
    bytes3 currency; // ISO 4217, e.g. "CNY"
    uint40 originatedAt;
    uint40 maturityAt;
    bool retail; // debtor is a natural person (individual loan), which the resale rule depends on
    ClauseTerms clauses;
    bytes32 collateralHash; // hash of the off-chain collateral description, zero if unsecured
    bytes32 documentsRoot; // Merkle root of the loan documents
}

/// @notice One registration: the loan is identified by its originator code and the hash of its
/// loan-contract number, so the same loan maps to the same claim id whoever submits it.
struct ClaimRegistration {
    bytes32 originatorCode;
    bytes32 loanRef; // salted commitment to the loan-contract number: keccak256(abi.encode(loanSalt, keccak256(contractNo)))
    ClaimTerms terms;
}

/// @title Claim registry errors
interface IClaimRegistryErrors {
    /// @dev The loan behind `claimId` was registered before.
    error ClaimAlreadyRegistered(bytes32 claimId);
    /// @dev No claim with this id exists.
    error ClaimNotRegistered(bytes32 claimId);
    /// @dev `caller` registers under an originator code that is not bound to it.
    error OriginatorCodeNotHeld(bytes32 originatorCode, address caller);
    /// @dev The originator code is already bound to another account.
    error OriginatorCodeTaken(bytes32 originatorCode, address holder);
    /// @dev A claim may only go to an account with the HOLDER role.
    error BuyerNotHolder(address buyer);
    /// @dev A retail claim that changed hands may not be transferred again (pilot rule) until ADMIN lifts it.
    error ClaimResaleRestricted(bytes32 claimId);
    /// @dev `caller` neither owns nor is approved for `claimId`.
    error NotClaimHolder(bytes32 claimId, address caller);
    /// @dev Principal is zero.
    error InvalidPrincipal(bytes32 claimId);
    /// @dev Currency code is empty.
    error InvalidCurrency(bytes32 claimId);
    /// @dev Maturity lies before origination, or origination is zero.
    error InvalidDates(bytes32 claimId, uint40 originatedAt, uint40 maturityAt);
    /// @dev Clause thresholds are not ordered warn <= demand <= arbitration, or coverage is zero.
    error InvalidClauseTerms(bytes32 claimId);
    /// @dev A package sale without claims, or without a package id.
    error EmptyPackage(bytes32 packageId);
    /// @dev The resale restriction to lift is not in place.
    error ResaleNotRestricted(bytes32 claimId);
    /// @dev Claims are never burned: a transfer or package sale to the zero address is refused.
    error ClaimNotBurnable(bytes32 claimId);
    /// @dev The claim's notice period (days) is below the deployment-wide minimum (due process).
    error NoticeDaysBelowMinimum(bytes32 claimId, uint16 noticeDays, uint16 minimum);
    /// @dev A retail claim (a natural person's loan) goes only to a licensed AMC (26号文; LICENSED_AMC).
    error BuyerNotLicensedAmc(address buyer, bytes32 claimId);
    /// @dev The claim is listed on the market: it moves only to the listing's winner, through the market.
    error ClaimListed(bytes32 claimId);
    /// @dev The claim is listed already, or resale-restricted: it cannot be listed.
    error ClaimNotListable(bytes32 claimId);
    /// @dev The deployment-wide minimum notice period must be at least one day.
    error InvalidMinNoticeDays(uint16 minNoticeDays);
    /// @dev `seller` sold a package under `packageId` before: a package id names one sale per seller (a buyer and
    /// a debtor must find exactly one sale behind it).
    error PackageIdAlreadyUsed(address seller, bytes32 packageId);
}

/// @title Claim registry events
interface IClaimRegistryEvents {
    /// @notice A claim was registered and minted to its originator, with the terms the registry does not store
    /// (the chain keeps them here): the retail flag and the clause thresholds (defaults filled in) are read with
    /// {IClaimRegistry-isRetail} and {IClaimRegistry-clausesOf}, never changed.
    event ClaimRegistered(
        bytes32 indexed claimId,
        bytes32 indexed originatorCode,
        address indexed originator,
        bytes32 loanRef,
        uint128 principal,
        uint128 outstanding,
        bytes3 currency,
        uint40 originatedAt,
        uint40 maturityAt,
        bytes32 collateralHash,
        bytes32 documentsRoot
    );
    /// @notice A claim changed hands in a package sale (债权转让). `filesCommitment` commits to the loan files
    /// handed over to the buyer (the same for every claim of the package; zero when none was committed).
    event ClaimAssigned(
        bytes32 indexed claimId,
        address indexed from,
        address indexed to,
        bytes32 packageId,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    );
    /// @notice A package sale completed: `claimCount` claims for `price` (minor units) in total.
    event PackageAssigned(
        bytes32 indexed packageId,
        address indexed from,
        address indexed to,
        uint256 claimCount,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    );
    /// @notice An originator code was bound to the account that may register under it.
    event OriginatorCodeBound(bytes32 indexed originatorCode, address indexed originator);
    /// @notice A retail claim changed hands and may not be transferred again (pilot rule) unless ADMIN lifts it.
    event ResaleRestricted(bytes32 indexed claimId, address indexed holder);
    /// @notice ADMIN lifted the resale restriction of a retail claim.
    event ResaleRestrictionLifted(bytes32 indexed claimId, address indexed admin);
}

/// @title Debtrail claim registry
/// @notice ERC-721 ledger of non-performing loan claims: one token per claim, token id = uint256(claimId).
/// Per claim it stores its holder (ERC-721) and one word: the clause thresholds, the retail flag and the resale
/// restriction, what contracts read; everything else of the registration is in its event.
/// Every mint and transfer (`assign`, `transferFrom`, `safeTransferFrom`) goes through one hook that
/// enforces: claims are never burned (a claim id, once registered, is registered forever, so the same loan
/// can never be registered again with other terms); the buyer holds HOLDER, and LICENSED_AMC for a retail claim
/// (26号文); a claim listed on the market moves only to the award's winner; a restricted claim does not
/// move; every transfer of a retail claim restricts it, whatever the path (pilot rule: an individual loan
/// bought from its holder is not sold on unless ADMIN lifts the restriction, once per lift); not paused.
interface IClaimRegistry is IClaimRegistryErrors, IClaimRegistryEvents {
    /// @notice Registers one loan as a claim and mints it to the caller.
    /// @dev Caller needs ORIGINATOR and must hold `registration.originatorCode`.
    /// Reverts with ClaimAlreadyRegistered if the loan was registered before, by anyone (claims are never
    /// burned, so this holds forever), and with NoticeDaysBelowMinimum if `terms.clauses.noticeDays` is
    /// below {minNoticeDays}.
    /// @return claimId keccak256(abi.encode(originatorCode, loanRef))
    function register(ClaimRegistration calldata registration) external returns (bytes32 claimId);

    /// @notice Registers several loans in one transaction; all or nothing.
    function registerBatch(ClaimRegistration[] calldata registrations) external returns (bytes32[] memory claimIds);

    /// @notice Sells a package of claims to `to` (a HOLDER; never the zero address: ClaimNotBurnable).
    /// The caller must own or be approved for each.
    /// @param packageId the sale's identifier, once per seller (the caller): a second sale under it reverts with
    /// PackageIdAlreadyUsed
    /// @param price the package price in minor units
    /// @param noticeHash hash of the assignment notice to the debtors (债权转让通知)
    /// @param filesCommitment salted commitment to the claims' off-chain loan files handed over to the buyer
    /// (keccak256(abi.encode(salt, manifestHash)); zero when none): the buyer's node accepts files only if they match it
    function assign(
        bytes32[] calldata claimIds,
        address to,
        bytes32 packageId,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) external;

    /// @notice Locks `seller`'s claims for a market listing: from now on they move only through {assignListed}.
    /// MARKET only. Reverts with NotClaimHolder if `seller` does not hold one, ClaimNotListable if one is listed or
    /// resale-restricted.
    /// @return retailCount how many of them are retail (the market's eligibility rule reads it)
    function lockListed(bytes32[] calldata claimIds, address seller) external returns (uint256 retailCount);

    /// @notice Releases claims of a listing that ended without a sale (unsold, cancelled, failed). MARKET only.
    function unlockListed(bytes32[] calldata claimIds) external;

    /// @notice Sells listed claims of `seller` to the award's winner `to`, as {assign} does (same events, `from` is
    /// the seller), releasing the lock. MARKET only; every claim must be listed and held by `seller`.
    function assignListed(
        address seller,
        bytes32[] calldata claimIds,
        address to,
        bytes32 packageId,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) external;

    /// @notice Binds an originator code to the account allowed to register under it. ADMIN only; once per code.
    function bindOriginatorCode(bytes32 originatorCode, address originator) external;

    /// @notice Lifts the resale restriction of a retail claim for its next transfer (which restricts it again). ADMIN only.
    function liftResaleRestriction(bytes32 claimId) external;

    /// @notice Stops every registration and transfer. ADMIN only.
    function pause() external;

    /// @notice Resumes registrations and transfers. ADMIN only.
    function unpause() external;

    /// @notice The claim id a loan gets.
    function claimIdOf(bytes32 originatorCode, bytes32 loanRef) external pure returns (bytes32);

    /// @notice Whether `seller` sold a package under `packageId` ({assign}, {assignListed}).
    function isPackageIdUsed(address seller, bytes32 packageId) external view returns (bool);

    /// @notice Whether the claim exists.
    function isRegistered(bytes32 claimId) external view returns (bool);

    /// @notice The clause thresholds of a claim as registered (defaults filled in); all zero if the claim is not
    /// registered (a registered claim's warnDays is at least 1).
    function clausesOf(bytes32 claimId) external view returns (ClauseTerms memory);

    /// @notice Whether the claim's debtor is a natural person (the resale rule depends on it); reverts with
    /// ClaimNotRegistered if unknown.
    function isRetail(bytes32 claimId) external view returns (bool);

    /// @notice {clausesOf} and {isRetail} of many claims in one call (an indexer reads them once per
    /// registration: one call per chunk of registrations instead of two per claim); reverts with
    /// ClaimNotRegistered naming the first unknown claim.
    function registeredTermsOf(bytes32[] calldata claimIds)
        external
        view
        returns (ClauseTerms[] memory clauses, bool[] memory retail);

    /// @notice The current holder of a claim; reverts with ClaimNotRegistered if unknown.
    function holderOf(bytes32 claimId) external view returns (address);

    /// @notice Whether the claim is locked by a market listing.
    function isListed(bytes32 claimId) external view returns (bool);

    /// @notice Whether the claim may not be transferred again (a retail claim that changed hands).
    function isResaleRestricted(bytes32 claimId) external view returns (bool);

    /// @notice The deployment-wide minimum notice period in days, fixed at deployment: registration refuses
    /// clause terms with a shorter `noticeDays` (NoticeDaysBelowMinimum), and the all-zero defaults use at
    /// least this.
    function minNoticeDays() external view returns (uint16);

    /// @notice The account bound to an originator code, or zero.
    function originatorOf(bytes32 originatorCode) external view returns (address);
}
