import { roleId } from "../../chain/roles.js";
import type { Chain } from "../../chain/client.js";
import type { Config } from "../../config/config.js";
import type { Repos } from "../../store/repos/index.js";
import { serviceNow, type Clock } from "../../app/deps.js";
import type { Assessments } from "../../app/assessments/index.js";
import { handoverDomain } from "../../app/handover/crypto.js";
import { servedAccounts } from "../../app/handover/keys.js";
import { createPeerDirectory } from "../../app/handover/peers.js";
import { createMarketRoom, type MarketRoom } from "../../app/market-room/index.js";
import type { MarketBuyerKind } from "../../core/market/room-access.js";
import type { ReadModel } from "./read-model.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Packages' de-identified data rooms (src/app/market-room). */
    marketRoom: MarketRoom;
  }
}

/** The chain roles that tell a buyer's kind (contracts/Roles.sol), beside HOLDER. */
const LICENSED_AMC = roleId("LICENSED_AMC");
const QUALIFIED_INVESTOR = roleId("QUALIFIED_INVESTOR");
const HOLDER = roleId("HOLDER");

/**
 * The data rooms' dependencies from this API's parts: the handover's EIP-712 domain, served accounts and peer
 * directory (one mechanism between nodes), the read model (holders, the console's figures and periods) and the
 * assessments (valuations); a buyer's kind read from the chain's roles, once a minute per account.
 */
export function buildMarketRoom(parts: { config: Config; repos: Repos; chain: Chain; reads: ReadModel; assessments: Assessments; clock: Clock }): MarketRoom {
  const { config, repos, chain, reads, assessments } = parts;
  const kinds = new Map<string, { at: number; kind: Promise<MarketBuyerKind | null> }>();

  /** What the chain makes `account` now: read every time — a room's entry is an access decision, and a licence revoked on chain must shut the room at once. */
  function buyerKindOf(account: string): Promise<MarketBuyerKind | null> {
    return Promise.all([LICENSED_AMC, QUALIFIED_INVESTOR, HOLDER].map((r) => chain.registry.hasRole(r, account.toLowerCase())))
      .then(([amc, investor, holder]): MarketBuyerKind | null => (!holder ? null : amc ? "licensed-amc" : investor ? "qualified-investor" : null));
  }

  /** The same for display (GET /v1/me, on every page): cached a minute per account; it decides nothing. */
  function shownBuyerKindOf(account: string): Promise<MarketBuyerKind | null> {
    const a = account.toLowerCase();
    const known = kinds.get(a);
    const now = parts.clock.now();
    if (known && now - known.at >= 0 && now - known.at < 60_000) return known.kind;
    const kind = buyerKindOf(a);
    kind.catch(() => kinds.delete(a));
    if (kinds.size > 10_000) kinds.clear();
    kinds.set(a, { at: now, kind });
    return kind;
  }

  return createMarketRoom({
    store: repos.store,
    clock: parts.clock,
    domain: handoverDomain(chain.deployment.chainId, chain.deployment.contracts.ClaimRegistry.address.toLowerCase()),
    accounts: servedAccounts(config.apiKeys),
    peers: createPeerDirectory(config.handover),
    holderOf: async (claimId) => (await reads.index.claim(claimId)).claim?.holder ?? null,
    buyerKindOf,
    shownBuyerKindOf,
    listingOf: async (listingId) => (await reads.index.listing(listingId)).listing,
    index: reads.index,
    chainNow: () => serviceNow({ chain, clock: parts.clock }),
    sources: {
      records: repos.claims,
      model: reads.portfolio.model,
      limitations: reads.portfolio.limitations,
      assess: (caller, claimId, q) => assessments.assessClaim(caller, claimId, q) as never,
    },
  });
}
