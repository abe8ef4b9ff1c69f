// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {EvidenceLog} from "../EvidenceLog.sol";
import {Roles} from "../Roles.sol";
import {IEvidenceLogErrors, IEvidenceLogEvents, RootAnchor} from "../interfaces/IEvidenceLog.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @dev Builds StandardMerkleTree-shaped trees (sorted leaves, array layout, commutative node hash)
/// over `n` record hashes, as OpenZeppelin's merkle-tree library and src/core/merkle.ts do.
contract SmallTree {
    bytes32[] public nodes;
    mapping(bytes32 leaf => uint256 treeIndex) public indexOfLeaf;

    constructor(bytes32[] memory recordHashes) {
        uint256 n = recordHashes.length;
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            leaves[i] = keccak256(bytes.concat(keccak256(abi.encode(recordHashes[i]))));
        }
        for (uint256 i = 1; i < n; ++i) { // insertion sort: n is small
            bytes32 key = leaves[i];
            uint256 j = i;
            while (j > 0 && leaves[j - 1] > key) {
                leaves[j] = leaves[j - 1];
                --j;
            }
            leaves[j] = key;
        }
        uint256 size = 2 * n - 1;
        for (uint256 i = 0; i < size; ++i) nodes.push(bytes32(0));
        for (uint256 i = 0; i < n; ++i) {
            nodes[size - 1 - i] = leaves[i];
            indexOfLeaf[leaves[i]] = size - 1 - i;
        }
        for (uint256 i = size - n; i > 0; --i) {
            nodes[i - 1] = Hashes.commutativeKeccak256(nodes[2 * i - 1], nodes[2 * i]);
        }
    }

    function root() external view returns (bytes32) {
        return nodes[0];
    }

    function proofOf(bytes32 leaf) external view returns (bytes32[] memory proof) {
        uint256 at = indexOfLeaf[leaf];
        uint256 depth = 0;
        for (uint256 k = at; k > 0; k = (k - 1) / 2) ++depth;
        proof = new bytes32[](depth);
        for (uint256 d = 0; d < depth; ++d) {
            proof[d] = nodes[at % 2 == 1 ? at + 1 : at - 1];
            at = (at - 1) / 2;
        }
    }
}

