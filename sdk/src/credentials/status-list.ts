/**
 * An issuer's status list exported as a W3C `BitstringStatusListCredential` (Bitstring Status List v1.0), for
 * verifiers that fetch lists instead of reading the chain: the list's 128-status words read at one block and
 * concatenated as 16-byte big-endian values (exactly the W3C bitstring: index 0 is the first byte's most significant
 * bit), GZIP-compressed (fflate), base64url without padding, multibase prefix `u`.
 */
import { createJWT, ES256KSigner } from "did-jwt";
import {
  type BaseWallet,
  type Contract,
  type EventLog,
  encodeBase64,
  decodeBase64,
  getAddress,
  getBytes,
  toBeArray,
} from "ethers";
import { gunzipSync, gzipSync } from "fflate";

import { RealNameRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, statusRegistryOf, type Client } from "../actions/client.js";
import { ConfigurationError } from "../errors/base.js";
import { chainKey } from "../resolver/request.js";
import { statusListUrl } from "./credential.js";
import { CREDENTIAL_LIST_LENGTH, StatusPurpose } from "./status.js";

const WORD_BITS = 128;
/** Word reads in flight at once (one JSON-RPC batch each with a batching provider). */
const CONCURRENCY = 128;

/** Parameters of {@link exportStatusList}. */
export interface ExportStatusListParams {
  issuer: string;
  /** StatusRegistry purpose: 0/1 attestation revocation/suspension, 2/3 credential revocation/suspension. */
  purpose: number;
  /** Signs the list as a JWT (the issuer's key or its `veriKey` delegate). */
  signer?: BaseWallet;
  /** Base HTTPS URL the list is served under (see `statusListUrl`). */
  statusListBaseUrl?: string;
  /** Block to read at (default: the latest). */
  blockNumber?: number;
  /**
   * Read only the words the list's events (`StatusChanged`, `StatusWordChanged`) touched since this block (the
   * StatusRegistry's `startBlock` in `deployments/<network>.json`): two `eth_getLogs` and a read per changed word
   * instead of a read of every word. Unset: every word is read (no log range limits to meet).
   */
  fromBlock?: number;
}

/** An exported list: the credential, its JWT when signed, and the block it shows. */
export interface ExportedStatusList {
  credential: BitstringStatusListCredential;
  jwt?: string;
  blockNumber: number;
}

/** The W3C `BitstringStatusListCredential` (VC data model 2.0). */
export interface BitstringStatusListCredential {
  "@context": string[];
  id: string;
  type: ["VerifiableCredential", "BitstringStatusListCredential"];
  issuer: string;
  validFrom: string;
  credentialSubject: {
    id: string;
    type: "BitstringStatusList";
    statusPurpose: "revocation" | "suspension";
    encodedList: string;
  };
}

const base64url = (bytes: Uint8Array) => encodeBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * The W3C `encodedList` of a bitstring: GZIP, base64url without padding, multibase prefix `u`.
 *
 * @example
 * encodeStatusList(new Uint8Array(16_384)); // "uH4sI…"
 */
export function encodeStatusList(bits: Uint8Array): string {
  return `u${base64url(gzipSync(bits))}`;
}

/**
 * The bitstring of a W3C `encodedList` (multibase `u`, base64url, GZIP).
 *
 * @example
 * const bits = decodeStatusList(list.credentialSubject.encodedList);
 * const set = statusAt(bits, 94567);
 */
