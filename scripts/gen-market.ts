/**
 * `npm run gen:market -- [--seed 1] [--investors 100] [--packages 500] [--heldOut 100] [--asOf 2025-06-30] [--out data/market]`
 *
 * Writes a seeded, reproducible generated market (src/core/market/synthetic.ts describes the model):
 * - market.json: what a recommender may see — the investors' declared profiles, the packages' de-identified
 *   summaries, the season's revealed bids (on all but the last `heldOut` packages) and the held-out ids
 * - truth.json: the hidden true preferences (value functions) of the investors, for the benchmark only
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateMarket, marketToWire } from "../src/core/market/synthetic.js";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    investors: { type: "string", default: "100" },
    packages: { type: "string", default: "500" },
    heldOut: { type: "string", default: "100" },
    asOf: { type: "string", default: "2025-06-30" },
    out: { type: "string", default: "data/market" },
  },
});
const seed = Number(values.seed);
const market = generateMarket(seed, { investors: Number(values.investors), packages: Number(values.packages), heldOut: Number(values.heldOut), asOf: values.asOf });
const { truth, ...visible } = marketToWire(market);
mkdirSync(values.out!, { recursive: true });
writeFileSync(join(values.out!, "market.json"), JSON.stringify(visible) + "\n");
writeFileSync(join(values.out!, "truth.json"), JSON.stringify({ seed, truth }) + "\n");
const wins = market.bids.filter((b) => b.won).length;
console.log(`seed ${seed}: ${market.profiles.length} investors, ${market.packages.length} packages (${market.heldOut.length} held out, listed ${market.asOf}), ${market.bids.length} bids, ${wins} packages sold → ${values.out}/market.json, truth.json`);
