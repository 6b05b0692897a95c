/**
 * Relayed attestation (`attestBySig`): the issuer's key (or its `veriKey` delegate, or an EIP-1271 wallet's key)
 * signs an EIP-712 `Attestation` offline; anyone relays it and pays the gas. The signature consumes the issuer's
 * nonce in the RealNameRegistry, so it is good once, until its deadline, on the chain and registry of its domain.
 */
import type { ContractTransactionResponse, Signer } from "ethers";

import { RealNameRegistryAbi } from "../abis.generated.js";
import { attestationDataOf, type AttestationData, type AttestRealNameParams } from "./attestations.js";
import { contractOf, decoded, type Client } from "./client.js";
import { signRequest } from "./signed-requests.js";
import { ATTESTATION_TYPES } from "./typed-data.js";

const registry = (client: Client, write = false) =>
  contractOf(client, client.realNameRegistry, RealNameRegistryAbi, write);

/** An attestation signed for `issuer` by `signer`, ready for a relayer's {@link sendAttestation}. */
export interface SignedAttestation {
  issuer: string;
  /** The key that signed: the issuer itself or its `veriKey` delegate. */
  signer: string;
  data: AttestationData;
  /** The issuer's nonce the signature consumes (decimal). */
  nonce: string;
  /** Unix time after which the signature is refused (`SignedRequestsDeadlinePassed`). */
  deadline: number;
  signature: string;
}

/**
 * Signs an attestation of `identity` for `issuer` with `signer` (the issuer's key or its `veriKey` delegate). Returns
 * the request for the relayer (no name, no salt in it) and, for the holder only, the salt that opens the commitment.
 *
 * @example
 * const { request, salt } = await signAttestation(client, issuerKey, { issuer, identity, level: 2, expiry, realName: "Zhang San", deadline: now + 3600 });
 * await fetch("/relay/attest", { method: "POST", body: JSON.stringify(request) }); // give `salt` to the holder
 */
export async function signAttestation(
  client: Client,
  signer: Signer,
  p: AttestRealNameParams & { deadline: number },
): Promise<{ request: SignedAttestation; salt: string }> {
  const { data, salt } = await attestationDataOf(client, p);
  const signerAddress = await signer.getAddress();
  const value = { issuer: p.issuer, signer: signerAddress, ...data, deadline: p.deadline };
  const { nonce, signature } = await signRequest(registry(client), signer, p.issuer, ATTESTATION_TYPES, value);
  return { request: { issuer: p.issuer, signer: signerAddress, data, nonce, deadline: p.deadline, signature }, salt };
}

/**
 * Relays a {@link SignedAttestation} (`attestBySig`), paid by the client's signer. A replay fails with
 * `SignedRequestsInvalidNonce`, a late one with `SignedRequestsDeadlinePassed`, one signed for another chain or
 * registry with `SignedRequestsInvalidSignature`.
 *
 * @example
 * await (await sendAttestation(relayerClient, request)).wait();
 */
export function sendAttestation(client: Client, r: SignedAttestation): Promise<ContractTransactionResponse> {
  return decoded(() =>
    registry(client, true).attestBySig(r.issuer, r.signer, r.data, r.nonce, r.deadline, r.signature),
  );
}
