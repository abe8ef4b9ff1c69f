/**
 * `debtrail council …`: an organisation's operator runs the council (contracts/Council.sol, k-of-n behind a
 * timelock; the chain's only ADMIN) with the organisation's own key: `status`, `propose <change>`,
 * `approve <id>`, `execute <id>`, `cancel <id>`. Every step shows in words what the calls do before it
 * sends anything (a member approves only what it read; `--yes` skips the question), and every step is
 * idempotent: one already done says so. Exit codes: 0 done (or already done), 1 refused or declined,
 * 2 usage, 4 chain node unreachable.
 */
import { createInterface } from "node:readline/promises";
import { Wallet, getAddress, type Signer } from "ethers";
import { Council__factory } from "../../types/ethers-contracts/index.js";
import { CHAIN_ROLES, type ChainRole } from "../config/roles.js";
import { councilMemberFrom, type CouncilMemberConfig } from "../config/council.js";
import { connectProvider, type FastJsonRpcProvider } from "../chain/provider.js";
import { readDeployment, type Deployment } from "../chain/deployment.js";
import { TIMELOCK_ABI, type CouncilCall } from "../chain/council.js";
import { callsOf, describeCall, inEffect, type CouncilChange } from "../chain/council-calls.js";
import { councilOperations, councilView, currentOperationOf, type CouncilOperation, type CouncilView } from "../chain/council-ops.js";
import { ct } from "../i18n/council.js";
import { ValidationError } from "../core/errors.js";
import { Contract } from "ethers";
import { EXIT, CliExit, type Ctx } from "./common.js";

export interface CouncilOptions {
  yes: boolean;
  org?: string;
  rpc?: string;
  /** Asks a question on the terminal; the answer (empty at the end of input). */
  ask?: (question: string) => Promise<string>;
}

const ZERO32 = `0x${"0".repeat(64)}`;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

interface Session {
  ctx: Ctx;
  opts: CouncilOptions;
  cfg: CouncilMemberConfig;
  provider: FastJsonRpcProvider;
  deployment: Deployment;
  view: CouncilView;
  /** This organisation's accounts (by its keys). */
  mine: Wallet[];
}

async function askTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string>((ok) => {
      rl.once("close", () => ok(""));
      void rl.question(question).then(ok, () => ok(""));
    });
  } finally {
    rl.close();
  }
}

function usage(ctx: Ctx, name: string, ruleKey: string, vars: Record<string, string> = {}): CliExit {
  return new CliExit(EXIT.usage, `${ct(ctx.lang, "council.badArg", { name, rule: ct(ctx.lang, ruleKey, vars) })}\n\n${ct(ctx.lang, "council.usage")}`);
}

/** The change `args` name (after `propose`). */
export function parseChange(ctx: Ctx, args: string[]): CouncilChange {
  const [kind, a, b] = args;
  const int = (v: string | undefined, name: string, max: number, rule: string) => {
    if (!v || !/^[1-9][0-9]*$/.test(v) || Number(v) > max) throw usage(ctx, name, rule);
    return Number(v);
  };
  switch (kind) {
    case "grant":
    case "revoke": {
      const role = (a ?? "").toUpperCase();
      // ADMIN is the council's own: granting it to an organisation would end "no single administrator".
      const roles = CHAIN_ROLES.filter((r) => r !== "ADMIN");
      if (!(roles as readonly string[]).includes(role)) throw usage(ctx, "<ROLE>", "council.rule.role", { roles: roles.join(", ") });
      if (!b || !ADDRESS.test(b)) throw usage(ctx, "<account>", "council.rule.address");
      return { kind, role: role as ChainRole, account: getAddress(b.toLowerCase()) };
    }
    case "quorum":
      return { kind, quorum: int(a, "<k>", 100, "council.rule.quorum") };
    case "report-age":
      return { kind, seconds: int(a, "<seconds>", 30 * 86_400, "council.rule.seconds") };
    case "lift-restriction":
      if (!a || !BYTES32.test(a)) throw usage(ctx, "<claimId>", "council.rule.bytes32");
      return { kind, claimId: a.toLowerCase() };
    case "pause":
    case "unpause":
      return { kind };
    default:
      throw usage(ctx, "<change>", "council.rule.change");
  }
}

