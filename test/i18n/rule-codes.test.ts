/**
 * Issue 18: a refusal names its field and rule, and the rule reaches the reader in the reader's language. Every
 * rule code thrown in src/ (`new ValidationError(field, "<code>")`, found by a static scan) has a zh-CN and an
 * English text (src/i18n/rules.ts), and the API's error answer carries both — the console and the CLI render it.
 */
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { RULE_TEXTS, ruleCodeOf, ruleText } from "../../src/i18n/rules.js";
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
  return sources("src").flatMap((file) => [...readFileSync(file, "utf8").matchAll(call)].map((m) => ({ rule: m[2]!.replace(/\$\{[^}]*\}/g, "1"), file })));
}

/** A code (kebab-case, maybe `:params`), or a code followed by `: explanation` — not a sentence. */
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
    // A rule with its own error text keeps it; free text stays as it was.
    expect(codeOfError(new ValidationError("occurredAt", "not-in-the-future")).code).toBe("validation.not-in-the-future");
    expect(codeOfError(new ValidationError("debtor.idNumber", "id-number-length")).code).toBe("validation.id-number-length");
    expect(codeOfError(new ValidationError("limit", "must be an integer from 1 to 500")).code).toBe("validation.invalid");
    expect(ruleText("must be an integer from 1 to 500", "zh-CN")).toBeNull();
  });
});
