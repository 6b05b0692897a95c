/**
 * Gas of every ERC-1056 write on `DIDRegistry` against the reference `EthereumDIDRegistry`, each sent the same way with
 * the same keys on one chain.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import {
  encodeBytes32String,
  hexlify,
  id,
  toQuantity,
  toUtf8Bytes,
  Wallet,
  ZeroAddress,
  type Provider,
  type Signer,
} from "ethers";

import {
  sendSignedWrite,
  sendWrite,
  signCurrent,
  type ERC1056Registry,
  type ERC1056Write,
} from "@realdid/testkit/erc1056";
import { deployRegistryPair } from "@realdid/testkit/interop";
import { DAY, VERI_KEY } from "@realdid/testkit/trust";
import { gasOf, type GasRow, type GasSection } from "./lib/gas.ts";

/** An attribute as the registry sees it: bytes32 name, bytes value. */
interface Attribute {
  label: string;
  name: string;
  value: string;
}

const HUB: Attribute = {
  label: "23-byte service endpoint",
  name: encodeBytes32String("did/svc/HubService"),
  value: hexlify(toUtf8Bytes("https://hub.example.com")),
};
const PUBLIC_KEY: Attribute = {
  label: "65-byte public key",
  name: encodeBytes32String("did/pub/Secp256k1/veriKey/hex"),
  value: new Wallet(id("realdid.bench.device")).signingKey.publicKey,
};

/** A write in a scenario; `measured` names the row it is measured for ("first", "repeated"), others set the scene. */
interface Step {
  write: ERC1056Write;
  measured?: string;
}

/** A sequence of writes on one fresh identity, run directly and, if `signed`, relayed as `*Signed` calls. */
interface Scenario {
  operation: string;
  /** What sets this scenario apart from others of the same operation, appended to its row labels. */
  variant?: string;
  signed: boolean;
  steps: Step[];
}

/** Deterministic keys, so both registries see the same identities and owners. */
const key = (label: string): Wallet => new Wallet(id(`realdid.bench.${label}`));
const owners = [key("owner-1"), key("owner-2")];
const [delegate1, delegate2] = [key("delegate-1").address, key("delegate-2").address];

const changeOwner = (newOwner: string): ERC1056Write => ({ fn: "changeOwner", newOwner });
const addDelegate = (delegate: string): ERC1056Write => ({
  fn: "addDelegate",
  delegateType: VERI_KEY,
  delegate,
  validity: DAY,
});
const revokeDelegate = (delegate: string): ERC1056Write => ({ fn: "revokeDelegate", delegateType: VERI_KEY, delegate });
const setAttribute = ({ name, value }: Attribute): ERC1056Write => ({ fn: "setAttribute", name, value, validity: DAY });
const revokeAttribute = ({ name, value }: Attribute): ERC1056Write => ({ fn: "revokeAttribute", name, value });

/** A write measured first on a fresh identity, then repeated on it with `again`. */
const firstAndRepeated = (first: ERC1056Write, again: ERC1056Write): Step[] => [
  { write: first, measured: "first" },
  { write: again, measured: "repeated" },
];

/** "first": the first write of its kind on a fresh identity (revocations after the matching additions). */
const SCENARIOS: Scenario[] = [
  {
    operation: "changeOwner",
    signed: true,
    steps: firstAndRepeated(changeOwner(owners[0].address), changeOwner(owners[1].address)),
  },
  { operation: "addDelegate", signed: true, steps: firstAndRepeated(addDelegate(delegate1), addDelegate(delegate2)) },
  {
    operation: "revokeDelegate",
    signed: true,
    steps: [
      { write: addDelegate(delegate1) },
      { write: addDelegate(delegate2) },
      ...firstAndRepeated(revokeDelegate(delegate1), revokeDelegate(delegate2)),
    ],
  },
  ...[HUB, PUBLIC_KEY].map((attribute): Scenario => ({
    operation: "setAttribute",
    variant: attribute.label,
    signed: true,
    steps: firstAndRepeated(setAttribute(attribute), setAttribute(attribute)),
  })),
  {
    operation: "revokeAttribute",
    signed: true,
    steps: [
      { write: setAttribute(HUB) },
      { write: setAttribute(PUBLIC_KEY) },
      { write: revokeAttribute(HUB), measured: `first, ${HUB.label}` },
      { write: revokeAttribute(PUBLIC_KEY), measured: `repeated, ${PUBLIC_KEY.label}` },
    ],
  },
  {
    operation: "deactivation",
    variant: "changeOwner to 0",
    signed: false,
    steps: [{ write: changeOwner(ZeroAddress), measured: "untouched identity" }],
  },
  {
    operation: "deactivation",
    variant: "changeOwner to 0",
    signed: false,
    steps: [
      { write: changeOwner(owners[0].address) },
      { write: changeOwner(ZeroAddress), measured: "owner changed before" },
    ],
  },
];

