import { CASE_STATES_ZH } from "../../core/oracle-plan.js";
import { NotFoundError } from "../../core/errors.js";
import type { ChainIndex } from "../../store/repos/chain-index.js";
import type { PortfolioModel } from "../portfolio/model.js";
import { mayReadPersonalData, type Party } from "../access.js";
import { RULINGS } from "./reads.js";

/**
 * The court's view (issue 18): the disputes before it — claims whose case went to arbitration — each with
 * its claim, status and ruling, and for one dispute its evidence group (the ERC-1497 `Evidence` events of
 * the claim's group: who submitted what, in which transaction) and how the ruling was executed (the case's
 * ruling-applied, enforcement-ordered and closed events). Reads only the chain index and the read model.
 */
export interface DisputeReadDeps {
  model: PortfolioModel;
  index: Pick<ChainIndex, "dispute" | "caseOf" | "disputes">;
}

const iso = (unix: number) => new Date(unix * 1000).toISOString();
const EXECUTION = new Set(["ruling-applied", "enforcement-ordered", "closed"]);

export function createDisputeReads(deps: DisputeReadDeps) {
  const { model, index } = deps;

  return {
    /**
     * Every dispute CollectionClauses started, newest first; waiting ones first. A claim this node keeps a record
     * of shows its contract number (and debtor, for the court); one registered through another organisation's
     * node — the usual case of a court in a network (issue 16) — shows what the chain says of it, `contractNo` null.
     */
    async list(p: Party, status?: "waiting" | "solved") {
      const view = await model.sync();
      const rows = [...view.rows.values()].filter((r) => r.disputeId !== null);
      const items = [];
      const known = new Set(rows.map((r) => r.claimId.toLowerCase()));
      for (const { dispute: d, claim, case: c } of (await index.disputes()).disputes) {
        if (!d.claimId || !claim || known.has(d.claimId.toLowerCase()) || (status && d.status !== status)) continue;
        if (view.asOfBlock !== null && d.createdBlock > view.asOfBlock) continue; // the model's block bounds the answer
        const state = c?.state ?? "performing";
        items.push({
          disputeId: d.disputeId, claimId: d.claimId.toLowerCase(), contractNo: null, holder: claim.holder,
          outstanding: c?.lastReport ? String(c.lastReport.outstanding) : claim.outstanding, state, stateZh: CASE_STATES_ZH[state],
          status: d.status, ruling: d.status === "solved" && d.ruling !== null ? RULINGS[d.ruling] ?? String(d.ruling) : null,
          openedAt: iso(d.createdAt), openedTx: d.createdTx, ruledAt: d.ruledAt === null ? null : iso(d.ruledAt),
        });
      }
      for (const r of rows) {
        const { dispute: d } = await index.dispute(r.disputeId!);
        if (!d || (status && d.status !== status)) continue;
        const personal = mayReadPersonalData(p, { claimId: r.claimId, registered: true, holder: r.holder, originator: r.originator, beforeCourt: true });
        items.push({
          disputeId: d.disputeId,
          claimId: r.claimId,
          contractNo: r.contractNo,
          ...(personal ? { debtorName: r.facts.debtorName } : {}),
          holder: r.holder,
          outstanding: r.outstanding.toString(),
          state: r.state,
          stateZh: CASE_STATES_ZH[r.state],
          status: d.status,
          ruling: d.status === "solved" && d.ruling !== null ? RULINGS[d.ruling] ?? String(d.ruling) : null,
          openedAt: iso(d.createdAt),
          openedTx: d.createdTx,
          ruledAt: d.ruledAt === null ? null : iso(d.ruledAt),
        });
      }
      items.sort((a, b) => (a.status === b.status ? (a.openedAt < b.openedAt ? 1 : -1) : a.status === "waiting" ? -1 : 1));
      return { asOfBlock: view.asOfBlock, total: items.length, disputes: items };
    },

    /** One dispute's evidence group and execution, from the claim's on-chain timeline. */
    async detail(disputeId: string) {
      const { dispute: d, asOfBlock } = await index.dispute(disputeId);
      if (!d || !d.claimId) throw new NotFoundError("dispute", disputeId);
      const { timeline } = await index.caseOf(d.claimId);
      const at = (i: { txHash: string; blockNumber: number; timestamp: number }) => ({ txHash: i.txHash, blockNumber: i.blockNumber, timestamp: iso(i.timestamp) });
      return {
        disputeId,
        claimId: d.claimId,
        asOfBlock,
        evidenceGroup: timeline.flatMap((i) => (i.type === "evidence" ? [{ ...at(i), party: i.details.party, uri: i.details.uri }] : [])),
        execution: timeline.filter((i) => EXECUTION.has(i.type)).map((i) => ({ ...at(i), type: i.type, details: i.details as Record<string, unknown> })),
        ruledTx: d.ruledTx,
        ruledBlock: d.ruledBlock,
        ruledBy: d.ruledBy,
      };
    },
  };
}

export type DisputeReads = ReturnType<typeof createDisputeReads>;
