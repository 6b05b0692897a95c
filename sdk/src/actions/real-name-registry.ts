/**
 * RealNameRegistry reads: `isVerified`, `getVerification` (its `reason` and `issuer`), `disclosedName`, an issuer's
 * `statusCount`, an attestation's scope and the holder of a scoped nullifier.
 */
import { RealNameRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, type Client } from "./client.js";

const registry = (client: Client) => contractOf(client, client.realNameRegistry, RealNameRegistryAbi);

/**
 * The one call to trust: whether the identity holds a valid attestation of at least `minLevel` (issuer accredited,
 * not expired, not revoked or suspended, DID not deactivated).
 *
 * @example
 * if (await isVerified(client, { identity, minLevel: 2 })) grantAccess();
 */
export function isVerified(client: Client, p: { identity: string; minLevel: number }): Promise<boolean> {
  return decoded(() => registry(client).isVerified(p.identity, p.minLevel));
}

/** The part of a verification record the SDK relies on: why it fails (0 = verified) and who attested. */
export interface Verification {
  /** 0 when verified at `minLevel`; otherwise the contract's reason code. */
  reason: number;
  /** The attesting issuer (zero address when there is no attestation). */
  issuer: string;
}

/**
 * The identity's verification record at `minLevel`.
 *
 * @example
 * const { reason, issuer } = await getVerification(client, { identity, minLevel: 1 });
 */
export async function getVerification(
  client: Client,
  p: { identity: string; minLevel: number },
): Promise<Verification> {
  const result = await decoded(() => registry(client).getVerification(p.identity, p.minLevel));
  return { reason: Number(result.reason), issuer: String(result.issuer) };
}

/**
 * The real name the identity's holder disclosed publicly ("" if none).
 *
 * @example
 * const name = await disclosedName(client, { identity });
 */
export function disclosedName(client: Client, { identity }: { identity: string }): Promise<string> {
  return decoded(() => registry(client).disclosedName(identity));
}

/**
 * How many status indices `issuer` has allocated, i.e. its next one (the first index of its next Merkle root).
 *
 * @example
 * const next = await statusCount(client, { issuer });
 */
export async function statusCount(client: Client, { issuer }: { issuer: string }): Promise<bigint> {
  return BigInt(await decoded(() => registry(client).statusCount(issuer)));
}

/**
 * The scope (platform domain hash) and nullifier of `identity`'s attestation; both zero when unscoped or absent.
 *
 * @example
 * const { scope, nullifier } = await getScope(client, { identity });
 */
export async function getScope(
  client: Client,
  { identity }: { identity: string },
): Promise<{ scope: string; nullifier: string }> {
  const [scope, nullifier] = (await decoded(() => registry(client).getScope(identity))) as [string, string];
  return { scope: String(scope), nullifier: String(nullifier) };
}

/**
 * The DID holding `nullifier` in `scope` (the zero address if none); check `isVerified` for it being in force.
 *
 * @example
 * const holder = await nullifierHolder(client, { scope, nullifier });
 */
export function nullifierHolder(client: Client, p: { scope: string; nullifier: string }): Promise<string> {
  return decoded(() => registry(client).nullifierHolder(p.scope, p.nullifier)).then(String);
}
