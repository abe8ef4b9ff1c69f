import type { FastifyRequest } from "fastify";
import type { DebtrailError } from "../core/errors.js";
import { ERROR_TEXTS, langOfHeader, renderError } from "../i18n/errors.js";
import { ruleCodeOf, ruleText } from "../i18n/rules.js";

/**
 * An error's message code and placeholders (src/i18n/errors.ts) — what the console and the CLI render in their
 * language — and its message in the language of the request's Accept-Language.
 */
export interface ErrorCode {
  code: string;
  params: Record<string, unknown>;
}

const primitive = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);

/** The code of a coded error: the error's own, else one from its class and rule or reason. */
export function codeOfError(error: DebtrailError): ErrorCode {
  const d = error.details as Record<string, unknown>;
  const params: Record<string, unknown> = Object.fromEntries(Object.entries(d).filter(([, v]) => primitive(v)));
  if (Array.isArray(d.roles)) params.roles = (d.roles as string[]).join(" / ");
  const own = (error as { messageCode?: string }).messageCode;
  const known = (code: string) => (ERROR_TEXTS[code] ? code : undefined);
  const rule = typeof d.rule === "string" ? d.rule.split(":")[0]! : undefined;
  let code: string;
  switch (error.code) {
    case "VALIDATION": {
      // A rule code (src/i18n/rules.ts) in both languages, so that no reader gets the other's words; a code's
      // own error text first, unless the rule carries values it would drop (`one-of:joint|general`).
      const found = typeof d.rule === "string" ? ruleCodeOf(d.rule) : null;
      const specific = known(`validation.${rule}`);
      code = own ?? (found && (Object.keys(found.vars).length > 0 || !specific) ? "validation.rule" : specific ?? "validation.invalid");
      if (code === "validation.rule") {
        params.ruleZh = ruleText(d.rule as string, "zh-CN");
        params.ruleEn = ruleText(d.rule as string, "en");
      }
      break;
    }
    case "UNAUTHORIZED":
      code = own ?? "auth.missing-key";
      break;
    case "FORBIDDEN":
      code = own ?? (Array.isArray(d.roles) ? "forbidden.role" : known(`forbidden.${rule}`) ?? "forbidden");
      break;
    case "NOT_FOUND":
      code = own ?? "not-found";
      break;
    case "CONFLICT":
      code = own ?? known(`conflict.${d.reason}`) ?? "conflict";
      break;
    case "COMPLIANCE":
      code = own ?? known(`compliance.${rule}`) ?? `compliance.${rule}`;
      break;
    case "UNAVAILABLE":
      code = own ?? "unavailable";
      break;
    case "CHAIN_REVERT":
      code = "chain-revert";
      break;
    default:
      code = own ?? error.code.toLowerCase();
  }
  if (params.detail === undefined) params.detail = error.message;
  return { code, params: { ...params, ...((error as { messageParams?: Record<string, unknown> }).messageParams ?? {}) } };
}

/** The code of a schema validation error (ajv's keyword), with the field and what the schema wants. */
export function schemaErrorCode(first: { keyword?: string; params?: Record<string, unknown> } | undefined, field: string, description?: string): ErrorCode {
  const keyword = first?.keyword ?? "";
  const p = first?.params ?? {};
  if (keyword === "required") return { code: "validation.required", params: { field } };
  if (keyword === "additionalProperties") return { code: "validation.additional", params: { field } };
  if (keyword === "type") return { code: "validation.type", params: { field, type: String(p.type ?? "") } };
  if (keyword === "pattern") return description ? { code: "validation.pattern", params: { field, expected: description } } : { code: "validation.format", params: { field } };
  if (keyword === "format") return { code: "validation.format", params: { field } };
  if (["enum", "const", "anyOf", "oneOf"].includes(keyword)) return { code: "validation.one-of", params: { field } };
  if (["minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum"].includes(keyword)) return { code: `validation.${keyword}`, params: { field, limit: p.limit } };
  return { code: "validation.invalid", params: { field, rule: keyword } };
}

/**
 * The message for the request's language: the error's own bilingual message (details.messages) or the code's
 * text; English falls back to the server's message as it was, which stays the default without Accept-Language.
 */
export function localise(request: FastifyRequest, code: string, params: Record<string, unknown>, fallback: string, details?: Record<string, unknown>): string {
  const lang = langOfHeader(request.headers["accept-language"]);
  if (lang === null) return fallback;
  const bilingual = details?.messages as Record<string, string> | undefined;
  if (bilingual && typeof bilingual[lang] === "string") return bilingual[lang];
  if (lang === "en") return fallback;
  return renderError(code, params, lang) ?? fallback;
}
