/**
 * The did:ethr document builder: replays an identity's canonical events up to a block and builds its DID document
 * exactly as ethr-did-resolver does (key numbering `#delegate-N` / `#service-N`, encodings, key agreement,
 * deactivation). A port of `EthrDidResolver.prototype.wrapDidDocument` (ethr-did-resolver 11, Apache-2.0), which
 * the package does not export; the resolver tests prove both give the same documents.
 */
import type { DIDDocument, Service, VerificationMethod } from "did-resolver";
import { verificationMethodTypes } from "ethr-did-resolver";
import { encodeBase58, encodeBase64, toUtf8String, ZeroAddress } from "ethers";

import type { CanonicalDIDEvent } from "./events.js";

/** A built document with the versions around it (`nextVersionId` is `Infinity` when nothing follows). */
export interface BuiltDocument {
  didDocument: DIDDocument;
  deactivated: boolean;
  /** Block of the latest change at or before the requested block, 0 if none. */
  versionId: number;
  /** Block of the first change after the requested block, `Infinity` if none. */
  nextVersionId: number;
}

/** What the builder needs besides the events. */
export interface BuildOptions {
  did: string;
  /** The identity's address. */
  address: string;
  /** The public key the DID was made from (`did:ethr:0x02...`), if any. */
  controllerKey?: string;
  chainId: bigint;
  /** The block to build at, or `"latest"` (any string). */
  blockHeight: number | string;
  /** Unix time validity is judged at (the block's time for a historical document). */
  now: bigint;
}

/** ethr-did-resolver's legacy purpose names (`legacyAttrTypes`; its ESM build does not export them). */
const attrTypes: Record<string, string> = {
  sigAuth: "SignatureAuthentication2018",
  veriKey: "VerificationKey2018",
  enc: "KeyAgreementKey2019",
};

/** ethr-did-resolver's legacy key types (`legacyAlgoMap`). */
const delegateTypes: Record<string, string> = {
  Secp256k1VerificationKey2018: verificationMethodTypes.EcdsaSecp256k1VerificationKey2019,
  Ed25519SignatureAuthentication2018: verificationMethodTypes.Ed25519VerificationKey2018,
  Secp256k1SignatureAuthentication2018: verificationMethodTypes.EcdsaSecp256k1VerificationKey2019,
  RSAVerificationKey2018: verificationMethodTypes.RSAVerificationKey2018,
  Ed25519VerificationKey2018: verificationMethodTypes.Ed25519VerificationKey2018,
  X25519KeyAgreementKey2019: verificationMethodTypes.X25519KeyAgreementKey2019,
};

const strip0x = (input: string): string => (input.startsWith("0x") ? input.slice(2) : input);

/** A public key as ethr-did-resolver writes it: one of the encodings, or `value` for an unknown one. */
type LegacyVerificationMethod = VerificationMethod & { value?: string };

/**
 * Builds the DID document of `events` (the identity's canonical events in chain order) at `blockHeight`.
 *
 * @example
 * const { didDocument } = buildDidDocument(history, {
 *   did: "did:ethr:0x7a69:0x8ba1f109551bD432803012645Ac136ddd64DBA72",
 *   address: "0x8ba1f109551bD432803012645Ac136ddd64DBA72",
 *   chainId: 31337n,
 *   blockHeight: "latest",
 *   now: BigInt(Math.floor(Date.now() / 1000)),
 * });
 */