async function open(ctx: Ctx, opts: CouncilOptions): Promise<Session> {
  let cfg: CouncilMemberConfig;
  try {
    cfg = councilMemberFrom(process.env, opts.org, opts.rpc);
  } catch (e) {
    if (e instanceof ValidationError) throw new CliExit(EXIT.usage, e.message);
    throw e;
  }
  const deployment = await readDeployment(cfg.deploymentFile);
  if (!deployment) throw new CliExit(EXIT.failed, ct(ctx.lang, "council.noDeployment", { file: cfg.deploymentFile }));
  let provider: FastJsonRpcProvider;
  let view: CouncilView;
  try {
    provider = await connectProvider(cfg.rpcUrl);
    view = await councilView(provider, deployment);
  } catch (e) {
    throw new CliExit(EXIT.unavailable, ct(ctx.lang, "council.rpcUnavailable", { url: cfg.rpcUrl, reason: String((e as Error).message ?? e).slice(0, 200) }));
  }
  return { ctx, opts, cfg, provider, deployment, view, mine: cfg.keys.map((k) => new Wallet(k, provider)) };
}

/** An account for people: its organisation's name where known, "(you)" for this organisation's. */
function who(s: Session, address: string): string {
  const name = s.cfg.names[address.toLowerCase()];
  const you = s.mine.some((w) => w.address.toLowerCase() === address.toLowerCase()) ? ct(s.ctx.lang, "council.you") : "";
  return `${name ? `${name} ` : ""}${address}${you}`;
}

/** The signer of a member step: this organisation's account that is a member, else refused (named). */
function memberSigner(s: Session): Signer {
  if (s.mine.length === 0) throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.noKey"));
  const members = new Set(s.view.members.map((m) => m.toLowerCase()));
  const member = s.mine.find((w) => members.has(w.address.toLowerCase()));
  if (!member) {
    throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.notMember", {
      accounts: s.mine.map((w) => w.address).join(", "), members: s.view.members.map((m) => who(s, m)).join(", "),
    }));
  }
  return member;
}

function when(s: Session, readyAt: number): { readyAt: string; left: string } {
  const seconds = Math.max(0, readyAt - s.view.chainTime);
  const h = Math.floor(seconds / 3600);
  const min = Math.ceil((seconds % 3600) / 60);
  return { readyAt: new Date(readyAt * 1000).toISOString(), left: h > 0 ? `${h} h ${min} min` : `${min} min` };
}

function delayText(seconds: number): string {
  return seconds % 86_400 === 0 && seconds > 0 ? `${seconds / 86_400} d (${seconds} s)` : seconds % 3600 === 0 && seconds > 0 ? `${seconds / 3600} h (${seconds} s)` : `${seconds} s`;
}

function stateLine(s: Session, op: CouncilOperation): string {
  const approvals = op.approvedBy.length;
  const missing = s.view.members.filter((m) => !op.approvedBy.includes(m));
  return ct(s.ctx.lang, `council.state.${op.state}`, {
    approvals, threshold: op.threshold, approvedBy: op.approvedBy.map((m) => who(s, m)).join(", ") || "-",
    missing: missing.map((m) => who(s, m)).join(", ") || "-", ...(op.readyAt ? when(s, op.readyAt) : {}),
  });
}

/** The calls in words, one a line; a warning above them when one is not recognised. */
function callLines(s: Session, calls: readonly CouncilCall[]): string[] {
  const texts = calls.map((c) => describeCall(c, s.deployment));
  return [
    ...(texts.some((t) => t.unknown) ? [ct(s.ctx.lang, "council.unknownWarning")] : []),
    ct(s.ctx.lang, "council.calls"),
    ...texts.map((t, i) => `  ${i + 1}. ${ct(s.ctx.lang, t.key, t.vars)}`),
  ];
}

