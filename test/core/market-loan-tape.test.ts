/**
 * The data room's de-identified loan tape (issue 19), property-style: records generated full of personal data
 * (names, phones, ID numbers, street addresses, contract numbers, guarantors, fields the tape has never heard
 * of) → the serialised tape holds none of any record's, while the figures that price a claim are all there.
 */
import { describe, it, expect } from "vitest";
import { generatePortfolio, Random } from "../../src/core/synthetic.js";
import { withIdCheckCharacter } from "../../src/core/id-number.js";
import { loanTape, type TapeSource } from "../../src/core/market/loan-tape.js";
import { mayEnterRoom, roomRule } from "../../src/core/market/room-access.js";
import { addressDistrict, regionOf } from "../../src/core/regions.js";
import { PATHS } from "../../src/core/recovery.js";

// Name characters that no district, region or code of the tape uses, so a hit is a leak, not a coincidence.
const SURNAMES = [..."赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"];
const GIVEN = [..."伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉萍红娥玲"];
const PLACES = [
  ["浙江省杭州市", "西湖区", "hangzhou"], ["上海市", "浦东新区", "shanghai"], ["四川省成都市", "武侯区", "chengdu"],
  ["湖北省武汉市", "洪山区", "wuhan"], ["江苏省常州市", "武进区", "jiangsu"], ["辽宁省沈阳市", "和平区", "shenyang"],
] as const;
const STREETS = ["文三路", "张杨路", "人民南路", "珞喻路", "湖塘大道", "中山路"];

interface Person { name: string; phone: string; idNumber: string; street: string; contractNo: string; debtorId: string; guarantor: string; email: string }

/** `n` claims of a generated portfolio, each with a debtor full of personal data. */
function generated(seed: number, n: number): { sources: TapeSource[]; people: Person[] } {
  const rng = new Random(seed);
  const loans = generatePortfolio(seed, { count: n, asOf: "2025-06-30" }).loans;
  const sources: TapeSource[] = [];
  const people: Person[] = [];
  loans.forEach((loan, i) => {
    const name = rng.pick(SURNAMES) + rng.pick(GIVEN) + rng.pick(GIVEN);
    const phone = `13${String(rng.int(100_000_000, 999_999_999))}`;
    const idNumber = withIdCheckCharacter(`3301061985${String(rng.int(1, 12)).padStart(2, "0")}${String(rng.int(10, 28))}${String(rng.int(100, 999))}`);
    const [prefix, district] = rng.pick(PLACES);
    const street = `${rng.pick(STREETS)}${rng.int(1, 999)}号${rng.int(1, 30)}幢${rng.int(101, 2808)}室`;
    const contractNo = `HT-${seed}-${String(i).padStart(6, "0")}-${rng.int(1000, 9999)}`;
    const guarantor = rng.pick(SURNAMES) + rng.pick(GIVEN) + rng.pick(GIVEN);
    const email = `u${rng.int(10_000, 99_999)}@example.cn`;
    const person: Person = { name, phone, idNumber, street, contractNo, debtorId: loan.debtorId, guarantor, email };
    people.push(person);
    const outstanding = BigInt(loan.outstanding);
    const p50 = (outstanding * BigInt(rng.int(10, 90))) / 100n;
    const record = {
      // Everything a seller's record holds, and more it might hold one day: the tape must take none of it.
      claimId: `0x${i.toString(16).padStart(64, "0")}`, contractNo, loanSalt: `0x${"ab".repeat(32)}`, originatorCode: "GENBANK",
      debtor: { name, idNumber, phone, email, type: loan.debtorType, debtorId: loan.debtorId, address: `${prefix}${district}${street}`, spouse: { name: guarantor, phone } },
      legal: { guarantors: [{ name: guarantor, idNumber, phone, address: street }] },
      notes: `联系人${name}，电话${phone}，合同${contractNo}`,
      product: loan.product, region: loan.region, principal: loan.outstanding, currency: "CNY",
      ...(loan.collateral ? { collateral: { type: loan.collateral.assetType, region: loan.collateral.region, areaSqm: loan.collateral.area, address: `${prefix}${district}${street}`, owner: name } } : {}),
    };
    sources.push({
      claimId: record.claimId,
      record: record as unknown as TapeSource["record"],
      figures: { outstanding, daysPastDue: loan.daysPastDue ?? 0, classification: rng.int(0, 4), from: rng.chance(0.5) ? "report" : "registration" },
      valuation: rng.chance(0.8) ? { p10: (p50 * 8n) / 10n, p50, p90: (p50 * 12n) / 10n, method: "comparables" } : null,
      disposal: { path: rng.pick(PATHS), expectedRecovery: p50 },
      limitation: rng.chance(0.9) ? { status: rng.pick(["running", "expiring", "expired"] as const), lastDay: "2026-01-31" } : null,
    });
  });
  return { sources, people };
}

