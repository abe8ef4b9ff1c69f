/**
 * src/app/access.ts: the rules of who may act on and read a claim, as a table (pure; the API tests in
 * test/security/trust.test.ts and access.test.ts prove the routes use them).
 */
import { describe, it, expect } from "vitest";
import {
  actsForHolder, inListScope, listScope, loadClaimParties, mayActOn, mayPropose, mayPushOutsideData, mayReadDetails, mayReadPersonalData,
  readBasis, statusStanding, type ClaimParties, type Party,
} from "../../src/app/access.js";

const BANK = "0x00000000000000000000000000000000000000b1";
const AMC = "0x00000000000000000000000000000000000000a1";
const AMC2 = "0x00000000000000000000000000000000000000a2";
const OTHER = "0x00000000000000000000000000000000000000f0";

const parties: Record<string, Party> = {
  bank: { role: "bank", address: BANK },
  amc: { role: "amc", address: AMC.toUpperCase().replace("0X", "0x") },
  amc2: { role: "amc", address: AMC2 },
  collector: { role: "collector", address: OTHER, worksFor: AMC },
  otherCollector: { role: "collector", address: OTHER, worksFor: AMC2 },
  court: { role: "court", address: OTHER },
  admin: { role: "admin", address: OTHER },
  oracle: { role: "oracle", address: AMC },
  feed: { role: "feed" },
  servicer: { role: "feed", worksFor: AMC },
};

/** Sold by the bank to AMC; `beforeCourt` as given. */
const sold = (beforeCourt = false): ClaimParties => ({ claimId: "0x01", registered: true, holder: AMC, originator: BANK, beforeCourt });
const pending: ClaimParties = { claimId: "0x02", registered: false, holder: null, originator: BANK, beforeCourt: false };

function table(fn: (p: Party) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parties).map(([name, p]) => [name, fn(p)]));
}

describe("acting on a claim sold by the bank to an AMC", () => {
  it("only the holder's side acts; the seller no longer", () => {
    expect(table((p) => mayActOn(p, sold()))).toEqual({
      bank: false, amc: true, amc2: false, collector: true, otherCollector: false, court: false, admin: false, oracle: false, feed: false, servicer: true,
    });
    expect(mayActOn(parties.bank!, pending)).toBe(false); // not registered: nobody acts
  });

  it("loan statuses: the holder and its servicer propose, a feed observes, nobody else reports", () => {
    expect(table((p) => statusStanding(p, sold()))).toEqual({
      bank: null, amc: "propose", amc2: null, collector: null, otherCollector: null, court: null, admin: null, oracle: null, feed: "observe", servicer: "propose",
    });
    expect(table((p) => statusStanding(p, pending))).toEqual(table(() => null));
    // A status stored while the bank held the claim proposes nothing once AMC holds it.
    expect(mayPropose(parties.bank!, BANK)).toBe(true);
    expect(mayPropose(parties.bank!, AMC)).toBe(false);
    expect(mayPropose(parties.feed!, AMC)).toBe(false);
  });

  it("outside data: the holder or an organisation's own feed", () => {
    expect(table((p) => mayPushOutsideData(p, sold()))).toEqual({
      bank: false, amc: true, amc2: false, collector: false, otherCollector: false, court: false, admin: false, oracle: false, feed: true, servicer: true,
    });
  });
});

describe("reading a claim's off-chain details", () => {
  it("the holder's side, the originator (retention), the operator's admin; a court only with the case before it", () => {
    expect(table((p) => readBasis(p, sold()))).toEqual({
      bank: "originator", amc: "holder", amc2: null, collector: "holder", otherCollector: null, court: null, admin: "operator", oracle: null, feed: null, servicer: null,
    });
    expect(readBasis(parties.court!, sold(true))).toBe("court");
    expect(mayReadDetails(parties.amc2!, sold(true))).toBe(false);
  });

  it("personal data: the parties, not the operator's admin", () => {
    expect(table((p) => mayReadPersonalData(p, sold(true)))).toEqual({
      bank: true, amc: true, amc2: false, collector: true, otherCollector: false, court: true, admin: false, oracle: false, feed: false, servicer: false,
    });
  });

  it("a bank's pending record: only that bank", () => {
    expect(table((p) => mayReadDetails(p, pending))).toMatchObject({ bank: true, amc: false, court: false, oracle: false });
  });

  it("lists: each party's claims; a court those before it; peers and feeds none", () => {
    const row = (holder: string, disputeId: string | null) => ({ holder, originator: BANK, disputeId });
    const rows = [row(BANK, null), row(AMC, null), row(AMC2, "7")];
    const listed = table((p) => rows.map((r) => inListScope(r, listScope(p))));
    expect(listed).toEqual({
      bank: [true, true, true], amc: [false, true, false], amc2: [false, false, true], collector: [false, true, false], otherCollector: [false, false, true],
      court: [false, false, true], admin: [true, true, true], oracle: [false, false, false], feed: [false, false, false], servicer: [false, false, false],
    });
  });
});

describe("loadClaimParties", () => {
  it("reads the dispute only for a court, and refuses a claim neither registered nor recorded", async () => {
    let disputeReads = 0;
    const deps = {
      isRegistered: async (id: string) => id === "0x01",
      holderOf: async () => AMC,
      disputeOf: async () => {
        disputeReads++;
        return 3n;
      },
      originatorOf: async (id: string) => (id === "0x01" || id === "0x02" ? BANK : undefined),
    };
    expect(await loadClaimParties(deps, "0x01", parties.amc2)).toEqual({ claimId: "0x01", registered: true, holder: AMC, originator: BANK, beforeCourt: false });
    expect(disputeReads).toBe(0);
    expect((await loadClaimParties(deps, "0x01", parties.court)).beforeCourt).toBe(true);
    expect(disputeReads).toBe(1);
    expect(await loadClaimParties(deps, "0x02", parties.bank)).toMatchObject({ registered: false, holder: null, originator: BANK });
    await expect(loadClaimParties(deps, "0x03", parties.bank)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("compares addresses without regard to case", () => {
    expect(actsForHolder({ role: "amc", address: AMC.toUpperCase().replace("0X", "0x") }, AMC)).toBe(true);
    expect(actsForHolder({ role: "amc", address: AMC }, null)).toBe(false);
  });
});