contract EvidenceLogTest is Test, IEvidenceLogEvents {
    EvidenceLog internal log;
    address internal admin = makeAddr("admin");
    address internal recorder = makeAddr("recorder");
    address internal court = makeAddr("court");

    function setUp() public {
        log = new EvidenceLog(admin);
        vm.prank(admin);
        log.grantRole(Roles.RECORDER, recorder);
    }

    function _records(uint256 n, uint256 seed) internal pure returns (bytes32[] memory hashes) {
        hashes = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) hashes[i] = keccak256(abi.encode(seed, i));
    }

    function _anchor(bytes32 root, uint32 count) internal {
        vm.prank(recorder);
        log.anchor(root, count, "ipfs://batch");
    }

    function testFuzz_anchor_recordsWhenAndWho(bytes32 root, uint32 count, uint40 time, uint48 blockNo) public {
        vm.assume(root != bytes32(0) && count != 0 && time != 0);
        vm.warp(time);
        vm.roll(blockNo);
        vm.expectEmit(true, true, false, true);
        emit RootAnchored(root, recorder, count, "ipfs://batch");
        _anchor(root, count);
        RootAnchor memory a = log.anchoredAt(root);
        assertEq(uint256(a.timestamp), uint256(time), "timestamp");
        assertEq(uint256(a.blockNumber), uint256(blockNo), "block");
        assertEq(a.submitter, recorder, "submitter");
        assertTrue(log.isAnchored(root), "anchored");
    }

    function test_anchor_eventHasRootAsFirstIndexedTopic() public {
        bytes32 root = keccak256("root");
        vm.recordLogs();
        _anchor(root, 3);
        (bool found, bytes32 topic1) = (false, bytes32(0));
        Vm_Log[] memory logs = _logs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == RootAnchored.selector) (found, topic1) = (true, logs[i].topics[1]);
        }
        assertTrue(found, "RootAnchored emitted");
        assertEq(topic1, root, "topic 1 is the root");
    }

    function testFuzz_anchor_byNonRecorderReverts(address caller, bytes32 root) public {
        vm.assume(caller != recorder && root != bytes32(0));
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, Roles.RECORDER)
        );
        log.anchor(root, 1, "");
        assertFalse(log.isAnchored(root), "not anchored");
    }

    function testFuzz_anchor_sameRootTwiceReverts(bytes32 root, uint32 count, uint32 count2) public {
        vm.assume(root != bytes32(0) && count != 0 && count2 != 0);
        _anchor(root, count);
        vm.warp(block.timestamp + 1 days);
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceLogErrors.RootAlreadyAnchored.selector, root));
        log.anchor(root, count2, "other");
    }

    function testFuzz_anchor_zeroRootOrCountRejected(bytes32 root) public {
        vm.prank(recorder);
        vm.expectRevert(IEvidenceLogErrors.ZeroRoot.selector);
        log.anchor(bytes32(0), 5, "");
        vm.assume(root != bytes32(0));
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceLogErrors.ZeroCount.selector, root));
        log.anchor(root, 0, "");
    }

    function testFuzz_verify_proofsOfSmallTrees(uint256 n, uint256 seed, uint256 pick) public {
        n = bound(n, 1, 12);
        bytes32[] memory records = _records(n, seed);
        SmallTree tree = new SmallTree(records);
        _anchor(tree.root(), uint32(n));
        for (uint256 i = 0; i < n; ++i) {
            bytes32 leaf = log.leafOf(records[i]);
            bytes32[] memory proof = tree.proofOf(leaf);
            assertTrue(log.verify(leaf, proof, tree.root()), "leaf proof");
            assertTrue(log.verifyRecord(records[i], proof, tree.root()), "record proof");
        }
        // An altered proof, a foreign record, the record hash used as its own leaf: all refused.
        uint256 i2 = pick % n;
        bytes32 leaf2 = log.leafOf(records[i2]);
        bytes32[] memory good = tree.proofOf(leaf2);
        assertFalse(log.verifyRecord(keccak256(abi.encode(seed, n + 1)), good, tree.root()), "foreign record");
        if (good.length > 0) {
            good[pick % good.length] ^= bytes32(uint256(1) << (pick % 256));
            assertFalse(log.verifyRecord(records[i2], good, tree.root()), "altered proof");
        }
        if (n > 1) assertFalse(log.verify(records[i2], tree.proofOf(leaf2), tree.root()), "record hash as leaf");
    }

    function testFuzz_verify_internalNodeIsNoRecord(uint256 seed) public {
        bytes32[] memory records = _records(4, seed);
        SmallTree tree = new SmallTree(records);
        _anchor(tree.root(), 4);
        bytes32 leaf = log.leafOf(records[0]);
        bytes32[] memory proof = tree.proofOf(leaf);
        bytes32 parent = tree.nodes((tree.indexOfLeaf(leaf) - 1) / 2);
        bytes32[] memory shortened = new bytes32[](proof.length - 1);
        for (uint256 k = 1; k < proof.length; ++k) shortened[k - 1] = proof[k];
        assertTrue(log.verify(parent, shortened, tree.root()), "verify takes any node: why verifyRecord exists");
        assertFalse(log.verifyRecord(parent, shortened, tree.root()), "verifyRecord refuses the node");
    }

    function testFuzz_verify_proofOfBatchANotValidForBatchB(uint256 seedA, uint256 seedB) public {
        vm.assume(seedA != seedB);
        bytes32[] memory a = _records(5, seedA);
        SmallTree treeA = new SmallTree(a);
        SmallTree treeB = new SmallTree(_records(5, seedB));
        _anchor(treeA.root(), 5);
        _anchor(treeB.root(), 5);
        bytes32[] memory proof = treeA.proofOf(log.leafOf(a[2]));
        assertTrue(log.verifyRecord(a[2], proof, treeA.root()), "in A");
        assertFalse(log.verifyRecord(a[2], proof, treeB.root()), "not in B");
    }

    function testFuzz_verify_unanchoredRootReverts(bytes32 root, bytes32 leaf) public {
        vm.expectRevert(abi.encodeWithSelector(IEvidenceLogErrors.RootNotAnchored.selector, root));
        log.verify(leaf, new bytes32[](0), root);
    }

    function test_attachEvidence_emitsErc1497Event() public {
        vm.expectEmit(true, true, true, true);
        emit Evidence(court, 42, recorder, "ipfs://evidence/42");
        vm.prank(recorder);
        log.attachEvidence(42, court, "ipfs://evidence/42");
    }

    function testFuzz_attachEvidence_byNonRecorderReverts(address caller) public {
        vm.assume(caller != recorder);
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, Roles.RECORDER)
        );
        log.attachEvidence(1, court, "ipfs://x");
    }

    function test_attachEvidence_needsArbitratorAndUri() public {
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceLogErrors.InvalidEvidence.selector, 7, address(0)));
        log.attachEvidence(7, address(0), "ipfs://x");
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceLogErrors.InvalidEvidence.selector, 7, court));
        log.attachEvidence(7, court, "");
    }

    function test_pause_stopsWritesNotVerification() public {
        bytes32[] memory records = _records(3, 1);
        SmallTree tree = new SmallTree(records);
        _anchor(tree.root(), 3);
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, recorder, Roles.ADMIN));
        log.pause();
        vm.prank(admin);
        log.pause();
        vm.prank(recorder);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        log.anchor(keccak256("next"), 1, "");
        vm.prank(recorder);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        log.attachEvidence(1, court, "ipfs://x");
        assertTrue(log.verifyRecord(records[0], tree.proofOf(log.leafOf(records[0])), tree.root()), "verify while paused");
        vm.prank(admin);
        log.unpause();
        _anchor(keccak256("next"), 1);
    }

    function test_roles_adminGrantsRecorder() public {
        address newRecorder = makeAddr("newRecorder");
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, recorder, Roles.ADMIN));
        log.grantRole(Roles.RECORDER, newRecorder);
        vm.prank(admin);
        log.grantRole(Roles.RECORDER, newRecorder);
        vm.prank(newRecorder);
        log.anchor(keccak256("by new recorder"), 1, "");
    }

    struct Vm_Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function _logs() internal returns (Vm_Log[] memory out) {
        bytes memory raw = abi.encode(vm.getRecordedLogs());
        out = abi.decode(raw, (Vm_Log[]));
    }
}
