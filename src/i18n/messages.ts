/** Everything a person reads exists in zh-CN and English. Keys are stable; texts may use {placeholders}. */
export type Lang = "zh-CN" | "en";

const messages = {
  "cli.usage": {
    en: `Usage: debtrail <command> [options]

Commands:
  status <claimId>                 holder, terms and ownership history of a claim
  import claims <file.csv|json>    register claims in bulk (a background job), with progress
  deploy                           deploy the contracts to CHAIN_RPC_URL and grant configured roles
  serve                            run the API alone against an existing deployment

Options:
  --api <url>     API base URL (env DEBTRAIL_API_URL, default http://127.0.0.1:8080)
  --key <key>     API key (env DEBTRAIL_API_KEY)
  --json          machine-readable output on stdout
  --lang <zh-CN|en>  language of messages (env DEBTRAIL_LANG or LANG)

Exit codes: 0 done, 1 failed, 2 usage error, 3 partly failed, 4 service unavailable.`,
    "zh-CN": `用法: debtrail <命令> [选项]

命令:
  status <claimId>                 查看债权的持有人、条款和转让历史
  import claims <file.csv|json>    批量登记债权（后台任务），显示进度
  deploy                           向 CHAIN_RPC_URL 部署合约并授予配置的角色
  serve                            仅启动 API（使用已有部署）

选项:
  --api <url>     API 地址（环境变量 DEBTRAIL_API_URL，默认 http://127.0.0.1:8080）
  --key <key>     API 密钥（环境变量 DEBTRAIL_API_KEY）
  --json          在标准输出输出机器可读的 JSON
  --lang <zh-CN|en>  提示语言（环境变量 DEBTRAIL_LANG 或 LANG）

退出码: 0 成功, 1 失败, 2 用法错误, 3 部分失败, 4 服务不可用。`,
  },
  "cli.unknownCommand": { en: "unknown command: {command}", "zh-CN": "未知命令: {command}" },
  "cli.missingArg": { en: "missing argument: {name}", "zh-CN": "缺少参数: {name}" },
  "cli.unavailable": { en: "cannot reach the Debtrail API at {url}: {reason}", "zh-CN": "无法连接 Debtrail API（{url}）: {reason}" },
  "cli.error": { en: "error {status}: {message}", "zh-CN": "错误 {status}: {message}" },
  "status.title": { en: "Claim {claimId}", "zh-CN": "债权 {claimId}" },
  "status.holder": { en: "holder", "zh-CN": "持有人" },
  "status.outstanding": { en: "outstanding", "zh-CN": "未偿余额" },
  "status.principal": { en: "principal", "zh-CN": "本金" },
  "status.history": { en: "history", "zh-CN": "历史" },
  "status.event.registered": { en: "registered by {to}", "zh-CN": "由 {to} 登记" },
  "status.event.assigned": { en: "assigned {from} → {to}, package {packageId}, price {price}", "zh-CN": "转让 {from} → {to}，资产包 {packageId}，价格 {price}" },
  "status.event.transferred": { en: "transferred {from} → {to}", "zh-CN": "转移 {from} → {to}" },
  "import.reading": { en: "read {count} claims from {file}", "zh-CN": "从 {file} 读取 {count} 笔债权" },
  "import.rejectedRow": { en: "row {row}: {field}: {rule}", "zh-CN": "第 {row} 行: {field}: {rule}" },
  "import.progress": { en: "registering", "zh-CN": "登记中" },
  "import.summary": {
    en: "{registered} registered, {failed} failed of {total} (job {jobId})",
    "zh-CN": "共 {total} 笔：成功 {registered} 笔，失败 {failed} 笔（任务 {jobId}）",
  },
  "import.failure": { en: "#{index} {claimId}: {message}", "zh-CN": "#{index} {claimId}: {message}" },
  "deploy.done": { en: "deployed: {address} on chain {chainId}", "zh-CN": "已部署: {address}（链 {chainId}）" },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof messages;

/** The message `key` in `lang`, with {placeholders} filled from `vars`. */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** zh-CN unless the environment asks for English. */
export function langFrom(value: string | undefined): Lang {
  return value && /^en/i.test(value) ? "en" : "zh-CN";
}
