import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  attestation,
  CREDENTIAL_REVOCATION,
  CREDENTIAL_SUSPENSION,
  DAY,
  deployTrustStack,
  deployTrustStackWithWalletIssuer,
  domainOf,
  now,
  REVOCATION,
  STATUS_UPDATE_TYPES,
  SUSPENSION,
  TX,
  YEAR,
  type TrustStack,
} from "@realdid/testkit/trust";

const { ethers, networkHelpers } = await network.create();

/** The trust stack with `count` attestations by `issuer` (status indices 0..count-1 issued). */
async function withAllocated(count: number) {
  const stack = await deployTrustStack(ethers);
  const { realNameRegistry, issuer, holder } = stack;
  const expiry = (await now(ethers)) + YEAR;
  for (let done = 0; done < count; done += 100) {
    const size = Math.min(100, count - done);
    const identities = Array.from({ length: size }, () => holder.address);
    const commitments = identities.map(() => attestation(holder.address, 1, expiry).commitment);
    await realNameRegistry
      .connect(issuer)
      .attestBatch(issuer.address, 1, expiry, ZeroHash, identities, identities, commitments, [], TX);
  }
  return stack;
}

const threeAllocated = () => withAllocated(3);
const threeHundredAllocated = () => withAllocated(300);

const walletIssuer = () => deployTrustStackWithWalletIssuer(ethers);

/**
 * Signs a `StatusUpdate` with `key`. The message names `signer` (default: `key` itself; an EIP-1271 wallet whose
 * key `key` is) acting for `issuer` (default: the stack's issuer).
 */
async function signUpdate(
  stack: TrustStack,
  key: HardhatEthersSigner,
  update: { purpose: number; index: bigint; value: boolean },
  options: { issuer?: string; signer?: string; nonce?: bigint; deadline?: bigint; chainId?: bigint } = {},
) {
  const { statusRegistry } = stack;
  const issuer = options.issuer ?? stack.issuer.address;
  const message = {
    issuer,
    signer: options.signer ?? key.address,
    ...update,
    nonce: options.nonce ?? (await statusRegistry.nonces(issuer)),
    deadline: options.deadline ?? (await now(ethers)) + DAY,
  };
  const domain = await domainOf(statusRegistry, options.chainId);
  return { message, signature: await key.signTypedData(domain, STATUS_UPDATE_TYPES, message) };
}

/** Sends a signed update exactly as signed, from `relayer`. */
function relayUpdate(
  stack: TrustStack,
  relayer: HardhatEthersSigner,
  { message, signature }: Awaited<ReturnType<typeof signUpdate>>,
) {
  const { issuer, signer, purpose, index, value, nonce, deadline } = message;
  return stack.statusRegistry
    .connect(relayer)
    .setStatusBySig(issuer, signer, purpose, index, value, nonce, deadline, signature, TX);
}

