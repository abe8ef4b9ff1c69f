// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ClausesTestBase} from "./handlers/ClausesTestBase.sol";
import {SignedBatch} from "./handlers/ClausesFixture.sol";
import {ICollectionClausesErrors, CaseState} from "../interfaces/ICollectionClauses.sol";

/// @dev Service of documents (送达): the holder records a notice's proven delivery, and the notice period — the
/// due-process wait before the demand and before arbitration — runs from it, not from sending. Written as the
/// dishonest parties: a stranger stalling the case, a holder moving the delivery again or back-dating it.
contract NoticeDeliveryTest is ClausesTestBase {
    uint256 internal constant NOTICE = 15 days;

    function test_recordNoticeDelivery_arbitrationWaitsFromDelivery() public {
        _toDemanded(claimId);
        uint256 demandedAt = block.timestamp;
        vm.warp(demandedAt + 5 days);
        vm.expectEmit(true, true, false, true);
        emit NoticeDeliveryRecorded(claimId, uint40(demandedAt + 5 days), bank);
        vm.prank(bank);
        clauses.recordNoticeDelivery(claimId, uint40(demandedAt + 5 days));
        assertEq(clauses.caseOf(claimId).lastNoticeAt, demandedAt + 5 days, "lastNoticeAt is the delivery");
        _push(claimId, 10 days + 1, 121, 500_000_00, 100_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "15 days after sending, 10 after delivery: not yet");
        vm.warp(demandedAt + 5 days + NOTICE);
        _push(claimId, 0, 122, 500_000_00, 100_000_00, bytes32(0));
        assertEq(_state(claimId), uint256(CaseState.InArbitration), "15 days after delivery: arbitration");
    }

    function test_recordNoticeDelivery_demandWaitsFromWarningDelivery() public {
        _push(claimId, 1 hours, 2, 500_000_00, 100_000_00, keccak256("warning"));
        uint256 warnedAt = block.timestamp;
        vm.warp(warnedAt + 10 days);
        vm.prank(bank);
        clauses.recordNoticeDelivery(claimId, uint40(warnedAt + 10 days));
        vm.warp(warnedAt + 20 days);
        SignedBatch memory batch = _signed(_report(claimId, 40, 500_000_00, 0, keccak256("demand")), 2);
        _expectSubmitRevert(
            batch,
            abi.encodeWithSelector(
                ICollectionClausesErrors.NoticePeriodRunning.selector, claimId, warnedAt + 10 days, warnedAt + 10 days + NOTICE
            )
        );
        vm.warp(warnedAt + 10 days + NOTICE);
        _push(claimId, 0, 41, 500_000_00, 0, keccak256("demand"));
        assertEq(_state(claimId), uint256(CaseState.Demanded), "the demand after the warning's period from delivery");
    }

    function test_recordNoticeDelivery_revertsForAnyoneButTheHolder() public {
        _toDemanded(claimId);
        vm.warp(block.timestamp + 1 days);
        address[3] memory others = [stranger, admin, relayer];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(ICollectionClausesErrors.NotClaimHolder.selector, claimId, others[i]));
            vm.prank(others[i]);
            clauses.recordNoticeDelivery(claimId, uint40(block.timestamp));
        }
    }

    function test_recordNoticeDelivery_revertsWhenRecordedTwice() public {
        _toDemanded(claimId);
        vm.warp(block.timestamp + 2 days);
        vm.prank(bank);
        clauses.recordNoticeDelivery(claimId, uint40(block.timestamp - 1 days));
        vm.warp(block.timestamp + 10 days);
        vm.expectRevert(
            abi.encodeWithSelector(ICollectionClausesErrors.NoticeDeliveryNotRecordable.selector, claimId, uint8(CaseState.Demanded))
        );
        vm.prank(bank);
        clauses.recordNoticeDelivery(claimId, uint40(block.timestamp));
    }

    function test_recordNoticeDelivery_revertsAtOrBeforeSendingAndInTheFuture() public {
        _toDemanded(claimId);
        uint256 sentAt = block.timestamp;
        vm.warp(sentAt + 1 days);
        uint40[2] memory bad = [uint40(sentAt), uint40(sentAt + 1 days + 1)];
        for (uint256 i = 0; i < bad.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ICollectionClausesErrors.DeliveryTimeOutOfRange.selector, claimId, bad[i], sentAt, block.timestamp
                )
            );
            vm.prank(bank);
            clauses.recordNoticeDelivery(claimId, bad[i]);
        }
    }

    function test_recordNoticeDelivery_revertsWithoutANotice() public {
        vm.expectRevert(
            abi.encodeWithSelector(ICollectionClausesErrors.NoticeDeliveryNotRecordable.selector, claimId, uint8(CaseState.Performing))
        );
        vm.prank(bank);
        clauses.recordNoticeDelivery(claimId, 1);
        _push(claimId, 1 hours, 1, 500_000_00, 100_000_00, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(ICollectionClausesErrors.NoticeDeliveryNotRecordable.selector, claimId, uint8(CaseState.Overdue))
        );
        vm.prank(bank);
        clauses.recordNoticeDelivery(claimId, uint40(block.timestamp));
    }

    /// @dev Whatever delivery the holder records, arbitration never comes before noticeDays from the demand's sending
    /// (a recorded delivery only lengthens the wait), and comes once noticeDays from delivery have passed.
    function testFuzz_recordNoticeDelivery_onlyLengthensTheWait(uint256 delay, uint256 wait) public {
        _toDemanded(claimId);
        uint256 sentAt = block.timestamp;
        delay = bound(delay, 1, 30 days);
        wait = bound(wait, 1, 60 days);
        vm.warp(sentAt + delay);
        vm.prank(bank);
        clauses.recordNoticeDelivery(claimId, uint40(sentAt + delay));
        vm.warp(sentAt + wait);
        if (block.timestamp <= sentAt + delay) vm.warp(sentAt + delay + 1); // a report needs a newer asOf
        _push(claimId, 0, 200, 500_000_00, 100_000_00, bytes32(0));
        bool due = block.timestamp >= sentAt + delay + NOTICE;
        assertEq(_state(claimId), uint256(due ? CaseState.InArbitration : CaseState.Demanded), "arbitration iff 15 days after delivery");
        assertTrue(!due || block.timestamp >= sentAt + NOTICE, "never before 15 days after sending");
    }
}
