import type { Chain } from "../../chain/client.js";
import type { ClaimRules } from "../../core/claim-input.js";
import type { ImportsConfig } from "../../config/config.js";
import type { SublevelOf } from "../../store/db.js";
import type { JobRepos } from "../../store/repos/jobs.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { ClaimRow } from "../../store/repos/chain-index.js";
import type { StoredRegistration } from "../claims/registration.js";
import type { WorkerPool } from "../workers/pool.js";
import type { AppDeps } from "../deps.js";

/** Most claims one import may carry (POST /v1/claims/batch; the README's documented maximum). */
export const MAX_IMPORT = 100_000;

/**
 * A batch import. `accepting` while its rows are written (never seen by a client: the 202 comes after
 * `queued`; a process that died there leaves it to be rolled back at the next start).
 */
export interface JobHeader {
  id: string;
  kind: "register-claims";
  status: "accepting" | "queued" | "running" | "done";
  total: number;
  registered: number;
  failed: number;
  createdAt: string;
  updatedAt: string;
  owner: { keyId: string; address?: string; name: string };
}

export interface ItemError {
  code: string;
  message: string;
  field?: string;
  rule?: string;
}

/** One row of an import. A queued row keeps its registration, ready to encode; a finished one drops it. */
export interface JobItem {
  index: number;
  claimId?: string;
  status: "queued" | "registered" | "failed";
  error?: ItemError;
  txHash?: string;
  blockNumber?: number;
  registration?: StoredRegistration;
}

/** Who creates and signs an import: an API key with its account (src/api/plugins/auth.ts Caller). */
export interface JobOwner {
  keyId: string;
  name: string;
  role: string;
  address?: string;
  privateKey?: string;
  originatorCode?: string;
}

/** Everything the jobs feature needs, passed in (no Fastify): src/app/deps.ts's, with its own tables and settings. */
export interface JobsDeps extends Pick<AppDeps, "clock" | "log" | "metrics"> {
  repos: JobRepos & {
    /** The claims' off-chain records. */
    claims: SublevelOf<ClaimRecord>;
    /** The chain index's claims (a claim there is registered, whoever registered it). */
    chainClaims: SublevelOf<ClaimRow>;
  };
  chain: Pick<Chain, "registry" | "outbox" | "wallet" | "deployment">;
  settings: {
    loanRefSecret: string;
    piiSecret: string;
    imports: ImportsConfig;
    /** The configured keys by key id: the runner signs with the key that created the job. */
    owners: ReadonlyMap<string, JobOwner>;
    /** The deployment's rules (ClaimRegistry.minNoticeDays), read once. */
    rules(): Promise<ClaimRules>;
  };
  /** Where rows are parsed, validated and serialised (src/app/jobs/intake.ts). */
  workers: WorkerPool;
}
