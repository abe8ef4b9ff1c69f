import { describe, it, expect } from "vitest";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import {
  checkDocumentCommitment, checkLoanRef, commitDocument, contentHashOfText, documentCommitment, loanRefOf, loanSaltOf, newSalt,
} from "../../src/core/commitment.js";
import { claimIdOf, normalizeClaim } from "../../src/core/claim-input.js";
import { renderNotice } from "../../src/core/notices.js";

const SECRET = "originator-secret-for-tests-0001";
const abi = AbiCoder.defaultAbiCoder();

describe("document commitments", () => {
  it("are keccak256(abi.encode(salt, keccak256(text))), a fresh 32-byte salt each time", () => {
    const text = "债权转让通知 / Notice of assignment";
    const a = commitDocument(text);
    const b = commitDocument(text);
    expect(a.contentHash).toBe(keccak256(toUtf8Bytes(text)));
    expect(a.salt).toMatch(/^0x[0-9a-f]{64}$/);
    expect(a.salt).not.toBe(b.salt);
    expect(a.commitment).not.toBe(b.commitment);
    expect(a.commitment).toBe(keccak256(abi.encode(["bytes32", "bytes32"], [a.salt, a.contentHash])));
    expect(documentCommitment(a.salt, a.contentHash)).toBe(a.commitment);
    expect(checkDocumentCommitment(a)).toBe(true);
    expect(checkDocumentCommitment({ ...a, salt: b.salt })).toBe(false);
    expect(checkDocumentCommitment({ ...a, contentHash: contentHashOfText(`${text} `) })).toBe(false);
    expect(checkDocumentCommitment({ salt: "0x12", contentHash: a.contentHash, commitment: a.commitment })).toBe(false);
    expect(newSalt()).toMatch(/^0x[0-9a-f]{64}$/);
    expect(() => documentCommitment("0x1234", a.contentHash)).toThrow(/salt/);
  });

  it("a notice's commitment cannot be found from a name dictionary (the attack on keccak256(letter))", () => {
    const facts = { type: "warning" as const, claimId: `0x${"ab".repeat(32)}`, creditor: "Demo AMC", outstanding: 85_000_000n, currency: "CNY", daysPastDue: 12, asOfDate: "2026-03-01", cureDays: 15 };
    const letter = renderNotice({ ...facts, debtorName: "欧阳明华" });
    const { commitment } = commitDocument(letter.text);
    // The attacker re-renders the public template for each name and hashes it: the plain hash is found…
    const dictionary = ["张三", "李四", "欧阳明华", "王五"];
    const guesses = dictionary.map((name) => renderNotice({ ...facts, debtorName: name }).contentHash);
    expect(guesses).toContain(letter.contentHash);
    // …the commitment is not (nor any hash of a guess under a guessed salt of zero).
    expect(guesses).not.toContain(commitment);
    expect(guesses.map((g) => documentCommitment(`0x${"0".repeat(64)}`, g))).not.toContain(commitment);
  });
});

describe("loan references", () => {
  it("commit to the contract number under a per-loan salt derived from the originator's secret", () => {
    const salt = loanSaltOf(SECRET, "DEVBANK", "HT-2021-0001");
    expect(salt).toMatch(/^0x[0-9a-f]{64}$/);
    expect(loanSaltOf(SECRET, "DEVBANK", " HT-2021-0001 ")).toBe(salt); // deterministic (duplicate guard), trimmed
    expect(loanSaltOf(SECRET, "DEVBANK", "HT-2021-0002")).not.toBe(salt); // per loan
    expect(loanSaltOf(SECRET, "OTHERBANK", "HT-2021-0001")).not.toBe(salt); // per originator
    expect(loanSaltOf(`${SECRET}x`, "DEVBANK", "HT-2021-0001")).not.toBe(salt); // per secret
    const ref = loanRefOf("HT-2021-0001", salt);
    expect(ref).toBe(keccak256(abi.encode(["bytes32", "bytes32"], [salt, keccak256(toUtf8Bytes("HT-2021-0001"))])));
    expect(ref).not.toBe(keccak256(toUtf8Bytes("HT-2021-0001")));
    expect(() => loanSaltOf("short", "DEVBANK", "HT-1")).toThrow(/secret/);
  });

  it("a buyer or court checks a reference from the contract number and the salt of the loan file", () => {
    const salt = loanSaltOf(SECRET, "DEVBANK", "HT-9");
    const loanRef = loanRefOf("HT-9", salt);
    expect(checkLoanRef({ contractNo: "HT-9", loanSalt: salt, loanRef })).toBe(true);
    expect(checkLoanRef({ contractNo: "HT-9", loanSalt: salt, loanRef: loanRef.toUpperCase().replace("0X", "0x") })).toBe(true);
    expect(checkLoanRef({ contractNo: "HT-8", loanSalt: salt, loanRef })).toBe(false);
    expect(checkLoanRef({ contractNo: "HT-9", loanSalt: loanSaltOf(SECRET, "DEVBANK", "HT-8"), loanRef })).toBe(false);
    expect(checkLoanRef({ contractNo: "HT-9", loanSalt: "nope", loanRef })).toBe(false);
    expect(checkLoanRef({ contractNo: 9, loanSalt: salt, loanRef })).toBe(false);
  });

  it("normalizeClaim derives the salted loanRef and the claim id from it; contract numbers no longer enumerate", () => {
    const req = {
      originatorCode: "DEVBANK", contractNo: "HT-2021-0001", debtor: { name: "x", idNumber: "X0000", type: "retail" as const, debtorId: "x" },
      principal: "100", outstanding: "100", originatedAt: "2020-01-01", maturityAt: "2021-01-01", product: "consumer" as const,
    };
    const n = normalizeClaim(req, SECRET);
    expect(n.loanSalt).toBe(loanSaltOf(SECRET, "DEVBANK", "HT-2021-0001"));
    expect(n.loanRef).toBe(loanRefOf("HT-2021-0001", n.loanSalt));
    expect(n.claimId).toBe(claimIdOf("DEVBANK", n.loanRef));
    expect(normalizeClaim(req, SECRET).claimId).toBe(n.claimId);
    // The attack: enumerate contract numbers, hash each, compare with the chain's loanRef.
    const enumerated = Array.from({ length: 2000 }, (_, i) => keccak256(toUtf8Bytes(`HT-2021-${String(i).padStart(4, "0")}`)));
    expect(enumerated).not.toContain(n.loanRef);
    expect(enumerated.map((r) => claimIdOf("DEVBANK", r))).not.toContain(n.claimId);
  });
});
