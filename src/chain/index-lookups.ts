import { toBeHex, type Interface } from "ethers";
import type { TermsRow } from "../store/repos/chain-index.js";
import type { termsRow } from "./index-rows.js";
import type { IndexedLog } from "./index-projection.js";

/**
 * A contract read logs need once, when they are indexed: values no event carries and that never change
 * afterwards (claims' terms, a dispute's number of choices). The reader makes it (eth_call) and stores what
 * `decode` makes of the raw result under their keys. A revert means what the logs name is not on the node's
 * chain (a reorg); a revert without data from a contract that predates the call (no such function) makes the
 * reader make the `fallback` reads instead.
 */
export interface Lookup {
  key: string;
  to: string;
  data: string;
  decode(raw: string): Array<[string, LookupValue]>;
  fallback?: Lookup[];
}

/** A registration's stored terms: {@link termsRow}'s retail flag and clause thresholds. */
export interface StoredTerms {
  retail: boolean;
  clauses: Parameters<typeof termsRow>[2];
}

export type LookupValue = string | TermsRow | StoredTerms;

/** A chunk's lookup results by key: `stored:<claimId>`, `dispute:<id>` (raw), or `terms:<claimId>` (a whole row, given). */
export type LookupResults = ReadonlyMap<string, LookupValue>;

/** Registrations whose stored terms one `registeredTermsOf` call reads (its answer: 192 bytes a claim). */
export const TERMS_PER_CALL = 500;

/** The result of a lookup the reader made for a log; a missing one is a reader bug. */
export function looked(results: LookupResults, key: string): LookupValue {
  const raw = results.get(key);
  if (raw === undefined) throw new Error(`chain index: no lookup result for ${key}`);
  return raw;
}

/**
 * The answer of `registeredTermsOf` for `n` claims — `(ClauseTerms[] clauses, bool[] retail)` — read word by
 * word: ethers' decoder makes a Result (a Proxy) per claim and per tuple, garbage that a 100,000-claim import
 * turned into seconds of collection on a heap holding a million-row model.
 */
export function decodeRegisteredTerms(raw: string, n: number): StoredTerms[] {
  const hex = raw.startsWith("0x") ? raw.slice(2) : raw;
  const word = (i: number): bigint => {
    const w = hex.slice(64 * i, 64 * i + 64);
    if (w.length !== 64) throw new Error(`registeredTermsOf: the answer ends before word ${i}`);
    return BigInt(`0x${w}`);
  };
  const at = (i: number): number => {
    const offset = word(i);
    if (offset % 32n !== 0n || offset > BigInt(hex.length)) throw new Error(`registeredTermsOf: offset ${offset} of word ${i} is not a word's`);
    return Number(offset / 32n);
  };
  const clausesAt = at(0);
  const retailAt = at(1);
  if (word(clausesAt) !== BigInt(n) || word(retailAt) !== BigInt(n)) throw new Error(`registeredTermsOf: the answer is not for ${n} claims`);
  const out: StoredTerms[] = [];
  for (let i = 0; i < n; i++) {
    const c = clausesAt + 1 + 5 * i;
    out.push({
      retail: word(retailAt + 1 + i) !== 0n,
      clauses: { warnDays: word(c), demandDays: word(c + 1), arbitrationDays: word(c + 2), coverageBps: word(c + 3), noticeDays: word(c + 4) },
    });
  }
  return out;
}

/**
 * Calldata of `registeredTermsOf(bytes32[] claimIds)` after its `selector`: the array's offset, its length and
 * the ids, one word each — what ethers' encoder gives (a parity test compares them) without its byte arrays
 * and per-character hex: the indexer asks for 500 claims a call through a 100,000-claim import.
 * @throws RangeError naming the first id that is not 32 bytes of hex
 */
export function encodeRegisteredTermsOf(selector: string, claimIds: readonly string[]): string {
  const word = (n: number) => n.toString(16).padStart(64, "0");
  const ids = claimIds.map((id, i) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(id)) throw new RangeError(`claimIds[${i}] must be 32 bytes of hex`);
    return id.slice(2).toLowerCase();
  });
  return `${selector}${word(32)}${word(ids.length)}${ids.join("")}`;
}

