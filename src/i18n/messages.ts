/** Everything a person reads exists in zh-CN and English. Keys are stable; texts may use {placeholders}. */
export type Lang = "zh-CN" | "en";

const messages = {
  "cli.usage": {
    en: `Usage: debtrail <command> [options]

Commands:
  status <contract no.|claim id|name>
                                   holder, terms and ownership history of a claim, found by its
                                   contract number, claim id (or its prefix) or the debtor's name
  import claims <file.csv|json>    register claims in bulk (a background job), with progress
  import loan-status <file.csv|json>
                                   report loan statuses in chunks (the oracle acts on them)
  import cases <file.csv|json>     import comparable cases for collateral valuations
  assess <file.json|csv>           classify, score, value and advise on loans; a summary table
  deploy                           deploy the contracts to CHAIN_RPC_URL and grant configured roles
  serve                            run the API alone against an existing deployment
  oracle                           run the oracle daemon alone, no HTTP (beside serve on the same DATA_DIR;
                                   ORACLE_INTERVAL_MS, ORACLE_PEERS); prints its status and each cycle
  verify <bundle.json> --rpc <url> check an evidence proof bundle against a chain node only
                                   (no Debtrail API); prints a verification certificate
  council status|propose|approve|execute|cancel
                                   operate the council (k-of-n, the chain's only ADMIN) with this
                                   organisation's key; \`debtrail council\` for its subcommands

Options:
  --api <url>     API base URL (env DEBTRAIL_API_URL, default http://127.0.0.1:8080)
  --key <key>     API key (env DEBTRAIL_API_KEY)
  --json          machine-readable output on stdout
  --rpc <url>     JSON-RPC endpoint for verify (env CHAIN_RPC_URL)
  --chunk <n>     rows per request for imports (loan-status 1000, cases 5000)
  --as-of <date>  assessment date for assess (default: the file's asOf, else today)
  --lang <zh-CN|en>  language of messages (env DEBTRAIL_LANG or LANG)

Exit codes: 0 done (verify: verified), 1 failed (verify: not verified), 2 usage error,
3 partly failed, 4 service or node unavailable.`,
    "zh-CN": `用法: debtrail <命令> [选项]

命令:
  status <合同号|债权编号|姓名>
                                   查看债权的持有人、条款和转让历史；可按合同号、债权编号（或其前缀）
                                   或债务人姓名查找
  import claims <file.csv|json>    批量登记债权（后台任务），显示进度
  import loan-status <file.csv|json>
                                   分批上报贷款状态（由预言机据此执行条款）
  import cases <file.csv|json>     导入押品估值用的可比案例
  assess <file.json|csv>           五级分类、评分、估值和处置建议，输出汇总表
  deploy                           向 CHAIN_RPC_URL 部署合约并授予配置的角色
  serve                            仅启动 API（使用已有部署）
  oracle                           单独运行预言机守护进程，不提供 HTTP（可与 serve 共用同一 DATA_DIR；
                                   ORACLE_INTERVAL_MS、ORACLE_PEERS）；输出其状态及每个周期的结果
  verify <bundle.json> --rpc <url> 仅凭区块链节点核验存证证明包（无需 Debtrail API），
                                   输出核验证书
  council status|propose|approve|execute|cancel
                                   以本机构密钥参与理事会（k/n 多签，链上唯一管理者）；
                                   子命令见 \`debtrail council\`

选项:
  --api <url>     API 地址（环境变量 DEBTRAIL_API_URL，默认 http://127.0.0.1:8080）
  --key <key>     API 密钥（环境变量 DEBTRAIL_API_KEY）
  --json          在标准输出输出机器可读的 JSON
  --rpc <url>     verify 使用的 JSON-RPC 节点地址（环境变量 CHAIN_RPC_URL）
  --chunk <n>     导入时每次请求的行数（loan-status 1000，cases 5000）
  --as-of <date>  assess 的评估基准日（默认取文件中的 asOf，否则为今天）
  --lang <zh-CN|en>  提示语言（环境变量 DEBTRAIL_LANG 或 LANG）

退出码: 0 成功（verify：核验通过）, 1 失败（verify：核验未通过）, 2 用法错误,
3 部分失败, 4 服务或节点不可用。`,
  },
  "cli.unknownCommand": { en: "unknown command: {command}", "zh-CN": "未知命令: {command}" },
  "cli.missingArg": { en: "missing argument: {name}", "zh-CN": "缺少参数: {name}" },
  "cli.unavailable": { en: "cannot reach the Debtrail API at {url}: {reason}", "zh-CN": "无法连接 Debtrail API（{url}）: {reason}" },
  "cli.error": { en: "error {status}: {message}", "zh-CN": "错误 {status}: {message}" },
  "status.title": { en: "Claim {claimId}", "zh-CN": "债权 {claimId}" },
  "status.contractNo": { en: "contract number", "zh-CN": "合同号" },
  "status.noMatch": { en: "No claim matches {query} among the claims this key may see (a contract number, claim id or its prefix, or a debtor's name).", "zh-CN": "在此密钥可查看的债权中，没有与 {query} 匹配的债权（可按合同号、债权编号或其前缀、债务人姓名查找）。" },
  "status.ambiguous": { en: "{count} claims match {query}; name one by its contract number or claim id:", "zh-CN": "有 {count} 笔债权与 {query} 匹配，请用合同号或债权编号指定其中一笔：" },
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
  // import loan-status / import cases / assess (src/cli/imports.ts)
  "cli.badOption": { en: "bad option {name}: must be {rule}", "zh-CN": "选项 {name} 有误：应为 {rule}" },
  "import.unreadable": { en: "cannot read {file}: {reason}", "zh-CN": "无法读取 {file}：{reason}" },
  "import.badFile": { en: "{file}: {reason}", "zh-CN": "{file}：{reason}" },
  "import.rowFailure": { en: "row {row}: {message}", "zh-CN": "第 {row} 条：{message}" },
  "import.rowFailureLine": { en: "row {row} (line {line}): {message}", "zh-CN": "第 {row} 条（文件第 {line} 行）：{message}" },
  "import.loanStatus.reading": { en: "read {count} loan statuses from {file}", "zh-CN": "从 {file} 读取 {count} 条贷款状态" },
  "import.loanStatus.progress": { en: "loan statuses", "zh-CN": "贷款状态" },
  "import.loanStatus.summary": {
    en: "{accepted} accepted, {failed} failed of {total} loan statuses; the next oracle cycle acts on them",
    "zh-CN": "共 {total} 条贷款状态：接受 {accepted} 条，失败 {failed} 条；下一个预言机周期据此执行",
  },
  "import.cases.reading": { en: "read {count} comparable cases from {file}", "zh-CN": "从 {file} 读取 {count} 个可比案例" },
  "import.cases.progress": { en: "comparable cases", "zh-CN": "可比案例" },
  "import.cases.summary": {
    en: "{imported} imported ({added} new, {replaced} replaced), {failed} failed of {total} comparable cases",
    "zh-CN": "共 {total} 个可比案例：导入 {imported} 个（新增 {added}，替换 {replaced}），失败 {failed} 个",
  },
  "import.cases.database": { en: "the database now holds {count} cases, hash {hash}", "zh-CN": "案例库现有 {count} 个案例，哈希 {hash}" },
  "assess.title": { en: "Assessment as of {asOf}: {count} loans", "zh-CN": "评估基准日 {asOf}：共 {count} 笔贷款" },
  "assess.model": { en: "valuation model {method} from {count} comparable cases", "zh-CN": "估值模型 {method}，基于 {count} 个可比案例" },
  "assess.noModel": { en: "no valuation model yet ({count} comparable cases): collateral counts at its appraisal", "zh-CN": "尚无估值模型（{count} 个可比案例）：押品按评估价计" },
  "assess.col.class": { en: "five-tier class", "zh-CN": "五级分类" },
  "assess.col.loans": { en: "loans", "zh-CN": "笔数" },
  "assess.col.outstanding": { en: "outstanding", "zh-CN": "未偿余额" },
  "assess.col.share": { en: "share", "zh-CN": "占比" },
  "assess.col.expectedLoss": { en: "expected loss", "zh-CN": "预期损失" },
  "assess.total": { en: "total", "zh-CN": "合计" },
  "assess.grades": { en: "risk grades: {list}", "zh-CN": "风险等级：{list}" },
  "assess.paths": { en: "recommended disposal: {list}", "zh-CN": "推荐处置方式：{list}" },
  "assess.top": { en: "highest priority (expected loss × urgency):", "zh-CN": "优先级最高（预期损失 × 紧迫度）：" },
  "assess.dpd": { en: "{dpd} days", "zh-CN": "逾期 {dpd} 天" },
  "assess.tooMany": { en: "{count} loans: at most {max} per file", "zh-CN": "{count} 笔贷款：每个文件最多 {max} 笔" },
  "oracle.started": {
    en: "oracle daemon running: a cycle every {interval} ms, {peers} co-signing peer(s); Ctrl-C stops it",
    "zh-CN": "预言机守护进程已启动：每 {interval} 毫秒一个周期，{peers} 个联署节点；按 Ctrl-C 停止",
  },
  "oracle.status": {
    en: "signer {signer}, quorum {quorum}; {waiting} claim(s) waiting, {pending} report(s) pending; last cycle {last}; store: {store}",
    "zh-CN": "签名地址 {signer}，法定签名数 {quorum}；{waiting} 笔债权待处理，{pending} 份报告待上链；上一周期 {last}；存储：{store}",
  },
  "oracle.store.host": { en: "opened here (the API joins it)", "zh-CN": "由本进程打开（API 共用）" },
  "oracle.store.guest": { en: "shared with the process that opened it (the API)", "zh-CN": "与打开它的进程（API）共用" },
  "oracle.cycle": {
    en: "cycle {at}: {considered} considered, {planned} planned, {submitted} submitted, {applied} applied, {failed} failed, {notices} notice(s), {waiting} waiting for signatures",
    "zh-CN": "周期 {at}：考察 {considered}，计划 {planned}，提交 {submitted}，上链 {applied}，失败 {failed}，通知 {notices} 份，{waiting} 份待联署",
  },
  "deploy.done": { en: "deployed: {address} on chain {chainId}", "zh-CN": "已部署: {address}（链 {chainId}）" },
  // `debtrail verify` (CLI only)
  "verify.missingRpc": {
    en: "missing --rpc <url>: the JSON-RPC endpoint of a node of the bundle's chain",
    "zh-CN": "缺少 --rpc <url>：证明包所在区块链的节点 JSON-RPC 地址",
  },
  "verify.unreadable": { en: "cannot read the bundle file {file}: {reason}", "zh-CN": "无法读取证明包文件 {file}：{reason}" },
  "verify.noSuchFile": { en: "no such file", "zh-CN": "文件不存在" },
  "verify.isDirectory": { en: "it is a directory", "zh-CN": "这是一个目录" },
  "verify.notJson": { en: "the bundle file {file} is not valid JSON: {reason}", "zh-CN": "证明包文件 {file} 不是有效的 JSON：{reason}" },
  "verify.rpcUnavailable": { en: "cannot reach the JSON-RPC endpoint {url}: {reason}", "zh-CN": "无法连接 JSON-RPC 节点 {url}：{reason}" },
  "verify.reasonCode": { en: "reason code", "zh-CN": "原因代码" },
  // Verification certificate: the CLI and the court page (/verify) use the same wording.
  "cert.title": { en: "Evidence verification certificate", "zh-CN": "存证核验证书" },
  "cert.verified": { en: "VERIFIED", "zh-CN": "核验通过" },
  "cert.notVerified": { en: "NOT VERIFIED", "zh-CN": "核验未通过" },
  // What the chain proves, and no more (《人民法院在线诉讼规则》第十六至十八条): the record is unchanged since
  // it was anchored; its content before then and the time of the event are the recorder's statement.
  "cert.verifiedText": {
    en: "The record has not been changed since it was anchored (block time {blockTime}): its Merkle root was anchored on chain {chainId} in the block and transaction below.",
    "zh-CN": "该记录自锚定（区块时间 {blockTime}）后未被改动：其默克尔根已在下列区块和交易中锚定于链 {chainId}。",
  },
  "cert.scope": {
    en: "The chain proves only that the record has not changed since it was anchored. What it said before anchoring, and the time of the event, are the recorder's statement, whose truth is reviewed separately (Online Litigation Rules arts. 16–18).",
    "zh-CN": "区块链仅能证明该记录自锚定后未被改动；锚定前的内容及事件发生时间为记录人的陈述，其真实性另行审查（《人民法院在线诉讼规则》第十六条至第十八条）。",
  },
  "cert.stated": {
    en: "The values below are as the bundle states them; the chain did not confirm them.",
    "zh-CN": "以下内容为证明包自述，未经区块链确认。",
  },
  "cert.result": { en: "Result", "zh-CN": "核验结论" },
  "cert.reason": { en: "Reason", "zh-CN": "原因" },
  "cert.recordId": { en: "Record id (record hash)", "zh-CN": "记录编号（记录哈希）" },
  "cert.claimId": { en: "Claim id", "zh-CN": "债权编号" },
  "cert.kind": { en: "Kind", "zh-CN": "类型" },
  "cert.channel": { en: "Channel", "zh-CN": "渠道" },
  "cert.occurredAt": { en: "Time of the event (the recorder's statement)", "zh-CN": "事件发生时间（记录人陈述）" },
  "cert.contentHash": { en: "Content hash", "zh-CN": "内容哈希" },
  "cert.root": { en: "Merkle root", "zh-CN": "默克尔根" },
  "cert.commitment": {
    en: "Document commitment on chain (keccak256(abi.encode(salt, content hash)))",
    "zh-CN": "链上文件承诺值（keccak256(abi.encode(盐值, 内容哈希))）",
  },
  "cert.salt": { en: "Commitment salt", "zh-CN": "承诺盐值" },
  "cert.blockNumber": { en: "Block number", "zh-CN": "区块高度" },
  "cert.blockTime": { en: "Anchoring block time", "zh-CN": "锚定区块时间" },
  "cert.txHash": { en: "Transaction", "zh-CN": "交易哈希" },
  "cert.contract": { en: "Contract (EvidenceLog)", "zh-CN": "存证合约（EvidenceLog）" },
  "cert.chainId": { en: "Chain id", "zh-CN": "链 ID" },
  "cert.submitter": { en: "Anchored by", "zh-CN": "锚定账户" },
  "cert.proof": { en: "Merkle proof", "zh-CN": "默克尔证明" },
  "cert.proofLength": { en: "{count} hashes", "zh-CN": "{count} 个哈希" },
  "cert.node": { en: "Checked against node", "zh-CN": "核验所用节点" },
  "cert.confirmations": { en: "Blocks on top of the anchor", "zh-CN": "锚定区块之上的确认数" },
  "cert.checkedAt": { en: "Checked at", "zh-CN": "核验时间" },
  "kind.call": { en: "call", "zh-CN": "电话" },
  "kind.sms": { en: "SMS", "zh-CN": "短信" },
  "kind.letter": { en: "letter", "zh-CN": "信函" },
  "kind.visit": { en: "visit", "zh-CN": "上门拜访" },
  "kind.notice": { en: "notice", "zh-CN": "通知" },
  "kind.promise-to-pay": { en: "promise to pay", "zh-CN": "还款承诺" },
  "kind.restructuring": { en: "restructuring", "zh-CN": "债务重组" },
  "kind.assignment-notice": { en: "assignment notice", "zh-CN": "债权转让通知" },
  "kind.valuation": { en: "valuation", "zh-CN": "估值" },
  "kind.survey": { en: "field survey", "zh-CN": "现场勘察" },
  "kind.payment": { en: "payment", "zh-CN": "还款" },
  "kind.prior-history": { en: "prior history (originator's statement)", "zh-CN": "既往事项（原始债权人陈述）" },
  "kind.delivery-proof": { en: "proof of delivery", "zh-CN": "送达凭证" },
  "kind.address-confirmation": { en: "confirmation of address for service", "zh-CN": "送达地址确认书" },
  "kind.acknowledgement": { en: "acknowledgement of debt (signed statement)", "zh-CN": "债权确认书/对账单" },
  "kind.announcement": { en: "newspaper announcement", "zh-CN": "公告" },
  "kind.desk-search": { en: "desk search (registry, court or credit records)", "zh-CN": "查册/资信调查" },
  "channel.phone": { en: "phone", "zh-CN": "电话" },
  "channel.sms": { en: "SMS", "zh-CN": "短信" },
  "channel.post": { en: "post", "zh-CN": "邮寄" },
  "channel.email": { en: "email", "zh-CN": "电子邮件" },
  "channel.in-person": { en: "in person", "zh-CN": "当面" },
  "channel.app": { en: "app", "zh-CN": "应用内" },
  "channel.bank-transfer": { en: "bank transfer", "zh-CN": "银行转账" },
  "channel.system": { en: "system", "zh-CN": "系统" },
  // The court page at /verify (src/api/public/verify.*); it also uses cert.*, kind.* and channel.*.
  "page.title": { en: "Verify evidence · Debtrail", "zh-CN": "存证核验 · Debtrail" },
  "page.heading": { en: "Verify collection evidence", "zh-CN": "催收存证核验" },
  "page.intro": {
    en: "Choose or drop a proof bundle (the .json receipt Debtrail issues for a record) or the original file of a record (letter, transcript, recording). The result is a printable verification certificate.",
    "zh-CN": "选择或拖入证明包（Debtrail 为每条记录出具的 .json 回执），或某条记录的原始文件（信函、通话记录、录音等）。核验结果为可打印的核验证书。",
  },
  "page.drop": { en: "Drop a file here, or click to choose one", "zh-CN": "将文件拖到此处，或点击选择文件" },
  "page.privacy": {
    en: "A file is hashed (keccak256) in this browser and only its hash is sent: the file itself never leaves this computer. A proof bundle is re-checked in this browser, then sent for the on-chain check.",
    "zh-CN": "文件在本浏览器内计算哈希（keccak256），只发送哈希值，文件本身不会离开本机。证明包先在本浏览器内复核，再发送进行链上核验。",
  },
  "page.rpcSummary": { en: "Check against your own node (optional)", "zh-CN": "使用自己的区块链节点核验（可选）" },
  "page.rpcLabel": { en: "JSON-RPC URL of a node of the chain", "zh-CN": "区块链节点的 JSON-RPC 地址" },
  "page.rpcHelp": {
    en: "When set, this browser checks the anchor directly against that node (which must allow cross-origin requests); otherwise the Debtrail server checks it against its node.",
    "zh-CN": "填写后，由本浏览器直接向该节点核验锚定（该节点须允许跨域请求）；否则由 Debtrail 服务器向其节点核验。",
  },
  "page.language": { en: "Language", "zh-CN": "语言" },
  "page.reading": { en: "Reading {name} …", "zh-CN": "正在读取 {name} …" },
  "page.hashing": { en: "Computing the hash of {name} in this browser …", "zh-CN": "正在本浏览器内计算 {name} 的哈希 …" },
  "page.checking": { en: "Checking on chain …", "zh-CN": "正在进行链上核验 …" },
  "page.done": { en: "Done. The certificate is below.", "zh-CN": "核验完成，证书见下方。" },
  "page.error": { en: "The check could not be completed: {message}", "zh-CN": "核验未能完成：{message}" },
  "page.corruptJson": { en: "{name} is not valid JSON ({reason}). If it is a proof bundle, it is damaged or was altered: ask the party who gave it for the original. Nothing was checked.", "zh-CN": "{name} 不是有效的 JSON（{reason}）。如果它是证明包，说明文件已损坏或被改动，请向提供方索取原件。未进行核验。" },
  "page.rpcUnreachable": { en: "the chain node at {url} cannot be reached from this browser (wrong address, node down, or it does not allow requests from this page — CORS)", "zh-CN": "本浏览器无法连接区块链节点 {url}（地址有误、节点未运行，或节点不允许本页面访问——CORS）" },
  "page.rpcBadAnswer": { en: "{url} did not answer as an Ethereum JSON-RPC node", "zh-CN": "{url} 的应答不是以太坊 JSON-RPC 节点的应答" },
  "page.print": { en: "Print certificate", "zh-CN": "打印证书" },
  "page.input": { en: "Item checked", "zh-CN": "核验对象" },
  "page.inputBundle": { en: "proof bundle {name}", "zh-CN": "证明包 {name}" },
  "page.inputFile": {
    en: "file {name} ({size} bytes): hashed in this browser, not uploaded",
    "zh-CN": "文件 {name}（{size} 字节）：已在本浏览器内计算哈希，未上传",
  },
  "page.fileHash": { en: "File hash (keccak256)", "zh-CN": "文件哈希（keccak256）" },
  "page.detailsLabel": { en: "Record details", "zh-CN": "记录详情" },
  "page.detailsRedacted": {
    en: "A record with this file's hash is anchored on chain. Which record and which claim it belongs to is shown only with the proof bundle, or to a key that may read the claim.",
    "zh-CN": "存在以该文件哈希为内容的存证记录，且已上链锚定。具体记录及其所属债权仅在提供证明包时，或对有权查阅该债权的密钥显示。",
  },
  "page.fileMatches": {
    en: "The file's hash is the content hash of this record.",
    "zh-CN": "该文件的哈希与此记录的内容哈希一致。",
  },
  "page.checks": { en: "Checks", "zh-CN": "核验项目" },
  "page.checkIntegrity": {
    en: "Integrity recomputed in this browser (record hash, leaf, Merkle root): {outcome}",
    "zh-CN": "本浏览器复核完整性（记录哈希、叶子、默克尔根）：{outcome}",
  },
  "page.checkChain": { en: "Anchor checked on chain by {who}: {outcome}", "zh-CN": "链上锚定核验（{who}）：{outcome}" },
  "page.byServer": { en: "the Debtrail server", "zh-CN": "Debtrail 服务器" },
  "page.byNode": { en: "this browser against node {url}", "zh-CN": "本浏览器直连节点 {url}" },
  "page.passed": { en: "passed", "zh-CN": "通过" },
  "page.failed": { en: "failed — {message}", "zh-CN": "未通过——{message}" },
  "page.notRun": { en: "not run", "zh-CN": "未执行" },
  "page.proofEmpty": {
    en: "empty: the batch held only this record, its leaf is the root",
    "zh-CN": "为空：该批次仅含此一条记录，其叶子即为默克尔根",
  },
  "page.httpError": { en: "the server answered {status}: {message}", "zh-CN": "服务器返回 {status}：{message}" },
  // A 时效中断证明 dropped on the court page (src/api/public/verify-proof.js).
  "proof.title": { en: "Verification of a proof of the interruption of the limitation period", "zh-CN": "诉讼时效中断证明核验结果" },
  "proof.verified": {
    en: "verified — every record is anchored and unchanged, each delivery proof delivers its letter, and the period computed again from these records ends on the stated day",
    "zh-CN": "通过——各项存证均已锚定且未被改动，送达凭证与所送达的文书一一对应，依据本证明所载记录重新计算的时效期间与所述届满日一致",
  },
  "proof.notVerified": { en: "not verified — see the items below", "zh-CN": "未通过——见下列各项" },
  "proof.asOf": { en: "As of", "zh-CN": "基准日" },
  "proof.stated": { en: "Last day stated by the proof", "zh-CN": "证明所述届满日" },
  "proof.recomputed": { en: "Computed again from the proof's records", "zh-CN": "依所载记录重新计算" },
  "proof.lastDayExtended": { en: "{date} (moved to {extendedTo}, past rest days)", "zh-CN": "{date}（顺延至{extendedTo}）" },
  "proof.mismatch": { en: "does not match the stated day", "zh-CN": "与所述届满日不一致" },
  "proof.maturity": { en: "Maturity (ClaimRegistry on chain)", "zh-CN": "主债务履行期限届满日（链上登记）" },
  "proof.maturityText": { en: "stated {stated}; on chain {onChain}", "zh-CN": "证明所述 {stated}；链上登记 {onChain}" },
  "proof.pendingLabel": { en: "Completeness", "zh-CN": "完整性" },
  "proof.pending": { en: "some records await anchoring: verify again later", "zh-CN": "部分记录尚待锚定，请稍后再核验" },
  "proof.chain": { en: "Chain of interruptions", "zh-CN": "中断事由链" },
  "proof.link": { en: "{event}: {type}, effective {day}", "zh-CN": "{event}：{type}，{day}生效" },
  "proof.delivered": { en: "; delivered by {method}", "zh-CN": "；送达方式：{method}" },
  "proof.deliveryMismatch": { en: "— the delivery proof does not deliver this letter", "zh-CN": "——送达凭证与该文书不对应" },
  "proof.lag": { en: "(anchored {days} days after the stated event)", "zh-CN": "（陈述的事件发生后第{days}日锚定）" },
  "proof.records": { en: "Records", "zh-CN": "存证记录" },
  "proof.recordOk": { en: "anchored in block {block} at {time}, unchanged since", "zh-CN": "于区块 {block}（{time}）锚定，此后未被改动" },
  "proof.reason.pending": { en: "awaiting anchoring", "zh-CN": "尚待锚定" },
  "proof.reason.other-claim": { en: "a record of another claim", "zh-CN": "属于其他债权的记录" },
  "proof.type.demand": { en: "demand delivered", "zh-CN": "催收送达" },
  "proof.type.payment": { en: "payment", "zh-CN": "还款" },
  "proof.type.acknowledgement": { en: "acknowledgement or promise to pay", "zh-CN": "承认债务或承诺还款" },
  "proof.type.suit": { en: "suit, arbitration or payment order", "zh-CN": "起诉、仲裁或支付令" },
  "proof.type.announcement": { en: "newspaper announcement", "zh-CN": "报纸公告" },
  "proof.method.ems": { en: "EMS, signed for", "zh-CN": "邮政特快专递签收" },
  "proof.method.signed-receipt": { en: "signed receipt", "zh-CN": "签收回执" },
  "proof.method.e-delivery": { en: "electronic delivery", "zh-CN": "电子送达" },
  "proof.method.confirmed-address": { en: "to the confirmed address", "zh-CN": "寄往确认的送达地址" },
  "proof.method.announcement": { en: "announcement", "zh-CN": "公告送达" },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof messages;

/** The message `key` in `lang`, with {placeholders} filled from `vars`. */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Every message whose key starts with one of `prefixes`, in `lang` (the court page's dictionary). */
export function catalog(lang: Lang, prefixes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(messages)) if (prefixes.some((p) => key.startsWith(p))) out[key] = text[lang];
  return out;
}

/** zh-CN unless the environment asks for English. */
export function langFrom(value: string | undefined): Lang {
  return value && /^en/i.test(value) ? "en" : "zh-CN";
}
