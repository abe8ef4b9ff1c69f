/**
 * `npm run network`: a network of five organisations (four administer it together; the investor takes part in the market) on one local chain, each its own processes, keys and
 * store — the multi-organisation deployment, locally (issue 16; README "A network of organisations").
 *
 *  1. anvil on 127.0.0.1:CHAIN_PORT, chain id NETWORK_CHAIN_ID (not 31337), a block every NETWORK_BLOCK_TIME
 *     seconds (interval mining, never automine), its state kept in NETWORK_DIR/chain;
 *  2. each organisation's keys generated into its own dir the first time (bank, amcA, amcB, court, investor); only the
 *     chain's funding account is a dev key, and it funds the organisations' accounts;
 *  3. the contracts deployed once (src/chain/deploy.ts; quorum 2 of the five oracle operators), the roles
 *     granted to the organisations' addresses. A chain that lost its state (another genesis, or no code at the
 *     recorded addresses) is deployed again and the organisations' stores are started afresh, never mixed;
 *  4. per organisation `debtrail serve` and `debtrail oracle` on its own data dir and port (NETWORK_BASE_PORT,
 *     in the order bank, amcA, amcB, court, investor), restarted when they exit unexpectedly (scripts/network/supervisor.ts);
 *  5. NETWORK_DIR/network.json written last, once every organisation answers /healthz.
 * Ctrl-C stops every child (the organisations first, then the chain, which writes its state).
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { JsonRpcProvider, parseEther } from "ethers";
import { devWallet } from "../src/config/dev-accounts.js";
import { readDeployment, type Deployment } from "../src/chain/deployment.js";
import { networkSettings, SettingsError, type NetworkSettings } from "./network/settings.js";
import { chainAccounts, COUNCIL_ORGS, loadOrgs, networkJson, orgEnv, writePrivate, type Org } from "./network/orgs.js";
import { startAnvil, type ChainProcess } from "./network/anvil.js";
import { createSupervisor } from "./network/supervisor.js";

const QUORUM = 2;
/** The council that alone administers the chain: k of the four organisations, after the timelock's delay. */
const COUNCIL_THRESHOLD = 3;
const COUNCIL_DELAY_SECONDS = 2 * 86_400;
const log = (line: string) => console.log(`network: ${line}`);

let settings: NetworkSettings;
try {
  settings = networkSettings();
} catch (e) {
  if (!(e instanceof SettingsError)) throw e;
  console.error(`${e.message} · 配置错误`);
  process.exit(2);
}
mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
const readyFile = join(settings.dir, "network.json");
rmSync(readyFile, { force: true }); // present only while the network runs

const supervisor = createSupervisor({ restartDelayMs: settings.restartDelayMs, log });
let chain: ChainProcess | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    rmSync(readyFile, { force: true });
    await supervisor.stop().catch(() => undefined);
    const anvil = chain?.process;
    if (anvil && anvil.exitCode === null && anvil.signalCode === null) {
      await new Promise<void>((ok) => {
        const timer = setTimeout(() => anvil.kill("SIGKILL"), 10_000);
        anvil.once("exit", () => {
          clearTimeout(timer);
          ok();
        });
        anvil.kill("SIGINT"); // anvil writes its state on the way out
      });
    }
  }
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopAll(0));

/** Is the recorded deployment the one this chain runs (same chain id and genesis, code at every address)? */
async function stillDeployed(provider: JsonRpcProvider, d: Deployment | null): Promise<string | null> {
  if (!d) return "no deployment yet";
  const chainId = (await provider.getNetwork()).chainId.toString();
  const genesis = (await provider.getBlock(0))!.hash;
  if (chainId !== d.chainId || genesis !== d.genesisHash) return `the chain is another one (chain ${chainId}, genesis ${genesis?.slice(0, 10)}…)`;
  const codes = await Promise.all(Object.values(d.contracts).map((c) => provider.getCode(c.address)));
  return codes.includes("0x") ? "the recorded contracts have no code on this chain" : null;
}

/** Funds the organisations' accounts and oracle keys from the chain's funding account (sent together, then awaited). */
async function fund(provider: JsonRpcProvider, orgs: Org[]): Promise<void> {
  const funder = devWallet(0).connect(provider);
  let nonce = await provider.getTransactionCount(funder.address, "pending");
  const sent = [];
  for (const address of orgs.flatMap((o) => [o.address, o.serviceAddress])) {
    if ((await provider.getBalance(address)) >= parseEther("100")) continue;
    sent.push(await funder.sendTransaction({ to: address, value: parseEther("1000"), nonce: nonce++ }));
  }
  await Promise.all(sent.map((tx) => tx.wait()));
  if (sent.length) log(`funded ${sent.length} accounts from the chain's funding account`);
}

/**
 * Whether the contracts changed since the TypeChain types were last written (sources and Hardhat's config
 * against the types' index). Hardhat rewrites every type file on each `compile`, even with nothing to do:
 * a process importing them at that moment — another organisation starting, or, in `npm test`, any test —
 * can read a half-written file.
 */
function contractsChanged(): boolean {
  const stamp = resolve("types/ethers-contracts/index.ts");
  if (!existsSync(stamp)) return true;
  const written = statSync(stamp).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(join(dir, e.name)) : e.name.endsWith(".sol") && statSync(join(dir, e.name)).mtimeMs > written);
  return newer(resolve("contracts")) || statSync(resolve("hardhat.config.ts")).mtimeMs > written;
}

