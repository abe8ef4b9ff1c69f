import { randomUUID } from "node:crypto";
import { getAddress } from "ethers";
import { commitDocument, type DocumentCommitment } from "../../core/commitment.js";
import { coded, ConflictError, NotFoundError, ValidationError, ForbiddenError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import { parseMinor } from "../../core/money.js";
import { roleId } from "../../chain/roles.js";
import { claimRegistryWrites } from "../../chain/contracts/ClaimRegistry.js";
import { claimMarketWrites } from "../../chain/contracts/ClaimMarket.js";
import { sendRecorded } from "../../chain/contracts/tx.js";
import { DURABLE, TypedBatch } from "../../store/db.js";
import type { AssignmentRecord } from "../../store/repos/assignments.js";
import type { Caller } from "../access.js";
import { isoNow, type AppDeps } from "../deps.js";
import { claimRevertToError } from "../claims/errors.js";
import type { PackageSales } from "../packages/sales.js";
import type { PackageRecord } from "../../store/repos/packages.js";
import type { Seller } from "../handover/seller.js";
import type { SystemRecorder } from "../evidence/index.js";
import { listingLabels } from "../market/labels.js";
import { recordTransferLetters, renderTransfer, requireTransferAllowed, transferFacts, type TransferLetter, type TransferTerms } from "./transfer.js";

export interface AssignmentRequest {
  claimIds: string[];
  to: string;
  packageId: string;
  price: string;
  notice?: string;
  noticeHash?: string;
  /**
   * The market listing whose award this sale executes (issue 19): sent as ClaimMarket.executeAward, which moves the
   * listed claims to the award's winner at the winning bid — `to` and `price` must be those.
   */
  listingId?: string;
  /** The transfer as the rules require it (./transfer.ts): checked before the sale, its letters recorded after. */
  transfer?: TransferTerms;
}

export type AssignmentsDeps = Pick<AppDeps, "repos" | "chain" | "clock" | "metrics"> & {
  /** Package names once per seller, their salted refs on chain, each claim's share of the price (src/app/packages/sales.ts). */
  packages: Pick<PackageSales, "reserve" | "settle" | "find">;
  /** The claims' loan files to the buyer's node (src/app/handover): their commitment is part of the sale. */
  handover: Pick<Seller, "prepare" | "committed" | "cancelled">;
  /** Records the transfer letters in the claims' evidence. */
  evidence?: Pick<SystemRecorder, "recordSystem">;
  /** The role of one of this node's accounts (its API keys), by address. */
  roleOf?: (address: string) => string | undefined;
};

/** Package sales: checks every rule before anything is sent, so a refused sale changes nothing on chain. */
export function createAssignments(deps: AssignmentsDeps) {
  const { chain, repos, packages, handover } = deps;
  const registry = claimRegistryWrites(deps);
  const { assignments, notices } = repos.assignments;
  const labels = listingLabels(deps);
  /** Sales this process is making now (reserved, not yet settled): after a crash, none. */
  const inFlight = new Set<string>();

  /**
   * A sale reserved before whose transaction this node sent: found by the hash it kept or, when it died between
   * broadcasting and writing the hash, by the outbox's tag. Mined and successful: the records are settled and the
   * sale's answer rebuilt from them and the receipt. Otherwise undefined (still pending, or never sent).
   */
  async function reconcile(prior: PackageRecord, noticeContentHash: string) {
    const record = await assignments.get(prior.assignmentId);
    if (!record || record.noticeContentHash !== noticeContentHash) return undefined;
    const hashes = [prior.txHash ?? record.txHash, ...(await chain.outbox.findByTag(`assign:${record.id}`)).map((e) => e.hash)].filter((h): h is string => !!h);
    for (const hash of new Set(hashes)) {
      const receipt = await chain.provider.getTransactionReceipt(hash);
      if (!receipt || receipt.status !== 1) continue;
      const sold = receipt.logs.map((l) => { try { return chain.registry.interface.parseLog(l); } catch { return null; } })
        .find((l) => l?.name === "PackageAssigned" && String(l.args.packageId).toLowerCase() === prior.ref.toLowerCase());
      if (!sold) continue;
      if (record.status !== "done" || record.txHash !== receipt.hash) {
        await assignments.put(record.id, { ...record, status: "done", txHash: receipt.hash, blockNumber: receipt.blockNumber }, DURABLE);
      }
      if (prior.status !== "done") await packages.settle(prior, { status: "done", txHash: receipt.hash, blockNumber: receipt.blockNumber });
      await handover.committed(record.id, receipt);
      return {
        txHash: receipt.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, packageId: prior.label, packageRef: prior.ref, packageSalt: prior.salt,
        priceShares: prior.shares, noticeHash: record.noticeHash, noticeContentHash, noticeSalt: record.noticeSalt ?? "", handoverId: record.id,
        filesCommitment: String(sold.args.filesCommitment),
        ...(record.transferLetters ? { transfer: { letters: record.transferLetters } } : {}),
      };
    }
    return undefined;
  }

  /**
   * A reservation that never became a sale on chain, and that no sale of this process is making now: none of its
   * transactions kept (the node died before signing: the outbox holds none) or every one reverted, and the chain
   * has the seller's package id unused. Recorded as failed, so the label may be used again (the chain would refuse
   * a second sale under it anyway).
   */
  async function releaseAbandoned(prior: PackageRecord): Promise<void> {
    if (inFlight.has(prior.assignmentId)) return;
    const record = await assignments.get(prior.assignmentId);
    const hashes = new Set([prior.txHash, record?.txHash, ...(await chain.outbox.findByTag(`assign:${prior.assignmentId}`)).map((e) => e.hash)].filter((h): h is string => !!h));
    for (const hash of hashes) {
      const receipt = await chain.provider.getTransactionReceipt(hash);
      if (!receipt || receipt.status === 1) return; // still pending, or through (then it is not this sale: sameSale decided)
    }
    if (await chain.registry.isPackageIdUsed(prior.seller, prior.ref)) return;
    if (record) await assignments.put(record.id, { ...record, status: "failed" }, DURABLE);
    await packages.settle(prior, { status: "failed" });
    await handover.cancelled(prior.assignmentId);
  }

  /**
   * The chain refused the package id: the seller sold under it before (another node of the seller's, a direct call,
   * a store restored from an old backup) though this node's records had it free. 409 with the code the off-chain
   * check uses, so people read one message.
   */
  async function packageRevertToError(e: unknown, pkg: PackageRecord): Promise<ConflictError | undefined> {
    if (!(e instanceof ChainRevertError) || e.errorName !== "PackageIdAlreadyUsed") return undefined;
    // The earlier sale's date, from its event (the chain knows it though this node does not).
    const [earlier] = await chain.registry.queryFilter(chain.registry.filters.PackageAssigned(pkg.ref, pkg.seller), 0).catch(() => []);
    const block = earlier ? await chain.provider.getBlock(earlier.blockNumber).catch(() => null) : null;
    const usedAt = block ? new Date(block.timestamp * 1000).toISOString().slice(0, 10) : "—";
    return coded(new ConflictError("package-id-taken", `packageId: ${pkg.label} was already used by this seller on chain (${usedAt})`, { field: "packageId", rule: "package-id-taken" }),
      "validation.package-id-taken", { packageId: pkg.label, usedAt });
  }

  return {
    /**
     * Sells a package. The notice text is required: only a salted commitment to it goes on chain
     * (the bare keccak256 of a letter naming the debtor hashes back from a name dictionary).
     */
    async assign(caller: Caller, req: AssignmentRequest): Promise<{ txHash: string; blockNumber: number; blockHash: string; packageId: string; packageRef: string; packageSalt: string; priceShares: Record<string, string>; noticeHash: string; noticeContentHash: string; noticeSalt: string; handoverId: string; filesCommitment: string;
      transfer?: { letters: TransferLetter[]; announcement?: { text: string; contentHash: string; claimIds: string[] } };
    }> {
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
      // The same sale again (a client's retry after a crash or a lost answer): if it went through on chain, it is
      // done — answered as it would have been, never refused as a reused package id nor sent twice.
      const prior = await packages.find(caller.address, req.packageId);
      if (prior && prior.status !== "failed" && sameSale(prior, to, req.claimIds, price)) {
        const done = await reconcile(prior, committed.contentHash);
        if (done) return done;
      }
      if (prior && prior.status === "pending") await releaseAbandoned(prior);
      // A live market listing of the seller's holds its label as the package id its award will be sold under.
      if (!req.listingId) await labels.refuseHeld(caller.address, req.packageId);
      if (!(await chain.registry.hasRole(roleId("HOLDER"), to))) {
        throw new ValidationError("to", "must hold the HOLDER role (a licensed AMC or qualified investor)");
      }
      const me = caller.address.toLowerCase();
      if (req.listingId) {
        const l = chain.market ? await chain.market.listingOf(req.listingId) : null;
        if (!l || Number(l.status) !== 2) throw new ConflictError("not-awarded", `listing ${req.listingId} is not awarded`, { field: "listingId" });
        if (l.seller.toLowerCase() !== me) throw new ForbiddenError("only the listing's seller executes its award", { field: "listingId" });
        if (l.winner.toLowerCase() !== to.toLowerCase() || l.winningBid !== price) throw new ValidationError("to", "must be the award's winner at the winning bid");
      }
      const restricted = new Map<string, boolean>();
      for (const claimId of req.claimIds) {
        if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
        const holder = await chain.registry.holderOf(claimId);
        if (holder.toLowerCase() !== me) {
          throw new ConflictError("not-holder", `claim ${claimId} is not held by the caller (holder ${holder})`, { claimId, holder });
        }
        const isRestricted = await chain.registry.isResaleRestricted(claimId);
        restricted.set(claimId, isRestricted);
        // With transfer terms, the rules module names this refusal among the others (1191号文).
        if (isRestricted && !req.transfer) {
          throw new ConflictError("resale-restricted", `claim ${claimId} is a retail claim bought in a package sale and may not be sold again`, { claimId });
        }
      }
      // The transfer's rules and letters, checked before anything is sent.
      let rendered: ReturnType<typeof renderTransfer> | undefined;
      if (req.transfer) {
        const records = await Promise.all(req.claimIds.map((c) => repos.claims.get(c.toLowerCase())));
        requireTransferAllowed(req.transfer, req.claimIds.map((c, i) => ({ claimId: c, record: records[i], resaleRestricted: restricted.get(c)! })), deps.roleOf?.(to), caller.role !== "bank");
        const missing = records.findIndex((r) => r === undefined);
        if (missing >= 0) throw new ValidationError(`claimIds[${missing}]`, "no-loan-file-here: the transfer notices need the debtor and guarantors");
        rendered = renderTransfer(req.transfer, transferFacts(req.transfer, caller.name, deps.clock.now()), req.claimIds.map((c, i) => ({ claimId: c.toLowerCase(), record: records[i]! })));
      }
      const id = randomUUID();
      inFlight.add(id);
      try {
        const pkg = await packages.reserve({ seller: caller.address, buyer: to, label: req.packageId, claimIds: req.claimIds, price, assignmentId: id });
        const record: AssignmentRecord = {
          id,
          claimIds: req.claimIds,
          from: caller.address,
          to,
          packageId: pkg.label,
          price: price.toString(),
          noticeHash,
          noticeContentHash: committed.contentHash,
          noticeSalt: committed.salt,
          notice: req.notice,
          status: "pending",
          createdAt: isoNow(deps),
          ...(req.transfer ? { transfer: { ...req.transfer } } : {}),
        };
        await new TypedBatch()
          .put(assignments, record.id, record)
          .put(notices, noticeHash, { assignmentId: record.id, salt: committed.salt, contentHash: committed.contentHash })
          .write(repos.store);
        let filesCommitment: string;
        try {
          ({ filesCommitment } = await handover.prepare({
            id: record.id, from: caller.address, to, claimIds: req.claimIds, packageRef: pkg.ref, packageLabel: pkg.label,
            notice: { contentHash: committed.contentHash, salt: committed.salt, commitment: noticeHash, text: req.notice },
          }));
        } catch (e) {
          record.status = "failed";
          await assignments.put(record.id, record, DURABLE);
          await packages.settle(pkg, { status: "failed" });
          throw e;
        }
        let receipt;
        try {
          const wallet = chain.wallet(caller.privateKey!);
          receipt = await sendRecorded(record, (r) => assignments.put(record.id, r, DURABLE), () => req.listingId
            ? claimMarketWrites(deps).executeAward(wallet, { listingId: req.listingId, claimIds: req.claimIds, packageId: pkg.ref, noticeHash, filesCommitment }, `assign:${record.id}`)
            : registry.assign(wallet, { claimIds: req.claimIds, to, packageId: pkg.ref, price, noticeHash, filesCommitment }, `assign:${record.id}`), "done");
          await packages.settle(pkg, { status: "done", txHash: receipt.hash, blockNumber: receipt.blockNumber });
          await handover.committed(record.id, receipt);
        } catch (e) {
          record.status = "failed";
          await assignments.put(record.id, record, DURABLE);
          await packages.settle(pkg, { status: record.txHash ? "pending" : "failed", txHash: record.txHash });
          if (!record.txHash) await handover.cancelled(record.id);
          throw (await packageRevertToError(e, pkg)) ?? claimRevertToError(e);
        }
        let transfer;
        if (rendered && deps.evidence) {
          // After the sale: one letter per debtor and guarantor in each claim's evidence (民法典第546、696条).
          const letters = await recordTransferLetters(deps.evidence, rendered.notices, isoNow(deps));
          record.transferLetters = letters;
          await assignments.put(record.id, record, DURABLE);
          transfer = { letters, ...(rendered.announcement ? { announcement: { text: rendered.announcement.text, contentHash: rendered.announcement.contentHash, claimIds: rendered.announcement.claimIds } } : {}) };
        }
        return {
          txHash: receipt.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, packageId: pkg.label, packageRef: pkg.ref, packageSalt: pkg.salt,
          priceShares: pkg.shares, noticeHash, noticeContentHash: committed.contentHash, noticeSalt: committed.salt, handoverId: record.id, filesCommitment,
          ...(transfer ? { transfer } : {}),
        };
      } finally {
        inFlight.delete(id);
      }
    },
  };
}

export type Assignments = ReturnType<typeof createAssignments>;

/** Whether `prior` is this very sale: the same buyer, claims and price. */
function sameSale(prior: PackageRecord, to: string, claimIds: string[], price: bigint): boolean {
  const ids = (xs: string[]) => xs.map((c) => c.toLowerCase()).sort().join();
  return prior.buyer.toLowerCase() === to.toLowerCase() && prior.price === price.toString() && ids(prior.claimIds) === ids(claimIds);
}
