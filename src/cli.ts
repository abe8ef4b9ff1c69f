/**
 * The `debtrail` command (bin/debtrail.js runs this file). Talks to the API over HTTP, except
 * `deploy` and `serve`, which need the chain and the store directly, and `verify`, which needs
 * nothing but a JSON-RPC endpoint.
 * Exit codes: 0 done (verify: verified), 1 failed (verify: not verified), 2 usage error,
 * 3 partly failed, 4 service (or chain node) unavailable.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { t, langFrom, type Lang } from "./i18n/messages.js";
import { parseClaimsFile } from "./cli/claims-file.js";
import { formatMajor } from "./core/money.js";
import { DebtrailError } from "./core/errors.js";
import { EXIT, CliExit, errorMessage, request, progress, type Ctx } from "./cli/common.js";
import { importLoanStatus, importCases, assess } from "./cli/imports.js";

export { EXIT };

/**
 * The claim `query` names: a full claim id as it is, else a search (GET /v1/claims?q=) by contract number, claim
 * id prefix or debtor's name among the claims the key may see — one match, or one whose contract number is
 * exactly the query; several → exit 1 with the list.
 */
async function findClaim(ctx: Ctx, query: string): Promise<{ claimId: string; contractNo?: string }> {
  if (/^0x[0-9a-fA-F]{64}$/.test(query)) return { claimId: query.toLowerCase() };
  const found = await request(ctx, "GET", `/v1/claims?${new URLSearchParams({ q: query, limit: "20" })}`);
  const claims = found.claims as Array<{ claimId: string; contractNo: string; debtorName?: string; holderName: string | null; holder: string }>;
  const exact = claims.filter((c) => c.contractNo.toUpperCase() === query.trim().toUpperCase());
  const one = exact.length === 1 ? exact[0] : claims.length === 1 ? claims[0] : undefined;
  if (one) return one;
  if (claims.length === 0) throw new CliExit(EXIT.failed, t(ctx.lang, "status.noMatch", { query }));
  const lines = claims.map((c) => `  ${c.contractNo}  ${c.claimId}  ${c.debtorName ?? ""}  ${c.holderName ?? c.holder}`.trimEnd());
  throw new CliExit(EXIT.failed, [t(ctx.lang, "status.ambiguous", { count: found.total, query }), ...lines].join("\n"));
}

async function status(ctx: Ctx, query: string | undefined): Promise<number> {
  if (!query) throw new CliExit(EXIT.usage, t(ctx.lang, "cli.missingArg", { name: "claimId" }));
  const { claimId } = await findClaim(ctx, query);
  const [claim, history] = await Promise.all([request(ctx, "GET", `/v1/claims/${claimId}`), request(ctx, "GET", `/v1/claims/${claimId}/history`)]);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ...claim, history: history.events }, null, 2));
    return EXIT.ok;
  }
  const c = claim.onChain;
  ctx.out(t(ctx.lang, "status.title", { claimId }));
  if (claim.offChain?.contractNo) ctx.out(`  ${t(ctx.lang, "status.contractNo")}: ${claim.offChain.contractNo}`);
  if (c) {
    ctx.out(`  ${t(ctx.lang, "status.holder")}: ${c.holder}`);
    ctx.out(`  ${t(ctx.lang, "status.principal")}: ${formatMajor(BigInt(c.principal))} ${c.currency}`);
    ctx.out(`  ${t(ctx.lang, "status.outstanding")}: ${formatMajor(BigInt(c.outstanding))} ${c.currency}`);
  }
  ctx.out(`  ${t(ctx.lang, "status.history")}:`);
  for (const e of history.events) {
    const price = e.price ? formatMajor(BigInt(e.price)) : "";
    ctx.out(`    ${e.timestamp}  ${t(ctx.lang, `status.event.${e.type}` as "status.event.registered", { ...e, price })}  tx ${e.txHash}`);
  }
  return EXIT.ok;
}