async function compile(): Promise<void> {
  if (!contractsChanged()) return;
  await new Promise<void>((ok, fail) => {
    const child = spawn(resolve("node_modules/.bin/hardhat"), ["compile", "--quiet"], { stdio: "inherit" });
    child.once("exit", (code) => (code === 0 ? ok() : fail(new Error(`hardhat compile exited with ${code}`))));
  });
}

try {
  await compile();
  chain = await startAnvil(settings);
  chain.process.once("exit", (code) => {
    if (stopping) return;
    console.error(`the chain (anvil) exited (${code}); see ${chain!.log} · 区块链节点已退出`);
    void stopAll(1);
  });
  const provider = new JsonRpcProvider(chain.rpc, undefined, { cacheTimeout: -1, pollingInterval: 250 });
  const deploymentFile = join(settings.dir, "deployment.json");
  const previous = await readDeployment(deploymentFile);
  const lost = await stillDeployed(provider, previous);
  const orgs = loadOrgs(settings);
  if (lost) {
    // A new chain: the organisations' stores belong to the old one. Their keys stay (their identity).
    log(`${lost}: deploying, and starting every organisation's store afresh · 链状态已丢失或尚未部署：重新部署并清空各机构的链下存储`);
    for (const o of orgs) {
      for (const f of ["db", "deployment.json", "store.sock"]) rmSync(join(o.dir, f), { recursive: true, force: true });
    }
    if (previous?.deploymentId.startsWith("network-")) rmSync(`ignition/deployments/${previous.deploymentId}`, { recursive: true, force: true });
    rmSync(deploymentFile, { force: true });
    rmSync(join(settings.dir, "test-clock.json"), { force: true });
  }
  await fund(provider, orgs);
  const genesis = (await provider.getBlock(0))!.hash!;
  const { deployDebtrail } = await import("../src/chain/deploy.js");
  const deployment = await deployDebtrail({
    rpcUrl: chain.rpc,
    deploymentFile,
    deployerPrivateKey: devWallet(0).privateKey,
    apiKeys: [],
    // Each organisation's accounts by address; their keys stay in their own dirs.
    accounts: chainAccounts(orgs),
    // No single administrator: once the roles above are granted, ADMIN goes to the four organisations' council
    // (3 of 4, a 2-day timelock) and the funding account keeps nothing (src/chain/deploy.ts, contracts/Council.sol).
    council: { members: orgs.filter((o) => COUNCIL_ORGS.includes(o.name)).map((o) => o.address), threshold: COUNCIL_THRESHOLD, delaySeconds: COUNCIL_DELAY_SECONDS },
    oracleQuorum: QUORUM,
    deploymentId: `network-${settings.chainId}-${genesis.slice(2, 12)}`,
    confirmations: 1,
    log,
  });
  provider.destroy();
  if (settings.testClock && !existsSync(join(settings.dir, "test-clock.json"))) {
    writePrivate(join(settings.dir, "test-clock.json"), `${JSON.stringify({ offsetMs: 0 })}\n`);
  }
  await Promise.all(orgs.map(async (o) => {
    copyFileSync(deploymentFile, join(o.dir, "deployment.json"));
    await supervisor.start(o, orgEnv(o, orgs, settings, chain!.rpc));
  }));
  writePrivate(readyFile, `${JSON.stringify(networkJson(chain.rpc, deployment.chainId, deployment.contracts, orgs), null, 2)}\n`);

  const here = (p: string) => (relative(process.cwd(), p).startsWith("..") ? p : relative(process.cwd(), p) || ".");
  const roleOf = { bank: "originator · 原始债权人", amcA: "licensed AMC · 持牌资产管理公司", amcB: "licensed AMC · 持牌资产管理公司", court: "arbitrator, verifier · 仲裁/核验", investor: "qualified investor · 合格投资者" };
  console.log([
    "",
    "Debtrail network is running · Debtrail 多机构网络已启动",
    `  chain (anvil)   ${chain.rpc}   chain id ${deployment.chainId}, a block every ${settings.blockTime} s · 每 ${settings.blockTime} 秒出块   (log ${here(chain.log)})`,
    `  contracts       ${Object.entries(deployment.contracts).map(([n, c]) => `${n} ${c.address}`).join(", ")}`,
    `  oracle quorum   ${QUORUM} of ${orgs.length} operators · 预言机门限 ${QUORUM}/${orgs.length}`,
    `  administration  the council: ${COUNCIL_THRESHOLD} of ${COUNCIL_ORGS.length} organisations (${COUNCIL_ORGS.join(", ")}), after ${COUNCIL_DELAY_SECONDS / 86_400} days; no organisation alone · 链上管理：${COUNCIL_THRESHOLD}/${COUNCIL_ORGS.length} 机构共同批准，${COUNCIL_DELAY_SECONDS / 86_400} 天后生效`,
    ...orgs.map((o) => `  ${o.name.padEnd(6)} ${o.api}  (${roleOf[o.name]})  console ${o.api}/console  account ${o.address}  data ${here(o.dir)}`),
    `  API keys by organisation and role · 各机构 API 密钥: ${here(readyFile)} (owner-only · 仅属主可读)`,
    `  logs · 日志: <org>/serve.log, <org>/oracle.log; take an organisation down on purpose: touch <org>/down · 临时停用某机构：创建 <org>/down`,
    "  Ctrl-C stops everything · 按 Ctrl-C 停止",
    "",
  ].join("\n"));
} catch (e) {
  console.error(`network failed: ${(e as Error).message} · 网络启动失败`);
  await stopAll(1);
}
