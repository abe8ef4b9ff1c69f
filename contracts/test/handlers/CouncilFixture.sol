// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ClaimRegistry} from "../../ClaimRegistry.sol";
import {CollectionClauses} from "../../CollectionClauses.sol";
import {Arbitrator} from "../../Arbitrator.sol";
import {Council} from "../../Council.sol";
import {Roles} from "../../Roles.sol";
import {ClaimRegistration} from "../../interfaces/IClaimRegistry.sol";

/// @dev One call to `target` as a council proposal's calls (targets, values, payloads).
function oneCall(address target, bytes memory payload)
    pure
    returns (address[] memory targets, uint256[] memory values, bytes[] memory payloads)
{
    targets = new address[](1);
    values = new uint256[](1);
    payloads = new bytes[](1);
    targets[0] = target;
    payloads[0] = payload;
}

/// @dev The network's governance: a 3-of-4 council (bank, two AMCs, court) whose timelock (2 days) is the only
/// ADMIN of the contracts, handed over by a bootstrap deployer that keeps nothing. One retail claim, sold by the
/// bank to the first AMC, is resale-restricted.
abstract contract CouncilFixture is Test {
    uint256 internal constant DELAY = 2 days;
    uint256 internal constant K = 3;

    ClaimRegistry internal registry;
    Arbitrator internal arbitrator;
    CollectionClauses internal clauses;
    Council internal council;
    TimelockController internal timelock;

    address internal bank = makeAddr("bank");
    address internal amcA = makeAddr("amcA");
    address internal amcB = makeAddr("amcB");
    address internal court = makeAddr("court");
    address internal stranger = makeAddr("stranger");
    address internal deployer = makeAddr("deployer");
    address[4] internal orgs;
    bytes32 internal restricted;

    function _deploy() internal {
        vm.warp(1_700_000_000);
        orgs = [bank, amcA, amcB, court];
        address[] memory members = new address[](4);
        for (uint256 i = 0; i < 4; ++i) {
            members[i] = orgs[i];
        }
        council = new Council(members, K, DELAY);
        timelock = council.timelock();
        vm.startPrank(deployer);
        registry = new ClaimRegistry(deployer, 7);
        arbitrator = new Arbitrator(IAccessControl(address(registry)));
        clauses = new CollectionClauses(registry, arbitrator, 2, 1 days, "ipfs://meta");
        registry.grantRole(Roles.ORIGINATOR, bank);
        registry.grantRole(Roles.HOLDER, amcA);
        registry.grantRole(Roles.HOLDER, amcB);
        registry.grantRole(Roles.LICENSED_AMC, amcA);
        registry.grantRole(Roles.LICENSED_AMC, amcB);
        registry.bindOriginatorCode("BANK001", bank);
        // The handover (src/chain/deploy.ts): the timelock becomes the only administrator.
        registry.grantRole(registry.DEFAULT_ADMIN_ROLE(), address(timelock));
        registry.grantRole(Roles.ADMIN, address(timelock));
        registry.renounceRole(Roles.ADMIN, deployer);
        registry.renounceRole(registry.DEFAULT_ADMIN_ROLE(), deployer);
        vm.stopPrank();

        ClaimRegistration memory r;
        r.originatorCode = "BANK001";
        r.loanRef = keccak256("LN-council");
        r.terms.principal = 1_000_000_00;
        r.terms.outstanding = 800_000_00;
        r.terms.currency = "CNY";
        r.terms.originatedAt = 1_600_000_000;
        r.terms.maturityAt = 1_690_000_000;
        r.terms.retail = true;
        vm.prank(bank);
        restricted = registry.register(r);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = restricted;
        vm.prank(bank);
        registry.assign(ids, amcA, "PKG-C", 1, keccak256("notice"), bytes32(0));
    }

    /// @dev One call to `target` as a council proposal's calls.
    function _calls(address target, bytes memory payload)
        internal
        pure
        returns (address[] memory, uint256[] memory, bytes[] memory)
    {
        return oneCall(target, payload);
    }

    /// @dev `proposer` proposes the call; each of `approvers` approves it. Returns the operation id.
    function _propose(address proposer, address target, bytes memory payload, bytes32 salt, address[] memory approvers)
        internal
        returns (bytes32 id)
    {
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(target, payload);
        vm.prank(proposer);
        id = council.propose(targets, values, payloads, salt);
        for (uint256 i = 0; i < approvers.length; ++i) {
            vm.prank(approvers[i]);
            council.approve(id);
        }
    }

    function _schedule(address target, bytes memory payload, bytes32 salt) internal {
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(target, payload);
        council.schedule(targets, values, payloads, salt);
    }

    function _execute(address target, bytes memory payload, bytes32 salt) internal {
        (address[] memory targets, uint256[] memory values, bytes[] memory payloads) = _calls(target, payload);
        timelock.executeBatch(targets, values, payloads, bytes32(0), salt);
    }

    function _two(address a, address b) internal pure returns (address[] memory list) {
        list = new address[](2);
        (list[0], list[1]) = (a, b);
    }
}
