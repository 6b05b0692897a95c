/**
 * Trust-layer writes of the current contracts: an issuer attests a DID's real name (only a salted commitment goes on
 * chain), reconfirms it after an ownership change, revokes or suspends it through its status bits, and the DID's
 * owner discloses the real name publicly, directly or through a relayer (EIP-712 `Disclosure`).
 */
import { type ContractTransactionResponse, type Signer, ZeroHash } from "ethers";

import { DIDRegistryAbi, RealNameRegistryAbi, StatusRegistryAbi } from "../abis.generated.js";
import { commitmentOf, randomSalt } from "../commitment.js";
import { ConfigurationError } from "../errors/base.js";
import { contractOf, decoded, type Client } from "./client.js";
import { signRequest } from "./signed-requests.js";
import { DISCLOSURE_TYPES } from "./typed-data.js";

const registry = (client: Client, write = false) =>
  contractOf(client, client.realNameRegistry, RealNameRegistryAbi, write);

/** What an issuer attests about one identity (the contract's `AttestationData`). */
export interface AttestationData {
  identity: string;
  /** The DID owner the issuer checked. */
  owner: string;
  level: number;
  expiry: number;
  /** `commitmentOf(identity, realName, salt)`. */
  commitment: string;
  /** Platform domain hash, zero when unscoped. */
  scope: string;
  /** Scoped nullifier, zero exactly when `scope` is. */
  nullifier: string;
}

/** Parameters of {@link attestRealName} (and of the signed `signAttestation`). */
export interface AttestRealNameParams {
  /** The accredited issuer the client's signer acts for (itself or as its `veriKey` delegate). */
  issuer: string;
  identity: string;
  /** Assurance level, 1..3 (at most the issuer's maximum). */
  level: number;
  /** Unix time after which the attestation no longer verifies. */
  expiry: number;
  /** The verified real name: only its salted commitment reaches the chain. */
  realName: string;
  /** 32-byte salt of the commitment (default: a fresh random one). Hand it to the holder: it opens the commitment. */
  salt?: string;
  /**
   * The DID owner the issuer checked (default: the owner on chain now). The contract refuses the attestation if the
   * DID changed hands before it lands, so a verification never passes to a new owner.
   */
  owner?: string;
  /** Platform domain hash of a scoped attestation, with its `nullifier` (both or neither). */
  scope?: string;
  nullifier?: string;
}

/**
 * The {@link AttestationData} of an issuance: a fresh salt (unless given), the commitment of the name, the DID's
 * owner on chain now (unless given). Nothing is sent; the name stays here.
 *
 * @example
 * const { data, salt } = await attestationDataOf(client, { issuer, identity, level: 2, expiry, realName: "Zhang San" });
 */
export async function attestationDataOf(
  client: Client,
  p: AttestRealNameParams,
): Promise<{ data: AttestationData; salt: string }> {
  const salt = p.salt ?? randomSalt();
  const owner =
    p.owner ??
    String(await decoded(() => contractOf(client, client.didRegistry, DIDRegistryAbi).identityOwner(p.identity)));
  const data = {
    identity: p.identity,
    owner,
    level: p.level,
    expiry: p.expiry,
    commitment: commitmentOf(p.identity, p.realName, salt),
    scope: p.scope ?? ZeroHash,
    nullifier: p.nullifier ?? ZeroHash,
  };
  return { data, salt };
}

/**
 * Attests that `identity` belongs to the person named `realName`, as `issuer`, storing only
 * `commitmentOf(identity, realName, salt)`. Returns the transaction and the salt the holder needs to disclose later.
 *
 * @example
 * const { tx, salt } = await attestRealName(issuerClient, { issuer, identity, level: 2, expiry, realName: "Zhang San" });
 * await tx.wait(); // give `salt` to the holder, off chain
 */
export async function attestRealName(
  client: Client,
  p: AttestRealNameParams,
): Promise<{ tx: ContractTransactionResponse; salt: string; commitment: string }> {
  const { data, salt } = await attestationDataOf(client, p);
  const tx = await decoded(() => registry(client, true).attest(p.issuer, data));
  return { tx, salt, commitment: data.commitment };
}

