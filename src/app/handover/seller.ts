import { Wallet } from "ethers";
import { canonicalJson } from "../../core/canonical.js";
import { newSalt } from "../../core/commitment.js";
import { ConflictError } from "../../core/errors.js";
import { DURABLE, TypedBatch } from "../../store/db.js";
import type { OutboundHandover } from "../../store/repos/handover.js";
import { handoverLegalBasis } from "../../i18n/handover.js";
import { keyStatementSignedBy, sealTo, signPayload, type KeyStatement } from "./crypto.js";
import { buildManifest, filesCommitmentOf, loanRecordOf, type FileDocument, type LoanFile } from "./files.js";
import type { HandoverDeps } from "./deps.js";

/** What the sale tells the handover: who sells what to whom, and the notice committed to on chain. */
export interface SaleInput {
  /** The assignment's id: the handover's id. */
  id: string;
  from: string;
  to: string;
  claimIds: string[];
  /** The package's salted reference on chain, and its name at the seller. */
  packageRef: string;
  packageLabel: string;
  notice: Omit<FileDocument, "kind">;
}

/** The header every part of a delivery carries (authenticated as the GCM additional data). */
export interface EnvelopeHeader {
  version: 1;
  chainId: string;
  registry: string;
  from: string;
  to: string;
  txHash: string;
  blockNumber: number;
  blockHash: string;
  packageRef: string;
  filesCommitment: string;
  part: { index: number; count: number };
  recipientKey: string;
}

export type Envelope = EnvelopeHeader & { ephemeralPublicKey: string; iv: string; ciphertext: string; tag: string };