function operationLines(s: Session, op: CouncilOperation): string[] {
  return [
    `${ct(s.ctx.lang, "council.operation", { id: op.id })} — ${ct(s.ctx.lang, "council.proposedBy", { member: who(s, op.proposer) })}`,
    `  ${stateLine(s, op)}`,
    ...(op.cancel ? [`  ${ct(s.ctx.lang, "council.cancelVotes", { approvals: op.cancel.approvedBy.length, threshold: op.threshold, approvedBy: op.cancel.approvedBy.map((m) => who(s, m)).join(", ") || "-" })}`] : []),
    ...callLines(s, op.calls).map((l) => `  ${l}`),
  ];
}

/** Asks before sending, unless --yes; a "no" (or the end of input) ends the command: nothing sent. */
async function confirm(s: Session): Promise<void> {
  if (s.opts.yes) return;
  const answer = await (s.opts.ask ?? askTerminal)(ct(s.ctx.lang, "council.confirm"));
  if (!/^(y|yes|是|确认)$/i.test(answer.trim())) throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.declined"));
}

/** Sends a council transaction; a revert is a refusal naming the contract's error. */
async function send(s: Session, tx: () => Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  try {
    await (await tx()).wait();
  } catch (e) {
    const revert = (e as { revert?: { name: string; args: unknown[] } }).revert;
    const reason = revert ? `${revert.name}(${revert.args.map(String).join(", ")})` : String((e as { shortMessage?: string }).shortMessage ?? (e as Error).message);
    throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.revert", { reason }));
  }
}

async function one(s: Session, id: string | undefined): Promise<CouncilOperation> {
  if (!id || !BYTES32.test(id)) throw usage(s.ctx, "<operationId>", "council.rule.bytes32");
  const [op] = await councilOperations(s.provider, s.deployment, id.toLowerCase());
  if (!op) throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.unknownOperation", { id }));
  return op;
}

const batch = (op: { calls: CouncilCall[]; salt: string }) =>
  [op.calls.map((c) => c.to), op.calls.map((c) => c.value ?? 0n), op.calls.map((c) => c.data), op.salt] as const;

/** Schedules `op` at the timelock once k members approved (anyone may); says from when it may run. */
async function scheduleIfApproved(s: Session, signer: Signer, op: CouncilOperation): Promise<CouncilOperation> {
  if (op.state !== "approved") return op;
  await send(s, () => Council__factory.connect(s.view.address, signer).schedule(...batch(op)));
  const [now] = await councilOperations(s.provider, s.deployment, op.id);
  s.view = await councilView(s.provider, s.deployment);
  if (now!.readyAt) s.ctx.out(ct(s.ctx.lang, "council.scheduled", when(s, now!.readyAt)));
  return now!;
}

async function status(s: Session): Promise<number> {
  const ops = await councilOperations(s.provider, s.deployment);
  if (s.ctx.json) {
    s.ctx.out(JSON.stringify({
      ...s.view, you: s.mine.map((w) => w.address),
      operations: ops.map((op) => ({ ...op, approvals: op.approvedBy.length, calls: op.calls.map((c) => ({ to: c.to, value: String(c.value ?? 0n), data: c.data, text: ct(s.ctx.lang, describeCall(c, s.deployment).key, describeCall(c, s.deployment).vars) })) })),
    }, null, 2));
    return EXIT.ok;
  }
  const pending = ops.filter((op) => op.state !== "executed" && op.state !== "cancelled");
  s.ctx.out(ct(s.ctx.lang, "council.header", { council: s.view.address, timelock: s.view.timelock, threshold: s.view.threshold, members: s.view.members.length, delay: delayText(s.view.delaySeconds) }));
  s.ctx.out(ct(s.ctx.lang, "council.members"));
  for (const m of s.view.members) s.ctx.out(`  ${who(s, m)}`);
  s.ctx.out(pending.length ? ct(s.ctx.lang, "council.pending", { count: pending.length }) : ct(s.ctx.lang, "council.noPending"));
  for (const op of pending) s.ctx.out(operationLines(s, op).map((l) => `  ${l}`).join("\n"));
  const done = ops.length - pending.length;
  if (done) s.ctx.out(ct(s.ctx.lang, "council.finished", { executed: ops.filter((o) => o.state === "executed").length, cancelled: ops.filter((o) => o.state === "cancelled").length }));
  return EXIT.ok;
}