export function buildDidDocument(events: readonly CanonicalDIDEvent[], options: BuildOptions): BuiltDocument {
  const { did, address, controllerKey, chainId, now } = options;
  const height = typeof options.blockHeight === "string" ? -1 : options.blockHeight;
  const base: DIDDocument = { id: did, verificationMethod: [], authentication: [], assertionMethod: [] };
  let controller = address;
  const authentication = [`${did}#controller`];
  const assertionMethod = [`${did}#controller`];
  let versionId = 0;
  let nextVersionId = Number.POSITIVE_INFINITY;
  let deactivated = false;
  let delegateCount = 0;
  let serviceCount = 0;
  const auth: Record<string, string> = {};
  const keyAgreementRefs: Record<string, string> = {};
  const signingRefs: Record<string, string> = {};
  const pks: Record<string, VerificationMethod> = {};
  const services: Record<string, Service> = {};

  for (const event of events) {
    if (height !== -1 && event.blockNumber > height) {
      if (nextVersionId > event.blockNumber) nextVersionId = event.blockNumber;
      continue;
    }
    if (versionId < event.blockNumber) versionId = event.blockNumber;
    const validTo = event._eventName === "DIDOwnerChanged" ? 0n : event.validTo;
    const eventIndex =
      event._eventName === "DIDDelegateChanged"
        ? `${event._eventName}-${event.delegateType}-${event.delegate}`
        : event._eventName === "DIDAttributeChanged"
          ? `${event._eventName}-${event.name}-${event.value}`
          : `${event._eventName}-undefined-undefined`;
    if (validTo !== 0n && validTo >= now) {
      if (event._eventName === "DIDDelegateChanged") {
        delegateCount++;
        const id = `${did}#delegate-${delegateCount}`;
        if (event.delegateType === "sigAuth" || event.delegateType === "veriKey") {
          if (event.delegateType === "sigAuth") auth[eventIndex] = id;
          pks[eventIndex] = {
            id,
            type: verificationMethodTypes.EcdsaSecp256k1RecoveryMethod2020,
            controller: did,
            blockchainAccountId: `eip155:${chainId}:${event.delegate}`,
          };
          signingRefs[eventIndex] = id;
        }
      } else if (event._eventName === "DIDAttributeChanged") {
        const match = event.name.match(/^did\/(pub|svc)\/(\w+)(\/(\w+))?(\/(\w+))?$/);
        if (match === null) continue;
        const [, section, algorithm, , purpose, , encoding] = match;
        if (section === "pub") {
          delegateCount++;
          const type = attrTypes[purpose] || purpose;
          const pk: LegacyVerificationMethod = {
            id: `${did}#delegate-${delegateCount}`,
            type: delegateTypes[`${algorithm}${type}`] || algorithm,
            controller: did,
          };
          let keyDataSet = true;
          switch (encoding) {
            case undefined:
            case "hex":
              pk.publicKeyHex = strip0x(event.value);
              break;
            case "base64":
              pk.publicKeyBase64 = encodeBase64(event.value);
              break;
            case "base58":
              pk.publicKeyBase58 = encodeBase58(event.value);
              break;
            case "pem":
              try {
                pk.publicKeyPem = toUtf8String(event.value);
              } catch {
                keyDataSet = false; // not UTF-8: a non-DID use of the registry
              }
              break;
            default:
              pk.value = strip0x(event.value);
          }
          if (keyDataSet) {
            pks[eventIndex] = pk;
            if (purpose === "sigAuth") {
              auth[eventIndex] = pk.id;
              signingRefs[eventIndex] = pk.id;
            } else if (purpose === "enc") keyAgreementRefs[eventIndex] = pk.id;
            else signingRefs[eventIndex] = pk.id;
          }
        } else {
          serviceCount++;
          let encoded: string | null = null;
          try {
            encoded = toUtf8String(event.value);
          } catch {
            // not UTF-8: a non-DID use of the registry
          }
          if (encoded !== null) {
            let endpoint: Service["serviceEndpoint"];
            try {
              endpoint = JSON.parse(encoded);
            } catch {
              endpoint = encoded;
            }
            services[eventIndex] = { id: `${did}#service-${serviceCount}`, type: algorithm, serviceEndpoint: endpoint };
          }
        }
      }
    } else if (event._eventName === "DIDOwnerChanged") {
      controller = event.owner;
      if (event.owner === ZeroAddress) {
        deactivated = true;
        break;
      }
    } else {
      if (event._eventName === "DIDDelegateChanged" || event.name.match(/^did\/pub\//)) delegateCount++;
      else if (event.name.match(/^did\/svc\//)) serviceCount++;
      delete auth[eventIndex];
      delete signingRefs[eventIndex];
      delete pks[eventIndex];
      delete services[eventIndex];
    }
  }
  if (deactivated) return { didDocument: base, deactivated, versionId, nextVersionId };

  const publicKeys: VerificationMethod[] = [
    {
      id: `${did}#controller`,
      type: verificationMethodTypes.EcdsaSecp256k1RecoveryMethod2020,
      controller: did,
      blockchainAccountId: `eip155:${chainId}:${controller}`,
    },
  ];
  if (controllerKey !== undefined && controller === address) {
    publicKeys.push({
      id: `${did}#controllerKey`,
      type: verificationMethodTypes.EcdsaSecp256k1VerificationKey2019,
      controller: did,
      publicKeyHex: strip0x(controllerKey),
    });
    authentication.push(`${did}#controllerKey`);
    assertionMethod.push(`${did}#controllerKey`);
  }
  const didDocument: DIDDocument = {
    ...base,
    verificationMethod: publicKeys.concat(Object.values(pks)),
    authentication: authentication.concat(Object.values(auth)),
    assertionMethod: assertionMethod.concat(Object.values(signingRefs)),
  };
  if (Object.values(services).length > 0) didDocument.service = Object.values(services);
  if (Object.values(keyAgreementRefs).length > 0) didDocument.keyAgreement = Object.values(keyAgreementRefs);
  return { didDocument, deactivated, versionId, nextVersionId };
}
