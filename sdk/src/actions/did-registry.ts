/**
 * DIDRegistry (ERC-1056) actions: reads, direct writes by the identity's owner, and the `*Signed` variants a relayer
 * sends for the owner (gasless). Each is a function of a {@link Client}; reverts throw their typed contract error.
 */
import {
  concat,
  encodeBytes32String,
  getBytes,
  hexlify,
  isHexString,
  keccak256,
  Signature,
  solidityPacked,
  toUtf8Bytes,
  type BytesLike,
  type ContractTransactionResponse,
  type SigningKey,
} from "ethers";

import { DIDRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, type Client } from "./client.js";

/** A bytes32 name or delegate type: a short string (`"sigAuth"`, `"did/svc/HubService"`) or 32 bytes as hex. */
export type Bytes32Name = string;

/** The bytes32 form of a name or delegate type. */
function bytes32(name: Bytes32Name): string {
  return isHexString(name, 32) ? name : encodeBytes32String(name);
}

/** An attribute value: bytes, or a string stored as UTF-8. */
function valueBytes(value: BytesLike | string): string {
  return typeof value === "string" && !isHexString(value) ? hexlify(toUtf8Bytes(value)) : hexlify(value);
}

const registry = (client: Client, write = false) => contractOf(client, client.didRegistry, DIDRegistryAbi, write);

// --------------------------------------------------------------------------------------------------- reads

/**
 * The identity's current owner (itself until changed, the zero address once deactivated).
 *
 * @example
 * const owner = await identityOwner(client, { identity: "0x8ba1f109551bD432803012645Ac136ddd64DBA72" });
 */
export function identityOwner(client: Client, { identity }: { identity: string }): Promise<string> {
  return decoded(() => registry(client).identityOwner(identity));
}

/**
 * Whether `delegate` is a valid delegate of `delegateType` (`"sigAuth"`, `"veriKey"`) for the identity now.
 *
 * @example
 * const canSignIn = await validDelegate(client, { identity, delegateType: "sigAuth", delegate: deviceKey.address });
 */
export function validDelegate(
  client: Client,
  params: { identity: string; delegateType: Bytes32Name; delegate: string },
): Promise<boolean> {
  return decoded(() => registry(client).validDelegate(params.identity, bytes32(params.delegateType), params.delegate));
}

/**
 * The ERC-1056 nonce of `signer` (the owner whose next `*Signed` message it numbers).
 *
 * @example
 * const next = await nonce(client, { signer: ownerAddress });
 */
export function nonce(client: Client, { signer }: { signer: string }): Promise<bigint> {
  return decoded(() => registry(client).nonce(signer));
}

/**
 * The block of the identity's latest change (0 if never changed).
 *
 * @example
 * const block = await changed(client, { identity });
 */
export function changed(client: Client, { identity }: { identity: string }): Promise<bigint> {
  return decoded(() => registry(client).changed(identity));
}

/**
 * Whether the identity is deactivated (final).
 *
 * @example
 * if (await deactivated(client, { identity })) console.log("gone");
 */
export function deactivated(client: Client, { identity }: { identity: string }): Promise<boolean> {
  return decoded(() => registry(client).deactivated(identity));
}

// ------------------------------------------------------------------------------------------- direct writes

/** Parameters of each DIDRegistry change (validities in seconds from the block). */
export interface ChangeOwnerParams {
  identity: string;
  newOwner: string;
}
export interface AddDelegateParams {
  identity: string;
  delegateType: Bytes32Name;
  delegate: string;
  validity: bigint | number;
}
export interface RevokeDelegateParams {
  identity: string;
  delegateType: Bytes32Name;
  delegate: string;
}
export interface SetAttributeParams {
  identity: string;
  name: Bytes32Name;
  value: BytesLike | string;
  validity: bigint | number;
}
export interface RevokeAttributeParams {
  identity: string;
  name: Bytes32Name;
  value: BytesLike | string;
}

/**
 * Transfers the identity to `newOwner` (the zero address deactivates it, finally). Sent by the client's signer,
 * which must be the current owner.
 *
 * @example
 * const tx = await changeOwner(client, { identity: wallet.address, newOwner: coldKey.address });
 * await tx.wait();
 */
export function changeOwner(client: Client, p: ChangeOwnerParams): Promise<ContractTransactionResponse> {
  return decoded(() => registry(client, true).changeOwner(p.identity, p.newOwner));
}

/**
 * Adds a delegate (`sigAuth`: may sign in and sign; `veriKey`: may sign credentials) for `validity` seconds.
 *
 * @example
 * await addDelegate(client, { identity, delegateType: "sigAuth", delegate: deviceKey.address, validity: 86_400 * 365 });
 */
export function addDelegate(client: Client, p: AddDelegateParams): Promise<ContractTransactionResponse> {
  return decoded(() => registry(client, true).addDelegate(p.identity, bytes32(p.delegateType), p.delegate, p.validity));
}

/**
 * Revokes a delegate at once.
 *
 * @example
 * await revokeDelegate(client, { identity, delegateType: "sigAuth", delegate: lostPhone.address });
 */
export function revokeDelegate(client: Client, p: RevokeDelegateParams): Promise<ContractTransactionResponse> {
  return decoded(() => registry(client, true).revokeDelegate(p.identity, bytes32(p.delegateType), p.delegate));
}

