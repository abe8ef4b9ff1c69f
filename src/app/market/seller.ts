import { getAddress, ZeroHash } from "ethers";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { parseMinor } from "../../core/money.js";
import { canonicalJson } from "../../core/canonical.js";
import { checkWindow, licensedAmcOnlyRequired, newSalt, reserveCommitment, saltedCommitment } from "../../core/market.js";
import { roleId } from "../../chain/roles.js";
import { termsWithRoom } from "../../core/market/room-binding.js";
import { claimMarketWrites } from "../../chain/contracts/ClaimMarket.js";
import { DURABLE, TypedBatch } from "../../store/db.js";
import { normalizePackageLabel } from "../../core/packages.js";
import { listingLabels } from "./labels.js";
import { packageKey } from "../../store/repos/packages.js";
import type { ListingRecord } from "../../store/repos/market.js";
import type { Caller } from "../access.js";
import { isoNow, serviceNow } from "../deps.js";
import { claimRevertToError } from "../claims/errors.js";
import type { MarketDeps } from "./deps.js";
import { sendOnce } from "./send.js";

export interface ListingRequest {
  label: string;
  claimIds: string[];
  /** 基准日 YYYY-MM-DD. */
  cutoffDate: string;
  commitEnd: number;
  revealEnd: number;
  executionPeriodSeconds: number;
  deposit: string;
  /** The reserve (fen), published unless `hideReserve`. Omitted: none. */
  reserve?: string;
  hideReserve?: boolean;
  /** Only licensed AMCs may bid; forced where the rules require it (any personal claim; a bank's batch of ten or more). */
  licensedAmcOnly?: boolean;
  /** The listing's terms as the data room states them (off chain; their salted commitment goes on chain). */
  terms?: Record<string, unknown>;
  /** The seller's data room of these very claims: the terms then name it and its tape's hash, so the listing's commitment binds the tape. */
  roomId?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The seller's side of the market: list, cancel, award (revealing a hidden reserve), execute, the runner-up. */
export function createMarketSeller(deps: MarketDeps) {
  const { chain, repos } = deps;
  const writes = () => claimMarketWrites(deps);
  const { listings } = repos.market;
  const save = (r: ListingRecord) => listings.put(r.listingId, r, DURABLE);
  const labels = listingLabels(deps);
  const signer = (caller: Caller) => {
    if (!caller.privateKey || !caller.address) throw new ForbiddenError("this API key has no signing account");
    return chain.wallet(caller.privateKey);
  };
  const market = () => {
    if (!chain.market) throw new ValidationError("DEPLOYMENT_FILE", "the deployment has no ClaimMarket: redeploy");
    return chain.market;
  };

  /** Our own listing, listed by this caller. */
  async function own(caller: Caller, listingId: string): Promise<ListingRecord> {
    const rec = await listings.get(listingId.toLowerCase());
    if (!rec) throw new NotFoundError("listing", listingId);
    if (rec.seller.toLowerCase() !== caller.address?.toLowerCase()) throw new ForbiddenError("only the listing's seller may do this", { listingId });
    return rec;
  }

  /**
   * A listing's record, checked but not written: the claims (held by the caller, not restricted nor listed), the
   * window, who may bid; its salts drawn here. `fixed.listingId` names it (a relist's id, derived from the old one).
   */
  async function prepare(caller: Caller, req: ListingRequest, fixed: { listingId?: string; relistOf?: ListingRecord["relistOf"] } = {}): Promise<ListingRecord> {
    const wallet = signer(caller);
    const me = wallet.address;
    // The label is the package id the award is sold under: the same rules (at most 64 characters, no control characters).
    const label = normalizePackageLabel(typeof req.label === "string" ? req.label : "", "label");
    if (req.claimIds.length === 0) throw new ValidationError("claimIds", "at least one claim");
    if (new Set(req.claimIds.map((c) => c.toLowerCase())).size !== req.claimIds.length) throw new ValidationError("claimIds", "must not repeat a claim");
    if (!DAY.test(req.cutoffDate)) throw new ValidationError("cutoffDate", "YYYY-MM-DD (基准日)");
    const nowSec = Math.floor((await serviceNow(deps)) / 1000);
    checkWindow({ commitEnd: req.commitEnd, revealEnd: req.revealEnd, executionPeriod: req.executionPeriodSeconds }, nowSec);
    const deposit = parseMinor(req.deposit, "deposit");
    const reserve = req.reserve === undefined ? 0n : parseMinor(req.reserve, "reserve");
    if (req.hideReserve && req.reserve === undefined) throw new ValidationError("reserve", "required when hideReserve is set");
    let retail = 0;
    for (const [i, claimId] of req.claimIds.entries()) {
      if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
      if ((await chain.registry.holderOf(claimId)).toLowerCase() !== me.toLowerCase()) throw new ValidationError(`claimIds[${i}]`, "must be held by the seller");
      if (await chain.registry.isResaleRestricted(claimId)) throw new ValidationError(`claimIds[${i}]`, "resale-restricted (a personal NPL bought in a batch is not sold again)");
      if (await chain.registry.isListed(claimId)) throw new ConflictError("claim-listed", `claim ${claimId} is listed already`, { field: `claimIds[${i}]`, claimId });
      if (await chain.registry.isRetail(claimId)) retail++;
    }
    const required = licensedAmcOnlyRequired({ retailClaims: retail, claimCount: req.claimIds.length, sellerIsOriginator: await chain.registry.hasRole(roleId("ORIGINATOR"), me) });
    if (required && req.licensedAmcOnly === false) {
      throw new ValidationError("licensedAmcOnly", retail > 0 ? "personal NPLs go only to licensed AMCs (26号文)" : "a bank's batch of ten or more goes only to licensed AMCs (财金〔2012〕6号)");
    }
    const labelSalt = newSalt();
    const listingId = fixed.listingId ?? saltedCommitment(label, labelSalt);
    const termsSalt = newSalt();
    let terms = req.terms ?? {};
    if (req.roomId !== undefined) {
      if (!deps.rooms) throw new ValidationError("roomId", "room-not-sellers");
      const room = await deps.rooms.forListing(me, req.roomId);
      const listed = new Set(req.claimIds.map((c) => c.toLowerCase()));
      if (room.claimIds.length !== listed.size || room.claimIds.some((c) => !listed.has(c.toLowerCase()))) throw new ValidationError("roomId", "room-claims-differ");
      terms = termsWithRoom(terms, room);
    }
    const reserveSalt = req.hideReserve ? newSalt() : null;
    return {
      listingId, label, labelSalt, seller: me, claimIds: req.claimIds.map((c) => c.toLowerCase()), cutoffDate: req.cutoffDate,
      commitEnd: req.commitEnd, revealEnd: req.revealEnd, executionPeriod: req.executionPeriodSeconds, deposit: deposit.toString(),
      reserve: req.reserve === undefined ? null : reserve.toString(), reserveHidden: !!req.hideReserve, reserveSalt,
      licensedAmcOnly: required || req.licensedAmcOnly === true, terms, termsSalt, termsCommitment: saltedCommitment(canonicalJson(terms), termsSalt),
      status: "pending", createdAt: isoNow(deps), ...(fixed.relistOf ? { relistOf: fixed.relistOf } : {}),
    };
  }

  /**
   * Sends a listing written before (status pending) exactly once: a transaction already sent for it — its hash on
   * the record, or found in the outbox by its tag after a crash between the two writes — is waited for, and a
   * listing the chain shows already (ours) is taken as listed, never sent again.
   */
  async function send(caller: Caller, record: ListingRecord): Promise<{ listing: ListingRecord; blockNumber: number }> {
    if (record.status === "listed") return { listing: record, blockNumber: record.blockNumber ?? 0 };
    const wallet = signer(caller);
    const tag = `market-list:${record.listingId}`;
    // A relist's id is derived, so a crash may have left its transaction in the outbox without its hash on the record
    // (a fresh listing's id is new: nothing to find). The outbox scan is a relist's only.
    const sentBefore = async () => (await chain.outbox.findByTag(tag)).find((e) => e.tag === tag && e.from.toLowerCase() === wallet.address.toLowerCase() && (e.status === "sent" || e.status === "mined"));
    if (!record.txHash && record.relistOf) {
      const sent = await sentBefore();
      if (sent) {
        record.txHash = sent.hash;
        await save(record);
      }
    }
    const onChain = await market().listingOf(record.listingId);
    if (Number(onChain.status) !== 0 && !record.txHash) {
      if (onChain.seller.toLowerCase() !== wallet.address.toLowerCase()) throw new ConflictError("listing-exists", `listing ${record.listingId} exists`, { field: "listingId" });
      const row = (await deps.index.listing(record.listingId)).listing;
      Object.assign(record, { status: "listed", blockNumber: row?.listedBlock ?? 0 });
      await save(record);
      return { listing: record, blockNumber: record.blockNumber! };
    }
    const cutoff = Math.floor(Date.parse(`${record.cutoffDate}T00:00:00+08:00`) / 1000);
    const reserve = BigInt(record.reserve ?? "0");
    try {
      const receipt = await sendOnce(deps, "market-list", record, "txHash", save, () => writes().list(wallet, {
        listingId: record.listingId, termsCommitment: record.termsCommitment, cutoffDate: cutoff, commitEnd: record.commitEnd, revealEnd: record.revealEnd,
        executionPeriod: record.executionPeriod, deposit: BigInt(record.deposit), reserve: record.reserveSalt ? 0n : reserve,
        reserveCommitment: record.reserveSalt ? reserveCommitment(record.listingId, reserve, record.reserveSalt) : ZeroHash, licensedAmcOnly: record.licensedAmcOnly,
      }, record.claimIds, tag));
      Object.assign(record, { status: "listed", blockNumber: receipt.blockNumber });
      await save(record);
      await deps.waitForIndex?.(receipt.blockNumber);
      return { listing: record, blockNumber: receipt.blockNumber };
    } catch (e) {
      // Failed only when nothing went out for it (a relist's transaction may be out without its hash on the record).
      if (!record.txHash && !(record.relistOf && (await sentBefore().catch(() => undefined)))) {
        record.status = "failed";
        await save(record);
      }
      throw claimRevertToError(e);
    }
  }

  return {
    /**
     * Lists a package: checks the claims (held by the caller, not restricted nor listed) and who may bid, writes the
     * listing (with the hidden reserve's salt) BEFORE sending, then sends the listing's commitment on chain.
     */
    async list(caller: Caller, req: ListingRequest): Promise<{ listing: ListingRecord; blockNumber: number }> {
      const record = await prepare(caller, req);
      // Written with its label reserved as the seller's package id (409 package-id-taken when a sale or a live listing has it).
      await labels.write(record.seller, [record], new TypedBatch());
      // The room serves the terms and their salt from now on, so a buyer checks the tape against the chain's commitment.
      if (req.roomId !== undefined) await deps.rooms!.bindListing(req.roomId, { listingId: record.listingId, terms: record.terms, termsSalt: record.termsSalt });
      return send(caller, record);
    },

    prepare,
    send,
    labels,

    /** Withdraws a listing that has no bid yet (the contract refuses once one came: HasBids). */
    async cancel(caller: Caller, listingId: string) {
      const rec = await own(caller, listingId);
      const receipt = await (await writes().cancel(signer(caller), rec.listingId, rec.claimIds, `market-cancel:${rec.listingId}`).catch((e) => { throw claimRevertToError(e); })).wait();
      await deps.waitForIndex?.(receipt.blockNumber);
      return { listingId: rec.listingId, txHash: receipt.hash, blockNumber: receipt.blockNumber };
    },

    /**
     * Awards once the reveal ended (or ends the listing Unsold): reveals the hidden reserve from this node's record.
     * Anyone may award a listing with a public reserve; this route is the seller's.
     */
    async award(caller: Caller, listingId: string) {
      const rec = await own(caller, listingId);
      const reserve = rec.reserveHidden ? BigInt(rec.reserve ?? "0") : 0n;
      const receipt = await (await writes().award(signer(caller), rec.listingId, rec.claimIds, reserve, rec.reserveSalt ?? ZeroHash, `market-award:${rec.listingId}`)
        .catch((e) => { throw claimRevertToError(e); })).wait();
      await deps.waitForIndex?.(receipt.blockNumber);
      return { listingId: rec.listingId, txHash: receipt.hash, blockNumber: receipt.blockNumber };
    },

    /**
     * Executes the award as a package sale to the winner at the winning bid, through the assignment use case
     * (notice commitment, package ref, loan-file handover to the winner's node follow as for any sale).
     */
    async execute(caller: Caller, listingId: string, req: { notice: string }) {
      const rec = await own(caller, listingId);
      const l = await market().listingOf(rec.listingId);
      if (Number(l.status) !== 2) throw new ConflictError("not-awarded", `listing ${rec.listingId} is not awarded`, { field: "listingId", listingId: rec.listingId });
      // The package id, fixed before the sale is sent so a retry sells under the same one: the label, which the
      // listing reserved; a listing made before labels were reserved whose label a sale or another listing took
      // gets its label with its id's first digits — the award must execute, once the winner paid.
      if (!rec.packageLabel) {
        let label: string | undefined;
        try {
          label = normalizePackageLabel(rec.label, "label");
          // A sale of this very award under it begun before (an older node that died mid-sale): the same label, so it is reconciled, not sold twice.
          const begun = await repos.packages.byLabel.get(packageKey(rec.seller, label));
          const thisSale = begun && begun.status !== "failed" && begun.buyer.toLowerCase() === l.winner.toLowerCase() && begun.price === l.winningBid.toString()
            && [...begun.claimIds].map((c) => c.toLowerCase()).sort().join() === [...rec.claimIds].sort().join();
          if (!thisSale && (await labels.holder(rec.seller, label, rec.listingId))) label = undefined;
        } catch { /* a label over 64 characters from before: derived below */ }
        rec.packageLabel = label ?? `${rec.label.normalize("NFC").replace(/[\p{Cc}\p{Cf}\s]+/gu, " ").trim().slice(0, 40)} · ${rec.listingId.slice(2, 10)}`;
        await save(rec);
      }
      return deps.assignments.assign(caller, {
        claimIds: rec.claimIds, to: getAddress(l.winner), packageId: rec.packageLabel, price: l.winningBid.toString(), notice: req.notice,
        listingId: rec.listingId,
      });
    },

    /** After the deadline, anyone: the runner-up (or the listing ends Failed); the default is on chain. */
    async runnerUp(caller: Caller, listingId: string) {
      const row = (await deps.index.listing(listingId.toLowerCase())).listing;
      if (!row) throw new NotFoundError("listing", listingId);
      const receipt = await (await writes().awardRunnerUp(signer(caller), row.listingId, row.claimIds, `market-runner-up:${row.listingId}:${row.defaults.length}`)
        .catch((e) => { throw claimRevertToError(e); })).wait();
      await deps.waitForIndex?.(receipt.blockNumber);
      return { listingId: row.listingId, txHash: receipt.hash, blockNumber: receipt.blockNumber };
    },
  };
}
