import type { FastifyBaseLogger } from "fastify";
import { roleId } from "../../chain/roles.js";
import type { Chain } from "../../chain/client.js";
import type { Config } from "../../config/config.js";
import { join } from "node:path";
import { DURABLE, openStore } from "../../store/db.js";
import { deploymentKey } from "../../chain/deployment.js";
import { moveLegacyPersonalDataReads, PERSONAL_DATA_LOG_DIR } from "../../store/repos/handover-reads.js";
import type { Repos } from "../../store/repos/index.js";
import type { Caller } from "../../app/access.js";
import type { Clock } from "../../app/deps.js";
import type { Evidence } from "../../app/evidence/index.js";
import { createHandover, type Handover } from "../../app/handover/index.js";
import { handoverDomain } from "../../app/handover/crypto.js";
import { keyStatements, loadHandoverKey, servedAccounts } from "../../app/handover/keys.js";
import { createPeerDirectory } from "../../app/handover/peers.js";
import { createReadsLog } from "../../app/handover/reads-log.js";
import type { EvidenceItem } from "../../app/handover/files.js";
import type { ReadModel } from "./read-model.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Loan-file handover and the personal-data read log (src/app/handover). */
    handover: ApiHandover;
  }
}

export type ApiHandover = Handover & { maySell(account: string): Promise<boolean> };

/** Plain JSON (no undefined, no bigint): what a file may hold. */
function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as T;
}

/**
 * The handover's dependencies from this API's parts — the store's tables, the chain, the evidence feature,
 * the read model's chain index — built once by the services plugin (which starts and stops it with the
 * other features); every answer showing personal data is logged by ./personal-data-log.ts.
 */
export async function buildHandover(parts: { config: Config; repos: Repos; chain: Chain; evidence: Evidence; reads: ReadModel; log: FastifyBaseLogger; clock: Clock }): Promise<ApiHandover> {
  const { config, repos, chain, evidence: ev, reads } = parts;
  const store = repos.store;
  const registry = chain.deployment.contracts.ClaimRegistry.address.toLowerCase();
  const domain = handoverDomain(chain.deployment.chainId, registry);
  const accounts = servedAccounts(config.apiKeys);
  const { keys, issuedAt } = await loadHandoverKey(config.handover);
  const es = repos.evidence;
  const { assignments } = repos.assignments;
  const roles = new Map<string, { at: number; ok: Promise<boolean> }>();
  // The personal-data read log in a LevelDB of its own (src/store/repos/handover-reads.ts PERSONAL_DATA_LOG_DIR).
  const logStore = await openStore(join(config.dataDir, PERSONAL_DATA_LOG_DIR), deploymentKey(chain.deployment));
  const readsLog = createReadsLog({ store: logStore, clock: parts.clock });
  try {
    const moved = await moveLegacyPersonalDataReads(store, logStore);
    if (moved > 0) parts.log.info(`personal-data read log: ${moved} entries moved to ${PERSONAL_DATA_LOG_DIR}/`);
  } catch (e) {
    await logStore.close();
    throw e;
  }

  const handover = createHandover({
    store,
    repos: repos.handover,
    config: config.handover,
    chain: {
      chainId: chain.deployment.chainId,
      registry,
      blockTime: async (n) => (await chain.provider.getBlock(n))?.timestamp ?? Math.floor(parts.clock.now() / 1000),
      receiptOf: async (txHash) => {
        const r = await chain.provider.getTransactionReceipt(txHash);
        return r ? { hash: r.hash, blockNumber: r.blockNumber, blockHash: r.blockHash } : null;
      },
    },
    domain,
    accounts,
    claims: repos.claims,
    evidence: {
      async history(from, claimId): Promise<EvidenceItem[]> {
        const account = accounts.get(from.toLowerCase());
        if (!account) return [];
        const caller: Caller = { role: account.role, name: account.name, keyId: "handover", address: account.address };
        const list = await ev.listForClaim(caller, claimId);
        const items: EvidenceItem[] = [];
        for (const r of list.records as Array<Record<string, unknown>>) {
          const item: EvidenceItem = plain({
            recordId: r.recordId as string, seq: r.seq as number, record: r.record as EvidenceItem["record"], acceptedAt: r.acceptedAt as string,
            ...(r.content !== undefined ? { content: r.content as string } : {}),
            ...(r.counterparty !== undefined ? { counterparty: r.counterparty } : {}),
            ...(r.document !== undefined ? { document: r.document as EvidenceItem["document"] } : {}),
          });
          if (r.status === "anchored") {
            const receipt = await ev.receipt(caller, item.recordId) as { status: string };
            if (receipt.status === "anchored") {
              const { status: _s, ...bundle } = receipt;
              item.bundle = plain(bundle);
            }
          }
          items.push(item);
        }
        return items;
      },
      eraseBodies: (claimId) => store.exclusive("evidence-writer", async () => {
        let n = 0;
        for await (const recordId of es.byClaim.values({ gt: `${claimId}!`, lt: `${claimId}!~` })) {
          const stored = await es.records.get(recordId);
          if (!stored || (stored.content === undefined && stored.counterparty === undefined)) continue;
          const { content: _c, counterparty: _p, ...rest } = stored;
          await es.records.put(recordId, rest, DURABLE);
          n++;
        }
        return n;
      }),
    },
    async eraseNotice(saleId) {
      const a = await assignments.get(saleId);
      if (a?.notice === undefined) return;
      const { notice: _n, ...rest } = a;
      await assignments.put(saleId, rest, DURABLE);
    },
    peers: createPeerDirectory(config.handover),
    readsLog,
    index: {
      claim: (id) => reads.index.claim(id),
      history: (id) => reads.index.history(id),
      waitFor: (n, hash) => reads.atLeast({ minBlock: String(n), minBlockHash: hash }),
    },
    onImported: () => reads.portfolio.model.listener.reset(),
    maySell: (a) => maySell(a),
    keys,
    statements: await keyStatements(accounts, domain, keys.publicKey, issuedAt),
    clock: parts.clock,
    log: { info: (m) => parts.log.info(m), warn: (m) => parts.log.warn(m) },
  });

  /** An account with ORIGINATOR or HOLDER on chain (read once a minute per account). */
  function maySell(account: string): Promise<boolean> {
    const a = account.toLowerCase();
    const known = roles.get(a);
    if (known && Date.now() - known.at < 60_000) return known.ok;
    const ok = Promise.all([chain.registry.hasRole(roleId("HOLDER"), a), chain.registry.hasRole(roleId("ORIGINATOR"), a)]).then(([h, o]) => h || o);
    ok.catch(() => roles.delete(a));
    if (roles.size > 10_000) roles.clear();
    roles.set(a, { at: Date.now(), ok });
    return ok;
  }

  const stop = handover.stop;
  return Object.assign(handover, {
    maySell,
    async stop(): Promise<void> {
      await stop();
      await readsLog.close();
      await logStore.close();
    },
  });
}