async function importClaims(ctx: Ctx, file: string | undefined): Promise<number> {
  if (!file) throw new CliExit(EXIT.usage, t(ctx.lang, "cli.missingArg", { name: "file" }));
  let claims;
  try {
    claims = parseClaimsFile(file, await readFile(file, "utf8"));
  } catch (e) {
    if (e instanceof DebtrailError) throw new CliExit(EXIT.failed, e.message);
    throw new CliExit(EXIT.failed, String((e as Error).message));
  }
  if (!ctx.json) ctx.err(t(ctx.lang, "import.reading", { count: claims.length, file }));
  const { jobId } = await request(ctx, "POST", "/v1/claims/batch", { claims });
  let job;
  const bar = progress(ctx, t(ctx.lang, "import.progress"));
  for (;;) {
    job = await request(ctx, "GET", `/v1/jobs/${jobId}?limit=1`);
    bar.update(job.done, job.total);
    if (job.status === "done") break;
    await new Promise((r) => setTimeout(r, 300));
  }
  bar.end();
  // The failed rows, a page at a time (an import may have 100,000 rows).
  const failures: Array<{ index: number; claimId?: string; error?: { message: string } }> = [];
  for (let after: number | null = null; ;) {
    const page: { results: typeof failures; nextAfter: number | null } = await request(ctx, "GET", `/v1/jobs/${jobId}?failed=true${after === null ? "" : `&after=${after}`}`);
    failures.push(...page.results);
    if (page.nextAfter === null) break;
    after = page.nextAfter;
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ jobId, total: job.total, registered: job.registered, failed: job.failed, failures }, null, 2));
  } else {
    ctx.out(t(ctx.lang, "import.summary", { registered: job.registered, failed: job.failed, total: job.total, jobId }));
    // One numbering for people: row n of the file (from 1), and for a CSV file its line (the header is line 1),
    // never the request's 0-based claims[i] alone.
    const csv = /\.csv$/i.test(file);
    for (const f of failures) {
      const message = `${f.claimId ? `${f.claimId}: ` : ""}${errorMessage(f.error ?? {}, 400, ctx.lang)}`;
      ctx.out("  " + (csv ? t(ctx.lang, "import.rowFailureLine", { row: f.index + 1, line: f.index + 2, message }) : t(ctx.lang, "import.rowFailure", { row: f.index + 1, message })));
    }
  }
  if (job.failed === 0) return EXIT.ok;
  return job.registered > 0 ? EXIT.partial : EXIT.failed;
}

async function deploy(ctx: Ctx): Promise<number> {
  const { loadConfig, deployOptionsFrom } = await import("./config/config.js");
  const { deployDebtrail } = await import("./chain/deploy.js");
  const config = loadConfig();
  const d = await deployDebtrail({
    ...deployOptionsFrom(config),
    log: (line) => !ctx.json && ctx.err(line),
  });
  ctx.out(ctx.json ? JSON.stringify(d, null, 2) : t(ctx.lang, "deploy.done", { address: d.contracts.ClaimRegistry.address, chainId: d.chainId }));
  return EXIT.ok;
}

async function verify(ctx: Ctx, file: string | undefined, rpc: string | undefined): Promise<number> {
  if (!file) throw new CliExit(EXIT.usage, t(ctx.lang, "cli.missingArg", { name: "bundle.json" }));
  if (!rpc) throw new CliExit(EXIT.usage, t(ctx.lang, "verify.missingRpc"));
  const { readBundleFile, connectRpc, verifyBundleWith, certificateLines, BundleFileError, RpcUnavailableError } = await import("./cli/verify.js");
  let bundle: unknown;
  try {
    bundle = await readBundleFile(file);
  } catch (e) {
    if (!(e instanceof BundleFileError)) throw e;
    const reason = e.errno === "ENOENT" ? t(ctx.lang, "verify.noSuchFile") : e.errno === "EISDIR" ? t(ctx.lang, "verify.isDirectory") : e.reason;
    throw new CliExit(EXIT.usage, t(ctx.lang, e.problem === "unreadable" ? "verify.unreadable" : "verify.notJson", { file, reason }));
  }
  let provider;
  try {
    provider = await connectRpc(rpc);
  } catch (e) {
    if (!(e instanceof RpcUnavailableError)) throw e;
    throw new CliExit(EXIT.unavailable, t(ctx.lang, "verify.rpcUnavailable", { url: rpc, reason: e.reason }));
  }
  try {
    const certificate = await verifyBundleWith(bundle, provider, rpc);
    ctx.out(ctx.json ? JSON.stringify(certificate, null, 2) : certificateLines(ctx.lang, certificate).join("\n"));
    return certificate.verified ? EXIT.ok : EXIT.failed;
  } catch (e) {
    // ethers refuses some malformed values itself (e.g. an address with a wrong checksum): the bundle's fault, not the node's.
    if ((e as { code?: string }).code === "INVALID_ARGUMENT") throw new CliExit(EXIT.failed, String((e as Error).message));
    throw new CliExit(EXIT.unavailable, t(ctx.lang, "verify.rpcUnavailable", { url: rpc, reason: String((e as Error).message ?? e) }));
  } finally {
    provider.destroy();
  }
}

