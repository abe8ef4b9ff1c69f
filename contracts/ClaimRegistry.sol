// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Roles} from "./Roles.sol";
import {IClaimRegistry, ClaimTerms, ClauseTerms, ClaimRegistration} from "./interfaces/IClaimRegistry.sol";

/// @title ClaimRegistry
/// @notice See {IClaimRegistry}.
contract ClaimRegistry is IClaimRegistry, ERC721, AccessControl, Pausable {
    uint16 private constant DEFAULT_WARN_DAYS = 1;
    uint16 private constant DEFAULT_DEMAND_DAYS = 30;
    uint16 private constant DEFAULT_ARBITRATION_DAYS = 90;
    uint16 private constant DEFAULT_COVERAGE_BPS = 12_000;
    uint16 private constant DEFAULT_NOTICE_DAYS = 15;

    // A claim's word: the clause thresholds (5 × 16 bits from bit 0), then the retail and restriction flags.
    uint256 private constant RETAIL = 1 << 80;
    uint256 private constant RESTRICTED = 1 << 81;
    // Listed on the market: moves only through {assignListed}, to the award's winner.
    uint256 private constant LISTED = 1 << 82;

    /// @inheritdoc IClaimRegistry
    uint16 public immutable minNoticeDays;

    /// @dev What contracts read of a claim, packed in one storage word (written once at registration; the
    /// restriction flips on transfers and lifts): clause thresholds, retail, restriction. The rest of the terms
    /// is in the ClaimRegistered event.
    mapping(bytes32 claimId => uint256) private _claims;
    mapping(bytes32 originatorCode => address originator) private _originators;
    /// @dev The package ids each seller sold under: one slot per (seller, packageId), written once.
    mapping(address seller => mapping(bytes32 packageId => bool)) private _packageIdsUsed;

    /// @param admin receives ADMIN and DEFAULT_ADMIN_ROLE; ADMIN administers every other role.
    /// @param minNoticeDays_ the deployment-wide minimum notice period in days (>= 1): no claim registers
    /// with a shorter `noticeDays` (due process; see {IClaimRegistry-minNoticeDays}).
    constructor(address admin, uint16 minNoticeDays_) ERC721("Debtrail Claim", "DTCLAIM") {
        if (minNoticeDays_ == 0) revert InvalidMinNoticeDays(minNoticeDays_);
        minNoticeDays = minNoticeDays_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(Roles.ADMIN, admin);
        _setRoleAdmin(Roles.ORIGINATOR, Roles.ADMIN);
        _setRoleAdmin(Roles.HOLDER, Roles.ADMIN);
        _setRoleAdmin(Roles.ORACLE, Roles.ADMIN);
        _setRoleAdmin(Roles.RECORDER, Roles.ADMIN);
        _setRoleAdmin(Roles.ARBITRATOR, Roles.ADMIN);
        _setRoleAdmin(Roles.LICENSED_AMC, Roles.ADMIN);
        _setRoleAdmin(Roles.QUALIFIED_INVESTOR, Roles.ADMIN);
        _setRoleAdmin(Roles.MARKET, Roles.ADMIN);
    }

    /// @inheritdoc IClaimRegistry
    function register(ClaimRegistration calldata registration)
        external
        onlyRole(Roles.ORIGINATOR)
        returns (bytes32 claimId)
    {
        return _register(registration);
    }

    /// @inheritdoc IClaimRegistry
    function registerBatch(ClaimRegistration[] calldata registrations) external onlyRole(Roles.ORIGINATOR) returns (bytes32[] memory claimIds) {
        claimIds = new bytes32[](registrations.length);
        for (uint256 i = 0; i < registrations.length; ++i) {
            claimIds[i] = _register(registrations[i]);
        }
    }

    /// @inheritdoc IClaimRegistry
    function assign(
        bytes32[] calldata claimIds,
        address to,
        bytes32 packageId,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) external {
        _assignAll(_msgSender(), false, claimIds, to, packageId, price, noticeHash, filesCommitment);
    }

    /// @inheritdoc IClaimRegistry
    function lockListed(bytes32[] calldata claimIds, address seller) external onlyRole(Roles.MARKET) returns (uint256 retail) {
        for (uint256 i = 0; i < claimIds.length; ++i) {
            bytes32 claimId = claimIds[i];
            if (_ownerOf(uint256(claimId)) != seller) revert NotClaimHolder(claimId, seller);
            uint256 word = _claims[claimId];
            if (word & (LISTED | RESTRICTED) != 0) revert ClaimNotListable(claimId);
            _claims[claimId] = word | LISTED;
            if (word & RETAIL != 0) ++retail;
        }
    }

    /// @inheritdoc IClaimRegistry
    function unlockListed(bytes32[] calldata claimIds) external onlyRole(Roles.MARKET) {
        for (uint256 i = 0; i < claimIds.length; ++i) {
            _claims[claimIds[i]] &= ~LISTED;
        }
    }

    /// @inheritdoc IClaimRegistry
    function assignListed(
        address seller,
        bytes32[] calldata claimIds,
        address to,
        bytes32 packageId,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) external onlyRole(Roles.MARKET) {
        _assignAll(seller, true, claimIds, to, packageId, price, noticeHash, filesCommitment);
    }

    /// @inheritdoc IClaimRegistry
    function bindOriginatorCode(bytes32 originatorCode, address originator) external onlyRole(Roles.ADMIN) {
        address current = _originators[originatorCode];
        if (current != address(0)) revert OriginatorCodeTaken(originatorCode, current);
        _originators[originatorCode] = originator;
        emit OriginatorCodeBound(originatorCode, originator);
    }

    /// @inheritdoc IClaimRegistry
    function liftResaleRestriction(bytes32 claimId) external onlyRole(Roles.ADMIN) {
        uint256 word = _claims[claimId];
        if (word & RESTRICTED == 0) revert ResaleNotRestricted(claimId);
        _claims[claimId] = word & ~RESTRICTED;
        emit ResaleRestrictionLifted(claimId, _msgSender());
    }

    /// @inheritdoc IClaimRegistry
    function pause() external onlyRole(Roles.ADMIN) {
        _pause();
    }

    /// @inheritdoc IClaimRegistry
    function unpause() external onlyRole(Roles.ADMIN) {
        _unpause();
    }

    /// @inheritdoc IClaimRegistry
    function claimIdOf(bytes32 originatorCode, bytes32 loanRef) public pure returns (bytes32) {
        return keccak256(abi.encode(originatorCode, loanRef));
    }

    /// @inheritdoc IClaimRegistry
    function isRegistered(bytes32 claimId) public view returns (bool) {
        return _ownerOf(uint256(claimId)) != address(0);
    }

    /// @inheritdoc IClaimRegistry
    function clausesOf(bytes32 claimId) external view returns (ClauseTerms memory) {
        return _clausesIn(_claims[claimId]);
    }

    /// @inheritdoc IClaimRegistry
    function isRetail(bytes32 claimId) external view returns (bool) {
        _requireRegistered(claimId);
        return _claims[claimId] & RETAIL != 0;
    }

    /// @inheritdoc IClaimRegistry
    function registeredTermsOf(bytes32[] calldata claimIds)
        external
        view
        returns (ClauseTerms[] memory clauses, bool[] memory retail)
    {
        clauses = new ClauseTerms[](claimIds.length);
        retail = new bool[](claimIds.length);
        for (uint256 i = 0; i < claimIds.length; ++i) {
            _requireRegistered(claimIds[i]);
            uint256 word = _claims[claimIds[i]];
            clauses[i] = _clausesIn(word);
            retail[i] = word & RETAIL != 0;
        }
    }

    /// @inheritdoc IClaimRegistry
    function isListed(bytes32 claimId) external view returns (bool) {
        return _claims[claimId] & LISTED != 0;
    }

    /// @inheritdoc IClaimRegistry
    function holderOf(bytes32 claimId) external view returns (address) {
        _requireRegistered(claimId);
        return _ownerOf(uint256(claimId));
    }

    /// @inheritdoc IClaimRegistry
    function isResaleRestricted(bytes32 claimId) external view returns (bool) {
        return _claims[claimId] & RESTRICTED != 0;
    }

    /// @inheritdoc IClaimRegistry
    function originatorOf(bytes32 originatorCode) external view returns (address) {
        return _originators[originatorCode];
    }

    /// @inheritdoc ERC721
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return ERC721.supportsInterface(interfaceId) || AccessControl.supportsInterface(interfaceId);
    }

    function _register(ClaimRegistration calldata registration) private returns (bytes32 claimId) {
        address originator = _msgSender();
        if (_originators[registration.originatorCode] != originator) {
            revert OriginatorCodeNotHeld(registration.originatorCode, originator);
        }
        claimId = claimIdOf(registration.originatorCode, registration.loanRef);
        if (isRegistered(claimId)) revert ClaimAlreadyRegistered(claimId);
        ClaimTerms memory terms = registration.terms;
        _validateTerms(claimId, terms);
        ClauseTerms memory t = _withDefaults(claimId, terms.clauses);
        _claims[claimId] = uint256(t.warnDays) | (uint256(t.demandDays) << 16) | (uint256(t.arbitrationDays) << 32)
            | (uint256(t.coverageBps) << 48) | (uint256(t.noticeDays) << 64) | (terms.retail ? RETAIL : 0);
        _mint(originator, uint256(claimId));
        emit ClaimRegistered(
            claimId,
            registration.originatorCode,
            originator,
            registration.loanRef,
            terms.principal,
            terms.outstanding,
            terms.currency,
            terms.originatedAt,
            terms.maturityAt,
            terms.collateralHash,
            terms.documentsRoot
        );
    }

    /// @dev `listed`: the market moves listed claims of `caller` (the seller) to the award's winner, clearing the
    /// lock; otherwise `caller` must own or be approved for each claim.
    function _assignAll(
        address caller,
        bool listed,
        bytes32[] calldata claimIds,
        address to,
        bytes32 packageId,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) private {
        if (claimIds.length == 0 || packageId == bytes32(0)) revert EmptyPackage(packageId);
        if (_packageIdsUsed[caller][packageId]) revert PackageIdAlreadyUsed(caller, packageId);
        _packageIdsUsed[caller][packageId] = true;
        for (uint256 i = 0; i < claimIds.length; ++i) {
            bytes32 claimId = claimIds[i];
            address from = _ownerOf(uint256(claimId));
            if (from == address(0)) revert ClaimNotRegistered(claimId);
            uint256 word = _claims[claimId];
            if (listed ? (from != caller || word & LISTED == 0) : !_isAuthorized(from, caller, uint256(claimId))) {
                revert NotClaimHolder(claimId, caller);
            }
            if (listed) _claims[claimId] = word & ~LISTED;
            _update(to, uint256(claimId), address(0));
            emit ClaimAssigned(claimId, from, to, packageId, price, noticeHash, filesCommitment);
        }
        emit PackageAssigned(packageId, caller, to, claimIds.length, price, noticeHash, filesCommitment);
    }

    /// @dev The one path of every mint and transfer (`assign`, `transferFrom`, `safeTransferFrom`), so none
    /// bypasses the rules: no burn (a claim id, once registered, is registered forever); the buyer holds
    /// HOLDER; a listed claim moves only to the award's winner ({assignListed}); a restricted claim does not move; a
    /// retail claim goes only to a LICENSED_AMC (26号文) and every transfer of it restricts it (pilot rule: an
    /// individual loan bought from its holder is not sold on unless ADMIN lifts the restriction).
    function _update(address to, uint256 tokenId, address auth) internal override whenNotPaused returns (address) {
        bytes32 claimId = bytes32(tokenId);
        address from = _ownerOf(tokenId);
        if (from != address(0)) {
            if (to == address(0)) revert ClaimNotBurnable(claimId);
            if (!hasRole(Roles.HOLDER, to)) revert BuyerNotHolder(to);
            uint256 word = _claims[claimId];
            if (word & LISTED != 0) revert ClaimListed(claimId);
            if (word & RESTRICTED != 0) revert ClaimResaleRestricted(claimId);
            if (word & RETAIL != 0) {
                if (!hasRole(Roles.LICENSED_AMC, to)) revert BuyerNotLicensedAmc(to, claimId);
                _claims[claimId] = word | RESTRICTED;
                emit ResaleRestricted(claimId, to);
            }
        }
        return super._update(to, tokenId, auth);
    }

    /// @inheritdoc IClaimRegistry
    function isPackageIdUsed(address seller, bytes32 packageId) external view returns (bool) {
        return _packageIdsUsed[seller][packageId];
    }

    function _clausesIn(uint256 word) private pure returns (ClauseTerms memory) {
        return ClauseTerms(uint16(word), uint16(word >> 16), uint16(word >> 32), uint16(word >> 48), uint16(word >> 64));
    }

    function _requireRegistered(bytes32 claimId) private view {
        if (!isRegistered(claimId)) revert ClaimNotRegistered(claimId);
    }

    function _validateTerms(bytes32 claimId, ClaimTerms memory terms) private pure {
        if (terms.principal == 0) revert InvalidPrincipal(claimId);
        if (terms.currency == bytes3(0)) revert InvalidCurrency(claimId);
        if (terms.originatedAt == 0 || terms.maturityAt < terms.originatedAt) {
            revert InvalidDates(claimId, terms.originatedAt, terms.maturityAt);
        }
    }

    /// @dev All zero: the defaults, with a notice period of at least the deployment's minimum. Otherwise the
    /// terms must be ordered and their notice period must reach the minimum: refused below it, never clamped.
    function _withDefaults(bytes32 claimId, ClauseTerms memory clauses) private view returns (ClauseTerms memory) {
        uint16 minimum = minNoticeDays;
        if (
            clauses.warnDays == 0 && clauses.demandDays == 0 && clauses.arbitrationDays == 0
                && clauses.coverageBps == 0 && clauses.noticeDays == 0
        ) {
            uint16 notice = DEFAULT_NOTICE_DAYS > minimum ? DEFAULT_NOTICE_DAYS : minimum;
            return ClauseTerms(DEFAULT_WARN_DAYS, DEFAULT_DEMAND_DAYS, DEFAULT_ARBITRATION_DAYS, DEFAULT_COVERAGE_BPS, notice);
        }
        if (
            clauses.warnDays == 0 || clauses.warnDays > clauses.demandDays || clauses.demandDays > clauses.arbitrationDays
                || clauses.coverageBps == 0
        ) revert InvalidClauseTerms(claimId);
        if (clauses.noticeDays < minimum) revert NoticeDaysBelowMinimum(claimId, clauses.noticeDays, minimum);
        return clauses;
    }
}
