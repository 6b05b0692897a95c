import { expect } from "chai";
import { AbiCoder, dataSlice, getAddress, id, Wallet, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  DAY,
  everyWrite,
  IDENTITY_KEY,
  NEW_OWNER_KEY,
  shouldBehaveLikeERC1056,
  VERI_KEY,
  type ERC1056Fixture,
  type Unauthorized,
} from "./behaviours/ERC1056.behavior.ts";
import { chainWithDeployer, DEPLOY_OVERRIDES } from "./helpers/chains.ts";
import { deployReference } from "@realdid/testkit/interop";
import {
  erc1056Digest,
  recoverSigner,
  sendSignedWrite,
  sendWrite,
  signCurrent,
  signWrite,
  toHighS,
  type ERC1056Registry,
  type ERC1056Write,
  type RawSignature,
} from "@realdid/testkit/erc1056";

const { ethers, networkHelpers } = await network.create();

const ECRECOVER_PRECOMPILE = "0x0000000000000000000000000000000000000001";

async function deployDIDRegistries(): Promise<ERC1056Fixture> {
  const registry = await ethers.deployContract("DIDRegistry");
  const otherRegistry = await ethers.deployContract("DIDRegistry");
  return {
    ethers,
    networkHelpers,
    registry,
    otherRegistry,
    async expectUnauthorized(tx: Promise<unknown>, { identity, actor, owner }: Unauthorized): Promise<void> {
      await expect(tx)
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnauthorizedActor")
        .withArgs(identity, actor, owner);
    },
  };
}

async function deployReferenceRegistries(): Promise<ERC1056Fixture> {
  return {
    ethers,
    networkHelpers,
    registry: await deployReference(ethers),
    otherRegistry: await deployReference(ethers),
    async expectUnauthorized(tx: Promise<unknown>, { signed }: Unauthorized): Promise<void> {
      await expect(tx).to.be.revertedWith(signed ? "bad_signature" : "bad_actor");
    },
  };
}

describe("DIDRegistry", function () {
  shouldBehaveLikeERC1056(() => networkHelpers.loadFixture(deployDIDRegistries));
});

describe("EthereumDIDRegistry (reference bytecode from ethr-did-registry)", function () {
  shouldBehaveLikeERC1056(() => networkHelpers.loadFixture(deployReferenceRegistries));
});

/** Our registry with a funded identity that already has a valid delegate, and a relayer. */
async function deployWithDelegatedIdentity() {
  const registry = await ethers.deployContract("DIDRegistry");
  const [relayer, delegate] = await ethers.getSigners();
  const [identity, newOwner] = [IDENTITY_KEY, NEW_OWNER_KEY].map((key) => new Wallet(key, ethers.provider));
  for (const wallet of [identity, newOwner]) await networkHelpers.setBalance(wallet.address, 10n ** 20n);
  await sendWrite(registry, identity, identity.address, {
    fn: "addDelegate",
    delegateType: VERI_KEY,
    delegate: delegate.address,
    validity: DAY,
  });
  return { registry, relayer, delegate, identity, newOwner, writes: everyWrite(newOwner.address, delegate.address) };
}

/** What the `ecrecover` precompile returns: it accepts high-s signatures, which ethers refuses to recover. */
async function ecrecover(digest: string, { v, r, s }: RawSignature): Promise<string> {
  const input = AbiCoder.defaultAbiCoder().encode(["bytes32", "uint8", "bytes32", "bytes32"], [digest, v, r, s]);
  const output = await ethers.provider.call({ to: ECRECOVER_PRECOMPILE, data: input });
  return getAddress(dataSlice(output, 12));
}

