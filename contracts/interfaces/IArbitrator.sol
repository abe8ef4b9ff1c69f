// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ERC-792 arbitrator
/// @notice The standard arbitrator interface (ERC-792): an arbitrable contract creates a dispute, the
/// arbitrator rules, and the final ruling is passed to {IArbitrable-rule}. The standard allows appeals;
/// Debtrail's {IRulingArbitrator} has none (an arbitral award is final).
interface IArbitrator {
    /// @notice Waiting: no ruling yet. Appealable: ruled, appeal period running. Solved: final.
    enum DisputeStatus {
        Waiting,
        Appealable,
        Solved
    }

    /// @notice A dispute was created by `_arbitrable`.
    event DisputeCreation(uint256 indexed _disputeID, IArbitrable indexed _arbitrable);
    /// @notice A ruling was given and may be appealed until the end of the appeal period.
    event AppealPossible(uint256 indexed _disputeID, IArbitrable indexed _arbitrable);
    /// @notice A ruling was appealed: the dispute waits for a new ruling.
    event AppealDecision(uint256 indexed _disputeID, IArbitrable indexed _arbitrable);

    /// @notice Creates a dispute with `_choices` ruling options (0 is reserved for "refused to arbitrate").
    /// Must be called by the arbitrable contract, paying at least {arbitrationCost}.
    function createDispute(uint256 _choices, bytes calldata _extraData) external payable returns (uint256 disputeID);

    /// @notice The fee (in wei) to create a dispute.
    function arbitrationCost(bytes calldata _extraData) external view returns (uint256 cost);

    /// @notice Appeals the current ruling, paying at least {appealCost}, within the appeal period.
    function appeal(uint256 _disputeID, bytes calldata _extraData) external payable;

    /// @notice The fee (in wei) to appeal; `type(uint256).max` means appeals are not possible.
    function appealCost(uint256 _disputeID, bytes calldata _extraData) external view returns (uint256 cost);

    /// @notice Start and end (unix seconds) of the appeal period; (0, 0) when none is running.
    function appealPeriod(uint256 _disputeID) external view returns (uint256 start, uint256 end);

    /// @notice The status of a dispute.
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus status);

    /// @notice The current ruling of a dispute (0 until ruled).
    function currentRuling(uint256 _disputeID) external view returns (uint256 ruling);
}

/// @title ERC-792 arbitrable
/// @notice A contract whose disputes an {IArbitrator} rules on.
interface IArbitrable {
    /// @notice The final ruling of `_disputeID` was passed to this contract.
    event Ruling(IArbitrator indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling);

    /// @notice Executes the final ruling of a dispute. Only the arbitrator of the dispute may call it.
    function rule(uint256 _disputeID, uint256 _ruling) external;
}

/// @title ERC-1497 evidence standard
/// @notice Links meta-evidence (what the dispute is about and what each ruling means) and evidence
/// (URIs of documents, grouped by `_evidenceGroupID`) to disputes.
interface IEvidence {
    /// @notice Meta-evidence `_metaEvidenceID` is the JSON at `_evidence`.
    event MetaEvidence(uint256 indexed _metaEvidenceID, string _evidence);
    /// @notice `_party` submitted the evidence at `_evidence` to group `_evidenceGroupID`.
    event Evidence(
        IArbitrator indexed _arbitrator, uint256 indexed _evidenceGroupID, address indexed _party, string _evidence
    );
    /// @notice Dispute `_disputeID` at `_arbitrator` is about meta-evidence `_metaEvidenceID` and the
    /// evidence of group `_evidenceGroupID`.
    event Dispute(
        IArbitrator indexed _arbitrator, uint256 indexed _disputeID, uint256 _metaEvidenceID, uint256 _evidenceGroupID
    );
}