describe("StatusRegistry", function () {
  describe("configuration", function () {
    it("reports version, purposes, list sizes and its IssuerRegistry", async function () {
      const { statusRegistry, issuerRegistry } = await networkHelpers.loadFixture(threeAllocated);
      expect(await statusRegistry.version()).to.equal("2.0.0");
      expect(await statusRegistry.REVOCATION()).to.equal(0);
      expect(await statusRegistry.SUSPENSION()).to.equal(1);
      expect(await statusRegistry.CREDENTIAL_REVOCATION()).to.equal(2);
      expect(await statusRegistry.CREDENTIAL_SUSPENSION()).to.equal(3);
      expect(await statusRegistry.ATTESTATION_LIST_LENGTH()).to.equal(1n << 40n);
      expect(await statusRegistry.CREDENTIAL_LIST_LENGTH()).to.equal(131072);
      expect(await statusRegistry.MAX_BATCH_SIZE()).to.equal(256);
      expect(await statusRegistry.issuerRegistry()).to.equal(await issuerRegistry.getAddress());
      await expect(ethers.deployContract("StatusRegistry", [ZeroAddress])).to.be.revertedWithCustomError(
        statusRegistry,
        "StatusRegistryZeroAddress",
      );
    });

    it("accepts an index not issued yet: the attestation that gets it is born with that status", async function () {
      const { statusRegistry, realNameRegistry, issuer, holder } = await networkHelpers.loadFixture(threeAllocated);
      expect(await realNameRegistry.statusCount(issuer.address)).to.equal(3);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 3, true, TX))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 3, true, issuer.address);
      await realNameRegistry
        .connect(issuer)
        .attest(issuer.address, attestation(holder.address, 1, (await now(ethers)) + YEAR), TX);
      expect((await realNameRegistry.getVerification(holder.address, 0)).statusIndex).to.equal(3);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
    });
  });

  describe("single and batch updates", function () {
    it("sets a revocation, sets and lifts a suspension, most significant bit first", async function () {
      const { statusRegistry, issuer } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 1, true, TX))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 1, true, issuer.address);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 1)).to.equal(true);
      expect(await statusRegistry.getStatus(issuer.address, SUSPENSION, 1)).to.equal(false);
      expect(await statusRegistry.getStatusWord(issuer.address, REVOCATION, 0)).to.equal(1n << 126n);
      expect(await statusRegistry.getStatusBits(issuer.address, 1)).to.deep.equal([true, false]);
      await statusRegistry.connect(issuer).setStatus(issuer.address, SUSPENSION, 130, true, TX);
      expect(await statusRegistry.getStatusWord(issuer.address, SUSPENSION, 1)).to.equal(1n << 125n);
      expect(await statusRegistry.getStatusBits(issuer.address, 130)).to.deep.equal([false, true]);
      await statusRegistry.connect(issuer).setStatus(issuer.address, SUSPENSION, 130, false, TX);
      expect(await statusRegistry.getStatusWord(issuer.address, SUSPENSION, 1)).to.equal(0n);
    });

    it("revokes in the caller's own revocation list with revoke(index)", async function () {
      const { statusRegistry, issuer, stranger } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).revoke(2, TX))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 2, true, issuer.address);
      expect(await statusRegistry.getStatusBits(issuer.address, 2)).to.deep.equal([true, false]);
      // Anyone else writes only its own list: the issuer's list is untouched by a stranger's revoke.
      await statusRegistry.connect(stranger).revoke(1, TX);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 1)).to.equal(false);
      expect(await statusRegistry.getStatus(stranger.address, REVOCATION, 1)).to.equal(true);
    });

    it("updates many indices and reads them back in one call", async function () {
      const { statusRegistry, issuer, veriKey } = await networkHelpers.loadFixture(threeHundredAllocated);
      const tx = statusRegistry.connect(veriKey).setStatuses(issuer.address, SUSPENSION, [0, 257, 299], true, TX);
      // One storage write and one event per word touched, carrying the whole new word and the acting key.
      await expect(tx)
        .to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, SUSPENSION, 0, 1n << 127n, veriKey.address)
        .and.to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, SUSPENSION, 2, (1n << 126n) | (1n << 84n), veriKey.address)
        .and.not.to.emit(statusRegistry, "StatusChanged");
      expect((await (await tx).wait())!.logs).to.have.length(2);
      expect(await statusRegistry.getStatuses(issuer.address, SUSPENSION, [0, 1, 257, 299])).to.deep.equal([
        true,
        false,
        true,
        true,
      ]);
      await statusRegistry.connect(issuer).setStatuses(issuer.address, SUSPENSION, [299, 1, 0], false, TX);
      expect(await statusRegistry.getStatuses(issuer.address, SUSPENSION, [0, 1, 257, 299])).to.deep.equal([
        false,
        false,
        true,
        false,
      ]);
      await expect(statusRegistry.connect(issuer).setStatuses(issuer.address, SUSPENSION, [], true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidBatchSize")
        .withArgs(0, 256);
      const tooMany = Array.from({ length: 257 }, (_, i) => i);
      await expect(statusRegistry.connect(issuer).setStatuses(issuer.address, SUSPENSION, tooMany, true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidBatchSize")
        .withArgs(257, 256);
    });

    it("rejects unknown purposes, indices outside a list and other actors", async function () {
      const { statusRegistry, issuer, sigAuth, stranger } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, 4, 0, true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnknownPurpose")
        .withArgs(4);
      await expect(statusRegistry.connect(issuer).setStatuses(issuer.address, 4, [0], true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnknownPurpose")
        .withArgs(4);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, CREDENTIAL_REVOCATION, 131072, true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryIndexOutOfRange")
        .withArgs(CREDENTIAL_REVOCATION, 131072, 131072);
      await expect(statusRegistry.connect(issuer).setStatuses(issuer.address, REVOCATION, [1n << 40n], true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryIndexOutOfRange")
        .withArgs(REVOCATION, 1n << 40n, 1n << 40n);
      expect(await statusRegistry.getStatusBits(issuer.address, 1n << 40n)).to.deep.equal([false, false]);
      for (const actor of [sigAuth, stranger]) {
        await expect(statusRegistry.connect(actor).setStatus(issuer.address, REVOCATION, 0, true, TX))
          .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
          .withArgs(issuer.address, actor.address);
        await expect(statusRegistry.connect(actor).setStatuses(issuer.address, REVOCATION, [0], true, TX))
          .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
          .withArgs(issuer.address, actor.address);
      }
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 0)).to.equal(false);
    });

    it("lets any address write only its own lists, which no attestation of another issuer reads", async function () {
      const { statusRegistry, realNameRegistry, issuer, holder, stranger } =
        await networkHelpers.loadFixture(threeAllocated);
      await realNameRegistry
        .connect(issuer)
        .attest(issuer.address, attestation(holder.address, 1, (await now(ethers)) + YEAR), TX);
      const { statusIndex } = await realNameRegistry.getVerification(holder.address, 0);
      await statusRegistry.connect(stranger).setStatus(stranger.address, REVOCATION, statusIndex, true, TX);
      expect(await statusRegistry.getStatus(stranger.address, REVOCATION, statusIndex)).to.equal(true);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, statusIndex)).to.equal(false);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(true);
    });

    it("keeps the credential lists apart from the attestation lists", async function () {
      const { statusRegistry, issuer } = await networkHelpers.loadFixture(threeAllocated);
      await statusRegistry.connect(issuer).setStatus(issuer.address, CREDENTIAL_REVOCATION, 77_777, true, TX);
      await statusRegistry.connect(issuer).setStatus(issuer.address, CREDENTIAL_SUSPENSION, 5, true, TX);
      expect(await statusRegistry.getStatuses(issuer.address, CREDENTIAL_REVOCATION, [77_777, 5])).to.deep.equal([
        true,
        false,
      ]);
      expect(await statusRegistry.getStatus(issuer.address, CREDENTIAL_SUSPENSION, 5)).to.equal(true);
      expect(await statusRegistry.getStatusBits(issuer.address, 77_777)).to.deep.equal([false, false]);
      expect(await statusRegistry.getStatusBits(issuer.address, 5)).to.deep.equal([false, false]);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, CREDENTIAL_REVOCATION, 77_777, false, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryRevocationFinal")
        .withArgs(issuer.address, CREDENTIAL_REVOCATION, 77_777);
    });
  });

  describe("whole-word updates", function () {
    it("replaces a full word of 128 statuses", async function () {
      const { statusRegistry, issuer } = await networkHelpers.loadFixture(threeHundredAllocated);
      const word = (1n << 128n) - 1n;
      await expect(statusRegistry.connect(issuer).setStatusWord(issuer.address, REVOCATION, 0, word, TX))
        .to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, REVOCATION, 0, word, issuer.address);
      expect(await statusRegistry.getStatuses(issuer.address, REVOCATION, [0, 64, 127, 128])).to.deep.equal([
        true,
        true,
        true,
        false,
      ]);
      expect(await statusRegistry.getStatusWord(issuer.address, SUSPENSION, 0)).to.equal(0n);
    });

    it("writes suspension words beyond the issued indices and clears a word again", async function () {
      const { statusRegistry, issuer, veriKey } = await networkHelpers.loadFixture(threeHundredAllocated);
      const word = ((1n << 44n) - 1n) << 84n;
      await statusRegistry.connect(veriKey).setStatusWord(issuer.address, SUSPENSION, 2, word, TX);
      expect(await statusRegistry.getStatusWord(issuer.address, SUSPENSION, 2)).to.equal(word);
      expect(await statusRegistry.getStatuses(issuer.address, SUSPENSION, [255, 256, 299, 300])).to.deep.equal([
        false,
        true,
        true,
        false,
      ]);
      await expect(statusRegistry.connect(issuer).setStatusWord(issuer.address, SUSPENSION, 2, 0, TX))
        .to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, SUSPENSION, 2, 0, issuer.address);
      expect(await statusRegistry.getStatus(issuer.address, SUSPENSION, 256)).to.equal(false);
    });

    it("rejects unknown purposes, words outside a list and other actors", async function () {
      const { statusRegistry, issuer, stranger } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).setStatusWord(issuer.address, 7, 0, 0, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnknownPurpose")
        .withArgs(7);
      await expect(statusRegistry.connect(issuer).setStatusWord(issuer.address, CREDENTIAL_SUSPENSION, 1024, 1n, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryIndexOutOfRange")
        .withArgs(CREDENTIAL_SUSPENSION, 1024, 1024);
      await expect(statusRegistry.connect(stranger).setStatusWord(issuer.address, REVOCATION, 0, 1n, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address);
    });
  });

  describe("security review: revocation is final, suspensions are lifted only by an active issuer (finding 4)", function () {
    /** Attestation 1 revoked by the issuer itself; the compromised key is its veriKey delegate. */
    async function revokedByIssuer() {
      const stack = await networkHelpers.loadFixture(threeAllocated);
      await stack.statusRegistry.connect(stack.issuer).revoke(1, TX);
      return stack;
    }

    it("no key clears a revocation directly, in a batch or by rewriting its word", async function () {
      const stack = await revokedByIssuer();
      const { statusRegistry, realNameRegistry, issuer, veriKey, holder } = stack;
      const asKey = statusRegistry.connect(veriKey);
      for (const attempt of [
        () => asKey.setStatus(issuer.address, REVOCATION, 1, false, TX),
        () => asKey.setStatuses(issuer.address, REVOCATION, [0, 1, 2], false, TX),
        () => asKey.setStatusWord(issuer.address, REVOCATION, 0, 0, TX),
        () => statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 1, false, TX),
      ]) {
        await expect(attempt())
          .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryRevocationFinal")
          .withArgs(issuer.address, REVOCATION, 1);
      }
      // A word that keeps every set bit is accepted.
      await asKey.setStatusWord(issuer.address, REVOCATION, 0, (1n << 126n) | (1n << 125n), TX);
      expect(await statusRegistry.getStatuses(issuer.address, REVOCATION, [0, 1, 2])).to.deep.equal([
        false,
        true,
        true,
      ]);
      expect((await realNameRegistry.getVerification(holder.address, 0)).statusIndex).to.equal(2);
    });

    it("no signature clears a revocation, even one signed before the revocation", async function () {
      const stack = await revokedByIssuer();
      const { statusRegistry, veriKey, stranger, issuer } = stack;
      const clear = await signUpdate(stack, veriKey, { purpose: REVOCATION, index: 1n, value: false });
      await expect(relayUpdate(stack, stranger, clear))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryRevocationFinal")
        .withArgs(issuer.address, REVOCATION, 1);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 1)).to.equal(true);
    });

    it("a suspended or removed issuer still revokes and suspends but lifts no suspension, on any path", async function () {
      const stack = await networkHelpers.loadFixture(threeAllocated);
      const { statusRegistry, issuerRegistry, issuer, veriKey, stranger } = stack;
      await statusRegistry.connect(issuer).setStatuses(issuer.address, SUSPENSION, [0, 1], true, TX);
      await issuerRegistry.suspend(issuer.address, "audit", TX);
      const asKey = statusRegistry.connect(veriKey);
      const lift = await signUpdate(stack, veriKey, { purpose: SUSPENSION, index: 0n, value: false });
      for (const attempt of [
        () => asKey.setStatus(issuer.address, SUSPENSION, 0, false, TX),
        () => asKey.setStatuses(issuer.address, SUSPENSION, [0], false, TX),
        () => asKey.setStatusWord(issuer.address, SUSPENSION, 0, 0, TX),
        () => relayUpdate(stack, stranger, lift),
      ]) {
        await expect(attempt())
          .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryIssuerNotActive")
          .withArgs(issuer.address, 2);
      }
      await asKey.setStatus(issuer.address, REVOCATION, 2, true, TX);
      await asKey.setStatus(issuer.address, SUSPENSION, 2, true, TX);
      await issuerRegistry.remove(issuer.address, "fraud", TX);
      await expect(asKey.setStatus(issuer.address, SUSPENSION, 1, false, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryIssuerNotActive")
        .withArgs(issuer.address, 3);
      expect(await statusRegistry.getStatuses(issuer.address, SUSPENSION, [0, 1, 2])).to.deep.equal([true, true, true]);
    });
  });

  describe("signed updates", function () {
    it("applies a delegate's signature relayed by anyone, once, naming the signer", async function () {
      const stack = await networkHelpers.loadFixture(threeAllocated);
      const { statusRegistry, issuer, veriKey, stranger } = stack;
      const signed = await signUpdate(stack, veriKey, { purpose: REVOCATION, index: 2n, value: true });
      await expect(relayUpdate(stack, stranger, signed))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 2, true, veriKey.address);
      await expect(relayUpdate(stack, stranger, signed))
        .to.be.revertedWithCustomError(statusRegistry, "SignedRequestsInvalidNonce")
        .withArgs(issuer.address, 0, 1);
    });

    it("rejects wrong chain, sigAuth signer, tampered value, expired deadline and cancelled nonce", async function () {
      const stack = await networkHelpers.loadFixture(threeAllocated);
      const { statusRegistry, issuer, sigAuth, veriKey, stranger } = stack;
      const update = { purpose: REVOCATION, index: 0n, value: true };
      const wrongChain = await signUpdate(stack, issuer, update, { chainId: 1n });
      await expect(relayUpdate(stack, stranger, wrongChain))
        .to.be.revertedWithCustomError(statusRegistry, "SignedRequestsInvalidSignature")
        .withArgs(issuer.address);
      const bySigAuth = await signUpdate(stack, sigAuth, update);
      await expect(relayUpdate(stack, stranger, bySigAuth))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
        .withArgs(issuer.address, sigAuth.address);
      const good = await signUpdate(stack, issuer, update, { nonce: 0n });
      await expect(relayUpdate(stack, stranger, { ...good, message: { ...good.message, index: 1n } }))
        .to.be.revertedWithCustomError(statusRegistry, "SignedRequestsInvalidSignature")
        .withArgs(issuer.address);
      const deadline = (await now(ethers)) + 10n;
      const shortLived = await signUpdate(stack, issuer, update, { deadline, nonce: 0n });
      await networkHelpers.time.increase(20);
      await expect(relayUpdate(stack, stranger, shortLived))
        .to.be.revertedWithCustomError(statusRegistry, "SignedRequestsDeadlinePassed")
        .withArgs(deadline);
      await expect(statusRegistry.connect(stranger).cancelSignatures(issuer.address, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address);
      await expect(statusRegistry.connect(veriKey).cancelSignatures(issuer.address, TX))
        .to.emit(statusRegistry, "SignaturesCancelled")
        .withArgs(issuer.address, 1, veriKey.address);
      const fresh = await signUpdate(stack, issuer, update, { nonce: 0n });
      await expect(relayUpdate(stack, stranger, fresh))
        .to.be.revertedWithCustomError(statusRegistry, "SignedRequestsInvalidNonce")
        .withArgs(issuer.address, 0, 1);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 0)).to.equal(false);
    });

    it("applies a contract-wallet issuer's update signed by the wallet's key, relayed by anyone, once", async function () {
      const stack = await networkHelpers.loadFixture(walletIssuer);
      const { statusRegistry, walletAddress, walletKey, stranger } = stack;
      const signed = await signUpdate(
        stack,
        walletKey,
        { purpose: SUSPENSION, index: 5n, value: true },
        { issuer: walletAddress, signer: walletAddress },
      );
      await expect(relayUpdate(stack, stranger, signed))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(walletAddress, SUSPENSION, 5, true, walletAddress);
      expect(await statusRegistry.getStatusBits(walletAddress, 5)).to.deep.equal([false, true]);
      expect(await statusRegistry.nonces(walletAddress)).to.equal(1);
      await expect(relayUpdate(stack, stranger, signed))
        .to.be.revertedWithCustomError(statusRegistry, "SignedRequestsInvalidNonce")
        .withArgs(walletAddress, 0, 1);
    });

    it("rejects a contract-wallet issuer's update signed by another key or by the wallet's key as itself", async function () {
      const stack = await networkHelpers.loadFixture(walletIssuer);
      const { statusRegistry, walletAddress, walletKey, stranger } = stack;
      const update = { purpose: REVOCATION, index: 0n, value: true };
      const byOtherKey = await signUpdate(stack, stranger, update, { issuer: walletAddress, signer: walletAddress });
      await expect(relayUpdate(stack, stranger, byOtherKey))
        .to.be.revertedWithCustomError(statusRegistry, "SignedRequestsInvalidSignature")
        .withArgs(walletAddress);
      // The key is not the issuer: its own signature, naming itself, acts for nobody.
      const byKeyAlone = await signUpdate(stack, walletKey, update, { issuer: walletAddress });
      await expect(relayUpdate(stack, stranger, byKeyAlone))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
        .withArgs(walletAddress, walletKey.address);
      expect(await statusRegistry.getStatus(walletAddress, REVOCATION, 0)).to.equal(false);
      expect(await statusRegistry.nonces(walletAddress)).to.equal(0);
    });
  });
});
