import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

/** One line describing the machine a figure was measured on, with its load when the run ended (other work on it slows timings, not gas). */
export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`;
}

/**
 * Replaces (or appends) the section `name` of docs/benchmarks.md, delimited by HTML comments,
 * so each benchmark script owns its section and reruns overwrite only it.
 */
export function writeSection(name: string, markdown: string, file = "docs/benchmarks.md"): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let doc = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nEvery figure names the command that produced it and the machine. Rerun a script to refresh its section.\n";
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
}
