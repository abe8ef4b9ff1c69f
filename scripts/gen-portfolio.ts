/**
 * `npm run gen:portfolio -- [--seed 1] [--loans 10000] [--cases 20000] [--asOf 2025-06-30] [--out data/synthetic]`
 *
 * Writes a seeded, reproducible synthetic portfolio and case history (see src/core/synthetic.ts for the
 * price model and its noise level):
 * - portfolio.json: a POST /v1/assessments request body
 * - comparables.json and comparables.csv: the case history (market sales and judicial-auction attempts)
 */
import { mkdirSync, writeFileSync, createWriteStream } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateCaseHistory, generatePortfolio, PRICE_NOISE_SIGMA } from "../src/core/synthetic.js";
import { comparableToRow, COMPARABLE_COLUMNS } from "../src/core/comparables.js";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    loans: { type: "string", default: "10000" },
    cases: { type: "string", default: "20000" },
    asOf: { type: "string", default: "2025-06-30" },
    out: { type: "string", default: "data/synthetic" },
  },
});
const seed = Number(values.seed);
mkdirSync(values.out!, { recursive: true });

const portfolio = generatePortfolio(seed, { count: Number(values.loans), asOf: values.asOf });
await writeJsonStream(join(values.out!, "portfolio.json"), portfolio);
const { cases } = generateCaseHistory(seed, { count: Number(values.cases), to: values.asOf });
const rows = cases.map(comparableToRow);
writeFileSync(join(values.out!, "comparables.json"), JSON.stringify(rows));
const csv = [COMPARABLE_COLUMNS.join(","), ...rows.map((r) => COMPARABLE_COLUMNS.map((c) => (r as unknown as Record<string, unknown>)[c] ?? "").join(","))].join("\n");
writeFileSync(join(values.out!, "comparables.csv"), csv + "\n");
console.log(`seed ${seed}: ${portfolio.loans.length} loans, ${portfolio.debtors?.length ?? 0} debtor records, ${cases.length} cases (price noise σ = ${PRICE_NOISE_SIGMA}) → ${values.out}`);

/** Streams the portfolio loan by loan so a million loans never build one giant string. */
function writeJsonStream(file: string, body: ReturnType<typeof generatePortfolio>): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    out.on("error", reject);
    out.write(`{"asOf":${JSON.stringify(body.asOf)},"debtors":${JSON.stringify(body.debtors ?? [])},"loans":[`);
    body.loans.forEach((l, i) => out.write((i ? "," : "") + JSON.stringify(l)));
    out.end("]}\n", () => resolve());
  });
}
