/**
 * Issue 18: a refusal names its field and rule, and the rule reaches the reader in the reader's language. Every
 * rule code thrown in src/ (`new ValidationError(field, "<code>")`, found by a static scan) has a zh-CN and an
 * English text (src/i18n/rules.ts), and the API's error answer carries both — the console and the CLI render it.
 */
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { RULE_TEXTS, ruleCodeOf, ruleText } from "../../src/i18n/rules.js";
import { RULE_SENTENCES } from "../../src/i18n/rule-sentences.js";
import { renderError } from "../../src/i18n/errors.js";
import { codeOfError } from "../../src/api/error-codes.js";
import { errorMessage } from "../../src/cli/common.js";
import { ValidationError } from "../../src/core/errors.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every rule literal of `new ValidationError(field, rule…)` in src/, with `${…}` read as a sample value. */
function thrownRules(): Array<{ rule: string; file: string }> {
  const call = /new ValidationError\(\s*(?:[^,()]|\([^()]*\))+,\s*(["'`])((?:\\.|(?!\1).)*)\1/gs;
  const literal = (raw: string) => raw.replace(/\$\{[^}]*\}/g, "1").replace(/\\(["'`\\])/g, "$1");
  return sources("src").flatMap((file) => [...readFileSync(file, "utf8").matchAll(call)].map((m) => ({ rule: literal(m[2]!), file })));
}

/** A code (kebab-case, maybe `:params`), or a code followed by `: explanation` — not a sentence (src/i18n/rule-sentences.ts). */
const CODE = /^[a-z0-9]+(?:-[a-zA-Z0-9]+)*(?::\S.*|:\s.*)?$/;
const CJK = /[\u4e00-\u9fff]/;

describe("rule codes in zh-CN and English", () => {
  const rules = thrownRules();

  it("the scan finds the rules (it would pass vacuously otherwise)", () => {
    expect(rules.length).toBeGreaterThan(300);
    expect(rules.filter((r) => CODE.test(r.rule)).length).toBeGreaterThan(150);
  });

  it("every rule code thrown in src/ has a text in both languages", () => {
    const missing = rules.filter((r) => CODE.test(r.rule) && ruleCodeOf(r.rule) === null).map((r) => `${r.rule} (${r.file})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("so has every rule written as a sentence that reaches a person (all but the operator's start-up configuration)", () => {
    const operator = /^src\/(config|chain)\//;
    const missing = rules.filter((r) => !operator.test(r.file) && ruleCodeOf(r.rule) === null).map((r) => `${r.rule} (${r.file})`);
    expect([...new Set(missing)]).toEqual([]);
    for (const [sentence, zh] of Object.entries(RULE_SENTENCES)) {
      expect(CJK.test(zh), sentence).toBe(true);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zh), sentence).toEqual(names(sentence));
    }
  });

  it("each text is in its language, with the same placeholders in both", () => {
    for (const [code, [zh, en]] of Object.entries(RULE_TEXTS)) {
      expect(CJK.test(zh), `${code} zh-CN`).toBe(true);
      expect(CJK.test(en), `${code} en`).toBe(false);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zh), code).toEqual(names(en));
      expect(names(zh), code).toEqual(names(code));
    }
  });

  it("a refusal with a rule code reads in zh-CN without English words, and in English, at the API, the CLI and the console's texts", () => {
    for (const [rule, zh, en] of [
      ["delivered-before-sent", "occurredAt：早于通知发出时间。", "occurredAt: is before the notice was sent."],
      ["one-of:joint|general", "guarantors[0].type：应为以下之一：joint, general。", "guarantors[0].type: must be one of joint, general."],
      ["text-1-200", "answers.x.note：应为 1 至 200 个字符的文字。", "answers.x.note: must be text of 1 to 200 characters."],
      ["no-loan-file-here: the transfer notices need the debtor and guarantors", "claimIds[0]：本节点没有该债权的贷款资料（转让通知需要债务人和担保人信息）。", "claimIds[0]: has no loan file here (the transfer notices need the debtor and guarantors)."],
    ] as const) {
      const field = zh.split("：")[0]!;
      const { code, params } = codeOfError(new ValidationError(field, rule));
      expect(code).toBe("validation.rule");
      expect(renderError(code, params, "zh-CN")).toBe(zh);
      expect(renderError(code, params, "en")).toBe(en);
      // What the CLI prints from the API's answer (its body carries code and params).
      expect(errorMessage({ code, params, field, message: `${field}: ${rule}` }, 400, "zh-CN")).toBe(zh);
    }
    // A batch job's failed row (field and rule, no message code), as `debtrail import` prints it.
    expect(errorMessage({ code: "VALIDATION", field: "claims[2].principal", rule: "fen", message: "claims[2].principal: fen" }, 400, "zh-CN")).toBe("claims[2].principal：应为以分计的金额（十进制整数字符串）");
    // A rule written as a sentence: its zh-CN text, the sentence itself in English.
    const sentence = codeOfError(new ValidationError("cases", "must hold at most 5000 cases per import"));
    expect(renderError(sentence.code, sentence.params, "zh-CN")).toBe("cases：每次导入最多 5000 个案例。");
    expect(renderError(sentence.code, sentence.params, "en")).toBe("cases: must hold at most 5000 cases per import.");
    // {token} is one word with a digit (a format, a version): no other word or phrase after "must be" is taken for one.
    expect(ruleText("must be debtrail-feeds/1", "zh-CN")).toBe("应为 debtrail-feeds/1");
    expect(ruleText("must be something nobody wrote down", "zh-CN")).toBeNull();
    expect(ruleText("must be purple", "zh-CN")).toBeNull();
    // A rule with its own error text keeps it; text nobody translated stays as it was.
    expect(codeOfError(new ValidationError("occurredAt", "not-in-the-future")).code).toBe("validation.not-in-the-future");
    expect(codeOfError(new ValidationError("debtor.idNumber", "id-number-length")).code).toBe("validation.id-number-length");
    expect(codeOfError(new ValidationError("limit", "must be a colour")).code).toBe("validation.invalid");
  });
});
