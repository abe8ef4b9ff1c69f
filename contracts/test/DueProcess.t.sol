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

/// @dev Due process: the notice periods in block time (warning → demand → arbitration) and the arbitration
/// conditions, on the deployment-wide minimum notice period.
contract DueProcessTest is ClausesTestBase {
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

    /// @dev Old code: warning → demand followed the reported days past due alone; a demand one second after the
    /// warning was accepted. Now it waits noticeDays of block time from the warning.
    function testFuzz_submitReports_demandWaitsForWarningNoticePeriod(uint256 wait) public {
        wait = bound(wait, 1, 40 days);
        _push(claimId, 1 hours, 30, 800_000_00, 0, keccak256("warning"));
        assertEq(_state(claimId), uint256(CaseState.Warned), "warned at 30 days past due");
        uint256 warnedAt = block.timestamp;
        vm.warp(warnedAt + wait);
        SignedBatch memory batch = _signed(_report(claimId, 31, 800_000_00, 0, keccak256("demand")), 2);
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
            _submit(batch);
            assertEq(_state(claimId), uint256(CaseState.Demanded), "demanded after the notice period");
        }
    }

    /// @dev The attack of the finding: shortest terms the registry allows, warning, demand and arbitration
    /// in one batch. Old code (noticeDays 0 accepted) did all three in one transaction.
    function test_submitReports_noDueProcessInOneTransaction() public {
        uint16 minimum = registry.minNoticeDays();
        bytes32 id = _registerClaim(50, ClauseTerms(1, 1, 1, 12_000, minimum));
        vm.warp(block.timestamp + 1 hours);
        Report[] memory reports = new Report[](3);
        bytes32[3] memory notices = [keccak256("warning"), keccak256("demand"), bytes32(0)];
        for (uint256 i = 0; i < 3; ++i) {
            Report memory r = _report(id, 400, 800_000_00, 0, notices[i]);
            r.asOf += uint64(i);
            r.nonce = uint32(i);
            reports[i] = r;
        }
        _expectSubmitRevert(
            _signed(reports, 2),
            abi.encodeWithSelector(
                ICollectionClausesErrors.NoticePeriodRunning.selector,
                id,
                block.timestamp,
                block.timestamp + uint256(minimum) * 1 days
            )
        );
        assertEq(_state(id), uint256(CaseState.Performing), "nothing applied");
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
        SignedBatch memory batch =
            _signed(_report(id, uint32(dpd), uint128(outstanding), uint128(collateral), bytes32(0)), 2);
        vm.prank(relayer);
        _submit(batch);

        bool due = dpd >= t.arbitrationDays && collateral * 10_000 < uint256(t.coverageBps) * outstanding
            && block.timestamp >= demandedAt + uint256(t.noticeDays) * 1 days;
        assertEq(_state(id), uint256(due ? CaseState.InArbitration : CaseState.Demanded), "arbitration iff due");
        assertEq(clauses.caseOf(id).disputeId != 0, due, "dispute iff due");
    }
}
