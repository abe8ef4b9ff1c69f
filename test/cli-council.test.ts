/**
 * `debtrail council` (issue 16, "No single administrator"), run as a child process the way an organisation's
 * operator runs it, each organisation with its own key from its own configuration (DEBTRAIL_API_KEYS), on a
 * real hardhat node with a 2-of-3 council behind a one-hour timelock. Written as the organisation that would
 * act alone, the outsider with a key, and the member asked to approve what it has not read.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Contract, Wallet, type JsonRpcProvider } from "ethers";
import { TIMELOCK_ABI } from "../src/chain/council.js";
import { councilMemberFrom } from "../src/config/council.js";
import { startChain } from "./helpers/stack.js";
import { loadConfig, deployOptionsFrom } from "../src/config/config.js";
import { devWallet } from "../src/config/dev-accounts.js";
import { deployDebtrail } from "../src/chain/deploy.js";
import { connectProvider } from "../src/chain/provider.js";
import { roleId } from "../src/chain/roles.js";
import type { Deployment } from "../src/chain/deployment.js";
import { ClaimRegistry__factory, Council__factory } from "../types/ethers-contracts/index.js";

const DELAY = 3600;
const [bank, amc, court, outsider] = [devWallet(10), devWallet(11), devWallet(12), devWallet(13)];
const newHolder = Wallet.createRandom().address;
let chain: Awaited<ReturnType<typeof startChain>>;
let provider: JsonRpcProvider;
let deployment: Deployment;
let dir: string;

/** `debtrail council …` as `org`'s operator: its own account key in its DEBTRAIL_API_KEYS; `input` on stdin. */
function council(org: { privateKey: string }, args: string[], input = ""): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ["bin/debtrail.js", "council", ...args], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, CHAIN_RPC_URL: chain.url, DEPLOYMENT_FILE: join(dir, "deployment.json"),
      DEBTRAIL_API_KEYS: JSON.stringify([{ key: `key-${randomUUID()}`, role: "amc", privateKey: org.privateKey }]),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  child.stdin.end(input);
  return new Promise((ok) => child.once("exit", (code) => ok({ code, out, err })));
}

