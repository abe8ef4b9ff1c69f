import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";
import type { FastifyInstance } from "fastify";
import type { ClaimRegistrationStruct as ClaimRegistration } from "../../../types/ethers-contracts/ClaimRegistry.js";
import { normalizeClaim, type ClaimRequest, type NormalizedClaim, type ClauseTermsInput, type ClaimRules } from "../../core/claim-input.js";
import { ConflictError, ForbiddenError, NotFoundError, DebtrailError, ValidationError } from "../../core/errors.js";
import { formatMinor } from "../../core/money.js";
import { originatorCodeToBytes32, bytes32ToOriginatorCode } from "../../chain/roles.js";
import { ChainRevertError } from "../../chain/errors.js";
import { DURABLE } from "../../store/db.js";
import type { Caller } from "../plugins/auth.js";
import { loadClaimParties, mayReadDetails, mayReadPersonalData, withheld, type ClaimParties, type Party } from "../../app/access.js";

/** What the off-chain store keeps of a claim: the chain keeps only ids, amounts and hashes. */
export interface ClaimRecord {
  claimId: string;
  originatorCode: string;
  contractNo: string;
  /** Salt of the claim's loan reference (per loan, from the originator's secret): travels with the loan file. */
  loanSalt?: string;
  /** The salted loan reference on chain (ClaimRegistered.loanRef). */
  loanRef?: string;
  originator: string;
  debtor: ClaimRequest["debtor"];
  product: ClaimRequest["product"];
  region?: string;
  collateral?: ClaimRequest["collateral"];
  collateralHash: string;
  documentsRoot: string;
  clauses: ClauseTermsInput;
  principal: string;
  outstanding: string;
  currency: string;
  originatedAt: string;
  maturityAt: string;
  status: "pending" | "registered" | "failed";
  jobId?: string;
  txHash?: string;
  blockNumber?: number;
  error?: string;
  createdAt: string;
}

const ZERO32 = "0x" + "0".repeat(64);

/** Maps a ClaimRegistry revert to the error a caller understands. */
export function claimRevertToError(e: unknown): unknown {
  if (!(e instanceof ChainRevertError)) return e;
  const [first] = e.args as string[];
  switch (e.errorName) {
    case "ClaimAlreadyRegistered":
      return new ConflictError("already-registered", `claim ${first} is already registered`, { claimId: first });
    case "OriginatorCodeNotHeld":
      return new ForbiddenError(`originator code ${bytes32ToOriginatorCode(first)} is not bound to the caller's account`);
    case "AccessControlUnauthorizedAccount":
      return new ForbiddenError("the caller's account lacks the on-chain role for this");
    case "NotClaimHolder":
      return new ConflictError("not-holder", `claim ${first} is not held by the caller`, { claimId: first });
    case "ClaimResaleRestricted":
      return new ConflictError("resale-restricted", `claim ${first} may not be sold again`, { claimId: first });
    case "BuyerNotHolder":
      return new ValidationError("to", "must hold the HOLDER role (a licensed AMC or qualified investor)");
    case "EnforcedPause":
      return new ConflictError("paused", "the registry is paused by its administrator");
    case "NoticeDaysBelowMinimum":
      return new ValidationError("clauses.noticeDays", `must be at least ${e.args[2]} (the deployment's minimum notice period)`);
    default:
      return e;
  }
}

