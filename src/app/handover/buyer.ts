import { canonicalJson } from "../../core/canonical.js";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../core/errors.js";
import { TypedBatch } from "../../store/db.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { HandoverProblem, InboundHandover } from "../../store/repos/handover.js";
import type { OwnershipEvent } from "../../store/repos/chain-index.js";
import { refusalMessages } from "../../i18n/handover.js";
import { openSealed, payloadSigner } from "./crypto.js";
import { checkFile, checkManifest, fileDigest, type LoanFile } from "./files.js";
import type { HandoverDeps } from "./deps.js";
import type { Envelope, EnvelopeHeader, PartPlaintext } from "./seller.js";

const lower = (s: string) => s.toLowerCase();

/** A refusal: answered 409 naming the rule, and kept (at the buyer's node, for the seller to see at its own). */
class Refusal extends Error {
  constructor(readonly rule: string, message: string, readonly claimId?: string, readonly field?: string) {
    super(message);
  }
}

/**
 * The buyer's side: accepts a delivery only from the account that sold to this node's account on chain
 * (its signature), only when the files decrypt with this node's key, match the sale's commitment on chain
 * and each claim's registration (src/app/handover/files.ts), and stores them at most once; a refusal is
 * kept and answered with its rule. A received loan record becomes this node's record of the claim, so its
 * collectors read it like any other (GET /v1/claims/:id, the console) — as long as this node's account
 * holds the claim on chain.
 */
