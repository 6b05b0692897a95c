import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { network } from "hardhat";

import {
  attestation,
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
} from "./helpers/trust.js";

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
      .attestBatch(issuer.address, 1, expiry, ethers.ZeroHash, identities, commitments, [], TX);
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
  const domain = await domainOf(statusRegistry, "RealDID StatusRegistry", options.chainId);
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
    it("reports version, purposes and registries", async function () {
      const { statusRegistry, issuerRegistry, realNameRegistry } = await networkHelpers.loadFixture(threeAllocated);
      expect(await statusRegistry.version()).to.equal("1.0.0");
      expect(await statusRegistry.REVOCATION()).to.equal(0);
      expect(await statusRegistry.SUSPENSION()).to.equal(1);
      expect(await statusRegistry.MAX_BATCH_SIZE()).to.equal(256);
      expect(await statusRegistry.issuerRegistry()).to.equal(await issuerRegistry.getAddress());
      expect(await statusRegistry.attestationRegistry()).to.equal(await realNameRegistry.getAddress());
    });

    it("sets the attestation registry once, deployer only", async function () {
      const { statusRegistry, issuerRegistry, admin, stranger } = await networkHelpers.loadFixture(threeAllocated);
      const current = await statusRegistry.attestationRegistry();
      await expect(statusRegistry.connect(admin).setAttestationRegistry(stranger.address, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedConfiguration")
        .withArgs(admin.address, current);
      const fresh = await ethers.deployContract("StatusRegistry", [await issuerRegistry.getAddress()]);
      await expect(fresh.connect(stranger).setAttestationRegistry(stranger.address, TX))
        .to.be.revertedWithCustomError(fresh, "StatusRegistryUnauthorizedConfiguration")
        .withArgs(stranger.address, ZeroAddress);
      await expect(fresh.setAttestationRegistry(ZeroAddress, TX)).to.be.revertedWithCustomError(
        fresh,
        "StatusRegistryZeroAddress",
      );
      await expect(fresh.setAttestationRegistry(stranger.address, TX))
        .to.emit(fresh, "AttestationRegistrySet")
        .withArgs(stranger.address);
      await expect(ethers.deployContract("StatusRegistry", [ZeroAddress])).to.be.revertedWithCustomError(
        fresh,
        "StatusRegistryZeroAddress",
      );
    });

    it("accepts an index not issued yet: the attestation that gets it is born with that status", async function () {
      const { statusRegistry, realNameRegistry, issuer, holder } = await networkHelpers.loadFixture(threeAllocated);
      expect(await realNameRegistry.statusCount(issuer.address)).to.equal(3);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 3, true, TX))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 3, true);
      await realNameRegistry
        .connect(issuer)
        .attest(issuer.address, attestation(holder.address, 1, (await now(ethers)) + YEAR), TX);
      expect((await realNameRegistry.getVerification(holder.address, 0)).statusIndex).to.equal(3);
      expect(await realNameRegistry.isVerified(holder.address, 1)).to.equal(false);
    });
  });

  describe("single and batch updates", function () {
    it("sets and clears a status, most significant bit first", async function () {
      const { statusRegistry, issuer } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 1, true, TX))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 1, true);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 1)).to.equal(true);
      expect(await statusRegistry.getStatus(issuer.address, SUSPENSION, 1)).to.equal(false);
      expect(await statusRegistry.getStatusWord(issuer.address, REVOCATION, 0)).to.equal(1n << 254n);
      expect(await statusRegistry.getStatusBits(issuer.address, 1)).to.deep.equal([true, false]);
      await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, 1, false, TX);
      expect(await statusRegistry.getStatusWord(issuer.address, REVOCATION, 0)).to.equal(0n);
    });

    it("revokes in the caller's own revocation list with revoke(index)", async function () {
      const { statusRegistry, issuer, stranger } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).revoke(2, TX))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 2, true);
      expect(await statusRegistry.getStatusBits(issuer.address, 2)).to.deep.equal([true, false]);
      // Anyone else writes only its own list: the issuer's list is untouched by a stranger's revoke.
      await statusRegistry.connect(stranger).revoke(1, TX);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 1)).to.equal(false);
      expect(await statusRegistry.getStatus(stranger.address, REVOCATION, 1)).to.equal(true);
    });

    it("updates many indices and reads them back in one call", async function () {
      const { statusRegistry, issuer, veriKey } = await networkHelpers.loadFixture(threeHundredAllocated);
      const tx = statusRegistry.connect(veriKey).setStatuses(issuer.address, SUSPENSION, [0, 257, 299], true, TX);
      // One storage write and one event per word touched, carrying the whole new word.
      await expect(tx)
        .to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, SUSPENSION, 0, 1n << 255n)
        .and.to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, SUSPENSION, 1, (1n << 254n) | (1n << 212n))
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

    it("rejects unknown purposes and other actors", async function () {
      const { statusRegistry, issuer, sigAuth, stranger } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).setStatus(issuer.address, 2, 0, true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnknownPurpose")
        .withArgs(2);
      await expect(statusRegistry.connect(issuer).setStatuses(issuer.address, 2, [0], true, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnknownPurpose")
        .withArgs(2);
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
  });

  describe("whole-word updates", function () {
    it("replaces a full word of 256 statuses", async function () {
      const { statusRegistry, issuer } = await networkHelpers.loadFixture(threeHundredAllocated);
      const word = (1n << 256n) - 1n;
      await expect(statusRegistry.connect(issuer).setStatusWord(issuer.address, REVOCATION, 0, word, TX))
        .to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, REVOCATION, 0, word);
      expect(await statusRegistry.getStatuses(issuer.address, REVOCATION, [0, 128, 255, 256])).to.deep.equal([
        true,
        true,
        true,
        false,
      ]);
    });

    it("writes words beyond the issued indices and clears a word again", async function () {
      const { statusRegistry, issuer, veriKey } = await networkHelpers.loadFixture(threeHundredAllocated);
      const word = ((1n << 44n) - 1n) << 212n;
      await statusRegistry.connect(veriKey).setStatusWord(issuer.address, SUSPENSION, 2, word, TX);
      expect(await statusRegistry.getStatusWord(issuer.address, SUSPENSION, 2)).to.equal(word);
      expect(await statusRegistry.getStatuses(issuer.address, SUSPENSION, [511, 512, 555, 556])).to.deep.equal([
        false,
        true,
        true,
        false,
      ]);
      await expect(statusRegistry.connect(issuer).setStatusWord(issuer.address, SUSPENSION, 2, 0, TX))
        .to.emit(statusRegistry, "StatusWordChanged")
        .withArgs(issuer.address, SUSPENSION, 2, 0);
      expect(await statusRegistry.getStatus(issuer.address, SUSPENSION, 512)).to.equal(false);
    });

    it("rejects unknown purposes and other actors", async function () {
      const { statusRegistry, issuer, stranger } = await networkHelpers.loadFixture(threeAllocated);
      await expect(statusRegistry.connect(issuer).setStatusWord(issuer.address, 7, 0, 0, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnknownPurpose")
        .withArgs(7);
      await expect(statusRegistry.connect(stranger).setStatusWord(issuer.address, REVOCATION, 0, 1n, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address);
    });
  });

  describe("signed updates", function () {
    it("applies a delegate's signature relayed by anyone, once", async function () {
      const stack = await networkHelpers.loadFixture(threeAllocated);
      const { statusRegistry, issuer, veriKey, stranger } = stack;
      const signed = await signUpdate(stack, veriKey, { purpose: REVOCATION, index: 2n, value: true });
      await expect(relayUpdate(stack, stranger, signed))
        .to.emit(statusRegistry, "StatusChanged")
        .withArgs(issuer.address, REVOCATION, 2, true);
      await expect(relayUpdate(stack, stranger, signed))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidNonce")
        .withArgs(issuer.address, 0, 1);
    });

    it("cannot clear a revocation by replaying the old signature that set it", async function () {
      const stack = await networkHelpers.loadFixture(threeAllocated);
      const { statusRegistry, issuer, stranger } = stack;
      const clear = await signUpdate(stack, issuer, { purpose: REVOCATION, index: 0n, value: false });
      const set = await signUpdate(stack, issuer, { purpose: REVOCATION, index: 0n, value: true }, { nonce: 1n });
      await relayUpdate(stack, stranger, clear);
      await relayUpdate(stack, stranger, set);
      await expect(relayUpdate(stack, stranger, clear))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidNonce")
        .withArgs(issuer.address, 0, 2);
      expect(await statusRegistry.getStatus(issuer.address, REVOCATION, 0)).to.equal(true);
    });

    it("rejects wrong chain, sigAuth signer, tampered value, expired deadline and cancelled nonce", async function () {
      const stack = await networkHelpers.loadFixture(threeAllocated);
      const { statusRegistry, issuer, sigAuth, veriKey, stranger } = stack;
      const update = { purpose: REVOCATION, index: 0n, value: true };
      const wrongChain = await signUpdate(stack, issuer, update, { chainId: 1n });
      await expect(relayUpdate(stack, stranger, wrongChain))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidSignature")
        .withArgs(issuer.address, issuer.address);
      const bySigAuth = await signUpdate(stack, sigAuth, update);
      await expect(relayUpdate(stack, stranger, bySigAuth))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidSignature")
        .withArgs(issuer.address, sigAuth.address);
      const good = await signUpdate(stack, issuer, update);
      await expect(relayUpdate(stack, stranger, { ...good, message: { ...good.message, value: false } }))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidSignature")
        .withArgs(issuer.address, issuer.address);
      const deadline = (await now(ethers)) + 10n;
      const shortLived = await signUpdate(stack, issuer, update, { deadline });
      await networkHelpers.time.increase(20);
      await expect(relayUpdate(stack, stranger, shortLived))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryDeadlinePassed")
        .withArgs(deadline);
      await expect(statusRegistry.connect(stranger).cancelSignatures(issuer.address, TX))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryUnauthorizedActor")
        .withArgs(issuer.address, stranger.address);
      await expect(statusRegistry.connect(veriKey).cancelSignatures(issuer.address, TX))
        .to.emit(statusRegistry, "SignaturesCancelled")
        .withArgs(issuer.address, 1);
      const fresh = await signUpdate(stack, issuer, update, { nonce: 0n });
      await expect(relayUpdate(stack, stranger, fresh))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidNonce")
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
        .withArgs(walletAddress, SUSPENSION, 5, true);
      expect(await statusRegistry.getStatusBits(walletAddress, 5)).to.deep.equal([false, true]);
      expect(await statusRegistry.nonces(walletAddress)).to.equal(1);
      await expect(relayUpdate(stack, stranger, signed))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidNonce")
        .withArgs(walletAddress, 0, 1);
    });

    it("rejects a contract-wallet issuer's update signed by another key or by the wallet's key as itself", async function () {
      const stack = await networkHelpers.loadFixture(walletIssuer);
      const { statusRegistry, walletAddress, walletKey, stranger } = stack;
      const update = { purpose: REVOCATION, index: 0n, value: true };
      const byOtherKey = await signUpdate(stack, stranger, update, { issuer: walletAddress, signer: walletAddress });
      await expect(relayUpdate(stack, stranger, byOtherKey))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidSignature")
        .withArgs(walletAddress, walletAddress);
      // The key is not the issuer: its own signature, naming itself, acts for nobody.
      const byKeyAlone = await signUpdate(stack, walletKey, update, { issuer: walletAddress });
      await expect(relayUpdate(stack, stranger, byKeyAlone))
        .to.be.revertedWithCustomError(statusRegistry, "StatusRegistryInvalidSignature")
        .withArgs(walletAddress, walletKey.address);
      expect(await statusRegistry.getStatus(walletAddress, REVOCATION, 0)).to.equal(false);
      expect(await statusRegistry.nonces(walletAddress)).to.equal(0);
    });
  });
});
