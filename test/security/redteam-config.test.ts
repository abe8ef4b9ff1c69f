import { describe, it, expect } from "vitest";
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { loadConfig, deployOptionsFrom, DEV_PII_SECRET } from "../../src/config/config.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { ValidationError } from "../../src/core/errors.js";

/**
 * Red team of the dev-mode guard (issue 14): dev mode refuses a remote chain, but nothing stopped an operator
 * from copying the dev secrets into a production configuration without DEBTRAIL_DEV_CHAIN — the public dev
 * PII secret (anyone re-derives every salted hash: debtor keys, collateral hashes, loan salts) or a key of
 * Hardhat's public mnemonic (anyone signs as the organisation).
 */

const strong = () => randomBytes(16).toString("hex");
const production = (env: Record<string, string> = {}) => ({
  CHAIN_RPC_URL: "https://rpc.example.org/v3/abc",
  SERVICE_PRIVATE_KEY: Wallet.createRandom().privateKey,
  PII_SECRET: "a-long-enough-pii-secret-0123",
  DEBTRAIL_API_KEYS: JSON.stringify([{ key: strong(), role: "bank", privateKey: Wallet.createRandom().privateKey, originatorCode: "BANK1" }]),
  ...env,
});

function refusedField(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).field;
  }
  throw new Error("expected a ValidationError");
}

describe("the public dev secrets are refused on a remote chain, dev mode or not", () => {
  it("PII_SECRET or ORIGINATOR_SECRET set to the dev secret", () => {
    expect(() => loadConfig(production())).not.toThrow();
    expect(refusedField(() => loadConfig(production({ PII_SECRET: DEV_PII_SECRET })))).toBe("PII_SECRET");
    expect(refusedField(() => loadConfig(production({ ORIGINATOR_SECRET: DEV_PII_SECRET })))).toBe("ORIGINATOR_SECRET");
  });

  it("SERVICE_PRIVATE_KEY, an API key's privateKey or DEPLOYER_PRIVATE_KEY from Hardhat's public mnemonic (any case)", () => {
    expect(refusedField(() => loadConfig(production({ SERVICE_PRIVATE_KEY: devWallet(6).privateKey })))).toBe("SERVICE_PRIVATE_KEY");
    const keys = JSON.stringify([
      { key: strong(), role: "court", privateKey: Wallet.createRandom().privateKey },
      { key: strong(), role: "bank", privateKey: devWallet(19).privateKey.toUpperCase().replace("0X", "0x"), originatorCode: "BANK1" },
    ]);
    expect(refusedField(() => loadConfig(production({ DEBTRAIL_API_KEYS: keys })))).toBe("DEBTRAIL_API_KEYS[1].privateKey");
    const config = loadConfig(production());
    expect(refusedField(() => deployOptionsFrom(config, { DEPLOYER_PRIVATE_KEY: devWallet(0).privateKey }))).toBe("DEPLOYER_PRIVATE_KEY");
    // (A remote chain also needs the council that administers it: issue 16.)
    const council = { COUNCIL_MEMBERS: [Wallet.createRandom().address, Wallet.createRandom().address].join(",") };
    expect(deployOptionsFrom(config, { DEPLOYER_PRIVATE_KEY: Wallet.createRandom().privateKey, ...council }).deployerPrivateKey).toMatch(/^0x/);
  });

  it("a loopback node (tests, a local network of dev organisations) may still use them", () => {
    const local = production({ CHAIN_RPC_URL: "http://127.0.0.1:8545", PII_SECRET: DEV_PII_SECRET, SERVICE_PRIVATE_KEY: devWallet(6).privateKey });
    expect(loadConfig(local).piiSecret).toBe(DEV_PII_SECRET);
  });
});
