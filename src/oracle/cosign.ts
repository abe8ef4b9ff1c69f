import type { TypedDataDomain } from "ethers";
import { checkDocumentCommitment, contentHashOfText } from "../core/commitment.js";
import { planReport, type ReportFigures } from "../core/clauses.js";
import { ForbiddenError } from "../core/errors.js";
import { batchDigest, reportDomain, type Report } from "../chain/reports.js";
import { mayPropose, type Caller } from "../app/access.js";
import { caseView, score, termsOf } from "./figures.js";
import { disagreementWriter } from "./disagreements.js";
import { ZERO_HASH, toReport, type OracleDeps, type StoredReport, type StoredStatus } from "./types.js";

/** The EIP-712 domain of this deployment's report batches. */
export function reportDomainOf(deps: Pick<OracleDeps, "chain">): TypedDataDomain {
  return reportDomain(BigInt(deps.chain.deployment.chainId), deps.chain.deployment.contracts.CollectionClauses.address);
}

/** Reports of a request checked at once. */
const COSIGN_CHUNK = 25;

export type CosignItem = { report: StoredReport; notice?: { text: string; salt?: string } };
export type CosignResult = { agreed: true } | { refused: string };

/**
 * A peer's answer: each report agreed or refused (with the reason), and — when it agreed to any — one
 * signature over the batch of exactly the agreed reports, in the order asked (`digest`).
 */
export interface CosignAnswer {
  results: CosignResult[];
  signer: string;
  digest?: string;
  signature?: string;
}

/**
 * The peer side (POST /v1/oracle/sign): checks each report of a proposed batch against this organisation's
 * own data — its feeds' observations, or its own status as the claim's holder (still the holder) — the
 * scoring core and the chain, and signs the batch of the reports it agrees to, never one it did not check:
 * the proposer submits a batch only with every quorum member's signature over exactly its reports. What
 * another daemon or a peer's key says is never a reason to sign.
 */
export async function cosign(deps: OracleDeps, caller: Caller, items: CosignItem[]): Promise<CosignAnswer> {
  if (caller.role !== "oracle" && caller.role !== "admin") throw new ForbiddenError("only oracle peers ask for signatures");
  const { chain, signer } = deps;
  const chainTime = (await chain.provider.getBlock("latest"))!.timestamp;
  const seen = new Set<string>();
  const results: CosignResult[] = [];
  // What this operator refuses, and why, shows in its own status (src/oracle/disagreements.ts).
  const refusals = disagreementWriter(deps);
  // A chunk of reports at a time: their chain reads go out together (one JSON-RPC batch), not all at once.
  for (let i = 0; i < items.length; i += COSIGN_CHUNK) {
    results.push(...await Promise.all(items.slice(i, i + COSIGN_CHUNK).map(async (item): Promise<CosignResult> => {
      const id = item.report.claimId.toLowerCase();
      // One report per claim and batch: a second would be checked against the same nonce.
      if (seen.has(id)) return { refused: "duplicate-claim" };
      seen.add(id);
      const why = await check(deps, item, chainTime);
      if (!why) return { agreed: true };
      refusals.add(item.report.claimId, "refused-peer", caller.name, why.reason, item.report, why.ours);
      return { refused: why.reason };
    })));
  }
  const agreed: Report[] = items.filter((_, k) => "agreed" in results[k]).map((item) => toReport(item.report));
  const answer: CosignAnswer = { results, signer: signer.address };
  if (agreed.length > 0) {
    answer.digest = batchDigest(reportDomainOf(deps), agreed);
    answer.signature = signer.signingKey.sign(answer.digest).serialized;
  }
  await refusals.write();
  return answer;
}

/** Why this organisation's own data does not back `item` (with its own figures, where it has some), or null when it does. */
async function check(deps: OracleDeps, item: CosignItem, chainTime: number): Promise<{ reason: string; ours?: ReportFigures } | null> {
  const { repos, chain } = deps;
  const report = toReport(item.report);
  const id = report.claimId.toLowerCase();
  const [seen, own] = await Promise.all([repos.observed.get(id), repos.statuses.get(id)]);
  const candidates: StoredStatus[] = [];
  if (seen?.asOfUnix === Number(report.asOf)) candidates.push(seen);
  if (own?.asOfUnix === Number(report.asOf) && own.source && mayPropose(own.source, await chain.registry.holderOf(id))) candidates.push(own);
  if (candidates.length === 0) return { reason: "no-matching-status" };
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
  if (!figures) return { reason: "figures-differ", ours: first };
  const c = await caseView(deps, report.claimId);
  if (c.nonce !== report.nonce) return { reason: "nonce-differs" };
  const terms = c.warnDays === 0 ? await termsOf(deps, report.claimId) : c;
  const decision = planReport(figures, c, terms, undefined, chainTime);
  if ("skip" in decision) return { reason: decision.skip };
  if (decision.notice ? report.noticeHash === ZERO_HASH : report.noticeHash !== ZERO_HASH) return { reason: "notice-not-due" };
  // The noticeHash is a salted commitment: the proposer sends the text and the salt, this peer recomputes it.
  if (report.noticeHash !== ZERO_HASH && (!item.notice || !checkDocumentCommitment({
    salt: item.notice.salt, contentHash: contentHashOfText(item.notice.text), commitment: report.noticeHash,
  }))) return { reason: "notice-text-differs" };
  return null;
}
