import { randomUUID } from "node:crypto";
import { getAddress } from "ethers";
import { commitDocument, type DocumentCommitment } from "../../core/commitment.js";
import type { FastifyInstance } from "fastify";
import { ConflictError, NotFoundError, ValidationError, ForbiddenError } from "../../core/errors.js";
import { parseMinor } from "../../core/money.js";
import { originatorCodeToBytes32 } from "../../chain/roles.js";
import { roleId } from "../../chain/roles.js";
import { DURABLE, writeBatch, type SublevelOf } from "../../store/db.js";
import type { Caller } from "../plugins/auth.js";
import { claimRevertToError } from "./claims.js";

export interface AssignmentRequest {
  claimIds: string[];
  to: string;
  packageId: string;
  price: string;
  notice?: string;
  noticeHash?: string;
}

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
}

/** Package sales: checks every rule before anything is sent, so a refused sale changes nothing on chain. */
export function createAssignmentsService(fastify: FastifyInstance) {
  const { chain } = fastify;
  const assignments = fastify.store.sub<AssignmentRecord>("assignments");
  /** Notice commitment on chain → the assignment, the salt and the text's hash. */
  const notices = fastify.store.sub<{ assignmentId: string; salt: string; contentHash: string }>("assignment-notices");

  return {
    /** The salt and content hash behind an assignment notice commitment on chain, if this store has it. */
    noticeOf: (commitment: string) => notices.get(commitment.toLowerCase()),

    /**
     * Sells a package. The notice text is required: only a salted commitment to it goes on chain
     * (the bare keccak256 of a letter naming the debtor hashes back from a name dictionary).
     */
    async assign(caller: Caller, req: AssignmentRequest): Promise<{ txHash: string; blockNumber: number; blockHash: string; packageId: string; noticeHash: string; noticeContentHash: string; noticeSalt: string; handoverId: string; filesCommitment: string }> {
      if (!caller.privateKey || !caller.address) throw new ForbiddenError("this API key has no signing account");
      const price = parseMinor(req.price, "price");
      const to = getAddress(req.to);
      if (new Set(req.claimIds.map((c) => c.toLowerCase())).size !== req.claimIds.length) {
        throw new ValidationError("claimIds", "must not repeat a claim");
      }
      if (!req.notice) throw new ValidationError("notice", "required: the notice text (only a salted commitment to it goes on chain)");
      const committed: DocumentCommitment = commitDocument(req.notice);
      if (req.noticeHash && req.noticeHash.toLowerCase() !== committed.contentHash) {
        throw new ValidationError("noticeHash", "does not match keccak256 of notice");
      }
      const noticeHash = committed.commitment;
      if (!(await chain.registry.hasRole(roleId("HOLDER"), to))) {
        throw new ValidationError("to", "must hold the HOLDER role (a licensed AMC or qualified investor)");
      }
      const me = caller.address.toLowerCase();
      for (const claimId of req.claimIds) {
        if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
        const holder = await chain.registry.holderOf(claimId);
        if (holder.toLowerCase() !== me) {
          throw new ConflictError("not-holder", `claim ${claimId} is not held by the caller (holder ${holder})`, { claimId, holder });
        }
        if (await chain.registry.isResaleRestricted(claimId)) {
          throw new ConflictError("resale-restricted", `claim ${claimId} is a retail claim bought in a package sale and may not be sold again`, { claimId });
        }
      }
      const record: AssignmentRecord = {
        id: randomUUID(),
        claimIds: req.claimIds,
        from: caller.address,
        to,
        packageId: req.packageId,
        price: price.toString(),
        noticeHash,
        noticeContentHash: committed.contentHash,
        noticeSalt: committed.salt,
        notice: req.notice,
        status: "pending",
        createdAt: new Date().toISOString(),
      };
      await writeBatch(fastify.store, [
        { type: "put", sublevel: assignments as SublevelOf<unknown>, key: record.id, value: record },
        { type: "put", sublevel: notices as SublevelOf<unknown>, key: noticeHash, value: { assignmentId: record.id, salt: committed.salt, contentHash: committed.contentHash } },
      ]);
      // The loan files go to the buyer's node (src/app/handover): their salted commitment is part of the sale.
      const { filesCommitment } = await fastify.handover.seller.prepare({
        id: record.id, from: caller.address, to, claimIds: req.claimIds, packageId: req.packageId,
        notice: { contentHash: committed.contentHash, salt: committed.salt, commitment: noticeHash, text: req.notice },
      });
      const data = chain.registry.interface.encodeFunctionData("assign", [
        req.claimIds,
        to,
        originatorCodeToBytes32(req.packageId),
        price,
        noticeHash,
        filesCommitment,
      ]);
      try {
        const entry = await chain.outbox.send(chain.wallet(caller.privateKey), { to: await chain.registry.getAddress(), data }, `assign:${record.id}`);
        record.txHash = entry.hash;
        await assignments.put(record.id, record, DURABLE);
        const receipt = await chain.outbox.wait(entry);
        record.status = "done";
        record.blockNumber = receipt.blockNumber;
        await assignments.put(record.id, record, DURABLE);
        await fastify.handover.seller.committed(record.id, receipt);
        fastify.metrics.chainTransactions.inc({ kind: "assign", outcome: "mined" });
        return { txHash: entry.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, packageId: req.packageId, noticeHash, noticeContentHash: committed.contentHash, noticeSalt: committed.salt, handoverId: record.id, filesCommitment };
      } catch (e) {
        record.status = "failed";
        await assignments.put(record.id, record, DURABLE);
        if (!record.txHash) await fastify.handover.seller.cancelled(record.id);
        fastify.metrics.chainTransactions.inc({ kind: "assign", outcome: "failed" });
        throw claimRevertToError(e);
      }
    },
  };
}

export type AssignmentsService = ReturnType<typeof createAssignmentsService>;
