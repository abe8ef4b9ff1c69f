/**
 * The gas part of `npm run bench:oracle`: gas per report, from the receipts of the daemon's own
 * transactions, at the network's quorum (k = 2: the leader and one co-signing peer daemon, each signing
 * from its own feed), batches of ORACLE_BATCH_SIZE=100. Three rounds over the same claims:
 *  1. each claim's first report (performing: the case is opened, its terms copied from the registry);
 *  2. the claims, which now have a case, go overdue past warnDays: a warning notice each and two
 *     transitions (Performing → Overdue → Warned) — the dearest step of a case with a case open;
 *  3. the figures change, no transition.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectProvider } from "../../src/chain/provider.js";
import { startStack, buildApi, call, callAt, claimRequest, freePort, appScope } from "../../test/helpers/stack.js";
import { peerOracleConfig } from "../../test/helpers/oracle.js";
import { devWallet, DEV_EXTRA_ORACLE_ACCOUNTS } from "../../src/config/dev-accounts.js";
import { CollectionClauses__factory } from "../../types/ethers-contracts/index.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

const CLAIMS = Number(process.env.BENCH_ORACLE_GAS_CLAIMS ?? 1000);
const PEER_KEY = "bench-leader-oracle-key-at-peer-5c1e9b0a7d3f";
const PEER_FEED = "bench-peer-own-feed-key-8e2d4a6c0b1f";
const REPORT_APPLIED = CollectionClauses__factory.createInterface().getEvent("ReportApplied").topicHash;
const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

interface Round {
  what: string;
  reports: number;
  transactions: number;
  gasPerReport: number;
  maxTxGas: bigint;
  perTx: number[];
}

export async function measureReportGas(log: (...args: unknown[]) => void): Promise<string[]> {
  const peerPort = await freePort();
  const peerDir = mkdtempSync(join(tmpdir(), "debtrail-bench-peer-"));
  const stack = await startStack({
    ORACLE_ENABLED: "0", ORACLE_QUORUM: "2", ORACLE_BATCH_SIZE: "100", EVIDENCE_BATCH_AGE_MS: "3600000", LOG_LEVEL: "silent",
    ORACLE_ADDRESSES: DEV_EXTRA_ORACLE_ACCOUNTS.map((n) => devWallet(n).address).join(","),
    ORACLE_PEERS: JSON.stringify([{ url: `http://127.0.0.1:${peerPort}`, key: PEER_KEY }]),
  });
  const peer = await buildApi(peerOracleConfig(stack, 0, peerDir, {
    oracle: { key: PEER_KEY, name: "the leader's daemon" }, feed: { key: PEER_FEED, name: "the peer's own loan feed" },
  }, "bench-peer-pii-secret-0123456789abcdef"), peerPort);
  const provider = await connectProvider(stack.chainUrl);
  const oracle = appScope(stack.api).oracle;
  try {
    const ids: string[] = [];
    for (let start = 0; start < CLAIMS; start += 1000) {
      const claims = Array.from({ length: Math.min(1000, CLAIMS - start) }, (_, k) => claimRequest(`BENCH-GAS-${start + k}`, {
        debtor: { name: "王五", idNumber: syntheticIdNumber("440101", start + k), phone: "13800138000", type: "retail", debtorId: `D-GAS-${start + k}` },
      }));
      const job = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims });
      if (job.status !== 202) throw new Error(`batch refused: ${JSON.stringify(job.body).slice(0, 300)}`);
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const j = (await call(stack, "GET", `/v1/jobs/${job.body.jobId}`, "dev-bank")).body;
        if (j.status !== "done") continue;
        if (j.registered !== claims.length) throw new Error(`registered ${j.registered} of ${claims.length}`);
        ids.push(...[...j.results].sort((x: { index: number }, y: { index: number }) => x.index - y.index).map((r: { claimId: string }) => r.claimId));
        break;
      }
    }
    log(`gas: ${ids.length} claims registered`);

    const rounds: Round[] = [];
    const round = async (what: string, daysPastDue: number) => {
      await provider.send("evm_increaseTime", [3600]);
      await provider.send("evm_mine", []);
      const asOf = new Date((await provider.getBlock("latest"))!.timestamp * 1000).toISOString();
      const statuses = ids.map((claimId) => ({ claimId, asOf, daysPastDue, outstanding: "85000000", collateralValue: "40000000", product: "mortgage", debtorType: "retail" }));
      for (let i = 0; i < statuses.length; i += 1000) {
        const chunk = statuses.slice(i, i + 1000);
        const [own, peers] = await Promise.all([
          call(stack, "POST", "/v1/loan-status/batch", "dev-bank", { statuses: chunk }),
          callAt(`http://127.0.0.1:${peerPort}`, "POST", "/v1/loan-status/batch", PEER_FEED, { statuses: chunk }),
        ]);
        if (own.status !== 202 || peers.status !== 202) throw new Error(`statuses refused: ${JSON.stringify([own.body, peers.body]).slice(0, 300)}`);
      }
      const s = await oracle.run();
      if (s.applied !== ids.length || s.failed > 0) throw new Error(`${what}: applied ${s.applied} of ${ids.length}: ${JSON.stringify(s).slice(0, 500)}`);
      let gas = 0n;
      let maxTxGas = 0n;
      const perTx: number[] = [];
      for (const hash of s.transactions) {
        const receipt = (await provider.getTransactionReceipt(hash))!;
        gas += receipt.gasUsed;
        if (receipt.gasUsed > maxTxGas) maxTxGas = receipt.gasUsed;
        perTx.push(receipt.logs.filter((l) => l.topics[0] === REPORT_APPLIED).length);
      }
      const reports = perTx.reduce((a, b) => a + b, 0);
      rounds.push({ what, reports, transactions: s.transactions.length, gasPerReport: Number(gas) / reports, maxTxGas, perTx });
      log(`gas: ${what}: ${fmt(Number(gas) / reports)} per report`);
    };
    await round("each claim's first report (performing: the case opens)", 0);
    await round("claims with a case go overdue past warnDays: warning notice, Performing → Overdue → Warned", 5);
    await round("claims with a case, figures change, no transition", 6);

    const [first, transitions, steady] = rounds;
    return [
      "### Gas per report (k = 2, batches of 100)",
      "",
      `${fmt(CLAIMS)} claims, three rounds of one status each (posted to the leader by the bank and to a co-signing peer daemon by its own feed), one cycle per round (\`POST /v1/oracle/run\`'s work). The leader and the peer sign each batch once (EIP-712 digest of the batch); \`ORACLE_QUORUM=2\`, \`ORACLE_BATCH_SIZE=100\`. Gas from the receipts of the cycle's transactions, divided by the \`ReportApplied\` logs in them.`,
      "",
      "| round | reports | transactions | reports per transaction | gas per report | largest transaction |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      ...rounds.map((r) => `| ${r.what} | ${fmt(r.reports)} | ${r.transactions} | ${Math.min(...r.perTx)}–${Math.max(...r.perTx)} | **${fmt(r.gasPerReport)}** | ${fmt(Number(r.maxTxGas))} |`),
      "",
      `On claims that already have a case, transitions included: **${fmt(transitions!.gasPerReport)} gas per report** with two transitions and a notice (target ≤ 20,000; 89,669 before issue 16, when every report carried its own quorum of signatures and stored its digest), ${fmt(steady!.gasPerReport)} without a transition. A claim's first report: ${fmt(first!.gasPerReport)} (its case word is created and its clause terms are read from the registry).`,
      "",
      "Where it goes, per report of a batch of 100: its calldata (~9 ABI words), one read and one write of the case's packed storage word, its `ReportApplied` log (7 data words) and one `CaseStateChanged` log per transition. Per batch, shared by its 100 reports: the transaction's 21,000, one `ecrecover` and ORACLE check per signature, one slot marking the batch digest applied (the replay guard), the batch's keccak and `BatchApplied`.",
      "",
    ];
  } finally {
    provider.destroy();
    await peer.close();
    await stack.stop();
    rmSync(peerDir, { recursive: true, force: true });
  }
}
