/**
 * The changes the council makes, as calls its timelock runs as ADMIN — and back: a proposal's calls decoded
 * into what they do, so that a member approves only what it read. A call this code does not recognise is
 * shown as it is (contract, raw data), flagged unknown: nothing is hidden behind a description.
 */
import { ZeroHash, getAddress, type Interface, type Provider } from "ethers";
import {
  ClaimRegistry__factory, CollectionClauses__factory, Council__factory, EvidenceLog__factory,
} from "../../types/ethers-contracts/index.js";
import { CHAIN_ROLES, type ChainRole } from "../config/roles.js";
import { roleId } from "./roles.js";
import type { CouncilCall } from "./council.js";
import type { Deployment } from "./deployment.js";

/** A change an organisation may propose (`debtrail council propose …`). */
export type CouncilChange =
  | { kind: "grant" | "revoke"; role: ChainRole; account: string }
  | { kind: "quorum"; quorum: number }
  | { kind: "report-age"; seconds: number }
  | { kind: "lift-restriction"; claimId: string }
  | { kind: "pause" | "unpause" };

/** One call in words: a message key of src/i18n/council.ts and its placeholders. */
export interface CallText {
  key: string;
  vars: Record<string, string>;
  /** The call is not one this code knows: the words are the raw call. */
  unknown?: true;
}

// As plain interfaces: the function names below are chosen at run time.
const registryI: Interface = ClaimRegistry__factory.createInterface();
const evidenceI: Interface = EvidenceLog__factory.createInterface();
const clausesI = CollectionClauses__factory.createInterface();
const councilI = Council__factory.createInterface();

function addressOf(d: Deployment, name: string): string {
  const a = d.contracts[name]?.address;
  if (!a) throw new Error(`the deployment names no ${name}: redeploy`);
  return getAddress(a);
}

/**
 * The calls of `change`. RECORDER lives on the evidence log too (it signs evidence anchors), so granting or
 * revoking it touches both contracts, as the deployment's own grants do; pausing stops the registry and the
 * evidence log together.
 */
export function callsOf(change: CouncilChange, d: Deployment): CouncilCall[] {
  const registry = addressOf(d, "ClaimRegistry");
  switch (change.kind) {
    case "grant":
    case "revoke": {
      const fn = change.kind === "grant" ? "grantRole" : "revokeRole";
      const calls = [{ to: registry, data: registryI.encodeFunctionData(fn, [roleId(change.role), getAddress(change.account)]) }];
      if (change.role === "RECORDER") calls.push({ to: addressOf(d, "EvidenceLog"), data: evidenceI.encodeFunctionData(fn, [roleId("RECORDER"), getAddress(change.account)]) });
      return calls;
    }
    case "quorum":
      return [{ to: addressOf(d, "CollectionClauses"), data: clausesI.encodeFunctionData("setQuorum", [change.quorum]) }];
    case "report-age":
      return [{ to: addressOf(d, "CollectionClauses"), data: clausesI.encodeFunctionData("setMaxReportAge", [change.seconds]) }];
    case "lift-restriction":
      return [{ to: registry, data: registryI.encodeFunctionData("liftResaleRestriction", [change.claimId]) }];
    case "pause":
    case "unpause":
      return [
        { to: registry, data: registryI.encodeFunctionData(change.kind) },
        { to: addressOf(d, "EvidenceLog"), data: evidenceI.encodeFunctionData(change.kind) },
      ];
  }
}

/**
 * Whether `change` is already in effect on chain (the role held or not, the value set, the claim not
 * restricted, the contracts paused or not): re-proposing a done change says so instead of asking again.
 */
export async function inEffect(change: CouncilChange, d: Deployment, provider: Provider): Promise<boolean> {
  const registry = ClaimRegistry__factory.connect(addressOf(d, "ClaimRegistry"), provider);
  const evidence = EvidenceLog__factory.connect(addressOf(d, "EvidenceLog"), provider);
  switch (change.kind) {
    case "grant":
    case "revoke": {
      const held = [await registry.hasRole(roleId(change.role), change.account)];
      if (change.role === "RECORDER") held.push(await evidence.hasRole(roleId("RECORDER"), change.account));
      return change.kind === "grant" ? held.every(Boolean) : !held.some(Boolean);
    }
    case "quorum":
      return Number(await CollectionClauses__factory.connect(addressOf(d, "CollectionClauses"), provider).quorum()) === change.quorum;
    case "report-age":
      return Number(await CollectionClauses__factory.connect(addressOf(d, "CollectionClauses"), provider).maxReportAge()) === change.seconds;
    case "lift-restriction":
      return !(await registry.isResaleRestricted(change.claimId));
    case "pause":
    case "unpause": {
      const paused = [await registry.paused(), await evidence.paused()];
      return change.kind === "pause" ? paused.every(Boolean) : !paused.some(Boolean);
    }
  }
}

/** A role id in words: its name (contracts/Roles.sol), DEFAULT_ADMIN_ROLE, else the id itself. */
function roleName(id: string): string {
  if (id === ZeroHash) return "DEFAULT_ADMIN_ROLE";
  return CHAIN_ROLES.find((r) => roleId(r) === id) ?? id;
}

/** `call` in words (a message of src/i18n/council.ts), naming the contract by its name in the deployment. */
export function describeCall(call: CouncilCall, d: Deployment): CallText {
  const names = Object.fromEntries(Object.entries(d.contracts).map(([name, c]) => [c.address.toLowerCase(), name]));
  const contract = names[call.to.toLowerCase()];
  const raw: CallText = { key: "council.call.unknown", vars: { contract: contract ?? call.to, data: call.data, value: String(call.value ?? 0n) }, unknown: true };
  const iface = { ClaimRegistry: registryI, EvidenceLog: evidenceI, CollectionClauses: clausesI, Council: councilI }[contract ?? ""];
  if (!iface || (call.value ?? 0n) !== 0n) return raw;
  let parsed;
  try {
    parsed = iface.parseTransaction({ data: call.data });
  } catch {
    return raw;
  }
  if (!parsed) return raw;
  const a = parsed.args;
  const vars = { contract: contract! };
  switch (parsed.name) {
    case "grantRole":
    case "revokeRole":
      return { key: `council.call.${parsed.name}`, vars: { ...vars, role: roleName(a[0]), account: a[1] } };
    case "setQuorum":
      return { key: "council.call.setQuorum", vars: { ...vars, quorum: String(a[0]) } };
    case "setMaxReportAge":
      return { key: "council.call.setMaxReportAge", vars: { ...vars, seconds: String(a[0]), days: (Number(a[0]) / 86_400).toFixed(2).replace(/\.?0+$/, "") } };
    case "liftResaleRestriction":
      return { key: "council.call.liftResaleRestriction", vars: { ...vars, claimId: a[0] } };
    case "pause":
    case "unpause":
      return { key: `council.call.${parsed.name}`, vars };
    case "bindOriginatorCode":
      return { key: "council.call.bindOriginatorCode", vars: { ...vars, code: Buffer.from(String(a[0]).slice(2), "hex").toString("latin1").replace(/\0+$/, ""), account: a[1] } };
    case "reconfigure":
      return { key: "council.call.reconfigure", vars: { ...vars, members: (a[0] as string[]).join(", "), threshold: String(a[1]) } };
    default:
      // A known contract, a function without words here: its name and arguments as they are.
      return { key: "council.call.other", vars: { ...vars, fn: parsed.signature, args: a.map(String).join(", ") } };
  }
}
