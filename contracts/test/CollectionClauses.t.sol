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

/// @dev The ladder from reports, batches, repayment and cure, restructuring, administration.
contract CollectionClausesTest is ClausesTestBase {
    function test_submitReports_walksLadderIntoArbitration() public {
        _push(claimId, 1 hours, 0, 800_000_00, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Performing), "performing");
        _push(claimId, 1 days, 1, 800_000_00, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Overdue), "overdue without a notice");
        bytes32 warning = keccak256("warning");
        vm.warp(block.timestamp + 1 days);
        SignedBatch memory batch = _signed(_report(claimId, 2, 800_000_00, 0, warning), 2);
        vm.expectEmit(true, true, false, true);
        emit CaseStateChanged(claimId, CaseState.Overdue, CaseState.Warned, warning);
        vm.prank(relayer);
        _submit(batch);
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
        SignedBatch memory batch = _signed(_report(claimId, 6, 800_000_00, 0, keccak256("demand")), 2);
        _expectSubmitRevert(
            batch, abi.encodeWithSelector(ICollectionClausesErrors.NoticeNotDue.selector, claimId, uint8(2), uint32(6))
        );
    }

    function test_submitReports_batchAppliesInOrderAllOrNothing() public {
        bytes32 other = _registerClaim(2);
        vm.warp(block.timestamp + 1 hours);
        Report[] memory reports = new Report[](3);
        reports[0] = _report(claimId, 1, 800_000_00, 0, bytes32(0));
        reports[1] = _report(other, 0, 800_000_00, 0, bytes32(0));
        reports[2] = _report(claimId, 2, 800_000_00, 0, keccak256("warning"));
        reports[2].asOf += 1;
        reports[2].nonce = 1;
        SignedBatch memory batch = _signed(reports, 2);
        // A signature set covers the whole batch: one report taken out or added voids every signature.
        Report[] memory two = new Report[](2);
        (two[0], two[1]) = (reports[0], reports[2]);
        _expectSubmitRevert(
            SignedBatch(two, batch.signatures),
            abi.encodeWithSelector(
                ICollectionClausesErrors.SignerNotOracle.selector,
                _recover(clauses.batchDigest(abi.encode(two)), batch.signatures[0])
            )
        );
        reports[2].nonce = 2; // out of order: the whole batch reverts
        _expectSubmitRevert(
            _signed(reports, 2),
            abi.encodeWithSelector(ICollectionClausesErrors.ReportNonceMismatch.selector, claimId, uint32(2), uint32(1))
        );
        assertEq(clauses.caseOf(claimId).nonce, 0, "nothing applied");
        reports[2].nonce = 1;
        vm.prank(relayer);
        _submit(batch);
        assertEq(_state(claimId), uint256(CaseState.Warned), "two reports on one claim in one batch");
        assertEq(clauses.caseOf(claimId).nonce, 2, "nonce");
        assertEq(clauses.caseOf(other).nonce, 1, "other claim");
    }

    function test_submitReports_fullRepaymentClosesAndClosedRejectsReports() public {
        _toDemanded(claimId);
        _push(claimId, 1 days, 31, 0, 0, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Closed), "closed");
        vm.warp(block.timestamp + 1 days);
        SignedBatch memory batch = _signed(_report(claimId, 0, 0, 0, bytes32(0)), 2);
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
        SignedBatch memory batch = _signed(_report(claimId, 3, 800_000_00, 0, bytes32(0)), 2);
        _expectSubmitRevert(batch, abi.encodeWithSelector(ICollectionClausesErrors.QuorumNotReached.selector, 2, 3));
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.InvalidMaxReportAge.selector, 31 days));
        clauses.setMaxReportAge(31 days);
    }
}
