import type { EventFragment, Interface } from "ethers";
import type { IndexedLog } from "./index-projection.js";

/**
 * Decoding for the indexer's projection (src/chain/index-projection.ts), on its hot path: ethers' decoder
 * hashes the event's signature for every log and checksums every address; here the followed events'
 * static words are read straight from topics and data.
 */

export interface Decoder {
  name: string;
  decode(log: IndexedLog): Record<string, unknown>;
}

const STATIC = /^(address|bool|bytes([1-9]|[12][0-9]|3[0-2])|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?)$/;

/** One ABI word (64 hex digits) of a static type, as ethers would decode it (addresses lower-case: checksummed where shown). */
function word(type: string, hex: string): unknown {
  if (hex.length !== 64) throw new Error(`chain index: a log word of ${hex.length / 2} bytes for ${type}`);
  if (type === "address") return `0x${hex.slice(24)}`;
  if (type === "bool") return BigInt(`0x${hex}`) !== 0n;
  if (type.startsWith("bytes")) return `0x${hex.slice(0, 2 * Number(type.slice(5)))}`;
  const v = BigInt(`0x${hex}`);
  return type.startsWith("int") ? BigInt.asIntN(Number(type.slice(3) || 256), v) : v;
}

/**
 * An event's decoder: its words read straight from topics and data when every argument is a static type
 * (all the events the index follows but two); ethers' decoder otherwise.
 */
export function decoderOf(iface: Interface, f: EventFragment): Decoder {
  const indexed = f.inputs.filter((p) => p.indexed);
  const plain = f.inputs.filter((p) => !p.indexed);
  if (![...indexed, ...plain].every((p) => STATIC.test(p.type))) {
    return {
      name: f.name,
      decode: (log) => {
        const r = iface.decodeEventLog(f, log.data, log.topics);
        return Object.fromEntries(f.inputs.map((p, i) => [p.name, r[i]]));
      },
    };
  }
  return {
    name: f.name,
    decode: (log) => {
      const args: Record<string, unknown> = {};
      indexed.forEach((p, i) => (args[p.name] = word(p.type, log.topics[i + 1]!.slice(2))));
      const data = log.data.slice(2);
      plain.forEach((p, i) => (args[p.name] = word(p.type, data.slice(64 * i, 64 * i + 64))));
      return args;
    },
  };
}
