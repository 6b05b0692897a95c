import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  attestation,
  DAY,
  deployTrustStack,
  now,
  nullifierOf,
  Reason,
  REVOCATION,
  scopeOf,
  SUSPENSION,
  TX,
} from "@realdid/testkit/trust";
import { expectReason, yearFromNow } from "./helpers/real-name.ts";

const { ethers, networkHelpers } = await network.create();

const fixture = () => deployTrustStack(ethers);

describe("RealNameRegistry: verification", function () {
  describe("isVerified", function () {
    async function attested() {
      const stack = await networkHelpers.loadFixture(fixture);
      const data = attestation(stack.holder.address, 2, await yearFromNow(stack));
      await stack.realNameRegistry.connect(stack.issuer).attest(stack.issuer.address, data, TX);
      return { ...stack, data };
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
    it("stops verifying after an ownership change until the issuer reconfirms the owner it checked", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuerRegistry, didRegistry, issuer, veriKey, holder, other, stranger } = stack;
      await realNameRegistry
        .connect(issuer)
        .attest(issuer.address, attestation(holder.address, 2, await yearFromNow(stack)), TX);
      await didRegistry.connect(holder).changeOwner(holder.address, other.address, TX);
      await expectReason(stack, holder.address, 1, Reason.OwnerChanged);
      await expect(realNameRegistry.connect(stranger).reconfirm(holder.address, other.address, TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address);
      // The owner the issuer checked must be the one on chain when the reconfirmation lands.
      await expect(realNameRegistry.connect(veriKey).reconfirm(holder.address, stranger.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryOwnerChanged")
        .withArgs(holder.address, stranger.address, other.address);
      await expect(realNameRegistry.connect(veriKey).reconfirm(holder.address, other.address, TX))
        .to.emit(realNameRegistry, "OwnerReconfirmed")
        .withArgs(holder.address, issuer.address, other.address, veriKey.address);
      const record = await realNameRegistry.getVerification(holder.address, 1);
      expect(record.reason).to.equal(Reason.Verified);
      expect(record.owner).to.equal(other.address);
      // Handing it back to itself is a change too.
      await didRegistry.connect(other).changeOwner(holder.address, holder.address, TX);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
      await realNameRegistry.connect(issuer).reconfirm(holder.address, holder.address, TX);
      expect((await realNameRegistry.getVerification(holder.address, 1)).owner).to.equal(holder.address);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(true);
    });

    it("rejects reconfirming a missing, deactivated or expired attestation", async function () {
      const { realNameRegistry, issuerRegistry, didRegistry, issuer, holder, other } =
        await networkHelpers.loadFixture(fixture);
      await expect(realNameRegistry.connect(issuer).reconfirm(other.address, other.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryNoAttestation")
        .withArgs(other.address);
      const data = attestation(holder.address, 1, (await now(ethers)) + DAY);
      await realNameRegistry.connect(issuer).attest(issuer.address, data, TX);
      await didRegistry.connect(holder).changeOwner(holder.address, ZeroAddress, TX);
      await expect(realNameRegistry.connect(issuer).reconfirm(holder.address, holder.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDIDDeactivated")
        .withArgs(holder.address);
      await networkHelpers.time.increaseTo(data.expiry);
      await expect(realNameRegistry.connect(issuer).reconfirm(holder.address, holder.address, TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryExpired")
        .withArgs(data.expiry);
    });

    it("records an owner other than the identity at issuance; its deactivation reads as such", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, didRegistry, issuer, holder, other } = stack;
      await didRegistry.connect(holder).changeOwner(holder.address, other.address, TX);
      const data = attestation(holder.address, 1, await yearFromNow(stack), "Zhang San", undefined, other.address);
      await realNameRegistry.connect(issuer).attest(issuer.address, data, TX);
      const record = await realNameRegistry.getVerification(holder.address, 1);
      expect(record.owner).to.equal(other.address);
      expect(record.reason).to.equal(Reason.Verified);
      // Deactivation reads as such, not as a change of hands, also when another owner was recorded.
      await didRegistry.connect(other).changeOwner(holder.address, ZeroAddress, TX);
      await expectReason(stack, holder.address, 1, Reason.DIDDeactivated);
    });
  });

  describe("scoped nullifiers", function () {
    const scope = scopeOf("video.example");
    const nullifier = nullifierOf("alice", scope);
    const binding = { scope, nullifier };

    it("keeps one DID per nullifier while the holder's attestation is in force", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuer, holder, other } = stack;
      const registry = realNameRegistry.connect(issuer);
      await registry.attest(issuer.address, attestation(holder.address, 2, await yearFromNow(stack), "a", binding), TX);
      expect(await realNameRegistry.getScope(holder.address)).to.deep.equal([scope, nullifier]);
      // Renewal of the same DID keeps the nullifier.
      await registry.attest(issuer.address, attestation(holder.address, 3, await yearFromNow(stack), "a", binding), TX);
      await expect(
        registry.attest(issuer.address, attestation(other.address, 2, await yearFromNow(stack), "a", binding), TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryNullifierUsed")
        .withArgs(scope, nullifier, holder.address);
    });

    it("frees the nullifier on revocation, expiry, deactivation or replacement", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, statusRegistry, didRegistry, issuer, holder, other, stranger } = stack;
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
      await registry.attest(
        issuer.address,
        attestation(stranger.address, 2, await yearFromNow(stack), "a", binding),
        TX,
      );
      await didRegistry.connect(stranger).changeOwner(stranger.address, ZeroAddress, TX);
      await registry.attest(issuer.address, attestation(holder.address, 2, await yearFromNow(stack), "a", binding), TX);
      expect(await realNameRegistry.nullifierHolder(scope, nullifier)).to.equal(holder.address);
      // Replacing the holder's attestation by an unscoped one releases the nullifier, and says so.
      await expect(registry.attest(issuer.address, attestation(holder.address, 2, await yearFromNow(stack)), TX))
        .to.emit(realNameRegistry, "AttestationReplaced")
        .withArgs(holder.address, issuer.address, 4, 2, false, scope, nullifier);
      expect(await realNameRegistry.nullifierHolder(scope, nullifier)).to.equal(ZeroAddress);
      expect(await realNameRegistry.getScope(holder.address)).to.deep.equal([ZeroHash, ZeroHash]);
    });
  });
});
