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

    /// @inheritdoc IClaimRegistry
    uint16 public immutable minNoticeDays;

    mapping(bytes32 claimId => ClaimTerms) private _terms;
    mapping(bytes32 claimId => bool) private _resaleRestricted;
    mapping(bytes32 originatorCode => address originator) private _originators;

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
    function registerBatch(ClaimRegistration[] calldata registrations)
        external
        onlyRole(Roles.ORIGINATOR)
        returns (bytes32[] memory claimIds)
    {
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
        if (claimIds.length == 0 || packageId == bytes32(0)) revert EmptyPackage(packageId);
        for (uint256 i = 0; i < claimIds.length; ++i) {
            _assign(claimIds[i], to, packageId, price, noticeHash, filesCommitment);
        }
        emit PackageAssigned(packageId, _msgSender(), to, claimIds.length, price, noticeHash, filesCommitment);
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
        if (!_resaleRestricted[claimId]) revert ResaleNotRestricted(claimId);
        _resaleRestricted[claimId] = false;
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
    function termsOf(bytes32 claimId) external view returns (ClaimTerms memory) {
        _requireRegistered(claimId);
        return _terms[claimId];
    }

    /// @inheritdoc IClaimRegistry
    function holderOf(bytes32 claimId) external view returns (address) {
        _requireRegistered(claimId);
        return _ownerOf(uint256(claimId));
    }

    /// @inheritdoc IClaimRegistry
    function isResaleRestricted(bytes32 claimId) external view returns (bool) {
        return _resaleRestricted[claimId];
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
        terms.clauses = _withDefaults(claimId, terms.clauses);
        _terms[claimId] = terms;
        _mint(originator, uint256(claimId));
        emit ClaimRegistered(
            claimId, registration.originatorCode, originator, registration.loanRef, terms.principal, terms.outstanding
        );
    }

    function _assign(
        bytes32 claimId,
        address to,
        bytes32 packageId,
        uint256 price,
        bytes32 noticeHash,
        bytes32 filesCommitment
    ) private {
        uint256 tokenId = uint256(claimId);
        address from = _ownerOf(tokenId);
        if (from == address(0)) revert ClaimNotRegistered(claimId);
        if (!_isAuthorized(from, _msgSender(), tokenId)) revert NotClaimHolder(claimId, _msgSender());
        _update(to, tokenId, address(0));
        emit ClaimAssigned(claimId, from, to, packageId, price, noticeHash, filesCommitment);
    }

    /// @dev The one path of every mint and transfer (`assign`, `transferFrom`, `safeTransferFrom`), so none
    /// bypasses the rules: no burn (a claim id, once registered, is registered forever); the buyer holds
    /// HOLDER; a restricted claim does not move; and every transfer of a retail claim restricts it (pilot
    /// rule: an individual loan bought from its holder is not sold on unless ADMIN lifts the restriction).
    function _update(address to, uint256 tokenId, address auth) internal override whenNotPaused returns (address) {
        bytes32 claimId = bytes32(tokenId);
        address from = _ownerOf(tokenId);
        if (from != address(0)) {
            if (to == address(0)) revert ClaimNotBurnable(claimId);
            if (!hasRole(Roles.HOLDER, to)) revert BuyerNotHolder(to);
            if (_resaleRestricted[claimId]) revert ClaimResaleRestricted(claimId);
            if (_terms[claimId].retail) {
                _resaleRestricted[claimId] = true;
                emit ResaleRestricted(claimId, to);
            }
        }
        return super._update(to, tokenId, auth);
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
