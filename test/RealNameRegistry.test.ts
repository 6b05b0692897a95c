import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  ATTESTATION_TYPES,
  attestation,
  buildMerkleBatch,
  commitmentOf,
  DAY,
  deployTrustStack,
  deployTrustStackWithWalletIssuer,
  DISCLOSURE_TYPES,
  domainOf,
  IssuancePath,
  LEVEL,
  now,
  nullifierOf,
  Reason,
  REVOCATION,
  scopeOf,
  SUSPENSION,
  TX,
  YEAR,
  type TrustStack,
} from "./helpers/trust.js";
import type { IRealNameRegistry } from "../types/ethers-contracts/RealNameRegistry.js";

const { ethers, networkHelpers } = await network.create();

const fixture = () => deployTrustStack(ethers);
const walletFixture = () => deployTrustStackWithWalletIssuer(ethers);

type Data = IRealNameRegistry.AttestationDataStruct;

/**
 * Signs an `Attestation` for `data` with `key`, naming `signer` (default: `key` itself; an EIP-1271 wallet whose key
 * `key` is) acting for `issuer`; `chainId` overrides the domain's.
 */
async function signAttestation(
  stack: TrustStack,
  key: HardhatEthersSigner,
  issuer: string,
  data: Data,
  options: {
    signer?: string;
    owner?: string;
    nonce?: bigint;
    deadline?: bigint;
    chainId?: bigint;
    verifyingContract?: string;
  } = {},
) {
  const { realNameRegistry } = stack;
  const domain = await domainOf(realNameRegistry, "RealDID RealNameRegistry", options.chainId);
  const message = {
    issuer,
    signer: options.signer ?? key.address,
    identity: data.identity,
    level: data.level,
    expiry: data.expiry,
    commitment: data.commitment,
    scope: data.scope,
    nullifier: data.nullifier,
    owner: options.owner ?? data.identity,
    nonce: options.nonce ?? (await realNameRegistry.nonces(issuer)),
    deadline: options.deadline ?? (await now(ethers)) + DAY,
  };
  const signature = await key.signTypedData(
    { ...domain, verifyingContract: options.verifyingContract ?? domain.verifyingContract },
    ATTESTATION_TYPES,
    message,
  );
  return { message, signature };
}

/** Sends a signed attestation of `data` exactly as signed, from `relayer`. */
function relayAttestation(
  stack: TrustStack,
  relayer: HardhatEthersSigner,
  data: Data,
  { message, signature }: Awaited<ReturnType<typeof signAttestation>>,
) {
  const { issuer, signer, owner, nonce, deadline } = message;
  return stack.realNameRegistry
    .connect(relayer)
    .attestBySig(issuer, signer, data, owner, nonce, deadline, signature, TX);
}

/** Issues `data` as `issuer` through `path`, with `actor` sending (or signing, or anchoring the root). */
async function issueVia(
  stack: TrustStack,
  path: IssuancePath,
  issuer: string,
  actor: HardhatEthersSigner,
  data: Data,
): Promise<unknown> {
  const { realNameRegistry, stranger } = stack;
  switch (path) {
    case IssuancePath.Direct:
      return realNameRegistry.connect(actor).attest(issuer, data, TX);
    case IssuancePath.Batch:
      return realNameRegistry
        .connect(actor)
        .attestBatch(issuer, data.level, data.expiry, ZeroHash, [data.identity], [data.commitment], [], TX);
    case IssuancePath.Signed:
      return relayAttestation(stack, stranger, data, await signAttestation(stack, actor, issuer, data));
    case IssuancePath.MerkleClaim: {
      const identity = String(data.identity);
      const level = Number(data.level);
      const { chainId } = await ethers.provider.getNetwork();
      const batch = buildMerkleBatch(chainId, await realNameRegistry.getAddress(), issuer, level, BigInt(data.expiry), [
        identity,
      ]);
      await realNameRegistry.connect(actor).anchorRoot(issuer, batch.tree.root, level, data.expiry, 1, "ipfs://x", TX);
      return realNameRegistry.connect(stranger).claim(batch.tree.root, batch.leaves[0], batch.tree.getProof(0), TX);
    }
  }
}

const PATHS = [IssuancePath.Direct, IssuancePath.Batch, IssuancePath.Signed, IssuancePath.MerkleClaim];

