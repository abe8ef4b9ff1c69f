// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {ClaimRegistry} from "../../ClaimRegistry.sol";
import {ClaimRegistration} from "../../interfaces/IClaimRegistry.sol";

/// @dev Drives ClaimRegistry as dishonest holders would: registrations (also of loans registered before,
/// with other terms), package sales and plain ERC-721 transfers to random accounts (the zero address
/// included), restriction lifts. Its own model: every claim id ever registered, the last holder it saw, and
/// whether a retail claim moved since ADMIN last lifted its restriction.
contract RegistryHandler is Test {
    ClaimRegistry private immutable _registry;
    address private immutable _admin;
    address private immutable _bank;
    bytes32 private immutable _code;
    address[4] private _accounts;

    bytes32[] private _registered;
    mapping(bytes32 claimId => uint256 loanNo) private _loanOf;
    mapping(bytes32 claimId => bool) public retail;
    mapping(bytes32 claimId => address) public lastHolder;
    mapping(bytes32 claimId => bool) public movedSinceLift;
    uint256 public violations;
    string public firstViolation;
    uint256 public transfers;

    constructor(ClaimRegistry registry_, address admin_, address bank_, bytes32 code_, address[4] memory accounts_) {
        _registry = registry_;
        _admin = admin_;
        _bank = bank_;
        _code = code_;
        _accounts = accounts_;
    }

    function register(uint256 loanSeed, bool isRetail, uint128 principal) external {
        uint256 loanNo = loanSeed % 24;
        ClaimRegistration memory r;
        r.originatorCode = _code;
        r.loanRef = keccak256(abi.encodePacked("LN-", loanNo));
        r.terms.principal = uint128(bound(principal, 1, type(uint128).max));
        r.terms.outstanding = 1;
        r.terms.currency = "CNY";
        r.terms.originatedAt = 1_600_000_000;
        r.terms.maturityAt = 1_700_000_000;
        r.terms.retail = isRetail;
        bytes32 claimId = _registry.claimIdOf(_code, r.loanRef);
        bool before = lastHolder[claimId] != address(0);
        vm.prank(_bank);
        try _registry.register(r) {
            if (before) _violation("a registered loan was registered again");
            _registered.push(claimId);
            _loanOf[claimId] = loanNo;
            retail[claimId] = isRetail;
            lastHolder[claimId] = _bank;
        } catch {}
    }

    /// @dev `toSeed` picks one of the accounts or the zero address; `path` picks assign / transferFrom / safe.
    function move(uint256 claimSeed, uint256 toSeed, uint8 path) external {
        if (_registered.length == 0) return;
        bytes32 claimId = _registered[claimSeed % _registered.length];
        address from = _registry.ownerOf(uint256(claimId));
        uint256 pick = toSeed % (_accounts.length + 1);
        address to = pick == _accounts.length ? address(0) : _accounts[pick];
        bool ok;
        vm.startPrank(from);
        if (path % 3 == 0) {
            bytes32[] memory ids = new bytes32[](1);
            ids[0] = claimId;
            try _registry.assign(ids, to, keccak256(abi.encode(claimId, transfers)), 1, bytes32(0), bytes32(0)) {
                ok = true;
            } catch {}
        } else if (path % 3 == 1) {
            try _registry.transferFrom(from, to, uint256(claimId)) {
                ok = true;
            } catch {}
        } else {
            try _registry.safeTransferFrom(from, to, uint256(claimId)) {
                ok = true;
            } catch {}
        }
        vm.stopPrank();
        if (!ok) return;
        ++transfers;
        if (to == address(0)) _violation("a claim was burned");
        if (retail[claimId] && movedSinceLift[claimId]) _violation("a restricted retail claim moved again");
        lastHolder[claimId] = to;
        movedSinceLift[claimId] = true;
    }

    function lift(uint256 claimSeed) external {
        if (_registered.length == 0) return;
        bytes32 claimId = _registered[claimSeed % _registered.length];
        vm.prank(_admin);
        try _registry.liftResaleRestriction(claimId) {
            movedSinceLift[claimId] = false;
        } catch {}
    }

    function registered() external view returns (bytes32[] memory) {
        return _registered;
    }

    function _violation(string memory what) private {
        if (violations == 0) firstViolation = what;
        ++violations;
    }
}
