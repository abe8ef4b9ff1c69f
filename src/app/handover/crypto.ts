/**
 * The cryptography of a loan-file handover, on node:crypto and ethers only.
 *
 * - **Encryption to the buyer alone** (ECIES): an ephemeral X25519 key pair per delivery, X25519 with the
 *   buyer's handover public key, HKDF-SHA256 (salt = ephemeral ‖ recipient public key, info names the
 *   scheme) to a 256-bit key, AES-256-GCM with a random 96-bit IV. The envelope's header is the GCM
 *   additional data, so a changed header (another buyer, another sale) fails decryption like a changed byte
 *   of ciphertext does. Only the holder of the buyer's X25519 private key — its own node — can open it.
 * - **Binding the public key to the buyer's on-chain account**: the buyer's node signs a key statement
 *   (EIP-712 `HandoverKey{account, publicKey, issuedAt}` in a domain naming the chain and ClaimRegistry)
 *   with the account's own chain key. A seller encrypts only to a key whose statement recovers to the
 *   sale's `to` account: a peer directory or a network that hands out a fake key cannot sign for it.
 * - **Authenticating the seller**: the seller's node signs the envelope's digest (EIP-712
 *   `HandoverPart{payloadDigest}`, payloadDigest = keccak256 of the envelope's RFC 8785 canonical JSON)
 *   with the selling account's chain key; the buyer's node recovers it and compares it with the sale's
 *   `from` on chain.
 */
import {
  createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync,
  randomBytes, type KeyObject,
} from "node:crypto";
import { keccak256, toUtf8Bytes, verifyTypedData, type TypedDataDomain, type Wallet } from "ethers";
import { canonicalJson } from "../../core/canonical.js";

const PKCS8_X25519 = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519 = Buffer.from("302a300506032b656e032100", "hex");
const HKDF_INFO = Buffer.from("debtrail/handover/v1 x25519-hkdf-sha256-aes-256-gcm", "utf8");
const HEX32 = /^0x[0-9a-f]{64}$/;

/** A node's X25519 key pair: raw 32-byte keys, the public one as `0x` + 64 hex. */
export interface HandoverKeyPair {
  privateKey: KeyObject;
  publicKey: string;
}

/** A fresh X25519 private key, raw 32 bytes. */
export function newHandoverPrivateKey(): Buffer {
  const { privateKey } = generateKeyPairSync("x25519");
  return Buffer.from(privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_X25519.length));
}

/** The key pair of a raw 32-byte X25519 private key. */
export function handoverKeyPair(raw: Buffer): HandoverKeyPair {
  if (raw.length !== 32) throw new RangeError("an X25519 private key has 32 bytes");
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return { privateKey, publicKey: `0x${Buffer.from(spki.subarray(SPKI_X25519.length)).toString("hex")}` };
}

function publicKeyObject(hex: string): KeyObject {
  if (!HEX32.test(hex)) throw new RangeError("an X25519 public key is 0x + 64 lowercase hex");
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, Buffer.from(hex.slice(2), "hex")]), format: "der", type: "spki" });
}

/** What a sealed message carries besides its header: all hex (`0x`…) but the ciphertext (base64). */
export interface Sealed {
  ephemeralPublicKey: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

function aeadKey(shared: Buffer, ephemeral: string, recipient: string): Buffer {
  const salt = Buffer.concat([Buffer.from(ephemeral.slice(2), "hex"), Buffer.from(recipient.slice(2), "hex")]);
  return Buffer.from(hkdfSync("sha256", shared, salt, HKDF_INFO, 32));
}

/** Encrypts `plaintext` to the holder of `recipientPublicKey`, authenticating `aad` with it. */
export function sealTo(recipientPublicKey: string, plaintext: Buffer, aad: Buffer): Sealed {
  const eph = generateKeyPairSync("x25519");
  const ephemeral = `0x${Buffer.from(eph.publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_X25519.length)).toString("hex")}`;
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: publicKeyObject(recipientPublicKey) });
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", aeadKey(shared, ephemeral, recipientPublicKey), iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ephemeralPublicKey: ephemeral, iv: `0x${iv.toString("hex")}`, ciphertext: ciphertext.toString("base64"), tag: `0x${cipher.getAuthTag().toString("hex")}` };
}

/**
 * Decrypts what {@link sealTo} sealed to `keys`.
 * @throws Error when the key is not the recipient's, or the ciphertext, tag, IV or `aad` were changed
 */
export function openSealed(keys: HandoverKeyPair, sealed: Sealed, aad: Buffer): Buffer {
  const shared = diffieHellman({ privateKey: keys.privateKey, publicKey: publicKeyObject(sealed.ephemeralPublicKey) });
  const decipher = createDecipheriv("aes-256-gcm", aeadKey(shared, sealed.ephemeralPublicKey, keys.publicKey), Buffer.from(sealed.iv.slice(2), "hex"));
  decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(sealed.tag.slice(2), "hex"));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]);
}

/** The EIP-712 domain of handover signatures: this chain and this deployment's ClaimRegistry. */
export function handoverDomain(chainId: string | bigint, registry: string): TypedDataDomain {
  return { name: "Debtrail handover", version: "1", chainId: BigInt(chainId), verifyingContract: registry };
}

const KEY_TYPES = { HandoverKey: [{ name: "account", type: "address" }, { name: "publicKey", type: "bytes32" }, { name: "issuedAt", type: "uint64" }] };
const PART_TYPES = { HandoverPart: [{ name: "payloadDigest", type: "bytes32" }] };

/** An organisation's handover public key, signed by its on-chain account. */
export interface KeyStatement {
  account: string;
  publicKey: string;
  /** Unix seconds. */
  issuedAt: number;
  signature: string;
}

export async function signKeyStatement(wallet: Wallet, domain: TypedDataDomain, publicKey: string, issuedAt: number): Promise<KeyStatement> {
  const account = wallet.address;
  const signature = await wallet.signTypedData(domain, KEY_TYPES, { account, publicKey, issuedAt });
  return { account, publicKey, issuedAt, signature };
}

/** True when `s` is signed by `account` (the sale's buyer) for this domain. Never throws. */
export function keyStatementSignedBy(domain: TypedDataDomain, s: KeyStatement, account: string): boolean {
  try {
    if (s.account.toLowerCase() !== account.toLowerCase() || !HEX32.test(s.publicKey)) return false;
    const signer = verifyTypedData(domain, KEY_TYPES, { account: s.account, publicKey: s.publicKey, issuedAt: s.issuedAt }, s.signature);
    return signer.toLowerCase() === account.toLowerCase();
  } catch {
    return false;
  }
}

/** keccak256 of the canonical JSON of `payload`: what the sender signs. */
export function payloadDigest(payload: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(payload)));
}

export function signPayload(wallet: Wallet, domain: TypedDataDomain, payload: unknown): Promise<string> {
  return wallet.signTypedData(domain, PART_TYPES, { payloadDigest: payloadDigest(payload) });
}

/** The account that signed `payload`, or null when the signature is malformed. */
export function payloadSigner(domain: TypedDataDomain, payload: unknown, signature: string): string | null {
  try {
    return verifyTypedData(domain, PART_TYPES, { payloadDigest: payloadDigest(payload) }, signature).toLowerCase();
  } catch {
    return null;
  }
}
