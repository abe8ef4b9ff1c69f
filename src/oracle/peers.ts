import { getAddress, recoverAddress } from "ethers";
import { batchDigest } from "../chain/reports.js";
import { roleId } from "../chain/roles.js";
import { reportDomainOf, type CosignAnswer } from "./cosign.js";
import { disagreementWriter } from "./disagreements.js";
import { toReport, type CycleSummary, type OracleDeps, type PendingReport } from "./types.js";

/** A batch with the quorum's signatures over exactly its reports, in order: ready to submit. */
export interface QuorumBatch {
  reports: PendingReport[];
  signatures: string[];
}

/** A peer's last answer, reduced to what the choice of a batch needs. */
interface PeerState {
  url: string;
  key: string;
  signer: string;
  /** The report identities (PendingReport.digest) it agreed to. */
  agreed: Set<string>;
  /** Its signature and the reports it covers (identities joined), if any. */
  signature?: string;
  signedKey?: string;
}

/** Network round trips per chunk: the first asks every peer, each later one only those whose signature is missing. */
const MAX_ROUNDS = 4;

const keyOf = (set: readonly PendingReport[]) => set.map((p) => p.digest).join(",");

/**
 * The proposer's side of the quorum (Chainlink OCR-style: one signature set per batch). For each chunk of
 * `ready` (ORACLE_BATCH_SIZE reports), every peer (ORACLE_PEERS) is asked to co-sign it; each answers with
 * the reports its own data backs and one signature over exactly those. A batch is then the largest set of
 * reports that `quorum - 1` peers all agreed to (this daemon's own signature makes the k-th); a peer whose
 * signature covers another set is asked again for exactly that set. Only a signature that recovers to an
 * ORACLE account — the one the peer names, distinct from the others — over this very batch counts. Reports
 * no quorum agreed to wait, stored, for a later cycle; the peers' reasons go to `summary.refusedByPeers` and
 * to this operator's disagreements (src/oracle/disagreements.ts: `peer-refused`, by the peer's URL).
 */
export async function agreeBatches(
  deps: OracleDeps,
  ready: PendingReport[],
  quorum: number,
  summary: CycleSummary,
): Promise<{ batches: QuorumBatch[]; waiting: PendingReport[] }> {
  const batches: QuorumBatch[] = [];
  const waiting: PendingReport[] = [];
  const oracles = new Map<string, boolean>();
  const refusals = disagreementWriter(deps);
  for (let i = 0; i < ready.length; i += deps.settings.batchSize) {
    const chunk = ready.slice(i, i + deps.settings.batchSize);
    const agreed = await agreeChunk(deps, chunk, quorum - 1, { summary, refusals, oracles });
    batches.push(...agreed);
    const done = new Set(agreed.flatMap((b) => b.reports));
    waiting.push(...chunk.filter((p) => !done.has(p)));
  }
  await refusals.write();
  return { batches, waiting };
}

/** What one cycle's requests to the peers share: its summary, the refusals to record, the signers checked for ORACLE. */
interface Asking {
  summary: CycleSummary;
  refusals: ReturnType<typeof disagreementWriter>;
  oracles: Map<string, boolean>;
}

async function agreeChunk(deps: OracleDeps, chunk: PendingReport[], need: number, asking: Asking): Promise<QuorumBatch[]> {
  const own = (set: PendingReport[]) => deps.signer.signingKey.sign(batchDigest(reportDomainOf(deps), set.map((p) => toReport(p.report)))).serialized;
  if (need <= 0) return [{ reports: chunk, signatures: [own(chunk)] }];
  if (deps.settings.peers.length < need) return [];
  const batches: QuorumBatch[] = [];
  let remaining = chunk;
  const first = await Promise.all(deps.settings.peers.map((peer) => ask(deps, peer, remaining, asking, true)));
  let answers = first.filter((a): a is PeerState => a !== null);
  for (let round = 1; remaining.length > 0; ) {
    const pick = bestPick(answers, remaining, need);
    if (!pick) break;
    const key = keyOf(pick.set);
    const stale = pick.peers.filter((a) => a.signedKey !== key);
    if (stale.length > 0) {
      if (++round > MAX_ROUNDS) break;
      const again = await Promise.all(stale.map((a) => ask(deps, a, pick.set, asking, false)));
      const inSet = new Set(pick.set.map((p) => p.digest));
      answers = answers.flatMap((a) => {
        const k = stale.indexOf(a);
        if (k < 0) return [a];
        const fresh = again[k];
        // The new answer speaks only of the set asked; what the peer agreed to outside it still holds.
        return fresh ? [{ ...fresh, agreed: new Set([...a.agreed].filter((d) => !inSet.has(d)).concat([...fresh.agreed])) }] : [];
      });
      continue;
    }
    batches.push({ reports: pick.set, signatures: [own(pick.set), ...pick.peers.map((a) => a.signature!)] });
    const used = new Set(pick.set);
    remaining = remaining.filter((p) => !used.has(p));
  }
  return batches;
}

