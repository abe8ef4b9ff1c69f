/**
 * No single administrator (issue 16): the deployment hands ADMIN to the council's timelock and keeps nothing;
 * afterwards a role the configuration asks for is granted only once k members approved and the delay passed.
 * Written as the dishonest deployer: it tries to grant alone, directly and through its own deploy re-run.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Wallet, type JsonRpcProvider } from "ethers";
import { startChain } from "../helpers/stack.js";
import { loadConfig, deployOptionsFrom } from "../../src/config/config.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { deployDebtrail } from "../../src/chain/deploy.js";
import { advanceCouncil } from "../../src/chain/council.js";
import { connectProvider } from "../../src/chain/provider.js";
import { roleId } from "../../src/chain/roles.js";
import type { Deployment } from "../../src/chain/deployment.js";
import { ClaimRegistry__factory, CollectionClauses__factory, Council__factory, EvidenceLog__factory } from "../../types/ethers-contracts/index.js";

const DELAY = 3600;
let chain: Awaited<ReturnType<typeof startChain>>;
let provider: JsonRpcProvider;
let deployment: Deployment;
const dirs: string[] = [];
const deploymentId = `test-council-${randomUUID()}`;
const deployer = devWallet(0);
const other = devWallet(9); // the second member organisation
const newOracle = Wallet.createRandom().address;
let options: Parameters<typeof deployDebtrail>[0];

beforeAll(async () => {
  chain = await startChain();
  const dataDir = mkdtempSync(join(tmpdir(), "debtrail-council-"));
  dirs.push(dataDir);
  const config = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: chain.url, DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  options = {
    ...deployOptionsFrom(config, {}), deploymentId, deployerPrivateKey: deployer.privateKey,
    council: { members: [deployer.address, other.address], threshold: 2, delaySeconds: DELAY },
  };
  deployment = await deployDebtrail(options);
  provider = await connectProvider(chain.url);
}, 180_000);

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the council administers; the deployer keeps nothing", () => {
  it("after the deployment only the timelock holds ADMIN: the deployer cannot grant a role or change the quorum alone", async () => {
    const registry = ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, deployer.connect(provider));
    const evidenceLog = EvidenceLog__factory.connect(deployment.contracts.EvidenceLog!.address, deployer.connect(provider));
    const clauses = CollectionClauses__factory.connect(deployment.contracts.CollectionClauses!.address, deployer.connect(provider));
    const timelock = deployment.contracts.Timelock!.address;
    for (const target of [registry, evidenceLog]) {
      const roles = [await target.DEFAULT_ADMIN_ROLE(), roleId("ADMIN")];
      expect(await Promise.all(roles.map((r) => target.hasRole(r, deployer.address)))).toEqual([false, false]);
      expect(await Promise.all(roles.map((r) => target.hasRole(r, timelock)))).toEqual([true, true]);
    }
    // The configured roles were granted while it bootstrapped (the service's oracle key, say).
    expect(await registry.hasRole(roleId("ORACLE"), devWallet(6).address)).toBe(true);
    const council = Council__factory.connect(deployment.contracts.Council!.address, provider);
    expect([await council.members(), Number(await council.threshold())]).toEqual([[deployer.address, other.address], 2]);
    const revertOf = (p: Promise<unknown>) => p.then(() => "success", (e: { revert?: { name: string; args: unknown[] } }) => `${e.revert?.name}(${e.revert?.args.join(",")})`);
    expect(await revertOf(registry.grantRole.staticCall(roleId("ORACLE"), newOracle))).toBe(`AccessControlUnauthorizedAccount(${deployer.address},${roleId("ADMIN")})`);
    expect(await revertOf(clauses.setQuorum.staticCall(1))).toBe(`AccessControlUnauthorizedAccount(${deployer.address},${roleId("ADMIN")})`);
  });

  it("a role the configuration adds is asked of the council on the next deploy run, and granted only after k approvals and the delay", async () => {
    const registry = ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, provider);
    const lines: string[] = [];
    // The deployer's own re-run: its proposal is one approval of two.
    await deployDebtrail({ ...options, oracleAddresses: [newOracle], log: (l) => lines.push(l) });
    expect(lines.join("\n")).toMatch(/asked the council for: ORACLE to 0x[0-9a-fA-F]{40} — operation 0x[0-9a-f]{64} awaiting-approvals \(1 of 2 approvals\)/);
    expect(await registry.hasRole(roleId("ORACLE"), newOracle)).toBe(false);
    // Re-running changes nothing: the same operation, still one approval.
    await deployDebtrail({ ...options, oracleAddresses: [newOracle], log: () => undefined });
    const calls = [{ to: deployment.contracts.ClaimRegistry.address, data: registry.interface.encodeFunctionData("grantRole", [roleId("ORACLE"), newOracle]) }];
    // The other organisation approves: k reached, scheduled; not before the delay.
    const scheduled = await advanceCouncil(other.connect(provider), deployment.contracts.Council!.address, calls);
    expect(scheduled).toMatchObject({ approvals: 2, threshold: 2, state: "scheduled" });
    expect(await registry.hasRole(roleId("ORACLE"), newOracle)).toBe(false);
    expect((await advanceCouncil(deployer.connect(provider), deployment.contracts.Council!.address, calls)).state).toBe("scheduled");
    await provider.send("evm_increaseTime", [DELAY]);
    await provider.send("evm_mine", []);
    expect((await advanceCouncil(deployer.connect(provider), deployment.contracts.Council!.address, calls)).state).toBe("executed");
    expect(await registry.hasRole(roleId("ORACLE"), newOracle)).toBe(true);
  });
});

describe("configuration: COUNCIL_*", () => {
  const config = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: "http://127.0.0.1:8545", LOG_LEVEL: "silent" });
  const remote = { ...config, chainRpcUrl: "https://chain.example.org" };
  const key = `0x${"11".repeat(32)}`;
  const [a, b, c] = [Wallet.createRandom().address, Wallet.createRandom().address, Wallet.createRandom().address];

  it("the local dev chain may do without (a council of the deployer alone); any other chain needs its members", () => {
    expect(deployOptionsFrom(config, {}).council).toBeUndefined();
    expect(() => deployOptionsFrom(remote, { DEPLOYER_PRIVATE_KEY: key })).toThrow(/COUNCIL_MEMBERS/);
  });

  it("k defaults to a majority and is refused below 2 with several members; the delay defaults to 2 days", () => {
    expect(deployOptionsFrom(remote, { DEPLOYER_PRIVATE_KEY: key, COUNCIL_MEMBERS: [a, b, c].join(",") }).council)
      .toEqual({ members: [a, b, c], threshold: 2, delaySeconds: 172_800 });
    for (const [env, field] of [
      [{ COUNCIL_MEMBERS: `${a},${b}`, COUNCIL_THRESHOLD: "1" }, "COUNCIL_THRESHOLD"],
      [{ COUNCIL_MEMBERS: `${a},${b}`, COUNCIL_THRESHOLD: "3" }, "COUNCIL_THRESHOLD"],
      [{ COUNCIL_MEMBERS: `${a},${a}` }, "COUNCIL_MEMBERS"],
      [{ COUNCIL_MEMBERS: "0x1234" }, "COUNCIL_MEMBERS"],
      [{ COUNCIL_MEMBERS: a, COUNCIL_DELAY_SECONDS: "-1" }, "COUNCIL_DELAY_SECONDS"],
    ] as const) {
      expect(() => deployOptionsFrom(remote, { DEPLOYER_PRIVATE_KEY: key, ...env }), JSON.stringify(env)).toThrow(expect.objectContaining({ field }));
    }
  });
});