export function createBuyer(deps: HandoverDeps) {
  const { repos, chain, clock } = deps;

  function headerOf(e: Envelope): EnvelopeHeader {
    const { ephemeralPublicKey: _e, iv: _i, ciphertext: _c, tag: _t, ...header } = e;
    return header;
  }

  /** The sale on chain: each claim's ownership step of the transaction, all from `from` to `to`. */
  async function saleSteps(envelope: Envelope, claimIds: string[]): Promise<Map<string, OwnershipEvent>> {
    const steps = new Map<string, OwnershipEvent>();
    for (const claimId of claimIds) {
      const { events } = await deps.index.history(claimId);
      const step = events.find((e) => e.type === "assigned" && lower(e.txHash) === lower(envelope.txHash));
      if (!step || lower(step.from ?? "") !== envelope.from || lower(step.to) !== envelope.to) {
        throw new Refusal("no-such-sale", `the chain shows no sale of claim ${claimId} from ${envelope.from} to ${envelope.to} in transaction ${envelope.txHash}`, claimId);
      }
      steps.set(claimId, step);
    }
    return steps;
  }

  /** Everything but the store: decrypt, match the chain; the checked files of this part. */
  async function check(envelope: Envelope): Promise<{ plain: PartPlaintext; steps: Map<string, OwnershipEvent> }> {
    if (envelope.recipientKey !== deps.keys.publicKey) throw new Refusal("unknown-recipient-key", `encrypted to ${envelope.recipientKey}, not to this node's handover key`);
    await deps.index.waitFor(envelope.blockNumber, envelope.blockHash);
    let plain: PartPlaintext;
    try {
      const bytes = openSealed(deps.keys, envelope, Buffer.from(canonicalJson(headerOf(envelope)), "utf8"));
      plain = JSON.parse(bytes.toString("utf8")) as PartPlaintext;
    } catch {
      throw new Refusal("undecryptable", "the files cannot be decrypted with this node's handover key");
    }
    const m = plain.manifest;
    if (!m || !Array.isArray(m.claims) || !Array.isArray(plain.files) || typeof plain.salt !== "string") throw new Refusal("manifest-malformed", "the part holds no manifest, salt and files");
    const claimIds = m.claims.map((c) => lower(String(c.claimId)));
    const steps = await saleSteps(envelope, claimIds);
    const first = steps.get(claimIds[0]!)!;
    for (const s of steps.values()) {
      if (lower(s.packageId ?? "") !== lower(first.packageId ?? "") || lower(s.filesCommitment ?? "") !== lower(first.filesCommitment ?? "")) {
        throw new Refusal("manifest-other-sale", "the manifest's claims were not sold together in one package");
      }
    }
    if (lower(envelope.packageRef) !== lower(first.packageId ?? "")) throw new Refusal("manifest-other-sale", "the envelope names another package than the sale on chain");
    const sale = { chainId: chain.chainId, registry: chain.registry, packageRef: first.packageId ?? "", from: envelope.from, to: envelope.to, filesCommitment: first.filesCommitment ?? "" };
    const bad = checkManifest(m, plain.salt, sale);
    if (bad) throw new Refusal(bad, refusalMessages(bad).en);
    const digests = new Map(m.claims.map((c) => [lower(c.claimId), lower(c.digest)]));
    for (const [i, f] of plain.files.entries()) {
      const claimId = lower(String(f?.claimId));
      const want = digests.get(claimId);
      if (!want) throw new Refusal("claim-not-in-sale", `files[${i}] is for claim ${claimId}, which the manifest does not name`, claimId, `files[${i}]`);
      let digest: string;
      try {
        digest = fileDigest(f);
      } catch {
        digest = "";
      }
      if (digest !== want) throw new Refusal("file-digest-mismatch", `the file of claim ${claimId} is not the one committed to in the sale (changed after it)`, claimId, `files[${i}]`);
      const { claim } = await deps.index.claim(claimId);
      if (!claim) throw new Refusal("no-such-sale", `claim ${claimId} is not registered on this node's chain`, claimId);
      const p = checkFile(f, claim, steps.get(claimId)!.noticeHash);
      if (p) throw new Refusal(p.rule, p.message, claimId, `files[${i}].${p.field}`);
    }
    return { plain, steps };
  }

  function recordOf(f: LoanFile, registeredTx: string | undefined, now: string): ClaimRecord {
    return { ...f.record, claimId: lower(f.claimId), status: "registered", ...(registeredTx ? { txHash: registeredTx } : {}), createdAt: now } as ClaimRecord;
  }

  async function refuse(envelope: Envelope, r: Refusal): Promise<never> {
    const now = new Date(clock.now()).toISOString();
    const problem: HandoverProblem = { at: now, rule: r.rule, message: r.message, ...(r.claimId ? { claimId: r.claimId } : {}), ...(r.field ? { field: r.field } : {}) };
    await deps.store.exclusive(`handover-in:${lower(envelope.txHash)}`, async () => {
      const batch = new TypedBatch().put(repos.refusals, `${now}!${lower(envelope.txHash)}!${envelope.part.index}`, { ...problem, txHash: lower(envelope.txHash), from: envelope.from });
      if (deps.accounts.has(envelope.to)) {
        const known = await repos.inbound.get(lower(envelope.txHash));
        batch.put(repos.inbound, lower(envelope.txHash), known
          ? { ...known, status: known.status === "complete" ? "complete" : "refused", refusals: known.refusals + 1, lastRefusal: problem, lastAt: now }
          : {
              txHash: lower(envelope.txHash), status: "refused", from: envelope.from, to: envelope.to, packageRef: lower(envelope.packageRef), filesCommitment: lower(envelope.filesCommitment),
              blockNumber: envelope.blockNumber, received: [], expected: 0, firstAt: now, lastAt: now, deliveries: 0, refusals: 1, lastRefusal: problem,
            });
      }
      await batch.write(deps.store);
    });
    const messages = refusalMessages(r.rule);
    throw new ConflictError(r.rule, `the handover was refused: ${r.message}`, {
      rule: r.rule, ...(r.claimId ? { claimId: r.claimId } : {}), ...(r.field ? { field: r.field } : {}), messages,
    });
  }

  return {
    /**
     * POST /v1/handover/inbox: one part of a delivery. Answers once what it accepted is on disk;
     * a part received before is answered again without writing anything.
     * @throws ForbiddenError when not signed by `envelope.from` (or `sender` differs); ConflictError naming
     * the rule of a refusal; UnavailableError while this node's chain index has not reached the sale
     */
    async receive(envelope: Envelope, signature: string, sender: string | undefined) {
      if (envelope.chainId !== chain.chainId || lower(envelope.registry) !== lower(chain.registry)) {
        throw new ValidationError("envelope.registry", "must name this node's chain and ClaimRegistry");
      }
      const signer = payloadSigner(deps.domain, envelope, signature);
      envelope = { ...envelope, from: lower(envelope.from), to: lower(envelope.to) };
      if (signer === null || signer !== envelope.from || lower(sender ?? "") !== envelope.from) {
        throw new ForbiddenError("signature: the delivery is not signed by the account it names as its sender (envelope.from)", { field: "signature" });
      }
      if (!deps.accounts.has(envelope.to)) return refuse(envelope, new Refusal("not-addressed-here", `the files are for ${envelope.to}, which this node does not serve`));
      let checked: Awaited<ReturnType<typeof check>>;
      try {
        checked = await check(envelope);
      } catch (e) {
        if (e instanceof Refusal) return refuse(envelope, e);
        throw e;
      }
      const { plain } = checked;
      const txHash = lower(envelope.txHash);
      return deps.store.exclusive(`handover-in:${txHash}`, async () => {
        const now = new Date(clock.now()).toISOString();
        const known = await repos.inbound.get(txHash);
        const received = new Set(known?.received ?? []);
        const fresh = plain.files.filter((f) => !received.has(lower(f.claimId)));
        const batch = new TypedBatch();
        for (const f of fresh) {
          const claimId = lower(f.claimId);
          const { claim } = await deps.index.claim(claimId);
          batch.put(repos.inFiles, `${claimId}!${txHash}`, { txHash, from: envelope.from, to: envelope.to, digest: fileDigest(f), receivedAt: now, file: f });
          batch.put(repos.inLatest, claimId, txHash);
          batch.put(deps.claims, claimId, recordOf(f, claim?.registeredTx, now));
          received.add(claimId);
        }
        const expected = plain.manifest.claims.length;
        const next: InboundHandover = {
          txHash, from: envelope.from, to: envelope.to, packageRef: lower(envelope.packageRef), packageLabel: String(plain.manifest.packageLabel), filesCommitment: lower(envelope.filesCommitment),
          blockNumber: envelope.blockNumber, manifest: plain.manifest, legalBasis: plain.manifest.legalBasis, received: [...received], expected,
          status: received.size >= expected ? "complete" : "receiving", firstAt: known?.firstAt ?? now, lastAt: now,
          deliveries: (known?.deliveries ?? 0) + 1, refusals: known?.refusals ?? 0, ...(known?.lastRefusal ? { lastRefusal: known.lastRefusal } : {}),
        };
        batch.put(repos.inbound, txHash, next);
        await batch.write(deps.store);
        if (fresh.length > 0) deps.onImported(fresh.map((f) => lower(f.claimId)));
        return { status: fresh.length > 0 ? "accepted" as const : "already-received" as const, txHash, received: received.size, expected, handover: next.status };
      });
    },

    /** GET /v1/handover/keys: this node's handover key, signed by each account it serves. */
    keys() {
      return { chainId: chain.chainId, registry: lower(chain.registry), statements: deps.statements };
    },

    async inbound(txHash: string): Promise<InboundHandover> {
      const h = await repos.inbound.get(lower(txHash));
      if (!h) throw new NotFoundError("handover", txHash);
      return h;
    },
  };
}

export type Buyer = ReturnType<typeof createBuyer>;