/**
 * Sets an attribute (a public key `did/pub/<algorithm>/<purpose>/<encoding>` or a service `did/svc/<type>`).
 *
 * @example
 * await setAttribute(client, { identity, name: "did/svc/HubService", value: "https://hub.example", validity: 86_400 });
 */
export function setAttribute(client: Client, p: SetAttributeParams): Promise<ContractTransactionResponse> {
  return decoded(() =>
    registry(client, true).setAttribute(p.identity, bytes32(p.name), valueBytes(p.value), p.validity),
  );
}

/**
 * Revokes an attribute at once.
 *
 * @example
 * await revokeAttribute(client, { identity, name: "did/svc/HubService", value: "https://hub.example" });
 */
export function revokeAttribute(client: Client, p: RevokeAttributeParams): Promise<ContractTransactionResponse> {
  return decoded(() => registry(client, true).revokeAttribute(p.identity, bytes32(p.name), valueBytes(p.value)));
}

// ------------------------------------------------------------------------------------ signed (relayed) writes

/** One of the ERC-1056 changes an owner can sign for a relayer. */
export type SignableChange =
  | ({ action: "changeOwner" } & ChangeOwnerParams)
  | ({ action: "addDelegate" } & AddDelegateParams)
  | ({ action: "revokeDelegate" } & RevokeDelegateParams)
  | ({ action: "setAttribute" } & SetAttributeParams)
  | ({ action: "revokeAttribute" } & RevokeAttributeParams);

/** The packed payload after the identity in the ERC-1056 signed message. */
function payload(change: SignableChange): string {
  switch (change.action) {
    case "changeOwner":
      return solidityPacked(["string", "address"], ["changeOwner", change.newOwner]);
    case "addDelegate":
      return solidityPacked(
        ["string", "bytes32", "address", "uint256"],
        ["addDelegate", bytes32(change.delegateType), change.delegate, change.validity],
      );
    case "revokeDelegate":
      return solidityPacked(
        ["string", "bytes32", "address"],
        ["revokeDelegate", bytes32(change.delegateType), change.delegate],
      );
    case "setAttribute":
      return solidityPacked(
        ["string", "bytes32", "bytes", "uint256"],
        ["setAttribute", bytes32(change.name), valueBytes(change.value), change.validity],
      );
    case "revokeAttribute":
      return solidityPacked(
        ["string", "bytes32", "bytes"],
        ["revokeAttribute", bytes32(change.name), valueBytes(change.value)],
      );
  }
}

/**
 * The hash an owner signs (raw, no message prefix) to authorise `change` through its `*Signed` variant:
 * `keccak256(0x19 0x00 ‖ registry ‖ nonce(owner) ‖ identity ‖ payload)`, ERC-1056's layout.
 *
 * @example
 * const hash = signedChangeHash(registryAddress, await nonce(client, { signer: owner }), change);
 */
export function signedChangeHash(registryAddress: string, ownerNonce: bigint, change: SignableChange): string {
  return keccak256(
    concat([
      "0x1900",
      solidityPacked(["address", "uint256", "address"], [registryAddress, ownerNonce, change.identity]),
      payload(change),
    ]),
  );
}

/** A change signed by the identity's owner, ready for a relayer's {@link sendSignedChange}. */
export interface SignedChange {
  change: SignableChange;
  sigV: number;
  sigR: string;
  sigS: string;
}

/**
 * Signs `change` with the owner's key for a relayer: reads the owner's nonce, builds {@link signedChangeHash} and
 * signs it. The signature is valid for that nonce only (any later signed change by the owner invalidates it).
 *
 * @example
 * const signed = await signChange(client, owner.signingKey, { action: "addDelegate", identity, delegateType: "sigAuth", delegate, validity: 86_400 });
 * // sent by anyone who pays the gas:
 * await sendSignedChange(relayerClient, signed);
 */
export async function signChange(client: Client, ownerKey: SigningKey, change: SignableChange): Promise<SignedChange> {
  const owner = await identityOwner(client, { identity: change.identity });
  const ownerNonce = await nonce(client, { signer: owner });
  const signature = Signature.from(ownerKey.sign(getBytes(signedChangeHash(client.didRegistry, ownerNonce, change))));
  return { change, sigV: signature.v, sigR: signature.r, sigS: signature.s };
}

/**
 * Sends a {@link SignedChange} through the matching `*Signed` function, paid by the client's signer (the relayer).
 *
 * @example
 * const tx = await sendSignedChange(relayerClient, signed);
 */
export function sendSignedChange(client: Client, signed: SignedChange): Promise<ContractTransactionResponse> {
  const { change, sigV, sigR, sigS } = signed;
  const contract = registry(client, true);
  const sig = [change.identity, sigV, sigR, sigS] as const;
  return decoded(() => {
    switch (change.action) {
      case "changeOwner":
        return contract.changeOwnerSigned(...sig, change.newOwner);
      case "addDelegate":
        return contract.addDelegateSigned(...sig, bytes32(change.delegateType), change.delegate, change.validity);
      case "revokeDelegate":
        return contract.revokeDelegateSigned(...sig, bytes32(change.delegateType), change.delegate);
      case "setAttribute":
        return contract.setAttributeSigned(...sig, bytes32(change.name), valueBytes(change.value), change.validity);
      case "revokeAttribute":
        return contract.revokeAttributeSigned(...sig, bytes32(change.name), valueBytes(change.value));
    }
  });
}
