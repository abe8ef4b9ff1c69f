import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { roleId } from "../../chain/roles.js";
import { DURABLE } from "../../store/db.js";
import { openClaimRecords } from "../../store/repos/claims.js";
import { openHandoverRepos } from "../../store/repos/handover.js";
import { createHandover, type Handover } from "../../app/handover/index.js";
import { handoverDomain } from "../../app/handover/crypto.js";
import { keyStatements, loadHandoverKey, servedAccounts } from "../../app/handover/keys.js";
import { createPeerDirectory } from "../../app/handover/peers.js";
import { createReadsLog } from "../../app/handover/reads-log.js";
import type { EvidenceItem } from "../../app/handover/files.js";
import type { Caller } from "./auth.js";
import { openEvidenceStore } from "../services/evidence-store.js";
import personalDataLog from "./personal-data-log.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Loan-file handover and the personal-data read log (src/app/handover). */
    handover: Handover & { maySell(account: string): Promise<boolean> };
  }
}

/** Plain JSON (no undefined, no bigint): what a file may hold. */
function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as T;
}

/**
 * Builds the handover's dependencies from this API's parts (the store, the chain, the evidence service,
 * the read model's chain index), decorates `handover`, starts its delivery loop and retention job with the
 * services, and logs every read of personal data (./personal-data-log.ts).
 */
export default fp(
  async function handoverPlugin(fastify: FastifyInstance) {
    const { config, store, chain } = fastify;
    const registry = chain.deployment.contracts.ClaimRegistry.address.toLowerCase();
    const domain = handoverDomain(chain.deployment.chainId, registry);
    const accounts = servedAccounts(config.apiKeys);
    const { keys, issuedAt } = await loadHandoverKey(config.handover);
    const es = openEvidenceStore(store);
    const assignments = store.sub<{ notice?: string }>("assignments");
    const roles = new Map<string, { at: number; ok: Promise<boolean> }>();

    const handover = createHandover({
      store,
      repos: openHandoverRepos(store),
      config: config.handover,
      chain: {
        chainId: chain.deployment.chainId,
        registry,
        blockTime: async (n) => (await chain.provider.getBlock(n))?.timestamp ?? Math.floor(Date.now() / 1000),
        receiptOf: async (txHash) => {
          const r = await chain.provider.getTransactionReceipt(txHash);
          return r ? { hash: r.hash, blockNumber: r.blockNumber, blockHash: r.blockHash } : null;
        },
      },
      domain,
      accounts,
      claims: openClaimRecords(store),
      evidence: {
        async history(from, claimId): Promise<EvidenceItem[]> {
          const account = accounts.get(from.toLowerCase());
          if (!account) return [];
          const caller: Caller = { role: account.role, name: account.name, keyId: "handover", address: account.address };
          const list = await fastify.evidence.listForClaim(caller, claimId);
          const items: EvidenceItem[] = [];
          for (const r of list.records as Array<Record<string, unknown>>) {
            const item: EvidenceItem = plain({
              recordId: r.recordId as string, seq: r.seq as number, record: r.record as EvidenceItem["record"], acceptedAt: r.acceptedAt as string,
              ...(r.content !== undefined ? { content: r.content as string } : {}),
              ...(r.counterparty !== undefined ? { counterparty: r.counterparty } : {}),
              ...(r.document !== undefined ? { document: r.document as EvidenceItem["document"] } : {}),
            });
            if (r.status === "anchored") {
              const receipt = await fastify.evidence.receipt(caller, item.recordId) as { status: string };
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
      readsLog: createReadsLog({ store, clock: { now: () => Date.now() } }),
      index: {
        claim: (id) => fastify.reads.index.claim(id),
        history: (id) => fastify.reads.index.history(id),
        waitFor: (n, hash) => fastify.reads.atLeast({ minBlock: String(n), minBlockHash: hash }),
      },
      onImported: () => fastify.reads.portfolio.model.listener.reset(),
      maySell: (a) => maySell(a),
      keys,
      statements: await keyStatements(accounts, domain, keys.publicKey, issuedAt),
      clock: { now: () => Date.now() },
      log: fastify.log,
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

    fastify.decorate("handover", Object.assign(handover, { maySell }));
    await fastify.register(personalDataLog);
    fastify.addHook("onReady", async () => handover.start());
    fastify.addHook("preClose", async () => handover.stop());
  },
  { name: "handover", dependencies: ["context", "services"] },
);

