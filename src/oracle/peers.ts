import { getAddress, recoverAddress, type TypedDataDomain } from "ethers";
import { checkDocumentCommitment, contentHashOfText } from "../core/commitment.js";
import { planReport, type ReportFigures } from "../core/clauses.js";
import { ForbiddenError } from "../core/errors.js";
import { reportDomain, signReport } from "../chain/reports.js";
import { TypedBatch } from "../store/db.js";
import { mayPropose } from "../app/access.js";
import type { Caller } from "../app/access.js";
import { caseView, score, termsOf } from "./figures.js";
import { disagreementWriter } from "./disagreements.js";
import { ZERO_HASH, toReport, type OracleDeps, type PendingReport, type StoredReport, type StoredStatus } from "./types.js";

/** The EIP-712 domain of this deployment's reports. */
export function reportDomainOf(deps: Pick<OracleDeps, "chain">): TypedDataDomain {
  return reportDomain(BigInt(deps.chain.deployment.chainId), deps.chain.deployment.contracts.CollectionClauses.address);
}

/** Most reports sent to a peer in one request. */
const PEER_CHUNK = 500;

/**
 * The client side: asks the peers (ORACLE_PEERS) to co-sign reports still short of the quorum. Only a
 * signature that recovers to the signer it names, over this very digest, is kept (and written at once).
 */
export async function collectSignatures(deps: OracleDeps, open: PendingReport[], quorum: number): Promise<void> {
  const { repos, settings } = deps;
  const short = open.filter((p) => Object.keys(p.signatures).length < quorum);
  if (short.length === 0 || settings.peers.length === 0) return;
  const refusals = disagreementWriter(deps);
  for (const peer of settings.peers) {
    const still = short.filter((p) => Object.keys(p.signatures).length < quorum);
    if (still.length === 0) break;
    for (let i = 0; i < still.length; i += PEER_CHUNK) {
      const chunk = still.slice(i, i + PEER_CHUNK);
      try {
        const res = await fetch(`${peer.url.replace(/\/$/, "")}/v1/oracle/sign`, {
          method: "POST",
          headers: { authorization: `Bearer ${peer.key}`, "content-type": "application/json" },
          body: JSON.stringify({ reports: chunk.map((p) => ({ report: p.report, notice: p.notice ? { text: p.notice.text, salt: p.notice.salt } : undefined })) }),
          signal: AbortSignal.timeout(30_000),
        });
        if (!res.ok) throw new Error(`peer ${peer.url} answered ${res.status}`);
        const body = (await res.json()) as { results: Array<{ signer?: string; signature?: string; refused?: string }> };
        const signed = new TypedBatch();
        for (const [k, r] of body.results.entries()) {
          const p = chunk[k];
          if (p && typeof r?.refused === "string") refusals.add(p.claimId, "peer-refused", peer.url, r.refused.slice(0, 64), p.report);
          if (!p || !r?.signature || !r.signer) continue;
          if (getAddress(recoverAddress(p.digest, r.signature)) !== getAddress(r.signer)) continue;
          p.signatures[getAddress(r.signer)] = r.signature;
          signed.put(repos.pending, p.claimId, p);
        }
        await signed.write(repos.store);
      } catch (e) {
        deps.log.warn({ peer: peer.url, err: e }, "oracle peer did not sign; trying the others");
      }
    }
  }
  await refusals.write();
}

export type CosignItem = { report: StoredReport; notice?: { text: string; salt?: string } };
export type CosignResult = { signer: string; signature: string } | { refused: string };

/**
 * The peer side (POST /v1/oracle/sign): co-signs another daemon's reports after checking each against
 * this organisation's own data — its feeds' observations, or its own status as the claim's holder (still
 * the holder) — the scoring core and the chain. What another daemon or a peer's key says is never a
 * reason to sign.
 */
export async function cosign(deps: OracleDeps, caller: Caller, items: CosignItem[]): Promise<{ results: CosignResult[] }> {
  if (caller.role !== "oracle" && caller.role !== "admin") throw new ForbiddenError("only oracle peers ask for signatures");
  const { repos, chain, signer } = deps;
  const domain = reportDomainOf(deps);
  const chainTime = (await chain.provider.getBlock("latest"))!.timestamp;
  const results: CosignResult[] = [];
  const refusals = disagreementWriter(deps);
  for (const item of items) {
    const report = toReport(item.report);
    const refuse = (why: string, ours?: ReportFigures) => {
      results.push({ refused: why });
      refusals.add(report.claimId, "refused-peer", caller.name, why, item.report, ours);
    };
    const id = report.claimId.toLowerCase();
    const [seen, own] = await Promise.all([repos.observed.get(id), repos.statuses.get(id)]);
    const candidates: StoredStatus[] = [];
    if (seen?.asOfUnix === Number(report.asOf)) candidates.push(seen);
    if (own?.asOfUnix === Number(report.asOf) && own.source && mayPropose(own.source, await chain.registry.holderOf(id))) candidates.push(own);
    if (candidates.length === 0) {
      refuse("no-matching-status");
      continue;
    }
    let figures: ReportFigures | undefined;
    let first: ReportFigures | undefined;
    for (const s of candidates) {
      const f = (await score(deps, [s])).get(s.claimId)!;
      first ??= f;
      if (f.daysPastDue === report.daysPastDue && f.outstanding === report.outstanding && f.collateralValue === report.collateralValue
        && f.classification === report.classification && f.riskGrade === report.riskGrade) {
        figures = f;
        break;
      }
    }
    if (!figures) {
      refuse("figures-differ", first);
      continue;
    }
    const c = await caseView(deps, report.claimId);
    if (c.nonce !== report.nonce) {
      refuse("nonce-differs");
      continue;
    }
    const terms = c.warnDays === 0 ? await termsOf(deps, report.claimId) : c;
    const decision = planReport(figures, c, terms, undefined, chainTime);
    if ("skip" in decision) {
      refuse(decision.skip);
      continue;
    }
    if (decision.notice ? report.noticeHash === ZERO_HASH : report.noticeHash !== ZERO_HASH) {
      refuse("notice-not-due");
      continue;
    }
    // The noticeHash is a salted commitment: the proposer sends the text and the salt, this peer recomputes it.
    if (report.noticeHash !== ZERO_HASH && (!item.notice || !checkDocumentCommitment({
      salt: item.notice.salt, contentHash: contentHashOfText(item.notice.text), commitment: report.noticeHash,
    }))) {
      refuse("notice-text-differs");
      continue;
    }
    results.push({ signer: signer.address, signature: await signReport(signer, domain, report) });
  }
  await refusals.write();
  return { results };
}
