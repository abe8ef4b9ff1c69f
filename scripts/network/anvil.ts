/**
 * The network's chain: anvil (npm `@foundry-rs/anvil`), a second EVM implementation beside Hardhat's EDR,
 * mining a block every NETWORK_BLOCK_TIME seconds (interval mining; never automine) on 127.0.0.1, its state
 * kept in NETWORK_DIR/chain/state.json (written every few seconds and on exit) so a restart finds its chain.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import { waitForRpc } from "../../src/chain/provider.js";
import type { NetworkSettings } from "./settings.js";

/** The platform binary itself (the package's `anvil` bin is a node wrapper: a signal to it would not stop the chain in time). */
export function anvilBinary(): string {
  const platform = { linux: "linux", darwin: "darwin", win32: "win32" }[process.platform as string];
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const direct = resolve(`node_modules/@foundry-rs/anvil-${platform}-${arch}/bin/anvil${process.platform === "win32" ? ".exe" : ""}`);
  if (platform && arch && existsSync(direct)) return direct;
  const wrapper = resolve("node_modules/.bin/anvil");
  if (existsSync(wrapper)) return wrapper;
  throw new Error("anvil is not installed: run `npm ci` (it is the dev dependency @foundry-rs/anvil) · 未安装 anvil：请先运行 npm ci");
}

export interface ChainProcess {
  rpc: string;
  process: ChildProcess;
  log: string;
}

/** Starts anvil and waits until it answers. The funding account is anvil's first dev account (the only dev key of the network). */
export async function startAnvil(settings: NetworkSettings): Promise<ChainProcess> {
  const dir = join(settings.dir, "chain");
  mkdirSync(dir, { recursive: true });
  const log = join(dir, "anvil.log");
  const out = openSync(log, "a");
  const child = spawn(anvilBinary(), [
    "--host", "127.0.0.1",
    "--port", String(settings.chainPort),
    "--chain-id", String(settings.chainId),
    "--block-time", String(settings.blockTime),
    "--state", join(dir, "state.json"),
    "--state-interval", "5",
    "--accounts", "1",
    "--balance", "1000000",
  ], { stdio: ["ignore", out, out] });
  const rpc = `http://127.0.0.1:${settings.chainPort}`;
  const exited = new Promise<never>((_, fail) => child.once("exit", (code) => fail(new Error(`anvil exited (${code}); see ${log}`))));
  exited.catch(() => undefined); // after start, the supervisor watches the exit itself
  await Promise.race([waitForRpc(rpc, 30_000), exited]);
  return { rpc, process: child, log };
}
