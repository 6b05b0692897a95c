import { expect } from "chai";
import { ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  attestation,
  buildMerkleBatch,
  deployTrustStack,
  IssuancePath,
  now,
  REVOCATION,
  Reason,
  scopeOf,
  TX,
  VERI_KEY,
} from "@realdid/testkit/trust";
import { anchorBatch, expectReason, yearFromNow } from "./helpers/real-name.ts";

const { ethers, networkHelpers } = await network.create();

const fixture = () => deployTrustStack(ethers);

describe("RealNameRegistry: Merkle batches", function () {
  /** A root of three holders at level 2, anchored by the issuer after one direct attestation (index 0). */
  async function anchored() {
    const stack = await networkHelpers.loadFixture(fixture);
    const { realNameRegistry, issuer, holder, other, stranger, admin } = stack;
    await realNameRegistry
      .connect(issuer)
      .attest(issuer.address, attestation(admin.address, 1, await yearFromNow(stack)), TX);
    const exp = await yearFromNow(stack);
    const { batch, root, first, anchoring } = await anchorBatch(stack, issuer, issuer.address, 2, exp, [
      holder.address,
      other.address,
      stranger.address,
    ]);
    return { ...stack, batch, root, first, anchoring, exp };
  }

  it("reserves the leaves' status indices at anchoring and names the anchoring key", async function () {
    const { realNameRegistry, issuer, root, first, anchoring, exp } = await anchored();
    expect(first).to.equal(1n);
    await expect(anchoring)
      .to.emit(realNameRegistry, "MerkleRootAnchored")
      .withArgs(issuer.address, root, issuer.address, 2, exp, 1, 3, "ipfs://root");
    expect(await realNameRegistry.statusCount(issuer.address)).to.equal(4);
    expect(await realNameRegistry.getRoot(issuer.address, root)).to.deep.equal([
      issuer.address,
      2n,
      exp,
      false,
      1n,
      3n,
    ]);
  });

  it("verifies leaves without storing and claims each leaf once", async function () {
    const { realNameRegistry, issuer, holder, batch, root, exp } = await anchored();
    expect(await realNameRegistry.leafHash(issuer.address, root, batch.leaves[1])).to.equal(
      batch.tree.leafHash(batch.tree.at(1)!),
    );
    expect(await realNameRegistry.verifyLeaf(issuer.address, root, batch.leaves[0], batch.tree.getProof(0))).to.equal(
      true,
    );
    expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
    await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX))
      .to.emit(realNameRegistry, "MerkleLeafClaimed")
      .withArgs(issuer.address, root, holder.address, 1)
      .and.to.emit(realNameRegistry, "Attested")
      .withArgs(
        holder.address,
        issuer.address,
        issuer.address,
        2,
        exp,
        1,
        batch.leaves[0].commitment,
        holder.address,
        ZeroHash,
        ZeroHash,
        IssuancePath.MerkleClaim,
      );
    expect(await realNameRegistry.isClaimed(issuer.address, 1)).to.equal(true);
    expect(await realNameRegistry.isClaimed(issuer.address, 2)).to.equal(false);
    expect(await realNameRegistry.isVerified(holder.address, 2)).to.equal(true);
    await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryAlreadyClaimed")
      .withArgs(issuer.address, 1);
  });

  it("rejects a wrong leaf, wrong proof, unknown root and an index outside the root's range", async function () {
    const { realNameRegistry, issuer, batch, root, stranger } = await anchored();
    const tampered = { ...batch.leaves[1], identity: stranger.address };
    expect(await realNameRegistry.verifyLeaf(issuer.address, root, tampered, batch.tree.getProof(1))).to.equal(false);
    await expect(realNameRegistry.claim(issuer.address, root, tampered, batch.tree.getProof(1), TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidProof")
      .withArgs(issuer.address, root, 2);
    await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[1], batch.tree.getProof(2), TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidProof")
      .withArgs(issuer.address, root, 2);
    const unknown = scopeOf("not a root");
    expect(
      await realNameRegistry.verifyLeaf(issuer.address, unknown, batch.leaves[1], batch.tree.getProof(1)),
    ).to.equal(false);
    await expect(realNameRegistry.claim(issuer.address, unknown, batch.leaves[1], batch.tree.getProof(1), TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnknownRoot")
      .withArgs(issuer.address, unknown);
    await expect(realNameRegistry.leafHash(issuer.address, unknown, batch.leaves[1]))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnknownRoot")
      .withArgs(issuer.address, unknown);
    for (const statusIndex of [0n, 4n]) {
      await expect(realNameRegistry.claim(issuer.address, root, { ...batch.leaves[1], statusIndex }, [], TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLeafOutOfRange")
        .withArgs(issuer.address, root, statusIndex);
    }
  });

  it("rejects re-anchoring, empty roots, past expiries and a tree built from a stale status index", async function () {
    const { realNameRegistry, issuerRegistry, issuer, root, exp } = await anchored();
    const registry = realNameRegistry.connect(issuer);
    await expect(registry.anchorRoot(issuer.address, root, 2, exp, 4, 3, "", TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidRoot")
      .withArgs(root, 3);
    await expect(registry.anchorRoot(issuer.address, ZeroHash, 2, exp, 4, 3, "", TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidRoot")
      .withArgs(ZeroHash, 3);
    await expect(registry.anchorRoot(issuer.address, scopeOf("r"), 2, exp, 4, 0, "", TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidRoot")
      .withArgs(scopeOf("r"), 0);
    const past = await now(ethers);
    await expect(registry.anchorRoot(issuer.address, scopeOf("r"), 2, past, 4, 1, "", TX))
      .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryExpired")
      .withArgs(past);
    // Another issuance took index 4 between building the tree and anchoring it.
    await expect(registry.anchorRoot(issuer.address, scopeOf("r"), 2, exp, 1, 1, "", TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryStatusIndexMoved")
      .withArgs(issuer.address, 1, 4);
  });

  it("checks the issuer, expiry and owner again at claim time", async function () {
    const { realNameRegistry, issuerRegistry, didRegistry, issuer, holder, other, stranger, batch, root, exp } =
      await anchored();
    await didRegistry.connect(other).changeOwner(other.address, stranger.address, TX);
    await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[1], batch.tree.getProof(1), TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryOwnerChanged")
      .withArgs(other.address, other.address, stranger.address);
    await issuerRegistry.suspend(issuer.address, "", TX);
    await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX))
      .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryIssuerSuspended")
      .withArgs(issuer.address);
    await issuerRegistry.reinstate(issuer.address, TX);
    await networkHelpers.time.increaseTo(exp);
    await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX))
      .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryExpired")
      .withArgs(exp);
    expect(await realNameRegistry.isClaimed(issuer.address, 1)).to.equal(false);
    expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
  });

  it("binds the chain and the registry", async function () {
    const stack = await anchored();
    const { realNameRegistry, issuer, holder, exp } = stack;
    const registry = await realNameRegistry.getAddress();
    const { chainId } = await ethers.provider.getNetwork();
    for (const [chain, verifying] of [
      [1n, registry],
      [chainId, issuer.address],
    ] as const) {
      const first = await realNameRegistry.statusCount(issuer.address);
      const batch = buildMerkleBatch(chain, verifying, issuer.address, 2, exp, [holder.address], first);
      await realNameRegistry.connect(issuer).anchorRoot(issuer.address, batch.tree.root, 2, exp, first, 1, "", TX);
      await expect(realNameRegistry.claim(issuer.address, batch.tree.root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidProof")
        .withArgs(issuer.address, batch.tree.root, first);
    }
  });

  describe("security review", function () {
    it("a revoked holder cannot re-verify through another leaf of the same issuer (finding 1)", async function () {
      const stack = await anchored();
      const { realNameRegistry, statusRegistry, issuer, holder } = stack;
      // A second, later root also lists the holder (a re-issued list); the holder claims the first leaf.
      const second = await anchorBatch(stack, issuer, issuer.address, 2, await yearFromNow(stack), [holder.address]);
      await realNameRegistry.claim(issuer.address, stack.root, stack.batch.leaves[0], stack.batch.tree.getProof(0), TX);
      await statusRegistry.connect(issuer).revoke(1, TX);
      await expectReason(stack, holder.address, 1, Reason.Revoked);
      // The issuer revokes the unclaimed leaf of the second root in advance: it can never be claimed.
      await statusRegistry.connect(issuer).revoke(second.first, TX);
      await expect(
        realNameRegistry.claim(issuer.address, second.root, second.batch.leaves[0], second.batch.tree.getProof(0), TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLeafRevoked")
        .withArgs(issuer.address, second.first);
      await expectReason(stack, holder.address, 1, Reason.Revoked);
    });

    it("an issuer cancels a root: none of its unclaimed leaves can be claimed (finding 1)", async function () {
      const { realNameRegistry, issuer, veriKey, stranger, batch, root } = await anchored();
      await expect(realNameRegistry.connect(stranger).cancelRoot(issuer.address, root, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address, issuer.address);
      await expect(realNameRegistry.connect(veriKey).cancelRoot(issuer.address, root, TX))
        .to.emit(realNameRegistry, "MerkleRootCancelled")
        .withArgs(issuer.address, root, veriKey.address);
      expect((await realNameRegistry.getRoot(issuer.address, root)).cancelled).to.equal(true);
      await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryRootCancelled")
        .withArgs(issuer.address, root);
      await expect(realNameRegistry.connect(issuer).cancelRoot(issuer.address, root, TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryRootCancelled")
        .withArgs(issuer.address, root);
      await expect(realNameRegistry.connect(issuer).cancelRoot(issuer.address, scopeOf("x"), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryUnknownRoot")
        .withArgs(issuer.address, scopeOf("x"));
    });

    it("a leaf is claimable once, whatever root re-lists it (finding 2)", async function () {
      const stack = await anchored();
      const { realNameRegistry, statusRegistry, issuer, holder, batch, root, exp } = stack;
      await realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX);
      await statusRegistry.connect(issuer).revoke(1, TX);
      // The same leaves anchored again under another root: their status indices are outside its range.
      const { chainId } = await ethers.provider.getNetwork();
      const first = await realNameRegistry.statusCount(issuer.address);
      const relisted = buildMerkleBatch(
        chainId,
        await realNameRegistry.getAddress(),
        issuer.address,
        2,
        exp,
        [holder.address],
        1n,
      );
      await realNameRegistry.connect(issuer).anchorRoot(issuer.address, relisted.tree.root, 2, exp, first, 1, "", TX);
      await expect(
        realNameRegistry.claim(issuer.address, relisted.tree.root, relisted.leaves[0], relisted.tree.getProof(0), TX),
      )
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryLeafOutOfRange")
        .withArgs(issuer.address, relisted.tree.root, 1);
      await expectReason(stack, holder.address, 1, Reason.Revoked);
    });

    it("roots are keyed by issuer: another issuer anchoring the same root blocks nothing (finding 8)", async function () {
      const stack = await anchored();
      const { realNameRegistry, issuerRegistry, lowIssuer, issuer, holder, batch, root, exp } = stack;
      await issuerRegistry.updateIssuer(lowIssuer.address, 2, "", "", TX);
      const first = await realNameRegistry.statusCount(lowIssuer.address);
      await realNameRegistry.connect(lowIssuer).anchorRoot(lowIssuer.address, root, 2, exp, first, 3, "", TX);
      expect((await realNameRegistry.getRoot(lowIssuer.address, root)).anchoredBy).to.equal(lowIssuer.address);
      expect((await realNameRegistry.getRoot(issuer.address, root)).anchoredBy).to.equal(issuer.address);
      // The squatter's copy proves nothing (the leaves bind their issuer); the issuer's own root still works.
      await expect(realNameRegistry.claim(lowIssuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryInvalidProof")
        .withArgs(lowIssuer.address, root, 1);
      await realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX);
      expect((await realNameRegistry.getVerification(holder.address, 2)).issuer).to.equal(issuer.address);
    });

    it("revoking the veriKey that anchored a root stops its unclaimed leaves (finding 10)", async function () {
      const stack = await networkHelpers.loadFixture(fixture);
      const { realNameRegistry, didRegistry, issuerRegistry, issuer, veriKey, holder } = stack;
      const { batch, root } = await anchorBatch(stack, veriKey, issuer.address, 2, await yearFromNow(stack), [
        holder.address,
      ]);
      await didRegistry.connect(issuer).revokeDelegate(issuer.address, VERI_KEY, veriKey.address, TX);
      await expect(realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryUnauthorizedActor")
        .withArgs(issuer.address, veriKey.address);
    });
  });

  it("keeps a claimed index claimed after the root is cancelled, and a pre-revoked index revoked", async function () {
    const { realNameRegistry, statusRegistry, issuer, batch, root } = await anchored();
    await realNameRegistry.claim(issuer.address, root, batch.leaves[0], batch.tree.getProof(0), TX);
    await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 3, true, TX);
    await realNameRegistry.connect(issuer).cancelRoot(issuer.address, root, TX);
    expect(await realNameRegistry.isClaimed(issuer.address, 1)).to.equal(true);
    expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 3)).to.equal(true);
  });
});
