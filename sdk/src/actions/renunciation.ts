/**
 * A holder gives up its DID's attestation: consent to a replacement the replacement rule would refuse (a lower level,
 * another issuer), or leaving a scope (its nullifier is released). Directly, or signed (EIP-712 `Renunciation`) and
 * relayed by anyone, so the holder's key needs no gas.
 */
import type { ContractTransactionResponse, Signer } from "ethers";

import { RealNameRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, type Client } from "./client.js";
import { signRequest } from "./signed-requests.js";
import { RENUNCIATION_TYPES } from "./typed-data.js";

const registry = (client: Client, write = false) =>
  contractOf(client, client.realNameRegistry, RealNameRegistryAbi, write);

/**
 * Renounces `identity`'s attestation; the client's signer is the DID's owner (anyone else fails with
 * `RealNameRegistryUnauthorizedActor`, naming the signer as `actor` and the owner).
 *
 * @example
 * await (await renounce(holderClient, { identity })).wait();
 */
export function renounce(client: Client, { identity }: { identity: string }): Promise<ContractTransactionResponse> {
  return decoded(() => registry(client, true).renounce(identity));
}

/** A renunciation signed by the DID's owner, ready for a relayer's {@link sendRenunciation}. */
export interface SignedRenunciation {
  identity: string;
  owner: string;
  /** The owner's nonce the signature consumes (decimal). */
  nonce: string;
  deadline: number;
  signature: string;
}

/**
 * The DID owner's EIP-712 `Renunciation` of `identity`'s attestation, valid until `deadline` for its current nonce.
 *
 * @example
 * const signed = await signRenunciation(client, siteKey.wallet, { identity, deadline: now + 600 });
 */
export async function signRenunciation(
  client: Client,
  owner: Signer,
  p: { identity: string; deadline: number },
): Promise<SignedRenunciation> {
  const ownerAddress = await owner.getAddress();
  const value = { owner: ownerAddress, identity: p.identity, deadline: p.deadline };
  const signed = await signRequest(registry(client), owner, ownerAddress, RENUNCIATION_TYPES, value);
  return { ...value, ...signed };
}

/**
 * Relays a {@link SignedRenunciation} (`renounceBySig`), paid by the client's signer.
 *
 * @example
 * await (await sendRenunciation(relayerClient, signed)).wait();
 */
export function sendRenunciation(client: Client, r: SignedRenunciation): Promise<ContractTransactionResponse> {
  return decoded(() => registry(client, true).renounceBySig(r.identity, r.owner, r.nonce, r.deadline, r.signature));
}