async function propose(s: Session, args: string[]): Promise<number> {
  const change = parseChange(s.ctx, args);
  const calls = callsOf(change, s.deployment);
  const signer = memberSigner(s);
  const me = await signer.getAddress();
  if (await inEffect(change, s.deployment, s.provider)) {
    const what = calls.map((c) => ct(s.ctx.lang, describeCall(c, s.deployment).key, describeCall(c, s.deployment).vars)).join("; ");
    s.ctx.out(ct(s.ctx.lang, "council.noop", { what }));
    return EXIT.ok;
  }
  const { id, salt } = await currentOperationOf(s.provider, s.deployment, calls);
  const [existing] = await councilOperations(s.provider, s.deployment, id);
  if (existing) {
    const vars = { id, member: who(s, existing.proposer), approvals: existing.approvedBy.length, threshold: existing.threshold };
    s.ctx.out(ct(s.ctx.lang, existing.approvedBy.includes(me) ? "council.alreadyProposedMine" : "council.alreadyProposedOther", vars));
    s.ctx.out(operationLines(s, existing).join("\n"));
    return EXIT.ok;
  }
  s.ctx.out(ct(s.ctx.lang, "council.proposing", { id }));
  s.ctx.out(callLines(s, calls).join("\n"));
  await confirm(s);
  await send(s, () => Council__factory.connect(s.view.address, signer).propose(...batch({ calls, salt })));
  const [op] = await councilOperations(s.provider, s.deployment, id);
  s.ctx.out(ct(s.ctx.lang, "council.proposed", { id, approvals: op!.approvedBy.length, threshold: op!.threshold }));
  await scheduleIfApproved(s, signer, op!);
  return EXIT.ok;
}

async function approve(s: Session, id: string | undefined): Promise<number> {
  let op = await one(s, id);
  s.ctx.out(operationLines(s, op).join("\n"));
  if (op.state === "executed") return s.ctx.out(ct(s.ctx.lang, "council.alreadyExecuted", { id: op.id })), EXIT.ok;
  if (op.state === "cancelled") throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.cancelled", { id: op.id }));
  const signer = memberSigner(s);
  const me = await signer.getAddress();
  if (op.approvedBy.includes(me)) {
    s.ctx.out(ct(s.ctx.lang, "council.alreadyApproved", { id: op.id, approvals: op.approvedBy.length, threshold: op.threshold }));
  } else {
    await confirm(s);
    await send(s, () => Council__factory.connect(s.view.address, signer).approve(op.id));
    [op] = (await councilOperations(s.provider, s.deployment, op.id)) as [CouncilOperation];
    s.ctx.out(ct(s.ctx.lang, "council.approved", { id: op.id, approvals: op.approvedBy.length, threshold: op.threshold }));
  }
  await scheduleIfApproved(s, signer, op);
  return EXIT.ok;
}

