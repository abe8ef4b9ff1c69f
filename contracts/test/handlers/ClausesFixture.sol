// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {ClaimRegistry} from "../../ClaimRegistry.sol";
import {CollectionClauses} from "../../CollectionClauses.sol";
import {Arbitrator} from "../../Arbitrator.sol";
import {Roles} from "../../Roles.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ClauseTerms, ClaimRegistration} from "../../interfaces/IClaimRegistry.sol";
import {Report, CaseState} from "../../interfaces/ICollectionClauses.sol";

/// @dev A batch of reports and the oracles' signatures over its digest (submitted as `abi.encode(reports)`).
struct SignedBatch {
    Report[] reports;
    bytes[] signatures;
}

/// @dev Deploys registry, arbitrator and clauses with 3 oracles (quorum 2), and builds signed reports.
abstract contract ClausesFixture is Test {
    ClaimRegistry internal registry;
    Arbitrator internal arbitrator;
    CollectionClauses internal clauses;

    address internal admin = makeAddr("admin");
    address internal bank = makeAddr("bank");
    address internal court = makeAddr("court");
    address internal relayer = makeAddr("relayer");
    address internal stranger = makeAddr("stranger");
    bytes32 internal constant BANK_CODE = "BANK001";
    uint256 internal constant START = 1_700_000_000;
    uint256 internal constant MAX_AGE = 1 days;

    uint256[3] internal oracleKeys = [uint256(0xA11CE), uint256(0xB0B), uint256(0xCA7)];
    uint256 internal constant OUTSIDER_KEY = 0xBAD;

    function _deploy() internal {
        vm.warp(START);
        registry = new ClaimRegistry(admin, 7);
        arbitrator = new Arbitrator(IAccessControl(address(registry)));
        clauses = new CollectionClauses(registry, arbitrator, 2, MAX_AGE, "ipfs://debtrail-meta-evidence");
        vm.startPrank(admin);
        registry.grantRole(Roles.ORIGINATOR, bank);
        registry.grantRole(Roles.ARBITRATOR, court);
        registry.bindOriginatorCode(BANK_CODE, bank);
        for (uint256 i = 0; i < oracleKeys.length; ++i) {
            registry.grantRole(Roles.ORACLE, vm.addr(oracleKeys[i]));
        }
        vm.stopPrank();
    }

    function _registerClaim(uint256 loanNo, ClauseTerms memory clauseTerms) internal returns (bytes32 claimId) {
        ClaimRegistration memory r;
        r.originatorCode = BANK_CODE;
        r.loanRef = keccak256(abi.encodePacked("LN-", loanNo));
        r.terms.principal = 1_000_000_00;
        r.terms.outstanding = 800_000_00;
        r.terms.currency = "CNY";
        r.terms.originatedAt = 1_600_000_000;
        r.terms.maturityAt = 1_690_000_000;
        r.terms.clauses = clauseTerms;
        vm.prank(bank);
        claimId = registry.register(r);
    }

    /// @dev A claim with the default clause terms (warn 1, demand 30, arbitration 90, coverage 12000, notice 15).
    function _registerClaim(uint256 loanNo) internal returns (bytes32) {
        ClauseTerms memory defaults;
        return _registerClaim(loanNo, defaults);
    }

    /// @dev A report as of now with the claim's next nonce.
    function _report(bytes32 claimId, uint32 dpd, uint128 outstanding, uint128 collateral, bytes32 notice)
        internal
        view
        returns (Report memory r)
    {
        r = Report({
            claimId: claimId,
            asOf: uint64(block.timestamp),
            daysPastDue: dpd,
            outstanding: outstanding,
            collateralValue: collateral,
            classification: dpd > 90 ? 2 : (dpd > 0 ? 1 : 0),
            riskGrade: 1,
            noticeHash: notice,
            nonce: clauses.caseOf(claimId).nonce
        });
    }

    function _one(Report memory r) internal pure returns (Report[] memory reports) {
        reports = new Report[](1);
        reports[0] = r;
    }

    /// @dev One oracle's signature over the batch digest of `reports`.
    function _sign(Report[] memory reports, uint256 key) internal view returns (bytes memory) {
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(key, clauses.batchDigest(abi.encode(reports)));
        return abi.encodePacked(rr, s, v);
    }

    /// @dev The batch `reports`, signed by the first `count` oracles.
    function _signed(Report[] memory reports, uint256 count) internal view returns (SignedBatch memory batch) {
        batch.reports = reports;
        batch.signatures = new bytes[](count);
        for (uint256 i = 0; i < count; ++i) {
            batch.signatures[i] = _sign(reports, oracleKeys[i]);
        }
    }

    function _recover(bytes32 digest, bytes memory signature) internal pure returns (address) {
        return ECDSA.recover(digest, signature);
    }

    /// @dev A batch of one report, signed by the first `count` oracles.
    function _signed(Report memory r, uint256 count) internal view returns (SignedBatch memory) {
        return _signed(_one(r), count);
    }

    /// @dev Relays `batch` (the caller pranks the relayer first if it wants one).
    function _submit(SignedBatch memory batch) internal {
        clauses.submitReports(abi.encode(batch.reports), batch.signatures);
    }

    /// @dev Waits `dt` seconds, then relays a 2-of-3 signed report.
    function _push(bytes32 claimId, uint256 dt, uint32 dpd, uint128 outstanding, uint128 collateral, bytes32 notice)
        internal
    {
        vm.warp(block.timestamp + dt);
        SignedBatch memory batch = _signed(_report(claimId, dpd, outstanding, collateral, notice), 2);
        vm.prank(relayer);
        _submit(batch);
    }

    function _state(bytes32 claimId) internal view returns (uint256) {
        return uint256(clauses.caseOf(claimId).state);
    }

    /// @dev Drives a default-terms claim to Demanded; returns with the demand notice just given.
    function _toDemanded(bytes32 claimId) internal {
        _push(claimId, 1 hours, 1, 500_000_00, 100_000_00, bytes32(0));
        _push(claimId, 1 days, 2, 500_000_00, 100_000_00, keccak256("warning"));
        _push(claimId, 28 days, 30, 500_000_00, 100_000_00, keccak256("demand"));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "demanded");
    }
}
