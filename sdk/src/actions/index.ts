/**
 * Contract actions: `action(client, params)` functions (tree-shakeable) and {@link createClient}. Reverts throw the
 * typed error of the contract's custom error (see `@realdid/sdk/errors`).
 *
 * @example
 * import { createClient, addDelegate } from "@realdid/sdk/actions";
 * const client = createClient(network, wallet);
 * await addDelegate(client, { identity: wallet.address, delegateType: "sigAuth", delegate: device.address, validity: 86_400 });
 */
import type { Signer } from "ethers";

import type { NetworkConfig } from "../config.js";
import { createClient, type Client } from "./client.js";
import * as didRegistry from "./did-registry.js";
import * as attestations from "./attestations.js";
import * as realNameRegistry from "./real-name-registry.js";
import * as issuerRegistry from "./issuer-registry.js";
import * as batch from "./batch.js";
import * as governance from "./governance.js";
import * as signedAttestation from "./signed-attestation.js";
import * as renunciation from "./renunciation.js";
import * as signedRequests from "./signed-requests.js";
import * as statusRegistry from "./status-registry.js";
import * as merkle from "./merkle.js";

export { createClient, eip712DomainOf, type Client } from "./client.js";
export * from "./did-registry.js";
export * from "./real-name-registry.js";
export * from "./attestations.js";
export * from "./typed-data.js";
export * from "./issuer-registry.js";
export * from "./batch.js";
export * from "./governance.js";
export * from "./signed-attestation.js";
export * from "./renunciation.js";
export { cancelSignatures, signatureNonce, type SignedRequestRegistry } from "./signed-requests.js";
export * from "./status-registry.js";
export * from "./merkle-tree.js";
export * from "./merkle.js";
export * from "./proof-file.js";

const ACTIONS = {
  identityOwner: didRegistry.identityOwner,
  validDelegate: didRegistry.validDelegate,
  nonce: didRegistry.nonce,
  changed: didRegistry.changed,
  deactivated: didRegistry.deactivated,
  changeOwner: didRegistry.changeOwner,
  addDelegate: didRegistry.addDelegate,
  revokeDelegate: didRegistry.revokeDelegate,
  setAttribute: didRegistry.setAttribute,
  revokeAttribute: didRegistry.revokeAttribute,
  signChange: didRegistry.signChange,
  sendSignedChange: didRegistry.sendSignedChange,
  isVerified: realNameRegistry.isVerified,
  getVerification: realNameRegistry.getVerification,
  disclosedName: realNameRegistry.disclosedName,
  statusCount: realNameRegistry.statusCount,
  getScope: realNameRegistry.getScope,
  nullifierHolder: realNameRegistry.nullifierHolder,
  attestRealName: attestations.attestRealName,
  setAttestationStatus: attestations.setAttestationStatus,
  signDisclosure: attestations.signDisclosure,
  sendDisclosure: attestations.sendDisclosure,
  attestationDataOf: attestations.attestationDataOf,
  reconfirm: attestations.reconfirm,
  signAttestation: signedAttestation.signAttestation,
  sendAttestation: signedAttestation.sendAttestation,
  renounce: renunciation.renounce,
  signRenunciation: renunciation.signRenunciation,
  sendRenunciation: renunciation.sendRenunciation,
  signatureNonce: signedRequests.signatureNonce,
  cancelSignatures: signedRequests.cancelSignatures,
  setStatus: statusRegistry.setStatus,
  revokeStatus: statusRegistry.revokeStatus,
  setStatuses: statusRegistry.setStatuses,
  setStatusWord: statusRegistry.setStatusWord,
  signStatusUpdate: statusRegistry.signStatusUpdate,
  sendStatusUpdate: statusRegistry.sendStatusUpdate,
  getStatus: statusRegistry.getStatus,
  getStatuses: statusRegistry.getStatuses,
  getStatusWord: statusRegistry.getStatusWord,
  getStatusBits: statusRegistry.getStatusBits,
  buildMerkleBatch: merkle.buildMerkleBatch,
  anchorRoot: merkle.anchorRoot,
  cancelRoot: merkle.cancelRoot,
  claim: merkle.claim,
  verifyLeaf: merkle.verifyLeaf,
  isClaimed: merkle.isClaimed,
  getRoot: merkle.getRoot,
  accreditIssuer: issuerRegistry.accreditIssuer,
  updateIssuer: issuerRegistry.updateIssuer,
  changeIssuerStanding: issuerRegistry.changeIssuerStanding,
  getIssuer: issuerRegistry.getIssuer,
  listIssuers: issuerRegistry.listIssuers,
  maxBatchSize: batch.maxBatchSize,
  attestBatch: batch.attestBatch,
  adminState: governance.adminState,
  adminTransfer: governance.adminTransfer,
  setGovernor: governance.setGovernor,
  isGovernor: governance.isGovernor,
};

/** Every action with its client bound. */
export type BoundActions = {
  [K in keyof typeof ACTIONS]: (typeof ACTIONS)[K] extends (client: Client, ...rest: infer A) => infer R
    ? (...rest: A) => R
    : never;
};

/**
 * A client with every action bound to it (`client.addDelegate(params)` instead of `addDelegate(client, params)`);
 * the plain functions stay the tree-shakeable choice.
 *
 * @example
 * const realdid = createBoundClient(networkFromDeployment(deployment, { rpcUrl }), wallet);
 * await realdid.addDelegate({ identity: wallet.address, delegateType: "sigAuth", delegate: device.address, validity: 86_400 });
 * console.log(await realdid.isVerified({ identity: wallet.address, minLevel: 1 }));
 */
export function createBoundClient(network: NetworkConfig, signer?: Signer): Client & BoundActions {
  const client = createClient(network, signer);
  const bound = Object.fromEntries(
    Object.entries(ACTIONS).map(([name, action]) => [
      name,
      (...rest: unknown[]) => (action as (client: Client, ...rest: unknown[]) => unknown)(client, ...rest),
    ]),
  ) as BoundActions;
  return { ...client, ...bound };
}
