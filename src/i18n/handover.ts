/**
 * The words of a loan-file handover: its legal basis and why a delivery was refused, in zh-CN and English.
 */

/** One legal ground: the articles it rests on and what it says, in both languages. */
export interface LegalGround {
  articles: string[];
  "zh-CN": string;
  en: string;
}

/** The legal basis a handover records (and commits to in its manifest). */
export interface LegalBasis {
  /** Transfer of the claim itself. */
  assignment: LegalGround;
  /** Providing the debtor's personal data to the buyer. */
  personalData: LegalGround;
  /** The seller's copy after the sale. */
  retention: LegalGround & { days: number };
}

export function handoverLegalBasis(retentionDays: number): LegalBasis {
  return {
    assignment: {
      articles: ["民法典第545条", "民法典第546条", "民法典第547条"],
      "zh-CN": "债权人可以将债权的全部或者部分转让给第三人（第545条）；转让通知到达债务人后对债务人发生效力（第546条，转让通知的承诺值记录在链上）；受让人取得与债权有关的从权利（第547条）。",
      en: "A creditor may assign its claim to a third party (Art. 545 Civil Code); the assignment binds the debtor once notified (Art. 546; the notice's commitment is on chain); the assignee takes the accessory rights (Art. 547).",
    },
    personalData: {
      articles: ["个人信息保护法第13条第1款第2项", "个人信息保护法第23条"],
      "zh-CN": "为履行债务人作为一方当事人的借款合同所必需（第13条第1款第2项）；向受让人提供个人信息，受让人名称、处理目的（债权管理与催收）、处理方式和个人信息种类以债权转让通知告知债务人（第23条）。",
      en: "Necessary to perform the loan contract to which the debtor is a party (PIPL Art. 13(1)(2)); provided to the assignee, whose name, purpose (managing and collecting the claim), method and the kinds of data are told to the debtor in the assignment notice (PIPL Art. 23).",
    },
    retention: {
      articles: ["个人信息保护法第47条"],
      "zh-CN": `出让方仅为留存目的只读保存其副本 ${retentionDays} 天，期满删除（第47条）。`,
      en: `The seller keeps its copy read-only for ${retentionDays} days for retention only and deletes it when that period ends (PIPL Art. 47).`,
      days: retentionDays,
    },
  };
}

/** Why a buyer's node refused a delivery, by rule code. */
export const REFUSAL_MESSAGES: Record<string, { en: string; "zh-CN": string }> = {
  "not-addressed-here": { en: "the files are for an account this node does not serve", "zh-CN": "该资料的接收方不是本节点服务的账户" },
  "unknown-recipient-key": { en: "the files are encrypted to a key that is not this node's handover key", "zh-CN": "该资料未以本节点的移交公钥加密" },
  "undecryptable": { en: "the files cannot be decrypted with this node's key (changed in transit or not for this node)", "zh-CN": "无法以本节点的密钥解密该资料（传输中被篡改或并非发给本节点）" },
  "no-such-sale": { en: "the chain shows no such package sale from the sender to this node's account", "zh-CN": "链上没有发送方向本节点账户出让该资产包的记录" },
  "manifest-malformed": { en: "the manifest is malformed", "zh-CN": "资料清单格式错误" },
  "manifest-other-deployment": { en: "the manifest names another chain or registry", "zh-CN": "资料清单指向其他链或登记合约" },
  "manifest-other-sale": { en: "the manifest names another package, seller or buyer than the sale on chain", "zh-CN": "资料清单所列资产包、出让方或受让方与链上转让不符" },
  "files-commitment-mismatch": { en: "the files do not match the commitment of the sale on chain", "zh-CN": "资料与链上转让记录中的承诺值不符" },
  "claim-not-in-sale": { en: "a file is for a claim that is not part of this sale on chain", "zh-CN": "某份资料所属债权不在链上该笔转让中" },
  "file-digest-mismatch": { en: "a file does not match its digest in the manifest (changed after the sale)", "zh-CN": "某份资料与清单中的摘要不符（转让后被改动）" },
  "registration-mismatch": { en: "a loan record does not match the claim's registration on chain", "zh-CN": "某份贷款资料与链上债权登记不符" },
  "record-claim-id": { en: "a loan record is not its claim's", "zh-CN": "某份贷款资料不属于其债权" },
  "document-hash": { en: "a document does not hash to its content hash", "zh-CN": "某份文件与其内容哈希不符" },
  "notice-commitment": { en: "the assignment notice is not the one committed to on chain", "zh-CN": "债权转让通知与链上承诺值不符" },
  "evidence-record": { en: "an evidence record is malformed", "zh-CN": "某条存证记录格式错误" },
  "evidence-altered": { en: "an evidence record does not hash to its id", "zh-CN": "某条存证记录与其标识哈希不符" },
  "evidence-chain": { en: "the evidence history has a gap", "zh-CN": "存证历史不连续" },
  "evidence-content": { en: "a transcript does not hash to its record's content hash", "zh-CN": "某份记录正文与其内容哈希不符" },
};

export function refusalMessages(rule: string): { en: string; "zh-CN": string } {
  return REFUSAL_MESSAGES[rule] ?? { en: rule, "zh-CN": rule };
}