beforeAll(async () => {
  chain = await startChain();
  dir = mkdtempSync(join(tmpdir(), "debtrail-council-cli-"));
  const config = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: chain.url, DATA_DIR: dir, LOG_LEVEL: "silent" });
  deployment = await deployDebtrail({
    ...deployOptionsFrom(config, {}), deploymentId: `test-council-cli-${randomUUID()}`, deployerPrivateKey: devWallet(0).privateKey,
    council: { members: [bank.address, amc.address, court.address], threshold: 2, delaySeconds: DELAY },
  });
  provider = await connectProvider(chain.url);
}, 180_000);

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("debtrail council: no organisation changes a rule alone", () => {
  it("one member proposes a role grant and cannot execute it; an outsider is refused; the second approves only after reading; the delay holds; then it runs", async () => {
    const registry = ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, provider);

    // The bank proposes: the call is shown in words before it is sent.
    const proposed = await council(bank, ["propose", "grant", "HOLDER", newHolder, "--yes", "--lang", "en"]);
    expect(proposed.code, proposed.err).toBe(0);
    expect(proposed.out).toContain(`grant HOLDER to ${newHolder} on ClaimRegistry`);
    const id = /Proposed (0x[0-9a-f]{64}): 1 of 2 approvals/.exec(proposed.out)?.[1];
    expect(id, proposed.out).toBeDefined();

    // Alone, it cannot run it: refused, saying who approved and who has not.
    const alone = await council(bank, ["execute", id!, "--lang", "en"]);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain(`needs 2 members' approvals, it has 1 (approved: ${bank.address} (you); not yet: ${amc.address}, ${court.address})`);
    // Proposing again is the same operation, already approved by it: nothing sent twice.
    const again = await council(bank, ["propose", "grant", "HOLDER", newHolder, "--yes", "--lang", "en"]);
    expect([again.code, again.out]).toEqual([0, expect.stringContaining(`already proposed as ${id}, approved by you (1 of 2)`)]);

    // An outsider with a key is no member: refused, named.
    const outside = await council(outsider, ["approve", id!, "--yes", "--lang", "en"]);
    expect(outside.code).toBe(1);
    expect(outside.err).toContain(`this organisation's accounts (${outsider.address}) are not members of the council`);

    // The AMC is shown the decoded calls before it approves; it declines: nothing is sent.
    const declined = await council(amc, ["approve", id!, "--lang", "en"], "n\n");
    expect(declined.code).toBe(1);
    expect(declined.out).toContain(`1. grant HOLDER to ${newHolder} on ClaimRegistry`);
    expect(declined.err).toContain("Nothing was sent");
    const onChain = Council__factory.connect(deployment.contracts.Council!.address, provider);
    expect(Number(await onChain.approvals(id!))).toBe(1);

    // It approves (zh-CN, the default language): k reached, scheduled; running it now is refused with the ready time.
    const approved = await council(amc, ["approve", id!], "y\n");
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toContain(`在 ClaimRegistry 上将 HOLDER 角色授予 ${newHolder}`);
    expect(approved.out).toContain("已批准");
    const readyAt = Number(await new Contract(deployment.contracts.Timelock!.address, TIMELOCK_ABI, provider).getTimestamp(id!));
    expect(readyAt).toBeGreaterThan(1);
    const early = await council(amc, ["execute", id!, "--lang", "en"]);
    expect(early.code).toBe(1);
    expect(early.err).toContain(`may not run before ${new Date(readyAt * 1000).toISOString()}`);
    expect(await registry.hasRole(roleId("HOLDER"), newHolder)).toBe(false);

    // After the delay (the chain's clock moved), anyone of the council runs it; the role is granted on chain.
    await provider.send("evm_increaseTime", [DELAY]);
    await provider.send("evm_mine", []);
    const ran = await council(bank, ["execute", id!, "--lang", "en"]);
    expect(ran.code, ran.err).toBe(0);
    expect(ran.out).toContain(`Executed ${id}`);
    expect(await registry.hasRole(roleId("HOLDER"), newHolder)).toBe(true);
    const twice = await council(court, ["execute", id!, "--lang", "en"]);
    expect([twice.code, twice.out]).toEqual([0, expect.stringContaining("already executed")]);
    // The change is in effect: proposing it again says so instead of asking the council.
    const noop = await council(court, ["propose", "grant", "HOLDER", newHolder, "--yes", "--lang", "en"]);
    expect([noop.code, noop.out]).toEqual([0, expect.stringContaining("Already in effect")]);
  }, 240_000);

  it("a member's proposal the CLI cannot read is flagged before anyone approves it; status lists it with its approvals", async () => {
    // The bank proposes through the contract a call this code does not know (an unknown contract's function).
    const calls = { targets: [outsider.address], values: [0n], payloads: ["0xdeadbeef"] };
    const c = Council__factory.connect(deployment.contracts.Council!.address, bank.connect(provider));
    const salt = `0x${"ab".repeat(32)}`;
    await (await c.propose(calls.targets, calls.values, calls.payloads, salt)).wait();
    const status = await council(court, ["status", "--json", "--lang", "en"]);
    expect(status.code, status.err).toBe(0);
    const view = JSON.parse(status.out);
    expect(view).toMatchObject({ threshold: 2, delaySeconds: DELAY, members: [bank.address, amc.address, court.address], you: [court.address] });
    const unknown = view.operations.find((o: { state: string; proposer: string }) => o.state === "awaiting-approvals" && o.proposer === bank.address);
    expect(unknown).toMatchObject({ approvals: 1, approvedBy: [bank.address] });
    expect(unknown.calls[0].text).toContain("UNRECOGNISED call");
    const read = await council(court, ["approve", unknown.id, "--lang", "en"], "n\n");
    expect(read.code).toBe(1);
    expect(read.out).toContain("Warning: some calls are not recognised");
    expect(read.out).toContain(`UNRECOGNISED call to ${outsider.address}, 0 wei, data 0xdeadbeef`);
  }, 120_000);

  it("k members cancel a scheduled operation: one member's cancellation alone does nothing; then it never runs", async () => {
    // A pause, proposed and approved through the contract (the CLI's own path is the first test's).
    const clauses = { targets: [deployment.contracts.ClaimRegistry.address], values: [0n], payloads: [ClaimRegistry__factory.createInterface().encodeFunctionData("pause")] };
    const salt = `0x${"0e".repeat(32)}`;
    const asBank = Council__factory.connect(deployment.contracts.Council!.address, bank.connect(provider));
    await (await asBank.propose(clauses.targets, clauses.values, clauses.payloads, salt)).wait();
    const id = (await asBank.queryFilter(asBank.filters.CallsProposed(undefined, bank.address))).at(-1)!.args[0];
    await (await Council__factory.connect(deployment.contracts.Council!.address, amc.connect(provider)).approve(id)).wait();
    await (await asBank.schedule(clauses.targets, clauses.values, clauses.payloads, salt)).wait();

    const first = await council(court, ["cancel", id, "--yes", "--lang", "en"]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain("1. pause ClaimRegistry");
    expect(first.out).toContain(`Proposed cancelling ${id}: 1 of 2 approvals`);
    const second = await council(bank, ["cancel", id, "--yes", "--lang", "en"]);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toContain(`Cancelled ${id}: it will never run`);
    await provider.send("evm_increaseTime", [DELAY]);
    await provider.send("evm_mine", []);
    const late = await council(amc, ["execute", id, "--lang", "en"]);
    expect([late.code, late.err]).toEqual([1, expect.stringContaining("was cancelled")]);
    expect(await ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, provider).paused()).toBe(false);
  }, 120_000);
});

