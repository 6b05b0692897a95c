import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroHash } from "ethers";

import {
  ATTESTATION_TYPES,
  buildMerkleBatch,
  DAY,
  domainOf,
  IssuancePath,
  now,
  Reason,
  TX,
  YEAR,
} from "@realdid/testkit/trust";
import type { TrustStack } from "@realdid/testkit/trust";
import type { IRealNameRegistry } from "../../types/ethers-contracts/RealNameRegistry.ts";

/** RealNameRegistry test helpers shared by the `RealNameRegistry.*.test.ts` suites. */

export type Data = IRealNameRegistry.AttestationDataStruct;

export const PATHS = [IssuancePath.Direct, IssuancePath.Batch, IssuancePath.Signed, IssuancePath.MerkleClaim];

/** A year from the latest block. */
export async function yearFromNow(stack: TrustStack): Promise<bigint> {
  return (await now(stack.ethers)) + YEAR;
}

/**
 * Signs an `Attestation` for `data` with `key`, naming `signer` (default: `key` itself; an EIP-1271 wallet whose key
 * `key` is) acting for `issuer`; `chainId` and `verifyingContract` override the domain's.
 */
export async function signAttestation(
  stack: TrustStack,
  key: HardhatEthersSigner,
  issuer: string,
  data: Data,
  options: { signer?: string; nonce?: bigint; deadline?: bigint; chainId?: bigint; verifyingContract?: string } = {},
) {
  const { realNameRegistry } = stack;
  const domain = await domainOf(realNameRegistry, options.chainId);
  const message = {
    issuer,
    signer: options.signer ?? key.address,
    identity: data.identity,
    owner: data.owner,
    level: data.level,
    expiry: data.expiry,
    commitment: data.commitment,
    scope: data.scope,
    nullifier: data.nullifier,
    nonce: options.nonce ?? (await realNameRegistry.nonces(issuer)),
    deadline: options.deadline ?? (await now(stack.ethers)) + DAY,
  };
  const signature = await key.signTypedData(
    { ...domain, verifyingContract: options.verifyingContract ?? domain.verifyingContract },
    ATTESTATION_TYPES,
    message,
  );
  return { message, signature };
}

/** Sends a signed attestation of `data` exactly as signed, from `relayer`. */
export function relayAttestation(
  stack: TrustStack,
  relayer: HardhatEthersSigner,
  data: Data,
  { message, signature }: Awaited<ReturnType<typeof signAttestation>>,
) {
  const { issuer, signer, nonce, deadline } = message;
  return stack.realNameRegistry.connect(relayer).attestBySig(issuer, signer, data, nonce, deadline, signature, TX);
}

/**
 * Builds a Merkle batch of self-owned `identities` for `issuer` from its next status index and anchors it with
 * `actor`.
 */
export async function anchorBatch(
  stack: TrustStack,
  actor: HardhatEthersSigner,
  issuer: string,
  level: number,
  expiry: bigint,
  identities: string[],
) {
  const { realNameRegistry, ethers } = stack;
  const { chainId } = await ethers.provider.getNetwork();
  const first = await realNameRegistry.statusCount(issuer);
  const registry = await realNameRegistry.getAddress();
  const batch = buildMerkleBatch(chainId, registry, issuer, level, expiry, identities, first);
  const count = identities.length;
  const anchoring = await realNameRegistry
    .connect(actor)
    .anchorRoot(issuer, batch.tree.root, level, expiry, first, count, "ipfs://root", TX);
  return { batch, root: batch.tree.root, first, anchoring };
}

/**
 * Issues `data` as `issuer` through `path`, with `actor` sending (or signing, or anchoring the root). A Merkle leaf
 * names the identity itself as its owner (the tree is built from `data.identity` alone).
 */
export async function issueVia(
  stack: TrustStack,
  path: IssuancePath,
  issuer: string,
  actor: HardhatEthersSigner,
  data: Data,
): Promise<unknown> {
  const { realNameRegistry, stranger } = stack;
  const owner = String(data.owner);
  switch (path) {
    case IssuancePath.Direct:
      return realNameRegistry.connect(actor).attest(issuer, data, TX);
    case IssuancePath.Batch:
      return realNameRegistry
        .connect(actor)
        .attestBatch(issuer, data.level, data.expiry, ZeroHash, [data.identity], [owner], [data.commitment], [], TX);
    case IssuancePath.Signed:
      return relayAttestation(stack, stranger, data, await signAttestation(stack, actor, issuer, data));
    case IssuancePath.MerkleClaim: {
      const identities = [String(data.identity)];
      const { batch, root } = await anchorBatch(
        stack,
        actor,
        issuer,
        Number(data.level),
        BigInt(data.expiry),
        identities,
      );
      return realNameRegistry.connect(stranger).claim(issuer, root, batch.leaves[0], batch.tree.getProof(0), TX);
    }
  }
}

/** Asserts `identity`'s verification reason at `minLevel`, and that isVerified agrees. */
export async function expectReason(stack: TrustStack, identity: string, minLevel: number, reason: Reason) {
  expect((await stack.realNameRegistry.getVerification(identity, minLevel)).reason).to.equal(reason);
  expect(await stack.realNameRegistry.isVerified(identity, minLevel)).to.equal(reason === Reason.Verified);
}
