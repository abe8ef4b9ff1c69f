import { describe, it, expect } from "vitest";
import { checkResidentIdNumber, idCheckCharacter, syntheticIdNumber, withIdCheckCharacter } from "../../src/core/id-number.js";
import { canonicalRegion, regionOf, REGIONS } from "../../src/core/regions.js";
import { checkPlausibleAmounts } from "../../src/core/plausibility.js";
import { checkRegistration } from "../../src/core/claim-checks.js";

const at = (f: string) => f;
const registration = (over: Record<string, unknown> = {}) => ({
  originatorCode: "DEVBANK", contractNo: "HT-1", principal: "100000000", outstanding: "85000000", originatedAt: "2021-03-01", maturityAt: "2026-03-01", product: "mortgage",
  debtor: { name: "张三", idNumber: "11010519491231002X", type: "retail", debtorId: "D-1" }, ...over,
}) as never;

describe("what a person typed into a registration", () => {
  it("GB 11643: the check character (ISO 7064 MOD 11-2), a province code, a real date of birth before the loan", () => {
    expect(idCheckCharacter("11010519491231002")).toBe("X"); // the standard's own example
    expect(() => checkResidentIdNumber("11010519491231002X", "id")).not.toThrow();
    expect(() => checkResidentIdNumber("110105194912310021", "id")).toThrow(expect.objectContaining({ details: { field: "id", rule: "id-number-check-digit" } }));
    expect(() => checkResidentIdNumber(withIdCheckCharacter("99010519491231002"), "id")).toThrow(/province code/);
    expect(() => checkResidentIdNumber(withIdCheckCharacter("11010519490231002"), "id")).toThrow(/date of birth 1949-02-31/);
    expect(() => checkResidentIdNumber(withIdCheckCharacter("11010520300101002"), "id", Date.UTC(2021, 0, 1) / 1000)).toThrow(/not before the loan/);
    expect(() => checkResidentIdNumber("11010519491231", "id")).toThrow(expect.objectContaining({ details: { field: "id", rule: "id-number-length" } }));
    const ids = new Set(Array.from({ length: 2000 }, (_, i) => syntheticIdNumber("310101", i * 7)));
    expect(ids.size).toBe(2000);
    for (const id of ids) checkResidentIdNumber(id, "id");
  });

  it("GB/T 2260: one region, however it is named; anything else refused", () => {
    for (const name of ["北京", "北京市", "Beijing", "beijing", " BEIJING ", "110000"]) expect(canonicalRegion(name, "region")).toBe("beijing");
    expect(canonicalRegion("Xi'an", "region")).toBe("xian");
    expect(canonicalRegion("广西壮族自治区", "region")).toBe("guangxi");
    expect(canonicalRegion("陕西", "region")).toBe("shaanxi");
    expect(canonicalRegion("山西", "region")).toBe("shanxi");
    expect(() => canonicalRegion("北京朝阳某街道", "claims[3].region")).toThrow(expect.objectContaining({ details: { field: "claims[3].region", rule: "region-unknown" } }));
    expect(new Set(REGIONS.map((r) => r.key)).size).toBe(REGIONS.length);
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(REGIONS.length);
    // Every division by its code; by its full name unless several share it (then by none: test/core/regions.test.ts).
    for (const r of REGIONS) expect(regionOf(r.code)?.key).toBe(r.key);
    const shared = new Set(REGIONS.filter((r, i) => REGIONS.findIndex((o) => o.zh === r.zh) !== i).map((r) => r.zh));
    for (const r of REGIONS) expect(regionOf(r.zh)?.key).toBe(shared.has(r.zh) ? undefined : r.key);
  });

  it("flags amounts that look like typing errors unless confirmed", () => {
    expect(() => checkPlausibleAmounts(100n, 85_000_000n, at, false)).toThrow(/implausibly small/);
    expect(() => checkPlausibleAmounts(1_000_000n, 3_000_001n, at, false)).toThrow(/more than 3 times/);
    expect(() => checkPlausibleAmounts(1_000_000n, 3_000_000n, at, false)).not.toThrow();
    expect(() => checkPlausibleAmounts(100n, 85_000_000n, at, true)).not.toThrow();
  });

  it("a registration: the region comes back as its key, a company's code is no resident ID", () => {
    expect(checkRegistration(registration({ region: "上海市" }))).toMatchObject({ region: "shanghai" });
    expect(() => checkRegistration(registration({ debtor: { name: "某公司", idNumber: "91110101MA0000005X", type: "retail", debtorId: "D" } }), "claims[0]")).toThrow(/claims\[0\]\.debtor\.idNumber/);
    expect(() => checkRegistration(registration({ debtor: { name: "某公司", idNumber: "91110101MA0000005X", type: "corporate", debtorId: "D" } }))).not.toThrow();
  });
});
