import { type Interface, type LogDescription } from "ethers";
import { decoderOf, type Decoder } from "./index-decode.js";
import {
  Arbitrator__factory, ClaimMarket__factory, ClaimRegistry__factory, CollectionClauses__factory, EvidenceLog__factory,
} from "../../types/ethers-contracts/index.js";
import { MARKET_EVENTS, applyMarketEvent } from "./index-market.js";
import { createLookups, looked, type LookupResults } from "./index-lookups.js";

export type { Lookup, LookupResults, LookupValue, StoredTerms } from "./index-lookups.js";
import {
  CLOSURE, ZERO32, ZERO_ADDRESS, claimIdOf, contributionOf, getAddress, lower, newCase, stateName, termsRow, type Contribution,
} from "./index-rows.js";
import {
  aggregateKey, disputeKey, logPos,
  type AggregateFamily, type CaseRow, type ClaimRow, type DisputeRow, type IndexWriter, type RowTable, type TermsRow, type TimelineItem,
} from "../store/repos/chain-index.js";

/**
 * How each event of the deployment's contracts changes the chain index's tables: the one place that
 * knows the events' meaning. The indexer feeds it logs in chain order, inside a write session.
 */

/** A log as the indexer passes it on (the fields eth_getLogs gives). */
export interface IndexedLog {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  index: number;
}

export interface ContractAddresses {
  ClaimRegistry: string;
  EvidenceLog: string;
  CollectionClauses: string;
  Arbitrator: string;
  /** The claim market (issue 19); absent in a deployment that predates it. */
  ClaimMarket?: string;
}

type Contract = keyof ContractAddresses;

/** The events the index follows, per contract. */
const EVENTS: Record<Contract, readonly string[]> = {
  ClaimRegistry: ["Transfer", "ClaimRegistered", "ClaimAssigned", "ResaleRestricted", "ResaleRestrictionLifted"],
  CollectionClauses: [
    "BatchApplied", "ReportApplied", "CaseStateChanged", "CaseRestructured", "ArbitrationDeferred", "ArbitrationStarted", "RulingApplied",
    "EnforcementOrdered", "CaseClosed", "Evidence", "NoticeDeliveryRecorded",
  ],
  Arbitrator: ["DisputeCreation", "RulingGiven"],
  EvidenceLog: ["RootAnchored"],
  ClaimMarket: MARKET_EVENTS,
};

