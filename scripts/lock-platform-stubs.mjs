#!/usr/bin/env node
// The npm registry reachable here lacks some platform builds of native packages (e.g. EDR's darwin and
// win32 binaries), so `npm install` leaves them out of package-lock.json and `npm ci` then refuses the
// lock ("Missing: … from lock file"). This adds a stub entry per missing optional dependency, marked
// optional and restricted to its platform, which npm ci skips on every other platform.
// Run after any `npm install` that changes the lock: `node scripts/lock-platform-stubs.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const file = "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8"));
const platformOf = (name) => {
  const os = ["darwin", "linux", "win32", "freebsd", "android"].find((p) => name.includes(`-${p}-`) || name.endsWith(`-${p}`));
  const cpu = ["arm64", "x64", "ia32", "arm"].find((c) => name.includes(`-${c}`));
  const libc = name.includes("-musl") ? "musl" : name.includes("-gnu") ? "glibc" : undefined;
  return { os, cpu, libc };
};
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
    if (lock.packages[base] || lock.packages[`node_modules/${dep}`]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os || !cpu) continue; // only platform builds are stubbed
    lock.packages[`node_modules/${dep}`] = {
      version,
      cpu: [cpu],
      os: [os],
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
    };
    added++;
  }
}
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`lock-platform-stubs: added ${added} stub entries`);
