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

    function setUp() public {
        vm.warp(1_700_000_000);
        registry = new ClaimRegistry(admin, 7);
        arbitrator = new Arbitrator(IAccessControl(address(registry)));
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

    /// @dev The award is final and executed in the transaction that gives it: no appeal period, no second step.
    function testFuzz_giveRuling_executesAtOnceAndIsFinal(uint256 ruling) public {
        ruling = bound(ruling, 0, 3);
        uint256 id = arbitrable.open(3);
        vm.prank(court);
        arbitrator.giveRuling(id, ruling);
        assertEq(arbitrable.rulings(), 1, "rule called at once");
        assertEq(arbitrable.lastRuling(), ruling, "ruling passed");
        assertEq(arbitrable.lastDispute(), id, "dispute passed");
        assertEq(uint256(arbitrator.disputeStatus(id)), uint256(IArbitrator.DisputeStatus.Solved), "solved");
        (,,, bool executed) = arbitrator.disputeOf(id);
        assertTrue(executed, "executed");
        assertEq(arbitrator.ruledAt(id), block.timestamp, "ruled at");
        (uint256 start, uint256 end) = arbitrator.appealPeriod(id);
        assertEq(start, 0, "no appeal period start");
        assertEq(end, 0, "no appeal period end");
        // A second ruling is refused: the award stands.
        vm.prank(court);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.DisputeNotWaiting.selector, id));
        arbitrator.giveRuling(id, (ruling + 1) % 4);
    }

    /// @dev Old code: `appeal` reopened a ruled dispute once ADMIN set a payable appeal fee. 仲裁法第9条: no appeal.
    function testFuzz_appeal_alwaysRevertsAwardIsFinal(uint256 fee, bool ruled) public {
        uint256 id = arbitrable.open(3);
        if (ruled) {
            vm.prank(court);
            arbitrator.giveRuling(id, 1);
        }
        assertEq(arbitrator.appealCost(id, ""), type(uint256).max, "appeal never affordable");
        fee = bound(fee, 0, 100 ether);
        vm.deal(stranger, fee);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.AwardIsFinal.selector, id));
        arbitrator.appeal{value: fee}(id, "");
        assertEq(uint256(arbitrator.disputeStatus(id)), uint256(ruled ? 2 : 0), "status unchanged");
        assertEq(arbitrable.rulings(), ruled ? 1 : 0, "no second ruling");
    }

    function test_createDispute_chargesArbitrationFee() public {
        vm.prank(admin);
        arbitrator.setArbitrationFee(0.5 ether);
        vm.expectRevert(abi.encodeWithSelector(IRulingArbitratorErrors.InsufficientFee.selector, 0, 0.5 ether));
        arbitrable.open(3);
        vm.deal(address(this), 1 ether);
        arbitrable.open{value: 0.5 ether}(3);
        assertEq(address(arbitrator).balance, 0.5 ether, "fee held");
        address payable treasury = payable(makeAddr("treasury"));
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, Roles.ADMIN)
        );
        arbitrator.withdrawFees(treasury);
        vm.prank(admin);
        arbitrator.withdrawFees(treasury);
        assertEq(treasury.balance, 0.5 ether, "fees withdrawn");
    }

    function test_setArbitrationFee_onlyAdmin() public {
        vm.prank(court);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, court, Roles.ADMIN)
        );
        arbitrator.setArbitrationFee(1);
        assertEq(arbitrator.arbitrationCost(""), 0, "unchanged");
    }
}
