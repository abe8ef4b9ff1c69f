// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, Vm} from "../utils/Test.sol";
import {CollectionClauses} from "../../CollectionClauses.sol";
import {Arbitrator} from "../../Arbitrator.sol";
import {ICollectionClausesEvents, Report, CaseState} from "../../interfaces/ICollectionClauses.sol";
import {SignedBatch} from "./ClausesFixture.sol";

/// @dev Drives CollectionClauses with random signed reports, restructurings, rulings (final, executed at once),
/// replays and arbitration fees (funded or not), and checks every event it observes against its own model (not
/// the contract's): each CaseStateChanged must continue from the last observed state along an allowed edge; a
/// demand only noticeDays after the warning (block time); InArbitration only with its conditions, and when they
/// hold either arbitration or ArbitrationDeferred (only with the fee unfunded); no (claimId, asOf) or (claimId, nonce)
/// applied twice; a replayed batch never succeeds. Claims use the default terms (notice 15 days).
contract ClausesHandler is Test {
    uint256 private constant ARBITRATION_DAYS = 90;
    uint256 private constant COVERAGE_BPS = 12_000;
    uint256 private constant NOTICE_DAYS = 15;

    CollectionClauses private immutable _clauses;
    Arbitrator private immutable _arbitrator;
    address private immutable _holder;
    address private immutable _court;
    address private immutable _admin;
    uint256[3] private _keys;
    bytes32[] private _claims;
    bytes[] private _appliedBatches;

    mapping(bytes32 claimId => CaseState) public observedState;
    mapping(bytes32 claimId => uint256) public appliedReports;
    mapping(bytes32 claimId => uint256) private _lastNoticeAt;
    mapping(bytes32 claimId => uint256) private _stateSince;
    mapping(bytes32 claimId => mapping(uint64 asOf => bool)) private _appliedAsOf;
    mapping(bytes32 claimId => mapping(uint32 nonce => bool)) private _appliedNonce;
    uint256 public violations;
    string public firstViolation;
    uint256 public transitions;
    uint256 public arbitrations;
    uint256 public deferrals;

    constructor(
        CollectionClauses clauses_,
        Arbitrator arbitrator_,
        address holder_,
        address court_,
        address admin_,
        uint256[3] memory keys_,
        bytes32[] memory claims_
    ) {
        _clauses = clauses_;
        _arbitrator = arbitrator_;
        _holder = holder_;
        _court = court_;
        _admin = admin_;
        _keys = keys_;
        _claims = claims_;
    }

    function report(uint256 claimSeed, uint256 dpd, uint256 outstanding, uint256 collateral, bool notice, uint256 dt)
        external
    {
        bytes32 claimId = _claims[claimSeed % _claims.length];
        vm.warp(block.timestamp + bound(dt, 0, 40 days));
        _submit(
            claimId,
            uint32(bound(dpd, 0, 150)),
            claimSeed % 32 == 7 ? 0 : uint128(bound(outstanding, 1, 1_000)),
            uint128(bound(collateral, 0, 1_500)),
            notice,
            claimSeed
        );
    }

    /// @dev The next step of the ladder as the model sees it (warning, demand, arbitration), at a random time
    /// (often before the notice period is over): random reports rarely walk a case that far.
    function step(uint256 claimSeed, uint256 dt, uint256 dpd, bool covered) external {
        bytes32 claimId = _claims[claimSeed % _claims.length];
        vm.warp(block.timestamp + 1 + bound(dt, 0, 25 days));
        CaseState s = observedState[claimId];
        bool notice = s == CaseState.Performing || s == CaseState.Overdue || s == CaseState.Warned
            || s == CaseState.Restructured;
        uint32 days_ = uint32(bound(dpd, s == CaseState.Warned ? 30 : (s == CaseState.Demanded ? 90 : 1), 150));
        _submit(claimId, days_, 1_000, covered ? 1_200 : 100, notice, claimSeed);
    }

    function _submit(bytes32 claimId, uint32 dpd, uint128 outstanding, uint128 collateral, bool notice, uint256 seed)
        private
    {
        Report memory r = Report({
            claimId: claimId,
            asOf: uint64(block.timestamp),
            daysPastDue: dpd,
            outstanding: outstanding,
            collateralValue: collateral,
            classification: 1,
            riskGrade: 2,
            noticeHash: notice ? keccak256(abi.encode(claimId, block.timestamp)) : bytes32(0),
            nonce: _clauses.caseOf(claimId).nonce
        });
        SignedBatch memory batch = _signedBatch(r, seed);
        bool arbitrationDue = _arbitrationDue(claimId, r);
        uint256 cost = _arbitrator.arbitrationCost("");
        uint256 balance = address(_clauses).balance;
        uint256 arbitrationsBefore = arbitrations;
        uint256 deferralsBefore = deferrals;
        vm.recordLogs();
        try _clauses.submitReports(abi.encode(batch.reports), batch.signatures) {
            _appliedBatches.push(abi.encode(batch));
            _observe(r, true);
            bool started = arbitrations != arbitrationsBefore;
            bool deferred = deferrals != deferralsBefore;
            if (arbitrationDue && !started && !deferred) _violation("arbitration due but neither started nor deferred");
            if (deferred && cost <= balance) _violation("arbitration deferred with the fee funded");
            if (started && cost > balance) _violation("arbitration started with the fee unfunded");
        } catch {}
    }

    /// @dev ADMIN sets a fee of 0 or 1 ether; the contract holds 0, 0.5 or 2 ether.
    function fund(uint256 feeSeed, uint256 balanceSeed) external {
        vm.prank(_admin);
        _arbitrator.setArbitrationFee(feeSeed % 2 == 0 ? 0 : 1 ether);
        uint256[3] memory balances = [uint256(0), 0.5 ether, 2 ether];
        vm.deal(address(_clauses), balances[balanceSeed % 3]);
    }

    function replay(uint256 index, uint256 dt) external {
        if (_appliedBatches.length == 0) return;
        vm.warp(block.timestamp + bound(dt, 0, 2 days));
        SignedBatch memory batch = abi.decode(_appliedBatches[index % _appliedBatches.length], (SignedBatch));
        try _clauses.submitReports(abi.encode(batch.reports), batch.signatures) {
            _violation("a replayed batch was applied");
        } catch {}
    }

    function restructure(uint256 claimSeed, bytes32 planHash) external {
        bytes32 claimId = _claims[claimSeed % _claims.length];
        if (planHash == bytes32(0)) planHash = keccak256("plan");
        vm.recordLogs();
        vm.prank(_holder);
        try _clauses.restructure(claimId, planHash, 6) {
            _observe(_noReport(), false);
        } catch {}
    }

    function rule(uint256 claimSeed, uint256 ruling) external {
        uint256 disputeId = _clauses.caseOf(_claims[claimSeed % _claims.length]).disputeId;
        if (disputeId == 0) return;
        bytes32 claimId = _claims[claimSeed % _claims.length];
        vm.recordLogs();
        vm.prank(_court);
        try _arbitrator.giveRuling(disputeId, ruling % 4) {
            _observe(_noReport(), false);
            // 0 refused: back to the demand; 1 enforce: ruled; 2 dismiss, 3 settle: closed.
            CaseState expected = ruling % 4 == 0
                ? CaseState.Demanded
                : (ruling % 4 == 1 ? CaseState.Ruled : CaseState.Closed);
            if (observedState[claimId] != expected) _violation("the ruling was not executed as given");
        } catch {}
    }

    /// @dev Two of the three oracles, rotating with the seed.
    function _signedBatch(Report memory r, uint256 seed) private view returns (SignedBatch memory batch) {
        batch.reports = new Report[](1);
        batch.reports[0] = r;
        batch.signatures = new bytes[](2);
        bytes32 digest = _clauses.batchDigest(abi.encode(batch.reports));
        for (uint256 i = 0; i < 2; ++i) {
            (uint8 v, bytes32 rr, bytes32 s) = vm.sign(_keys[(seed + i) % 3], digest);
            batch.signatures[i] = abi.encodePacked(rr, s, v);
        }
    }

    function claims() external view returns (bytes32[] memory) {
        return _claims;
    }

    function _observe(Report memory r, bool fromReport) private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(_clauses)) continue;
            bytes32 topic = logs[i].topics[0];
            if (topic == ICollectionClausesEvents.CaseStateChanged.selector) {
                _checkTransition(logs[i], r, fromReport);
            } else if (topic == ICollectionClausesEvents.ArbitrationDeferred.selector) {
                ++deferrals;
                if (!fromReport || observedState[logs[i].topics[1]] != CaseState.Demanded) {
                    _violation("arbitration deferred outside a demanded case's report");
                }
            } else if (topic == ICollectionClausesEvents.ReportApplied.selector) {
                _checkApplied(logs[i]);
            }
        }
    }

    function _checkTransition(Vm.Log memory log, Report memory r, bool fromReport) private {
        bytes32 claimId = log.topics[1];
        CaseState to = CaseState(uint8(uint256(log.topics[2])));
        (CaseState from, bytes32 noticeHash) = abi.decode(log.data, (CaseState, bytes32));
        ++transitions;
        if (from != observedState[claimId]) _violation("transition does not continue from the observed state");
        if (!_allowed(from, to)) _violation("transition outside the allowed edges");
        if (to == CaseState.Demanded && from == CaseState.Warned && !_noticePeriodOver(claimId)) {
            _violation("demand before the warning's notice period was over");
        }
        if (to == CaseState.Warned || (to == CaseState.Demanded && from == CaseState.Warned)) {
            if (noticeHash == bytes32(0)) _violation("warning or demand without a notice");
            _lastNoticeAt[claimId] = block.timestamp;
        } else if (noticeHash != bytes32(0)) {
            _violation("notice on a non-notice transition");
        }
        if (from == CaseState.InArbitration && to == CaseState.Demanded && fromReport) {
            _violation("only a refused ruling sends a case from arbitration back to the demand");
        }
        if (to == CaseState.InArbitration) {
            ++arbitrations;
            if (!fromReport || !_arbitrationDue(claimId, r)) _violation("arbitration started without its conditions");
        }
        observedState[claimId] = to;
        _stateSince[claimId] = block.timestamp;
    }

    /// @dev The model's arbitration rule, for the case as observed before the report.
    function _arbitrationDue(bytes32 claimId, Report memory r) private view returns (bool) {
        return observedState[claimId] == CaseState.Demanded && r.noticeHash == bytes32(0) && r.daysPastDue > 0
            && r.outstanding > 0 && r.daysPastDue >= ARBITRATION_DAYS
            && uint256(r.collateralValue) * 10_000 < COVERAGE_BPS * r.outstanding && _lastNoticeAt[claimId] != 0
            && _noticePeriodOver(claimId);
    }

    /// @dev noticeDays since the later of the last notice and the entry into the current state.
    function _noticePeriodOver(bytes32 claimId) private view returns (bool) {
        uint256 since = _lastNoticeAt[claimId] > _stateSince[claimId] ? _lastNoticeAt[claimId] : _stateSince[claimId];
        return block.timestamp >= since + NOTICE_DAYS * 1 days;
    }

    function _checkApplied(Vm.Log memory log) private {
        bytes32 claimId = log.topics[1];
        // Data words: nonce, asOf, daysPastDue, outstanding, collateralValue, classification, riskGrade.
        uint256[7] memory words = abi.decode(log.data, (uint256[7]));
        uint32 nonce = uint32(words[0]);
        uint64 asOf = uint64(words[1]);
        if (_appliedAsOf[claimId][asOf]) _violation("(claimId, asOf) applied twice");
        if (_appliedNonce[claimId][nonce]) _violation("(claimId, nonce) applied twice");
        _appliedAsOf[claimId][asOf] = true;
        _appliedNonce[claimId][nonce] = true;
        ++appliedReports[claimId];
    }

    /// @dev The model's edge table, written out independently of the contract's bit mask.
    function _allowed(CaseState from, CaseState to) private pure returns (bool) {
        if (from == CaseState.Performing) return to == CaseState.Overdue || to == CaseState.Closed;
        if (from == CaseState.Overdue) {
            return to == CaseState.Warned || to == CaseState.Performing || to == CaseState.Restructured
                || to == CaseState.Closed;
        }
        if (from == CaseState.Warned) {
            return to == CaseState.Demanded || to == CaseState.Performing || to == CaseState.Restructured
                || to == CaseState.Closed;
        }
        if (from == CaseState.Demanded) {
            return to == CaseState.InArbitration || to == CaseState.Performing || to == CaseState.Restructured
                || to == CaseState.Closed;
        }
        if (from == CaseState.InArbitration) return to == CaseState.Ruled || to == CaseState.Demanded;
        if (from == CaseState.Ruled) return to == CaseState.Closed;
        if (from == CaseState.Restructured) return to == CaseState.Overdue || to == CaseState.Closed;
        return false; // Closed is terminal
    }

    function _noReport() private pure returns (Report memory r) {}

    function _violation(string memory what) private {
        if (violations == 0) firstViolation = what;
        ++violations;
    }
}
