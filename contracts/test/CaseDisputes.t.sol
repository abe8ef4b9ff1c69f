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

/// @dev Disputes: final rulings executed at once, a refused ruling continuing the ladder, an unfunded fee
/// deferring one claim, the fee reserve withdrawn by ADMIN only, ERC-1497 evidence.
contract CaseDisputesTest is ClausesTestBase {
    function test_rule_onlyArbitratorAndKnownDispute() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.NotArbitrator.selector, stranger));
        clauses.rule(1, 1);
        vm.prank(address(arbitrator));
        vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.UnknownDispute.selector, 7));
        clauses.rule(7, 1);
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
        Report[] memory reports = new Report[](3);
        reports[0] = _report(other, 5, 800_000_00, 0, bytes32(0));
        reports[1] = _report(claimId, 90, 500_000_00, 100_000_00, bytes32(0));
        reports[2] = _report(third, 3, 800_000_00, 0, keccak256("warning 3"));
        SignedBatch memory batch = _signed(reports, 2);
        vm.expectEmit(true, false, false, true);
        emit ArbitrationDeferred(claimId, 1 ether, 0);
        vm.prank(relayer);
        _submit(batch);
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
}
