/**
 * Lost-key recovery in `DIDRegistry`: designation, start, cancellation and completion, their signed variants,
 * and how recovery meets owner changes and deactivation.
 */
import { expect } from "chai";
import { id, Wallet, ZeroAddress } from "ethers";
import { network } from "hardhat";

import { IDENTITY_KEY } from "./behaviours/ERC1056.behavior.ts";
import { chainWithDeployer, DEPLOY_OVERRIDES } from "./helpers/chains.ts";
import { recoverSigner, sendWrite, signWrite, TX_OVERRIDES } from "@realdid/testkit/erc1056";
import { recoveryDigest, sendSignedRecovery, signRecovery, type RecoveryCall } from "./helpers/recovery.ts";
import type { DIDRegistry } from "../types/ethers-contracts/index.ts";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const DAY = 86_400n;
const MIN_DELAY = DAY;
const MAX_DELAY = 365n * DAY;
const DELAY = 7n * DAY;
const GUARDIAN_KEY = id("realdid.test.recovery.guardian");

/** A registry, an identity (a funded key that signs), its guardian (idem), and plain accounts. */
async function deployRecoveryFixture() {
  const registry = await ethers.deployContract("DIDRegistry");
  const [relayer, stranger, newOwner, otherOwner] = await ethers.getSigners();
  const [identity, guardian] = [IDENTITY_KEY, GUARDIAN_KEY].map((key) => new Wallet(key, ethers.provider));
  for (const wallet of [identity, guardian]) await networkHelpers.setBalance(wallet.address, 10n ** 20n);
  return { registry, relayer, stranger, newOwner, otherOwner, identity, guardian };
}

/** The fixture with `guardian` designated (delay {@link DELAY}). */
async function designated() {
  const fixture = await networkHelpers.loadFixture(deployRecoveryFixture);
  const { registry, identity, guardian } = fixture;
  await registry.connect(identity).setRecovery(identity, guardian, DELAY, TX_OVERRIDES);
  return fixture;
}

/** The fixture with a recovery to `newOwner` started; returns its readyAt. */
async function started() {
  const fixture = await designated();
  const { registry, identity, guardian, newOwner } = fixture;
  await registry.connect(guardian).startRecovery(identity, newOwner, TX_OVERRIDES);
  const readyAt = BigInt(await time.latest()) + DELAY;
  return { ...fixture, readyAt };
}

/** `recoveryOf(identity)` as a plain tuple. */
async function recoveryOf(registry: DIDRegistry, identity: string): Promise<[string, bigint, string, bigint]> {
  const [recovery, delay, pendingOwner, readyAt] = await registry.recoveryOf(identity);
  return [recovery, delay, pendingOwner, readyAt];
}

