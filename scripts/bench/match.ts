/**
 * `npm run bench:match`: investor matching on a generated market (src/core/market/evaluate.ts).
 *
 * 100 investors with hidden true preferences, 500 packages, a season of bids on the first 400; on the 100
 * held-out packages (listed at asOf, never bid on), the share for which the investor who values the package
 * most (by the hidden truth) is among the top 3 recommended to its seller — against a random, a region-only
 * and a declared-profile-only baseline. Seed 1 is the reported figure (the model was developed on other
 * seeds, 11–13, and not tuned on it); seeds 2–5 show the spread. Exits non-zero below 80%.
 * Writes the "match" section of docs/benchmarks.md.
 *
 * Env: MATCH_SEED (default 1), MATCH_K (default 3), MATCH_WRITE=0 to skip the docs.
 */
import { generateMarket } from "../../src/core/market/synthetic.js";
import { evaluateMatching, type MatchingFigures } from "../../src/core/market/evaluate.js";
import { buildMarketModels, recommendInvestors, recommendPackages } from "../../src/core/market/recommend.js";
import { parseDay } from "../../src/core/dates.js";
import { machine, writeSection } from "./report.js";

const SEED = Number(process.env.MATCH_SEED ?? 1);
const K = Number(process.env.MATCH_K ?? 3);
const TARGET = 0.8;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

function run(seed: number): { f: MatchingFigures; bids: number; ms: number } {
  const market = generateMarket(seed);
  const t = performance.now();
  const f = evaluateMatching(market, K, seed);
  return { f, bids: market.bids.length, ms: performance.now() - t };
}

const main = run(SEED);
const spread = [2, 3, 4, 5].filter((s) => s !== SEED).map((s) => ({ seed: s, ...run(s) }));

// Speed of one market's models and recommendations both ways.
const market = generateMarket(SEED);
const t0 = performance.now();
const models = buildMarketModels(market.profiles, market.packages, market.bids, parseDay(market.asOf, "asOf"));
const buildMs = performance.now() - t0;
const open = market.heldOut.map((id) => models.packages.get(id)!);
const t1 = performance.now();
for (const p of open) recommendInvestors(p, models.investors.values(), { limit: K });
const sellerMs = (performance.now() - t1) / open.length;
const t2 = performance.now();
for (const m of models.investors.values()) recommendPackages(m, open, { limit: 10 });
const buyerMs = (performance.now() - t2) / models.investors.size;

const row = (label: string, x: number) => `| ${label} | ${pct(x)} |`;
const f = main.f;
const verdict = f.recommender >= TARGET ? `meets the target of ≥ ${pct(TARGET)}` : `**misses** the target of ≥ ${pct(TARGET)}`;
const md = `## Investor matching (\`npm run bench:match\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. A generated market (\`npm run gen:market -- --seed ${SEED}\`, src/core/market/synthetic.ts): ${f.investors} investors with hidden true value functions and noisy, partial declared profiles; 500 packages; a season of ${main.bids.toLocaleString("en-US")} revealed sealed bids on the first 400. On the ${f.packages} held-out packages (listed at asOf, no bids), the share for which the investor who values the package most (by the hidden truth) is among the top ${f.k} the seller is recommended (\`recommendInvestors\`). The recommender sees only profiles, de-identified summaries and bids. Seed ${SEED}; the model was developed on seeds 11–13 and not tuned on this one.

| ranking | best investor in the top ${f.k} |
| --- | ---: |
${row("**recommender** (declared profile + learned from bids)", f.recommender)}
${row("declared profile only (no bid history)", f.declaredOnly)}
${row("region-only (share of the package in the investor's declared regions)", f.regionOnly)}
${row(`random (expected ${pct(f.randomExpected)})`, f.random)}

The recommender ${verdict}. Other seeds (same command with \`MATCH_SEED\`): ${spread.map((s) => `seed ${s.seed} ${pct(s.f.recommender)} (region-only ${pct(s.f.regionOnly)}, random ${pct(s.f.random)})`).join("; ")}.

Speed: learning all ${f.investors} investors' models from the season ${buildMs.toFixed(0)} ms; investors for one package ${sellerMs.toFixed(2)} ms; the 10 best of ${open.length} packages for one investor ${buyerMs.toFixed(2)} ms.
`;
console.log(md);
if (process.env.MATCH_WRITE !== "0") writeSection("match", md);
process.exitCode = f.recommender >= TARGET ? 0 : 1;
