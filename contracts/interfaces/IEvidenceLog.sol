// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice When and by whom a Merkle root was anchored; one storage slot per batch.
/// A zero `timestamp` means "not anchored".
struct RootAnchor {
    uint40 timestamp;
    uint48 blockNumber;
    address submitter;
}

/// @title Evidence log errors
interface IEvidenceLogErrors {
    /// @dev This root was anchored before; a batch is anchored once.
    error RootAlreadyAnchored(bytes32 root);
    /// @dev The root is zero, which no tree produces and which marks "absent".
    error ZeroRoot();
    /// @dev A batch without records.
    error ZeroCount(bytes32 root);
    /// @dev A proof was checked against a root that was never anchored.
    error RootNotAnchored(bytes32 root);
    /// @dev Evidence attached to a dispute needs an arbitrator and a URI.
    error InvalidEvidence(uint256 evidenceGroupId, address arbitrator);
}

/// @title Evidence log events
interface IEvidenceLogEvents {
    /// @notice A batch of `count` evidence records was anchored under `root`; `uri` locates the batch.
    event RootAnchored(bytes32 indexed root, address indexed submitter, uint32 count, string uri);

    /// @notice ERC-1497: evidence for the dispute group `_evidenceGroupID`, submitted by `_party`.
    event Evidence(
        address indexed _arbitrator, uint256 indexed _evidenceGroupID, address indexed _party, string _evidence
    );
}

/// @title EvidenceLog
/// @notice Anchors Merkle roots of evidence batches (one transaction and one storage slot per batch,
/// never one per record) and verifies inclusion proofs against them. Leaves follow
/// OpenZeppelin's merkle-tree library (StandardMerkleTree) with leaf type `bytes32`:
/// `leaf = keccak256(bytes.concat(keccak256(abi.encode(recordHash))))`, where `recordHash` is the
/// keccak256 of the record's RFC 8785 canonical JSON. Reading and verifying need no role.
interface IEvidenceLog is IEvidenceLogErrors, IEvidenceLogEvents {
    /// @notice Anchors the root of a batch of `count` records. Caller needs RECORDER; not while paused.
    /// @dev Reverts with {ZeroRoot}, {ZeroCount} or {RootAlreadyAnchored}. Emits {RootAnchored}.
    function anchor(bytes32 root, uint32 count, string calldata uri) external;

    /// @notice When, at which block and by whom `root` was anchored; all zero if it was not.
    function anchoredAt(bytes32 root) external view returns (RootAnchor memory);

    /// @notice True once `root` has been anchored.
    function isAnchored(bytes32 root) external view returns (bool);

    /// @notice True if `proof` leads from `leaf` to the anchored `root` (OpenZeppelin MerkleProof).
    /// @dev Takes the leaf itself: an internal node with a shortened proof also passes. Prefer
    /// {verifyRecord}, which derives the leaf. Reverts with {RootNotAnchored}.
    function verify(bytes32 leaf, bytes32[] calldata proof, bytes32 root) external view returns (bool);

    /// @notice True if `proof` proves the record hash under the anchored `root`; derives the
    /// double-hashed leaf itself, so no internal node can pass. Reverts with {RootNotAnchored}.
    function verifyRecord(bytes32 recordHash, bytes32[] calldata proof, bytes32 root) external view returns (bool);

    /// @notice The StandardMerkleTree leaf of a record hash.
    function leafOf(bytes32 recordHash) external pure returns (bytes32);

    /// @notice Attaches evidence to a dispute (ERC-1497 `Evidence` event, the caller as party).
    /// Caller needs RECORDER; not while paused. Reverts with {InvalidEvidence} for a zero arbitrator
    /// or an empty URI.
    function attachEvidence(uint256 evidenceGroupId, address arbitrator, string calldata evidenceUri) external;

    /// @notice Stops anchoring and attaching (ADMIN). Verification keeps working.
    function pause() external;

    /// @notice Resumes anchoring and attaching (ADMIN).
    function unpause() external;
}
