import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { parseMinor } from "../../core/money.js";
import { bidCommitment, newSalt, saltedCommitment } from "../../core/market.js";
import { claimMarketWrites } from "../../chain/contracts/ClaimMarket.js";
import { DURABLE } from "../../store/db.js";
import { bidKey, type BidRecord } from "../../store/repos/market.js";
import type { Caller } from "../access.js";
import { isoNow, serviceNow } from "../deps.js";
import { claimRevertToError } from "../claims/errors.js";
import type { MarketDeps } from "./deps.js";
import { sendOnce } from "./send.js";

/**
 * The bidder's side: a sealed bid's amount and salt are generated and stored here BEFORE the commitment is sent
 * (a crash between the two is recovered by sending the stored commitment; the reveal works after a restart), and
 * never leave this node before the reveal. `revealDue` reveals every stored bid whose commit phase ended — run by a
 * timer at the bidder's node — and the explicit reveal does the same for one listing.
 */
export function createMarketBidder(deps: MarketDeps) {
  const { chain, repos } = deps;
  const { bids } = repos.market;
  const save = (r: BidRecord) => bids.put(bidKey(r.listingId, r.bidder), r, DURABLE);
  const signer = (caller: Caller) => {
    if (!caller.privateKey || !caller.address) throw new ForbiddenError("this API key has no signing account");
    return chain.wallet(caller.privateKey);
  };

  async function listingRow(listingId: string) {
    const { listing } = await deps.index.listing(listingId.toLowerCase());
    if (!listing) throw new NotFoundError("listing", listingId);
    return listing;
  }

  /**
   * A bid's reveal in flight in this node, by bid: the node's timer and its bidder's click (or two clicks)
   * share one — a second send would revert as already revealed and, failing, mark the stored bid committed.
   */
  const revealing = new Map<string, ReturnType<typeof revealOnce>>();
  function reveal(caller: Caller, rec: BidRecord): ReturnType<typeof revealOnce> {
    const key = bidKey(rec.listingId, rec.bidder);
    const running = revealing.get(key);
    if (running) return running;
    const p = revealOnce(caller, rec).finally(() => revealing.delete(key));
    revealing.set(key, p);
    return p;
  }

  async function revealOnce(caller: Caller, rec: BidRecord) {
    rec.status = "revealing";
    await save(rec);
    try {
      const receipt = await sendOnce(deps, "market-reveal", rec, "revealTx", save, () =>
        claimMarketWrites(deps).revealBid(signer(caller), rec.listingId, BigInt(rec.amount), rec.salt, `market-reveal:${rec.listingId}:${rec.bidder}`));
      rec.status = "revealed";
      await save(rec);
      await deps.waitForIndex?.(receipt.blockNumber);
      return { listingId: rec.listingId, status: rec.status, txHash: receipt.hash, blockNumber: receipt.blockNumber };
    } catch (e) {
      rec.lastError = String((e as Error).message ?? e);
      if (!rec.revealTx) rec.status = "committed";
      await save(rec);
      throw claimRevertToError(e);
    }
  }

  return {
    /** Commits a sealed bid: eligibility and window checked first; amount, salt and deposit proof stored before sending. */
    async commit(caller: Caller, listingId: string, req: { amount: string; depositProof: string }) {
      const wallet = signer(caller);
      const amount = parseMinor(req.amount, "amount");
      if (amount >= 2n ** 128n) throw new ValidationError("amount", "at most 2^128 - 1 fen");
      if (!req.depositProof || req.depositProof.length > 200) throw new ValidationError("depositProof", "required: the deposit payment's reference, at most 200 characters (only a salted commitment goes on chain)");
      const row = await listingRow(listingId);
      const id = row.listingId;
      const key = bidKey(id, wallet.address);
      const known = await bids.get(key);
      if (known && known.status !== "pending" && known.status !== "failed") {
        throw new ConflictError("bid-exists", "one sealed bid per bidder and listing, never replaced", { field: "listingId", listingId: id });
      }
      if (row.status !== "open") throw new ConflictError("listing-status", `listing ${id} is ${row.status}`, { field: "listingId" });
      if (Math.floor((await serviceNow(deps)) / 1000) >= row.commitEnd) throw new ConflictError("commit-closed", "bids are committed only before commitEnd", { field: "listingId", commitEnd: row.commitEnd });
      if (!chain.market || !(await chain.market.isEligible(id, wallet.address))) {
        throw new ForbiddenError(row.licensedAmcOnly ? "only licensed AMCs may bid on this listing (personal NPLs: 26号文; a bank's batch: 财金〔2012〕6号)" : "the bidder is neither a licensed AMC nor a qualified investor, or is the seller", { field: "listingId", rule: row.licensedAmcOnly ? (row.retailClaims > 0 ? "licensed-amc-only-personal" : "licensed-amc-only") : "not-eligible" });
      }
      // A stored bid that was never sent keeps its salt (so a retry sends the same commitment); a new one gets its own.
      const salt = known && known.amount === amount.toString() ? known.salt : newSalt();
      const depositSalt = known?.depositSalt ?? newSalt();
      const rec: BidRecord = known && known.amount === amount.toString() && known.commitTx ? known : {
        listingId: id, bidder: wallet.address, amount: amount.toString(), salt, commitment: bidCommitment(id, wallet.address, amount, salt),
        depositProof: req.depositProof, depositSalt, depositRef: saltedCommitment(req.depositProof, depositSalt), status: "pending", createdAt: isoNow(deps),
      };
      await save(rec);
      try {
        const receipt = await sendOnce(deps, "market-commit", rec, "commitTx", save, () =>
          claimMarketWrites(deps).commitBid(wallet, id, rec.commitment, rec.depositRef, `market-commit:${id}:${wallet.address}`));
        rec.status = "committed";
        await save(rec);
        await deps.waitForIndex?.(receipt.blockNumber);
        return { listingId: id, commitment: rec.commitment, status: rec.status, txHash: receipt.hash, blockNumber: receipt.blockNumber };
      } catch (e) {
        if (!rec.commitTx) {
          rec.status = "failed";
          await save(rec);
        }
        throw claimRevertToError(e);
      }
    },

    /** Reveals this caller's stored bid on a listing (from commitEnd until before revealEnd). */
    async reveal(caller: Caller, listingId: string) {
      const rec = caller.address ? await bids.get(bidKey(listingId, caller.address)) : undefined;
      if (!rec || rec.status === "pending" || rec.status === "failed") throw new NotFoundError("bid", listingId);
      if (rec.status === "revealed") return { listingId: rec.listingId, status: rec.status, txHash: rec.revealTx!, blockNumber: null };
      return reveal(caller, rec);
    },

    /**
     * Reveals every committed bid of the given callers whose commit phase ended and reveal phase has not (the
     * bidder node's timer); a failure is kept on the bid (`lastError`) and tried again next time.
     */
    async revealDue(callers: readonly Caller[], nowMs: number): Promise<number> {
      let done = 0;
      const byAddress = new Map(callers.filter((c) => c.address).map((c) => [c.address!.toLowerCase(), c]));
      for await (const rec of bids.values()) {
        const caller = byAddress.get(rec.bidder.toLowerCase());
        if (!caller || (rec.status !== "committed" && rec.status !== "revealing")) continue;
        const { listing } = await deps.index.listing(rec.listingId);
        const now = Math.floor(nowMs / 1000);
        if (!listing || listing.status !== "open" || now < listing.commitEnd || now >= listing.revealEnd) continue;
        await reveal(caller, rec).then(() => done++, (e) => deps.log.warn({ listingId: rec.listingId, err: String(e) }, "market: reveal failed; tried again"));
      }
      return done;
    },

    /** The winner records its payment: a salted commitment to the payment's proof goes on chain. */
    async recordPayment(caller: Caller, listingId: string, req: { paymentProof: string }) {
      if (!req.paymentProof || req.paymentProof.length > 200) throw new ValidationError("paymentProof", "required: the payment's reference, at most 200 characters");
      const row = await listingRow(listingId);
      const commitment = saltedCommitment(req.paymentProof, newSalt());
      const receipt = await (await claimMarketWrites(deps).recordPayment(signer(caller), row.listingId, commitment, `market-payment:${row.listingId}`)
        .catch((e) => { throw claimRevertToError(e); })).wait();
      await deps.waitForIndex?.(receipt.blockNumber);
      return { listingId: row.listingId, paymentCommitment: commitment, txHash: receipt.hash, blockNumber: receipt.blockNumber };
    },

    /** This caller's own bids, with their amounts (they are this node's). */
    async mine(caller: Caller): Promise<BidRecord[]> {
      const out: BidRecord[] = [];
      const me = caller.address?.toLowerCase();
      if (!me) return out;
      for await (const rec of bids.values()) if (rec.bidder.toLowerCase() === me) out.push(rec);
      return out;
    },
  };
}
