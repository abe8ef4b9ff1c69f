import { describe, it, expect, beforeAll } from "vitest";
import hre from "hardhat";
import { Wallet, keccak256, toUtf8Bytes, type Signer, type TypedDataDomain } from "ethers";
import {
  Arbitrator__factory,
  ClaimRegistry__factory,
  CollectionClauses__factory,
  type Arbitrator,
  type ClaimRegistry,
  type CollectionClauses,
} from "../../types/ethers-contracts/index.js";
import {
  batchDigest,
  encodeReports,
  reportDomain,
  signBatchByQuorum,
  ZERO_HASH,
  type Report,
  type SignedBatch,
} from "../../src/chain/reports.js";
import { roleId, originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { decodeChainError, ChainRevertError } from "../../src/chain/errors.js";
import { ALLOWED_EDGES, CASE_STATES, planReport, type CaseView, type ClauseThresholds, type ReportFigures } from "../../src/core/oracle-plan.js";

// CaseState in contracts/interfaces/ICollectionClauses.sol
const State = { Performing: 0, Overdue: 1, Warned: 2, Demanded: 3, InArbitration: 4, Ruled: 5, Closed: 6 } as const;
const DAY = 86_400;
const MIN_NOTICE_DAYS = 7;

const { ethers } = await hre.network.create();

describe("CollectionClauses with signed reports", () => {
  let admin: Signer, bank: Signer, court: Signer, relayer: Signer;
  let registry: ClaimRegistry, arbitrator: Arbitrator, clauses: CollectionClauses;
  let domain: TypedDataDomain;
  const oracles = [Wallet.createRandom(), Wallet.createRandom(), Wallet.createRandom()];
  const bankCode = originatorCodeToBytes32("BANK001");
  let loanNo = 0;

  async function registerClaim(): Promise<string> {
    const loanRef = keccak256(toUtf8Bytes(`LN-${++loanNo}`));
    const terms = {
      principal: 1_000_000_00n, outstanding: 800_000_00n, currency: "0x434e59", originatedAt: 1_600_000_000,
      maturityAt: 1_690_000_000, retail: false,
      clauses: { warnDays: 0, demandDays: 0, arbitrationDays: 0, coverageBps: 0, noticeDays: 0 },
      collateralHash: ZERO_HASH, documentsRoot: ZERO_HASH,
    };
    await (await registry.connect(bank).register({ originatorCode: bankCode, loanRef, terms })).wait();
    return registry.claimIdOf(bankCode, loanRef);
  }

  async function now(): Promise<bigint> {
    return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  }

  async function advance(seconds: number): Promise<void> {
    await ethers.provider.send("evm_increaseTime", [seconds]);
    await ethers.provider.send("evm_mine", []);
  }

  async function report(claimId: string, daysPastDue: number, outstanding: bigint, collateralValue: bigint,
    noticeHash = ZERO_HASH): Promise<Report> {
    const nonce = Number((await clauses.caseOf(claimId)).nonce);
    return { claimId, asOf: await now(), daysPastDue, outstanding, collateralValue,
      classification: daysPastDue > 90 ? 2 : daysPastDue > 0 ? 1 : 0, riskGrade: 2, noticeHash, nonce };
  }

  /** 2 of the 3 oracles sign the batch; a non-oracle account relays. */
  async function submit(...reports: Report[]): Promise<SignedBatch> {
    const batch = await signBatchByQuorum(oracles.slice(0, 2), domain, reports);
    await (await clauses.connect(relayer).submitReports(batch.reports, batch.signatures)).wait();
    return batch;
  }

  async function stateOf(claimId: string): Promise<number> {
    return Number((await clauses.caseOf(claimId)).state);
  }

  async function revertName(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      // A node over JSON-RPC gives ethers' CALL_EXCEPTION (decoded by the daemon's decoder); the in-process
      // network throws Hardhat's SolidityError, whose revert data sits in `data`.
      const data = (e as { data?: unknown }).data;
      if (typeof data === "string" && data.length >= 10) {
        const parsed = clauses.interface.parseError(data) ?? arbitrator.interface.parseError(data);
        if (parsed) return parsed.name;
      }
      const err = decodeChainError(e, clauses.interface);
      if (err instanceof ChainRevertError) return err.errorName;
      throw e;
    }
    throw new Error("expected a revert");
  }

  async function toDemanded(claimId: string): Promise<void> {
    await submit(await report(claimId, 1, 500_000_00n, 100_000_00n));
    await advance(2 * DAY);
    await submit(await report(claimId, 3, 500_000_00n, 100_000_00n, keccak256(toUtf8Bytes("warning"))));
    await advance(27 * DAY); // past the warning's notice period (15 days by default)
    await submit(await report(claimId, 30, 500_000_00n, 100_000_00n, keccak256(toUtf8Bytes("demand"))));
  }

  beforeAll(async () => {
    [admin, bank, court, relayer] = await ethers.getSigners();
    registry = await new ClaimRegistry__factory(admin).deploy(await admin.getAddress(), MIN_NOTICE_DAYS);
    arbitrator = await new Arbitrator__factory(admin).deploy(await registry.getAddress());
    clauses = await new CollectionClauses__factory(admin).deploy(
      await registry.getAddress(), await arbitrator.getAddress(), 2, DAY, "ipfs://debtrail-meta-evidence");
    await (await registry.grantRole(roleId("ORIGINATOR"), await bank.getAddress())).wait();
    await (await registry.bindOriginatorCode(bankCode, await bank.getAddress())).wait();
    await (await registry.grantRole(roleId("ARBITRATOR"), await court.getAddress())).wait();
    for (const o of oracles) await (await registry.grantRole(roleId("ORACLE"), o.address)).wait();
    const { chainId } = await ethers.provider.getNetwork();
    domain = reportDomain(chainId, await clauses.getAddress());
  });

  describe("batchDigest", () => {
    it("matches the contract's EIP-712 digest of the encoded batch", async () => {
      const r = await report(await registerClaim(), 7, 123n, 45n, keccak256(toUtf8Bytes("n")));
      const s = await report(await registerClaim(), 0, 1n, 0n);
      expect(batchDigest(domain, [r, s])).toBe(await clauses.batchDigest(encodeReports([r, s])));
      expect(batchDigest(domain, [s, r])).not.toBe(batchDigest(domain, [r, s]));
    });
  });

  describe("submitReports", () => {
    it("walks performing → overdue → warned → demanded → in-arbitration → ruled → closed", async () => {
      const claimId = await registerClaim();
      await submit(await report(claimId, 0, 800_000_00n, 0n));
      expect(await stateOf(claimId)).toBe(State.Performing);
      await advance(DAY);
      await submit(await report(claimId, 1, 800_000_00n, 0n));
      expect(await stateOf(claimId)).toBe(State.Overdue);
      await toDemanded(claimId);
      expect(await stateOf(claimId)).toBe(State.Demanded);

      await advance(60 * DAY);
      await submit(await report(claimId, 91, 500_000_00n, 100_000_00n));
      const c = await clauses.caseOf(claimId);
      expect(Number(c.state)).toBe(State.InArbitration);
      const disputeId = c.disputeId;
      expect(await clauses.claimOfDispute(disputeId)).toBe(claimId);

      // The award is final and executed when given: no appeal, no second transaction.
      expect(await revertName(arbitrator.connect(relayer).appeal(disputeId, "0x"))).toBe("AwardIsFinal");
      await (await arbitrator.connect(court).giveRuling(disputeId, 1)).wait();
      expect(await stateOf(claimId)).toBe(State.Ruled);
      expect(await arbitrator.appealPeriod(disputeId)).toEqual([0n, 0n]);
      expect(await revertName(arbitrator.connect(relayer).appeal(disputeId, "0x"))).toBe("AwardIsFinal");

      await advance(DAY);
      await submit(await report(claimId, 95, 0n, 0n));
      expect(await stateOf(claimId)).toBe(State.Closed);

      const changes = await clauses.queryFilter(clauses.filters.CaseStateChanged(claimId));
      expect(changes.map((e) => Number(e.args.to))).toEqual([
        State.Overdue, State.Warned, State.Demanded, State.InArbitration, State.Ruled, State.Closed,
      ]);
      const notices = changes.filter((e) => e.args.noticeHash !== ZERO_HASH).map((e) => e.args.noticeHash);
      expect(notices).toEqual([keccak256(toUtf8Bytes("warning")), keccak256(toUtf8Bytes("demand"))]);
    });

    it("keeps a case whose collateral covers the threshold out of arbitration", async () => {
      const claimId = await registerClaim();
      await toDemanded(claimId);
      await advance(90 * DAY);
      // 610,000 / 500,000 = 12,200 bps ≥ 12,000
      await submit(await report(claimId, 150, 500_000_00n, 610_000_00n));
      expect(await stateOf(claimId)).toBe(State.Demanded);
      expect(await clauses.queryFilter(clauses.filters.ArbitrationStarted(claimId))).toHaveLength(0);
    });

    it("rejects a replayed batch with BatchAlreadyApplied", async () => {
      const claimId = await registerClaim();
      const batch = await submit(await report(claimId, 2, 800_000_00n, 0n));
      expect(await clauses.isBatchApplied(await clauses.batchDigest(batch.reports))).toBe(true);
      expect(await revertName(clauses.connect(relayer).submitReports(batch.reports, batch.signatures))).toBe("BatchAlreadyApplied");
    });

    it("applies a batch of 100 reports (100 claims, one signature set) near the gas floor", async () => {
      const claimIds: string[] = [];
      for (let i = 0; i < 100; i++) claimIds.push(await registerClaim());
      const batch = await signBatchByQuorum(oracles.slice(0, 2), domain, await Promise.all(claimIds.map((id) => report(id, 1, 800_000_00n, 0n))));
      const receipt = (await (await clauses.connect(relayer).submitReports(batch.reports, batch.signatures, { gasLimit: 16_000_000 })).wait())!;
      expect(receipt.status).toBe(1);
      for (const id of [claimIds[0]!, claimIds[99]!]) expect(await stateOf(id)).toBe(State.Overdue);
      // A claim's first report opens its case (a new storage word, the terms read from the registry); a later
      // one reads and writes that word once and emits its figures. Gas figures: npm run bench:oracle.
      expect(receipt.gasUsed / 100n).toBeLessThan(45_000n);
      await advance(DAY);
      const next = await signBatchByQuorum(oracles.slice(1, 3), domain,
        await Promise.all(claimIds.map((id) => report(id, 2, 790_000_00n, 0n, keccak256(toUtf8Bytes(`warning ${id}`))))));
      const steady = (await (await clauses.connect(relayer).submitReports(next.reports, next.signatures, { gasLimit: 16_000_000 })).wait())!;
      for (const id of [claimIds[0]!, claimIds[99]!]) expect(await stateOf(id)).toBe(State.Warned);
      expect(steady.gasUsed / 100n).toBeLessThan(20_000n);
    });

    it("rejects a batch signed by one oracle only with QuorumNotReached", async () => {
      const claimId = await registerClaim();
      const one = await signBatchByQuorum(oracles.slice(2), domain, [await report(claimId, 2, 800_000_00n, 0n)]);
      expect(await revertName(clauses.connect(relayer).submitReports(one.reports, one.signatures))).toBe("QuorumNotReached");
    });
  });

  describe("due process", () => {
    it("refuses a claim whose notice period is below the deployment's minimum, by name (never clamped)", async () => {
      expect(Number(await registry.minNoticeDays())).toBe(MIN_NOTICE_DAYS);
      const loanRef = keccak256(toUtf8Bytes(`LN-short-notice-${++loanNo}`));
      const terms = {
        principal: 1_000_000_00n, outstanding: 800_000_00n, currency: "0x434e59", originatedAt: 1_600_000_000,
        maturityAt: 1_690_000_000, retail: false,
        clauses: { warnDays: 1, demandDays: 1, arbitrationDays: 1, coverageBps: 12_000, noticeDays: 0 },
        collateralHash: ZERO_HASH, documentsRoot: ZERO_HASH,
      };
      const data = await registry.connect(bank).register.staticCall({ originatorCode: bankCode, loanRef, terms })
        .then(() => "0x", (e: { data?: string }) => e.data ?? "0x");
      const err = registry.interface.parseError(data);
      expect(err?.name).toBe("NoticeDaysBelowMinimum");
      expect(err!.args.slice(1).map(Number)).toEqual([0, MIN_NOTICE_DAYS]);
    });

    it("the demand waits the warning's notice period in block time, whatever the days past due say", async () => {
      const claimId = await registerClaim();
      await submit(await report(claimId, 45, 800_000_00n, 0n, keccak256(toUtf8Bytes("warning"))));
      expect(await stateOf(claimId)).toBe(State.Warned);
      await advance(DAY);
      const early = await signBatchByQuorum(oracles.slice(0, 2), domain, [await report(claimId, 46, 800_000_00n, 0n, keccak256(toUtf8Bytes("demand")))]);
      expect(await revertName(clauses.connect(relayer).submitReports(early.reports, early.signatures))).toBe("NoticePeriodRunning");
      await advance(14 * DAY);
      await submit(await report(claimId, 60, 800_000_00n, 0n, keccak256(toUtf8Bytes("demand"))));
      expect(await stateOf(claimId)).toBe(State.Demanded);
    });
  });

  describe("the TypeScript copy of the clause rule (src/core/oracle-plan.ts)", () => {
    it("has the contract's edges", async () => {
      for (let from = 0; from < CASE_STATES.length; from++) {
        for (let to = 0; to < CASE_STATES.length; to++) {
          const ts = ALLOWED_EDGES[CASE_STATES[from]!].includes(CASE_STATES[to]!);
          expect({ from: CASE_STATES[from], to: CASE_STATES[to], allowed: await clauses.isAllowedTransition(from, to) })
            .toEqual({ from: CASE_STATES[from], to: CASE_STATES[to], allowed: ts });
        }
      }
    });

    /**
     * Random reports (days past due near each threshold, repayments, cures, collateral around the coverage
     * line, waits around the notice periods) and random rulings on a few claims. Before each report the plan
     * is made from the contract's case and the block time the report will have; then the contract must do
     * exactly what the plan says: the planned transitions, a notice exactly when planned (a notice the plan
     * holds back is refused), and a refusal only when the plan skips a closed case.
     */
    it("agrees with the contract under random reports, waits and rulings", async () => {
      let seed = 0x5eed1234;
      const rand = () => {
        seed = (seed + 0x6d2b79f5) >>> 0;
        let t = seed;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
      };
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const claims = [await registerClaim(), await registerClaim(), await registerClaim()];
      const last = new Map<string, ReportFigures>();
      const seen = { transitions: new Set<string>(), skips: new Set<string>(), refusedNotices: 0 };
      const dayRange = (n: number) => Math.max(0, n + Math.floor(rand() * 5) - 2);
      let focus: number | null = null; // after a ruling, stay on its claim for a few reports
      for (let step = 0; step < 200; step++) {
        const k: number = focus !== null && rand() < 0.8 ? focus : Math.floor(rand() * claims.length);
        if (Number((await clauses.caseOf(claims[k]!)).state) === State.Closed && rand() < 0.5) claims[k] = await registerClaim();
        const claimId = claims[k]!;
        const c = await clauses.caseOf(claimId);
        const view: CaseView = {
          state: Number(c.state), nonce: Number(c.nonce), lastAsOf: Number(c.lastAsOf), lastNoticeAt: Number(c.lastNoticeAt),
          stateSince: Number(c.stateSince), warnDays: Number(c.warnDays), demandDays: Number(c.demandDays),
          arbitrationDays: Number(c.arbitrationDays), coverageBps: Number(c.coverageBps), noticeDays: Number(c.noticeDays),
        };
        const t = await registry.clausesOf(claimId);
        const terms: ClauseThresholds = {
          warnDays: Number(t.warnDays), demandDays: Number(t.demandDays), arbitrationDays: Number(t.arbitrationDays),
          coverageBps: Number(t.coverageBps), noticeDays: Number(t.noticeDays),
        };
        if (view.state === State.InArbitration && rand() < 0.5) {
          const ruling = pick([0, 0, 1, 2, 3]);
          await (await arbitrator.connect(court).giveRuling(c.disputeId, ruling)).wait();
          seen.transitions.add(`ruling ${ruling}`);
          seen.transitions.add(CASE_STATES[Number((await clauses.caseOf(claimId)).state)]!);
          focus = k;
          continue;
        }
        const wait = pick([1, 60, DAY, 7 * DAY, 14 * DAY, 15 * DAY - 1, 15 * DAY, 15 * DAY + 1, 16 * DAY, 40 * DAY]);
        const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
        const at = latest + wait;
        const outstanding = rand() < 0.03 ? 0n : BigInt(1 + Math.floor(rand() * 1_000_000));
        const line = (outstanding * BigInt(terms.coverageBps)) / 10_000n;
        const previous = last.get(claimId);
        const figures: ReportFigures = previous && rand() < 0.3
          ? { ...previous, asOf: at } // the same figures again: "unchanged", or a step waiting for its notice period
          : {
            asOf: at,
            daysPastDue: rand() < 0.1 ? 0 : dayRange(pick([terms.warnDays, terms.demandDays, terms.arbitrationDays, 200])),
            outstanding,
            collateralValue: pick([0n, line > 0n ? line - 1n : 0n, line, line + 1n, line * 2n]),
            classification: 1,
            riskGrade: 2,
          };
        const plan = planReport(figures, view, terms, last.get(claimId), at);
        const base: Report = {
          claimId, asOf: BigInt(at), daysPastDue: figures.daysPastDue, outstanding: figures.outstanding,
          collateralValue: figures.collateralValue, classification: 1, riskGrade: 2, noticeHash: ZERO_HASH, nonce: view.nonce,
        };
        const send = async (r: Report) => {
          await ethers.provider.send("evm_setNextBlockTimestamp", [at]);
          const b = await signBatchByQuorum(oracles.slice(0, 2), domain, [r]);
          return clauses.connect(relayer).submitReports(b.reports, b.signatures);
        };
        if ("skip" in plan) seen.skips.add(plan.skip);
        if ("skip" in plan && plan.skip === "closed") {
          expect(await revertName(send(base))).toBe("CaseAlreadyClosed");
          continue;
        }
        const planned = "skip" in plan ? null : plan.notice;
        if (planned === null && figures.outstanding > 0n && figures.daysPastDue > 0) {
          // A notice the plan holds back is one the contract refuses at the same block time.
          const snapshot = await ethers.provider.send("evm_snapshot", []);
          const name = await revertName(send({ ...base, noticeHash: keccak256(toUtf8Bytes(`notice ${step}`)) }));
          expect(["NoticeNotDue", "NoticePeriodRunning"]).toContain(name);
          seen.refusedNotices++;
          await ethers.provider.send("evm_revert", [snapshot]);
        }
        const r = { ...base, noticeHash: planned ? keccak256(toUtf8Bytes(`${planned} ${step}`)) : ZERO_HASH };
        const receipt = (await (await send(r)).wait())!;
        const moved = receipt.logs
          .map((l) => clauses.interface.parseLog(l))
          .filter((e) => e?.name === "CaseStateChanged")
          .map((e) => CASE_STATES[Number(e!.args.to)]);
        const expected = "skip" in plan ? [] : plan.transitions;
        expect({ step, state: CASE_STATES[view.state], figures: { ...figures, outstanding: String(figures.outstanding), collateralValue: String(figures.collateralValue) }, moved })
          .toEqual({ step, state: CASE_STATES[view.state], figures: { ...figures, outstanding: String(figures.outstanding), collateralValue: String(figures.collateralValue) }, moved: expected });
        for (const m of moved) seen.transitions.add(m!);
        last.set(claimId, figures);
      }
      // The walk reached every step of the ladder, both kinds of skip and held-back notices.
      for (const s of ["overdue", "warned", "demanded", "in-arbitration", "ruling 0", "closed"]) expect([...seen.transitions]).toContain(s);
      expect([...seen.skips]).toEqual(expect.arrayContaining(["notice-period-running", "unchanged", "closed"]));
      expect(seen.refusedNotices).toBeGreaterThan(10);
    });
  });
});
