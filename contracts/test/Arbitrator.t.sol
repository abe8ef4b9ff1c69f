// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {ClaimRegistry} from "../ClaimRegistry.sol";
import {Arbitrator} from "../Arbitrator.sol";
import {Roles} from "../Roles.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IArbitrator, IArbitrable} from "../interfaces/IArbitrator.sol";
import {IRulingArbitratorErrors} from "../interfaces/IRulingArbitrator.sol";

/// @dev Records the rulings it receives.
contract RecordingArbitrable is IArbitrable {
    IArbitrator private immutable _arbitrator;
    uint256 public rulings;
    uint256 public lastDispute;
    uint256 public lastRuling;

    constructor(IArbitrator arbitrator_) {
        _arbitrator = arbitrator_;
    }

    function open(uint256 choices) external payable returns (uint256) {
        return _arbitrator.createDispute{value: msg.value}(choices, "");
    }

    function rule(uint256 disputeId, uint256 ruling) external {
        ++rulings;
        lastDispute = disputeId;
        lastRuling = ruling;
        emit Ruling(IArbitrator(msg.sender), disputeId, ruling);
    }
}

contract ArbitratorTest is Test {
    ClaimRegistry internal registry;
    Arbitrator internal arbitrator;
    RecordingArbitrable internal arbitrable;
    address internal admin = makeAddr("admin");
    address internal court = makeAddr("court");
    address internal stranger = makeAddr("stranger");
    uint256 internal constant PERIOD = 3 days;

    function setUp() public {
        vm.warp(1_700_000_000);
        registry = new ClaimRegistry(admin);
        arbitrator = new Arbitrator(IAccessControl(address(registry)), PERIOD);
        arbitrable = new RecordingArbitrable(arbitrator);
        vm.prank(admin);
        registry.grantRole(Roles.ARBITRATOR, court);
    }

    function test_createDispute_numbersFromOneAndWaits() public {
        uint256 first = arbitrable.open(3);
        uint256 second = arbitrable.open(3);
        assertEq(first, 1, "first id");
        assertEq(second, 2, "second id");
        assertEq(arbitrator.disputeCount(), 2, "count");
        assertEq(uint256(arbitrator.disputeStatus(first)), uint256(IArbitrator.DisputeStatus.Waiting), "waiting");
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.InvalidChoices.selector, 0));
        arbitrable.open(0);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.DisputeNotFound.selector, 3));
        arbitrator.currentRuling(3);
    }

    function test_giveRuling_onlyArbitratorRoleWithinChoices() public {
        uint256 id = arbitrable.open(3);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, Roles.ARBITRATOR)
        );
        arbitrator.giveRuling(id, 1);
        vm.prank(court);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.RulingOutOfRange.selector, id, 4, 3));
        arbitrator.giveRuling(id, 4);
        vm.prank(court);
        arbitrator.giveRuling(id, 2);
        vm.prank(court);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.DisputeNotWaiting.selector, id));
        arbitrator.giveRuling(id, 1);
        assertEq(arbitrator.currentRuling(id), 2, "ruling");
    }

    function test_executeRuling_onlyAfterAppealPeriodAndOnce() public {
        uint256 id = arbitrable.open(3);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.RulingNotGiven.selector, id));
        arbitrator.executeRuling(id);
        vm.prank(court);
        arbitrator.giveRuling(id, 1);
        (uint256 start, uint256 end) = arbitrator.appealPeriod(id);
        assertEq(start, block.timestamp, "period start");
        assertEq(end, block.timestamp + PERIOD, "period end");
        assertEq(uint256(arbitrator.disputeStatus(id)), uint256(IArbitrator.DisputeStatus.Appealable), "appealable");
        vm.expectRevert(
            abi.encodeWithSelector(IRulingArbitratorErrors.AppealPeriodNotOver.selector, id, end, block.timestamp)
        );
        arbitrator.executeRuling(id);
        vm.warp(end);
        assertEq(uint256(arbitrator.disputeStatus(id)), uint256(IArbitrator.DisputeStatus.Solved), "final");
        vm.prank(stranger); // anyone may execute
        arbitrator.executeRuling(id);
        assertEq(arbitrable.rulings(), 1, "rule called");
        assertEq(arbitrable.lastRuling(), 1, "ruling passed");
        assertEq(arbitrable.lastDispute(), id, "dispute passed");
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.RulingAlreadyExecuted.selector, id));
        arbitrator.executeRuling(id);
    }

    function test_appeal_disabledByDefaultThenReopensDispute() public {
        uint256 id = arbitrable.open(3);
        vm.prank(court);
        arbitrator.giveRuling(id, 1);
        assertEq(arbitrator.appealCost(id, ""), type(uint256).max, "final award by default");
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.InsufficientFee.selector, 0, type(uint256).max));
        arbitrator.appeal(id, "");
        vm.prank(admin);
        arbitrator.setFees(0, 1 ether);
        vm.deal(stranger, 1 ether);
        vm.prank(stranger);
        arbitrator.appeal{value: 1 ether}(id, "");
        assertEq(uint256(arbitrator.disputeStatus(id)), uint256(IArbitrator.DisputeStatus.Waiting), "back to waiting");
        vm.prank(court);
        arbitrator.giveRuling(id, 3);
        vm.warp(block.timestamp + PERIOD);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRulingArbitratorErrors.AppealPeriodOver.selector, id, block.timestamp, block.timestamp
            )
        );
        arbitrator.appeal{value: 0}(id, "");
        arbitrator.executeRuling(id);
        assertEq(arbitrable.lastRuling(), 3, "ruling after appeal");
        address payable treasury = payable(makeAddr("treasury"));
        vm.prank(admin);
        arbitrator.withdrawFees(treasury);
        assertEq(treasury.balance, 1 ether, "fees withdrawn");
    }

    function test_createDispute_chargesArbitrationFee() public {
        vm.prank(admin);
        arbitrator.setFees(0.5 ether, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.InsufficientFee.selector, 0, 0.5 ether));
        arbitrable.open(3);
        vm.deal(address(this), 1 ether);
        arbitrable.open{value: 0.5 ether}(3);
        assertEq(address(arbitrator).balance, 0.5 ether, "fee held");
    }

    function test_setAppealPeriod_onlyAdmin() public {
        vm.prank(court);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, court, Roles.ADMIN)
        );
        arbitrator.setAppealPeriod(0);
        vm.prank(admin);
        arbitrator.setAppealPeriod(0);
        uint256 id = arbitrable.open(3);
        vm.prank(court);
        arbitrator.giveRuling(id, 2);
        arbitrator.executeRuling(id);
        assertEq(arbitrable.lastRuling(), 2, "executed at once with period 0");
    }
}