/** The `need` peers whose common agreement over `remaining` is largest, and that set (in `remaining`'s order). */
function bestPick(answers: PeerState[], remaining: PendingReport[], need: number): { peers: PeerState[]; set: PendingReport[] } | null {
  let best: { peers: PeerState[]; set: PendingReport[] } | null = null;
  for (const peers of combinations(answers, need)) {
    if (new Set(peers.map((a) => a.signer)).size < peers.length) continue; // one key, one signature
    const set = remaining.filter((p) => peers.every((a) => a.agreed.has(p.digest)));
    if (set.length > (best?.set.length ?? 0)) best = { peers, set };
  }
  return best;
}

function* combinations<T>(items: T[], k: number, start = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === k) {
    yield [...acc];
    return;
  }
  for (let i = start; i <= items.length - (k - acc.length); i++) yield* combinations(items, k, i + 1, [...acc, items[i]]);
}

/**
 * Asks one peer to co-sign `set`. Its answer counts only if it has one result per report and its signature
 * recovers to the signer it names, over the batch of exactly the reports it agreed to, and that signer is an
 * ORACLE other than this daemon. Null when the peer is down or its answer does not hold. The refusals of a
 * first asking are counted and recorded (a second asking repeats them).
 */
async function ask(deps: OracleDeps, peer: { url: string; key: string }, set: PendingReport[], asking: Asking, first: boolean): Promise<PeerState | null> {
  const { oracles } = asking;
  try {
    const res = await fetch(`${peer.url.replace(/\/$/, "")}/v1/oracle/sign`, {
      method: "POST",
      headers: { authorization: `Bearer ${peer.key}`, "content-type": "application/json" },
      body: JSON.stringify({ reports: set.map((p) => ({ report: p.report, notice: p.notice ? { text: p.notice.text, salt: p.notice.salt } : undefined })) }),
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`peer ${peer.url} answered ${res.status}`);
    const body = (await res.json()) as CosignAnswer;
    if (!Array.isArray(body.results) || body.results.length !== set.length) throw new Error(`peer ${peer.url} answered ${body.results?.length} results for ${set.length} reports`);
    const agreedReports = set.filter((_, k) => body.results[k] && "agreed" in body.results[k] && body.results[k].agreed === true);
    body.results.forEach((r, k) => {
      if (!first || !r || !("refused" in r) || typeof r.refused !== "string") return;
      const reason = r.refused.slice(0, 64);
      asking.summary.refusedByPeers[reason] = (asking.summary.refusedByPeers[reason] ?? 0) + 1;
      asking.refusals.add(set[k]!.claimId, "peer-refused", peer.url, reason, set[k]!.report);
    });
    const state: PeerState = { url: peer.url, key: peer.key, signer: "", agreed: new Set(agreedReports.map((p) => p.digest)) };
    if (agreedReports.length === 0) return state;
    const signer = getAddress(body.signer);
    const digest = batchDigest(reportDomainOf(deps), agreedReports.map((p) => toReport(p.report)));
    if (!body.signature || getAddress(recoverAddress(digest, body.signature)) !== signer) throw new Error(`peer ${peer.url}: the signature is not ${signer}'s over the batch it agreed to`);
    if (signer === getAddress(deps.signer.address)) throw new Error(`peer ${peer.url} signs with this daemon's own key`);
    if (!oracles.has(signer)) oracles.set(signer, await deps.chain.registry.hasRole(roleId("ORACLE"), signer));
    if (!oracles.get(signer)) throw new Error(`peer ${peer.url} signs as ${signer}, which is no ORACLE`);
    return { ...state, signer, signature: body.signature, signedKey: keyOf(agreedReports) };
  } catch (e) {
    deps.log.warn({ peer: peer.url, err: e instanceof Error ? e.message : e }, "oracle peer did not co-sign; trying the others");
    return null;
  }
}