describe("RealNameRegistry", function () {
  async function expiry(): Promise<bigint> {
    return (await now(ethers)) + YEAR;
  }

  describe("deployment", function () {
    it("reports version and wiring", async function () {
      const { realNameRegistry, didRegistry, issuerRegistry, statusRegistry } =
        await networkHelpers.loadFixture(fixture);
      expect(await realNameRegistry.version()).to.equal("1.0.0");
      expect(await realNameRegistry.didRegistry()).to.equal(await didRegistry.getAddress());
      expect(await realNameRegistry.issuerRegistry()).to.equal(await issuerRegistry.getAddress());
      expect(await realNameRegistry.statusRegistry()).to.equal(await statusRegistry.getAddress());
      expect(await statusRegistry.attestationRegistry()).to.equal(await realNameRegistry.getAddress());
    });

    it("rejects zero addresses", async function () {
      const { realNameRegistry, didRegistry } = await networkHelpers.loadFixture(fixture);
      const did = await didRegistry.getAddress();
      await expect(ethers.deployContract("RealNameRegistry", [did, did, ZeroAddress])).to.be.revertedWithCustomError(
        realNameRegistry,
        "RealNameRegistryZeroAddress",
      );
    });
  });

  describe("attest", function () {
    it("stores the attestation, allocates a status index and verifies", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuer, holder } = stack;
      const data = attestation(holder.address, LEVEL.DOCUMENT, await expiry());
      await expect(realNameRegistry.connect(issuer).attest(issuer.address, data, TX))
        .to.emit(realNameRegistry, "Attested")
        .withArgs(
          holder.address,
          issuer.address,
          LEVEL.DOCUMENT,
          data.expiry,
          0,
          data.commitment,
          holder.address,
          ZeroHash,
          ZeroHash,
          IssuancePath.Direct,
        );
      expect(await realNameRegistry.isVerified(holder.address, LEVEL.DOCUMENT)).to.equal(true);
      expect(await realNameRegistry.isVerified(holder.address, LEVEL.BIOMETRIC)).to.equal(false);
      const record = await realNameRegistry.getVerification(holder.address, LEVEL.BIOMETRIC);
      expect(record.reason).to.equal(Reason.LevelTooLow);
      expect(record.issuer).to.equal(issuer.address);
      expect(record.level).to.equal(LEVEL.DOCUMENT);
      expect(record.expiry).to.equal(data.expiry);
      expect(record.statusIndex).to.equal(0);
      expect(record.owner).to.equal(holder.address);
      expect(record.commitment).to.equal(data.commitment);
      expect(record.disclosed).to.equal(false);
    });

    it("replaces a previous attestation with a fresh status index", async function () {
      const { realNameRegistry, issuer, lowIssuer, holder } = await networkHelpers.loadFixture(fixture);
      await realNameRegistry.connect(issuer).attest(issuer.address, attestation(holder.address, 1, await expiry()), TX);
      const upgrade = attestation(holder.address, LEVEL.BIOMETRIC, await expiry());
      await expect(realNameRegistry.connect(issuer).attest(issuer.address, upgrade, TX))
        .to.emit(realNameRegistry, "AttestationReplaced")
        .withArgs(holder.address, issuer.address, 0)
        .and.to.emit(realNameRegistry, "Attested");
      expect((await realNameRegistry.getVerification(holder.address, 0)).statusIndex).to.equal(1);
      expect(await realNameRegistry.statusCount(issuer.address)).to.equal(2);
      // Each issuer counts its own indices.
      expect(await realNameRegistry.statusCount(lowIssuer.address)).to.equal(0);
      expect(await realNameRegistry.isVerified(holder.address, LEVEL.BIOMETRIC)).to.equal(true);
    });

    it("rejects malformed data", async function () {
      const { realNameRegistry, didRegistry, issuer, holder } = await networkHelpers.loadFixture(fixture);
      const registry = realNameRegistry.connect(issuer);
      await expect(registry.attest(issuer.address, attestation(ZeroAddress, 1, await expiry()), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDIDDeactivated")
        .withArgs(ZeroAddress);
      const past = await now(ethers);
      await expect(registry.attest(issuer.address, attestation(holder.address, 1, past), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryExpired")
        .withArgs(past);
      const halfScoped = attestation(holder.address, 1, await expiry(), "x", {
        scope: scopeOf("a"),
        nullifier: ZeroHash,
      });
      await expect(registry.attest(issuer.address, halfScoped, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidScope")
        .withArgs(scopeOf("a"), ZeroHash);
      await didRegistry.connect(holder).changeOwner(holder.address, ZeroAddress, TX);
      await expect(registry.attest(issuer.address, attestation(holder.address, 1, await expiry()), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDIDDeactivated")
        .withArgs(holder.address);
    });
  });

  describe("issuer checks on every path", function () {
    for (const path of PATHS) {
      describe(IssuancePath[path], function () {
        it("works for the issuer and its veriKey delegate", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { realNameRegistry, issuer, veriKey, holder, other } = stack;
          await issueVia(stack, path, issuer.address, issuer, attestation(holder.address, 3, await expiry()));
          await issueVia(stack, path, issuer.address, veriKey, attestation(other.address, 3, await expiry()));
          expect(await realNameRegistry.isVerified(holder.address, 3)).to.equal(true);
          const record = await realNameRegistry.getVerification(other.address, 3);
          expect(record.reason).to.equal(Reason.Verified);
          expect(record.issuer).to.equal(issuer.address);
        });

        it("refuses a sigAuth delegate and a stranger", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { issuerRegistry, issuer, sigAuth, stranger, holder } = stack;
          for (const actor of [sigAuth, stranger]) {
            await expect(issueVia(stack, path, issuer.address, actor, attestation(holder.address, 1, await expiry())))
              .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryUnauthorizedActor")
              .withArgs(issuer.address, actor.address);
          }
        });

        it("holds the maximum level", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { issuerRegistry, lowIssuer, holder } = stack;
          await expect(
            issueVia(stack, path, lowIssuer.address, lowIssuer, attestation(holder.address, 2, await expiry())),
          )
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryLevelAboveMax")
            .withArgs(lowIssuer.address, 2, 1);
        });

        it("holds suspension and removal", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { issuerRegistry, issuer, veriKey, holder } = stack;
          await issuerRegistry.suspend(issuer.address, "audit", TX);
          await expect(issueVia(stack, path, issuer.address, veriKey, attestation(holder.address, 1, await expiry())))
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryIssuerSuspended")
            .withArgs(issuer.address);
          await issuerRegistry.remove(issuer.address, "fraud", TX);
          await expect(issueVia(stack, path, issuer.address, issuer, attestation(holder.address, 1, await expiry())))
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryNotAnIssuer")
            .withArgs(issuer.address);
        });
      });
    }
  });

  describe("attestBatch", function () {
    it("attests many identities with consecutive status indices", async function () {
      const { realNameRegistry, issuer, holder, other, stranger } = await networkHelpers.loadFixture(fixture);
      const identities = [holder.address, other.address, stranger.address];
      const exp = await expiry();
      const commitments = identities.map((identity) => attestation(identity, 2, exp).commitment);
      const tx = realNameRegistry
        .connect(issuer)
        .attestBatch(issuer.address, 2, exp, ZeroHash, identities, commitments, [], TX);
      for (const [i, identity] of identities.entries()) {
        await expect(tx)
          .to.emit(realNameRegistry, "Attested")
          .withArgs(
            identity,
            issuer.address,
            2,
            exp,
            i,
            commitments[i],
            identity,
            ZeroHash,
            ZeroHash,
            IssuancePath.Batch,
          );
      }
      for (const identity of identities) expect(await realNameRegistry.isVerified(identity, 2)).to.equal(true);
    });

    it("binds scoped nullifiers", async function () {
      const { realNameRegistry, issuer, holder, other } = await networkHelpers.loadFixture(fixture);
      const scope = scopeOf("video.example");
      const nullifiers = [nullifierOf("alice", scope), nullifierOf("bob", scope)];
      await realNameRegistry
        .connect(issuer)
        .attestBatch(
          issuer.address,
          2,
          await expiry(),
          scope,
          [holder.address, other.address],
          [ZeroHash, ZeroHash],
          nullifiers,
          TX,
        );
      expect(await realNameRegistry.getScope(other.address)).to.deep.equal([scope, nullifiers[1]]);
      expect(await realNameRegistry.nullifierHolder(scope, nullifiers[0])).to.equal(holder.address);
    });

    it("rejects empty, oversized and mismatched batches", async function () {
      const { realNameRegistry, issuer, holder } = await networkHelpers.loadFixture(fixture);
      const registry = realNameRegistry.connect(issuer);
      const exp = await expiry();
      await expect(registry.attestBatch(issuer.address, 1, exp, ZeroHash, [], [], [], TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidBatchSize")
        .withArgs(0, 100);
      const many = Array.from({ length: 101 }, () => holder.address);
      await expect(
        registry.attestBatch(
          issuer.address,
          1,
          exp,
          ZeroHash,
          many,
          many.map(() => ZeroHash),
          [],
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidBatchSize")
        .withArgs(101, 100);
      await expect(registry.attestBatch(issuer.address, 1, exp, ZeroHash, [holder.address], [], [], TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLengthMismatch")
        .withArgs(1, 0);
      await expect(registry.attestBatch(issuer.address, 1, exp, scopeOf("a"), [holder.address], [ZeroHash], [], TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLengthMismatch")
        .withArgs(1, 0);
    });
  });

  describe("attestBySig", function () {
    async function signed() {
      const stack = await networkHelpers.loadFixture(fixture);
      const data = attestation(stack.holder.address, 2, await expiry());
      return { stack, data };
    }

    it("consumes the issuer's nonce and rejects a replay", async function () {
      const { stack, data } = await signed();
      const { realNameRegistry, issuer, veriKey, stranger } = stack;
      const { message, signature } = await signAttestation(stack, veriKey, issuer.address, data);
      const send = () =>
        realNameRegistry
          .connect(stranger)
          .attestBySig(
            issuer.address,
            veriKey.address,
            data,
            message.owner,
            message.nonce,
            message.deadline,
            signature,
            TX,
          );
      await expect(send()).to.emit(realNameRegistry, "Attested");
      expect(await realNameRegistry.nonces(issuer.address)).to.equal(1);
      await expect(send())
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidNonce")
        .withArgs(issuer.address, 0, 1);
    });

    it("rejects a wrong chain, wrong verifying contract, tampered data and another signer", async function () {
      const { stack, data } = await signed();
      const { realNameRegistry, issuer, veriKey, stranger } = stack;
      const variants = [
        await signAttestation(stack, veriKey, issuer.address, data, { chainId: 1n }),
        await signAttestation(stack, veriKey, issuer.address, data, { verifyingContract: issuer.address }),
      ];
      for (const { message, signature } of variants) {
        await expect(
          realNameRegistry.attestBySig(
            issuer.address,
            veriKey.address,
            data,
            message.owner,
            message.nonce,
            message.deadline,
            signature,
            TX,
          ),
        )
          .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidSignature")
          .withArgs(veriKey.address);
      }
      const { message, signature } = await signAttestation(stack, veriKey, issuer.address, data);
      await expect(
        realNameRegistry.attestBySig(
          issuer.address,
          veriKey.address,
          { ...data, level: 3 },
          message.owner,
          message.nonce,
          message.deadline,
          signature,
          TX,
        ),
      ).to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidSignature");
      await expect(
        realNameRegistry.attestBySig(
          issuer.address,
          stranger.address,
          data,
          message.owner,
          message.nonce,
          message.deadline,
          signature,
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidSignature")
        .withArgs(stranger.address);
      expect(await realNameRegistry.nonces(issuer.address)).to.equal(0);
    });

    it("rejects an expired deadline and a cancelled nonce", async function () {
      const { stack, data } = await signed();
      const { realNameRegistry, issuer, veriKey, stranger } = stack;
      const deadline = (await now(ethers)) + 60n;
      const { message, signature } = await signAttestation(stack, issuer, issuer.address, data, { deadline });
      await networkHelpers.time.increase(120);
      await expect(
        realNameRegistry.attestBySig(
          issuer.address,
          issuer.address,
          data,
          message.owner,
          message.nonce,
          deadline,
          signature,
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDeadlinePassed")
        .withArgs(deadline);
      const fresh = await signAttestation(stack, issuer, issuer.address, data);
      await expect(realNameRegistry.connect(veriKey).cancelSignatures(issuer.address, TX))
        .to.emit(realNameRegistry, "SignaturesCancelled")
        .withArgs(issuer.address, 1);
      await expect(
        realNameRegistry.attestBySig(
          issuer.address,
          issuer.address,
          data,
          fresh.message.owner,
          fresh.message.nonce,
          fresh.message.deadline,
          fresh.signature,
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidNonce")
        .withArgs(issuer.address, 0, 1);
      await expect(realNameRegistry.connect(stranger).cancelSignatures(issuer.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address, issuer.address);
    });

    it("rejects a DID whose owner moved since the issuer checked it", async function () {
      const { stack, data } = await signed();
      const { realNameRegistry, didRegistry, issuer, holder, other } = stack;
      const { message, signature } = await signAttestation(stack, issuer, issuer.address, data);
      await didRegistry.connect(holder).changeOwner(holder.address, other.address, TX);
      await expect(
        realNameRegistry.attestBySig(
          issuer.address,
          issuer.address,
          data,
          message.owner,
          message.nonce,
          message.deadline,
          signature,
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryOwnerChanged")
        .withArgs(holder.address, holder.address, other.address);
    });
    it("accepts a contract-wallet issuer's signature by the wallet's key, relayed by anyone, once", async function () {
      const stack = await networkHelpers.loadFixture(walletFixture);
      const { realNameRegistry, walletAddress, walletKey, holder, stranger } = stack;
      const data = attestation(holder.address, 2, await expiry());
      const signed = await signAttestation(stack, walletKey, walletAddress, data, { signer: walletAddress });
      await expect(relayAttestation(stack, stranger, data, signed))
        .to.emit(realNameRegistry, "Attested")
        .withArgs(
          holder.address,
          walletAddress,
          2,
          data.expiry,
          0,
          data.commitment,
          holder.address,
          ZeroHash,
          ZeroHash,
          IssuancePath.Signed,
        );
      expect((await realNameRegistry.getVerification(holder.address, 2)).issuer).to.equal(walletAddress);
      expect(await realNameRegistry.isVerified(holder.address, 2)).to.equal(true);
      await expect(relayAttestation(stack, stranger, data, signed))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidNonce")
        .withArgs(walletAddress, 0, 1);
    });

    it("rejects a contract-wallet issuer's attestation signed by another key or by the wallet's key as itself", async function () {
      const stack = await networkHelpers.loadFixture(walletFixture);
      const { realNameRegistry, issuerRegistry, walletAddress, walletKey, holder, stranger } = stack;
      const data = attestation(holder.address, 2, await expiry());
      const byOtherKey = await signAttestation(stack, stranger, walletAddress, data, { signer: walletAddress });
      await expect(relayAttestation(stack, stranger, data, byOtherKey))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidSignature")
        .withArgs(walletAddress);
      // The key is not the issuer: its own valid signature, naming itself, acts for nobody.
      const byKeyAlone = await signAttestation(stack, walletKey, walletAddress, data);
      await expect(relayAttestation(stack, stranger, data, byKeyAlone))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryUnauthorizedActor")
        .withArgs(walletAddress, walletKey.address);
      expect(await realNameRegistry.nonces(walletAddress)).to.equal(0);
      expect((await realNameRegistry.getVerification(holder.address, 0)).reason).to.equal(Reason.NoAttestation);
    });
  });

  describe("Merkle batches", function () {
    async function anchored() {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuer, holder, other, stranger } = stack;
      const { chainId } = await ethers.provider.getNetwork();
      const exp = await expiry();
      const batch = buildMerkleBatch(chainId, await realNameRegistry.getAddress(), issuer.address, 2, exp, [
        holder.address,
        other.address,
        stranger.address,
      ]);
      await expect(
        realNameRegistry.connect(issuer).anchorRoot(issuer.address, batch.tree.root, 2, exp, 3, "ipfs://root", TX),
      )
        .to.emit(realNameRegistry, "MerkleRootAnchored")
        .withArgs(issuer.address, batch.tree.root, 2, exp, 3, "ipfs://root");
      return { ...stack, batch, exp, root: batch.tree.root };
    }

    it("verifies leaves without storing and claims each leaf once", async function () {
      const { realNameRegistry, issuer, holder, batch, root, exp } = await anchored();
      expect(await realNameRegistry.getRoot(root)).to.deep.equal([issuer.address, 2n, exp, 3n]);
      expect(await realNameRegistry.leafHash(root, batch.leaves[1])).to.equal(batch.tree.leafHash(batch.tree.at(1)!));
      expect(await realNameRegistry.verifyLeaf(root, batch.leaves[0], batch.tree.getProof(0))).to.equal(true);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
      await expect(realNameRegistry.claim(root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.emit(realNameRegistry, "MerkleLeafClaimed")
        .withArgs(root, 0, holder.address)
        .and.to.emit(realNameRegistry, "Attested")
        .withArgs(
          holder.address,
          issuer.address,
          2,
          exp,
          0,
          batch.leaves[0].commitment,
          holder.address,
          ZeroHash,
          ZeroHash,
          IssuancePath.MerkleClaim,
        );
      expect(await realNameRegistry.isClaimed(root, 0)).to.equal(true);
      expect(await realNameRegistry.isClaimed(root, 1)).to.equal(false);
      expect(await realNameRegistry.isVerified(holder.address, 2)).to.equal(true);
      await expect(realNameRegistry.claim(root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryAlreadyClaimed")
        .withArgs(root, 0);
    });

    it("rejects a wrong leaf, wrong proof, unknown root and out-of-range index", async function () {
      const { realNameRegistry, batch, root, stranger } = await anchored();
      const tampered = { ...batch.leaves[1], identity: stranger.address };
      expect(await realNameRegistry.verifyLeaf(root, tampered, batch.tree.getProof(1))).to.equal(false);
      await expect(realNameRegistry.claim(root, tampered, batch.tree.getProof(1), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidProof")
        .withArgs(root, 1);
      await expect(realNameRegistry.claim(root, batch.leaves[1], batch.tree.getProof(2), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidProof")
        .withArgs(root, 1);
      const unknown = scopeOf("not a root");
      expect(await realNameRegistry.verifyLeaf(unknown, batch.leaves[1], batch.tree.getProof(1))).to.equal(false);
      await expect(realNameRegistry.claim(unknown, batch.leaves[1], batch.tree.getProof(1), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnknownRoot")
        .withArgs(unknown);
      await expect(realNameRegistry.leafHash(unknown, batch.leaves[1]))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnknownRoot")
        .withArgs(unknown);
      await expect(realNameRegistry.claim(root, { ...batch.leaves[1], index: 3 }, [], TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLeafOutOfRange")
        .withArgs(root, 3, 3);
    });

    it("rejects re-anchoring, empty roots and past expiries", async function () {
      const { realNameRegistry, issuer, root, exp } = await anchored();
      const registry = realNameRegistry.connect(issuer);
      await expect(registry.anchorRoot(issuer.address, root, 2, exp, 3, "", TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidRoot")
        .withArgs(root, 3);
      await expect(registry.anchorRoot(issuer.address, ZeroHash, 2, exp, 3, "", TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidRoot")
        .withArgs(ZeroHash, 3);
      await expect(registry.anchorRoot(issuer.address, scopeOf("r"), 2, exp, 0, "", TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidRoot")
        .withArgs(scopeOf("r"), 0);
      const past = await now(ethers);
      await expect(registry.anchorRoot(issuer.address, scopeOf("r"), 2, past, 1, "", TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryExpired")
        .withArgs(past);
    });

    it("checks the issuer, expiry and owner again at claim time", async function () {
      const { realNameRegistry, issuerRegistry, didRegistry, issuer, holder, other, stranger, batch, root, exp } =
        await anchored();
      await didRegistry.connect(other).changeOwner(other.address, stranger.address, TX);
      await expect(realNameRegistry.claim(root, batch.leaves[1], batch.tree.getProof(1), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryOwnerChanged")
        .withArgs(other.address, other.address, stranger.address);
      await issuerRegistry.suspend(issuer.address, "", TX);
      await expect(realNameRegistry.claim(root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryIssuerSuspended")
        .withArgs(issuer.address);
      await issuerRegistry.reinstate(issuer.address, TX);
      await networkHelpers.time.increaseTo(exp);
      await expect(realNameRegistry.claim(root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryExpired")
        .withArgs(exp);
      expect(await realNameRegistry.isClaimed(root, 0)).to.equal(false);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
    });

    it("binds the chain and the registry", async function () {
      const { realNameRegistry, issuer, holder, exp } = await anchored();
      const registry = await realNameRegistry.getAddress();
      const foreign = [
        buildMerkleBatch(1n, registry, issuer.address, 2, exp, [holder.address]),
        buildMerkleBatch((await ethers.provider.getNetwork()).chainId, issuer.address, issuer.address, 2, exp, [
          holder.address,
        ]),
      ];
      for (const batch of foreign) {
        await realNameRegistry.connect(issuer).anchorRoot(issuer.address, batch.tree.root, 2, exp, 1, "", TX);
        await expect(realNameRegistry.claim(batch.tree.root, batch.leaves[0], batch.tree.getProof(0), TX))
          .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidProof")
          .withArgs(batch.tree.root, 0);
      }
    });
  });

  describe("isVerified", function () {
    async function attested() {
      const stack = await networkHelpers.loadFixture(fixture);
      const data = attestation(stack.holder.address, 2, await expiry());
      await stack.realNameRegistry.connect(stack.issuer).attest(stack.issuer.address, data, TX);
      return { ...stack, data };
    }

    async function expectReason(stack: TrustStack, identity: string, minLevel: number, reason: Reason) {
      expect((await stack.realNameRegistry.getVerification(identity, minLevel)).reason).to.equal(reason);
      expect(await stack.realNameRegistry.isVerified(identity, minLevel)).to.equal(reason === Reason.Verified);
    }

    it("is false without an attestation and after expiry", async function () {
      const stack = await attested();
      await expectReason(stack, stack.other.address, 0, Reason.NoAttestation);
      await networkHelpers.time.increaseTo(stack.data.expiry);
      await expectReason(stack, stack.holder.address, 1, Reason.Expired);
    });

    it("follows issuer suspension, removal and a lowered maximum level", async function () {
      const stack = await attested();
      const { issuerRegistry, issuer, holder } = stack;
      await issuerRegistry.suspend(issuer.address, "", TX);
      await expectReason(stack, holder.address, 1, Reason.IssuerSuspended);
      await issuerRegistry.reinstate(issuer.address, TX);
      await issuerRegistry.updateIssuer(issuer.address, 1, "", "", TX);
      await expectReason(stack, holder.address, 1, Reason.IssuerLevelExceeded);
      await issuerRegistry.updateIssuer(issuer.address, 3, "", "", TX);
      await expectReason(stack, holder.address, 2, Reason.Verified);
      await issuerRegistry.remove(issuer.address, "", TX);
      await expectReason(stack, holder.address, 1, Reason.IssuerNotAccredited);
    });

    it("sees revocation and suspension bits at once", async function () {
      const stack = await attested();
      const { statusRegistry, issuer, holder } = stack;
      await statusRegistry.connect(issuer).setStatus(issuer.address, SUSPENSION, 0, true, TX);
      await expectReason(stack, holder.address, 1, Reason.Suspended);
      await statusRegistry.connect(issuer).setStatus(issuer.address, SUSPENSION, 0, false, TX);
      await expectReason(stack, holder.address, 1, Reason.Verified);
      await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 0, true, TX);
      await expectReason(stack, holder.address, 1, Reason.Revoked);
    });

    it("is false once the DID is deactivated", async function () {
      const stack = await attested();
      await stack.didRegistry.connect(stack.holder).changeOwner(stack.holder.address, ZeroAddress, TX);
      await expectReason(stack, stack.holder.address, 1, Reason.DIDDeactivated);
    });
  });

  describe("ownership policy", function () {
    it("stops verifying after an ownership change until the issuer reconfirms", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, didRegistry, issuer, veriKey, holder, other, stranger } = stack;
      await realNameRegistry.connect(issuer).attest(issuer.address, attestation(holder.address, 2, await expiry()), TX);
      await didRegistry.connect(holder).changeOwner(holder.address, other.address, TX);
      expect((await realNameRegistry.getVerification(holder.address, 1)).reason).to.equal(Reason.OwnerChanged);
      await expect(realNameRegistry.connect(stranger).reconfirm(holder.address, TX))
        .to.be.revertedWithCustomError(stack.issuerRegistry, "IssuerRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address);
      await expect(realNameRegistry.connect(veriKey).reconfirm(holder.address, TX))
        .to.emit(realNameRegistry, "OwnerReconfirmed")
        .withArgs(holder.address, issuer.address, other.address);
      const record = await realNameRegistry.getVerification(holder.address, 1);
      expect(record.reason).to.equal(Reason.Verified);
      expect(record.owner).to.equal(other.address);
      // Handing it back to itself is a change too.
      await didRegistry.connect(other).changeOwner(holder.address, holder.address, TX);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
      await realNameRegistry.connect(issuer).reconfirm(holder.address, TX);
      expect((await realNameRegistry.getVerification(holder.address, 1)).owner).to.equal(holder.address);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(true);
    });

    it("rejects reconfirming a missing, expired or deactivated attestation", async function () {
      const { realNameRegistry, didRegistry, issuer, holder, other } = await networkHelpers.loadFixture(fixture);
      await expect(realNameRegistry.connect(issuer).reconfirm(other.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryNoAttestation")
        .withArgs(other.address);
      const data = attestation(holder.address, 1, (await now(ethers)) + DAY);
      await realNameRegistry.connect(issuer).attest(issuer.address, data, TX);
      await didRegistry.connect(holder).changeOwner(holder.address, ZeroAddress, TX);
      await expect(realNameRegistry.connect(issuer).reconfirm(holder.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDIDDeactivated")
        .withArgs(holder.address);
      await networkHelpers.time.increaseTo(data.expiry);
      await expect(realNameRegistry.connect(issuer).reconfirm(holder.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryExpired")
        .withArgs(data.expiry);
    });

    it("records an owner other than the identity at issuance", async function () {
      const { realNameRegistry, didRegistry, issuer, holder, other } = await networkHelpers.loadFixture(fixture);
      await didRegistry.connect(holder).changeOwner(holder.address, other.address, TX);
      await realNameRegistry.connect(issuer).attest(issuer.address, attestation(holder.address, 1, await expiry()), TX);
      const record = await realNameRegistry.getVerification(holder.address, 1);
      expect(record.owner).to.equal(other.address);
      expect(record.reason).to.equal(Reason.Verified);
    });
  });

  describe("scoped nullifiers", function () {
    const scope = scopeOf("video.example");
    const nullifier = nullifierOf("alice", scope);
    const binding = { scope, nullifier };

    it("keeps one DID per nullifier while the holder's attestation is in force", async function () {
      const { realNameRegistry, issuer, holder, other } = await networkHelpers.loadFixture(fixture);
      const registry = realNameRegistry.connect(issuer);
      await expect(registry.attest(issuer.address, attestation(holder.address, 2, await expiry(), "a", binding), TX))
        .to.emit(realNameRegistry, "Attested")
        .withArgs(
          holder.address,
          issuer.address,
          2,
          (v: bigint) => v > 0n,
          0,
          (c: string) => c.length === 66,
          holder.address,
          scope,
          nullifier,
          IssuancePath.Direct,
        );
      expect(await realNameRegistry.getScope(holder.address)).to.deep.equal([scope, nullifier]);
      // Renewal of the same DID keeps the nullifier.
      await registry.attest(issuer.address, attestation(holder.address, 3, await expiry(), "a", binding), TX);
      await expect(registry.attest(issuer.address, attestation(other.address, 2, await expiry(), "a", binding), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryNullifierUsed")
        .withArgs(scope, nullifier, holder.address);
    });

    it("frees the nullifier on revocation, expiry, deactivation or replacement", async function () {
      const { realNameRegistry, statusRegistry, didRegistry, issuer, holder, other, stranger } =
        await networkHelpers.loadFixture(fixture);
      const registry = realNameRegistry.connect(issuer);
      const soon = (await now(ethers)) + DAY;
      await registry.attest(issuer.address, attestation(holder.address, 2, soon, "a", binding), TX);
      await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 0, true, TX);
      await registry.attest(issuer.address, attestation(other.address, 2, soon, "a", binding), TX);
      expect(await realNameRegistry.nullifierHolder(scope, nullifier)).to.equal(other.address);
      // The revoked former holder, re-attested, does not release the nullifier it lost.
      await registry.attest(issuer.address, attestation(holder.address, 2, soon), TX);
      expect(await realNameRegistry.nullifierHolder(scope, nullifier)).to.equal(other.address);
      await networkHelpers.time.increaseTo(soon);
      await registry.attest(issuer.address, attestation(stranger.address, 2, await expiry(), "a", binding), TX);
      await didRegistry.connect(stranger).changeOwner(stranger.address, ZeroAddress, TX);
      await registry.attest(issuer.address, attestation(holder.address, 2, await expiry(), "a", binding), TX);
      expect(await realNameRegistry.nullifierHolder(scope, nullifier)).to.equal(holder.address);
      // Replacing the holder's attestation by an unscoped one releases the nullifier.
      await registry.attest(issuer.address, attestation(holder.address, 2, await expiry()), TX);
      expect(await realNameRegistry.nullifierHolder(scope, nullifier)).to.equal(ZeroAddress);
      expect(await realNameRegistry.getScope(holder.address)).to.deep.equal([ZeroHash, ZeroHash]);
    });
  });

  describe("disclosure", function () {
    /** `stack` with `holder` attested at level 3 under the name "Li Si". */
    async function attestHolder<S extends TrustStack>(stack: S) {
      const data = attestation(stack.holder.address, 3, await expiry(), "Li Si");
      await stack.realNameRegistry.connect(stack.issuer).attest(stack.issuer.address, data, TX);
      return { ...stack, data };
    }

    async function attested() {
      return attestHolder(await networkHelpers.loadFixture(fixture));
    }

    /** `holder`'s DID handed to the contract wallet, then attested: the wallet is its recorded owner. */
    async function walletOwned() {
      const stack = await networkHelpers.loadFixture(walletFixture);
      await stack.didRegistry.connect(stack.holder).changeOwner(stack.holder.address, stack.walletAddress, TX);
      return attestHolder(stack);
    }

    /**
     * Signs a `Disclosure` of `holder`'s name with `key`, naming `owner` (default: `key` itself; an EIP-1271 wallet
     * whose key `key` is); `chainId` overrides the domain's.
     */
    async function signDisclosure(
      stack: TrustStack,
      key: HardhatEthersSigner,
      realName: string,
      salt: string,
      options: { owner?: string; chainId?: bigint } = {},
    ) {
      const owner = options.owner ?? key.address;
      const message = {
        owner,
        identity: stack.holder.address,
        realName,
        salt,
        nonce: await stack.realNameRegistry.nonces(owner),
        deadline: (await now(ethers)) + DAY,
      };
      const domain = await domainOf(stack.realNameRegistry, "RealDID RealNameRegistry", options.chainId);
      return { message, signature: await key.signTypedData(domain, DISCLOSURE_TYPES, message) };
    }

    /** Sends a signed disclosure exactly as signed, from `relayer`. */
    function relayDisclosure(
      stack: TrustStack,
      relayer: HardhatEthersSigner,
      { message, signature }: Awaited<ReturnType<typeof signDisclosure>>,
    ) {
      const { identity, owner, realName, salt, nonce, deadline } = message;
      return stack.realNameRegistry
        .connect(relayer)
        .discloseBySig(identity, owner, realName, salt, nonce, deadline, signature, TX);
    }

    it("publishes the name when it matches the commitment", async function () {
      const { realNameRegistry, issuer, holder, data } = await attested();
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
      await expect(realNameRegistry.connect(holder).disclose(holder.address, "Li Si", data.salt, TX))
        .to.emit(realNameRegistry, "Disclosed")
        .withArgs(holder.address, issuer.address, "Li Si");
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("Li Si");
      expect((await realNameRegistry.getVerification(holder.address, 0)).disclosed).to.equal(true);
      // A renewal with the same commitment keeps it; a new commitment hides it.
      await realNameRegistry.connect(issuer).attest(issuer.address, { ...data, level: 2 }, TX);
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("Li Si");
      await realNameRegistry.connect(issuer).attest(issuer.address, attestation(holder.address, 2, await expiry()), TX);
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
    });

    it("hides the name once the attestation no longer verifies", async function () {
      const { realNameRegistry, statusRegistry, issuer, holder, data } = await attested();
      await realNameRegistry.connect(holder).disclose(holder.address, "Li Si", data.salt, TX);
      await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 0, true, TX);
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
    });

    it("rejects a wrong name, a non-owner and an unverified identity", async function () {
      const { realNameRegistry, statusRegistry, issuer, holder, other, data } = await attested();
      await expect(realNameRegistry.connect(holder).disclose(holder.address, "Wang Wu", data.salt, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryCommitmentMismatch")
        .withArgs(holder.address, data.commitment, commitmentOf(holder.address, "Wang Wu", data.salt));
      await expect(realNameRegistry.connect(other).disclose(holder.address, "Li Si", data.salt, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(holder.address, other.address, holder.address);
      await expect(realNameRegistry.connect(other).disclose(other.address, "Li Si", data.salt, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryNotVerified")
        .withArgs(other.address, Reason.NoAttestation);
      await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 0, true, TX);
      await expect(realNameRegistry.connect(holder).disclose(holder.address, "Li Si", data.salt, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryNotVerified")
        .withArgs(holder.address, Reason.Revoked);
    });

    it("accepts the owner's signature once, relayed by anyone", async function () {
      const stack = await attested();
      const { realNameRegistry, holder, other, stranger, data } = stack;
      const { message, signature } = await signDisclosure(stack, holder, "Li Si", data.salt);
      const send = () =>
        realNameRegistry
          .connect(stranger)
          .discloseBySig(
            holder.address,
            holder.address,
            "Li Si",
            data.salt,
            message.nonce,
            message.deadline,
            signature,
            TX,
          );
      await expect(send()).to.emit(realNameRegistry, "Disclosed");
      await expect(send())
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidNonce")
        .withArgs(holder.address, 0, 1);
      const wrongChain = await signDisclosure(stack, holder, "Li Si", data.salt, { chainId: 1n });
      await expect(
        realNameRegistry.discloseBySig(
          holder.address,
          holder.address,
          "Li Si",
          data.salt,
          wrongChain.message.nonce,
          wrongChain.message.deadline,
          wrongChain.signature,
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidSignature")
        .withArgs(holder.address);
      const notOwner = await signDisclosure(stack, other, "Li Si", data.salt);
      await expect(
        realNameRegistry.discloseBySig(
          holder.address,
          other.address,
          "Li Si",
          data.salt,
          notOwner.message.nonce,
          notOwner.message.deadline,
          notOwner.signature,
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(holder.address, other.address, holder.address);
    });

    it("accepts a contract-wallet owner's signature by the wallet's key once, relayed by anyone", async function () {
      const stack = await walletOwned();
      const { realNameRegistry, issuer, holder, walletAddress, walletKey, stranger, data } = stack;
      const signed = await signDisclosure(stack, walletKey, "Li Si", data.salt, { owner: walletAddress });
      await expect(relayDisclosure(stack, stranger, signed))
        .to.emit(realNameRegistry, "Disclosed")
        .withArgs(holder.address, issuer.address, "Li Si");
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("Li Si");
      await expect(relayDisclosure(stack, stranger, signed))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidNonce")
        .withArgs(walletAddress, 0, 1);
    });

    it("rejects a contract-wallet owner's disclosure signed by another key or by the wallet's key as itself", async function () {
      const stack = await walletOwned();
      const { realNameRegistry, holder, walletAddress, walletKey, stranger, data } = stack;
      const byOtherKey = await signDisclosure(stack, stranger, "Li Si", data.salt, { owner: walletAddress });
      await expect(relayDisclosure(stack, stranger, byOtherKey))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidSignature")
        .withArgs(walletAddress);
      // The key does not own the DID: its own valid signature, naming itself, discloses nothing.
      const byKeyAlone = await signDisclosure(stack, walletKey, "Li Si", data.salt);
      await expect(relayDisclosure(stack, stranger, byKeyAlone))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(holder.address, walletKey.address, walletAddress);
      expect(await realNameRegistry.nonces(walletAddress)).to.equal(0);
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
    });
  });
});
