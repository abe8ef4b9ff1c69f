import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Wallet, type TypedDataDomain } from "ethers";
import type { ApiKeyConfig } from "../../config/config.js";
import type { HandoverConfig } from "../../config/handover.js";
import { ValidationError } from "../../core/errors.js";
import { handoverKeyPair, newHandoverPrivateKey, signKeyStatement, type HandoverKeyPair, type KeyStatement } from "./crypto.js";

/**
 * This node's handover key: HANDOVER_PRIVATE_KEY, else the key file (generated there, owner-only, on first
 * start: it is this organisation's own, never in code or in the store).
 */
export async function loadHandoverKey(cfg: Pick<HandoverConfig, "privateKeyHex" | "keyFile">): Promise<{ keys: HandoverKeyPair; issuedAt: number }> {
  if (cfg.privateKeyHex) return { keys: handoverKeyPair(Buffer.from(cfg.privateKeyHex, "hex")), issuedAt: 0 };
  let text: string | undefined;
  try {
    text = await readFile(cfg.keyFile, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (text === undefined) {
    await mkdir(dirname(cfg.keyFile), { recursive: true });
    const tmp = `${cfg.keyFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${newHandoverPrivateKey().toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    await rename(tmp, cfg.keyFile);
    text = await readFile(cfg.keyFile, "utf8");
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ValidationError("HANDOVER_KEY_FILE", `${cfg.keyFile} must hold a 32-byte X25519 private key in hex`);
  await chmod(cfg.keyFile, 0o600);
  const issuedAt = Math.floor((await stat(cfg.keyFile)).mtimeMs / 1000);
  return { keys: handoverKeyPair(Buffer.from(hex, "hex")), issuedAt };
}

/** The accounts this node acts for in sales (its bank and AMC keys), by lower-case address. */
export interface ServedAccount {
  address: string;
  privateKey: string;
  name: string;
  role: "bank" | "amc";
}

export function servedAccounts(apiKeys: ApiKeyConfig[]): Map<string, ServedAccount> {
  const out = new Map<string, ServedAccount>();
  for (const k of apiKeys) {
    if (!k.privateKey || (k.role !== "bank" && k.role !== "amc")) continue;
    const address = new Wallet(k.privateKey).address;
    out.set(address.toLowerCase(), { address, privateKey: k.privateKey, name: k.name ?? k.role, role: k.role });
  }
  return out;
}

/** The key statements this node publishes: its handover key, signed by each account it serves. */
export async function keyStatements(accounts: ReturnType<typeof servedAccounts>, domain: TypedDataDomain, publicKey: string, issuedAt: number): Promise<KeyStatement[]> {
  return Promise.all([...accounts.values()].map((a) => signKeyStatement(new Wallet(a.privateKey), domain, publicKey, issuedAt)));
}