/**
 * Confirms the DID's new owner after an ownership change, so its attestation verifies again (until then
 * `isVerified` is false with reason `OwnerChanged`). The client's signer is the attestation's issuer or its `veriKey`
 * delegate; `owner` defaults to the DID's owner on chain now.
 *
 * @example
 * await (await reconfirm(issuerClient, { identity })).wait();
 */
export async function reconfirm(
  client: Client,
  p: { identity: string; owner?: string },
): Promise<ContractTransactionResponse> {
  const owner =
    p.owner ??
    String(await decoded(() => contractOf(client, client.didRegistry, DIDRegistryAbi).identityOwner(p.identity)));
  return decoded(() => registry(client, true).reconfirm(p.identity, owner));
}

/** Which status bit of an attestation to set. */
export type AttestationStatus = "revoked" | "suspended";

/**
 * Sets the `revoked` or `suspended` bit of `identity`'s current attestation in its issuer's status list, or lifts a
 * suspension (`value: false`). The client's signer is the issuer or its `veriKey` delegate. `isVerified` turns false
 * in the same block. A revocation is final: clearing one fails with `StatusRegistryRevocationFinal`, and only an
 * active issuer lifts a suspension (`StatusRegistryIssuerNotActive`).
 *
 * @example
 * await (await setAttestationStatus(issuerClient, { identity, status: "revoked" })).wait();
 * await (await setAttestationStatus(issuerClient, { identity, status: "suspended", value: false })).wait(); // lift
 */
export async function setAttestationStatus(
  client: Client,
  p: { identity: string; status: AttestationStatus; value?: boolean },
): Promise<ContractTransactionResponse> {
  const { issuer, statusIndex } = await decoded(() => registry(client).getVerification(p.identity, 0));
  if (BigInt(issuer) === 0n) throw new ConfigurationError(`${p.identity} has no attestation`);
  const address = String(await decoded(() => registry(client).statusRegistry()));
  const statuses = contractOf(client, address, StatusRegistryAbi, true);
  const purpose = p.status === "revoked" ? 0 : 1;
  return decoded(() => statuses.setStatus(issuer, purpose, statusIndex, p.value ?? true));
}

/** A disclosure signed by the DID's owner, ready for a relayer's {@link sendDisclosure}. */
export interface SignedDisclosure {
  identity: string;
  owner: string;
  realName: string;
  salt: string;
  nonce: string;
  deadline: number;
  signature: string;
}

/**
 * The DID owner's EIP-712 `Disclosure` of the real name behind its attestation (name and salt from the issuer), for a
 * relayer to send: nobody needs gas in the holder's key. Valid until `deadline` and for the owner's current nonce.
 *
 * @example
 * const signed = await signDisclosure(client, siteKey.wallet, { identity, realName, salt, deadline: now + 600 });
 * await fetch("/relay/disclose", { method: "POST", body: JSON.stringify(signed) });
 */
export async function signDisclosure(
  client: Client,
  owner: Signer,
  p: { identity: string; realName: string; salt: string; deadline: number },
): Promise<SignedDisclosure> {
  const ownerAddress = await owner.getAddress();
  const value = { owner: ownerAddress, identity: p.identity, realName: p.realName, salt: p.salt, deadline: p.deadline };
  const signed = await signRequest(registry(client), owner, ownerAddress, DISCLOSURE_TYPES, value);
  return { ...value, ...signed };
}

/**
 * Sends a {@link SignedDisclosure} (`discloseBySig`), paid by the client's signer. The name is public forever.
 *
 * @example
 * await (await sendDisclosure(relayerClient, signed)).wait();
 */
export function sendDisclosure(client: Client, d: SignedDisclosure): Promise<ContractTransactionResponse> {
  return decoded(() =>
    registry(client, true).discloseBySig(d.identity, d.owner, d.realName, d.salt, d.nonce, d.deadline, d.signature),
  );
}