describe("the de-identified loan tape", () => {
  it("holds none of any record's name, phone, ID number (but its last four), street address, contract number, debtor id or anything unnamed", () => {
    for (const seed of [1, 2, 3]) {
      const { sources, people } = generated(seed, 300);
      const tape = loanTape("2025-06-30", sources);
      const text = JSON.stringify(tape);
      for (const p of people) {
        const phones = [p.phone, `+86${p.phone}`, p.phone.slice(3)];
        const forbidden = [p.name, p.guarantor, ...phones, p.idNumber, p.idNumber.slice(0, 14), p.idNumber.slice(6, 14), p.street, p.street.slice(0, 6), p.contractNo, p.email, p.debtorId];
        for (const f of forbidden) expect(text.includes(f), `seed ${seed}: "${f}" reached the tape`).toBe(false);
      }
      expect(text.includes("abababababababab")).toBe(false); // the loan reference's salt
    }
  });

  it("keeps the figures that price a claim: balance, days past due, class, collateral, district, valuation, path, limitation, the ID's last four", () => {
    const { sources, people } = generated(7, 60);
    const tape = loanTape("2025-06-30", sources);
    expect(tape.lines).toHaveLength(60);
    tape.lines.forEach((l, i) => {
      const s = sources[i]!;
      expect(l.balance).toBe(s.figures.outstanding.toString());
      expect(l.daysPastDue).toBe(s.figures.daysPastDue);
      expect(l.idTail).toBe(people[i]!.idNumber.slice(-4));
      expect(PLACES.map((p) => p[1])).toContain(l.district);
      // The table's code of that district, under the region the address names.
      expect(regionOf(l.districtCode!)?.zh).toBe(l.district);
      expect(l.valuation?.p50 ?? null).toBe(s.valuation?.p50.toString() ?? null);
      expect(Object.keys(l).sort()).toEqual([
        "balance", "claimId", "class", "collateralType", "currency", "daysPastDue", "debtor", "debtorType", "disposalPath", "district",
        "districtCode", "expectedRecovery", "figuresFrom", "idTail", "limitation", "principal", "product", "region", "valuation",
      ]);
    });
    // A debtor with several claims is one pseudonym; the totals count debtors and the time-barred.
    const byDebtor = new Map<string, Set<string>>();
    tape.lines.forEach((l, i) => byDebtor.set(people[i]!.debtorId, (byDebtor.get(people[i]!.debtorId) ?? new Set()).add(l.debtor)));
    for (const pseudonyms of byDebtor.values()) expect(pseudonyms.size).toBe(1);
    expect(tape.totals.debtors).toBe(byDebtor.size);
    expect(tape.totals.timeBarred).toBe(sources.filter((s) => s.limitation?.status === "expired").length);
    expect(BigInt(tape.totals.balance)).toBe(sources.reduce((a, s) => a + s.figures.outstanding, 0n));
  });

  it("cuts an address at its district, never further", () => {
    expect(addressDistrict("浙江省杭州市西湖区文三路90号3幢201室")).toEqual({ region: "hangzhou", district: "西湖区", code: "330106" });
    expect(addressDistrict("上海市浦东新区张杨路500号")).toEqual({ region: "shanghai", district: "浦东新区", code: "310115" });
    // The table knows every city and county: 常州 (320400), 义乌 under 金华 (330700) though the address leaves 金华 out.
    expect(addressDistrict("江苏省常州市武进区湖塘大道1号")).toEqual({ region: "320400", district: "武进区", code: "320412" });
    expect(addressDistrict("浙江义乌市稠城街道88号")).toEqual({ region: "330700", district: "义乌市", code: "330782" });
    expect(addressDistrict("杭州市阳光小区3幢")).toEqual({ region: "hangzhou", district: null, code: null });
    expect(addressDistrict("文三路90号西湖区")).toEqual({ region: null, district: null, code: null });
    // A street named like a district is no district (朝阳门 is a gate of 东城区); a district is named in full.
    expect(addressDistrict("北京朝阳门外大街1号")).toEqual({ region: "beijing", district: null, code: null });
    expect(addressDistrict("北京市朝阳区建国路1号")).toEqual({ region: "beijing", district: "朝阳区", code: "110105" });
    // Which 朝阳区 the address does not say: neither is named.
    expect(addressDistrict("朝阳区建国路1号")).toEqual({ region: null, district: null, code: null });
    expect(addressDistrict("中山路88号")).toEqual({ region: null, district: null, code: null });
    expect(addressDistrict("Room 5, 88 Nanjing Road, Huangpu District, Shanghai")).toEqual({ region: null, district: "Huangpu District", code: null });
  });
});

