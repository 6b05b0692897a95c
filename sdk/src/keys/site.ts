/**
 * Unlinkable per-site DIDs from one holder seed. One BIP-39 recovery phrase (one backup) gives every website its
 * own key and DID; nothing on chain links two of them, and a site learns nothing about the others.
 *
 * Derivation (version 1), deterministic and domain-separated:
 * 1. origin = the site's normalised origin: lower-case scheme and host (IDNA / punycode), the port only when not
 *    the scheme's default, no path, query or fragment (the WHATWG URL origin); only `http:` and `https:`.
 * 2. h = SHA-256(UTF-8("realdid/site-did/v1") ‖ 0x00 ‖ uint32be(index) ‖ UTF-8(origin)); `index` (default 0)
 *    rotates a site's DID.
 * 3. a, b, c, d = the first four 32-bit big-endian words of h, each with its top bit cleared.
 * 4. path = m/13'/a'/b'/c'/d' (SLIP-13's shape: identity keys from a hash of the site), all hardened, so no
 *    extended public key of one site reveals another's; key = BIP-32 (secp256k1) of the BIP-39 seed at path.
 * The DID is `did:ethr:<network>:<address of the key>`.
 */
import { HDKey } from "@scure/bip32";
import { generateMnemonic as generateWords, mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { concat, getBytes, hexlify, sha256, toBeHex, toUtf8Bytes, Wallet } from "ethers";

import { InvalidMnemonicError, InvalidOriginError } from "../errors/base.js";

/** Domain separator of the site-key hash. */
const DOMAIN = "realdid/site-did/v1";

/**
 * A fresh BIP-39 English recovery phrase (12 words by default, 24 with `strength: 256`).
 *
 * @example
 * const words = generateMnemonic(); // write it down once: it restores every site's DID
 */
export function generateMnemonic(strength: 128 | 256 = 128): string {
  return generateWords(wordlist, strength);
}

/**
 * The normalised origin of a site: scheme, host and non-default port.
 *
 * @example
 * siteOrigin("HTTPS://Shop.Example:443/login?x=1"); // "https://shop.example"
 */
export function siteOrigin(site: string): string {
  let url: URL;
  try {
    url = new URL(site);
  } catch {
    throw new InvalidOriginError(site);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    throw new InvalidOriginError(site);
  }
  return url.origin;
}

/**
 * The BIP-32 path of a site's key (see the module comment).
 *
 * @example
 * sitePath("https://shop.example"); // "m/13'/…'/…'/…'/…'"
 */
export function sitePath(site: string, index = 0): string {
  const hash = getBytes(
    sha256(concat([toUtf8Bytes(DOMAIN), "0x00", toBeHex(index, 4), toUtf8Bytes(siteOrigin(site))])),
  );
  const view = new DataView(hash.buffer, hash.byteOffset, hash.byteLength);
  const words = [0, 4, 8, 12].map((offset) => view.getUint32(offset) & 0x7fffffff);
  return `m/13'/${words.map((word) => `${word}'`).join("/")}`;
}

/** A site's identity: its origin, derivation path, key and DID. */
export interface SiteIdentity {
  origin: string;
  path: string;
  did: string;
  address: string;
  /** Compressed secp256k1 public key, hex. */
  publicKey: string;
  /** The key as an ethers wallet: signs sign-in messages and DIDRegistry changes. Keep it in the holder's device. */
  wallet: Wallet;
}

/**
 * The DID and key for `site` from a recovery phrase: same phrase and site → same DID; different sites → unrelated
 * DIDs. `network` is the DID's network part (`0x7a69`, or a configured name).
 *
 * @example
 * const { did, wallet } = siteIdentity(words, "https://shop.example", { network: "0x7a69" });
 * const { message, signature } = await signInWithDid(challenge, { did, signer: wallet });
 */
export function siteIdentity(
  mnemonic: string,
  site: string,
  options: { network: string; index?: number; passphrase?: string },
): SiteIdentity {
  const words = mnemonic.normalize("NFKD").trim().split(/\s+/).join(" ");
  if (!validateMnemonic(words, wordlist)) throw new InvalidMnemonicError();
  const path = sitePath(site, options.index ?? 0);
  const key = HDKey.fromMasterSeed(mnemonicToSeedSync(words, options.passphrase ?? "")).derive(path);
  const wallet = new Wallet(hexlify(key.privateKey!));
  return {
    origin: siteOrigin(site),
    path,
    did: `did:ethr:${options.network}:${wallet.address}`,
    address: wallet.address,
    publicKey: hexlify(key.publicKey!),
    wallet,
  };
}