export function decodeStatusList(encodedList: string): Uint8Array {
  if (!encodedList.startsWith("u")) throw new ConfigurationError("encodedList lacks the multibase prefix u");
  const base64 = encodedList.slice(1).replace(/-/g, "+").replace(/_/g, "/");
  return gunzipSync(decodeBase64(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
}

/**
 * Status `index` of a bitstring (index 0 = the most significant bit of the first byte).
 *
 * @example
 * statusAt(decodeStatusList(encodedList), 94567); // true: revoked (or suspended, by the list's purpose)
 */
export function statusAt(bits: Uint8Array, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new ConfigurationError(`index ${index} is outside a list of ${bits.length * 8} statuses`);
  }
  return ((bits[index >> 3] >> (7 - (index & 7))) & 1) === 1;
}

/** Statuses exported of a list: the credential lists whole; an attestation list up to the issuer's last index. */
async function lengthOf(client: Client, issuer: string, purpose: number, blockTag: number): Promise<number> {
  if (purpose === StatusPurpose.CredentialRevocation || purpose === StatusPurpose.CredentialSuspension) {
    return CREDENTIAL_LIST_LENGTH;
  }
  if (purpose !== StatusPurpose.Revocation && purpose !== StatusPurpose.Suspension) {
    throw new ConfigurationError(`purpose ${purpose} is not a status list (0..3)`);
  }
  const registry = contractOf(client, client.realNameRegistry, RealNameRegistryAbi);
  const used = Number(await decoded(() => registry.statusCount(issuer, { blockTag })));
  // At least the W3C minimum of 131,072 statuses, for herd privacy; whole words.
  return Math.max(CREDENTIAL_LIST_LENGTH, Math.ceil(used / WORD_BITS) * WORD_BITS);
}

/** Indices of the words below `limit` of a list that its events changed in `fromBlock..toBlock`. */
async function changedWords(
  registry: Contract,
  issuer: string,
  purpose: number,
  fromBlock: number,
  toBlock: number,
  limit: number,
): Promise<number[]> {
  const [single, whole] = await Promise.all([
    registry.queryFilter(registry.filters.StatusChanged(issuer, purpose), fromBlock, toBlock),
    registry.queryFilter(registry.filters.StatusWordChanged(issuer, purpose), fromBlock, toBlock),
  ]);
  const words = new Set<number>();
  for (const log of single) words.add(Number(BigInt((log as EventLog).args.index) / BigInt(WORD_BITS)));
  for (const log of whole) words.add(Number((log as EventLog).args.wordIndex));
  return [...words].filter((w) => w < limit).sort((a, b) => a - b);
}

/**
 * Exports `issuer`'s list `purpose` as a `BitstringStatusListCredential`, read at one block, optionally signed as a
 * JWT by `signer`. Its `id` is the list URL credentials name in their `statusListCredential`.
 *
 * @example
 * const { credential, jwt } = await exportStatusList(client, { issuer: issuer.address, purpose: 2, signer: issuer });
 * // serve `jwt` (or `credential`) at statusListUrl({ chainId, statusRegistry, issuer, purpose: 2 }, base)
 */
export async function exportStatusList(client: Client, p: ExportStatusListParams): Promise<ExportedStatusList> {
  const issuer = getAddress(p.issuer);
  const registry = statusRegistryOf(client);
  const blockNumber = p.blockNumber ?? (await client.provider.getBlockNumber());
  const length = await lengthOf(client, issuer, p.purpose, blockNumber);
  const words =
    p.fromBlock === undefined
      ? Array.from({ length: length / WORD_BITS }, (_, w) => w)
      : await changedWords(registry, issuer, p.purpose, p.fromBlock, blockNumber, length / WORD_BITS);
  const bits = new Uint8Array(length / 8);
  for (let first = 0; first < words.length; first += CONCURRENCY) {
    const batch = words.slice(first, first + CONCURRENCY);
    const values = await Promise.all(
      batch.map((w) => decoded(() => registry.getStatusWord(issuer, p.purpose, w, { blockTag: blockNumber }))),
    );
    values.forEach((value, i) => {
      const bytes = toBeArray(BigInt(value)); // big-endian, without leading zeros
      bits.set(bytes, (batch[i] + 1) * (WORD_BITS / 8) - bytes.length);
    });
  }
  const block = await client.provider.getBlock(blockNumber);
  if (block === null) throw new ConfigurationError(`block ${blockNumber} not found`);
  const id = statusListUrl(
    { chainId: client.chainId, statusRegistry: await registry.getAddress(), issuer, purpose: p.purpose },
    p.statusListBaseUrl,
  );
  const credential: BitstringStatusListCredential = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    id,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: `did:ethr:${chainKey(client.chainId)}:${issuer}`,
    validFrom: new Date(block.timestamp * 1000).toISOString(),
    credentialSubject: {
      id: `${id}#list`,
      type: "BitstringStatusList",
      statusPurpose: p.purpose % 2 === 0 ? "revocation" : "suspension",
      encodedList: encodeStatusList(bits),
    },
  };
  if (p.signer === undefined) return { credential, blockNumber };
  const jwt = await createJWT(
    { ...credential, nbf: block.timestamp, sub: id },
    { issuer: credential.issuer, signer: ES256KSigner(getBytes(p.signer.privateKey), true) },
    { alg: "ES256K-R", typ: "JWT" },
  );
  return { credential, jwt, blockNumber };
}
