/**
 * Signed oracle report batches under attack (issues 7, 16): forged, tampered, cherry-picked, replayed,
 * stale, reordered and cross-chain (another chain id, another contract) batches are rejected by
 * CollectionClauses with the named error, and a rejected batch changes nothing. The quorum signs a batch's
 * digest (one signature set per batch), so a relayer can neither take a report out of a signed batch nor
 * add one to it. test/chain/clauses.test.ts covers the plain replay and an under-signed batch; this file
 * covers the rest.
 */
import { describe, it, expect, beforeAll } from "vitest";
import hre from "hardhat";
import {
  Signature, Wallet, keccak256, recoverAddress, toUtf8Bytes, getBytes, hexlify, randomBytes, type Signer, type TypedDataDomain,
} from "ethers";
import {
  Arbitrator__factory, ClaimRegistry__factory, CollectionClauses__factory, type ClaimRegistry, type CollectionClauses,
} from "../../types/ethers-contracts/index.js";
import { batchDigest, encodeReports, reportDomain, signBatch, ZERO_HASH, type Report } from "../../src/chain/reports.js";

/** Reports and signatures over their batch (the test's own form: the contract takes the reports encoded). */
type Batch = { reports: Report[]; signatures: string[] };
import { roleId, originatorCodeToBytes32 } from "../../src/chain/roles.js";

const DAY = 86_400;
const MAX_AGE = DAY;
const { ethers } = await hre.network.create();

