import type { TypedDataDomain } from "ethers";
import type { HandoverConfig } from "../../config/handover.js";
import type { Store, SublevelOf } from "../../store/db.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { ClaimRow, OwnershipEvent } from "../../store/repos/chain-index.js";
import type { HandoverRepos } from "../../store/repos/handover.js";
import type { HandoverKeyPair, KeyStatement } from "./crypto.js";
import type { EvidenceItem } from "./files.js";
import type { ServedAccount } from "./keys.js";
import type { PeerDirectory } from "./peers.js";
import type { ReadsLog } from "./reads-log.js";

/** Everything the handover's use cases need, spelled out (no Fastify instance). */
export interface HandoverDeps {
  store: Store;
  repos: HandoverRepos;
  config: HandoverConfig;
  chain: {
    chainId: string;
    registry: string;
    /** A block's time, unix seconds. */
    blockTime(blockNumber: number): Promise<number>;
    /** A mined transaction's block, or null. */
    receiptOf(txHash: string): Promise<{ hash: string; blockNumber: number; blockHash: string } | null>;
  };
  /** EIP-712 domain of key statements and deliveries (this chain, this registry). */
  domain: TypedDataDomain;
  /** The accounts this node acts for in sales, by lower-case address. */
  accounts: Map<string, ServedAccount>;
  /** This node's claim records (the seller reads them; the buyer writes what it received). */
  claims: SublevelOf<ClaimRecord>;
  evidence: {
    /** The claim's evidence history with bodies and proof bundles, read as the selling account. */
    history(from: string, claimId: string): Promise<EvidenceItem[]>;
    /** Deletes the bodies and counterparties of the claim's evidence records (their hashes stay); how many. */
    eraseBodies(claimId: string): Promise<number>;
  };
  /** Deletes the text of a sale's assignment notice (its salted commitment stays). */
  eraseNotice(saleId: string): Promise<void>;
  peers: PeerDirectory;
  readsLog: ReadsLog;
  index: {
    claim(claimId: string): Promise<{ claim: ClaimRow | null }>;
    history(claimId: string): Promise<{ events: OwnershipEvent[] }>;
    /** Resolves once the index holds the block (that very block with a hash); UnavailableError after a bound. */
    waitFor(blockNumber: number, blockHash: string): Promise<void>;
  };
  /** Claims whose records arrived: the console's model loads them. */
  onImported(claimIds: string[]): void;
  /** Whether an account holds an on-chain role that sells claims (ORIGINATOR or HOLDER). */
  maySell(account: string): Promise<boolean>;
  keys: HandoverKeyPair;
  statements: KeyStatement[];
  clock: { now(): number };
  log: { info(m: string): void; warn(m: string): void };
}
