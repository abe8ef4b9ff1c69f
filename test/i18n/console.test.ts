import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONSOLE_MESSAGES, duplicateConsoleKeys } from "../../src/i18n/console.js";
import { catalog } from "../../src/i18n/messages.js";
import { CLASSIFICATIONS } from "../../src/core/classification.js";
import { CASE_STATES } from "../../src/core/oracle-plan.js";
import { PATHS } from "../../src/core/recovery.js";
import { PRODUCTS } from "../../src/core/claim-input.js";
import { RELATIONS } from "../../src/core/evidence.js";
import { STAGES, PROCESS_ASSET_TYPES } from "../../src/core/process.js";
import { API_ROLES } from "../../src/config/roles.js";
import { REGION_NAMES } from "../../src/core/synthetic.js";
import { RULINGS } from "../../src/app/cases/reads.js";

/** Every text the console shows exists in zh-CN and English. */
const DIR = "src/api/public/console";
const sources = readdirSync(DIR).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(DIR, f), "utf8")).join("\n");
const known = new Set([...Object.keys(CONSOLE_MESSAGES), ...Object.keys(catalog("en", ["kind.", "channel."]))]);

describe("console texts", () => {
  it("no key is defined in two of the catalogue's files (a later one would silently win)", () => {
    expect(duplicateConsoleKeys()).toEqual([]);
  });

  it("every key the pages use is in the catalogue, in both languages", () => {
    const used = [...sources.matchAll(/\bt\("([a-zA-Z0-9_.-]+)"/g), ...sources.matchAll(/section\("([a-zA-Z0-9_.-]+)"/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(150);
    expect(used.filter((k) => !known.has(k))).toEqual([]);
    for (const [key, texts] of Object.entries(CONSOLE_MESSAGES)) {
      expect({ key, zh: texts["zh-CN"].length > 0, en: texts.en.length > 0 }).toEqual({ key, zh: true, en: true });
      expect({ key, en: /[\u4e00-\u9fff]/.test(texts.en) }).toEqual({ key, en: false });
    }
  });

  it("every value the API can return has a name in both languages", () => {
    const families: Record<string, readonly string[]> = {
      "console.class": CLASSIFICATIONS, "console.state": CASE_STATES, "console.path": PATHS, "console.product": PRODUCTS,
      "console.relation": RELATIONS, "console.stage": STAGES, "console.role": API_ROLES, "console.asset": PROCESS_ASSET_TYPES,
      "console.region": REGION_NAMES, "console.ruling": RULINGS, "console.rule": ["contact-hours", "daily-cap", "weekly-cap", "third-party"],
      "console.caseEvent": ["report", "state-changed", "arbitration-started", "ruling-applied", "enforcement-ordered", "closed", "restructured"],
      "console.nav": ["dashboard", "queue", "claims", "packages", "verify"],
      "console.title": ["dashboard", "queue", "claims", "claim", "packages", "tx", "signin"],
    };
    const missing = Object.entries(families).flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`).filter((k) => !CONSOLE_MESSAGES[k]));
    expect(missing).toEqual([]);
  });

  it("the clause text shows the coverage threshold as a percentage (低于120%), not basis points", () => {
    const text = CONSOLE_MESSAGES["console.claim.clauseText"]!;
    expect(text["zh-CN"]).toContain("低于{coverage}");
    expect(text["zh-CN"]).not.toMatch(/基点|coverageBps/);
    expect(text.en).not.toMatch(/bps|coverageBps/);
  });

  it("民法典第五百四十六条: the assignment notice binds from delivery (自本通知送达之日起), and its translation is labelled", () => {
    expect(CONSOLE_MESSAGES["console.packages.noticeTemplate"]!["zh-CN"]).toContain("自本通知送达之日起");
    expect(CONSOLE_MESSAGES["console.packages.noticeTemplate"]!.en).toContain("delivered");
    expect(CONSOLE_MESSAGES["console.letter.translation"]!["zh-CN"]).toContain("以中文文本为准");
  });
});