/** Plaintext of one part: the manifest, its salt, and whole claims' files. */
export interface PartPlaintext {
  manifest: OutboundHandover["manifest"];
  salt: string;
  files: LoanFile[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * The seller's side: the files and their commitment before the sale is sent; after it is mined, delivery
 * to the buyer's node in parts of whole claims, each encrypted to the buyer's signed key and signed by the
 * selling account, until the buyer's node acknowledged every part. Every step is written before it is
 * acted on, so a seller that dies at any point resumes where it was; the buyer's side is idempotent, so a
 * part sent twice is stored once.
 */
export function createSeller(deps: HandoverDeps) {
  const { repos, config, chain, clock, log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let aborter = new AbortController();
  /** Ids of the handovers still to deliver (prepared or sending): found by one scan at the first run, kept since. */
  let active: Set<string> | null = null;

  /** The claim's loan file as this node has it: the record, this sale's notice, the evidence history. */
  async function fileOf(from: string, claimId: string, notice: FileDocument): Promise<LoanFile> {
    const record = await deps.claims.get(claimId);
    if (!record) {
      const en = `claim ${claimId} has no loan file at this node: a sale hands over the files, so only a claim whose loan record is here can be sold`;
      const zh = `本节点没有债权 ${claimId} 的贷款资料：出让须移交资料，仅可出让本节点存有贷款资料的债权`;
      throw new ConflictError("no-loan-file", en, { claimId, messages: { en, "zh-CN": zh } });
    }
    return { claimId, record: loanRecordOf(record), documents: [notice], evidence: await deps.evidence.history(from, claimId) };
  }

  /**
   * Before the sale's transaction: builds and stores the files and their manifest, and answers the
   * commitment that goes on chain. Idempotent by sale id.
   */
  async function prepare(sale: SaleInput): Promise<{ filesCommitment: string }> {
    const known = await repos.outbound.get(sale.id);
    if (known) return { filesCommitment: known.filesCommitment };
    const notice: FileDocument = { kind: "assignment-notice", ...sale.notice };
    const files: LoanFile[] = [];
    for (const claimId of sale.claimIds) files.push(await fileOf(sale.from, claimId.toLowerCase(), notice));
    const legalBasis = handoverLegalBasis(config.retentionDays);
    const manifest = buildManifest({ chainId: chain.chainId, registry: chain.registry, packageRef: sale.packageRef, packageLabel: sale.packageLabel, from: sale.from, to: sale.to, legalBasis }, files);
    const salt = newSalt();
    const h: OutboundHandover = {
      id: sale.id, status: "prepared", packageRef: lower(sale.packageRef), packageLabel: sale.packageLabel, from: lower(sale.from), to: lower(sale.to),
      claimIds: files.map((f) => f.claimId), manifest, salt, filesCommitment: filesCommitmentOf(salt, manifest), legalBasis,
      createdAt: new Date(clock.now()).toISOString(), attempts: 0,
    };
    const batch = new TypedBatch().put(repos.outbound, h.id, h);
    for (const f of files) {
      batch.put(repos.outFiles, `${h.id}!${f.claimId}`, f);
      batch.put(repos.outByClaim, `${f.claimId}!${h.id}`, h.id);
    }
    await batch.write(deps.store);
    active?.add(h.id);
    return { filesCommitment: h.filesCommitment };
  }

  /** The sale is on chain: delivery starts (or, for a buyer this node serves, nothing needs to cross). */
  async function committed(id: string, receipt: { hash: string; blockNumber: number; blockHash: string }): Promise<void> {
    const h = await repos.outbound.get(id);
    if (!h || h.status !== "prepared") return;
    const soldAtMs = (await chain.blockTime(receipt.blockNumber)) * 1000;
    const local = deps.accounts.has(h.to);
    const next: OutboundHandover = {
      ...h, status: local ? "local" : "sending", txHash: receipt.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash,
      soldAt: new Date(soldAtMs).toISOString(), retainUntil: new Date(soldAtMs + config.retentionDays * 86_400_000).toISOString(),
      nextAttemptAt: new Date(clock.now()).toISOString(),
    };
    await repos.outbound.put(id, next, DURABLE);
    if (local) active?.delete(id);
    // A disclosure of each debtor's data to the buyer (PIPL 第23条), in the personal-data log.
    const seller = deps.accounts.get(h.from);
    await deps.readsLog.record(h.claimIds.map((claimId) => ({
      who: { keyId: "handover", name: seller?.name ?? h.from, role: "seller", address: h.from }, claimId, purpose: "assignment",
      action: "disclosed" as const, via: local ? "handover (local buyer)" : "handover", recipient: h.to,
    })));
    if (!local) kick().catch((e: unknown) => log.warn(`handover: ${(e as Error).message}`));
  }

  /** The sale failed on chain: nothing is handed over; the prepared copy goes. */
  async function cancelled(id: string): Promise<void> {
    const h = await repos.outbound.get(id);
    if (!h || h.status !== "prepared") return;
    const batch = new TypedBatch().put(repos.outbound, id, { ...h, status: "cancelled" });
    for (const c of h.claimIds) batch.del(repos.outFiles, `${id}!${c}`).del(repos.outByClaim, `${c}!${id}`);
    await batch.write(deps.store);
    active?.delete(id);
  }

  async function fail(h: OutboundHandover, kind: NonNullable<OutboundHandover["lastProblem"]>["kind"], p: { rule: string; message: string; status?: number; claimId?: string; field?: string }): Promise<void> {
    const attempts = h.attempts + 1;
    const delay = Math.min(config.retryBaseMs * 2 ** Math.min(attempts - 1, 30), config.retryMaxMs);
    const now = clock.now();
    await repos.outbound.put(h.id, {
      ...h, attempts, nextAttemptAt: new Date(now + delay).toISOString(),
      lastProblem: { kind, at: new Date(now).toISOString(), ...p },
    }, DURABLE);
    log.warn(`handover ${h.id} to ${h.to}: ${kind} ${p.rule}: ${p.message}; next attempt in ${Math.round(delay / 1000)} s`);
  }

  /** Splits the claims into parts of at most HANDOVER_PART_BYTES of plaintext (a larger file goes alone). */
  async function partsOf(h: OutboundHandover): Promise<Array<{ claimIds: string[] }>> {
    const parts: Array<{ claimIds: string[] }> = [];
    let size = 0;
    for (const claimId of h.claimIds) {
      const bytes = Buffer.byteLength(canonicalJson((await repos.outFiles.get(`${h.id}!${claimId}`)) ?? null));
      const last = parts.at(-1);
      if (last && size + bytes <= config.partBytes) {
        last.claimIds.push(claimId);
        size += bytes;
      } else {
        parts.push({ claimIds: [claimId] });
        size = bytes;
      }
    }
    return parts;
  }

  async function buyerKey(url: string, to: string): Promise<KeyStatement | string> {
    const res = await fetch(`${url}/v1/handover/keys`, { signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(config.requestTimeoutMs)]) });
    if (res.status >= 500 || res.status === 429) throw new Error(`the buyer's node answered ${res.status}`);
    if (!res.ok) return `the buyer's node answered ${res.status} for its handover keys`;
    const body = (await res.json()) as { statements?: KeyStatement[] };
    const s = (body.statements ?? []).find((k) => lower(k.account ?? "") === to);
    if (!s) return `the buyer's node publishes no handover key for ${to}`;
    if (!keyStatementSignedBy(deps.domain, s, to)) return `the handover key offered for ${to} is not signed by that account`;
    return s;
  }

  /** One delivery attempt: every part not yet acknowledged. */
  async function attempt(h: OutboundHandover): Promise<void> {
    const url = await deps.peers.urlOf(h.to);
    if (!url) return fail(h, "unreachable", { rule: "no-peer", message: `no node URL is known for ${h.to}: set HANDOVER_PEERS or NETWORK_FILE` });
    const seller = deps.accounts.get(h.from);
    if (!seller) return fail(h, "key", { rule: "seller-key", message: `the selling account ${h.from} has no key at this node` });
    let statement: KeyStatement | string;
    try {
      statement = await buyerKey(url, h.to);
    } catch (e) {
      return fail(h, "unreachable", { rule: "unreachable", message: `${url}: ${(e as Error).message}` });
    }
    if (typeof statement === "string") return fail(h, "key", { rule: "buyer-key", message: statement });
    if (!h.parts) {
      h = { ...h, parts: await partsOf(h) };
      await repos.outbound.put(h.id, h, DURABLE); // fixed before the first part leaves
    }
    const wallet = new Wallet(seller.privateKey);
    const parts = h.parts!;
    for (const [index, part] of parts.entries()) {
      if (part.ackedAt) continue;
      const files: LoanFile[] = [];
      for (const c of part.claimIds) files.push((await repos.outFiles.get(`${h.id}!${c}`))!);
      const header: EnvelopeHeader = {
        version: 1, chainId: chain.chainId, registry: lower(chain.registry), from: h.from, to: h.to, txHash: h.txHash!, blockNumber: h.blockNumber!,
        blockHash: h.blockHash!, packageRef: h.packageRef, filesCommitment: h.filesCommitment, part: { index, count: parts.length }, recipientKey: statement.publicKey,
      };
      const plaintext: PartPlaintext = { manifest: h.manifest, salt: h.salt, files };
      const envelope: Envelope = { ...header, ...sealTo(statement.publicKey, Buffer.from(canonicalJson(plaintext), "utf8"), Buffer.from(canonicalJson(header), "utf8")) };
      const signature = await signPayload(wallet, deps.domain, envelope);
      let res: Response;
      try {
        res = await fetch(`${url}/v1/handover/inbox`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-debtrail-sender": h.from },
          body: JSON.stringify({ envelope, signature }),
          signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(config.requestTimeoutMs)]),
        });
      } catch (e) {
        return fail(h, "unreachable", { rule: "unreachable", message: `${url}: ${(e as Error).message}` });
      }
      const body = (await res.json().catch(() => ({}))) as { message?: string; rule?: string; field?: string; error?: string; details?: { claimId?: string } };
      if (res.status >= 500 || res.status === 429) {
        return fail(h, "unreachable", { rule: body.rule ?? "unavailable", message: body.message ?? `the buyer's node answered ${res.status}`, status: res.status });
      }
      if (!res.ok) {
        return fail(h, "refused", { rule: body.rule ?? body.error ?? "refused", message: body.message ?? `refused with ${res.status}`, status: res.status, claimId: body.details?.claimId, field: body.field });
      }
      parts[index] = { ...part, ackedAt: new Date(clock.now()).toISOString() };
      h = { ...h, parts };
      await repos.outbound.put(h.id, h, DURABLE);
    }
    const { lastProblem: _gone, ...rest } = h;
    await repos.outbound.put(h.id, { ...rest, status: "delivered", deliveredAt: new Date(clock.now()).toISOString() }, DURABLE);
    active?.delete(h.id);
    log.info(`handover ${h.id}: ${h.claimIds.length} claims' files delivered to ${h.to}`);
  }

  /**
   * A prepared handover whose sale is on chain though this node never recorded it (it died between sending
   * the transaction and writing the receipt): the chain index shows the sale's step with this commitment.
   */
  async function recover(h: OutboundHandover): Promise<void> {
    const { events } = await deps.index.history(h.claimIds[0]!);
    const step = events.find((e) => e.type === "assigned" && lower(e.filesCommitment ?? "") === h.filesCommitment && lower(e.from ?? "") === h.from);
    if (!step) return;
    const receipt = await chain.receiptOf(step.txHash);
    if (receipt) await committed(h.id, receipt);
  }

  /** Attempts every handover that is due. */
  async function runDue(): Promise<void> {
    const now = clock.now();
    if (!active) {
      const found = new Set<string>();
      for await (const h of repos.outbound.values()) if (h.status === "prepared" || h.status === "sending") found.add(h.id);
      active = found;
    }
    for (const id of [...active]) {
      if (aborter.signal.aborted) return;
      const h = await repos.outbound.get(id);
      if (!h || (h.status !== "prepared" && h.status !== "sending")) {
        active.delete(id);
        continue;
      }
      if (h.status === "prepared" && now - Date.parse(h.createdAt) > config.retryBaseMs) {
        await recover(h).catch((e: unknown) => log.warn(`handover ${h.id}: ${(e as Error).message}`));
        continue;
      }
      if (h.status !== "sending" || Date.parse(h.nextAttemptAt ?? "") > now) continue;
      try {
        await attempt(h);
      } catch (e) {
        if (aborter.signal.aborted) return;
        log.warn(`handover ${h.id}: ${(e as Error).message}`);
        await fail((await repos.outbound.get(h.id)) ?? h, "unreachable", { rule: "error", message: (e as Error).message }).catch(() => undefined);
      }
    }
  }

  /** Runs the due deliveries now (once more if asked while running). */
  function kick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runDue();
      } while (again && !aborter.signal.aborted);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    prepare,
    committed,
    cancelled,
    kick,
    /** Asks for the next attempt now (the seller or an operator, after fixing what failed). */
    async retryNow(id: string): Promise<OutboundHandover | undefined> {
      const h = await repos.outbound.get(id);
      if (!h) return undefined;
      if (h.status === "sending") {
        await repos.outbound.put(id, { ...h, nextAttemptAt: new Date(clock.now()).toISOString() }, DURABLE);
        await kick();
      }
      return repos.outbound.get(id);
    },
    start(intervalMs = 1_000): void {
      aborter = new AbortController();
      timer = setInterval(() => void kick().catch((e: unknown) => log.warn(`handover: ${(e as Error).message}`)), intervalMs);
      timer.unref();
      void kick().catch(() => undefined);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      aborter.abort();
      await running?.catch(() => undefined);
    },
  };
}

export type Seller = ReturnType<typeof createSeller>;