describe("signed reports under attack", () => {
  let admin: Signer, bank: Signer, relayer: Signer;
  let registry: ClaimRegistry, clauses: CollectionClauses, otherClauses: CollectionClauses;
  let domain: TypedDataDomain, otherDomain: TypedDataDomain;
  let chainId: bigint;
  const oracles = [Wallet.createRandom(), Wallet.createRandom(), Wallet.createRandom()];
  const outsider = Wallet.createRandom();
  const bankCode = originatorCodeToBytes32("SECBANK");
  let loanNo = 0;

  async function registerClaim(): Promise<string> {
    const loanRef = keccak256(toUtf8Bytes(`SEC-LN-${++loanNo}`));
    const terms = {
      principal: 1_000_000n, outstanding: 800_000n, currency: "0x434e59", originatedAt: 1_600_000_000, maturityAt: 1_690_000_000, retail: false,
      clauses: { warnDays: 0, demandDays: 0, arbitrationDays: 0, coverageBps: 0, noticeDays: 0 }, collateralHash: ZERO_HASH, documentsRoot: ZERO_HASH,
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

  /** A report for the claim's next nonce (or `nonce`), as of `asOf` (default: the latest block). */
  async function report(claimId: string, over: Partial<Report> = {}, on: CollectionClauses = clauses): Promise<Report> {
    const nonce = Number((await on.caseOf(claimId)).nonce);
    return { claimId, asOf: await now(), daysPastDue: 1, outstanding: 800_000n, collateralValue: 0n, classification: 1, riskGrade: 1, noticeHash: ZERO_HASH, nonce, ...over };
  }

  /** The batch `reports` (one report or several), signed by `signers` (2 of the 3 oracles by default) under `d`. */
  const quorum = async (reports: Report | Report[], d = domain, signers: Signer[] = oracles.slice(0, 2)): Promise<Batch> => {
    const rs = Array.isArray(reports) ? reports : [reports];
    return { reports: rs, signatures: await Promise.all(signers.map((o) => signBatch(o, d, rs))) };
  };

  const send = (batch: Batch, on: CollectionClauses) => on.connect(relayer).submitReports(encodeReports(batch.reports), batch.signatures);

  /** The custom error `p` reverted with, and its arguments. */
  async function revertOf(p: Promise<unknown>): Promise<{ name: string; args: unknown[] }> {
    try {
      await p;
    } catch (e) {
      const data = (e as { data?: unknown }).data;
      if (typeof data === "string" && data.length >= 10) {
        const parsed = clauses.interface.parseError(data);
        if (parsed) return { name: parsed.name, args: [...parsed.args] };
      }
      throw e;
    }
    throw new Error("expected a revert");
  }

  /** Submits `batch`; returns the error it reverted with, after checking that the batch changed nothing. */
  async function rejected(batch: Batch, on: CollectionClauses = clauses): Promise<{ name: string; args: unknown[] }> {
    const d = on === clauses ? domain : otherDomain;
    const snapshot = async () => [
      await on.isBatchApplied(batchDigest(d, batch.reports)),
      ...await Promise.all(batch.reports.map(async (r) => {
        const c = await on.caseOf(r.claimId);
        return [c.nonce, c.state, c.lastAsOf];
      })),
    ];
    const before = await snapshot();
    const err = await revertOf(send(batch, on));
    expect(await snapshot()).toEqual(before);
    return err;
  }

  async function applied(batch: Batch, on: CollectionClauses = clauses): Promise<void> {
    const receipt = await (await send(batch, on)).wait();
    expect(receipt!.status).toBe(1);
  }

  beforeAll(async () => {
    [admin, bank, relayer] = await ethers.getSigners();
    registry = await new ClaimRegistry__factory(admin).deploy(await admin.getAddress(), 7);
    const arbitrator = await new Arbitrator__factory(admin).deploy(await registry.getAddress());
    clauses = await new CollectionClauses__factory(admin).deploy(await registry.getAddress(), await arbitrator.getAddress(), 2, MAX_AGE, "ipfs://meta");
    // A second deployment on the same chain with the same oracles: a signature for one must not work on the other.
    otherClauses = await new CollectionClauses__factory(admin).deploy(await registry.getAddress(), await arbitrator.getAddress(), 2, MAX_AGE, "ipfs://meta");
    await (await registry.grantRole(roleId("ORIGINATOR"), await bank.getAddress())).wait();
    await (await registry.bindOriginatorCode(bankCode, await bank.getAddress())).wait();
    for (const o of oracles) await (await registry.grantRole(roleId("ORACLE"), o.address)).wait();
    chainId = (await ethers.provider.getNetwork()).chainId;
    domain = reportDomain(chainId, await clauses.getAddress());
    otherDomain = reportDomain(chainId, await otherClauses.getAddress());
  });

  it("the contract's digest is the EIP-712 digest of our domain: chain id and contract address are bound into every signature", async () => {
    const rs = [await report(await registerClaim())];
    expect(await clauses.batchDigest(encodeReports(rs))).toBe(batchDigest(domain, rs));
    expect(await otherClauses.batchDigest(encodeReports(rs))).toBe(batchDigest(otherDomain, rs));
    expect(batchDigest(domain, rs)).not.toBe(batchDigest(reportDomain(chainId + 1n, await clauses.getAddress()), rs));
    expect(batchDigest(domain, rs)).not.toBe(batchDigest(otherDomain, rs));
  });

  describe("forged", () => {
    it("signed by an account without ORACLE → SignerNotOracle naming the forger", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId);
      const forged = await quorum(r, domain, [outsider, Wallet.createRandom()]);
      const err = await rejected(forged);
      expect(err.name).toBe("SignerNotOracle");
      expect(err.args[0]).toBe(outsider.address);
      // One real oracle plus a forger does not make a quorum of two.
      const mixed = { reports: [r], signatures: [await signBatch(oracles[0]!, domain, [r]), await signBatch(outsider, domain, [r])] };
      expect((await rejected(mixed)).name).toBe("SignerNotOracle");
    });

    it("figures changed after the oracles signed → the signatures recover to strangers (SignerNotOracle)", async () => {
      const claimId = await registerClaim();
      const other = await registerClaim();
      const signed = await quorum([await report(other), await report(claimId, { daysPastDue: 1, outstanding: 800_000n })]);
      const changes: Array<Partial<Report>> = [{ daysPastDue: 400 }, { outstanding: 1n }, { collateralValue: 10n ** 12n }, { classification: 4 }, { noticeHash: keccak256(toUtf8Bytes("x")) }];
      for (const change of changes) {
        const tampered = { ...signed, reports: [signed.reports[0]!, { ...signed.reports[1]!, ...change }] };
        const err = await rejected(tampered);
        expect({ change: Object.keys(change)[0], name: err.name }).toEqual({ change: Object.keys(change)[0], name: "SignerNotOracle" });
        expect(oracles.map((o) => o.address)).not.toContain(err.args[0]);
      }
      await applied(signed); // the untouched batch still applies
    });

    it("a relayer cherry-picks: a report taken out of a signed batch, one added, or the order changed → SignerNotOracle", async () => {
      const [a, b, c] = [await registerClaim(), await registerClaim(), await registerClaim()];
      const signed = await quorum([await report(a), await report(b, { daysPastDue: 0 })]);
      const extra = await report(c, { daysPastDue: 400, classification: 4 });
      for (const reports of [[signed.reports[0]!], [signed.reports[1]!], [...signed.reports, extra], [signed.reports[1]!, signed.reports[0]!]]) {
        const err = await rejected({ reports, signatures: signed.signatures });
        expect(err.name).toBe("SignerNotOracle");
        expect(oracles.map((o) => o.address)).not.toContain(err.args[0]);
      }
      await applied(signed);
    });

    it("one oracle's signature twice → DuplicateSigner; garbage or malleated signatures → the ECDSA errors", async () => {
      const claimId = await registerClaim();
      const rs = [await report(claimId)];
      const sig = await signBatch(oracles[0]!, domain, rs);
      expect((await rejected({ reports: rs, signatures: [sig, sig] })).name).toBe("DuplicateSigner");
      expect((await rejected({ reports: rs, signatures: [sig, "0x1234"] })).name).toBe("ECDSAInvalidSignatureLength");
      expect((await rejected({ reports: rs, signatures: [sig, hexlify(new Uint8Array(65))] })).name).toBe("ECDSAInvalidSignature");
      // The same signature with s in the upper half (malleability): refused.
      const s = Signature.from(await signBatch(oracles[1]!, domain, rs));
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const high = hexlify(new Uint8Array([...getBytes(s.r), ...getBytes("0x" + (n - BigInt(s.s)).toString(16).padStart(64, "0")), s.v === 27 ? 28 : 27]));
      expect((await rejected({ reports: rs, signatures: [sig, high] })).name).toBe("ECDSAInvalidSignatureS");
      expect((await rejected({ reports: rs, signatures: [sig, hexlify(randomBytes(65))] })).name).toMatch(/^(ECDSAInvalidSignature|ECDSAInvalidSignatureS|SignerNotOracle)$/);
    });
  });

  describe("replayed", () => {
    it("the same batch signed again by other oracles is still a replay: BatchAlreadyApplied (the digest, not the signatures, is spent)", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId);
      await applied(await quorum(r));
      const err = await rejected(await quorum(r, domain, oracles.slice(1, 3)));
      expect(err.name).toBe("BatchAlreadyApplied");
      expect(err.args[0]).toBe(batchDigest(domain, [r]));
    });

    it("an applied report in a new batch (with another claim's fresh report) → ReportNotNewer: the batch reverts as a whole", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId);
      await applied(await quorum(r));
      const fresh = await report(await registerClaim());
      expect((await rejected(await quorum([fresh, r]))).name).toBe("ReportNotNewer");
      await applied(await quorum(fresh));
    });

    it("a report twice in one batch: the batch reverts as a whole (ReportNotNewer), nothing applied", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId);
      expect((await rejected(await quorum([r, r]))).name).toBe("ReportNotNewer");
      await applied(await quorum(r));
    });
  });

  describe("stale", () => {
    it("asOf older than maxReportAge → StaleReport; further ahead than the clock skew → ReportFromFuture", async () => {
      const claimId = await registerClaim();
      const t = await now();
      const stale = await quorum(await report(claimId, { asOf: t - BigInt(MAX_AGE) - 60n }));
      const err = await rejected(stale);
      expect(err.name).toBe("StaleReport");
      expect(err.args[1]).toBe(t - BigInt(MAX_AGE) - 60n);
      const future = await quorum(await report(claimId, { asOf: t + 3600n }));
      expect((await rejected(future)).name).toBe("ReportFromFuture");
    });

    it("a batch signed in time but held back until it is too old is refused when it finally arrives", async () => {
      const claimId = await registerClaim();
      const held = await quorum(await report(claimId));
      await advance(MAX_AGE + 60);
      expect((await rejected(held)).name).toBe("StaleReport");
    });
  });

  describe("reordered", () => {
    it("nonce n+1 before n → ReportNonceMismatch; in order both apply", async () => {
      const claimId = await registerClaim();
      const t = await now();
      const first = await report(claimId, { asOf: t - 10n, nonce: 0, daysPastDue: 1 });
      const second = await report(claimId, { asOf: t - 5n, nonce: 1, daysPastDue: 2 });
      const err = await rejected(await quorum(second));
      expect(err.name).toBe("ReportNonceMismatch");
      expect(err.args.slice(1).map(Number)).toEqual([1, 0]);
      expect((await rejected(await quorum([second, first]))).name).toBe("ReportNonceMismatch"); // reordered within a batch
      await applied(await quorum([first, second]));
      expect(Number((await clauses.caseOf(claimId)).nonce)).toBe(2);
    });

    it("an older asOf with the right nonce → ReportNotNewer (a delayed report cannot overwrite a newer one)", async () => {
      const claimId = await registerClaim();
      const t = await now();
      await applied(await quorum(await report(claimId, { asOf: t, nonce: 0 })));
      const older = await quorum(await report(claimId, { asOf: t - 100n, nonce: 1 }));
      const err = await rejected(older);
      expect(err.name).toBe("ReportNotNewer");
      const same = await quorum(await report(claimId, { asOf: t, nonce: 1, daysPastDue: 9 }));
      expect((await rejected(same)).name).toBe("ReportNotNewer");
    });
  });

  describe("cross-chain", () => {
    it("signed for another chain id → the signatures recover to strangers: SignerNotOracle", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId);
      for (const otherChain of [1n, chainId + 1n, 11155111n]) {
        const d = reportDomain(otherChain, await clauses.getAddress());
        const signed = await quorum(r, d);
        const err = await rejected(signed);
        expect({ otherChain, name: err.name }).toEqual({ otherChain, name: "SignerNotOracle" });
        // What the contract recovered: the signer of another digest, not an oracle.
        expect(err.args[0]).toBe(recoverAddress(batchDigest(domain, [r]), signed.signatures[0]!));
        expect(oracles.map((o) => o.address)).not.toContain(err.args[0]);
      }
      await applied(await quorum(r)); // the same batch for this chain applies
    });

    it("signed for another CollectionClauses (same chain, same oracles) → SignerNotOracle; and applied there, it cannot be replayed here", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId);
      const forOther = await quorum(r, otherDomain);
      expect((await rejected(forOther)).name).toBe("SignerNotOracle");
      await applied(forOther, otherClauses);
      expect((await rejected(forOther)).name).toBe("SignerNotOracle");
      // And the other way round.
      const forThis = await quorum(await report(claimId, { asOf: await now() }, otherClauses), domain); // the other contract's next nonce
      expect((await rejected(forThis, otherClauses)).name).toBe("SignerNotOracle");
    });

    it("signed under another domain name or version → SignerNotOracle", async () => {
      const claimId = await registerClaim();
      const r = await report(claimId);
      for (const d of [{ ...domain, name: "Debtrail CollectionClauses v2" }, { ...domain, version: "2" }]) {
        expect((await rejected(await quorum(r, d))).name).toBe("SignerNotOracle");
      }
    });
  });
});
