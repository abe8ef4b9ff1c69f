import { readFileSync, statSync } from "node:fs";

/** Where a process reads the time from: the rules take it as an argument (src/core never reads a clock). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** How often the offset file is looked at (its modification time), at most. */
const RECHECK_MS = 200;

/**
 * TEST-ONLY: the machine's clock moved by an offset read from `file` (`{"offsetMs": n}`), so that a test can
 * move the daemons' clocks together with a dev chain's block time (`evm_increaseTime`) when a step needs days
 * to pass (the 7-day notice). Only ever built when the configuration allows it: `DEBTRAIL_TEST_CLOCK_FILE`
 * with `DEBTRAIL_TEST_MODE=1` (src/config/dev-chain.ts), on a loopback dev node (checked on connecting,
 * src/app/organisation.ts). The offset never moves backwards: a smaller value in the file is ignored.
 */
export function offsetClock(file: string): Clock {
  let offset = 0;
  let checkedAt = 0;
  let mtime = -1;
  const refresh = () => {
    const now = Date.now();
    if (now - checkedAt < RECHECK_MS) return;
    checkedAt = now;
    try {
      const m = statSync(file).mtimeMs;
      if (m === mtime) return;
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { offsetMs?: unknown };
      mtime = m;
      if (typeof parsed.offsetMs === "number" && Number.isSafeInteger(parsed.offsetMs) && parsed.offsetMs > offset) offset = parsed.offsetMs;
    } catch {
      /* absent or being rewritten: keep the offset read last */
    }
  };
  return {
    now() {
      refresh();
      return Date.now() + offset;
    },
  };
}

/** The clock of a process: the machine's, or the test-only offset clock where the configuration names one. */
export function clockOf(config: { testClockFile: string | null }): Clock {
  return config.testClockFile ? offsetClock(config.testClockFile) : systemClock;
}
