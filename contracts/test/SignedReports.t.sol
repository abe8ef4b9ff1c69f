// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ClausesTestBase} from "./handlers/ClausesTestBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ClauseTerms} from "../interfaces/IClaimRegistry.sol";
import {Roles} from "../Roles.sol";
import {IArbitrator, IArbitrable} from "../interfaces/IArbitrator.sol";
import {
    ICollectionClausesErrors, Report, SignedReport, CaseState, CaseRecord, ClosureReason
} from "../interfaces/ICollectionClauses.sol";

/// @dev Signed reports: quorum, signers, replay, freshness, order, the EIP-712 digest.
contract SignedReportsTest is ClausesTestBase {
    function test_submitReports_replayReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2));
        vm.prank(relayer);
        clauses.submitReports(batch);
        bytes32 digest = clauses.reportDigest(batch[0].report);
        assertTrue(clauses.isReportApplied(digest), "applied");
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.ReportAlreadyApplied.selector, digest));
        // Other signatures over the same report are the same report.
        batch[0] = _signed(batch[0].report, 3);
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.ReportAlreadyApplied.selector, digest));
    }

    function test_submitReports_notNewerReverts() public {
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        vm.prank(relayer);
        clauses.submitReports(_one(_signed(r, 2)));
        r.daysPastDue = 4;
        r.nonce += 1;
        SignedReport[] memory batch = _one(_signed(r, 2));
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.ReportNotNewer.selector, claimId, r.asOf, r.asOf)
        );
    }

    function test_submitReports_staleAndFutureRevert() public {
        vm.warp(block.timestamp + 10 days);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        r.asOf = uint64(block.timestamp - MAX_AGE - 1);
        SignedReport[] memory batch = _one(_signed(r, 2));
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.StaleReport.selector, claimId, r.asOf, block.timestamp)
        );
        r.asOf = uint64(block.timestamp + clauses.MAX_FUTURE_SKEW() + 1);
        batch = _one(_signed(r, 2));
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(ICollectionClausesErrors.ReportFromFuture.selector, claimId, r.asOf, block.timestamp)
        );
        r.asOf = uint64(block.timestamp - MAX_AGE);
        vm.prank(relayer);
        clauses.submitReports(_one(_signed(r, 2)));
        assertEq(clauses.caseOf(claimId).lastAsOf, r.asOf, "exactly at the bound is fresh");
    }

    function test_submitReports_underSignedReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 1));
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.QuorumNotReached.selector, 1, 2));
    }

    function test_submitReports_duplicateSignerReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2));
        batch[0].signatures[1] = batch[0].signatures[0];
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.DuplicateSigner.selector, vm.addr(oracleKeys[0]))
        );
    }

    function test_submitReports_nonOracleSignerReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2));
        batch[0].signatures[1] = _sign(batch[0].report, OUTSIDER_KEY);
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.SignerNotOracle.selector, vm.addr(OUTSIDER_KEY))
        );
        // A revoked oracle no longer counts.
        address revoked = vm.addr(oracleKeys[1]);
        vm.prank(admin);
        registry.revokeRole(Roles.ORACLE, revoked);
        batch = _one(_signed(batch[0].report, 2));
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.SignerNotOracle.selector, revoked));
    }

    function test_submitReports_nonceMismatchReverts() public {
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        r.nonce = 5;
        SignedReport[] memory batch = _one(_signed(r, 2));
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(ICollectionClausesErrors.ReportNonceMismatch.selector, claimId, uint32(5), uint32(0))
        );
    }

    function test_submitReports_unknownClaimAndFieldRangeRevert() public {
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        r.claimId = keccak256("nope");
        SignedReport[] memory batch = _one(_signed(r, 2));
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.UnknownClaim.selector, r.claimId));
        r.claimId = claimId;
        r.classification = 5;
        batch = _one(_signed(r, 2));
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(ICollectionClausesErrors.ReportFieldOutOfRange.selector, claimId, uint8(5), uint8(1))
        );
        _expectSubmitRevert(new SignedReport[](0), abi.encodeWithSelector(ICollectionClausesErrors.EmptyBatch.selector));
    }

    function test_reportDigest_isEip712TypedDataHash() public view {
        Report memory r = _report(claimId, 3, 800_000_00, 1, keccak256("n"));
        bytes32 typeHash = keccak256(
            "Report(bytes32 claimId,uint64 asOf,uint32 daysPastDue,uint128 outstanding,uint128 collateralValue,uint8 classification,uint8 riskGrade,bytes32 noticeHash,uint32 nonce)"
        );
        bytes32 structHash = keccak256(
            abi.encode(
                typeHash,
                r.claimId,
                r.asOf,
                r.daysPastDue,
                r.outstanding,
                r.collateralValue,
                r.classification,
                r.riskGrade,
                r.noticeHash,
                r.nonce
            )
        );
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Debtrail CollectionClauses"),
                keccak256("1"),
                block.chainid,
                address(clauses)
            )
        );
        assertEq(clauses.DOMAIN_SEPARATOR(), domain, "domain");
        assertEq(clauses.reportDigest(r), keccak256(abi.encodePacked("\x19\x01", domain, structHash)), "digest");
    }

    /// @dev However it is resent (same bytes, other signers, later), an applied report never applies again.
    function testFuzz_submitReports_noReportAppliesTwice(uint32 dpd, uint128 outstanding, uint256 later, bool otherSigners)
        public
    {
        dpd = uint32(bound(dpd, 0, 400));
        outstanding = uint128(bound(outstanding, 1, type(uint128).max));
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, dpd, outstanding, 0, bytes32(0));
        SignedReport[] memory batch = _one(_signed(r, 2));
        vm.prank(relayer);
        clauses.submitReports(batch);
        CaseRecord memory afterFirst = clauses.caseOf(claimId);

        vm.warp(block.timestamp + bound(later, 0, MAX_AGE - 1 hours));
        if (otherSigners) {
            batch[0].signatures[0] = _sign(r, oracleKeys[2]);
        }
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(ICollectionClausesErrors.ReportAlreadyApplied.selector, clauses.reportDigest(r))
        );
        // The same figures as a "new" report (next nonce) but not newer are refused too.
        r.nonce += 1;
        batch = _one(_signed(r, 2));
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.ReportNotNewer.selector, claimId, r.asOf, r.asOf)
        );
        CaseRecord memory afterReplays = clauses.caseOf(claimId);
        assertEq(afterReplays.nonce, afterFirst.nonce, "nonce unchanged");
        assertEq(uint256(afterReplays.state), uint256(afterFirst.state), "state unchanged");
        assertEq(afterReplays.nonce, 1, "applied once");
    }

    function testFuzz_submitReports_stalenessBound(uint256 age) public {
        age = bound(age, 0, 3 days);
        vm.warp(block.timestamp + 5 days);
        Report memory r = _report(claimId, 2, 800_000_00, 0, bytes32(0));
        r.asOf = uint64(block.timestamp - age);
        SignedReport[] memory batch = _one(_signed(r, 2));
        if (age > MAX_AGE) {
            _expectSubmitRevert(
                batch,
                abi.encodeWithSelector(ICollectionClausesErrors.StaleReport.selector, claimId, r.asOf, block.timestamp)
            );
        } else {
            vm.prank(relayer);
            clauses.submitReports(batch);
            assertEq(clauses.caseOf(claimId).lastAsOf, r.asOf, "fresh report applied");
        }
    }
}
