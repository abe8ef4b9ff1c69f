/**
 * The market's matching of packages and investors (issue 19), pure: de-identified package summaries
 * (market/summary.ts) and their features (market/features.ts), investor profiles declared
 * (market/profile.ts) and learned from past bids (market/history.ts), scores with reasons
 * (market/score.ts), recommendations both ways (market/recommend.ts), and the generated market with its
 * benchmark (market/synthetic.ts, market/evaluate.ts); sealed bidding's commitments and eligibility
 * (market/bidding.ts, the rule ClaimMarket enforces on chain).
 */
export * from "./market/summary.js";
export * from "./market/features.js";
export * from "./market/profile.js";
export * from "./market/history.js";
export * from "./market/score.js";
export * from "./market/recommend.js";
export * from "./market/bidding.js";