/**
 * The lookups of the indexed events: which reads a chunk's logs need (`forLogs`), and what a registration's
 * stored terms are once read (`storedTerms`). `contractOf` names the deployment's contract at an address.
 */
export function createLookups(
  registry: Interface,
  arbitrator: Interface,
  addresses: { ClaimRegistry: string; Arbitrator: string },
  contractOf: (address: string) => string | undefined,
) {
  const registeredTopic = registry.getEvent("ClaimRegistered")!.topicHash;
  const disputeTopic = arbitrator.getEvent("DisputeCreation")!.topicHash;
  // The single reads' selectors, worked out once (ethers hashes the signature at each encoding).
  const clausesSelector = registry.getFunction("clausesOf")!.selector;
  const retailSelector = registry.getFunction("isRetail")!.selector;
  const disputeSelector = arbitrator.getFunction("disputeOf")!.selector;
  const termsSelector = registry.getFunction("registeredTermsOf")!.selector;
  /** A read whose raw result is kept under its key. */
  const single = (key: string, to: string, data: string): Lookup => ({ key, to, data, decode: (raw) => [[key, raw]] });

  /** One `registeredTermsOf` call for `claimIds`; for a registry that predates it, `clausesOf` and `isRetail` per claim. */
  function termsLookup(claimIds: string[]): Lookup {
    return {
      key: `registeredTermsOf(${claimIds.length} claims from ${claimIds[0]})`,
      to: addresses.ClaimRegistry,
      data: encodeRegisteredTermsOf(termsSelector, claimIds),
      decode(raw) {
        const terms = decodeRegisteredTerms(raw, claimIds.length);
        return claimIds.map((id, i) => [`stored:${id}`, terms[i]!]);
      },
      fallback: claimIds.flatMap((id) => [
        single(`clauses:${id}`, addresses.ClaimRegistry, `${clausesSelector}${id.slice(2)}`),
        single(`retail:${id}`, addresses.ClaimRegistry, `${retailSelector}${id.slice(2)}`),
      ]),
    };
  }

  return {
    /**
     * The contract reads a chunk's logs need when they are indexed: the terms registrations store rather than
     * emit (`registeredTermsOf`, {@link TERMS_PER_CALL} claims a call), a dispute's choices (`disputeOf`).
     * None changes once written, so the reader may make them at any later block.
     */
    forLogs(logs: readonly IndexedLog[]): Lookup[] {
      const claims: string[] = [];
      const out: Lookup[] = [];
      // Only the events' first indexed argument is needed: read from its topic, nothing decoded.
      for (const log of logs) {
        const contract = contractOf(log.address);
        if (contract === "ClaimRegistry" && log.topics[0] === registeredTopic) claims.push(log.topics[1]!.toLowerCase());
        else if (contract === "Arbitrator" && log.topics[0] === disputeTopic) {
          const disputeId = BigInt(log.topics[1]!);
          out.push(single(`dispute:${disputeId}`, addresses.Arbitrator, `${disputeSelector}${toBeHex(disputeId, 32).slice(2)}`));
        }
      }
      for (let i = 0; i < claims.length; i += TERMS_PER_CALL) out.push(termsLookup(claims.slice(i, i + TERMS_PER_CALL)));
      return out;
    },

    /** A registration's stored terms: from `registeredTermsOf`, or the two single reads of an older registry. */
    storedTerms(results: LookupResults, claimId: string): StoredTerms {
      const batched = results.get(`stored:${claimId}`);
      if (batched !== undefined) return batched as StoredTerms;
      return {
        retail: registry.decodeFunctionResult("isRetail", looked(results, `retail:${claimId}`) as string)[0] as boolean,
        clauses: registry.decodeFunctionResult("clausesOf", looked(results, `clauses:${claimId}`) as string)[0],
      };
    },
  };
}