describe("where debtrail council finds an organisation's key", () => {
  it("COUNCIL_PRIVATE_KEY first, else the configured accounts; --org reads an organisation of npm run network (its keys.json, deployment, the network's rpc and names)", () => {
    const keys = JSON.stringify([{ key: "k".repeat(32), role: "amc", privateKey: amc.privateKey }, { key: "c".repeat(32), role: "collector" }]);
    expect(councilMemberFrom({ DEBTRAIL_API_KEYS: keys, SERVICE_PRIVATE_KEY: court.privateKey, DATA_DIR: "/srv/amc" }))
      .toMatchObject({ keys: [amc.privateKey, court.privateKey], deploymentFile: "/srv/amc/deployment.json", rpcUrl: "http://127.0.0.1:8545" });
    expect(councilMemberFrom({ DEBTRAIL_API_KEYS: keys, COUNCIL_PRIVATE_KEY: bank.privateKey }).keys).toEqual([bank.privateKey]);
    expect(() => councilMemberFrom({ COUNCIL_PRIVATE_KEY: "0x12" })).toThrow(expect.objectContaining({ field: "COUNCIL_PRIVATE_KEY" }));

    const network = mkdtempSync(join(tmpdir(), "debtrail-council-org-"));
    try {
      mkdirSync(join(network, "amcA"));
      writeFileSync(join(network, "amcA", "keys.json"), JSON.stringify({ account: amc.privateKey, service: court.privateKey }));
      writeFileSync(join(network, "network.json"), JSON.stringify({ rpc: "http://127.0.0.1:9999", orgs: { amcA: { address: amc.address }, bank: { address: bank.address } } }));
      expect(councilMemberFrom({}, join(network, "amcA"))).toEqual({
        rpcUrl: "http://127.0.0.1:9999", deploymentFile: join(network, "amcA", "deployment.json"), keys: [amc.privateKey],
        names: { [amc.address.toLowerCase()]: "amcA", [bank.address.toLowerCase()]: "bank" },
      });
      expect(() => councilMemberFrom({}, join(network, "nowhere"))).toThrow(expect.objectContaining({ field: "--org" }));
    } finally {
      rmSync(network, { recursive: true, force: true });
    }
  });
});
