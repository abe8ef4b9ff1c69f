// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ClausesTestBase} from "./handlers/ClausesTestBase.sol";
import {SignedBatch} from "./handlers/ClausesFixture.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ClauseTerms} from "../interfaces/IClaimRegistry.sol";
import {Roles} from "../Roles.sol";
import {IArbitrator, IArbitrable} from "../interfaces/IArbitrator.sol";
import {
    ICollectionClausesErrors, Report, CaseState, CaseRecord, ClosureReason
} from "../interfaces/ICollectionClauses.sol";

/// @dev Signed batches: quorum, signers, replay, freshness, order, the EIP-712 digest.
contract SignedReportsTest is ClausesTestBase {
    function test_submitReports_replayReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedBatch memory batch = _signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2);
        vm.prank(relayer);
        _submit(batch);
        bytes32 digest = clauses.batchDigest(abi.encode(batch.reports));
        assertTrue(clauses.isBatchApplied(digest), "applied");
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.BatchAlreadyApplied.selector, digest));
        // Other signatures over the same batch are the same batch.
        batch = _signed(batch.reports, 3);
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.BatchAlreadyApplied.selector, digest));
        // The report in another batch (with a report of another claim) is refused: not newer than itself.
        Report[] memory two = new Report[](2);
        two[0] = _report(_registerClaim(2), 1, 800_000_00, 0, bytes32(0));
        two[1] = batch.reports[0];
        uint64 asOf = two[1].asOf;
        _expectSubmitRevert(
            _signed(two, 2),
            abi.encodeWithSelector(ICollectionClausesErrors.ReportNotNewer.selector, claimId, asOf, asOf)
        );
    }

    function test_submitReports_notNewerReverts() public {
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        vm.prank(relayer);
        _submit(_signed(r, 2));
        r.daysPastDue = 4;
        r.nonce += 1;
        SignedBatch memory batch = _signed(r, 2);
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.ReportNotNewer.selector, claimId, r.asOf, r.asOf)
        );
    }

    function test_submitReports_staleAndFutureRevert() public {
        vm.warp(block.timestamp + 10 days);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        r.asOf = uint64(block.timestamp - MAX_AGE - 1);
        SignedBatch memory batch = _signed(r, 2);
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.StaleReport.selector, claimId, r.asOf, block.timestamp)
        );
        r.asOf = uint64(block.timestamp + clauses.MAX_FUTURE_SKEW() + 1);
        batch = _signed(r, 2);
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(ICollectionClausesErrors.ReportFromFuture.selector, claimId, r.asOf, block.timestamp)
        );
        r.asOf = uint64(block.timestamp - MAX_AGE);
        vm.prank(relayer);
        _submit(_signed(r, 2));
        assertEq(clauses.caseOf(claimId).lastAsOf, r.asOf, "exactly at the bound is fresh");
    }

    function test_submitReports_underSignedReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedBatch memory batch = _signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 1);
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.QuorumNotReached.selector, 1, 2));
    }

    function test_submitReports_duplicateSignerReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedBatch memory batch = _signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2);
        batch.signatures[1] = batch.signatures[0];
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.DuplicateSigner.selector, vm.addr(oracleKeys[0]))
        );
    }

    function test_submitReports_nonOracleSignerReverts() public {
        vm.warp(block.timestamp + 1 hours);
        SignedBatch memory batch = _signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2);
        batch.signatures[1] = _sign(batch.reports, OUTSIDER_KEY);
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.SignerNotOracle.selector, vm.addr(OUTSIDER_KEY))
        );
        // A revoked oracle no longer counts.
        address revoked = vm.addr(oracleKeys[1]);
        vm.prank(admin);
        registry.revokeRole(Roles.ORACLE, revoked);
        batch = _signed(batch.reports, 2);
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.SignerNotOracle.selector, revoked));
    }

    function test_submitReports_nonceMismatchReverts() public {
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        r.nonce = 5;
        SignedBatch memory batch = _signed(r, 2);
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(ICollectionClausesErrors.ReportNonceMismatch.selector, claimId, uint32(5), uint32(0))
        );
    }

    function test_submitReports_unknownClaimAndFieldRangeRevert() public {
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, 3, 800_000_00, 0, bytes32(0));
        r.claimId = keccak256("nope");
        SignedBatch memory batch = _signed(r, 2);
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.UnknownClaim.selector, r.claimId));
        r.claimId = claimId;
        r.classification = 5;
        batch = _signed(r, 2);
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(ICollectionClausesErrors.ReportFieldOutOfRange.selector, claimId, uint8(5), uint8(1))
        );
        _expectSubmitRevert(
            SignedBatch(new Report[](0), new bytes[](0)),
            abi.encodeWithSelector(ICollectionClausesErrors.EmptyBatch.selector)
        );
    }

    function test_batchDigest_isEip712TypedDataHash() public {
        Report[] memory reports = new Report[](2);
        reports[0] = _report(claimId, 3, 800_000_00, 1, keccak256("n"));
        reports[1] = _report(_registerClaim(2), 0, 1, 0, bytes32(0));
        bytes memory encoded = abi.encode(reports);
        bytes32 batchHash = keccak256(abi.encode(keccak256("ReportBatch(bytes reports)"), keccak256(encoded)));
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
        assertEq(clauses.batchDigest(encoded), keccak256(abi.encodePacked("\x19\x01", domain, batchHash)), "digest");
        // Another order is another batch.
        (reports[0], reports[1]) = (reports[1], reports[0]);
        assertTrue(clauses.batchDigest(abi.encode(reports)) != clauses.batchDigest(encoded), "order is signed");
    }

    function test_submitReports_undecodableOrEmptyReverts() public {
        bytes memory garbage = hex"00";
        bytes[] memory signatures = new bytes[](2);
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(oracleKeys[0], clauses.batchDigest(garbage));
        signatures[0] = abi.encodePacked(rr, s, v);
        (v, rr, s) = vm.sign(oracleKeys[1], clauses.batchDigest(garbage));
        signatures[1] = abi.encodePacked(rr, s, v);
        vm.prank(relayer);
        vm.expectRevert();
        clauses.submitReports(garbage, signatures);
    }

    /// @dev However it is resent (same bytes, other signers, later), an applied report never applies again.
    function testFuzz_submitReports_noReportAppliesTwice(uint32 dpd, uint128 outstanding, uint256 later, bool otherSigners)
        public
    {
        dpd = uint32(bound(dpd, 0, 400));
        outstanding = uint128(bound(outstanding, 1, type(uint128).max));
        vm.warp(block.timestamp + 1 hours);
        Report memory r = _report(claimId, dpd, outstanding, 0, bytes32(0));
        SignedBatch memory batch = _signed(r, 2);
        vm.prank(relayer);
        _submit(batch);
        CaseRecord memory afterFirst = clauses.caseOf(claimId);

        vm.warp(block.timestamp + bound(later, 0, MAX_AGE - 1 hours));
        if (otherSigners) {
            batch.signatures[0] = _sign(batch.reports, oracleKeys[2]);
        }
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(
                ICollectionClausesErrors.BatchAlreadyApplied.selector, clauses.batchDigest(abi.encode(batch.reports))
            )
        );
        // The same figures as a "new" report (next nonce) but not newer are refused too.
        r.nonce += 1;
        batch = _signed(r, 2);
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
        SignedBatch memory batch = _signed(r, 2);
        if (age > MAX_AGE) {
            _expectSubmitRevert(
                batch,
                abi.encodeWithSelector(ICollectionClausesErrors.StaleReport.selector, claimId, r.asOf, block.timestamp)
            );
        } else {
            vm.prank(relayer);
            _submit(batch);
            assertEq(clauses.caseOf(claimId).lastAsOf, r.asOf, "fresh report applied");
        }
    }
}
