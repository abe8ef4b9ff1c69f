/**
 * `npm run eval:valuation`: valuation accuracy on held-out generated cases.
 *
 * Trains on a case history from one seed and values held-out market sales from another seed at their sale
 * dates. Reports MAPE against the generator's noise floor (the MAPE of the model's own noise-free median
 * price on the same sales) and the share of true prices inside P10–P90. Exits non-zero unless
 * MAPE ≤ 1.25 × noise floor and coverage is 80% ± 5%. Writes the "core-valuation" section of docs/benchmarks.md.
 *
 * Env: EVAL_TRAIN (default 20000), EVAL_TEST (default 5000), EVAL_SEED (default 1), EVAL_WRITE=0 to skip the docs.
 */
import { generateCaseHistory, PRICE_NOISE_SIGMA } from "../src/core/synthetic.js";
import { buildValuationModel, valueCollateral } from "../src/core/valuation.js";
import { machine, writeSection } from "./bench/report.js";

const TRAIN = Number(process.env.EVAL_TRAIN ?? 20_000);
const TEST = Number(process.env.EVAL_TEST ?? 5_000);
const SEED = Number(process.env.EVAL_SEED ?? 1);

const train = generateCaseHistory(SEED, { count: TRAIN });
const test = generateCaseHistory(SEED + 1_000_003, { count: TEST, prefix: "H" });
const t0 = performance.now();
const model = buildValuationModel(train.cases);
const buildMs = performance.now() - t0;

let ape = 0, floor = 0, inside = 0, below = 0, n = 0;
const t1 = performance.now();
test.cases.forEach((c, i) => {
  if (c.saleType !== "market") return;
  const v = valueCollateral(model, c, c.saleDay);
  if (!v) throw new Error(`no valuation for ${c.caseId}`);
  const price = Number(c.price);
  ape += Math.abs(Number(v.value) - price) / price;
  floor += Math.abs(test.medians[i]! - price) / price;
  if (price < Number(v.p10)) below++;
  else if (price <= Number(v.p90)) inside++;
  n++;
});
const valueMs = performance.now() - t1;
const mape = ape / n, noise = floor / n, coverage = inside / n;
const ratio = mape / noise;
const pass = ratio <= 1.25 && coverage >= 0.75 && coverage <= 0.85;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

const md = `### Valuation accuracy (\`npm run eval:valuation\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. Trained on ${TRAIN.toLocaleString("en-US")} generated cases (seed ${SEED}), valued ${n.toLocaleString("en-US")} held-out market sales (another seed) at their sale dates. Price noise σ = ${PRICE_NOISE_SIGMA} (log-normal).

| measure | value | target |
| --- | ---: | --- |
| MAPE of the point value | ${pct(mape)} | ≤ 1.25 × noise floor = ${pct(1.25 * noise)} |
| noise floor (MAPE of the generator's noise-free median) | ${pct(noise)} | — |
| MAPE ÷ noise floor | ${ratio.toFixed(3)} | ≤ 1.25 |
| true price inside P10–P90 | ${pct(coverage)} | 80% ± 5% |
| below P10 / above P90 | ${pct(below / n)} / ${pct((n - inside - below) / n)} | ~10% / ~10% |

Model built in ${buildMs.toFixed(0)} ms (calibration factor ${model.calibration.toFixed(3)}, fitted σ ${model.fitted.sigma.toFixed(4)}); ${(valueMs / n).toFixed(3)} ms per valuation. Result: **${pass ? "pass" : "FAIL"}**.
`;
console.log(md);
if (process.env.EVAL_WRITE !== "0") writeSection("core-valuation", md);
process.exitCode = pass ? 0 : 1;
