import type { FastifyInstance } from "fastify";
import { CASE_STATES, CASE_STATES_ZH } from "../../core/oracle-plan.js";
import { ConflictError, NotFoundError, ValidationError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import type { Caller } from "../plugins/auth.js";
import { mayReadDetails } from "../../app/access.js";

const CLOSURE = ["repaid", "dismissed", "settled"] as const;
/** Rulings of CollectionClauses' meta-evidence. */
export const RULINGS = ["refused", "enforce", "dismiss", "settle"] as const;
/** ERC-792 DisputeStatus; Debtrail's arbitrator never reports "appealable": an award is final (仲裁法第9条). */
const DISPUTE_STATUS = ["waiting", "appealable", "solved"] as const;

/** Case state and timeline (from chain events), disputes and rulings. */
export function createCasesService(fastify: FastifyInstance) {
  const { chain } = fastify;
  const timestamps = new Map<number, number>();
  async function blockTime(n: number): Promise<string> {
    if (!timestamps.has(n)) timestamps.set(n, (await chain.provider.getBlock(n))!.timestamp);
    return new Date(timestamps.get(n)! * 1000).toISOString();
  }

  return {
    /** The case; its off-chain items (feeds, surveys) only for the claim's parties (src/app/access.ts). */
    async get(caller: Caller, claimId: string) {
      const id = claimId.toLowerCase();
      if (!(await chain.registry.isRegistered(id))) throw new NotFoundError("claim", id);
      const parties = await fastify.claims.parties(id, caller);
      const details = mayReadDetails(caller, parties);
      const entitled = details;
      const c = await chain.clauses.caseOf(id);
      const terms = await chain.registry.termsOf(id);
      const cached = Number(c.warnDays) !== 0;
      const clauses = cached
        ? { warnDays: Number(c.warnDays), demandDays: Number(c.demandDays), arbitrationDays: Number(c.arbitrationDays), coverageBps: Number(c.coverageBps), noticeDays: Number(c.noticeDays) }
        : { warnDays: Number(terms.clauses.warnDays), demandDays: Number(terms.clauses.demandDays), arbitrationDays: Number(terms.clauses.arbitrationDays), coverageBps: Number(terms.clauses.coverageBps), noticeDays: Number(terms.clauses.noticeDays) };
      const from = chain.deployment.contracts.CollectionClauses.blockNumber;
      const k = chain.clauses;
      const [reports, changes, arbitrations, rulings, enforcements, closures, restructures] = await Promise.all([
        k.queryFilter(k.filters.ReportApplied(id), from),
        k.queryFilter(k.filters.CaseStateChanged(id), from),
        k.queryFilter(k.filters.ArbitrationStarted(id), from),
        k.queryFilter(k.filters.RulingApplied(id), from),
        k.queryFilter(k.filters.EnforcementOrdered(id), from),
        k.queryFilter(k.filters.CaseClosed(id), from),
        k.queryFilter(k.filters.CaseRestructured(id), from),
      ]);
      type Item = { type: string; txHash: string; blockNumber: number; logIndex: number; details: Record<string, unknown> };
      const items: Item[] = [];
      const push = (type: string, e: { transactionHash: string; blockNumber: number; index: number }, details: Record<string, unknown>) =>
        items.push({ type, txHash: e.transactionHash, blockNumber: e.blockNumber, logIndex: e.index, details });
      for (const e of reports) {
        push("report", e, {
          nonce: Number(e.args.nonce), asOf: new Date(Number(e.args.asOf) * 1000).toISOString(), daysPastDue: Number(e.args.daysPastDue),
          outstanding: e.args.outstanding.toString(), collateralValue: e.args.collateralValue.toString(),
          classification: Number(e.args.classification), riskGrade: "ABCDE"[Number(e.args.riskGrade)], digest: e.args.digest,
        });
      }
      for (const e of changes) {
        const to = CASE_STATES[Number(e.args.to)];
        const zero = e.args.noticeHash === `0x${"0".repeat(64)}`;
        const noticeRecordId = !zero && entitled ? await fastify.evidence.recordOfCommitment(e.args.noticeHash) : undefined;
        push("state-changed", e, {
          from: CASE_STATES[Number(e.args.from)], to, toZh: CASE_STATES_ZH[to],
          ...(zero ? {} : { noticeHash: e.args.noticeHash }),
          ...(noticeRecordId ? { noticeRecordId } : {}),
        });
      }
      for (const e of arbitrations) push("arbitration-started", e, { disputeId: e.args.disputeId.toString(), daysPastDue: Number(e.args.daysPastDue), coverageBps: Number(e.args.coverageBps) });
      for (const e of rulings) push("ruling-applied", e, { disputeId: e.args.disputeId.toString(), ruling: RULINGS[Number(e.args.ruling)] ?? Number(e.args.ruling) });
      for (const e of enforcements) push("enforcement-ordered", e, { disputeId: e.args.disputeId.toString() });
      for (const e of closures) push("closed", e, { reason: CLOSURE[Number(e.args.reason)] });
      for (const e of restructures) push("restructured", e, { planHash: e.args.planHash, installments: Number(e.args.installments) });
      items.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
      const timeline = [];
      for (const { logIndex: _l, ...item } of items) timeline.push({ ...item, timestamp: await blockTime(item.blockNumber) });
      // Off-chain items (issue 8): outside-data feeds and field surveys, with provenance and evidence record ids, in time order.
      const offChain = details ? [...(await fastify.feeds.timeline(id)), ...(await fastify.surveys.timeline(id))] : [];
      const merged = [...timeline, ...offChain].sort((x, y) => Date.parse(x.timestamp) - Date.parse(y.timestamp));
      const state = CASE_STATES[Number(c.state)];
      return {
        claimId: id,
        state,
        stateZh: CASE_STATES_ZH[state],
        nonce: Number(c.nonce),
        lastAsOf: Number(c.lastAsOf) ? new Date(Number(c.lastAsOf) * 1000).toISOString() : null,
        lastNoticeAt: Number(c.lastNoticeAt) ? new Date(Number(c.lastNoticeAt) * 1000).toISOString() : null,
        disputeId: c.disputeId === 0n ? null : c.disputeId.toString(),
        clauses,
        timeline: merged,
        ...(details ? {} : { offChainWithheld: true }),
      };
    },

    async dispute(disputeId: string) {
      const count = await chain.arbitrator.disputeCount();
      if (!/^\d+$/.test(disputeId) || BigInt(disputeId) === 0n || BigInt(disputeId) > count) throw new NotFoundError("dispute", disputeId);
      const [info, status, ruledAt, claimId] = await Promise.all([
        chain.arbitrator.disputeOf(disputeId),
        chain.arbitrator.disputeStatus(disputeId),
        chain.arbitrator.ruledAt(disputeId),
        chain.clauses.claimOfDispute(disputeId),
      ]);
      return {
        disputeId,
        claimId,
        arbitrable: info.arbitrable,
        choices: Number(info.choices),
        status: DISPUTE_STATUS[Number(status)],
        ruling: info.executed ? RULINGS[Number(info.ruling)] : null,
        executed: info.executed,
        ruledAt: ruledAt === 0n ? null : new Date(Number(ruledAt) * 1000).toISOString(),
      };
    },

    /**
     * A court's ruling, signed by the court's own key. The award is final (仲裁法第9条: no appeal) and executed
     * on chain in the same transaction; "refused" sends the case back to the demand (a later report may start
     * a new arbitration once the notice period has run again).
     */
    async rule(caller: Caller, disputeId: string, ruling: (typeof RULINGS)[number]) {
      await this.dispute(disputeId);
      const value = RULINGS.indexOf(ruling);
      if (value < 0) throw new ValidationError("ruling", `one-of:${RULINGS.join("|")}`);
      const to = chain.deployment.contracts.Arbitrator.address;
      const send = async (data: string, tag: string) => {
        try {
          const entry = await chain.outbox.send(chain.wallet(caller.privateKey!), { to, data }, tag);
          return await chain.outbox.wait(entry);
        } catch (e) {
          if (e instanceof ChainRevertError) {
            if (e.errorName === "DisputeNotWaiting") throw new ConflictError("already-ruled", `dispute ${disputeId} already has a ruling`);
            if (e.errorName === "AccessControlUnauthorizedAccount") throw new ConflictError("not-arbitrator", "the court's account lacks the ARBITRATOR role");
          }
          throw e;
        }
      };
      const given = await send(chain.arbitrator.interface.encodeFunctionData("giveRuling", [disputeId, value]), `ruling:${disputeId}`);
      const executed = { txHash: given.hash, blockNumber: given.blockNumber };
      return { disputeId, ruling, txHash: given.hash, blockNumber: given.blockNumber, executed, dispute: await this.dispute(disputeId) };
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
