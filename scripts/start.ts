/**
 * `npm start`: the whole local stack in one command.
 *  1. without CHAIN_RPC_URL: starts `hardhat node` on 127.0.0.1:CHAIN_PORT (dev accounts, dev keys) —
 *     its history starting in the past when the demo seed will run, which walks it forward to now;
 *     with it: uses that chain and keys from configuration;
 *  2. compiles and deploys the contracts (Hardhat Ignition; idempotent), grants configured roles;
 *  3. starts the API on PORT with LevelDB in DATA_DIR; prints where everything is.
 * Ctrl-C stops every child.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`Debtrail needs Node >= 22 (this is ${process.version}). See README: "Node older than 22".`);
  process.exit(1);
}

const children: ChildProcess[] = [];
let shuttingDown = false;
function stopAll(code: number): never {
  shuttingDown = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  process.exit(code);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

const env = process.env;
const dataDir = resolve(env.DATA_DIR ?? "./data");
mkdirSync(dataDir, { recursive: true });
const chainPort = env.CHAIN_PORT ?? "8545";
const hardhatBin = resolve("node_modules/.bin/hardhat");

// A newcomer sees what is happening: each step says so (the first compile takes a minute or two).
const step = (en: string, zh: string) => console.log(`start: ${en} · ${zh}`);
step("compiling the contracts (the first time takes a minute or two)", "正在编译合约");
await run(hardhatBin, ["compile", "--quiet"]);

if (!env.CHAIN_RPC_URL) {
  const logFile = `${dataDir}/chain.log`;
  const out = openSync(logFile, "a");
  // The demo seed walks warnings, demands and arbitrations through their notice periods in block time:
  // the chain starts that far in the past (hardhat.config.ts reads DEBTRAIL_CHAIN_START) and the seed
  // brings it to the wall clock, never past it. Without the seed the chain starts now.
  const nodeEnv = { ...env };
  if (env.DEMO_SEED !== "0") {
    const { demoHistoryDays } = await import("../src/demo/seed.js");
    const days = demoHistoryDays(Number(env.MIN_NOTICE_DAYS ?? 7) || 7);
    nodeEnv.DEBTRAIL_CHAIN_START = new Date(Date.now() - days * 86_400_000).toISOString();
  }
  // The local node keeps no state across restarts; the store is keyed by genesis hash, so that is safe.
  step(`starting the local chain on 127.0.0.1:${chainPort} (log in ${logFile})`, "正在启动本地区块链");
  const node = spawn(hardhatBin, ["node", "--hostname", "127.0.0.1", "--port", chainPort], { stdio: ["ignore", out, out], env: nodeEnv });
  children.push(node);
  node.on("exit", (code) => {
    if (!shuttingDown) {
      console.error(`hardhat node exited (${code}); see ${logFile}`);
      stopAll(1);
    }
  });
  env.DEBTRAIL_DEV_CHAIN = "1";
  // Ignition journals of earlier local chains describe contracts that no longer exist.
  for (const dir of existsSync("ignition/deployments") ? readdirSync("ignition/deployments") : []) {
    if (dir.startsWith("debtrail-")) rmSync(`ignition/deployments/${dir}`, { recursive: true, force: true });
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stopAll(0));

try {
  const { loadConfig } = await import("../src/config/config.js");
  const { waitForRpc } = await import("../src/chain/provider.js");
  const config = loadConfig(env);
  await waitForRpc(config.chainRpcUrl);
  step("deploying the contracts and granting roles", "正在部署合约");
  const { deployDebtrail } = await import("../src/chain/deploy.js");
  const { deployOptionsFrom } = await import("../src/config/config.js");
  await deployDebtrail({
    ...deployOptionsFrom(config, env),
    log: (line) => console.log(`deploy: ${line}`),
  });
  step(`starting the API on http://${config.host}:${config.port}`, "正在启动 API");
  const { startServer } = await import("../src/api/server.js");
  const server = await startServer(config);
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void server.close().finally(() => stopAll(0)));
  }
  const api = `http://${config.host}:${(server.server.address() as { port: number }).port}`;
  // A newcomer sees a living system: the demo portfolio on the local dev chain (DEMO_SEED=0 skips it).
  if (config.devMode && env.DEMO_SEED !== "0") {
    const { seedDemo } = await import("../src/demo/seed.js");
    console.log("seeding the demo portfolio (DEMO_SEED=0 skips this) · 正在生成演示资产包…");
    await seedDemo({ api, rpcUrl: config.chainRpcUrl, loanSecret: config.loanRefSecret, claims: Number(env.DEMO_CLAIMS ?? 300), log: (line) => console.log(line) })
      .then((r) => !r.seeded && console.log("demo: already seeded"))
      .catch((e) => console.error(`demo seed failed (the stack runs anyway): ${(e as Error).message}`));
  }
  console.log(
    [
      "",
      "Debtrail is running · Debtrail 已启动",
      `  API            ${api}   (OpenAPI: ${api}/docs)`,
      `  console        ${api}/   (sign in with a dev key below; court page: ${api}/verify)`,
      `  chain (RPC)    ${config.chainRpcUrl}${config.devMode ? "   (local hardhat node, log in " + dataDir + "/chain.log)" : ""}`,
      `  data (LevelDB) ${dataDir}/db`,
      config.devMode ? "  dev API keys   dev-admin dev-bank dev-amc dev-amc2 dev-collector dev-court (local chain only)" : "",
      "  Ctrl-C stops everything · 按 Ctrl-C 停止",
      "",
    ].join("\n"),
  );
} catch (e) {
  console.error(`start failed: ${(e as Error).message}`);
  stopAll(1);
}
