// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ClaimRegistry} from "../../ClaimRegistry.sol";
import {CollectionClauses} from "../../CollectionClauses.sol";
import {Council} from "../../Council.sol";
import {Roles} from "../../Roles.sol";
import {oneCall} from "./CouncilFixture.sol";

/// @dev One dishonest member (`_member`, a council member with no ADMIN) trying every path it has to change a
/// rule alone: proposing (and re-proposing) the change, approving it again, revoking and approving, scheduling,
/// executing at any time, cancelling others' operations, calling the contracts and the timelock directly.
contract CouncilHandler is Test {
    Council private immutable _council;
    TimelockController private immutable _timelock;
    ClaimRegistry private immutable _registry;
    CollectionClauses private immutable _clauses;
    address private immutable _member;
    bytes32 private immutable _restricted;

    struct Proposal {
        address target;
        bytes payload;
        bytes32 salt;
    }

    Proposal[] private _proposals;

    constructor(Council council_, ClaimRegistry registry_, CollectionClauses clauses_, address member_, bytes32 restricted_) {
        _council = council_;
        _timelock = council_.timelock();
        _registry = registry_;
        _clauses = clauses_;
        _member = member_;
        _restricted = restricted_;
    }

    /// @dev The rules it wants changed: ADMIN for itself, quorum 1, the restriction lifted, a council of itself.
    function _change(uint256 what) private view returns (address target, bytes memory payload) {
        what %= 4;
        if (what == 0) return (address(_registry), abi.encodeCall(IAccessControl.grantRole, (Roles.ADMIN, _member)));
        if (what == 1) return (address(_clauses), abi.encodeCall(_clauses.setQuorum, (1)));
        if (what == 2) return (address(_registry), abi.encodeCall(_registry.liftResaleRestriction, (_restricted)));
        address[] memory alone = new address[](1);
        alone[0] = _member;
        return (address(_council), abi.encodeCall(Council.reconfigure, (alone, 1)));
    }

    function _calls(Proposal memory p) private pure returns (address[] memory, uint256[] memory, bytes[] memory) {
        return oneCall(p.target, p.payload);
    }

    function propose(uint256 what, bytes32 salt) external {
        (address target, bytes memory payload) = _change(what);
        Proposal memory p = Proposal(target, payload, salt);
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(p);
        vm.prank(_member);
        try _council.propose(targets, values, payloads, salt) {
            _proposals.push(p);
        } catch {}
    }

    function approveAgain(uint256 index, bool revokeFirst) external {
        if (_proposals.length == 0) return;
        bytes32 id = _id(_proposals[index % _proposals.length]);
        if (revokeFirst) {
            vm.prank(_member);
            try _council.revoke(id) {} catch {}
        }
        vm.prank(_member);
        try _council.approve(id) {} catch {}
    }

    function schedule(uint256 index) external {
        if (_proposals.length == 0) return;
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(_proposals[index % _proposals.length]);
        Proposal memory p = _proposals[index % _proposals.length];
        vm.prank(_member);
        try _council.schedule(targets, values, payloads, p.salt) {} catch {}
        vm.prank(_member);
        try _timelock.scheduleBatch(targets, values, payloads, bytes32(0), p.salt, 0) {} catch {}
    }

    function execute(uint256 index, uint256 dt) external {
        if (_proposals.length == 0) return;
        vm.warp(block.timestamp + bound(dt, 0, 30 days));
        Proposal memory p = _proposals[index % _proposals.length];
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(p);
        vm.prank(_member);
        try _timelock.executeBatch(targets, values, payloads, bytes32(0), p.salt) {} catch {}
    }

    function cancelAlone(uint256 index) external {
        if (_proposals.length == 0) return;
        bytes32 id = _id(_proposals[index % _proposals.length]);
        vm.prank(_member);
        try _council.proposeCancel(id) {} catch {}
        vm.prank(_member);
        try _council.cancel(id) {} catch {}
    }

    /// @dev Straight at the contracts and the timelock, no council at all.
    function direct(uint256 what) external {
        (address target, bytes memory payload) = _change(what);
        vm.prank(_member);
        (bool ok,) = target.call(payload);
        ok; // a revert is the expected outcome; the invariants check nothing changed either way
        vm.prank(_member);
        try _timelock.updateDelay(0) {} catch {}
        bytes32 proposerRole = _timelock.PROPOSER_ROLE();
        vm.prank(_member);
        try _timelock.grantRole(proposerRole, _member) {} catch {}
    }

    function _id(Proposal memory p) private view returns (bytes32) {
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(p);
        return _timelock.hashOperationBatch(targets, values, payloads, bytes32(0), p.salt);
    }
}