async function execute(s: Session, id: string | undefined): Promise<number> {
  let op = await one(s, id);
  if (op.state === "executed") return s.ctx.out(ct(s.ctx.lang, "council.alreadyExecuted", { id: op.id })), EXIT.ok;
  if (op.state === "cancelled") throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.cancelled", { id: op.id }));
  if (op.state === "awaiting-approvals") {
    throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.approvals", {
      id: op.id, threshold: op.threshold, approvals: op.approvedBy.length, approvedBy: op.approvedBy.map((m) => who(s, m)).join(", ") || "-",
      missing: s.view.members.filter((m) => !op.approvedBy.includes(m)).map((m) => who(s, m)).join(", "),
    }));
  }
  // Anyone runs an approved operation (the timelock's executor is open); this organisation's key pays.
  if (s.mine.length === 0) throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.noKey"));
  const signer = s.mine[0]!;
  op = await scheduleIfApproved(s, signer, op);
  if (op.state === "scheduled") throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.notReady", { id: op.id, ...when(s, op.readyAt!) }));
  s.ctx.out(callLines(s, op.calls).join("\n"));
  const timelock = new Contract(s.view.timelock, TIMELOCK_ABI, signer);
  const [targets, values, payloads, salt] = batch(op);
  await send(s, () => timelock.executeBatch(targets, values, payloads, ZERO32, salt));
  s.ctx.out(ct(s.ctx.lang, "council.executed", { id: op.id }));
  return EXIT.ok;
}

async function cancel(s: Session, id: string | undefined): Promise<number> {
  const op = await one(s, id);
  s.ctx.out(operationLines(s, op).join("\n"));
  if (op.state === "executed") throw new CliExit(EXIT.failed, ct(s.ctx.lang, "council.refused.executedTooLate", { id: op.id }));
  if (op.state === "cancelled") return s.ctx.out(ct(s.ctx.lang, "council.alreadyCancelled", { id: op.id })), EXIT.ok;
  const signer = memberSigner(s);
  const me = await signer.getAddress();
  const council = Council__factory.connect(s.view.address, signer);
  const cancelId = await council.cancelIdOf(op.id);
  const votes = async () => Number(await council.approvals(cancelId));
  if (!op.cancel) {
    await confirm(s);
    await send(s, () => council.proposeCancel(op.id));
    s.ctx.out(ct(s.ctx.lang, "council.cancelProposed", { id: op.id, approvals: await votes(), threshold: op.threshold }));
  } else if (!op.cancel.approvedBy.includes(me)) {
    await confirm(s);
    await send(s, () => council.approve(cancelId));
    s.ctx.out(ct(s.ctx.lang, "council.cancelApproved", { id: op.id, approvals: await votes(), threshold: op.threshold }));
  } else {
    s.ctx.out(ct(s.ctx.lang, "council.cancelAlreadyApproved", { id: op.id, approvals: await votes(), threshold: op.threshold }));
  }
  if ((await votes()) < op.threshold) return EXIT.ok;
  if (op.readyAt === undefined) return s.ctx.out(ct(s.ctx.lang, "council.cancelNotScheduled", { id: op.id })), EXIT.ok;
  await send(s, () => council.cancel(op.id));
  s.ctx.out(ct(s.ctx.lang, "council.cancelled", { id: op.id }));
  return EXIT.ok;
}

/** `debtrail council <subcommand> …` */
export async function councilCommand(ctx: Ctx, args: string[], opts: CouncilOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !["status", "propose", "approve", "execute", "cancel"].includes(sub)) {
    if (!sub) return ctx.out(ct(ctx.lang, "council.usage")), EXIT.usage;
    throw new CliExit(EXIT.usage, `${ct(ctx.lang, "council.badArg", { name: "<subcommand>", rule: "status, propose, approve, execute, cancel" })}\n\n${ct(ctx.lang, "council.usage")}`);
  }
  // Arguments are checked before the chain is asked anything.
  if (sub === "propose") parseChange(ctx, rest);
  const s = await open(ctx, opts);
  try {
    switch (sub) {
      case "status": return await status(s);
      case "propose": return await propose(s, rest);
      case "approve": return await approve(s, rest[0]);
      case "execute": return await execute(s, rest[0]);
      default: return await cancel(s, rest[0]);
    }
  } finally {
    s.provider.destroy();
  }
}
