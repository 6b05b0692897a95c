import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  attestation,
  ISSUANCE_PATH_NAMES,
  DAY,
  deployTrustStack,
  deployTrustStackWithWalletIssuer,
  IssuancePath,
  LEVEL,
  now,
  nullifierOf,
  Reason,
  scopeOf,
  TX,
} from "@realdid/testkit/trust";
import { issueVia, PATHS, relayAttestation, signAttestation, yearFromNow } from "./helpers/real-name.ts";

const { ethers, networkHelpers } = await network.create();

const fixture = () => deployTrustStack(ethers);
const walletFixture = () => deployTrustStackWithWalletIssuer(ethers);

describe("RealNameRegistry: issuance", function () {
  describe("deployment", function () {
    it("reports version and wiring", async function () {
      const { realNameRegistry, didRegistry, issuerRegistry, statusRegistry } =
        await networkHelpers.loadFixture(fixture);
      expect(await realNameRegistry.version()).to.equal("2.0.0");
      expect(await realNameRegistry.didRegistry()).to.equal(await didRegistry.getAddress());
      expect(await realNameRegistry.issuerRegistry()).to.equal(await issuerRegistry.getAddress());
      expect(await realNameRegistry.statusRegistry()).to.equal(await statusRegistry.getAddress());
      const domain = await realNameRegistry.eip712Domain();
      expect([domain.name, domain.version]).to.deep.equal(["RealDID RealNameRegistry", "2"]);
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
      const data = attestation(holder.address, LEVEL.DOCUMENT, await yearFromNow(stack));
      await expect(realNameRegistry.connect(issuer).attest(issuer.address, data, TX))
        .to.emit(realNameRegistry, "Attested")
        .withArgs(
          holder.address,
          issuer.address,
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

    it("renews with a fresh status index, each issuer counting its own", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuer, lowIssuer, holder } = stack;
      await realNameRegistry
        .connect(issuer)
        .attest(issuer.address, attestation(holder.address, 1, await yearFromNow(stack)), TX);
      const upgrade = attestation(holder.address, LEVEL.BIOMETRIC, await yearFromNow(stack));
      await expect(realNameRegistry.connect(issuer).attest(issuer.address, upgrade, TX))
        .to.emit(realNameRegistry, "AttestationReplaced")
        .withArgs(holder.address, issuer.address, 0, 1, false, ZeroHash, ZeroHash)
        .and.to.emit(realNameRegistry, "Attested");
      expect((await realNameRegistry.getVerification(holder.address, 0)).statusIndex).to.equal(1);
      expect(await realNameRegistry.statusCount(issuer.address)).to.equal(2);
      expect(await realNameRegistry.statusCount(lowIssuer.address)).to.equal(0);
      expect(await realNameRegistry.isVerified(holder.address, LEVEL.BIOMETRIC)).to.equal(true);
    });

    it("rejects malformed data: no DID, half a scope, a zero commitment, a deactivated DID", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, didRegistry, issuer, holder } = stack;
      const registry = realNameRegistry.connect(issuer);
      const exp = await yearFromNow(stack);
      await expect(registry.attest(issuer.address, attestation(ZeroAddress, 1, exp), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDIDDeactivated")
        .withArgs(ZeroAddress);
      const halfScoped = attestation(holder.address, 1, exp, "x", { scope: scopeOf("a"), nullifier: ZeroHash });
      await expect(registry.attest(issuer.address, halfScoped, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidScope")
        .withArgs(scopeOf("a"), ZeroHash);
      await expect(
        registry.attest(issuer.address, { ...attestation(holder.address, 1, exp), commitment: ZeroHash }, TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryZeroCommitment")
        .withArgs(holder.address);
      await didRegistry.connect(holder).changeOwner(holder.address, ZeroAddress, TX);
      await expect(registry.attest(issuer.address, attestation(holder.address, 1, exp), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDIDDeactivated")
        .withArgs(holder.address);
    });
  });

  describe("issuer checks on every path", function () {
    for (const path of PATHS) {
      describe(ISSUANCE_PATH_NAMES[path], function () {
        it("works for the issuer and its veriKey delegate, naming the acting key", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { realNameRegistry, issuer, veriKey, holder, other } = stack;
          await issueVia(stack, path, issuer.address, issuer, attestation(holder.address, 3, await yearFromNow(stack)));
          const byDelegate = issueVia(
            stack,
            path,
            issuer.address,
            veriKey,
            attestation(other.address, 3, await yearFromNow(stack)),
          );
          await expect(byDelegate)
            .to.emit(realNameRegistry, "Attested")
            .withArgs(
              other.address,
              issuer.address,
              veriKey.address,
              3,
              anyValue,
              anyValue,
              anyValue,
              other.address,
              ZeroHash,
              ZeroHash,
              path,
            );
          expect(await realNameRegistry.isVerified(holder.address, 3)).to.equal(true);
          const record = await realNameRegistry.getVerification(other.address, 3);
          expect(record.reason).to.equal(Reason.Verified);
          expect(record.issuer).to.equal(issuer.address);
        });

        it("refuses a sigAuth delegate and a stranger", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { issuerRegistry, issuer, sigAuth, stranger, holder } = stack;
          for (const actor of [sigAuth, stranger]) {
            await expect(
              issueVia(stack, path, issuer.address, actor, attestation(holder.address, 1, await yearFromNow(stack))),
            )
              .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryUnauthorizedActor")
              .withArgs(issuer.address, actor.address);
          }
        });

        it("holds the maximum level", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { issuerRegistry, lowIssuer, holder } = stack;
          await expect(
            issueVia(
              stack,
              path,
              lowIssuer.address,
              lowIssuer,
              attestation(holder.address, 2, await yearFromNow(stack)),
            ),
          )
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryLevelAboveMax")
            .withArgs(lowIssuer.address, 2, 1);
        });

        it("holds suspension and removal", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { issuerRegistry, issuer, veriKey, holder } = stack;
          await issuerRegistry.suspend(issuer.address, "audit", TX);
          await expect(
            issueVia(stack, path, issuer.address, veriKey, attestation(holder.address, 1, await yearFromNow(stack))),
          )
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryIssuerSuspended")
            .withArgs(issuer.address);
          await issuerRegistry.remove(issuer.address, "fraud", TX);
          await expect(
            issueVia(stack, path, issuer.address, issuer, attestation(holder.address, 1, await yearFromNow(stack))),
          )
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryNotAnIssuer")
            .withArgs(issuer.address);
        });

        it("holds the issuer's maximum lifetime and refuses a past expiry (review finding 9)", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { issuerRegistry, realNameRegistry, issuer, holder } = stack;
          await issuerRegistry.setMaxLifetime(issuer.address, 30n * DAY, TX);
          const tooLong = (await now(ethers)) + 31n * DAY;
          await expect(issueVia(stack, path, issuer.address, issuer, attestation(holder.address, 1, tooLong)))
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryLifetimeTooLong")
            .withArgs(issuer.address, tooLong, anyValue);
          const past = await now(ethers);
          await expect(issueVia(stack, path, issuer.address, issuer, attestation(holder.address, 1, past)))
            .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryExpired")
            .withArgs(past);
          await issueVia(
            stack,
            path,
            issuer.address,
            issuer,
            attestation(holder.address, 1, (await now(ethers)) + 29n * DAY),
          );
          expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(true);
        });

        it("refuses a DID that changed hands after the issuer checked its owner (review finding 7)", async function () {
          const stack = await networkHelpers.loadFixture(fixture);
          const { realNameRegistry, didRegistry, issuer, holder, other } = stack;
          const data = attestation(holder.address, 2, await yearFromNow(stack));
          await didRegistry.connect(holder).changeOwner(holder.address, other.address, TX);
          await expect(issueVia(stack, path, issuer.address, issuer, data))
            .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryOwnerChanged")
            .withArgs(holder.address, holder.address, other.address);
          expect((await realNameRegistry.getVerification(holder.address, 0)).reason).to.equal(Reason.NoAttestation);
        });
      });
    }
  });

  describe("attestBatch", function () {
    it("attests many identities with consecutive status indices and their stated owners", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, didRegistry, issuer, holder, other, stranger } = stack;
      await didRegistry.connect(stranger).changeOwner(stranger.address, other.address, TX);
      const identities = [holder.address, other.address, stranger.address];
      const owners = [holder.address, other.address, other.address];
      const exp = await yearFromNow(stack);
      const commitments = identities.map((identity) => attestation(identity, 2, exp).commitment);
      const tx = realNameRegistry
        .connect(issuer)
        .attestBatch(issuer.address, 2, exp, ZeroHash, identities, owners, commitments, [], TX);
      for (const [i, identity] of identities.entries()) {
        await expect(tx)
          .to.emit(realNameRegistry, "Attested")
          .withArgs(
            identity,
            issuer.address,
            issuer.address,
            2,
            exp,
            i,
            commitments[i],
            owners[i],
            ZeroHash,
            ZeroHash,
            IssuancePath.Batch,
          );
      }
      for (const identity of identities) expect(await realNameRegistry.isVerified(identity, 2)).to.equal(true);
    });

    it("binds scoped nullifiers", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuer, holder, other } = stack;
      const scope = scopeOf("video.example");
      const nullifiers = [nullifierOf("alice", scope), nullifierOf("bob", scope)];
      const identities = [holder.address, other.address];
      const commitments = identities.map((identity) => attestation(identity, 2, 1n).commitment);
      await realNameRegistry
        .connect(issuer)
        .attestBatch(
          issuer.address,
          2,
          await yearFromNow(stack),
          scope,
          identities,
          identities,
          commitments,
          nullifiers,
          TX,
        );
      expect(await realNameRegistry.getScope(other.address)).to.deep.equal([scope, nullifiers[1]]);
      expect(await realNameRegistry.nullifierHolder(scope, nullifiers[0])).to.equal(holder.address);
    });

    it("rejects empty, oversized and mismatched batches, and a whole batch for one moved owner", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, didRegistry, issuer, holder, other } = stack;
      const registry = realNameRegistry.connect(issuer);
      const exp = await yearFromNow(stack);
      const c = attestation(holder.address, 1, exp).commitment;
      await expect(registry.attestBatch(issuer.address, 1, exp, ZeroHash, [], [], [], [], TX))
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
          many,
          many.map(() => c),
          [],
          TX,
        ),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidBatchSize")
        .withArgs(101, 100);
      await expect(registry.attestBatch(issuer.address, 1, exp, ZeroHash, [holder.address], [], [c], [], TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLengthMismatch")
        .withArgs(1, 0);
      await expect(
        registry.attestBatch(issuer.address, 1, exp, ZeroHash, [holder.address], [holder.address], [], [], TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLengthMismatch")
        .withArgs(1, 0);
      await expect(
        registry.attestBatch(issuer.address, 1, exp, scopeOf("a"), [holder.address], [holder.address], [c], [], TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLengthMismatch")
        .withArgs(1, 0);
      await didRegistry.connect(other).changeOwner(other.address, holder.address, TX);
      const pair = [holder.address, other.address];
      await expect(registry.attestBatch(issuer.address, 1, exp, ZeroHash, pair, pair, [c, c], [], TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryOwnerChanged")
        .withArgs(other.address, other.address, holder.address);
      expect(await realNameRegistry.statusCount(issuer.address)).to.equal(0);
      expect((await realNameRegistry.getVerification(holder.address, 0)).reason).to.equal(Reason.NoAttestation);
    });
  });

  describe("attestBySig", function () {
    async function signed() {
      const stack = await networkHelpers.loadFixture(fixture);
      const data = attestation(stack.holder.address, 2, await yearFromNow(stack));
      return { stack, data };
    }

    it("consumes the issuer's nonce, names the signing key and rejects a replay", async function () {
      const { stack, data } = await signed();
      const { realNameRegistry, issuer, veriKey, stranger } = stack;
      const sig = await signAttestation(stack, veriKey, issuer.address, data);
      await expect(relayAttestation(stack, stranger, data, sig))
        .to.emit(realNameRegistry, "Attested")
        .withArgs(
          data.identity,
          issuer.address,
          veriKey.address,
          2,
          data.expiry,
          0,
          data.commitment,
          data.owner,
          ZeroHash,
          ZeroHash,
          IssuancePath.Signed,
        );
      expect(await realNameRegistry.nonces(issuer.address)).to.equal(1);
      await expect(relayAttestation(stack, stranger, data, sig))
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidNonce")
        .withArgs(issuer.address, 0, 1);
    });

    it("rejects a wrong chain, wrong verifying contract, tampered data or owner, and another signer", async function () {
      const { stack, data } = await signed();
      const { realNameRegistry, issuer, veriKey, stranger, other } = stack;
      const variants = [
        await signAttestation(stack, veriKey, issuer.address, data, { chainId: 1n }),
        await signAttestation(stack, veriKey, issuer.address, data, { verifyingContract: issuer.address }),
      ];
      for (const sig of variants) {
        await expect(relayAttestation(stack, stranger, data, sig))
          .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidSignature")
          .withArgs(veriKey.address);
      }
      const sig = await signAttestation(stack, veriKey, issuer.address, data);
      for (const tampered of [
        { ...data, level: 3 },
        { ...data, owner: other.address },
      ]) {
        await expect(relayAttestation(stack, stranger, tampered, sig)).to.be.revertedWithCustomError(
          realNameRegistry,
          "SignedRequestsInvalidSignature",
        );
      }
      await expect(
        relayAttestation(stack, stranger, data, { ...sig, message: { ...sig.message, signer: stranger.address } }),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidSignature")
        .withArgs(stranger.address);
      expect(await realNameRegistry.nonces(issuer.address)).to.equal(0);
    });

    it("rejects an expired deadline and a cancelled nonce; only the issuer's keys cancel", async function () {
      const { stack, data } = await signed();
      const { realNameRegistry, issuer, veriKey, stranger } = stack;
      const deadline = (await now(ethers)) + 60n;
      const late = await signAttestation(stack, issuer, issuer.address, data, { deadline });
      await networkHelpers.time.increase(120);
      await expect(relayAttestation(stack, stranger, data, late))
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsDeadlinePassed")
        .withArgs(deadline);
      const fresh = await signAttestation(stack, issuer, issuer.address, data);
      await expect(realNameRegistry.connect(veriKey).cancelSignatures(issuer.address, TX))
        .to.emit(realNameRegistry, "SignaturesCancelled")
        .withArgs(issuer.address, 1, veriKey.address);
      await expect(relayAttestation(stack, stranger, data, fresh))
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidNonce")
        .withArgs(issuer.address, 0, 1);
      await expect(realNameRegistry.connect(stranger).cancelSignatures(issuer.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address, issuer.address);
    });

    it("accepts a contract-wallet issuer's signature by the wallet's key, relayed by anyone, once", async function () {
      const stack = await networkHelpers.loadFixture(walletFixture);
      const { realNameRegistry, walletAddress, walletKey, holder, stranger } = stack;
      const data = attestation(holder.address, 2, await yearFromNow(stack));
      const sig = await signAttestation(stack, walletKey, walletAddress, data, { signer: walletAddress });
      await expect(relayAttestation(stack, stranger, data, sig))
        .to.emit(realNameRegistry, "Attested")
        .withArgs(
          holder.address,
          walletAddress,
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
      expect(await realNameRegistry.isVerified(holder.address, 2)).to.equal(true);
      await expect(relayAttestation(stack, stranger, data, sig))
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidNonce")
        .withArgs(walletAddress, 0, 1);
    });

    it("rejects a contract-wallet issuer's attestation signed by another key or by the wallet's key as itself", async function () {
      const stack = await networkHelpers.loadFixture(walletFixture);
      const { realNameRegistry, issuerRegistry, walletAddress, walletKey, holder, stranger } = stack;
      const data = attestation(holder.address, 2, await yearFromNow(stack));
      const byOtherKey = await signAttestation(stack, stranger, walletAddress, data, { signer: walletAddress });
      await expect(relayAttestation(stack, stranger, data, byOtherKey))
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidSignature")
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
});