async function serve(): Promise<number> {
  const { startServer } = await import("./api/server.js");
  const server = await startServer();
  await new Promise<void>((resolve) => {
    for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => void server.close().then(() => resolve()));
  });
  return EXIT.ok;
}

/**
 * The oracle daemon as its own process (src/oracle/main.ts), without HTTP: beside `debtrail serve` on the
 * same DATA_DIR (the store is shared, src/store/shared.ts), or alone. Prints its status when started and
 * each cycle's outcome (one JSON object a line with --json).
 */
async function oracle(ctx: Ctx): Promise<number> {
  const { loadConfig } = await import("./config/config.js");
  const { startOracleProcess } = await import("./oracle/main.js");
  const config = loadConfig({ ...process.env, ORACLE_ENABLED: "1" });
  const daemon = await startOracleProcess(config);
  const status = await daemon.oracle.status();
  ctx.err(t(ctx.lang, "oracle.started", { interval: String(config.oracle.intervalMs), peers: String(config.oracle.peers.length) }));
  ctx.out(ctx.json ? JSON.stringify({ ...status, store: daemon.storeRole() }) : t(ctx.lang, "oracle.status", {
    signer: status.signer, quorum: status.quorum, waiting: status.waitingClaims, pending: status.pendingReports,
    last: status.lastCycle?.finishedAt ?? "-", store: t(ctx.lang, daemon.storeRole() === "host" ? "oracle.store.host" : "oracle.store.guest"),
  }));
  daemon.start((c) => {
    ctx.out(ctx.json ? JSON.stringify({ cycle: c }) : t(ctx.lang, "oracle.cycle", {
      at: c.finishedAt, considered: c.considered, planned: c.planned, submitted: c.submitted, applied: c.applied,
      failed: c.failed, notices: c.notices, waiting: c.waitingForSignatures,
    }));
  });
  await new Promise<void>((resolve) => {
    for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => resolve());
  });
  await daemon.close();
  return EXIT.ok;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        api: { type: "string" },
        key: { type: "string" },
        json: { type: "boolean", default: false },
        lang: { type: "string" },
        rpc: { type: "string" },
        chunk: { type: "string" },
        "as-of": { type: "string" },
        yes: { type: "boolean", default: false },
        org: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    io.err((e as Error).message);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const ctx: Ctx = {
    api: (values.api ?? process.env.DEBTRAIL_API_URL ?? "http://127.0.0.1:8080").replace(/\/$/, ""),
    key: values.key ?? process.env.DEBTRAIL_API_KEY,
    json: values.json ?? false,
    lang: langFrom(values.lang ?? process.env.DEBTRAIL_LANG ?? process.env.LANG),
    asOf: values["as-of"],
    ...io,
  };
  if (values.chunk !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(values.chunk)) {
      io.err(t(ctx.lang, "cli.badOption", { name: "--chunk", rule: "1–999999" }));
      return EXIT.usage;
    }
    ctx.chunk = Number(values.chunk);
  }
  const [command, ...rest] = positionals;
  try {
    if (values.help || !command) {
      io.out(t(ctx.lang, "cli.usage"));
      return command || values.help ? EXIT.ok : EXIT.usage;
    }
    switch (command) {
      case "status":
        return await status(ctx, rest[0]);
      case "import":
        if (rest[0] === "claims") return await importClaims(ctx, rest[1]);
        if (rest[0] === "loan-status") return await importLoanStatus(ctx, rest[1]);
        if (rest[0] === "cases") return await importCases(ctx, rest[1]);
        throw new CliExit(EXIT.usage, t(ctx.lang, "cli.unknownCommand", { command: `import ${rest[0] ?? ""}` }));
      case "assess":
        return await assess(ctx, rest[0]);
      case "deploy":
        return await deploy(ctx);
      case "serve":
        return await serve();
      case "oracle":
        return await oracle(ctx);
      case "council": {
        const { councilCommand } = await import("./cli/council.js");
        return await councilCommand(ctx, rest, { yes: values.yes ?? false, org: values.org, rpc: values.rpc });
      }
      case "verify":
        return await verify(ctx, rest[0], values.rpc ?? process.env.CHAIN_RPC_URL);
      default:
        throw new CliExit(EXIT.usage, `${t(ctx.lang, "cli.unknownCommand", { command })}\n\n${t(ctx.lang, "cli.usage")}`);
    }
  } catch (e) {
    if (e instanceof CliExit) {
      io.err(e.message);
      return e.code;
    }
    io.err(String((e as Error).message ?? e));
    return EXIT.failed;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