export function createProjection(addresses: ContractAddresses) {
  const ifaces: Record<Contract, Interface> = {
    ClaimRegistry: ClaimRegistry__factory.createInterface(),
    CollectionClauses: CollectionClauses__factory.createInterface(),
    Arbitrator: Arbitrator__factory.createInterface(),
    EvidenceLog: EvidenceLog__factory.createInterface(),
    ClaimMarket: ClaimMarket__factory.createInterface(),
  };
  const byAddress = new Map<string, Contract>(Object.entries(addresses).filter(([, a]) => a).map(([name, a]) => [lower(a as string), name as Contract]));
  const topics = [...new Set(Object.entries(EVENTS).flatMap(([c, names]) => names.map((n) => ifaces[c as Contract].getEvent(n)!.topicHash)))];

  async function adjust(w: IndexWriter, c: Contribution, sign: 1 | -1): Promise<void> {
    const families: Array<[AggregateFamily, string]> = [["holder", c.holder], ["originator", c.originator]];
    if (lower(c.holder) === lower(c.originator)) families.push(["retained", c.holder]);
    for (const [family, account] of families) {
      const key = aggregateKey(family, account, c.state, c.classification);
      const cell = (await w.get("aggregates", key)) ?? { count: 0, unreported: 0, outstanding: "0" };
      const next = {
        count: cell.count + sign,
        unreported: cell.unreported + (c.unreported ? sign : 0),
        outstanding: (BigInt(cell.outstanding) + BigInt(sign) * c.outstanding).toString(),
      };
      if (next.count === 0) await w.del("aggregates", key);
      else await w.put("aggregates", key, next);
    }
  }

  /** Changes a claim and/or its case and moves the claim's contribution between aggregate cells. */
  async function update(w: IndexWriter, claimId: string, change: (claim: ClaimRow | undefined, c: CaseRow) => void): Promise<void> {
    const claim = await w.get("claims", claimId);
    const c = (await w.get("cases", claimId)) ?? newCase(claimId);
    const claimBefore = JSON.stringify(claim);
    const before = claim ? contributionOf(claim, c) : undefined;
    change(claim, c);
    await w.put("cases", claimId, c);
    if (!claim || !before) return;
    if (JSON.stringify(claim) !== claimBefore) await w.put("claims", claimId, claim);
    const after = contributionOf(claim, c);
    const same = (x: Contribution, y: Contribution) => x.holder === y.holder && x.originator === y.originator && x.state === y.state
      && x.classification === y.classification && x.outstanding === y.outstanding && x.unreported === y.unreported;
    if (same(before, after)) return;
    await adjust(w, before, -1);
    await adjust(w, after, 1);
  }

  async function timeline(w: IndexWriter, claimId: string, log: IndexedLog, timestamp: number, item: Pick<TimelineItem, "type" | "details">): Promise<void> {
    const full = { ...item, blockNumber: log.blockNumber, txHash: log.transactionHash, logIndex: log.index, timestamp } as TimelineItem;
    await w.put("timeline", `${claimId}!${logPos(log.blockNumber, log.index)}`, full);
  }

  async function registry(w: IndexWriter, ev: Pick<LogDescription, "name" | "args">, log: IndexedLog, timestamp: number, results: LookupResults): Promise<void> {
    const a = ev.args;
    const at = { blockNumber: log.blockNumber, txHash: log.transactionHash, logIndex: log.index, timestamp };
    const pos = logPos(log.blockNumber, log.index);
    switch (ev.name) {
      case "ClaimRegistered": {
        const claimId = lower(a.claimId as string);
        if (await w.get("claims", claimId)) return; // never twice (ClaimAlreadyRegistered)
        const originator = getAddress(a.originator as string);
        // The terms the event carries, with those the registry stores (read once: `registeredTermsOf`); a
        // caller that has the whole row (scripts/bench/scale-book.ts) passes it as `terms:<claimId>`.
        const given = results.get(`terms:${claimId}`) as TermsRow | undefined;
        const stored = given ? null : lookups.storedTerms(results, claimId);
        const terms = given ?? termsRow(a as unknown as Parameters<typeof termsRow>[0], stored!.retail, stored!.clauses);
        const claim: ClaimRow = {
          claimId, originatorCode: a.originatorCode as string, originator, loanRef: a.loanRef as string,
          principal: (a.principal as bigint).toString(), outstanding: (a.outstanding as bigint).toString(),
          registeredBlock: log.blockNumber, registeredTx: log.transactionHash, registeredAt: timestamp,
          holder: originator, holderSinceBlock: log.blockNumber, holderSince: timestamp, holderTx: log.transactionHash, holderPos: pos,
          resaleRestricted: false, terms,
        };
        const c = (await w.get("cases", claimId)) ?? newCase(claimId);
        await w.put("claims", claimId, claim);
        await w.put("cases", claimId, c);
        await w.put("ownership", `${claimId}!${pos}`, { type: "registered", from: null, to: originator, packageId: null, price: null, noticeHash: null, filesCommitment: null, ...at });
        await w.put("holderClaims", `${lower(originator)}!${claimId}`, log.blockNumber);
        await adjust(w, contributionOf(claim, c), 1);
        return;
      }
      case "Transfer": {
        const from = getAddress(a.from as string);
        const to = getAddress(a.to as string);
        if (from === ZERO_ADDRESS || to === ZERO_ADDRESS) return; // the mint is the registration; claims are never burned
        const claimId = claimIdOf(a.tokenId as bigint);
        if (!(await w.get("claims", claimId))) return;
        await update(w, claimId, (claim) => {
          if (claim) Object.assign(claim, { holder: to, holderSinceBlock: log.blockNumber, holderSince: timestamp, holderTx: log.transactionHash, holderPos: pos });
        });
        await w.del("holderClaims", `${lower(from)}!${claimId}`);
        await w.put("holderClaims", `${lower(to)}!${claimId}`, log.blockNumber);
        await w.put("ownership", `${claimId}!${pos}`, { type: "transferred", from, to, packageId: null, price: null, noticeHash: null, filesCommitment: null, ...at });
        return;
      }
      case "ClaimAssigned": {
        // A package sale: the Transfer of the same transaction becomes an "assigned" step.
        const claimId = lower(a.claimId as string);
        const claim = await w.get("claims", claimId);
        const sale = {
          packageId: a.packageId as string, price: (a.price as bigint).toString(), noticeHash: a.noticeHash as string,
          filesCommitment: a.filesCommitment as string,
        };
        const key = claim && claim.holderTx === log.transactionHash ? `${claimId}!${claim.holderPos}` : `${claimId}!${pos}`;
        const step = await w.get("ownership", key);
        await w.put("ownership", key, step && step.txHash === log.transactionHash
          ? { ...step, type: "assigned", ...sale }
          : { type: "assigned", from: getAddress(a.from as string), to: getAddress(a.to as string), ...sale, ...at });
        return;
      }
      case "ResaleRestricted":
      case "ResaleRestrictionLifted": {
        const claimId = lower(a.claimId as string);
        const claim = await w.get("claims", claimId);
        if (claim) await w.put("claims", claimId, { ...claim, resaleRestricted: ev.name === "ResaleRestricted" });
        return;
      }
    }
  }

  /** The last BatchApplied seen: the reports that follow it in its transaction are its reports. */
  let batch: { txHash: string; digest: string } | null = null;

  async function clauses(w: IndexWriter, ev: Pick<LogDescription, "name" | "args">, log: IndexedLog, timestamp: number): Promise<void> {
    const a = ev.args;
    if (ev.name === "BatchApplied") {
      batch = { txHash: log.transactionHash, digest: a.digest as string };
      return;
    }
    const claimId = ev.name === "Evidence" ? claimIdOf(a._evidenceGroupID as bigint) : lower(a.claimId as string);
    const put = (item: Pick<TimelineItem, "type" | "details">) => timeline(w, claimId, log, timestamp, item);
    switch (ev.name) {
      case "ReportApplied": {
        const details = {
          nonce: Number(a.nonce), asOf: Number(a.asOf), daysPastDue: Number(a.daysPastDue), outstanding: (a.outstanding as bigint).toString(),
          collateralValue: (a.collateralValue as bigint).toString(), classification: Number(a.classification), riskGrade: Number(a.riskGrade),
          // What the oracles signed: the digest of the report's batch (its BatchApplied precedes it in the transaction).
          digest: batch?.txHash === log.transactionHash ? batch.digest : ZERO32,
        };
        await update(w, claimId, (_, c) => {
          c.lastReport = { ...details, blockNumber: log.blockNumber, txHash: log.transactionHash };
          c.nonce = details.nonce + 1;
        });
        return put({ type: "report", details });
      }
      case "CaseStateChanged": {
        const notice = a.noticeHash === ZERO32 ? null : (a.noticeHash as string);
        const to = stateName(a.to as bigint);
        await update(w, claimId, (_, c) => {
          Object.assign(c, { state: to, stateSince: timestamp, stateSinceBlock: log.blockNumber });
          if (notice) Object.assign(c, { lastNoticeAt: timestamp, lastNoticeBlock: log.blockNumber, lastNoticeHash: notice });
        });
        return put({ type: "state-changed", details: { from: stateName(a.from as bigint), to, noticeHash: notice } });
      }
      case "NoticeDeliveryRecorded": { // the notice's proven delivery: its notice period runs from it (送达)
        const details = { deliveredAt: Number(a.deliveredAt), by: getAddress(a.by as string) };
        await update(w, claimId, (_, c) => Object.assign(c, { lastNoticeAt: details.deliveredAt }));
        return put({ type: "notice-delivered", details });
      }
      case "CaseRestructured": {
        const details = { planHash: a.planHash as string, installments: Number(a.installments), by: getAddress(a.by as string) };
        await update(w, claimId, (_, c) => Object.assign(c, { planHash: details.planHash, installments: details.installments }));
        return put({ type: "restructured", details });
      }
      case "ArbitrationDeferred": {
        const details = { cost: (a.cost as bigint).toString(), balance: (a.balance as bigint).toString() };
        await update(w, claimId, (_, c) => {
          c.arbitrationDeferred = { ...details, blockNumber: log.blockNumber };
        });
        return put({ type: "arbitration-deferred", details });
      }
      case "ArbitrationStarted": {
        const disputeId = (a.disputeId as bigint).toString();
        await update(w, claimId, (_, c) => {
          c.disputeId = disputeId;
        });
        const d = await w.get("disputes", disputeKey(disputeId));
        // The Arbitrator's DisputeCreation comes first in the same transaction; CollectionClauses offers 3 rulings.
        await w.put("disputes", disputeKey(disputeId), { ...(d ?? newDispute(disputeId, log, timestamp, log.address, 3)), claimId });
        return put({ type: "arbitration-started", details: { disputeId, daysPastDue: Number(a.daysPastDue), coverageBps: (a.coverageBps as bigint).toString() } });
      }
      case "RulingApplied": {
        const disputeId = (a.disputeId as bigint).toString();
        const ruling = Number(a.ruling);
        // A refused ruling (0) clears the dispute: the case is back at the demand.
        if (ruling === 0) await update(w, claimId, (_, c) => {
          c.disputeId = null;
        });
        return put({ type: "ruling-applied", details: { disputeId, ruling } });
      }
      case "EnforcementOrdered":
        return put({ type: "enforcement-ordered", details: { disputeId: (a.disputeId as bigint).toString() } });
      case "CaseClosed": {
        const reason = CLOSURE[Number(a.reason)] ?? "repaid";
        await update(w, claimId, (_, c) => {
          c.closedReason = reason;
        });
        return put({ type: "closed", details: { reason } });
      }
      case "Evidence":
        if (!(await w.get("claims", claimId))) return;
        return put({ type: "evidence", details: { party: getAddress(a._party as string), uri: a._evidence as string } });
    }
  }

  function newDispute(disputeId: string, log: IndexedLog, timestamp: number, arbitrable: string, choices: number): DisputeRow {
    return {
      disputeId, arbitrable: getAddress(arbitrable), choices, claimId: null, status: "waiting", ruling: null, ruledAt: null, ruledBy: null,
      ruledBlock: null, ruledTx: null, createdBlock: log.blockNumber, createdTx: log.transactionHash, createdAt: timestamp,
    };
  }

  async function arbitrator(w: IndexWriter, ev: Pick<LogDescription, "name" | "args">, log: IndexedLog, timestamp: number, results: LookupResults): Promise<void> {
    const a = ev.args;
    const disputeId = (ev.name === "DisputeCreation" ? a._disputeID : a.disputeId) as bigint;
    const key = disputeKey(disputeId.toString());
    if (ev.name === "DisputeCreation") {
      const info = ifaces.Arbitrator.decodeFunctionResult("disputeOf", looked(results, `dispute:${disputeId}`) as string);
      if (!(await w.get("disputes", key))) await w.put("disputes", key, newDispute(disputeId.toString(), log, timestamp, a._arbitrable as string, Number(info.choices)));
      return;
    }
    const d = await w.get("disputes", key);
    if (!d) return;
    await w.put("disputes", key, {
      ...d, status: "solved", ruling: Number(a.ruling), ruledAt: timestamp, ruledBy: getAddress(a.arbitrator as string),
      ruledBlock: log.blockNumber, ruledTx: log.transactionHash,
    });
  }

  // The followed events by contract and topic, each with its decoder (ethers' parseLog hashed every event
  // signature of the ABI again for each log, and its decoder the one signature: most of an indexing pass's CPU).
  const followed = new Map<Contract, Map<string, Decoder>>(Object.entries(EVENTS).map(([c, names]) => [
    c as Contract, new Map(names.map((n) => {
      const f = ifaces[c as Contract].getEvent(n)!;
      return [f.topicHash, decoderOf(ifaces[c as Contract], f)] as const;
    })),
  ]));

  type Parsed = Pick<LogDescription, "name" | "args">;
  // Each log decoded once: for a chunk's read-ahead (`reads`), then when it is applied.
  const decoded = new WeakMap<IndexedLog, Parsed | null>();

  /** The followed event of a log of ours, or null. */
  function parse(log: IndexedLog): Parsed | null {
    const known = decoded.get(log);
    if (known !== undefined) return known;
    const contract = byAddress.get(lower(log.address));
    const decoder = contract ? followed.get(contract)!.get(log.topics[0] ?? "") : undefined;
    const ev = contract && decoder ? { name: decoder.name, args: decoder.decode(log) as LogDescription["args"] } : null;
    decoded.set(log, ev);
    return ev;
  }

  /**
   * The rows applying `log` reads first: its claim's row and case; with `undo`, also the keys it writes
   * (a session tracking undo reads each key's previous value).
   */
  function readsOf(log: IndexedLog, ev: Parsed, undo: boolean): Array<[RowTable, string]> {
    const a = ev.args;
    const pos = logPos(log.blockNumber, log.index);
    const claim = (id: string, ...written: Array<[RowTable, string]>): Array<[RowTable, string]> =>
      [["claims", id], ["cases", id], ...(undo ? written : [])];
    switch (byAddress.get(lower(log.address))) {
      case "ClaimRegistry": {
        if (ev.name === "Transfer") {
          const id = claimIdOf(a.tokenId as bigint);
          return claim(id, ["ownership", `${id}!${pos}`], ["holderClaims", `${lower(a.from as string)}!${id}`], ["holderClaims", `${lower(a.to as string)}!${id}`]);
        }
        if (!a.claimId) return [];
        const id = lower(a.claimId as string);
        return ev.name === "ClaimRegistered" ? claim(id, ["ownership", `${id}!${pos}`], ["holderClaims", `${lower(a.originator as string)}!${id}`]) : claim(id);
      }
      case "CollectionClauses": {
        if (ev.name === "BatchApplied") return [];
        const id = ev.name === "Evidence" ? claimIdOf(a._evidenceGroupID as bigint) : lower(a.claimId as string);
        return claim(id, ["timeline", `${id}!${pos}`]);
      }
      default:
        return [];
    }
  }

  const lookups = createLookups(ifaces.ClaimRegistry, ifaces.Arbitrator, addresses, (address) => byAddress.get(lower(address)));

  return {
    /** The addresses and event topics to ask eth_getLogs for. */
    filter: { address: Object.values(addresses).filter((a): a is string => !!a), topics: [topics] },

    /** Whether a log comes from one of the deployment's contracts. */
    owns: (address: string) => byAddress.has(lower(address)),

    /** The contract reads a chunk's logs need when they are indexed (src/chain/index-lookups.ts). */
    lookups: lookups.forLogs,

    /**
     * The rows applying `logs` will read, for one read of them all ahead (`KnownRows.readAhead`); the logs
     * are decoded here once for {@link apply} too. Rows not named are read when needed.
     */
    reads(logs: readonly IndexedLog[], options: { undo: boolean }): Array<[RowTable, string]> {
      const out: Array<[RowTable, string]> = [];
      for (const log of logs) {
        const ev = parse(log);
        if (ev) out.push(...readsOf(log, ev, options.undo));
      }
      return out;
    },

    /** Applies one log (in chain order) to the write session; logs of other events are ignored. */
    async apply(w: IndexWriter, log: IndexedLog, timestamp: number, results: LookupResults = new Map()): Promise<void> {
      const contract = byAddress.get(lower(log.address));
      const ev = parse(log);
      if (!contract || !ev) return;
      return applyEvent(w, contract, ev, log, timestamp, results);
    },

    /** Applies an event already decoded (its arguments by name), as {@link apply} does after parsing a log. */
    applyEvent,
  };

  async function applyEvent(w: IndexWriter, contract: Contract, ev: Pick<LogDescription, "name" | "args">, log: IndexedLog, timestamp: number, results: LookupResults = new Map()): Promise<void> {
    switch (contract) {
      case "ClaimRegistry":
        return registry(w, ev, log, timestamp, results);
      case "CollectionClauses":
        return clauses(w, ev, log, timestamp);
      case "Arbitrator":
        return arbitrator(w, ev, log, timestamp, results);
      case "ClaimMarket":
        return applyMarketEvent(w, ev, log, timestamp);
      case "EvidenceLog": {
        const root = lower(ev.args.root as string);
        await w.put("anchors", root, {
          root, submitter: getAddress(ev.args.submitter as string), count: Number(ev.args.count), uri: ev.args.uri as string,
          blockNumber: log.blockNumber, txHash: log.transactionHash, logIndex: log.index, timestamp,
        });
      }
    }
  }
}

export type Projection = ReturnType<typeof createProjection>;
