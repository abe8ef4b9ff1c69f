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
  reportDigest,
  reportDomain,
  signReportByQuorum,
  ZERO_HASH,
  type Report,
  type SignedReport,
} from "../../src/chain/reports.js";
import { roleId, originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { decodeChainError, ChainRevertError } from "../../src/chain/errors.js";

// CaseState in contracts/interfaces/ICollectionClauses.sol
const State = { Performing: 0, Overdue: 1, Warned: 2, Demanded: 3, InArbitration: 4, Ruled: 5, Closed: 6 } as const;
const DAY = 86_400;
const APPEAL_PERIOD = 3 * DAY;

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

  /** 2 of the 3 oracles sign; a non-oracle account relays. */
  async function submit(...reports: Report[]): Promise<SignedReport[]> {
    const batch = await Promise.all(reports.map((r) => signReportByQuorum(oracles.slice(0, 2), domain, r)));
    await (await clauses.connect(relayer).submitReports(batch)).wait();
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
    await advance(27 * DAY);
    await submit(await report(claimId, 30, 500_000_00n, 100_000_00n, keccak256(toUtf8Bytes("demand"))));
  }

  beforeAll(async () => {
    [admin, bank, court, relayer] = await ethers.getSigners();
    registry = await new ClaimRegistry__factory(admin).deploy(await admin.getAddress());
    arbitrator = await new Arbitrator__factory(admin).deploy(await registry.getAddress(), APPEAL_PERIOD);
    clauses = await new CollectionClauses__factory(admin).deploy(
      await registry.getAddress(), await arbitrator.getAddress(), 2, DAY, "ipfs://debtrail-meta-evidence");
    await (await registry.grantRole(roleId("ORIGINATOR"), await bank.getAddress())).wait();
    await (await registry.bindOriginatorCode(bankCode, await bank.getAddress())).wait();
    await (await registry.grantRole(roleId("ARBITRATOR"), await court.getAddress())).wait();
    for (const o of oracles) await (await registry.grantRole(roleId("ORACLE"), o.address)).wait();
    const { chainId } = await ethers.provider.getNetwork();
    domain = reportDomain(chainId, await clauses.getAddress());
  });

  describe("reportDigest", () => {
    it("matches the contract's EIP-712 digest", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId, 7, 123n, 45n, keccak256(toUtf8Bytes("n")));
      expect(reportDigest(domain, r)).toBe(await clauses.reportDigest(r));
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

      await (await arbitrator.connect(court).giveRuling(disputeId, 1)).wait();
      const early = await revertName(arbitrator.connect(relayer).executeRuling(disputeId));
      expect(early).toBe("AppealPeriodNotOver");
      await advance(APPEAL_PERIOD);
      await (await arbitrator.connect(relayer).executeRuling(disputeId)).wait();
      expect(await stateOf(claimId)).toBe(State.Ruled);

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

    it("rejects a replayed batch with ReportAlreadyApplied", async () => {
      const claimId = await registerClaim();
      const batch = await submit(await report(claimId, 2, 800_000_00n, 0n));
      expect(await clauses.isReportApplied(reportDigest(domain, batch[0]!.report))).toBe(true);
      expect(await revertName(clauses.connect(relayer).submitReports(batch))).toBe("ReportAlreadyApplied");
    });

    it("applies a batch of 100 reports (100 claims, 2 signatures each) within one transaction's gas cap", async () => {
      const claimIds: string[] = [];
      for (let i = 0; i < 100; i++) claimIds.push(await registerClaim());
      const reports = await Promise.all(claimIds.map((id) => report(id, 1, 800_000_00n, 0n)));
      const batch = await Promise.all(reports.map((r) => signReportByQuorum(oracles.slice(0, 2), domain, r)));
      const receipt = (await (await clauses.connect(relayer).submitReports(batch, { gasLimit: 16_000_000 })).wait())!;
      expect(receipt.status).toBe(1);
      for (const id of [claimIds[0]!, claimIds[99]!]) expect(await stateOf(id)).toBe(State.Overdue);
      // Measured 92.8k gas per report when it is the claim's first (terms read from the registry and cached,
      // case slot and digest slot created, one transition): ~180 such reports fit under the 16.7M cap.
      expect(receipt.gasUsed / 100n).toBeLessThan(100_000n);
      await advance(DAY);
      const next = await Promise.all(claimIds.map(async (id) => signReportByQuorum(oracles.slice(1, 3), domain,
        await report(id, 2, 790_000_00n, 0n))));
      const steady = (await (await clauses.connect(relayer).submitReports(next, { gasLimit: 16_000_000 })).wait())!;
      // Measured 54.1k gas per later report (no transition): ~300 per transaction.
      expect(steady.gasUsed / 100n).toBeLessThan(60_000n);
    });

    it("rejects a report signed by one oracle only with QuorumNotReached", async () => {
      const claimId = await registerClaim();
      const one = await signReportByQuorum(oracles.slice(2), domain, await report(claimId, 2, 800_000_00n, 0n));
      expect(await revertName(clauses.connect(relayer).submitReports([one]))).toBe("QuorumNotReached");
    });
  });
});
