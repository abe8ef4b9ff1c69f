// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Roles} from "./Roles.sol";
import {IEvidenceLog, RootAnchor} from "./interfaces/IEvidenceLog.sol";

/// @title EvidenceLog
/// @notice See {IEvidenceLog}.
contract EvidenceLog is IEvidenceLog, AccessControl, Pausable {
    mapping(bytes32 root => RootAnchor) private _anchors;

    /// @param admin receives ADMIN and DEFAULT_ADMIN_ROLE; ADMIN grants and revokes RECORDER.
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(Roles.ADMIN, admin);
        _setRoleAdmin(Roles.RECORDER, Roles.ADMIN);
    }

    /// @inheritdoc IEvidenceLog
    function anchor(bytes32 root, uint32 count, string calldata uri)
        external
        onlyRole(Roles.RECORDER)
        whenNotPaused
    {
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert ZeroCount(root);
        if (_anchors[root].timestamp != 0) revert RootAlreadyAnchored(root);
        _anchors[root] = RootAnchor({
            timestamp: uint40(block.timestamp),
            blockNumber: uint48(block.number),
            submitter: msg.sender
        });
        emit RootAnchored(root, msg.sender, count, uri);
    }

    /// @inheritdoc IEvidenceLog
    function anchoredAt(bytes32 root) external view returns (RootAnchor memory) {
        return _anchors[root];
    }

    /// @inheritdoc IEvidenceLog
    function isAnchored(bytes32 root) public view returns (bool) {
        return _anchors[root].timestamp != 0;
    }

    /// @inheritdoc IEvidenceLog
    function verify(bytes32 leaf, bytes32[] calldata proof, bytes32 root) public view returns (bool) {
        if (!isAnchored(root)) revert RootNotAnchored(root);
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc IEvidenceLog
    function verifyRecord(bytes32 recordHash, bytes32[] calldata proof, bytes32 root) external view returns (bool) {
        return verify(leafOf(recordHash), proof, root);
    }

    /// @inheritdoc IEvidenceLog
    function leafOf(bytes32 recordHash) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(recordHash))));
    }

    /// @inheritdoc IEvidenceLog
    function attachEvidence(uint256 evidenceGroupId, address arbitrator, string calldata evidenceUri)
        external
        onlyRole(Roles.RECORDER)
        whenNotPaused
    {
        if (arbitrator == address(0) || bytes(evidenceUri).length == 0) {
            revert InvalidEvidence(evidenceGroupId, arbitrator);
        }
        emit Evidence(arbitrator, evidenceGroupId, msg.sender, evidenceUri);
    }

    /// @inheritdoc IEvidenceLog
    function pause() external onlyRole(Roles.ADMIN) {
        _pause();
    }

    /// @inheritdoc IEvidenceLog
    function unpause() external onlyRole(Roles.ADMIN) {
        _unpause();
    }
}
