import { describe, it, expect } from "vitest";
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { loadConfig, deployOptionsFrom, keyEntropyBits, isLoopbackHost } from "../../src/config/config.js";
import { assertDevChain, assertTestClockAllowed } from "../../src/config/dev-chain.js";
import { ValidationError } from "../../src/core/errors.js";

/** Configuration checks of issue 14: key strength, dev mode only on loopback and the dev chain, the deployer key. */

const pk = () => Wallet.createRandom().privateKey;
const strong = () => randomBytes(16).toString("hex"); // 128 bits
const production = (keys: unknown[], env: Record<string, string> = {}) => ({
  CHAIN_RPC_URL: "https://rpc.example.org/v3/abc",
  SERVICE_PRIVATE_KEY: pk(),
  PII_SECRET: "a-long-enough-pii-secret-0123",
  DEBTRAIL_API_KEYS: JSON.stringify(keys),
  ...env,
});

function refusal(fn: () => unknown): { field: string; rule: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return { field: (e as ValidationError).field, rule: (e as ValidationError).rule };
  }
  throw new Error("expected a ValidationError");
}

describe("API keys outside dev mode carry at least 128 bits", () => {
  it("a short key is refused at start, naming its index and name; a random 128-bit key is accepted", () => {
    const keys = [
      { key: strong(), role: "admin", privateKey: pk() },
      { key: "bank-key-2024!", role: "bank", name: "Bank of Example", privateKey: pk(), originatorCode: "BOE" },
    ];
    const r = refusal(() => loadConfig(production(keys)));
    expect(r.field).toBe("DEBTRAIL_API_KEYS[1].key");
    expect(r.rule).toContain("128 bits");
    expect(r.rule).toContain("Bank of Example");
    expect(r.rule).not.toContain("bank-key-2024!");
    keys[1].key = randomBytes(16).toString("base64url"); // 22 characters
    expect(loadConfig(production(keys)).apiKeys).toHaveLength(2);
  });

  it("estimates entropy conservatively from length and alphabet", () => {
    expect(keyEntropyBits("0123456789abcdef".repeat(2))).toBe(128); // 32 hex
    expect(keyEntropyBits("0123456789abcdef0123456789abcde")).toBe(124); // 31 hex
    expect(keyEntropyBits(randomBytes(16).toString("base64url"))).toBeGreaterThanOrEqual(128);
    expect(keyEntropyBits(randomBytes(15).toString("base64url"))).toBeLessThan(128); // 20 characters
    expect(keyEntropyBits("1234567890".repeat(3))).toBeLessThan(128); // 30 digits ≈ 99 bits
    expect(keyEntropyBits("a".repeat(100))).toBe(0); // long but not random
    expect(keyEntropyBits("abababababababababababababababababab")).toBe(0);
  });

  it("peer keys (ORACLE_PEERS) too; dev mode keeps its short dev keys", () => {
    const keys = [{ key: strong(), role: "admin", privateKey: pk() }];
    const r = refusal(() => loadConfig(production(keys, { ORACLE_PEERS: JSON.stringify([{ url: "https://peer.example.org", key: "peer-key-1" }]) })));
    expect(r.field).toBe("ORACLE_PEERS[0].key");
    const dev = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", DATA_DIR: "/tmp/debtrail-config-test" });
    expect(dev.apiKeys.map((k) => k.key)).toContain("dev-bank");
  });
});

