// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ClausesFixture} from "./handlers/ClausesFixture.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ClauseTerms} from "../interfaces/IClaimRegistry.sol";
import {Roles} from "../Roles.sol";
import {IArbitrator, IArbitrable, IEvidence} from "../interfaces/IArbitrator.sol";
import {
    ICollectionClausesErrors,
    ICollectionClausesEvents,
    Report,
    SignedReport,
    CaseState,
    CaseRecord,
    ClosureReason
} from "../interfaces/ICollectionClauses.sol";

contract CollectionClausesTest is ClausesFixture, ICollectionClausesEvents, IEvidence {
    bytes32 internal claimId;

    function setUp() public {
        _deploy();
        claimId = _registerClaim(1);
    }

    function _expectSubmitRevert(SignedReport[] memory batch, bytes memory err) internal {
        vm.prank(relayer);
        vm.expectRevert(err);
        clauses.submitReports(batch);
    }

    function test_submitReports_walksLadderIntoArbitration() public {
        _push(claimId, 1 hours, 0, 800_000_00, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Performing), "performing");
        _push(claimId, 1 days, 1, 800_000_00, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Overdue), "overdue without a notice");
        bytes32 warning = keccak256("warning");
        vm.warp(block.timestamp + 1 days);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 2, 800_000_00, 0, warning), 2));
        vm.expectEmit(true, true, false, true);
        emit CaseStateChanged(claimId, CaseState.Overdue, CaseState.Warned, warning);
        vm.prank(relayer);
        clauses.submitReports(batch);
        assertEq(clauses.caseOf(claimId).lastNoticeAt, block.timestamp, "notice time is block time");
        _push(claimId, 28 days, 30, 800_000_00, 0, keccak256("demand"));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "demanded");
        _push(claimId, 60 days, 90, 800_000_00, 100_000_00, bytes32(0));
        CaseRecord memory c = clauses.caseOf(claimId);
        assertEq(uint256(c.state), uint256(CaseState.InArbitration), "in arbitration");
        assertEq(c.disputeId, 1, "dispute id");
        assertEq(clauses.claimOfDispute(1), claimId, "dispute -> claim");
        (IArbitrable arbitrable, uint256 choices,,) = arbitrator.disputeOf(1);
        assertEq(address(arbitrable), address(clauses), "clauses is the arbitrable");
        assertEq(choices, 3, "enforce, dismiss, settle");
    }

    function test_submitReports_firstOverdueReportWithNoticeGoesToWarned() public {
        _push(claimId, 1 hours, 5, 800_000_00, 0, keccak256("warning"));
        assertEq(_state(claimId), uint256(CaseState.Warned), "overdue then warned in one report");
        // A second notice in the same step would skip the demand's own timestamp: not due before demandDays.
        vm.warp(block.timestamp + 1 days);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 6, 800_000_00, 0, keccak256("demand")), 2));
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.NoticeNotDue.selector, claimId, uint8(2), uint32(6))
        );
    }

    function test_submitReports_arbitrationWaitsForNoticeAge() public {
        _toDemanded(claimId);
        uint256 demandedAt = block.timestamp;
        _push(claimId, 14 days, 120, 500_000_00, 100_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "notice 14 days old: not yet");
        vm.warp(demandedAt + 15 days - 1);
        _push(claimId, 0, 121, 500_000_00, 100_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "one second short");
        _push(claimId, 1, 121, 500_000_00, 100_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "15 days: arbitration");
    }

    function test_submitReports_coverageAtThresholdStaysOutOfArbitration() public {
        _toDemanded(claimId);
        // 600,000 collateral / 500,000 outstanding = 12000 bps: not below the threshold.
        _push(claimId, 40 days, 200, 500_000_00, 600_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "covered");
        _push(claimId, 1 days, 201, 500_000_00, 600_000_00 - 1, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "one unit below coverage");
    }

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

    function test_submitReports_batchAppliesInOrderAllOrNothing() public {
        bytes32 other = _registerClaim(2);
        vm.warp(block.timestamp + 1 hours);
        SignedReport[] memory batch = new SignedReport[](3);
        batch[0] = _signed(_report(claimId, 1, 800_000_00, 0, bytes32(0)), 2);
        batch[1] = _signed(_report(other, 0, 800_000_00, 0, bytes32(0)), 2);
        Report memory second = _report(claimId, 2, 800_000_00, 0, keccak256("warning"));
        second.asOf += 1;
        second.nonce = 1;
        batch[2] = _signed(second, 1); // under-signed: the whole batch reverts
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.QuorumNotReached.selector, 1, 2));
        assertEq(clauses.caseOf(claimId).nonce, 0, "nothing applied");
        batch[2] = _signed(second, 3);
        vm.prank(relayer);
        clauses.submitReports(batch);
        assertEq(_state(claimId), uint256(CaseState.Warned), "two reports on one claim in one batch");
        assertEq(clauses.caseOf(claimId).nonce, 2, "nonce");
        assertEq(clauses.caseOf(other).nonce, 1, "other claim");
    }

    function test_submitReports_fullRepaymentClosesAndClosedRejectsReports() public {
        _toDemanded(claimId);
        _push(claimId, 1 days, 31, 0, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Closed), "closed");
        vm.warp(block.timestamp + 1 days);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 0, 0, 0, bytes32(0)), 2));
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.CaseAlreadyClosed.selector, claimId));
    }

    function test_submitReports_cureReturnsToPerforming() public {
        _toDemanded(claimId);
        _push(claimId, 1 days, 0, 300_000_00, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Performing), "cured");
    }

    function test_restructure_missedInstallmentResumesLadder() public {
        _toDemanded(claimId);
        bytes32 plan = keccak256("plan: 12 installments");
        vm.prank(bank); // the claim's holder
        clauses.restructure(claimId, plan, 12);
        assertEq(_state(claimId), uint256(CaseState.Restructured), "restructured");
        assertEq(clauses.caseOf(claimId).planHash, plan, "plan");
        _push(claimId, 30 days, 0, 450_000_00, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Restructured), "paying under the plan");
        _push(claimId, 31 days, 3, 440_000_00, 0, keccak256("warning 2"));
        assertEq(_state(claimId), uint256(CaseState.Warned), "missed installment: overdue then warned");
    }

    function test_restructure_rejectsStrangerAndPerformingCase() public {
        _push(claimId, 1 hours, 5, 800_000_00, 0, bytes32(0));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.NotClaimHolder.selector, claimId, stranger));
        clauses.restructure(claimId, keccak256("plan"), 6);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.EmptyPlan.selector, claimId));
        clauses.restructure(claimId, bytes32(0), 6);
        bytes32 fresh = _registerClaim(3);
        vm.prank(bank);
        vm.expectRevert(
            abi.encodeWithSelector(ICollectionClausesErrors.TransitionNotAllowed.selector, fresh, uint8(0), uint8(7))
        );
        clauses.restructure(fresh, keccak256("plan"), 6);
        vm.prank(admin);
        clauses.restructure(claimId, keccak256("plan"), 6);
        assertEq(_state(claimId), uint256(CaseState.Restructured), "admin may restructure");
    }

    function test_rule_onlyArbitratorAndKnownDispute() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.NotArbitrator.selector, stranger));
        clauses.rule(1, 1);
        vm.prank(address(arbitrator));
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.UnknownDispute.selector, 7));
        clauses.rule(7, 1);
    }

    function _toArbitration() internal returns (uint256 disputeId) {
        _toDemanded(claimId);
        _push(claimId, 60 days, 90, 500_000_00, 100_000_00, bytes32(0));
        disputeId = clauses.caseOf(claimId).disputeId;
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "in arbitration");
    }

    /// @dev The award is executed in the transaction that gives it.
    function _rule(uint256 disputeId, uint256 ruling) internal {
        vm.prank(court);
        arbitrator.giveRuling(disputeId, ruling);
    }

    function test_rule_enforceOrdersAuctionThenRepaymentCloses() public {
        uint256 disputeId = _toArbitration();
        // Reports during arbitration are recorded but do not move the case.
        _push(claimId, 1 days, 91, 0, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "arbitration holds");
        vm.expectEmit(true, true, false, true);
        emit EnforcementOrdered(claimId, disputeId);
        _rule(disputeId, 1);
        assertEq(_state(claimId), uint256(CaseState.Ruled), "ruled");
        _push(claimId, 30 days, 130, 100_000_00, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Ruled), "auction under way");
        _push(claimId, 30 days, 160, 0, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Closed), "repaid from the auction");
    }

    function test_rule_dismissAndSettleClose() public {
        uint256 disputeId = _toArbitration();
        vm.expectEmit(true, false, false, true);
        emit CaseClosed(claimId, ClosureReason.Dismissed);
        _rule(disputeId, 2);
        assertEq(_state(claimId), uint256(CaseState.Closed), "dismissed");

        claimId = _registerClaim(9);
        disputeId = _toArbitration();
        _rule(disputeId, 3);
        assertEq(_state(claimId), uint256(CaseState.Closed), "settled");
    }

    /// @dev Old code: a refused ruling (0) left the case Ruled for good, the ladder stuck. Now it goes back to
    /// Demanded, the dispute cleared, and arbitration may start again once the notice period ran from the refusal.
    function test_rule_refusedReturnsToDemandedAndLadderContinues() public {
        uint256 disputeId = _toArbitration();
        vm.expectEmit(true, true, true, true);
        emit CaseStateChanged(claimId, CaseState.InArbitration, CaseState.Demanded, bytes32(0));
        _rule(disputeId, 0);
        CaseRecord memory c = clauses.caseOf(claimId);
        assertEq(uint256(c.state), uint256(CaseState.Demanded), "demanded again");
        assertEq(c.disputeId, 0, "dispute cleared");
        assertEq(clauses.claimOfDispute(disputeId), claimId, "the refused dispute stays on record");
        uint256 refusedAt = block.timestamp;
        // The demand is long past its notice period, but the refusal restarts it: not at once.
        _push(claimId, 1 days, 150, 500_000_00, 100_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "not straight back into arbitration");
        vm.warp(refusedAt + 15 days);
        _push(claimId, 0, 170, 500_000_00, 100_000_00, bytes32(0));
        c = clauses.caseOf(claimId);
        assertEq(uint256(c.state), uint256(CaseState.InArbitration), "a new arbitration");
        assertEq(c.disputeId, disputeId + 1, "a new dispute");
        // The refused dispute's id never rules on the new arbitration.
        vm.prank(address(arbitrator));
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.UnknownDispute.selector, disputeId));
        clauses.rule(disputeId, 1);
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "still in the new arbitration");
    }

    /// @dev Old code: an unfunded fee reverted the whole batch (ArbitrationFeeUnfunded), so one claim due for
    /// arbitration held back every other claim's report.
    function test_submitReports_unfundedFeeDefersOnlyThatClaim() public {
        bytes32 other = _registerClaim(2);
        bytes32 third = _registerClaim(3);
        _toDemanded(claimId);
        vm.prank(admin);
        arbitrator.setArbitrationFee(1 ether);
        vm.warp(block.timestamp + 60 days);
        SignedReport[] memory batch = new SignedReport[](3);
        batch[0] = _signed(_report(other, 5, 800_000_00, 0, bytes32(0)), 2);
        batch[1] = _signed(_report(claimId, 90, 500_000_00, 100_000_00, bytes32(0)), 2);
        batch[2] = _signed(_report(third, 3, 800_000_00, 0, keccak256("warning 3")), 2);
        vm.expectEmit(true, false, false, true);
        emit ArbitrationDeferred(claimId, 1 ether, 0);
        vm.prank(relayer);
        clauses.submitReports(batch);
        assertEq(_state(claimId), uint256(CaseState.Demanded), "deferred: still demanded");
        assertEq(clauses.caseOf(claimId).disputeId, 0, "no dispute");
        assertEq(clauses.caseOf(claimId).nonce, 4, "its report applied");
        assertEq(_state(other), uint256(CaseState.Overdue), "other report applied");
        assertEq(_state(third), uint256(CaseState.Warned), "third report applied");
        // Funded, the next report starts arbitration and pays the fee.
        vm.deal(address(clauses), 1.5 ether);
        _push(claimId, 1 days, 91, 500_000_00, 100_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "in arbitration once funded");
        assertEq(address(arbitrator).balance, 1 ether, "fee paid");
        assertEq(address(clauses).balance, 0.5 ether, "rest kept");
    }

    /// @dev Old code had no way out for ETH sent to the contract. Only ADMIN withdraws.
    function testFuzz_withdraw_onlyAdmin(address caller, uint96 amount) public {
        vm.assume(caller != admin);
        vm.deal(address(clauses), 2 ether);
        address payable treasury = payable(makeAddr("treasury"));
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, Roles.ADMIN)
        );
        clauses.withdraw(treasury, 1);
        assertEq(address(clauses).balance, 2 ether, "nothing left");
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.InsufficientBalance.selector, 3 ether, 2 ether));
        clauses.withdraw(treasury, 3 ether);
        uint256 take = bound(amount, 0, 2 ether);
        vm.expectEmit(true, true, false, true);
        emit FundsWithdrawn(treasury, take, admin);
        vm.prank(admin);
        clauses.withdraw(treasury, take);
        assertEq(treasury.balance, take, "sent");
        assertEq(address(clauses).balance, 2 ether - take, "kept");
    }

    /// @dev Old code: warning → demand followed the reported days past due alone; a demand one second after the
    /// warning was accepted. Now it waits noticeDays of block time from the warning.
    function testFuzz_submitReports_demandWaitsForWarningNoticePeriod(uint256 wait) public {
        wait = bound(wait, 1, 40 days);
        _push(claimId, 1 hours, 30, 800_000_00, 0, keccak256("warning"));
        assertEq(_state(claimId), uint256(CaseState.Warned), "warned at 30 days past due");
        uint256 warnedAt = block.timestamp;
        vm.warp(warnedAt + wait);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 31, 800_000_00, 0, keccak256("demand")), 2));
        if (wait < 15 days) {
            _expectSubmitRevert(
                batch,
                abi.encodeWithSelector(
                    ICollectionClausesErrors.NoticePeriodRunning.selector, claimId, warnedAt, warnedAt + 15 days
                )
            );
            assertEq(_state(claimId), uint256(CaseState.Warned), "still warned");
        } else {
            vm.prank(relayer);
            clauses.submitReports(batch);
            assertEq(_state(claimId), uint256(CaseState.Demanded), "demanded after the notice period");
        }
    }

    /// @dev The attack of the finding: shortest terms the registry allows, warning, demand and arbitration
    /// in one batch. Old code (noticeDays 0 accepted) did all three in one transaction.
    function test_submitReports_noDueProcessInOneTransaction() public {
        uint16 minimum = registry.minNoticeDays();
        bytes32 id = _registerClaim(50, ClauseTerms(1, 1, 1, 12_000, minimum));
        vm.warp(block.timestamp + 1 hours);
        SignedReport[] memory batch = new SignedReport[](3);
        bytes32[3] memory notices = [keccak256("warning"), keccak256("demand"), bytes32(0)];
        for (uint256 i = 0; i < 3; ++i) {
            Report memory r = _report(id, 400, 800_000_00, 0, notices[i]);
            r.asOf += uint64(i);
            r.nonce = uint32(i);
            batch[i] = _signed(r, 2);
        }
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(
                ICollectionClausesErrors.NoticePeriodRunning.selector,
                id,
                block.timestamp,
                block.timestamp + uint256(minimum) * 1 days
            )
        );
        assertEq(_state(id), uint256(CaseState.Performing), "nothing applied");
    }

    function test_submitEvidence_holderOrRecorder() public {
        vm.expectEmit(true, true, true, true);
        emit Evidence(IArbitrator(address(arbitrator)), uint256(claimId), bank, "ipfs://bundle-1");
        vm.prank(bank);
        clauses.submitEvidence(claimId, "ipfs://bundle-1");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.NotClaimHolder.selector, claimId, stranger));
        clauses.submitEvidence(claimId, "ipfs://forged");
        vm.prank(admin);
        registry.grantRole(Roles.RECORDER, stranger);
        vm.prank(stranger);
        clauses.submitEvidence(claimId, "ipfs://bundle-2");
    }

    function test_setQuorum_onlyAdminAndPositive() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, Roles.ADMIN)
        );
        clauses.setQuorum(1);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.InvalidQuorum.selector, 0));
        clauses.setQuorum(0);
        vm.prank(admin);
        clauses.setQuorum(3);
        vm.warp(block.timestamp + 1 hours);
        SignedReport[] memory batch = _one(_signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2));
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.QuorumNotReached.selector, 2, 3));
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.InvalidMaxReportAge.selector, 31 days));
        clauses.setMaxReportAge(31 days);
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

    /// @dev Random clause terms, debt figures and notice age; values near each threshold are drawn on purpose.
    function testFuzz_submitReports_arbitrationStartsOnlyWithAllConditions(
        uint256 warn,
        uint256 demandGap,
        uint256 arbitrationGap,
        uint256 coverageBps,
        uint256 noticeDays,
        uint256 dpd,
        uint256 outstanding,
        uint256 collateral,
        uint256 wait,
        bool nearThresholds
    ) public {
        ClauseTerms memory t;
        t.warnDays = uint16(bound(warn, 1, 60));
        t.demandDays = uint16(t.warnDays + bound(demandGap, 0, 60));
        t.arbitrationDays = uint16(t.demandDays + bound(arbitrationGap, 0, 200));
        t.coverageBps = uint16(bound(coverageBps, 1, 30_000));
        t.noticeDays = uint16(bound(noticeDays, registry.minNoticeDays(), 60));
        bytes32 id = _registerClaim(100, t);
        _push(id, 1 hours, t.warnDays, 1_000, 0, keccak256("warning"));
        _push(id, uint256(t.noticeDays) * 1 days, t.demandDays, 1_000, 0, keccak256("demand"));
        assertEq(_state(id), uint256(CaseState.Demanded), "demanded");
        uint256 demandedAt = block.timestamp;

        outstanding = bound(outstanding, 1, 1e24);
        if (nearThresholds) {
            // Within ±1 of each boundary: days, coverage, notice age.
            dpd = uint256(t.arbitrationDays) + (dpd % 3) - 1;
            if (dpd == 0) dpd = 1; // 0 days past due would cure the case instead
            uint256 edge = outstanding * t.coverageBps / 10_000;
            collateral = edge + (collateral % 3) - (edge == 0 ? 0 : 1);
            wait = uint256(t.noticeDays) * 1 days + (wait % 3) - 1;
        } else {
            dpd = bound(dpd, 1, 1_000);
            collateral = bound(collateral, 0, 2e24);
            wait = bound(wait, 0, 120 days);
        }
        vm.warp(demandedAt + wait);
        vm.warp(block.timestamp + 1); // a report needs a newer asOf than the demand's
        SignedReport[] memory batch =
            _one(_signed(_report(id, uint32(dpd), uint128(outstanding), uint128(collateral), bytes32(0)), 2));
        vm.prank(relayer);
        clauses.submitReports(batch);

        bool due = dpd >= t.arbitrationDays && collateral * 10_000 < uint256(t.coverageBps) * outstanding
            && block.timestamp >= demandedAt + uint256(t.noticeDays) * 1 days;
        assertEq(_state(id), uint256(due ? CaseState.InArbitration : CaseState.Demanded), "arbitration iff due");
        assertEq(clauses.caseOf(id).disputeId != 0, due, "dispute iff due");
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
