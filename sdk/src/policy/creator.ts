/**
 * The creator real-name rule: above follower thresholds a platform requires a creator's account to be real-name
 * verified and, above the highest, to show the verified real name publicly. `displayName` reads what may be shown.
 */
import type { Client } from "../actions/client.js";
import { disclosedName, getVerification } from "../actions/real-name-registry.js";
import { parseEthrDid } from "../signin/authority.js";

/** What an account must show at a follower count. */
export type CreatorRequirement =
  | { required: false }
  | {
      required: true;
      /** The threshold reached. */
      threshold: number;
      /** `verified`: a real-name verification at `minLevel` (a badge); `realName`: the disclosed real name too. */
      show: "verified" | "realName";
      minLevel: number;
    };

/** A platform's creator rule. */
export interface CreatorPolicy {
  thresholds: readonly number[];
  minLevel: number;
  /** What an account with `followers` followers must show. */
  requirementFor(followers: number): CreatorRequirement;
}

/**
 * The rule for `thresholds` (ascending follower counts): from the lowest, an account must be real-name verified
 * at `minLevel`; from `realNameFrom` (one of the thresholds; default: the highest when there are two or more, none
 * with one) it must also show its disclosed real name.
 *
 * @example
 * const policy = creatorPolicy({ thresholds: [500_000, 1_000_000], minLevel: 2 });
 * policy.requirementFor(600_000); // { required: true, threshold: 500000, show: "verified", minLevel: 2 }
 * policy.requirementFor(1_200_000); // { required: true, threshold: 1000000, show: "realName", minLevel: 2 }
 * // one threshold from which the real name must be shown:
 * creatorPolicy({ thresholds: [500_000], minLevel: 2, realNameFrom: 500_000 }).requirementFor(500_000).show; // "realName"
 */
export function creatorPolicy(options: {
  thresholds: readonly number[];
  minLevel: number;
  realNameFrom?: number;
}): CreatorPolicy {
  const thresholds = [...options.thresholds];
  if (
    thresholds.length === 0 ||
    thresholds.some((t, i) => !Number.isSafeInteger(t) || t < 0 || (i > 0 && t <= thresholds[i - 1]))
  ) {
    throw new RangeError("thresholds must be ascending non-negative integers, at least one");
  }
  const { minLevel } = options;
  const realNameFrom = options.realNameFrom ?? (thresholds.length > 1 ? thresholds[thresholds.length - 1] : Infinity);
  if (options.realNameFrom !== undefined && !thresholds.includes(options.realNameFrom)) {
    throw new RangeError(`realNameFrom ${options.realNameFrom} is not one of the thresholds ${thresholds.join(", ")}`);
  }
  return {
    thresholds,
    minLevel,
    requirementFor(followers) {
      const reached = thresholds.filter((threshold) => followers >= threshold);
      if (reached.length === 0) return { required: false };
      const show = followers >= realNameFrom ? "realName" : "verified";
      return { required: true, threshold: reached[reached.length - 1], show, minLevel };
    },
  };
}

/** Why a DID has no name to display. */
export type NoDisplayNameReason = "invalidDid" | "notVerified" | "notDisclosed";

/** A DID's displayable real name, or why there is none. */
export type DisplayName =
  | { ok: true; name: string; issuer: string }
  | {
      ok: false;
      reason: NoDisplayNameReason;
      /** The contract's verification reason code, for `notVerified`. */ code?: number;
    };

/**
 * The real name the DID's holder disclosed, still backed by a valid attestation of at least `minLevel` (read at
 * the latest block), with the attesting issuer; or the reason there is none.
 *
 * @example
 * const shown = await displayName(client, "did:ethr:0x7a69:0x8ba1…", { minLevel: 2 });
 * if (shown.ok) render(`${shown.name} (verified by ${shown.issuer})`);
 */
export async function displayName(client: Client, did: string, options: { minLevel: number }): Promise<DisplayName> {
  const parsed = parseEthrDid(did);
  if (parsed === null) return { ok: false, reason: "invalidDid" };
  const { identity } = parsed;
  const [verification, name] = await Promise.all([
    getVerification(client, { identity, minLevel: options.minLevel }),
    disclosedName(client, { identity }),
  ]);
  if (verification.reason !== 0) return { ok: false, reason: "notVerified", code: verification.reason };
  if (name === "") return { ok: false, reason: "notDisclosed" };
  return { ok: true, name, issuer: verification.issuer };
}
