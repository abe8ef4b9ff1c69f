import type { Store, SublevelOf } from "../db.js";

/** A package sale (债权转让) as the store keeps it. */
export interface AssignmentRecord {
  id: string;
  claimIds: string[];
  from: string;
  to: string;
  packageId: string;
  price: string;
  /** The salted commitment to the notice that went on chain (ClaimAssigned.noticeHash). */
  noticeHash: string;
  /** keccak256 of the notice text (off chain). */
  noticeContentHash?: string;
  /** The commitment's salt (off chain; given to who may read the claims). */
  noticeSalt?: string;
  /** The assignment notice text (债权转让通知) kept off chain; only a salted commitment to it is on chain. */
  notice?: string;
  status: "pending" | "done" | "failed";
  txHash?: string;
  blockNumber?: number;
  createdAt: string;
  /** The transfer's terms as the seller stated them (src/app/assignments/transfer.ts), when given. */
  transfer?: Record<string, unknown>;
  /** The 债权转让暨催收联合通知书 recorded per debtor and guarantor after the sale. */
  transferLetters?: Array<{ claimId: string; party: "debtor" | "guarantor"; guarantor?: number; contentHash: string; recordId: string }>;
}

/** What a notice commitment on chain opens to: the assignment, the salt and the text's hash. */
export interface AssignmentNotice {
  assignmentId: string;
  salt: string;
  contentHash: string;
}

/** The package sales' tables. */
export interface AssignmentsRepo {
  assignments: SublevelOf<AssignmentRecord>;
  /** Notice commitment on chain (lower case) → the assignment, the salt and the text's hash. */
  notices: SublevelOf<AssignmentNotice>;
}

export function openAssignments(store: Store): AssignmentsRepo {
  return { assignments: store.sub("assignments"), notices: store.sub("assignment-notices") };
}
