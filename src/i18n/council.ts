/**
 * `debtrail council` (src/cli/council.ts) in zh-CN and English: the council's state, each call of an operation
 * in words (`council.call.*`, from src/chain/council-calls.ts), refusals and confirmations. Keys are stable;
 * texts use {placeholders}.
 */
import type { Lang } from "./messages.js";

const m = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const COUNCIL_MESSAGES = {
  "council.usage": m(
    `用法: debtrail council <子命令>
  status                                   理事会成员、门限、时间锁延迟，及待处理操作（批准情况、何时可执行）
  propose grant|revoke <角色> <账户>         授予/撤销链上角色（ORIGINATOR、HOLDER、ORACLE、RECORDER、ARBITRATOR）
  propose quorum <k>                       设置预言机门限（报告所需签名数）
  propose report-age <秒>                  设置报告最长时效（asOf 距出块时间，秒）
  propose lift-restriction <债权编号>        解除债权的转售限制
  propose pause | unpause                  暂停/恢复登记簿与存证合约
  approve <操作编号>                        先显示所批准的调用，确认后批准；达到门限即排入时间锁
  execute <操作编号>                        延迟期满后执行
  cancel <操作编号>                         提议或批准取消；达到门限后取消已排期的操作
选项: --yes 不再询问确认；--org <机构目录>（npm run network 的机构目录）；--rpc <url>；--json；--lang
密钥: COUNCIL_PRIVATE_KEY，否则取本机构配置（DEBTRAIL_API_KEYS 中的账户私钥）里属于理事会成员的账户。`,
    `Usage: debtrail council <subcommand>
  status                                   members, threshold, timelock delay, pending operations (approvals, when they may run)
  propose grant|revoke <ROLE> <account>    grant or revoke a chain role (ORIGINATOR, HOLDER, ORACLE, RECORDER, ARBITRATOR)
  propose quorum <k>                       set the oracle quorum (signatures a report needs)
  propose report-age <seconds>             set how old a report may be (its asOf against block time)
  propose lift-restriction <claimId>       lift a claim's resale restriction
  propose pause | unpause                  pause or unpause the registry and the evidence log
  approve <operationId>                    shows the calls first, approves once confirmed; at k it is scheduled
  execute <operationId>                    runs it once the delay has passed
  cancel <operationId>                     proposes or approves cancelling; at k a scheduled operation is cancelled
Options: --yes skip the confirmation; --org <dir> (an organisation's dir of npm run network); --rpc <url>; --json; --lang
Key: COUNCIL_PRIVATE_KEY, else the account of this organisation's configuration (DEBTRAIL_API_KEYS' private keys) that is a council member.`,
  ),
  "council.header": m("理事会 {council}（时间锁 {timelock}）：{threshold}/{members} 名成员批准，延迟 {delay}", "Council {council} (timelock {timelock}): {threshold} of {members} members, delay {delay}"),
  "council.members": m("成员：", "Members:"),
  "council.you": m("（本机构）", " (you)"),
  "council.pending": m("待处理的操作（{count}）：", "Pending operations ({count}):"),
  "council.noPending": m("没有待处理的操作。", "No pending operations."),
  "council.finished": m("已结束的操作：已执行 {executed}，已取消 {cancelled}（--json 列出全部）", "Finished operations: {executed} executed, {cancelled} cancelled (--json lists all)"),
  "council.operation": m("操作 {id}", "Operation {id}"),
  "council.proposedBy": m("提议人：{member}", "proposed by {member}"),
  "council.state.awaiting-approvals": m("待批准：{approvals}/{threshold}（已批准：{approvedBy}；尚未批准：{missing}）", "awaiting approvals: {approvals} of {threshold} (approved: {approvedBy}; not yet: {missing})"),
  "council.state.approved": m("已达门限 {approvals}/{threshold}，尚未排入时间锁（approve 或 execute 即排期）", "approved {approvals} of {threshold}, not scheduled yet (approve or execute schedules it)"),
  "council.state.scheduled": m("已排期：{readyAt} 起可执行（链上时间，约 {left} 后）", "scheduled: may run from {readyAt} (chain time, in about {left})"),
  "council.state.ready": m("可执行（自 {readyAt} 起）", "ready to run (since {readyAt})"),
  "council.state.executed": m("已执行", "executed"),
  "council.state.cancelled": m("已取消", "cancelled"),
  "council.cancelVotes": m("取消提议：{approvals}/{threshold} 已批准（{approvedBy}）", "cancellation proposed: {approvals} of {threshold} approved ({approvedBy})"),
  "council.calls": m("将以 ADMIN 身份执行的调用：", "Calls the timelock makes as ADMIN:"),
  "council.unknownWarning": m("注意：其中有无法识别的调用，请核对原始数据后再批准。", "Warning: some calls are not recognised: check their raw data before approving."),
  "council.confirm": m("确认发送？[y/N] ", "Send it? [y/N] "),
  "council.declined": m("未发送任何交易。", "Nothing was sent."),
  "council.noop": m("已生效，无需提议：{what}", "Already in effect, nothing to propose: {what}"),
  "council.proposing": m("提议操作 {id}：", "Proposing operation {id}:"),
  "council.proposed": m("已提议 {id}：{approvals}/{threshold} 已批准。其他成员用 `debtrail council approve {id}` 阅读并批准。", "Proposed {id}: {approvals} of {threshold} approvals. Other members read and approve it with `debtrail council approve {id}`."),
  "council.alreadyProposedMine": m("该变更已提议为 {id}，本机构已批准（{approvals}/{threshold}）。", "This change is already proposed as {id}, approved by you ({approvals} of {threshold})."),
  "council.alreadyProposedOther": m("该变更已由 {member} 提议为 {id}：请用 `debtrail council approve {id}` 阅读后批准。", "This change is already proposed by {member} as {id}: read and approve it with `debtrail council approve {id}`."),
  "council.approved": m("已批准 {id}：{approvals}/{threshold}。", "Approved {id}: {approvals} of {threshold}."),
  "council.alreadyApproved": m("本机构已批准 {id}（{approvals}/{threshold}）。", "You already approved {id} ({approvals} of {threshold})."),
  "council.scheduled": m("已达门限，已排入时间锁：{readyAt} 起可执行（链上时间）。", "k reached, scheduled at the timelock: it may run from {readyAt} (chain time)."),
  "council.executed": m("已执行 {id}。", "Executed {id}."),
  "council.alreadyExecuted": m("操作 {id} 已执行，无需再次执行。", "Operation {id} was already executed: nothing to do."),
  "council.alreadyCancelled": m("操作 {id} 已取消。", "Operation {id} is already cancelled."),
  "council.refused.cancelled": m("拒绝：操作 {id} 已取消，不能再批准或执行。", "Refused: operation {id} was cancelled; it can no longer be approved or run."),
  "council.refused.approvals": m("拒绝执行：操作 {id} 需要 {threshold} 名成员批准，目前 {approvals} 名（已批准：{approvedBy}；尚未批准：{missing}）。", "Refused: operation {id} needs {threshold} members' approvals, it has {approvals} (approved: {approvedBy}; not yet: {missing})."),
  "council.refused.notReady": m("拒绝执行：操作 {id} 在 {readyAt}（链上时间，约 {left} 后）之前不能执行：时间锁延迟尚未届满。", "Refused: operation {id} may not run before {readyAt} (chain time, in about {left}): the timelock's delay has not passed."),
  "council.refused.notMember": m("拒绝：本机构的账户（{accounts}）不是理事会成员；成员为 {members}。", "Refused: this organisation's accounts ({accounts}) are not members of the council; its members are {members}."),
  "council.refused.noKey": m("没有可用的密钥：请设置 COUNCIL_PRIVATE_KEY，或在 DEBTRAIL_API_KEYS 中配置本机构账户的私钥（或用 --org 指定机构目录）。", "No key to sign with: set COUNCIL_PRIVATE_KEY, or this organisation's account key in DEBTRAIL_API_KEYS (or give its dir with --org)."),
  "council.refused.executedTooLate": m("拒绝：操作 {id} 已执行，无法取消。", "Refused: operation {id} was already executed; it cannot be cancelled."),
  "council.refused.revert": m("合约拒绝了该交易：{reason}", "The contract refused the transaction: {reason}"),
  "council.unknownOperation": m("没有编号为 {id} 的提议（请用 `debtrail council status` 查看）。", "No proposal {id} (see `debtrail council status`)."),
  "council.badArg": m("参数 {name} 有误：应为 {rule}", "bad argument {name}: must be {rule}"),
  "council.rule.role": m("以下角色之一：{roles}", "one of {roles}"),
  "council.rule.address": m("0x 开头的 40 位十六进制账户地址", "an account address (0x and 40 hex digits)"),
  "council.rule.bytes32": m("0x 开头的 64 位十六进制编号", "an id of 0x and 64 hex digits"),
  "council.rule.quorum": m("1 到 100 之间的整数", "an integer from 1 to 100"),
  "council.rule.seconds": m("1 到 2592000（30 天）之间的整数秒数", "a whole number of seconds from 1 to 2592000 (30 days)"),
  "council.rule.change": m("grant、revoke、quorum、report-age、lift-restriction、pause 或 unpause 之一", "one of grant, revoke, quorum, report-age, lift-restriction, pause, unpause"),
  "council.noDeployment": m("找不到部署文件 {file}：请设置 DEPLOYMENT_FILE 或 DATA_DIR（或用 --org）。", "No deployment at {file}: set DEPLOYMENT_FILE or DATA_DIR (or --org)."),
  "council.rpcUnavailable": m("无法连接区块链节点 {url}：{reason}", "Cannot reach the chain node at {url}: {reason}"),
  "council.cancelProposed": m("已提议取消 {id}：{approvals}/{threshold} 已批准。", "Proposed cancelling {id}: {approvals} of {threshold} approvals."),
  "council.cancelApproved": m("已批准取消 {id}：{approvals}/{threshold}。", "Approved cancelling {id}: {approvals} of {threshold}."),
  "council.cancelAlreadyApproved": m("本机构已批准取消 {id}（{approvals}/{threshold}）。", "You already approved cancelling {id} ({approvals} of {threshold})."),
  "council.cancelled": m("已取消 {id}：该操作不会执行。", "Cancelled {id}: it will never run."),
  "council.cancelNotScheduled": m("取消已获批准，但操作 {id} 尚未排入时间锁：一旦排期，再次运行 `debtrail council cancel {id}` 即可取消。", "Cancelling is approved, but {id} is not scheduled at the timelock: once it is, run `debtrail council cancel {id}` again to cancel it."),
  "council.call.grantRole": m("在 {contract} 上将 {role} 角色授予 {account}", "grant {role} to {account} on {contract}"),
  "council.call.revokeRole": m("在 {contract} 上撤销 {account} 的 {role} 角色", "revoke {role} from {account} on {contract}"),
  "council.call.setQuorum": m("将 {contract} 的预言机门限设为 {quorum}（每份报告所需签名数）", "set the oracle quorum of {contract} to {quorum} (signatures a report needs)"),
  "council.call.setMaxReportAge": m("将 {contract} 的报告最长时效设为 {seconds} 秒（{days} 天）", "set the report staleness limit of {contract} to {seconds} s ({days} days)"),
  "council.call.liftResaleRestriction": m("在 {contract} 上解除债权 {claimId} 的转售限制", "lift the resale restriction of claim {claimId} on {contract}"),
  "council.call.pause": m("暂停 {contract}", "pause {contract}"),
  "council.call.unpause": m("恢复 {contract}", "unpause {contract}"),
  "council.call.bindOriginatorCode": m("在 {contract} 上将原始债权人代码 {code} 绑定到 {account}", "bind originator code {code} to {account} on {contract}"),
  "council.call.reconfigure": m("将理事会成员改为 {members}，门限 {threshold}", "make the council's members {members}, threshold {threshold}"),
  "council.call.other": m("调用 {contract}.{fn}（参数：{args}）", "call {contract}.{fn} with ({args})"),
  "council.call.unknown": m("无法识别的调用：{contract}，附带 {value} wei，数据 {data}", "UNRECOGNISED call to {contract}, {value} wei, data {data}"),
} as const satisfies Record<string, Record<Lang, string>>;

export type CouncilMessageKey = keyof typeof COUNCIL_MESSAGES;

/** The council message `key` in `lang`, with {placeholders} filled from `vars`. */
export function ct(lang: Lang, key: CouncilMessageKey | string, vars: Record<string, string | number> = {}): string {
  const texts = (COUNCIL_MESSAGES as Record<string, Record<Lang, string>>)[key];
  if (!texts) throw new Error(`no council message ${key}`);
  return texts[lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