describe("who may enter a data room", () => {
  const personal = [{ personal: true }, { personal: false }];
  const corporate = (n: number) => Array.from({ length: n }, () => ({ personal: false }));

  it("personal NPLs and a bank's batch of ten: licensed AMCs only, naming the rule; an AMC's corporate package: qualified investors too", () => {
    expect(mayEnterRoom(roomRule("bank", personal), "licensed-amc")).toEqual({ ok: true });
    expect(mayEnterRoom(roomRule("bank", personal), "qualified-investor")).toMatchObject({ ok: false, code: "personal-buyer-not-amc", message: { "zh-CN": expect.stringContaining("26号文") } });
    expect(mayEnterRoom(roomRule("amc", personal), "qualified-investor")).toMatchObject({ ok: false, code: "personal-buyer-not-amc" });
    expect(mayEnterRoom(roomRule("bank", corporate(10)), "qualified-investor")).toMatchObject({ ok: false, code: "corporate-batch-buyer-not-amc", message: { "zh-CN": expect.stringContaining("批量转让办法第三条") } });
    expect(mayEnterRoom(roomRule("bank", corporate(9)), "qualified-investor")).toEqual({ ok: true });
    expect(mayEnterRoom(roomRule("amc", corporate(40)), "qualified-investor")).toEqual({ ok: true });
    expect(mayEnterRoom(roomRule("amc", corporate(40)), null)).toMatchObject({ ok: false, code: "not-a-buyer", message: { en: expect.stringContaining("LICENSED_AMC") } });
  });
});

describe("the tape as the matching reads it", () => {
  it("gives each claim's value range from its recovery at the collateral's spread, and passes the summary's own checks", async () => {
    const { checkPackageSummary, summaryToWire } = await import("../../src/core/market/summary.js");
    const { tapeSummary } = await import("../../src/core/market/loan-tape.js");
    const { sources } = generated(11, 80);
    const tape = loanTape("2025-06-30", sources);
    const s = tapeSummary(`0x${"cd".repeat(32)}`, tape, 1_000n);
    expect(s.claims.length).toBe(tape.lines.filter((l) => l.region).length);
    for (const c of s.claims) {
      expect(c.valuation.p10 <= c.valuation.p50 && c.valuation.p50 <= c.valuation.p90 && c.valuation.p90 <= c.balance).toBe(true);
    }
    expect(checkPackageSummary(summaryToWire(s)).claims).toHaveLength(s.claims.length);
  });
});
