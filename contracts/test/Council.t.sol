// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CouncilFixture} from "./handlers/CouncilFixture.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Council} from "../Council.sol";
import {Roles} from "../Roles.sol";
import {ICouncilErrors} from "../interfaces/ICouncil.sol";

/// @dev No single administrator, written as the dishonest organisation: one member alone cannot grant a role,
/// change the quorum or lift a resale restriction, by any path; k members can, only after the delay.
contract CouncilTest is CouncilFixture {
    function setUp() public {
        _deploy();
    }

    function test_grantRole_oneMemberAloneCannot() public {
        bytes memory grant = abi.encodeCall(IAccessControl.grantRole, (Roles.ORACLE, bank));
        // Directly: the bank holds no ADMIN, nor does the deployer after the handover.
        vm.prank(bank);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bank, Roles.ADMIN)
        );
        registry.grantRole(Roles.ORACLE, bank);
        assertFalse(registry.hasRole(Roles.ADMIN, deployer), "the deployer kept nothing");
        // Through the council: its own approval is one of three.
        bytes32 id = _propose(bank, address(registry), grant, "grant", new address[](0));
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.AlreadyApproved.selector, id, bank));
        council.approve(id);
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.ApprovalsBelowThreshold.selector, id, 1, K));
        _schedule(address(registry), grant, "grant");
        // Around the council: the timelock takes proposals from the council only, and runs only scheduled ones.
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(address(registry), grant);
        bytes32 proposer = timelock.PROPOSER_ROLE();
        vm.prank(bank);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bank, proposer)
        );
        timelock.scheduleBatch(targets, values, payloads, bytes32(0), "grant", 0);
        vm.expectRevert();
        _execute(address(registry), grant, "grant");
        // A stranger's approval counts for nothing.
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.NotCouncilMember.selector, stranger));
        council.approve(id);
        assertFalse(registry.hasRole(Roles.ORACLE, bank), "no role granted");
    }

    function test_setQuorum_kMembersOnlyAfterTheDelay() public {
        bytes memory change = abi.encodeCall(clauses.setQuorum, (1));
        _propose(bank, address(clauses), change, "q", _two(amcA, court));
        _schedule(address(clauses), change, "q");
        vm.expectRevert();
        _execute(address(clauses), change, "q");
        vm.warp(block.timestamp + DELAY - 1);
        vm.expectRevert();
        _execute(address(clauses), change, "q");
        vm.warp(block.timestamp + 1);
        _execute(address(clauses), change, "q");
        assertEq(clauses.quorum(), 1, "quorum changed by 3 of 4 after the delay");
        // Run once: the same operation never runs again.
        vm.expectRevert();
        _execute(address(clauses), change, "q");
    }

    function test_liftResaleRestriction_evenTheHolderAloneCannot() public {
        assertTrue(registry.isResaleRestricted(restricted), "restricted after the sale");
        bytes memory lift = abi.encodeCall(registry.liftResaleRestriction, (restricted));
        vm.prank(amcA);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, amcA, Roles.ADMIN)
        );
        registry.liftResaleRestriction(restricted);
        // The holder and its buyer-to-be together are two of three.
        bytes32 id = _propose(amcA, address(registry), lift, "lift", new address[](0));
        vm.prank(amcB);
        council.approve(id);
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.ApprovalsBelowThreshold.selector, id, 2, K));
        _schedule(address(registry), lift, "lift");
        vm.prank(court);
        council.approve(id);
        _schedule(address(registry), lift, "lift");
        vm.warp(block.timestamp + DELAY);
        _execute(address(registry), lift, "lift");
        assertFalse(registry.isResaleRestricted(restricted), "lifted by the council");
    }

    function test_revoke_anApprovalWithdrawnBeforeSchedulingFallsShort() public {
        bytes memory change = abi.encodeCall(clauses.setMaxReportAge, (2 days));
        bytes32 id = _propose(bank, address(clauses), change, "age", _two(amcA, court));
        vm.prank(court);
        council.revoke(id);
        assertEq(council.approvals(id), 2, "two left");
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.ApprovalsBelowThreshold.selector, id, 2, K));
        _schedule(address(clauses), change, "age");
    }

    function test_cancel_kMembersStopAScheduledOperationForGood() public {
        bytes memory grant = abi.encodeCall(IAccessControl.grantRole, (Roles.HOLDER, stranger));
        bytes32 id = _propose(bank, address(registry), grant, "g", _two(amcA, amcB));
        _schedule(address(registry), grant, "g");
        // The court alone cannot cancel what three approved; three can.
        vm.prank(court);
        bytes32 cancelId = council.proposeCancel(id);
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.ApprovalsBelowThreshold.selector, cancelId, 1, K));
        council.cancel(id);
        vm.prank(amcB);
        council.approve(cancelId);
        vm.prank(bank);
        council.approve(cancelId);
        council.cancel(id);
        vm.warp(block.timestamp + DELAY);
        vm.expectRevert();
        _execute(address(registry), grant, "g");
        // Its approvals never schedule it again.
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.ProposalIsCancelled.selector, id));
        _schedule(address(registry), grant, "g");
        assertFalse(registry.hasRole(Roles.HOLDER, stranger), "never granted");
    }

    function test_reconfigure_onlyThroughTheCouncilAndRemovedApprovalsDoNotCount() public {
        address[] memory three = new address[](3);
        (three[0], three[1], three[2]) = (bank, amcA, court);
        vm.prank(bank);
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.NotTimelock.selector, bank));
        council.reconfigure(three, 1);
        // A pending proposal approved by amcB, which the council then removes.
        bytes memory change = abi.encodeCall(clauses.setQuorum, (3));
        bytes32 pending = _propose(amcB, address(clauses), change, "p", _two(bank, amcA));
        bytes memory reconfigure = abi.encodeCall(Council.reconfigure, (three, 2));
        _propose(bank, address(council), reconfigure, "r", _two(amcA, court));
        _schedule(address(council), reconfigure, "r");
        vm.warp(block.timestamp + DELAY);
        _execute(address(council), reconfigure, "r");
        assertEq(council.threshold(), 2, "k");
        assertFalse(council.isMember(amcB), "removed");
        assertEq(council.approvals(pending), 2, "amcB's approval no longer counts");
        // k may not fall to one organisation while several are members.
        vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.InvalidThreshold.selector, 1, 3));
        new Council(three, 1, DELAY);
    }

    /// @dev Any set of members approving: scheduling succeeds exactly when at least k distinct members did.
    function testFuzz_schedule_iffKDistinctMembersApproved(uint8 mask, bytes32 salt) public {
        bytes memory change = abi.encodeCall(clauses.setQuorum, (3));
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(address(clauses), change);
        vm.prank(court);
        bytes32 id = council.propose(targets, values, payloads, salt);
        uint256 count = 1;
        for (uint256 i = 0; i < 3; ++i) {
            if (mask & (1 << i) == 0) continue;
            vm.prank(orgs[i]);
            council.approve(id);
            ++count;
        }
        if (mask & 8 != 0) {
            vm.prank(stranger);
            vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.NotCouncilMember.selector, stranger));
            council.approve(id);
        }
        assertEq(council.approvals(id), count, "approvals counted once per member");
        if (count < K) {
            vm.expectRevert(abi.encodeWithSelector(ICouncilErrors.ApprovalsBelowThreshold.selector, id, count, K));
            council.schedule(targets, values, payloads, salt);
            return;
        }
        council.schedule(targets, values, payloads, salt);
        assertTrue(timelock.isOperationPending(id), "scheduled");
        assertEq(timelock.getTimestamp(id), block.timestamp + DELAY, "runs after the delay");
    }
}