export function createClaimsService(fastify: FastifyInstance) {
  const { chain, store, config } = fastify;
  const claims = store.sub<ClaimRecord>("claims");
  // The deployment's rules, fixed for its life (ClaimRegistry's immutable minNoticeDays): read once.
  let rules: Promise<ClaimRules> | undefined;
  function claimRules(): Promise<ClaimRules> {
    rules ??= chain.registry.minNoticeDays().then((m) => ({ minNoticeDays: Number(m) }), (e) => {
      rules = undefined;
      throw e;
    });
    return rules;
  }

  /** Salted hash of the collateral description: it may hold an address, which is personal data. */
  function collateralHashOf(collateral: ClaimRequest["collateral"]): string {
    if (!collateral) return ZERO32;
    return "0x" + createHmac("sha256", config.piiSecret).update(canonicalize(collateral) ?? "").digest("hex");
  }

  function toRegistration(n: NormalizedClaim, collateralHash: string): ClaimRegistration {
    return {
      originatorCode: originatorCodeToBytes32(n.originatorCode),
      loanRef: n.loanRef,
      terms: {
        principal: n.principal,
        outstanding: n.outstanding,
        currency: "0x" + Buffer.from(n.currency, "ascii").toString("hex"),
        originatedAt: n.originatedAt,
        maturityAt: n.maturityAt,
        retail: n.retail,
        clauses: n.clauses,
        collateralHash,
        documentsRoot: n.documentsRoot,
      },
    };
  }

  function recordOf(caller: Caller, req: ClaimRequest, n: NormalizedClaim, collateralHash: string, jobId?: string): ClaimRecord {
    return {
      claimId: n.claimId,
      originatorCode: n.originatorCode,
      contractNo: n.contractNo,
      loanSalt: n.loanSalt,
      loanRef: n.loanRef,
      originator: caller.address!,
      debtor: req.debtor,
      product: req.product,
      region: req.region,
      collateral: req.collateral,
      collateralHash,
      documentsRoot: n.documentsRoot,
      clauses: n.clauses,
      principal: formatMinor(n.principal),
      outstanding: formatMinor(n.outstanding),
      currency: n.currency,
      originatedAt: new Date(n.originatedAt * 1000).toISOString(),
      maturityAt: new Date(n.maturityAt * 1000).toISOString(),
      status: "pending",
      jobId,
      createdAt: new Date().toISOString(),
    };
  }

  function requireOriginator(caller: Caller, originatorCode: string, field = "originatorCode"): void {
    if (caller.originatorCode !== originatorCode) {
      throw new ForbiddenError(`${field}: this API key registers under ${caller.originatorCode ?? "no originator code"}`, { field });
    }
  }

  /** The claim's parties for access decisions (src/app/access.ts); the dispute is read only for a court. */
  function parties(claimId: string, p?: Party): Promise<ClaimParties> {
    return loadClaimParties({
      isRegistered: (id) => chain.registry.isRegistered(id),
      holderOf: (id) => chain.registry.holderOf(id),
      disputeOf: async (id) => BigInt((await chain.clauses.caseOf(id)).disputeId),
      originatorOf: async (id) => (await claims.get(id))?.originator,
    }, claimId, p);
  }

  /**
   * Whether `caller` may read the claim's off-chain details (document salts, evidence records found by a
   * content hash): src/app/access.ts on the claim's parties. An anonymous caller never may.
   */
  async function callerMayReadDetails(caller: Caller | undefined, claimId: string): Promise<boolean> {
    if (!caller) return false;
    try {
      return mayReadDetails(caller, await parties(claimId, caller));
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
  }

  return {
    claims,
    parties,
    mayReadDetails: callerMayReadDetails,
    toRegistration,
    recordOf,
    collateralHashOf,
    requireOriginator,
    claimRules,

    /** Registers one claim; answers only after the chain confirmed it. */
    async register(caller: Caller, req: ClaimRequest): Promise<{ claimId: string; txHash: string; blockNumber: number }> {
      const n = normalizeClaim(req, config.loanRefSecret, "", await claimRules());
      requireOriginator(caller, n.originatorCode);
      if (await chain.registry.isRegistered(n.claimId)) {
        throw new ConflictError("already-registered", `claim ${n.claimId} is already registered`, { claimId: n.claimId });
      }
      const collateralHash = collateralHashOf(req.collateral);
      const record = recordOf(caller, req, n, collateralHash);
      await claims.put(n.claimId, record, DURABLE);
      const data = chain.registry.interface.encodeFunctionData("register", [toRegistration(n, collateralHash)]);
      try {
        const entry = await chain.outbox.send(chain.wallet(caller.privateKey!), { to: await chain.registry.getAddress(), data }, `register:${n.claimId}`);
        record.txHash = entry.hash;
        await claims.put(n.claimId, record, DURABLE);
        const receipt = await chain.outbox.wait(entry);
        record.status = "registered";
        record.blockNumber = receipt.blockNumber;
        await claims.put(n.claimId, record, DURABLE);
        fastify.metrics.chainTransactions.inc({ kind: "register", outcome: "mined" });
        return { claimId: n.claimId, txHash: entry.hash, blockNumber: receipt.blockNumber };
      } catch (e) {
        if (!record.txHash) {
          // Nothing reached the chain: forget the pending record so a corrected retry starts clean.
          await claims.del(n.claimId, DURABLE);
        }
        fastify.metrics.chainTransactions.inc({ kind: "register", outcome: "failed" });
        throw claimRevertToError(e);
      }
    },

    /**
     * The claim as the chain and the store know it: on-chain facts for any key; off-chain details for the
     * claim's parties, personal data for fewer (src/app/access.ts). A bank's pending record only for that bank.
     */
    async get(caller: Caller, claimId: string) {
      const record = await claims.get(claimId);
      // The chain's view of the claim, read at the head block and cached for it (a hot read route).
      const head = await chain.reads.head();
      const view = await chain.reads.at(head, `claim:${claimId}`, async (blockTag) => {
        if (!(await chain.registry.isRegistered(claimId, { blockTag }))) return null;
        const [t, h, restricted] = await Promise.all([
          chain.registry.termsOf(claimId, { blockTag }),
          chain.registry.holderOf(claimId, { blockTag }),
          chain.registry.isResaleRestricted(claimId, { blockTag }),
        ]);
        return { t, h, restricted };
      });
      const registered = view !== null;
      if (!registered && !record) throw new NotFoundError("claim", claimId);
      let onChain = null;
      let holder: string | null = null;
      if (view) {
        const { t, h, restricted } = view;
        holder = h;
        onChain = {
          holder: h,
          principal: t.principal.toString(),
          outstanding: t.outstanding.toString(),
          currency: Buffer.from(t.currency.slice(2), "hex").toString("ascii"),
          originatedAt: new Date(Number(t.originatedAt) * 1000).toISOString(),
          maturityAt: new Date(Number(t.maturityAt) * 1000).toISOString(),
          retail: t.retail,
          clauses: {
            warnDays: Number(t.clauses.warnDays),
            demandDays: Number(t.clauses.demandDays),
            arbitrationDays: Number(t.clauses.arbitrationDays),
            coverageBps: Number(t.clauses.coverageBps),
            noticeDays: Number(t.clauses.noticeDays),
          },
          collateralHash: t.collateralHash,
          documentsRoot: t.documentsRoot,
          resaleRestricted: restricted,
        };
      }
      const p: ClaimParties = {
        claimId, registered, holder, originator: record?.originator ?? null,
        beforeCourt: registered && caller.role === "court" ? (await chain.clauses.caseOf(claimId)).disputeId !== 0n : false,
      };
      const details = !!record && mayReadDetails(caller, p);
      if (!registered && !details) throw new NotFoundError("claim", claimId);
      const mayReadPersonal = mayReadPersonalData(caller, p);
      return {
        claimId,
        status: registered ? "registered" : record!.status,
        onChain,
        ...(record && !details ? { offChainWithheld: withheld(p) } : {}),
        offChain: record && details
          ? {
              originatorCode: record.originatorCode,
              contractNo: record.contractNo,
              // With the contract number, the salt lets a buyer or a court recompute the on-chain loanRef
              // (core/commitment.ts checkLoanRef); to anyone else it would let them test guesses.
              ...(mayReadPersonal && record.loanSalt ? { loanSalt: record.loanSalt, loanRef: record.loanRef } : {}),
              originator: record.originator,
              product: record.product,
              region: record.region,
              collateral: mayReadPersonal ? record.collateral : undefined,
              debtor: mayReadPersonal ? record.debtor : undefined,
              personalDataRedacted: !mayReadPersonal,
              registeredTx: record.txHash,
            }
          : null,
      };
    },

    /**
     * Ownership history from chain events, oldest first. A package sale's noticeHash is a salted
     * commitment; who may read the claim also gets its salt and the notice's content hash to check it.
     */
    async history(claimId: string, caller?: Caller) {
      if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
      const fromBlock = chain.deployment.contracts.ClaimRegistry.blockNumber;
      const r = chain.registry;
      const [registered, assigned, transfers] = await Promise.all([
        r.queryFilter(r.filters.ClaimRegistered(claimId), fromBlock),
        r.queryFilter(r.filters.ClaimAssigned(claimId), fromBlock),
        r.queryFilter(r.filters.Transfer(undefined, undefined, BigInt(claimId)), fromBlock),
      ]);
      const timestamps = new Map<number, number>();
      const blockTime = async (n: number) => {
        if (!timestamps.has(n)) timestamps.set(n, (await chain.provider.getBlock(n))!.timestamp);
        return new Date(timestamps.get(n)! * 1000).toISOString();
      };
      type Ev = { type: "registered" | "assigned" | "transferred"; from: string | null; to: string; packageId: string | null; price: string | null; noticeHash: string | null; noticeSalt?: string; noticeContentHash?: string; txHash: string; blockNumber: number; logIndex: number; timestamp?: string };
      const entitled = await callerMayReadDetails(caller, claimId);
      const events: Ev[] = [];
      for (const e of registered) {
        events.push({ type: "registered", from: null, to: e.args.originator, packageId: null, price: null, noticeHash: null, txHash: e.transactionHash, blockNumber: e.blockNumber, logIndex: e.index });
      }
      const assignedTx = new Set<string>();
      for (const e of assigned) {
        assignedTx.add(e.transactionHash);
        const notice = entitled ? await fastify.assignments.noticeOf(e.args.noticeHash) : undefined;
        events.push({
          ...(notice ? { noticeSalt: notice.salt, noticeContentHash: notice.contentHash } : {}),
          type: "assigned",
          from: e.args.from,
          to: e.args.to,
          packageId: bytes32ToOriginatorCode(e.args.packageId),
          price: e.args.price.toString(),
          noticeHash: e.args.noticeHash,
          txHash: e.transactionHash,
          blockNumber: e.blockNumber,
          logIndex: e.index,
        });
      }
      // Plain ERC-721 transfers (not package sales, not the mint) are part of the chain of ownership too.
      for (const e of transfers) {
        const from = e.args.from;
        if (from === "0x0000000000000000000000000000000000000000" || assignedTx.has(e.transactionHash)) continue;
        events.push({ type: "transferred", from, to: e.args.to, packageId: null, price: null, noticeHash: null, txHash: e.transactionHash, blockNumber: e.blockNumber, logIndex: e.index });
      }
      events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
      for (const ev of events) ev.timestamp = await blockTime(ev.blockNumber);
      return { claimId, events: events.map(({ logIndex: _l, timestamp, ...rest }) => ({ ...rest, timestamp: timestamp! })) };
    },
  };
}

export type ClaimsService = ReturnType<typeof createClaimsService>;

export { DebtrailError };