describe("DIDRegistry lost-key recovery", function () {
  it("exposes the delay bounds", async function () {
    const { registry } = await networkHelpers.loadFixture(deployRecoveryFixture);
    expect(await registry.MIN_RECOVERY_DELAY()).to.equal(MIN_DELAY);
    expect(await registry.MAX_RECOVERY_DELAY()).to.equal(MAX_DELAY);
    expect(await recoveryOf(registry, (await ethers.getSigners())[0].address)).to.deep.equal([
      ZeroAddress,
      0n,
      ZeroAddress,
      0n,
    ]);
  });

  describe("setRecovery", function () {
    it("lets the owner designate a recovery address and delay, without moving the ERC-1056 change list", async function () {
      const { registry, identity, guardian } = await networkHelpers.loadFixture(deployRecoveryFixture);
      await expect(registry.connect(identity).setRecovery(identity, guardian, DELAY, TX_OVERRIDES))
        .to.emit(registry, "DIDRecoverySet")
        .withArgs(identity.address, guardian.address, DELAY);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([guardian.address, DELAY, ZeroAddress, 0n]);
      expect(await registry.changed(identity.address)).to.equal(0n);
    });

    it("accepts the delay bounds exactly and rejects one second outside them", async function () {
      const { registry, identity, guardian } = await networkHelpers.loadFixture(deployRecoveryFixture);
      for (const delay of [MIN_DELAY - 1n, MAX_DELAY + 1n, 0n]) {
        await expect(registry.connect(identity).setRecovery(identity, guardian, delay, TX_OVERRIDES))
          .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidRecoveryDelay")
          .withArgs(delay, MIN_DELAY, MAX_DELAY);
      }
      for (const delay of [MIN_DELAY, MAX_DELAY]) {
        await registry.connect(identity).setRecovery(identity, guardian, delay, TX_OVERRIDES);
        expect((await recoveryOf(registry, identity.address))[1]).to.equal(delay);
      }
    });

    it("clears the designation with the zero address, whatever delay is given", async function () {
      const { registry, identity } = await designated();
      await expect(registry.connect(identity).setRecovery(identity, ZeroAddress, 5n, TX_OVERRIDES))
        .to.emit(registry, "DIDRecoverySet")
        .withArgs(identity.address, ZeroAddress, 0n);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([ZeroAddress, 0n, ZeroAddress, 0n]);
    });

    it("rejects anyone but the owner, the recovery address included", async function () {
      const { registry, identity, guardian, stranger } = await designated();
      for (const actor of [guardian, stranger]) {
        await expect(registry.connect(actor).setRecovery(identity, actor, DELAY, TX_OVERRIDES))
          .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedActor")
          .withArgs(identity.address, actor.address, identity.address);
      }
    });

    it("cancels a pending recovery, even when re-designating the same address", async function () {
      const { registry, identity, guardian } = await started();
      await expect(registry.connect(identity).setRecovery(identity, guardian, DELAY, TX_OVERRIDES))
        .to.emit(registry, "DIDRecoveryCancelled")
        .withArgs(identity.address, identity.address)
        .and.to.emit(registry, "DIDRecoverySet")
        .withArgs(identity.address, guardian.address, DELAY);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([guardian.address, DELAY, ZeroAddress, 0n]);
    });
  });

  describe("startRecovery", function () {
    it("lets the recovery address start a recovery that can complete after the delay", async function () {
      const { registry, identity, guardian, newOwner } = await designated();
      const tx = await registry.connect(guardian).startRecovery(identity, newOwner, TX_OVERRIDES);
      const readyAt = BigInt(await time.latest()) + DELAY;
      await expect(tx)
        .to.emit(registry, "DIDRecoveryStarted")
        .withArgs(identity.address, guardian.address, newOwner.address, readyAt);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([
        guardian.address,
        DELAY,
        newOwner.address,
        readyAt,
      ]);
      expect(await registry.changed(identity.address)).to.equal(0n);
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
    });

    it("rejects anyone but the recovery address, the owner included", async function () {
      const { registry, identity, stranger, newOwner } = await designated();
      for (const actor of [identity, stranger]) {
        await expect(registry.connect(actor).startRecovery(identity, newOwner, TX_OVERRIDES))
          .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedRecovery")
          .withArgs(identity.address, actor.address, (await recoveryOf(registry, identity.address))[0]);
      }
    });

    it("rejects everyone when no recovery address is designated", async function () {
      const { registry, identity, guardian, newOwner } = await networkHelpers.loadFixture(deployRecoveryFixture);
      await expect(registry.connect(guardian).startRecovery(identity, newOwner, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedRecovery")
        .withArgs(identity.address, guardian.address, ZeroAddress);
    });

    it("never hands the identity to the zero address (recovery does not deactivate)", async function () {
      const { registry, identity, guardian } = await designated();
      await expect(registry.connect(guardian).startRecovery(identity, ZeroAddress, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidRecoveryOwner")
        .withArgs(identity.address, ZeroAddress);
    });

    it("restarts: a second start replaces the new owner and restarts the delay", async function () {
      const { registry, identity, guardian, otherOwner, readyAt } = await started();
      await time.increase(DAY);
      await registry.connect(guardian).startRecovery(identity, otherOwner, TX_OVERRIDES);
      const restartedAt = BigInt(await time.latest()) + DELAY;
      expect(restartedAt).to.be.greaterThan(readyAt);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([
        guardian.address,
        DELAY,
        otherOwner.address,
        restartedAt,
      ]);
      await time.setNextBlockTimestamp(readyAt);
      await expect(registry.completeRecovery(identity, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryRecoveryNotReady")
        .withArgs(identity.address, restartedAt, readyAt);
    });
  });

  describe("cancelRecovery", function () {
    it("lets the owner cancel during the delay; the designation stays", async function () {
      const { registry, identity, guardian } = await started();
      await expect(registry.connect(identity).cancelRecovery(identity, TX_OVERRIDES))
        .to.emit(registry, "DIDRecoveryCancelled")
        .withArgs(identity.address, identity.address);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([guardian.address, DELAY, ZeroAddress, 0n]);
      expect(await registry.changed(identity.address)).to.equal(0n);
      await expect(registry.completeRecovery(identity, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryNoPendingRecovery")
        .withArgs(identity.address);
    });

    it("lets the owner cancel after the delay has passed, until someone completes", async function () {
      const { registry, identity, readyAt } = await started();
      await time.increaseTo(readyAt + DAY);
      await registry.connect(identity).cancelRecovery(identity, TX_OVERRIDES);
      await expect(registry.completeRecovery(identity, TX_OVERRIDES)).to.be.revertedWithCustomError(
        registry,
        "DIDRegistryNoPendingRecovery",
      );
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
    });

    it("rejects anyone but the owner, the recovery address included", async function () {
      const { registry, identity, guardian, stranger } = await started();
      for (const actor of [guardian, stranger]) {
        await expect(registry.connect(actor).cancelRecovery(identity, TX_OVERRIDES))
          .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedActor")
          .withArgs(identity.address, actor.address, identity.address);
      }
    });

    it("rejects a cancellation when nothing is pending", async function () {
      const { registry, identity } = await designated();
      await expect(registry.connect(identity).cancelRecovery(identity, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryNoPendingRecovery")
        .withArgs(identity.address);
    });
  });

  describe("completeRecovery", function () {
    it("rejects completion one second before readyAt and accepts it at readyAt, from anyone", async function () {
      const { registry, identity, stranger, readyAt } = await started();
      await time.setNextBlockTimestamp(readyAt - 1n);
      await expect(registry.connect(stranger).completeRecovery(identity, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryRecoveryNotReady")
        .withArgs(identity.address, readyAt, readyAt - 1n);
      await time.setNextBlockTimestamp(readyAt);
      await registry.connect(stranger).completeRecovery(identity, TX_OVERRIDES);
    });

    it("is an ordinary owner change: DIDOwnerChanged chained to the previous change, then DIDRecoveryCompleted", async function () {
      const { registry, identity, newOwner, stranger, readyAt } = await started();
      // An earlier ERC-1056 change, so previousChange has something to point to.
      await sendWrite(registry, identity, identity.address, {
        fn: "setAttribute",
        name: id("did/svc/HubService"),
        value: "0x01",
        validity: DAY,
      });
      const previousChange = await registry.changed(identity.address);
      await time.increaseTo(readyAt);
      const tx = registry.connect(stranger).completeRecovery(identity, TX_OVERRIDES);
      await expect(tx)
        .to.emit(registry, "DIDOwnerChanged")
        .withArgs(identity.address, newOwner.address, previousChange)
        .and.to.emit(registry, "DIDRecoverySet")
        .withArgs(identity.address, ZeroAddress, 0n)
        .and.to.emit(registry, "DIDRecoveryCompleted")
        .withArgs(identity.address, identity.address, newOwner.address);
      const receipt = await (await tx).wait();
      const names = receipt!.logs.map((log) => registry.interface.parseLog(log)?.name);
      expect(names).to.deep.equal(["DIDOwnerChanged", "DIDRecoverySet", "DIDRecoveryCompleted"]);
      expect(await registry.changed(identity.address)).to.equal(receipt!.blockNumber);
      expect(await registry.identityOwner(identity.address)).to.equal(newOwner.address);
      expect(await registry.owners(identity.address)).to.equal(newOwner.address);
    });

    it("clears the designation: the new owner chooses its own recovery address", async function () {
      const { registry, identity, guardian, newOwner, readyAt } = await started();
      await time.increaseTo(readyAt);
      await registry.completeRecovery(identity, TX_OVERRIDES);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([ZeroAddress, 0n, ZeroAddress, 0n]);
      await expect(registry.connect(guardian).startRecovery(identity, guardian, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedRecovery")
        .withArgs(identity.address, guardian.address, ZeroAddress);
      await registry.connect(newOwner).setRecovery(identity, guardian, DELAY, TX_OVERRIDES);
      expect((await recoveryOf(registry, identity.address))[0]).to.equal(guardian.address);
    });

    it("hands control over: the lost key can no longer write, the new owner can", async function () {
      const { registry, identity, newOwner, readyAt } = await started();
      await time.increaseTo(readyAt);
      await registry.completeRecovery(identity, TX_OVERRIDES);
      await expect(registry.connect(identity).changeOwner(identity, identity, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedActor")
        .withArgs(identity.address, identity.address, newOwner.address);
      await registry.connect(newOwner).changeOwner(identity, identity, TX_OVERRIDES);
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
    });

    it("rejects completion when nothing is pending, and a second completion", async function () {
      const { registry, identity, readyAt } = await started();
      await time.increaseTo(readyAt);
      await registry.completeRecovery(identity, TX_OVERRIDES);
      await expect(registry.completeRecovery(identity, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryNoPendingRecovery")
        .withArgs(identity.address);
    });
  });

  describe("owner changes and deactivation", function () {
    it("an owner change by the owner cancels a pending recovery and clears the designation", async function () {
      const { registry, identity, guardian, otherOwner, newOwner, readyAt } = await started();
      await expect(registry.connect(identity).changeOwner(identity, otherOwner, TX_OVERRIDES))
        .to.emit(registry, "DIDRecoveryCancelled")
        .withArgs(identity.address, identity.address)
        .and.to.emit(registry, "DIDRecoverySet")
        .withArgs(identity.address, ZeroAddress, 0n);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([ZeroAddress, 0n, ZeroAddress, 0n]);
      await time.increaseTo(readyAt);
      await expect(registry.completeRecovery(identity, TX_OVERRIDES)).to.be.revertedWithCustomError(
        registry,
        "DIDRegistryNoPendingRecovery",
      );
      // The old owner's guardian has no power over the new owner's identity.
      await expect(registry.connect(guardian).startRecovery(identity, newOwner, TX_OVERRIDES))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedRecovery")
        .withArgs(identity.address, guardian.address, ZeroAddress);
    });

    it("an owner change of an identity without recovery emits no recovery event", async function () {
      const { registry, identity, otherOwner } = await networkHelpers.loadFixture(deployRecoveryFixture);
      const receipt = await (await registry.connect(identity).changeOwner(identity, otherOwner, TX_OVERRIDES)).wait();
      expect(receipt!.logs.map((log) => registry.interface.parseLog(log)?.name)).to.deep.equal(["DIDOwnerChanged"]);
    });

    it("deactivation cancels a pending recovery, and no recovery function works afterwards", async function () {
      const { registry, identity, guardian, newOwner, stranger, readyAt } = await started();
      await expect(registry.connect(identity).changeOwner(identity, ZeroAddress, TX_OVERRIDES))
        .to.emit(registry, "DIDRecoveryCancelled")
        .withArgs(identity.address, identity.address);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([ZeroAddress, 0n, ZeroAddress, 0n]);
      await time.increaseTo(readyAt);
      const attempts = [
        () => registry.connect(identity).setRecovery(identity, guardian, DELAY, TX_OVERRIDES),
        () => registry.connect(guardian).startRecovery(identity, newOwner, TX_OVERRIDES),
        () => registry.connect(identity).cancelRecovery(identity, TX_OVERRIDES),
        () => registry.connect(stranger).completeRecovery(identity, TX_OVERRIDES),
      ];
      for (const attempt of attempts) {
        await expect(attempt())
          .to.be.revertedWithCustomError(registry, "DIDRegistryIdentityDeactivated")
          .withArgs(identity.address);
      }
      const nonce = await registry.nonce(identity.address);
      const calls: [Wallet, RecoveryCall][] = [
        [identity, { fn: "setRecovery", recovery: guardian.address, delay: DELAY }],
        [guardian, { fn: "startRecovery", newOwner: newOwner.address }],
        [identity, { fn: "cancelRecovery" }],
      ];
      for (const [signer, call] of calls) {
        const signature = await signRecovery(registry, signer.signingKey, signer.address, identity.address, call);
        await expect(sendSignedRecovery(registry, stranger, identity.address, signature, call))
          .to.be.revertedWithCustomError(registry, "DIDRegistryIdentityDeactivated")
          .withArgs(identity.address);
      }
      expect(await registry.nonce(identity.address)).to.equal(nonce);
      expect(await registry.identityOwner(identity.address)).to.equal(ZeroAddress);
    });
  });

  describe("signed variants", function () {
    it("relay the owner's setRecovery and cancelRecovery and the guardian's startRecovery, each on its signer's nonce", async function () {
      const { registry, identity, guardian, newOwner, relayer } =
        await networkHelpers.loadFixture(deployRecoveryFixture);
      const set: RecoveryCall = { fn: "setRecovery", recovery: guardian.address, delay: DELAY };
      const sign = (signer: Wallet, call: RecoveryCall) =>
        signRecovery(registry, signer.signingKey, signer.address, identity.address, call);
      await expect(sendSignedRecovery(registry, relayer, identity.address, await sign(identity, set), set))
        .to.emit(registry, "DIDRecoverySet")
        .withArgs(identity.address, guardian.address, DELAY);

      const start: RecoveryCall = { fn: "startRecovery", newOwner: newOwner.address };
      await expect(sendSignedRecovery(registry, relayer, identity.address, await sign(guardian, start), start)).to.emit(
        registry,
        "DIDRecoveryStarted",
      );
      expect(await registry.nonce(guardian.address)).to.equal(1n);

      const cancel: RecoveryCall = { fn: "cancelRecovery" };
      await expect(sendSignedRecovery(registry, relayer, identity.address, await sign(identity, cancel), cancel))
        .to.emit(registry, "DIDRecoveryCancelled")
        .withArgs(identity.address, identity.address);
      expect(await registry.nonce(identity.address)).to.equal(2n);
      expect(await recoveryOf(registry, identity.address)).to.deep.equal([guardian.address, DELAY, ZeroAddress, 0n]);
    });

    it("reject a replayed signature, naming the signer the consumed nonce now yields", async function () {
      const { registry, identity, guardian, newOwner, relayer } = await designated();
      const registryAddress = await registry.getAddress();
      const start: RecoveryCall = { fn: "startRecovery", newOwner: newOwner.address };
      const signature = await signRecovery(registry, guardian.signingKey, guardian.address, identity.address, start);
      await sendSignedRecovery(registry, relayer, identity.address, signature, start);
      const replayedAs = recoverSigner(recoveryDigest(registryAddress, 1n, identity.address, start), signature);
      await expect(sendSignedRecovery(registry, relayer, identity.address, signature, start))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedRecovery")
        .withArgs(identity.address, replayedAs, guardian.address);

      const cancel: RecoveryCall = { fn: "cancelRecovery" };
      const cancelSignature = await signRecovery(
        registry,
        identity.signingKey,
        identity.address,
        identity.address,
        cancel,
      );
      await sendSignedRecovery(registry, relayer, identity.address, cancelSignature, cancel);
      const cancelReplayedAs = recoverSigner(
        recoveryDigest(registryAddress, 1n, identity.address, cancel),
        cancelSignature,
      );
      await expect(sendSignedRecovery(registry, relayer, identity.address, cancelSignature, cancel))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedActor")
        .withArgs(identity.address, cancelReplayedAs, identity.address);
    });

    it("reject a signature by the wrong key: the owner cannot start, the guardian cannot set or cancel", async function () {
      const { registry, identity, guardian, newOwner, relayer } = await started();
      const attempts: [Wallet, RecoveryCall, string, string][] = [
        [
          identity,
          { fn: "startRecovery", newOwner: newOwner.address },
          "DIDRegistryUnauthorizedRecovery",
          guardian.address,
        ],
        [
          guardian,
          { fn: "setRecovery", recovery: guardian.address, delay: DELAY },
          "DIDRegistryUnauthorizedActor",
          identity.address,
        ],
        [guardian, { fn: "cancelRecovery" }, "DIDRegistryUnauthorizedActor", identity.address],
      ];
      for (const [wrongSigner, call, error, expected] of attempts) {
        // Signed over the nonce of the address the registry expects, so only the key is wrong.
        const signature = await signRecovery(registry, wrongSigner.signingKey, expected, identity.address, call);
        await expect(sendSignedRecovery(registry, relayer, identity.address, signature, call))
          .to.be.revertedWithCustomError(registry, error)
          .withArgs(identity.address, wrongSigner.address, expected);
      }
    });

    it("reject a signature made for another function, recovery or ERC-1056", async function () {
      const { registry, identity, guardian, newOwner, relayer } = await designated();
      const registryAddress = await registry.getAddress();
      // The guardian's startRecovery signature relayed as the owner's changeOwnerSigned (same argument).
      const start: RecoveryCall = { fn: "startRecovery", newOwner: newOwner.address };
      const startSignature = await signRecovery(
        registry,
        guardian.signingKey,
        identity.address,
        identity.address,
        start,
      );
      const { v, r, s } = startSignature;
      await expect(
        registry.connect(relayer).changeOwnerSigned(identity, v, r, s, newOwner, TX_OVERRIDES),
      ).to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedActor");
      // The guardian's changeOwner signature (as if it owned the identity) relayed as startRecoverySigned.
      const changeOwner = { fn: "changeOwner", newOwner: newOwner.address } as const;
      const changeSignature = signWrite(guardian.signingKey, registryAddress, 0n, identity.address, changeOwner);
      const startSeenAs = recoverSigner(recoveryDigest(registryAddress, 0n, identity.address, start), changeSignature);
      expect(startSeenAs).to.not.equal(guardian.address);
      await expect(sendSignedRecovery(registry, relayer, identity.address, changeSignature, start))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedRecovery")
        .withArgs(identity.address, startSeenAs, guardian.address);
      // The owner's cancelRecovery signature relayed as setRecoverySigned.
      const cancelSignature = await signRecovery(registry, identity.signingKey, identity.address, identity.address, {
        fn: "cancelRecovery",
      });
      const set: RecoveryCall = { fn: "setRecovery", recovery: ZeroAddress, delay: 0n };
      const seenAs = recoverSigner(recoveryDigest(registryAddress, 0n, identity.address, set), cancelSignature);
      await expect(sendSignedRecovery(registry, relayer, identity.address, cancelSignature, set))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedActor")
        .withArgs(identity.address, seenAs, identity.address);
      expect(await registry.nonce(identity.address)).to.equal(0n);
      expect(await registry.nonce(guardian.address)).to.equal(0n);
    });

    it("reject a signature made for the registry on another chain (ChainBoundDeployer addresses)", async function () {
      const chains = await Promise.all([chainWithDeployer(1001), chainWithDeployer(1002)]);
      const salt = id("realdid.did-registry");
      const initCode = (await chains[0].ethers.getContractFactory("DIDRegistry")).bytecode;
      const registries: DIDRegistry[] = [];
      for (const { ethers: chainEthers, factory } of chains) {
        const address = await factory.deploy.staticCall(salt, initCode);
        await factory.deploy(salt, initCode, DEPLOY_OVERRIDES);
        registries.push(await chainEthers.getContractAt("DIDRegistry", address));
      }
      const [home, away] = registries;
      const identity = new Wallet(IDENTITY_KEY);
      const guardian = new Wallet(GUARDIAN_KEY);
      const set: RecoveryCall = { fn: "setRecovery", recovery: guardian.address, delay: DELAY };
      const signature = await signRecovery(home, identity.signingKey, identity.address, identity.address, set);
      const seenOnAway = recoverSigner(recoveryDigest(await away.getAddress(), 0n, identity.address, set), signature);
      await expect(sendSignedRecovery(away, chains[1].deployer, identity.address, signature, set))
        .to.be.revertedWithCustomError(away, "DIDRegistryUnauthorizedActor")
        .withArgs(identity.address, seenOnAway, identity.address);
      await sendSignedRecovery(home, chains[0].deployer, identity.address, signature, set);
      expect((await home.recoveryOf(identity.address))[0]).to.equal(guardian.address);
      expect((await away.recoveryOf(identity.address))[0]).to.equal(ZeroAddress);
    });
  });
});
