/**
 * Merkle build benchmark: our buildTree vs @openzeppelin/merkle-tree's StandardMerkleTree.of over the
 * same 100,000 record hashes, in the same process; checks both give the same root, then writes the
 * "merkle" section of docs/benchmarks.md. Exits 1 if ours is not at least 20× faster.
 *
 *   npm run bench:merkle   (env: LEAVES=100000, RUNS=3, WARM_UP=2000; NO_WRITE=1 leaves the doc alone)
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256 } from "ethers";
import { buildTree, initHashing, verifyRecordProof } from "../../src/core/merkle.js";
import { machine, writeSection } from "./report.js";

const LEAVES = Number(process.env.LEAVES ?? 100_000);
const PROOFS = 1_000;
const REQUIRED_SPEEDUP = 20;
const WARM_UP = Number(process.env.WARM_UP ?? 2_000);
const RUNS = Number(process.env.RUNS ?? 3);

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

// Record hashes of distinct canonical records, read back from JSON as the API would load a batch
// (also flattens the strings ethers builds piecewise, which would bill whichever build runs first).
const recordHashes: string[] = JSON.parse(JSON.stringify(
  Array.from({ length: LEAVES }, (_, i) => keccak256(new TextEncoder().encode(`{"n":${i}}`))),
));

let start = performance.now();
await initHashing();
const initSeconds = seconds(start);

// Warm both up on a small batch first, so neither figure includes JIT compilation.
buildTree(recordHashes.slice(0, WARM_UP));
StandardMerkleTree.of(recordHashes.slice(0, WARM_UP).map((h) => [h]), ["bytes32"]);

// Interleaved runs, median of each: the machine is shared, so load hits both sides alike.
const oursRuns: number[] = [];
const theirsRuns: number[] = [];
let ours = buildTree(recordHashes.slice(0, 1));
let theirs = StandardMerkleTree.of([[recordHashes[0]]], ["bytes32"]);
for (let run = 0; run < RUNS; run++) {
  start = performance.now();
  ours = buildTree(recordHashes);
  oursRuns.push(seconds(start));
  start = performance.now();
  theirs = StandardMerkleTree.of(recordHashes.map((h) => [h]), ["bytes32"]);
  theirsRuns.push(seconds(start));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const oursSeconds = median(oursRuns);
const theirsSeconds = median(theirsRuns);

if (ours.root !== theirs.root) {
  console.error(`root mismatch: ours ${ours.root}, StandardMerkleTree ${theirs.root}`);
  process.exit(1);
}

const picks = Array.from({ length: PROOFS }, (_, k) => Math.floor((k * LEAVES) / PROOFS));
start = performance.now();
const proofs = picks.map((i) => ours.proofFor(i));
const oursProofMs = (seconds(start) * 1000) / PROOFS;
start = performance.now();
const theirProofs = picks.slice(0, 100).map((i) => theirs.getProof(i));
const theirsProofMs = (seconds(start) * 1000) / 100;
start = performance.now();
const allValid = picks.every((i, k) => verifyRecordProof(recordHashes[i], proofs[k], ours.root));
const verifyMs = (seconds(start) * 1000) / PROOFS;
const sameProofs = theirProofs.every((p, k) => JSON.stringify(p) === JSON.stringify(proofs[k]));
if (!allValid || !sameProofs) {
  console.error(`proof check failed: valid ${allValid}, same as library ${sameProofs}`);
  process.exit(1);
}

const speedup = theirsSeconds / oursSeconds;
const date = new Date().toISOString().slice(0, 10);
const markdown = `## Merkle batch trees (\`npm run bench:merkle\`)

Measured ${date} on ${machine()}; ${LEAVES.toLocaleString("en")} record hashes, both builds in the same process, median of ${RUNS} interleaved runs each (ours: ${oursRuns.map((x) => x.toFixed(3)).join(", ")} s; library: ${theirsRuns.map((x) => x.toFixed(2)).join(", ")} s), same root checked (\`${ours.root}\`).

| what | ours (\`buildTree\`, hash-wasm) | \`StandardMerkleTree\` |
| --- | ---: | ---: |
| build ${LEAVES.toLocaleString("en")} leaves (median) | ${oursSeconds.toFixed(3)} s | ${theirsSeconds.toFixed(3)} s |
| one proof (mean) | ${oursProofMs.toFixed(4)} ms (${PROOFS}) | ${theirsProofMs.toFixed(3)} ms (100) |
| verify one record proof (mean) | ${verifyMs.toFixed(4)} ms | — |

Build speed-up: **${speedup.toFixed(1)}×** (required ≥ ${REQUIRED_SPEEDUP}×). Both builds were warmed up on ${WARM_UP.toLocaleString("en")} leaves first. WASM keccak initialisation, once per process: ${(initSeconds * 1000).toFixed(1)} ms (not in the build figure). Proofs compared equal to the library's for 100 leaves.`;

console.log(markdown);
if (process.env.NO_WRITE !== "1") writeSection("merkle", markdown);
if (speedup < REQUIRED_SPEEDUP) {
  console.error(`too slow: ${speedup.toFixed(1)}× < ${REQUIRED_SPEEDUP}×`);
  process.exit(1);
}