/** Where a scenario runs: a registry, the provider its keys send through, and the relayer of `*Signed` calls. */
interface Target {
  registry: ERC1056Registry;
  provider: Provider;
  relayer?: Signer;
}

/** Runs `scenario` for `identity` on `target` and returns the gas of its measured steps by label. */
async function run(
  { registry, provider, relayer }: Target,
  identity: Wallet,
  scenario: Scenario,
): Promise<Map<string, bigint>> {
  const measured = new Map<string, bigint>();
  let owner: Wallet | undefined = identity;
  for (const { write, measured: label } of scenario.steps) {
    if (owner === undefined) throw new Error(`${scenario.operation}: a write after the identity was deactivated`);
    const transaction =
      relayer === undefined
        ? sendWrite(registry, owner.connect(provider), identity.address, write)
        : sendSignedWrite(
            registry,
            relayer,
            identity.address,
            await signCurrent(registry, owner.signingKey, identity.address, write),
            write,
          );
    const gas = await gasOf(transaction);
    if (label !== undefined) measured.set(label, gas);
    if (write.fn === "changeOwner") owner = owners.find(({ address }) => address === write.newOwner);
  }
  return measured;
}

/** Measures every scenario on both registries and returns the comparison section. */
export async function benchDIDRegistry(ethers: HardhatEthers): Promise<GasSection> {
  const { ours, reference } = await deployRegistryPair(ethers);
  const [, relayer] = await ethers.getSigners();
  const provider = ethers.provider;
  const rows: GasRow[] = [];
  for (const [index, scenario] of SCENARIOS.entries()) {
    for (const signed of scenario.signed ? [false, true] : [false]) {
      const identity = key(`identity-${index}-${signed ? "signed" : "direct"}`);
      for (const account of [identity, ...owners]) {
        await provider.send("hardhat_setBalance", [account.address, toQuantity(10n ** 20n)]);
      }
      const sender = signed ? relayer : undefined;
      const ourGas = await run({ registry: ours, provider, relayer: sender }, identity, scenario);
      const referenceGas = await run({ registry: reference, provider, relayer: sender }, identity, scenario);
      for (const [label, gas] of ourGas) {
        const operation = `${scenario.operation}${signed ? "Signed" : ""}`;
        const detail = [label, scenario.variant].filter((part) => part !== undefined).join(", ");
        const baseline = referenceGas.get(label);
        if (baseline === undefined) throw new Error(`${operation} (${detail}) was not measured on the reference`);
        rows.push({ operation: `${operation} (${detail})`, ours: gas, baseline });
      }
    }
  }
  return {
    title: "DIDRegistry vs reference EthereumDIDRegistry",
    baseline: "ethr-did-registry",
    rows,
    goals: [
      { description: "no operation costs more than the reference", maxPercent: 100 },
      {
        description: "a first changeOwner costs at most 75% of the reference",
        maxPercent: 75,
        operations: ["changeOwner (first)"],
      },
    ],
    notes: [
      "Gas is the receipt's gasUsed: the 21,000 base fee and calldata included, every transaction sent cold.",
      "Reference: the EthereumDIDRegistry bytecode shipped in the ethr-did-registry package, deployed unchanged.",
      "first: the first write of its kind on a fresh identity (revocations after the matching additions); " +
        "repeated: the next write of that kind on the same identity.",
      "*Signed rows are relayed by another account with the owner's ERC-1056 signature.",
    ],
  };
}