describe("DIDRegistry deviations and extras", function () {
  it("reports its version", async function () {
    const { registry } = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
    expect(await registry.version()).to.equal("1.0.0");
  });

  describe("deactivation is final", function () {
    const deactivate: ERC1056Write = { fn: "changeOwner", newOwner: ZeroAddress };

    async function deactivated() {
      const fixture = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
      const { registry, identity } = fixture;
      const previousChange = await registry.changed(identity.address);
      await expect(sendWrite(registry, identity, identity.address, deactivate))
        .to.emit(registry, "DIDOwnerChanged")
        .withArgs(identity.address, ZeroAddress, previousChange);
      return fixture;
    }

    it("leaves the identity without owner, deactivated, and tells resolvers via DIDOwnerChanged(identity, 0)", async function () {
      const { registry, identity } = await deactivated();
      expect(await registry.identityOwner(identity.address)).to.equal(ZeroAddress);
      expect(await registry.owners(identity.address)).to.equal(ZeroAddress);
      expect(await registry.deactivated(identity.address)).to.equal(true);
      expect(await registry.changed(identity.address)).to.equal(await networkHelpers.time.latestBlock());
    });

    it("invalidates a delegate that was valid before", async function () {
      const { registry, identity, delegate } = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegate.address)).to.equal(true);
      await sendWrite(registry, identity, identity.address, deactivate);
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegate.address)).to.equal(false);
    });

    it("is reached through changeOwnerSigned too", async function () {
      const { registry, identity, relayer } = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
      const signature = await signCurrent(registry, identity.signingKey, identity.address, deactivate);
      await sendSignedWrite(registry, relayer, identity.address, signature, deactivate);
      expect(await registry.deactivated(identity.address)).to.equal(true);
    });

    it("rejects every direct write, by the identity's own key or its last owner", async function () {
      const { registry, identity, newOwner, writes } = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
      await sendWrite(registry, identity, identity.address, { fn: "changeOwner", newOwner: newOwner.address });
      await sendWrite(registry, newOwner, identity.address, deactivate);
      for (const write of [...writes, { fn: "changeOwner", newOwner: identity.address } as const]) {
        for (const sender of [identity, newOwner]) {
          await expect(sendWrite(registry, sender, identity.address, write))
            .to.be.revertedWithCustomError(registry, "DIDRegistryIdentityDeactivated")
            .withArgs(identity.address);
        }
      }
    });

    it("rejects every signed write, even one signed by the identity's key with its current nonce", async function () {
      const { registry, identity, relayer, writes } = await deactivated();
      const nonce = await registry.nonce(identity.address);
      for (const write of writes) {
        const signature = signWrite(identity.signingKey, await registry.getAddress(), nonce, identity.address, write);
        await expect(sendSignedWrite(registry, relayer, identity.address, signature, write))
          .to.be.revertedWithCustomError(registry, "DIDRegistryIdentityDeactivated")
          .withArgs(identity.address);
      }
      expect(await registry.nonce(identity.address)).to.equal(nonce);
    });

    it("differs from the reference, where the identity's own key silently regains control", async function () {
      const { identity, newOwner } = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
      const reference = await deployReference(ethers);
      await sendWrite(reference, identity, identity.address, { fn: "changeOwner", newOwner: newOwner.address });
      await sendWrite(reference, newOwner, identity.address, deactivate);
      expect(await reference.identityOwner(identity.address)).to.equal(identity.address);
      await sendWrite(reference, identity, identity.address, { fn: "changeOwner", newOwner: identity.address });
    });
  });

  describe("malformed signatures", function () {
    it("rejects the high-s twin of every valid signature with ECDSAInvalidSignatureS, leaving the original usable", async function () {
      const { registry, identity, relayer, writes } = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
      for (const write of writes.toReversed()) {
        const signature = await signCurrent(registry, identity.signingKey, identity.address, write);
        const twin = toHighS(signature);
        const digest = erc1056Digest(
          await registry.getAddress(),
          await registry.nonce(identity.address),
          identity.address,
          write,
        );
        expect(await ecrecover(digest, twin)).to.equal(identity.address);
        await expect(sendSignedWrite(registry, relayer, identity.address, twin, write))
          .to.be.revertedWithCustomError(registry, "ECDSAInvalidSignatureS")
          .withArgs(twin.s);
        await sendSignedWrite(registry, relayer, identity.address, signature, write);
      }
      expect(await registry.nonce(identity.address)).to.equal(BigInt(writes.length));
    });

    const garbage: [string, (valid: RawSignature) => RawSignature][] = [
      ["v = 0", ({ r, s }) => ({ v: 0, r, s })],
      ["v = 29", ({ r, s }) => ({ v: 29, r, s })],
      ["r = s = 0", ({ v }) => ({ v, r: ZeroHash, s: ZeroHash })],
    ];
    for (const [label, corrupt] of garbage) {
      it(`rejects a signature that ecrecover maps to address(0) (${label}) with ECDSAInvalidSignature`, async function () {
        const { registry, identity, relayer, writes } = await networkHelpers.loadFixture(deployWithDelegatedIdentity);
        for (const write of writes) {
          const signature = corrupt(await signCurrent(registry, identity.signingKey, identity.address, write));
          await expect(
            sendSignedWrite(registry, relayer, identity.address, signature, write),
          ).to.be.revertedWithCustomError(registry, "ECDSAInvalidSignature");
        }
      });
    }
  });

  describe("cross-chain replay (ERC-1056 signed messages carry no chain id)", function () {
    const handOver: ERC1056Write = { fn: "changeOwner", newOwner: new Wallet(NEW_OWNER_KEY).address };

    it("risk: registries deployed at one address on two chains accept each other's signatures", async function () {
      const chains = await Promise.all([chainWithDeployer(1001), chainWithDeployer(1002)]);
      const registries = await Promise.all(
        chains.map(({ ethers: chainEthers }) => chainEthers.deployContract("DIDRegistry")),
      );
      const address = await registries[0].getAddress();
      expect(await registries[1].getAddress()).to.equal(address);

      const identity = new Wallet(IDENTITY_KEY);
      const signature = signWrite(identity.signingKey, address, 0n, identity.address, handOver);
      for (const [index, registry] of registries.entries()) {
        await sendSignedWrite(registry, chains[index].deployer, identity.address, signature, handOver);
        expect(await registry.identityOwner(identity.address)).to.equal(handOver.newOwner);
      }
    });

    it("guard: ChainBoundDeployer gives each chain's registry its own address, so a signature for one chain is rejected on another", async function () {
      const chains = await Promise.all([chainWithDeployer(1001), chainWithDeployer(1002)]);
      const salt = id("realdid.did-registry");
      const initCode = (await chains[0].ethers.getContractFactory("DIDRegistry")).bytecode;
      const registries: ERC1056Registry[] = [];
      for (const { ethers: chainEthers, factory } of chains) {
        const address = await factory.deploy.staticCall(salt, initCode);
        await factory.deploy(salt, initCode, DEPLOY_OVERRIDES);
        registries.push(await chainEthers.getContractAt("DIDRegistry", address));
      }
      const [home, away] = registries;
      expect(await away.getAddress()).to.not.equal(await home.getAddress());

      const identity = new Wallet(IDENTITY_KEY);
      const signature = signWrite(identity.signingKey, await home.getAddress(), 0n, identity.address, handOver);
      const seenOnAway = recoverSigner(
        erc1056Digest(await away.getAddress(), 0n, identity.address, handOver),
        signature,
      );
      await expect(sendSignedWrite(away, chains[1].deployer, identity.address, signature, handOver))
        .to.be.revertedWithCustomError(away, "DIDRegistryUnauthorizedActor")
        .withArgs(identity.address, seenOnAway, identity.address);
      await sendSignedWrite(home, chains[0].deployer, identity.address, signature, handOver);
      expect(await home.identityOwner(identity.address)).to.equal(handOver.newOwner);
      expect(await away.identityOwner(identity.address)).to.equal(identity.address);
    });
  });
});
