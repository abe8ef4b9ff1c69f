/**
 * `npm run bench:api`: API throughput with autocannon — a read route (GET /v1/claims/:id, which reads
 * the chain and the store) and a write route (POST /v1/evidence, a synced LevelDB batch per request)
 * against a bare Fastify hello-world on the same machine, in the same run. Writes docs/benchmarks.md.
 */
import autocannon from "autocannon";
import Fastify from "fastify";
import { startStack, call, claimRequest, appScope } from "../../test/helpers/stack.js";
import { createReadCache } from "../../src/chain/read-cache.js";
import { machine, writeSection } from "./report.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const BATCH = 100;

type Result = { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((ok, fail) => autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (err, r) => (err ? fail(err) : ok(r as unknown as Result))));
}

// The reference: Fastify answering {hello: "world"}.
const hello = Fastify({ logger: false });
hello.get("/", async () => ({ hello: "world" }));
await hello.listen({ port: 0, host: "127.0.0.1" });
const helloUrl = `http://127.0.0.1:${(hello.server.address() as { port: number }).port}/`;
const reference = await run({ url: helloUrl });
await hello.close();

const stack = await startStack({ RATE_LIMIT_PER_MINUTE: "10000000", EVIDENCE_BATCH_AGE_MS: "1000", ORACLE_ENABLED: "0" });
try {
  const claimId = (await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("BENCH-API-1"))).body.claimId;
  const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [claimId], to: amc, packageId: "BENCH-API", price: "1", notice: "通知" });
  const read = await run({ url: `${stack.baseUrl}/v1/claims/${claimId}`, headers: { authorization: "Bearer dev-amc" } });
  // The same route with a cache that keeps nothing: every request makes its chain calls (the reference
  // for what the cache buys).
  const chain = appScope(stack.api).chain;
  const cached = chain.reads;
  chain.reads = createReadCache(chain.provider, 0);
  const uncached = await run({ url: `${stack.baseUrl}/v1/claims/${claimId}`, headers: { authorization: "Bearer dev-amc" } });
  chain.reads = cached;
  let n = 0;
  const write = await run({
    url: `${stack.baseUrl}/v1/evidence`,
    method: "POST",
    headers: { authorization: "Bearer dev-amc", "content-type": "application/json" },
    requests: [{
      method: "POST",
      setupRequest: (req) => {
        n++;
        return {
          ...req,
          body: JSON.stringify({
            claimId, kind: "letter", channel: "post", direction: "outbound", actor: "bench",
            occurredAt: new Date().toISOString(), // recorded as it happens (after the sale, not backdated)
            counterparty: { phone: "13800138000", relation: "debtor" }, content: `催收函 ${n}`,
          }),
        };
      },
    }],
  });
  // The same records 100 to a request (what a collection system's nightly upload does).
  let m = 0;
  const batchWrite = await run({
    url: `${stack.baseUrl}/v1/evidence/batch`,
    method: "POST",
    headers: { authorization: "Bearer dev-amc", "content-type": "application/json" },
    requests: [{
      method: "POST",
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          records: Array.from({ length: BATCH }, () => {
            m++;
            return {
              claimId, kind: "letter", channel: "post", direction: "outbound", actor: "bench",
              occurredAt: new Date().toISOString(),
              counterparty: { phone: "13800138000", relation: "debtor" }, content: `催收函 B${m}`,
            };
          }),
        }),
      }),
    }],
  });
  const row = (name: string, r: Result, ref: Result) =>
    `| ${name} | ${Math.round(r.requests.average).toLocaleString("en-US")} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${(r.requests.average / ref.requests.average * 100).toFixed(1)}% | ${r.non2xx + r.errors} |`;
  const lines = [
    "## API throughput (`npm run bench:api`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; autocannon, ${CONNECTIONS} connections, ${DURATION} s each, all in one run; API in-process with a local \`hardhat node\`.`,
    "",
    "| route | requests/s | p50 | p99 | vs hello-world | non-2xx + errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    row("bare Fastify hello-world (reference)", reference, reference),
    row("`GET /v1/claims/:id` (chain reads cached per block + store)", read, reference),
    row("`GET /v1/claims/:id` with nothing cached (four chain calls a request)", uncached, reference),
    row("`POST /v1/evidence` (compliance, hash chain, synced LevelDB batch)", write, reference),
    row(`\`POST /v1/evidence/batch\` (${BATCH} records a request)`, batchWrite, reference),
    "",
    `The read route asks the node for its head block on every request and reads the claim's registration, holder, terms and restriction at that block, cached per block hash (src/chain/read-cache.ts: a new or reorganised block misses); with nothing cached it makes its four chain calls on every request (second row, measured in the same run). ` +
      `The write route is durable before it answers: one synced LevelDB batch per request, and a claim's records are chained one after another (each names the previous one's hash), so single records are bound by the disk's sync; the batch route shares one sync among ${BATCH} records: ${Math.round(batchWrite.requests.average * BATCH).toLocaleString("en-US")} records/s here (non-2xx: ${batchWrite.non2xx}).`,
  ];
  console.log(lines.join("\n"));
  writeSection("api", lines.join("\n"));
} finally {
  await stack.stop();
}
