import { HDNodeWallet, Mnemonic } from "ethers";
import type { ApiKeyConfig } from "./config.js";

/**
 * Hardhat's well-known development mnemonic. Its keys are public knowledge: they are used ONLY for
 * the local dev chain that `npm start` launches itself (never when CHAIN_RPC_URL is set).
 */
const HARDHAT_DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The i-th account of the local Hardhat node. */
export function devWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(HARDHAT_DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

/** Account indexes on the dev chain: 0 deploys and administers; 6 is the service (recorder + oracle). */
export const DEV_SERVICE_ACCOUNT = 6;
export const DEV_EXTRA_ORACLE_ACCOUNTS = [7, 8];

/** Documented dev API keys, each with its own dev account. dev-amc and dev-amc2 are licensed AMCs, dev-investor a qualified investor. */
export function devApiKeys(): ApiKeyConfig[] {
  return [
    { key: "dev-admin", role: "admin", name: "Debtrail admin (dev)", privateKey: devWallet(0).privateKey },
    { key: "dev-bank", role: "bank", name: "Demo Bank (dev)", privateKey: devWallet(1).privateKey, originatorCode: "DEVBANK" },
    { key: "dev-amc", role: "amc", name: "Demo AMC (dev)", privateKey: devWallet(2).privateKey },
    { key: "dev-amc2", role: "amc", name: "Second AMC (dev)", privateKey: devWallet(3).privateKey },
    { key: "dev-collector", role: "collector", name: "Collector of Demo AMC (dev)", privateKey: devWallet(4).privateKey, worksFor: devWallet(2).address },
    { key: "dev-court", role: "court", name: "Demo Court (dev)", privateKey: devWallet(5).privateKey },
    // A qualified investor (合格投资者), not a licensed AMC: bids on AMCs' corporate packages only (issue 19).
    { key: "dev-investor", role: "amc", name: "Demo Investor (dev)", privateKey: devWallet(15).privateKey, buyerKind: "qualified-investor" },
  ];
}
