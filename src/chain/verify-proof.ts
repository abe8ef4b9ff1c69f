/**
 * On-chain half of verifying a 时效中断证明 (core/interruption-proof.ts): the offline check (bundles intact,
 * delivery links, the period computed again from the proof's own records), then every bundle against the chain
 * (verifyBundleOnChain), and the stated maturity against the claim's registration on ClaimRegistry (its ClaimRegistered event). Needs a JSON-RPC
 * provider and the registry's address (the verifying node's deployment); no Debtrail server state.
 */
import { getAddress, type Provider } from "ethers";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";
import { checkInterruptionProof, proofBundles, type InterruptionProof, type ProofCheck } from "../core/interruption-proof.js";
import { chinaDay, chinaDayOfMs } from "../core/input-fields.js";
import { formatDay } from "../core/dates.js";
import { verifyBundleOnChain, type BundleVerification } from "./verify-bundle.js";

export interface ProofVerification {
  verified: boolean;
  /** Why not (the first thing that failed): a check problem's code, a bundle's failure, or `maturity-mismatch`. */
  reason?: string;
  check: ProofCheck;
  bundles: Array<{ at: string } & BundleVerification>;
  /** The stated maturity against the registry's (China days). */
  maturity: { stated: string; onChain: string | null; ok: boolean };
}

/** The China day of the maturity ClaimRegistry holds for the claim, or null when it is not registered there. */
async function maturityOnChain(provider: Provider, registry: string, claimId: string): Promise<string | null> {
  const c = ClaimRegistry__factory.connect(getAddress(registry), provider);
  if (!(await c.isRegistered(claimId))) return null;
  // The registry stores only what contracts read; the maturity is in the registration's event.
  const [registered] = await c.queryFilter(c.filters.ClaimRegistered(claimId), 0);
  return registered ? formatDay(chinaDayOfMs(Number(registered.args.maturityAt) * 1000)) : null;
}

/**
 * Verifies a proof: offline first, then each anchored bundle and the maturity on chain. Never throws for a bad
 * proof (network errors propagate).
 */
export async function verifyInterruptionProofOnChain(proof: unknown, provider: Provider, registry: string): Promise<ProofVerification> {
  const check = checkInterruptionProof(proof);
  const p = proof as InterruptionProof;
  let stated = "";
  try {
    stated = typeof p?.claim?.maturityAt === "string" ? formatDay(chinaDay(p.claim.maturityAt, "claim.maturityAt")) : "";
  } catch {
    stated = "";
  }
  if (check.problems.some((x) => x.code === "malformed")) {
    return { verified: false, reason: "malformed", check, bundles: [], maturity: { stated, onChain: null, ok: false } };
  }
  const bundles: ProofVerification["bundles"] = [];
  for (const { at, bundle } of proofBundles(p)) bundles.push({ at, ...(await verifyBundleOnChain(bundle, provider)) });
  const claimId = /^0x[0-9a-fA-F]{64}$/.test(p.claimId) ? p.claimId.toLowerCase() : null;
  const onChain = claimId ? await maturityOnChain(provider, registry, claimId) : null;
  const maturity = { stated, onChain, ok: onChain !== null && onChain === stated };
  const failed = bundles.find((b) => !b.verified);
  const reason = check.problems[0]?.code ?? failed?.reason ?? (maturity.ok ? undefined : "maturity-mismatch");
  return { verified: reason === undefined, ...(reason ? { reason } : {}), check, bundles, maturity };
}
