/**
 * What the trust layer's relayed EIP-712 requests share (`ISignedRequests`): one nonce per authority in each registry,
 * consumed in order by every signed request, and `cancelSignatures` to burn it. Signatures use the domain the
 * contract reports (`eip712DomainOf`), never retyped constants.
 */
import type { Contract, ContractTransactionResponse, Signer, TypedDataField } from "ethers";

import { RealNameRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, eip712DomainOf, statusRegistryOf, type Client } from "./client.js";

/** The registries that accept relayed signed requests, each with its own nonces. */
export type SignedRequestRegistry = "RealNameRegistry" | "StatusRegistry";

/** The client's registry `name`, for reads or (with `write`) transactions. */
export function signedRequestRegistry(client: Client, name: SignedRequestRegistry, write = false): Contract {
  return name === "RealNameRegistry"
    ? contractOf(client, client.realNameRegistry, RealNameRegistryAbi, write)
    : statusRegistryOf(client, write);
}

/**
 * Signs `value` as an EIP-712 message of `types` for `contract` with `signer`, numbered with `authority`'s current
 * nonce in that contract. Returns the nonce (decimal) and the signature.
 */
export async function signRequest(
  contract: Contract,
  signer: Signer,
  authority: string,
  types: Record<string, TypedDataField[]>,
  value: Record<string, unknown>,
): Promise<{ nonce: string; signature: string }> {
  const [nonce, domain] = await Promise.all([
    decoded(() => contract.nonces(authority)).then(String),
    eip712DomainOf(contract),
  ]);
  return { nonce, signature: await signer.signTypedData(domain, types, { ...value, nonce }) };
}

/**
 * The current nonce of `authority` in `registry`: the one its next signed request must carry.
 *
 * @example
 * const next = await signatureNonce(client, { registry: "StatusRegistry", authority: issuer });
 */
export async function signatureNonce(
  client: Client,
  p: { registry: SignedRequestRegistry; authority: string },
): Promise<bigint> {
  return BigInt(await decoded(() => signedRequestRegistry(client, p.registry).nonces(p.authority)));
}

/**
 * Consumes `authority`'s current nonce in `registry`, so every signature it handed out and nobody relayed yet is
 * void (`SignedRequestsInvalidNonce` when relayed). The client's signer is `authority` or, for an issuer, a
 * `veriKey` delegate of it.
 *
 * @example
 * await (await cancelSignatures(issuerClient, { registry: "RealNameRegistry", authority: issuer })).wait();
 */
export function cancelSignatures(
  client: Client,
  p: { registry: SignedRequestRegistry; authority: string },
): Promise<ContractTransactionResponse> {
  return decoded(() => signedRequestRegistry(client, p.registry, true).cancelSignatures(p.authority));
}
