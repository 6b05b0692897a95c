import {
  AbiCoder,
  keccak256,
  recoverAddress,
  Signature,
  solidityPacked,
  toBeHex,
  type Interface,
  type Signer,
  type SigningKey,
  type TransactionResponse,
} from "ethers";

import type { IDIDRegistry } from "../../types/ethers-contracts/index.ts";

/** The surface shared by our registry and the reference `EthereumDIDRegistry` (no `version`, no `deactivated`). */
export type ERC1056Registry = Omit<IDIDRegistry, "version" | "deactivated">;

/** Every write is sent with an explicit gas limit, so no test depends on `eth_estimateGas`. */
export const TX_OVERRIDES = { gasLimit: 1_000_000n } as const;

/** secp256k1 group order. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** An `(v, r, s)` triple as the `*Signed` functions take it; unlike ethers' `Signature` it may be malformed. */
export interface RawSignature {
  v: number;
  r: string;
  s: string;
}

/** One ERC-1056 write with its arguments after `identity`; `fn` is the name the signed message carries. */
export type ERC1056Write =
  | { fn: "changeOwner"; newOwner: string }
  | { fn: "addDelegate"; delegateType: string; delegate: string; validity: bigint }
  | { fn: "revokeDelegate"; delegateType: string; delegate: string }
  | { fn: "setAttribute"; name: string; value: string; validity: bigint }
  | { fn: "revokeAttribute"; name: string; value: string };

/** Solidity types and values of a write's arguments after `identity`, in ABI order. */
export function writeArguments(write: ERC1056Write): { types: string[]; values: (string | bigint)[] } {
  switch (write.fn) {
    case "changeOwner":
      return { types: ["address"], values: [write.newOwner] };
    case "addDelegate":
      return {
        types: ["bytes32", "address", "uint256"],
        values: [write.delegateType, write.delegate, write.validity],
      };
    case "revokeDelegate":
      return { types: ["bytes32", "address"], values: [write.delegateType, write.delegate] };
    case "setAttribute":
      return { types: ["bytes32", "bytes", "uint256"], values: [write.name, write.value, write.validity] };
    case "revokeAttribute":
      return { types: ["bytes32", "bytes"], values: [write.name, write.value] };
  }
}

/**
 * The digest an owner signs for `write`, byte for byte the reference scheme:
 * `keccak256(0x19 0x00 registry nonce[owner] identity "<fn>" args...)` (packed encoding).
 */
export function erc1056Digest(registry: string, nonce: bigint, identity: string, write: ERC1056Write): string {
  const { types, values } = writeArguments(write);
  return signedCallDigest(registry, nonce, identity, write.fn, types, values);
}

/**
 * The digest of any `*Signed` call of `DIDRegistry` (the ERC-1056 ones and the recovery ones):
 * `keccak256(0x19 0x00 registry nonce[signer] identity "<fn>" args...)`, packed.
 */
export function signedCallDigest(
  registry: string,
  nonce: bigint,
  identity: string,
  fn: string,
  types: string[],
  values: (string | bigint)[],
): string {
  return keccak256(
    solidityPacked(
      ["bytes1", "bytes1", "address", "uint256", "address", "string", ...types],
      ["0x19", "0x00", registry, nonce, identity, fn, ...values],
    ),
  );
}

/** Signs the ERC-1056 digest with the raw key (no `personal_sign` prefix), as ethr-did does. */
export function signWrite(
  key: SigningKey,
  registry: string,
  nonce: bigint,
  identity: string,
  write: ERC1056Write,
): RawSignature {
  const { v, r, s } = key.sign(erc1056Digest(registry, nonce, identity, write));
  return { v, r, s };
}

/**
 * `key`'s signature of `write` for `identity` with the nonce of the identity's current owner on `registry`,
 * made for the registry at `signedFor` (by default `registry` itself).
 */
export async function signCurrent(
  registry: ERC1056Registry,
  key: SigningKey,
  identity: string,
  write: ERC1056Write,
  signedFor: ERC1056Registry = registry,
): Promise<RawSignature> {
  const nonce = await registry.nonce(await registry.identityOwner(identity));
  return signWrite(key, await signedFor.getAddress(), nonce, identity, write);
}

/** The address `ecrecover` yields for `signature` over `digest`: the actor a registry sees. */
export function recoverSigner(digest: string, signature: RawSignature): string {
  return recoverAddress(digest, Signature.from(signature));
}

/** The malleable twin of a valid signature: `s' = n - s` and the other `v`; `ecrecover` accepts both. */
export function toHighS({ v, r, s }: RawSignature): RawSignature {
  return { v: v === 27 ? 28 : 27, r, s: toBeHex(SECP256K1_N - BigInt(s), 32) };
}

/** `keccak256(abi.encode(delegateType))`: the key of the public `delegates` mapping. */
export function delegateTypeHash(delegateType: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [delegateType]));
}

async function send(
  registry: ERC1056Registry,
  sender: Signer,
  fn: string,
  args: readonly (string | number | bigint)[],
): Promise<TransactionResponse> {
  const abi: Interface = registry.interface;
  return sender.sendTransaction({
    to: await registry.getAddress(),
    data: abi.encodeFunctionData(fn, args),
    ...TX_OVERRIDES,
  });
}

/** Sends `write` for `identity` directly from `sender`. */
export function sendWrite(
  registry: ERC1056Registry,
  sender: Signer,
  identity: string,
  write: ERC1056Write,
): Promise<TransactionResponse> {
  return send(registry, sender, write.fn, [identity, ...writeArguments(write).values]);
}

/** Relays the signed variant of `write` for `identity` from `relayer`. */
export function sendSignedWrite(
  registry: ERC1056Registry,
  relayer: Signer,
  identity: string,
  signature: RawSignature,
  write: ERC1056Write,
): Promise<TransactionResponse> {
  const { v, r, s } = signature;
  return send(registry, relayer, `${write.fn}Signed`, [identity, v, r, s, ...writeArguments(write).values]);
}
