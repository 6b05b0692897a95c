import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { Signer, SigningKey } from "ethers";

import type { DIDRegistry } from "../../types/ethers-contracts/index.ts";
import { signedCallDigest, TX_OVERRIDES, type RawSignature } from "@realdid/testkit/erc1056";

/** A signed recovery call with its arguments after `identity`; `fn` is the name the signed message carries. */
export type RecoveryCall =
  | { fn: "setRecovery"; recovery: string; delay: bigint }
  | { fn: "startRecovery"; newOwner: string }
  | { fn: "cancelRecovery" };

/** Solidity types and values of a recovery call's arguments after `identity`, in ABI order. */
export function recoveryArguments(call: RecoveryCall): { types: string[]; values: (string | bigint)[] } {
  switch (call.fn) {
    case "setRecovery":
      return { types: ["address", "uint256"], values: [call.recovery, call.delay] };
    case "startRecovery":
      return { types: ["address"], values: [call.newOwner] };
    case "cancelRecovery":
      return { types: [], values: [] };
  }
}

/** `keccak256(0x19 0x00 registry nonce[signer] identity "<fn>" args...)` for a recovery call. */
export function recoveryDigest(registry: string, nonce: bigint, identity: string, call: RecoveryCall): string {
  const { types, values } = recoveryArguments(call);
  return signedCallDigest(registry, nonce, identity, call.fn, types, values);
}

/** `key`'s signature of `call` for `identity` on `registry`, over the current nonce of `key`'s address. */
export async function signRecovery(
  registry: DIDRegistry,
  key: SigningKey,
  signer: string,
  identity: string,
  call: RecoveryCall,
): Promise<RawSignature> {
  const nonce = await registry.nonce(signer);
  const { v, r, s } = key.sign(recoveryDigest(await registry.getAddress(), nonce, identity, call));
  return { v, r, s };
}

/** Relays the signed variant of `call` for `identity` from `relayer`. */
export function sendSignedRecovery(
  registry: DIDRegistry,
  relayer: Signer,
  identity: string,
  { v, r, s }: RawSignature,
  call: RecoveryCall,
) {
  const connected = registry.connect(relayer);
  switch (call.fn) {
    case "setRecovery":
      return connected.setRecoverySigned(identity, v, r, s, call.recovery, call.delay, TX_OVERRIDES);
    case "startRecovery":
      return connected.startRecoverySigned(identity, v, r, s, call.newOwner, TX_OVERRIDES);
    case "cancelRecovery":
      return connected.cancelRecoverySigned(identity, v, r, s, TX_OVERRIDES);
  }
}

/**
 * A whole lost-key recovery of `identity` (owned by `owner`): the owner designates `guardian` with `delay`, the
 * guardian starts a recovery to `newOwner`, time passes the delay, and `completer` completes it.
 */
export async function recoverIdentity(
  registry: DIDRegistry,
  networkHelpers: NetworkHelpers,
  { identity, owner, guardian, newOwner, completer, delay }: RecoveryScenario,
): Promise<void> {
  await (await registry.connect(owner).setRecovery(identity, guardian, delay, TX_OVERRIDES)).wait();
  await (await registry.connect(guardian).startRecovery(identity, newOwner, TX_OVERRIDES)).wait();
  await networkHelpers.time.increase(delay);
  await (await registry.connect(completer).completeRecovery(identity, TX_OVERRIDES)).wait();
}

export interface RecoveryScenario {
  identity: string;
  owner: Signer;
  guardian: Signer;
  newOwner: string;
  completer: Signer;
  delay: bigint;
}
