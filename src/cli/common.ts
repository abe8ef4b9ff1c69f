/** What every `debtrail` command shares: exit codes, the context, API calls and progress on stderr. */
import { t, type Lang } from "../i18n/messages.js";
import { renderError } from "../i18n/errors.js";
import { ruleText } from "../i18n/rules.js";

export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3, unavailable: 4 } as const;

/** Ends the command with an exit code and a message for stderr. */
export class CliExit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface Ctx {
  api: string;
  key?: string;
  json: boolean;
  lang: Lang;
  out: (s: string) => void;
  err: (s: string) => void;
  /** Rows per request for imports (--chunk). */
  chunk?: number;
  /** Assessment date (--as-of). */
  asOf?: string;
}

/** One API call as it answered: status and parsed body; only an unreachable API throws (exit 4). */
export async function send(ctx: Ctx, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  let res: Response;
  try {
    res = await fetch(ctx.api + path, {
      method,
      // The API words its errors in this language (Accept-Language); renderError does the same from their codes.
      headers: { "accept-language": ctx.lang, ...(ctx.key ? { authorization: `Bearer ${ctx.key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new CliExit(EXIT.unavailable, t(ctx.lang, "cli.unavailable", { url: ctx.api, reason: String((e as Error).cause ?? (e as Error).message) }));
  }
  const data = await res.json().catch(() => ({}));
  return { status: res.status, body: data };
}

/** An error answer in words, in the CLI's language: its code's text (src/i18n/errors.ts), else its message; the field it names. */
export function errorMessage(body: any, status: number, lang: Lang = "en"): string {
  // A job's failed row carries the field and rule without a message code: the rule's text (src/i18n/rules.ts).
  const rule = typeof body?.rule === "string" && typeof body?.field === "string" ? ruleText(body.rule, lang) : null;
  const own = (lang && body?.details?.messages?.[lang]) || (typeof body?.code === "string" && body.params && renderError(body.code, body.params, lang))
    || (rule && `${body.field}${lang === "en" ? ": " : "："}${rule}`) || body?.message;
  return [own, body?.field && !String(own ?? "").includes(body.field) ? `(${body.field})` : ""].filter(Boolean).join(" ") || `HTTP ${status}`;
}

/** An API call that must succeed: 4xx → exit 1, 5xx → exit 4. */
export async function request(ctx: Ctx, method: string, path: string, body?: unknown): Promise<any> {
  const res = await send(ctx, method, path, body);
  if (res.status >= 400) {
    throw new CliExit(res.status >= 500 ? EXIT.unavailable : EXIT.failed, t(ctx.lang, "cli.error", { status: res.status, message: errorMessage(res.body, res.status, ctx.lang) }));
  }
  return res.body;
}

export function progressBar(fraction: number, width = 30): string {
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}

/**
 * Progress of a long import on stderr: a bar redrawn in place on a terminal; otherwise (a log, a pipe)
 * a line at every tenth of the way. Nothing with --json.
 */
export function progress(ctx: Ctx, label: string) {
  const tty = Boolean(process.stderr.isTTY) && !ctx.json;
  let lastStep = -1;
  return {
    update(done: number, total: number): void {
      if (ctx.json) return;
      const fraction = total === 0 ? 1 : done / total;
      if (tty) {
        process.stderr.write(`\r${label} ${progressBar(fraction)} ${done}/${total}`);
        return;
      }
      const step = Math.floor(fraction * 10);
      if (step !== lastStep) {
        lastStep = step;
        ctx.err(`${label} ${progressBar(fraction)} ${done}/${total}`);
      }
    },
    end(): void {
      if (tty) process.stderr.write("\n");
    },
  };
}
