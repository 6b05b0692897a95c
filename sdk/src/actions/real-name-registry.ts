/**
 * RealNameRegistry reads whose signatures hold across contract versions: `isVerified`, `getVerification` (its
 * `reason` and `issuer`), `disclosedName`. The trust layer's writes follow with its v1 ABI.
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
