/**
 * The salted real-name commitment an attestation stores: nothing personal reaches the chain, yet the holder can
 * later prove (disclose) the name behind it.
 */
import { AbiCoder, hexlify, keccak256, randomBytes, toUtf8Bytes } from "ethers";

/**
 * `keccak256(abi.encode(identity, keccak256(bytes(realName)), salt))`, as `RealNameRegistry` checks it.
 *
 * @example
 * const salt = randomSalt();
 * const commitment = commitmentOf("0x3C44…93BC", "Zhang San", salt); // store salt off chain, send commitment
 */
export function commitmentOf(identity: string, realName: string, salt: string): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["address", "bytes32", "bytes32"],
    [identity, keccak256(toUtf8Bytes(realName)), salt],
  );
  return keccak256(encoded);
}

/**
 * A fresh 32-byte random salt for {@link commitmentOf}.
 *
 * @example
 * const salt = randomSalt(); // "0x…" (32 bytes): the issuer hands it to the holder, who needs it to disclose
 */
export function randomSalt(): string {
  return hexlify(randomBytes(32));
}
