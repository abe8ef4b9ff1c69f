// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICollectionClauses, CaseState, ClosureReason, Report} from "./interfaces/ICollectionClauses.sol";

/// @title CaseLadder
/// @notice The clause rule and the case state machine of {CollectionClauses}: which state a report moves a
/// case to, and the one function every state change goes through (the edge check). See {CaseState} and
/// {ICollectionClauses} for the rule in words; src/core/oracle-plan.ts is its TypeScript copy (parity-tested).
/// @dev The rule works on a memory copy of the case (one storage read and one write per report); the caller
/// writes it back. Starting arbitration (creating the dispute, paying its fee) is left to the contract that
/// knows the arbitrator: {_startArbitration}, called after the case is written.
abstract contract CaseLadder is ICollectionClauses {
    /// @dev Bit (8·from + to) is set for every allowed edge; see {CaseState}.
    uint256 private constant ALLOWED_EDGES = (1 << 1) | (1 << 6) // Performing → Overdue, Closed
        | (1 << 10) | (1 << 8) | (1 << 15) | (1 << 14) // Overdue → Warned, Performing, Restructured, Closed
        | (1 << 19) | (1 << 16) | (1 << 23) | (1 << 22) // Warned → Demanded, Performing, Restructured, Closed
        | (1 << 28) | (1 << 24) | (1 << 31) | (1 << 30) // Demanded → InArbitration, Performing, Restructured, Closed
        | (1 << 37) | (1 << 35) // InArbitration → Ruled, Demanded (ruling 0: arbitration refused)
        | (1 << 46) // Ruled → Closed
        | (1 << 57) | (1 << 62); // Restructured → Overdue, Closed

    /// @dev What the contract itself reads of a case; figures go to events. Kept packed in one storage word
    /// ({_loadCase}, {_storeCase}): one read and one write per report, where a storage struct costs one per field.
    struct Case {
        CaseState state;
        uint40 lastAsOf;
        uint40 lastNoticeAt;
        uint40 stateSince;
        uint32 nonce;
        uint16 warnDays; // non-zero once the terms are cached (the registry guarantees warnDays >= 1)
        uint16 demandDays;
        uint16 arbitrationDays;
        uint16 coverageBps;
        uint16 noticeDays;
    }

    mapping(bytes32 claimId => uint256 packed) private _cases;

    /// @inheritdoc ICollectionClauses
    function isAllowedTransition(CaseState from, CaseState to) external pure returns (bool) {
        return _isAllowedTransition(from, to);
    }

    /// @dev Creates the dispute of a case whose arbitration is due (the case `c` as written in storage), or
    /// defers it (the case stays Demanded).
    function _startArbitration(bytes32 claimId, Case memory c, Report memory r) internal virtual;

    /// @dev The clauses: see {ICollectionClauses}. At most one notice transition per report. Changes `c` only;
    /// returns whether arbitration is due (the caller writes the case first, then starts it).
    function _advance(bytes32 claimId, Case memory c, Report memory r) internal returns (bool arbitrate) {
        CaseState s = c.state;
        bytes32 notice = r.noticeHash;
        if (s == CaseState.InArbitration || s == CaseState.Ruled) {
            if (notice != bytes32(0)) revert NoticeNotDue(claimId, uint8(s), r.daysPastDue);
            if (s == CaseState.Ruled && r.outstanding == 0) _close(claimId, c, ClosureReason.Repaid);
            return false;
        }
        if (r.outstanding == 0 || r.daysPastDue == 0) {
            if (notice != bytes32(0)) revert NoticeNotDue(claimId, uint8(s), r.daysPastDue);
            if (r.outstanding == 0) _close(claimId, c, ClosureReason.Repaid);
            else if (s != CaseState.Performing && s != CaseState.Restructured) {
                _transition(claimId, c, CaseState.Performing, bytes32(0));
            }
            return false;
        }
        if (s == CaseState.Performing || s == CaseState.Restructured) {
            _transition(claimId, c, CaseState.Overdue, bytes32(0));
            s = CaseState.Overdue;
        }
        if (notice != bytes32(0)) {
            if (s == CaseState.Overdue && r.daysPastDue >= c.warnDays) {
                _transition(claimId, c, CaseState.Warned, notice);
            } else if (s == CaseState.Warned && r.daysPastDue >= c.demandDays) {
                uint256 dueAt = _noticeDueAt(c);
                if (block.timestamp < dueAt) revert NoticePeriodRunning(claimId, c.lastNoticeAt, dueAt);
                _transition(claimId, c, CaseState.Demanded, notice);
            } else {
                revert NoticeNotDue(claimId, uint8(s), r.daysPastDue);
            }
            return false;
        }
        return s == CaseState.Demanded && _arbitrationDue(c, r);
    }

    /// @dev daysPastDue ≥ arbitrationDays AND coverage < coverageBps AND the notice period is over.
    function _arbitrationDue(Case memory c, Report memory r) internal view returns (bool) {
        return r.daysPastDue >= c.arbitrationDays
            && uint256(r.collateralValue) * 10_000 < uint256(c.coverageBps) * r.outstanding && c.lastNoticeAt != 0
            && block.timestamp >= _noticeDueAt(c);
    }

    /// @dev The last notice's proven delivery: its period then runs from `deliveredAt`. Only for the notice that
    /// moved the case into Warned or Demanded (lastNoticeAt == stateSince: not yet delivered, no refused ruling since).
    function _recordDelivery(bytes32 claimId, uint40 deliveredAt) internal {
        Case memory c = _loadCase(claimId);
        CaseState s = c.state;
        if ((s != CaseState.Warned && s != CaseState.Demanded) || c.lastNoticeAt != c.stateSince) {
            revert NoticeDeliveryNotRecordable(claimId, uint8(s));
        }
        if (deliveredAt <= c.lastNoticeAt || deliveredAt > block.timestamp) {
            revert DeliveryTimeOutOfRange(claimId, deliveredAt, c.lastNoticeAt, block.timestamp);
        }
        c.lastNoticeAt = deliveredAt;
        _storeCase(claimId, c);
        emit NoticeDeliveryRecorded(claimId, deliveredAt, msg.sender);
    }

    /// @dev When the next step after a notice may come: noticeDays after the later of the last notice and the
    /// case's entry into its state (the same moment, except after a refused ruling sent it back to Demanded).
    function _noticeDueAt(Case memory c) internal pure returns (uint256) {
        uint256 since = c.lastNoticeAt > c.stateSince ? c.lastNoticeAt : c.stateSince;
        return since + uint256(c.noticeDays) * 1 days;
    }

    function _close(bytes32 claimId, Case memory c, ClosureReason reason) internal {
        _transition(claimId, c, CaseState.Closed, bytes32(0));
        emit CaseClosed(claimId, reason);
    }

    /// @dev The one place a case changes state: the edge check lives here. Changes the copy `c`; the caller
    /// writes it back.
    function _transition(bytes32 claimId, Case memory c, CaseState to, bytes32 noticeHash) internal {
        CaseState from = c.state;
        if (!_isAllowedTransition(from, to)) revert TransitionNotAllowed(claimId, uint8(from), uint8(to));
        c.state = to;
        c.stateSince = uint40(block.timestamp);
        if (noticeHash != bytes32(0)) c.lastNoticeAt = uint40(block.timestamp);
        emit CaseStateChanged(claimId, from, to, noticeHash);
    }

    /// @dev Bits: state 0-7, lastAsOf 8-47, lastNoticeAt 48-87, stateSince 88-127, nonce 128-159, warnDays
    /// 160-175, demandDays 176-191, arbitrationDays 192-207, coverageBps 208-223, noticeDays 224-239.
    function _loadCase(bytes32 claimId) internal view returns (Case memory c) {
        _loadCase(claimId, c);
    }

    /// @dev Reads the case into `c` (reused across a batch: one allocation, not one per report).
    function _loadCase(bytes32 claimId, Case memory c) internal view {
        uint256 w = _cases[claimId];
        c.state = CaseState(uint8(w));
        c.lastAsOf = uint40(w >> 8);
        c.lastNoticeAt = uint40(w >> 48);
        c.stateSince = uint40(w >> 88);
        c.nonce = uint32(w >> 128);
        c.warnDays = uint16(w >> 160);
        c.demandDays = uint16(w >> 176);
        c.arbitrationDays = uint16(w >> 192);
        c.coverageBps = uint16(w >> 208);
        c.noticeDays = uint16(w >> 224);
    }

    function _storeCase(bytes32 claimId, Case memory c) internal {
        _cases[claimId] = uint256(uint8(c.state)) | (uint256(c.lastAsOf) << 8) | (uint256(c.lastNoticeAt) << 48)
            | (uint256(c.stateSince) << 88) | (uint256(c.nonce) << 128) | (uint256(c.warnDays) << 160)
            | (uint256(c.demandDays) << 176) | (uint256(c.arbitrationDays) << 192) | (uint256(c.coverageBps) << 208)
            | (uint256(c.noticeDays) << 224);
    }

    function _isAllowedTransition(CaseState from, CaseState to) internal pure returns (bool) {
        return ALLOWED_EDGES & (1 << (uint256(from) * 8 + uint256(to))) != 0;
    }
}
