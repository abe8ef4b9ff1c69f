/**
 * The import's worker (src/app/jobs/intake.ts), run in a real worker thread as the API runs it: the rows'
 * JSON stays there and is handed over a byte range at a time.
 */
import { describe, it, expect, afterAll } from "vitest";
import { DEFAULT_MIN_NOTICE_DAYS } from "../../../src/core/claim-input.js";
import { createWorkerPool } from "../../../src/app/workers/pool.js";
import { prepareImport, rangeReader, type IntakeInput, type PreparedImport } from "../../../src/app/jobs/intake.js";
import { claimRequest } from "../../helpers/stack.js";

const pool = createWorkerPool(new URL("../../../src/app/jobs/intake.ts", import.meta.url));
afterAll(() => pool.close());

function inputOf(claims: unknown[]): IntakeInput {
  return {
    body: new TextEncoder().encode(JSON.stringify({ claims })), jobId: "00000000-0000-4000-8000-000000000001", createdAt: new Date(0).toISOString(),
    registrant: { address: "0x0000000000000000000000000000000000000b0b", originatorCode: "DEVBANK" },
    loanRefSecret: "test-loan-ref-secret-0123456789", piiSecret: "test-pii-secret-0123456789", rules: { minNoticeDays: DEFAULT_MIN_NOTICE_DAYS }, maxItems: 1_000,
  };
}

describe("intake", () => {
  // Valid rows around an invalid one (its outstanding above its principal) and a repeated loan.
  const claims = [
    ...Array.from({ length: 40 }, (_, i) => claimRequest(`INTAKE-${i}`)),
    claimRequest("INTAKE-BAD", { outstanding: "900000000" }),
    claimRequest("INTAKE-3"),
    ...Array.from({ length: 9 }, (_, i) => claimRequest(`INTAKE-${40 + i}`)),
  ];

  describe("handlers.prepareImport + rangeReader", () => {
    it("any byte range of the rows' JSON is the bytes prepareImport made; each row's spans parse to its record and item", async () => {
      const direct = prepareImport(inputOf(claims));
      const prepared = await pool.run<PreparedImport>("prepareImport", inputOf(claims), []);
      try {
        expect(prepared.failures.map((f) => f.index)).toEqual(direct.failures.map((f) => f.index));
        expect(prepared.failures.length).toBe(2);
        expect(Array.from(prepared.valid)).toEqual(Array.from(direct.valid));
        expect(Array.from(prepared.spans)).toEqual(Array.from(direct.spans));
        const { spans } = prepared;
        const end = spans[spans.length - 1]!;
        const read = rangeReader(prepared.json, spans[3 * 20 + 2]! - spans[3 * 10]!);
        // Ranges of several sizes, in and out of order; the whole is larger than the shared buffer.
        for (const [from, to] of [[spans[3 * 10]!, spans[3 * 20 + 2]!], [0, spans[2]!], [0, end], [spans[3 * 5]!, spans[3 * 5]!], [spans[3 * 30]!, spans[3 * 31 + 2]!]] as const) {
          expect(Buffer.from(await read(from, to)).equals(Buffer.from(direct.json.subarray(from, to)))).toBe(true);
        }
        const k = 17;
        const row = await read(spans[3 * k]!, spans[3 * k + 2]!);
        const record = JSON.parse(Buffer.from(row.subarray(0, spans[3 * k + 1]! - spans[3 * k]!)).toString("utf8"));
        const item = JSON.parse(Buffer.from(row.subarray(spans[3 * k + 1]! - spans[3 * k]!)).toString("utf8"));
        expect(record.contractNo).toBe(`INTAKE-${prepared.valid[k]}`);
        expect(item).toMatchObject({ index: prepared.valid[k], claimId: prepared.claimIds[prepared.valid[k]!], status: "queued" });
      } finally {
        prepared.json.close();
      }
    });

    it("ranges that fit come through one shared buffer, reused (no memory per range on the API's thread)", async () => {
      const prepared = await pool.run<PreparedImport>("prepareImport", inputOf(claims.slice(0, 12)), []);
      try {
        const { spans } = prepared;
        const read = rangeReader(prepared.json, spans[3 * 3 + 2]! - spans[0]!);
        const a = await read(spans[0]!, spans[3 * 3 + 2]!);
        const aBytes = Buffer.from(a); // a copy: the view is overwritten by the next read
        const b = await read(spans[3 * 4]!, spans[3 * 6 + 2]!);
        expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(b.buffer).toBe(a.buffer);
        expect(aBytes.toString("utf8")).toContain("INTAKE-0");
        expect(Buffer.from(b).toString("utf8")).toContain("INTAKE-4");
        // One larger than the shared buffer comes in its own.
        const all = await read(0, spans.at(-1)!);
        expect(all.buffer).not.toBe(a.buffer);
        expect(all.length).toBe(spans.at(-1));
      } finally {
        prepared.json.close();
      }
    });

    it("once the port is closed the worker has let the rows go: a read fails at once instead of waiting", async () => {
      const prepared = await pool.run<PreparedImport>("prepareImport", inputOf(claims.slice(0, 3)), []);
      const read = rangeReader(prepared.json, prepared.spans[2]!);
      expect((await read(0, prepared.spans[2]!)).length).toBe(prepared.spans[2]);
      prepared.json.close();
      await expect(read(0, prepared.spans[2]!)).rejects.toThrow(/went away/);
      // The worker still serves the next import.
      const next = await pool.run<PreparedImport>("prepareImport", inputOf(claims.slice(3, 5)), []);
      expect((await rangeReader(next.json, 16)(0, next.spans.at(-1)!)).length).toBe(next.spans.at(-1));
      next.json.close();
    });
  });
});
