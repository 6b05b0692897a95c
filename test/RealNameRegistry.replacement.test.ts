import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  attestation,
  ISSUANCE_PATH_NAMES,
  DAY,
  deployTrustStack,
  domainOf,
  IssuancePath,
  now,
  nullifierOf,
  Reason,
  RENUNCIATION_TYPES,
  scopeOf,
  TX,
  type TrustStack,
} from "@realdid/testkit/trust";
import { anchorBatch, expectReason, issueVia, yearFromNow } from "./helpers/real-name.ts";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

const { ethers, networkHelpers } = await network.create();

const fixture = () => deployTrustStack(ethers);

const scope = scopeOf("video.example");
const binding = { scope, nullifier: nullifierOf("alice", scope) };

describe("RealNameRegistry: replacement rule and renunciation", function () {
  /** `holder` attested at level 3 by `issuer` (index 0), scoped, with its name disclosed. */
  async function verifiedAtThree() {
    const stack = await networkHelpers.loadFixture(fixture);
    const { realNameRegistry, issuerRegistry, issuer, lowIssuer, holder } = stack;
    const data = attestation(holder.address, 3, await yearFromNow(stack), "Li Si", binding);
    await realNameRegistry.connect(issuer).attest(issuer.address, data, TX);
    await realNameRegistry.connect(holder).disclose(holder.address, "Li Si", data.salt, TX);
    await issuerRegistry.updateIssuer(lowIssuer.address, 2, "Contact Verifier", "", TX);
    return { ...stack, data };
  }

  async function expectUntouched(stack: TrustStack & { data: { commitment: unknown } }) {
    const record = await stack.realNameRegistry.getVerification(stack.holder.address, 3);
    expect(record.reason).to.equal(Reason.Verified);
    expect([record.issuer, record.level, record.statusIndex]).to.deep.equal([stack.issuer.address, 3n, 0n]);
    expect(await stack.realNameRegistry.disclosedName(stack.holder.address)).to.equal("Li Si");
    expect(await stack.realNameRegistry.nullifierHolder(binding.scope, binding.nullifier)).to.equal(
      stack.holder.address,
    );
  }

  describe("security review", function () {
    for (const path of [IssuancePath.Direct, IssuancePath.Batch, IssuancePath.Signed, IssuancePath.MerkleClaim]) {
      it(`a lower-level issuer cannot overwrite a higher-level attestation (${ISSUANCE_PATH_NAMES[path]}, finding 5)`, async function () {
        const stack = await verifiedAtThree();
        const { realNameRegistry, lowIssuer, holder } = stack;
        await expect(
          issueVia(stack, path, lowIssuer.address, lowIssuer, attestation(holder.address, 2, await yearFromNow(stack))),
        )
          .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryReplacementRefused")
          .withArgs(holder.address, stack.issuer.address, 3, 0);
        await expectUntouched(stack);
      });
    }

    it("a stale leaf claimed by anyone cannot downgrade a newer attestation (finding 3)", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuer, holder, stranger } = stack;
      const stale = await anchorBatch(stack, issuer, issuer.address, 2, await yearFromNow(stack), [holder.address]);
      await realNameRegistry
        .connect(issuer)
        .attest(issuer.address, attestation(holder.address, 3, await yearFromNow(stack)), TX);
      await expect(
        realNameRegistry
          .connect(stranger)
          .claim(issuer.address, stale.root, stale.batch.leaves[0], stale.batch.tree.getProof(0), TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryReplacementRefused")
        .withArgs(holder.address, issuer.address, 3, 1);
      expect((await realNameRegistry.getVerification(holder.address, 0)).level).to.equal(3);
      // The holder's own claim is consent.
      await expect(
        realNameRegistry
          .connect(holder)
          .claim(issuer.address, stale.root, stale.batch.leaves[0], stale.batch.tree.getProof(0), TX),
      )
        .to.emit(realNameRegistry, "AttestationReplaced")
        .withArgs(holder.address, issuer.address, 1, 3, false, ZeroHash, ZeroHash);
      expect((await realNameRegistry.getVerification(holder.address, 0)).level).to.equal(2);
    });

    it("an older leaf of the same level does not replace, a newer one does", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, issuer, lowIssuer, issuerRegistry, holder, stranger } = stack;
      const older = await anchorBatch(stack, issuer, issuer.address, 2, await yearFromNow(stack), [holder.address]);
      await realNameRegistry
        .connect(issuer)
        .attest(issuer.address, attestation(holder.address, 2, await yearFromNow(stack)), TX);
      const newer = await anchorBatch(stack, issuer, issuer.address, 2, await yearFromNow(stack), [holder.address]);
      const claim = (root: string, b: typeof older.batch) =>
        realNameRegistry.connect(stranger).claim(issuer.address, root, b.leaves[0], b.tree.getProof(0), TX);
      await expect(claim(older.root, older.batch)).to.be.revertedWithCustomError(
        realNameRegistry,
        "RealNameRegistryReplacementRefused",
      );
      await expect(claim(newer.root, newer.batch)).to.emit(realNameRegistry, "AttestationReplaced");
      expect((await realNameRegistry.getVerification(holder.address, 0)).statusIndex).to.equal(2);
      // Another issuer's leaf carries no date comparable with this one: only the holder may accept it.
      await issuerRegistry.updateIssuer(lowIssuer.address, 2, "", "", TX);
      const foreign = await anchorBatch(stack, lowIssuer, lowIssuer.address, 2, await yearFromNow(stack), [
        holder.address,
      ]);
      await expect(
        realNameRegistry
          .connect(stranger)
          .claim(lowIssuer.address, foreign.root, foreign.batch.leaves[0], foreign.batch.tree.getProof(0), TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryReplacementRefused")
        .withArgs(holder.address, issuer.address, 2, 2);
    });
  });

  it("another issuer at the same or a higher level replaces, and the event lists what went", async function () {
    const stack = await verifiedAtThree();
    const { realNameRegistry, issuerRegistry, lowIssuer, issuer, holder } = stack;
    await issuerRegistry.updateIssuer(lowIssuer.address, 3, "", "", TX);
    await expect(
      realNameRegistry
        .connect(lowIssuer)
        .attest(lowIssuer.address, attestation(holder.address, 3, await yearFromNow(stack)), TX),
    )
      .to.emit(realNameRegistry, "AttestationReplaced")
      .withArgs(holder.address, issuer.address, 0, 3, true, binding.scope, binding.nullifier);
    expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
    expect(await realNameRegistry.nullifierHolder(binding.scope, binding.nullifier)).to.equal(ZeroAddress);
    expect((await realNameRegistry.getVerification(holder.address, 3)).issuer).to.equal(lowIssuer.address);
  });

  it("an attestation no longer in force may be replaced by any issuance", async function () {
    const stack = await verifiedAtThree();
    const { realNameRegistry, statusRegistry, issuerRegistry, issuer, lowIssuer, holder } = stack;
    await issuerRegistry.suspend(issuer.address, "audit", TX);
    await realNameRegistry
      .connect(lowIssuer)
      .attest(lowIssuer.address, attestation(holder.address, 1, await yearFromNow(stack)), TX);
    await expectReason(stack, holder.address, 1, Reason.Verified);
    await statusRegistry.connect(lowIssuer).revoke(0, TX);
    await issuerRegistry.reinstate(issuer.address, TX);
    await realNameRegistry
      .connect(issuer)
      .attest(issuer.address, attestation(holder.address, 1, (await now(ethers)) + DAY), TX);
    await networkHelpers.time.increase(2n * DAY);
    await realNameRegistry
      .connect(lowIssuer)
      .attest(lowIssuer.address, attestation(holder.address, 1, await yearFromNow(stack)), TX);
    expect((await realNameRegistry.getVerification(holder.address, 1)).issuer).to.equal(lowIssuer.address);
  });

  describe("renounce", function () {
    it("lets the holder give up its attestation, releasing its nullifier, so a lower level may follow", async function () {
      const stack = await verifiedAtThree();
      const { realNameRegistry, issuer, lowIssuer, holder, stranger } = stack;
      await expect(realNameRegistry.connect(stranger).renounce(holder.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(holder.address, stranger.address, holder.address);
      await expect(realNameRegistry.connect(holder).renounce(holder.address, TX))
        .to.emit(realNameRegistry, "AttestationRenounced")
        .withArgs(holder.address, issuer.address, 0, holder.address);
      await expectReason(stack, holder.address, 0, Reason.NoAttestation);
      expect(await realNameRegistry.nullifierHolder(binding.scope, binding.nullifier)).to.equal(ZeroAddress);
      expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
      await expect(realNameRegistry.connect(holder).renounce(holder.address, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryNoAttestation")
        .withArgs(holder.address);
      await realNameRegistry
        .connect(lowIssuer)
        .attest(lowIssuer.address, attestation(holder.address, 1, await yearFromNow(stack)), TX);
      await expectReason(stack, holder.address, 1, Reason.Verified);
    });

    it("refuses a deactivated DID's renunciation and disclosure: nobody holds it any more", async function () {
      const stack = await verifiedAtThree();
      const { realNameRegistry, didRegistry, holder, data } = stack;
      await didRegistry.connect(holder).changeOwner(holder.address, ZeroAddress, TX);
      for (const call of [
        realNameRegistry.connect(holder).renounce(holder.address, TX),
        realNameRegistry.connect(holder).disclose(holder.address, "Li Si", data.salt, TX),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryDIDDeactivated")
          .withArgs(holder.address);
      }
    });

    async function signRenunciation(stack: TrustStack, key: HardhatEthersSigner, identity: string, chainId?: bigint) {
      const message = {
        owner: key.address,
        identity,
        nonce: await stack.realNameRegistry.nonces(key.address),
        deadline: (await now(ethers)) + DAY,
      };
      const signature = await key.signTypedData(
        await domainOf(stack.realNameRegistry, chainId),
        RENUNCIATION_TYPES,
        message,
      );
      return { message, signature };
    }

    it("accepts the owner's signature once, relayed by anyone; refuses other chains and non-owners", async function () {
      const stack = await verifiedAtThree();
      const { realNameRegistry, holder, other, stranger } = stack;
      const relay = ({ message, signature }: Awaited<ReturnType<typeof signRenunciation>>) =>
        realNameRegistry
          .connect(stranger)
          .renounceBySig(message.identity, message.owner, message.nonce, message.deadline, signature, TX);
      await expect(relay(await signRenunciation(stack, holder, holder.address, 1n)))
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidSignature")
        .withArgs(holder.address);
      await expect(relay(await signRenunciation(stack, other, holder.address)))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(holder.address, other.address, holder.address);
      const signed = await signRenunciation(stack, holder, holder.address);
      await expect(relay(signed)).to.emit(realNameRegistry, "AttestationRenounced");
      await expect(relay(signed))
        .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidNonce")
        .withArgs(holder.address, 0, 1);
    });
  });
});
