/**
 * `npm run bench:api`: API throughput with autocannon — a read route (GET /v1/claims/:id, which reads
 * the chain and the store) and a write route (POST /v1/evidence, a synced LevelDB batch per request)
 * against a bare Fastify hello-world on the same machine, in the same run. Writes docs/benchmarks.md.
 */
import autocannon from "autocannon";
import Fastify from "fastify";
import { startStack, call, claimRequest } from "../../test/helpers/stack.js";
import { machine, writeSection } from "./report.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

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
            occurredAt: new Date(Date.UTC(2026, 9, 1) + n * 1000).toISOString(),
            counterparty: { phone: "13800138000", relation: "debtor" }, content: `催收函 ${n}`,
          }),
        };
      },
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
    row("`GET /v1/claims/:id` (chain reads + store)", read, reference),
    row("`POST /v1/evidence` (compliance, hash chain, synced LevelDB batch)", write, reference),
    "",
    "The read route asks the chain node for the claim's registration, holder, terms and restriction on every request; the write route is durable before it answers (one synced LevelDB batch per record).",
  ];
  console.log(lines.join("\n"));
  writeSection("api", lines.join("\n"));
} finally {
  await stack.stop();
}