describe("dev mode only on loopback and the dev chain", () => {
  it("refuses a remote CHAIN_RPC_URL or a non-loopback HOST with the dev keys, naming the variable", () => {
    expect(refusal(() => loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: "https://rpc.example.org/v3/abc" })).field).toBe("CHAIN_RPC_URL");
    expect(refusal(() => loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: "http://10.1.2.3:8545" })).field).toBe("CHAIN_RPC_URL");
    expect(refusal(() => loadConfig({ DEBTRAIL_DEV_CHAIN: "1", HOST: "0.0.0.0" })).field).toBe("HOST");
    // Explicit keys and secrets in dev mode: still loopback only (dev mode is what allows short keys).
    expect(refusal(() => loadConfig({ DEBTRAIL_DEV_CHAIN: "1", HOST: "192.0.2.7", DEBTRAIL_API_KEYS: JSON.stringify([{ key: "dev-key-1", role: "collector" }]), PII_SECRET: "x".repeat(20) })).field).toBe("HOST");
    for (const ok of ["http://127.0.0.1:8545", "http://localhost:8545", "http://[::1]:8545", "http://127.0.0.2:9000"]) {
      expect(loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: ok, HOST: "::1" }).devMode).toBe(true);
    }
    expect(isLoopbackHost("127.0.0.1.example.org")).toBe(false);
    expect(isLoopbackHost("localhost.example.org")).toBe(false);
  });

  it("dev mode runs on a local dev node (Hardhat or anvil) whatever its chain id, and never on another client, naming DEBTRAIL_DEV_CHAIN", () => {
    expect(() => assertDevChain({ devMode: true }, { chainId: "31337", clientVersion: "HardhatNetwork/3.0.0/@nomicfoundation/edr/0.12.0" })).not.toThrow();
    expect(() => assertDevChain({ devMode: true }, { chainId: "7771", clientVersion: "anvil/v1.7.1" })).not.toThrow();
    // A production client on the dev chain's id is still not a dev node (the id is no proof of anything).
    const r = refusal(() => assertDevChain({ devMode: true }, { chainId: "31337", clientVersion: "besu/v24.12.0/linux-x86_64/openjdk-java-21" }));
    expect(r.field).toBe("DEBTRAIL_DEV_CHAIN");
    expect(r.rule).toContain("besu");
    expect(() => assertDevChain({ devMode: false }, { chainId: "1", clientVersion: "Geth/v1.14.0" })).not.toThrow();
  });

  it("the test-only clock offset: refused without DEBTRAIL_TEST_MODE=1, with a remote chain, or on a node that is not a dev node", () => {
    const env = { DEBTRAIL_DEV_CHAIN: "1", DEBTRAIL_TEST_CLOCK_FILE: "/tmp/clock.json" };
    expect(refusal(() => loadConfig(env)).field).toBe("DEBTRAIL_TEST_CLOCK_FILE");
    expect(loadConfig({ ...env, DEBTRAIL_TEST_MODE: "1" }).testClockFile).toBe("/tmp/clock.json");
    expect(loadConfig({ DEBTRAIL_DEV_CHAIN: "1" }).testClockFile).toBeNull();
    const remote = production([{ key: strong(), role: "admin", privateKey: pk() }]);
    expect(refusal(() => loadConfig({ ...remote, DEBTRAIL_TEST_CLOCK_FILE: "/tmp/clock.json", DEBTRAIL_TEST_MODE: "1" })).field).toBe("DEBTRAIL_TEST_CLOCK_FILE");
    const config = { testClockFile: "/tmp/clock.json" };
    expect(() => assertTestClockAllowed(config, { chainId: "7771", clientVersion: "anvil/v1.7.1" })).not.toThrow();
    expect(refusal(() => assertTestClockAllowed(config, { chainId: "1337", clientVersion: "besu/v24.12.0" })).field).toBe("DEBTRAIL_TEST_CLOCK_FILE");
    expect(() => assertTestClockAllowed({ testClockFile: null }, { chainId: "1337", clientVersion: "besu/v24.12.0" })).not.toThrow();
  });

  it("a remote chain needs DEPLOYER_PRIVATE_KEY to deploy; a loopback node may deploy from its own accounts", () => {
    const config = loadConfig(production([{ key: strong(), role: "admin", privateKey: pk() }]));
    expect(refusal(() => deployOptionsFrom(config, {})).field).toBe("DEPLOYER_PRIVATE_KEY");
    expect(refusal(() => deployOptionsFrom(config, { DEPLOYER_PRIVATE_KEY: "0x1234" })).field).toBe("DEPLOYER_PRIVATE_KEY");
    const key = pk();
    expect(deployOptionsFrom(config, { DEPLOYER_PRIVATE_KEY: key }).deployerPrivateKey).toBe(key);
    const local = loadConfig({ DEBTRAIL_DEV_CHAIN: "1" });
    expect(deployOptionsFrom(local, {}).deployerPrivateKey).toBeUndefined();
  });
});

describe("new limits", () => {
  it("AUTH_FAILURES_PER_MINUTE, DEFAULT_BODY_LIMIT_BYTES, EVIDENCE_MAX_BACKDATE_DAYS: defaults and bounds", () => {
    const c = loadConfig({ DEBTRAIL_DEV_CHAIN: "1" });
    expect(c.authFailuresPerMinute).toBe(30);
    expect(c.defaultBodyLimitBytes).toBe(1024 * 1024);
    expect(c.bodyLimitBytes).toBe(64 * 1024 * 1024);
    expect(c.evidence.maxBackdateDays).toBe(30);
    expect(refusal(() => loadConfig({ DEBTRAIL_DEV_CHAIN: "1", AUTH_FAILURES_PER_MINUTE: "0" })).field).toBe("AUTH_FAILURES_PER_MINUTE");
    expect(refusal(() => loadConfig({ DEBTRAIL_DEV_CHAIN: "1", EVIDENCE_MAX_BACKDATE_DAYS: "x" })).field).toBe("EVIDENCE_MAX_BACKDATE_DAYS");
    expect(refusal(() => loadConfig({ DEBTRAIL_DEV_CHAIN: "1", BODY_LIMIT_BYTES: "2048", DEFAULT_BODY_LIMIT_BYTES: "4096" })).field).toBe("DEFAULT_BODY_LIMIT_BYTES");
  });
});
