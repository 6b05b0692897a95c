import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";
import {
  encodeBytes32String,
  hexlify,
  id,
  toUtf8Bytes,
  Wallet,
  ZeroAddress,
  zeroPadValue,
  type LogDescription,
  type Signer,
} from "ethers";

import {
  delegateTypeHash,
  erc1056Digest,
  recoverSigner,
  sendSignedWrite,
  sendWrite,
  signCurrent,
  signWrite,
  type ERC1056Registry,
  type ERC1056Write,
  type RawSignature,
} from "@realdid/testkit/erc1056";
import { DAY, SIG_AUTH, VERI_KEY } from "@realdid/testkit/trust";

/** A rejected write: `actor` (the caller, or the signer `ecrecover` yields) is not `owner` of `identity`. */
export interface Unauthorized {
  identity: string;
  actor: string;
  owner: string;
  /** Whether the write came through a `*Signed` function (the reference then says "bad_signature"). */
  signed: boolean;
}

/** What an ERC-1056 registry under test provides; the only part that differs is how a rejection reads. */
export interface ERC1056Fixture {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  registry: ERC1056Registry;
  /** A second deployment of the same code: signatures for `registry` must not work on it. */
  otherRegistry: ERC1056Registry;
  expectUnauthorized(tx: Promise<unknown>, rejection: Unauthorized): Promise<void>;
}

export const SERVICE_ATTRIBUTE = encodeBytes32String("did/svc/HubService");
export const SERVICE_ENDPOINT = hexlify(toUtf8Bytes("https://hub.example.com/.well-known/did"));
export { DAY, SIG_AUTH, VERI_KEY };

/** Deterministic keys: signed writes need the raw key, direct writes a funded account. */
export const IDENTITY_KEY = id("realdid.test.erc1056.identity");
export const NEW_OWNER_KEY = id("realdid.test.erc1056.new-owner");
export const STRANGER_KEY = id("realdid.test.erc1056.stranger");

/** One write of every kind, for the loops that must cover all five (direct and signed). */
export function everyWrite(newOwner: string, delegate: string): ERC1056Write[] {
  return [
    { fn: "changeOwner", newOwner },
    { fn: "addDelegate", delegateType: VERI_KEY, delegate, validity: DAY },
    { fn: "revokeDelegate", delegateType: VERI_KEY, delegate },
    { fn: "setAttribute", name: SERVICE_ATTRIBUTE, value: SERVICE_ENDPOINT, validity: DAY },
    { fn: "revokeAttribute", name: SERVICE_ATTRIBUTE, value: SERVICE_ENDPOINT },
  ];
}

/** The event (name and arguments) a write must emit when mined at `timestamp` after `previousChange`. */
export function expectedEvent(
  identity: string,
  write: ERC1056Write,
  timestamp: bigint,
  previousChange: bigint,
): [string, unknown[]] {
  switch (write.fn) {
    case "changeOwner":
      return ["DIDOwnerChanged", [identity, write.newOwner, previousChange]];
    case "addDelegate":
      return [
        "DIDDelegateChanged",
        [identity, write.delegateType, write.delegate, timestamp + write.validity, previousChange],
      ];
    case "revokeDelegate":
      return ["DIDDelegateChanged", [identity, write.delegateType, write.delegate, timestamp, previousChange]];
    case "setAttribute":
      return ["DIDAttributeChanged", [identity, write.name, write.value, timestamp + write.validity, previousChange]];
    case "revokeAttribute":
      return ["DIDAttributeChanged", [identity, write.name, write.value, 0n, previousChange]];
  }
}

/**
 * ERC-1056 behaviour every did:ethr registry must share with the reference `EthereumDIDRegistry`: owners,
 * delegates, attributes, the `previousChange` linked list, and the `*Signed` variants with the reference
 * message scheme. `getFixture` must return a fresh chain state (a `loadFixture` call).
 */
export function shouldBehaveLikeERC1056(getFixture: () => Promise<ERC1056Fixture>): void {
  let fixture: ERC1056Fixture;
  let registry: ERC1056Registry;
  let identity: Wallet;
  let newOwner: Wallet;
  let stranger: Wallet;
  let delegate: Signer;
  let relayer: Signer;

  beforeEach(async function () {
    fixture = await getFixture();
    registry = fixture.registry;
    const { ethers, networkHelpers } = fixture;
    [identity, newOwner, stranger] = [IDENTITY_KEY, NEW_OWNER_KEY, STRANGER_KEY].map(
      (key) => new Wallet(key, ethers.provider),
    );
    for (const wallet of [identity, newOwner, stranger]) await networkHelpers.setBalance(wallet.address, 10n ** 20n);
    [delegate, relayer] = await ethers.getSigners();
  });

  /** Mines `send` at a known timestamp and checks the event and the identity's `changed` block. */
  async function expectWrite(send: () => Promise<unknown>, target: string, write: ERC1056Write): Promise<bigint> {
    const { time } = fixture.networkHelpers;
    const timestamp = BigInt(await time.latest()) + 100n;
    const previousChange = await registry.changed(target);
    await time.setNextBlockTimestamp(timestamp);
    const [event, args] = expectedEvent(target, write, timestamp, previousChange);
    await expect(send())
      .to.emit(registry, event)
      .withArgs(...args);
    const block = BigInt(await time.latestBlock());
    expect(await registry.changed(target)).to.equal(block);
    return timestamp;
  }

  /** The actor a registry sees for `signature` given its current owner and nonce. */
  async function actorOf(target: string, write: ERC1056Write, signature: RawSignature): Promise<string> {
    const owner = await registry.identityOwner(target);
    const digest = erc1056Digest(await registry.getAddress(), await registry.nonce(owner), target, write);
    return recoverSigner(digest, signature);
  }

  /** The registry events for `target` in `block`, in log order: what a resolver reads at each list node. */
  async function changesAt(target: string, block: bigint): Promise<LogDescription[]> {
    const logs = await fixture.ethers.provider.getLogs({
      address: await registry.getAddress(),
      fromBlock: block,
      toBlock: block,
      topics: [null, zeroPadValue(target, 32)],
    });
    return logs.map((log) => registry.interface.parseLog(log)).filter((change) => change !== null);
  }

  describe("identityOwner", function () {
    it("is the identity itself while no owner was recorded", async function () {
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
      expect(await registry.owners(identity.address)).to.equal(ZeroAddress);
      expect(await registry.changed(identity.address)).to.equal(0n);
      expect(await registry.nonce(identity.address)).to.equal(0n);
    });
  });

  describe("changeOwner", function () {
    const write = (): ERC1056Write => ({ fn: "changeOwner", newOwner: newOwner.address });

    it("records the new owner, emits DIDOwnerChanged and stamps the block", async function () {
      await expectWrite(() => sendWrite(registry, identity, identity.address, write()), identity.address, write());
      expect(await registry.owners(identity.address)).to.equal(newOwner.address);
      expect(await registry.identityOwner(identity.address)).to.equal(newOwner.address);
    });

    it("hands control to the new owner only", async function () {
      await sendWrite(registry, identity, identity.address, write());
      await fixture.expectUnauthorized(
        sendWrite(registry, identity, identity.address, { fn: "changeOwner", newOwner: stranger.address }),
        { identity: identity.address, actor: identity.address, owner: newOwner.address, signed: false },
      );
      await expectWrite(
        () => sendWrite(registry, newOwner, identity.address, { fn: "changeOwner", newOwner: identity.address }),
        identity.address,
        { fn: "changeOwner", newOwner: identity.address },
      );
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
    });
  });

  describe("previousChange linked list", function () {
    it("links changes of every kind in separate blocks, newest first, as resolvers walk it", async function () {
      const writes = everyWrite(newOwner.address, await delegate.getAddress());
      const blocks: bigint[] = [];
      for (const [index, write] of writes.entries()) {
        const sender = index === 0 ? identity : newOwner;
        await fixture.networkHelpers.mine(3);
        await expectWrite(() => sendWrite(registry, sender, identity.address, write), identity.address, write);
        blocks.push(await registry.changed(identity.address));
      }

      const walked: string[] = [];
      for (let block = await registry.changed(identity.address); block !== 0n;) {
        const changes = await changesAt(identity.address, block);
        expect(changes).to.have.lengthOf(1);
        walked.push(changes[0].name);
        block = changes[0].args.previousChange;
      }
      expect(walked).to.deep.equal([
        "DIDAttributeChanged",
        "DIDAttributeChanged",
        "DIDDelegateChanged",
        "DIDDelegateChanged",
        "DIDOwnerChanged",
      ]);
      expect(blocks).to.deep.equal([...blocks].sort((a, b) => (a < b ? -1 : 1)));
    });

    it("points every later change of one block to that same block", async function () {
      const { ethers, networkHelpers } = fixture;
      await sendWrite(registry, identity, identity.address, {
        fn: "setAttribute",
        name: SERVICE_ATTRIBUTE,
        value: SERVICE_ENDPOINT,
        validity: DAY,
      });
      const earlier = await registry.changed(identity.address);
      await networkHelpers.mine(2);

      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        const writes = everyWrite(newOwner.address, await delegate.getAddress()).slice(1);
        for (const write of writes) await sendWrite(registry, identity, identity.address, write);
        await networkHelpers.mine();
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }

      const block = BigInt(await networkHelpers.time.latestBlock());
      const changes = await changesAt(identity.address, block);
      expect(changes.map((change) => change.args.previousChange)).to.deep.equal([earlier, block, block, block]);
      expect(await registry.changed(identity.address)).to.equal(block);
    });
  });

  describe("delegates", function () {
    let delegateAddress: string;
    const add = (validity: bigint): ERC1056Write => ({
      fn: "addDelegate",
      delegateType: VERI_KEY,
      delegate: delegateAddress,
      validity,
    });

    beforeEach(async function () {
      delegateAddress = await delegate.getAddress();
    });

    it("adds a delegate valid for its type until timestamp + validity", async function () {
      const timestamp = await expectWrite(
        () => sendWrite(registry, identity, identity.address, add(DAY)),
        identity.address,
        add(DAY),
      );
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegateAddress)).to.equal(true);
      expect(await registry.validDelegate(identity.address, SIG_AUTH, delegateAddress)).to.equal(false);
      expect(await registry.delegates(identity.address, delegateTypeHash(VERI_KEY), delegateAddress)).to.equal(
        timestamp + DAY,
      );
      expect(await registry.delegates(identity.address, VERI_KEY, delegateAddress)).to.equal(0n);
    });

    it("expires exactly at validTo", async function () {
      const { time } = fixture.networkHelpers;
      const timestamp = await expectWrite(
        () => sendWrite(registry, identity, identity.address, add(DAY)),
        identity.address,
        add(DAY),
      );
      await time.increaseTo(timestamp + DAY - 1n);
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegateAddress)).to.equal(true);
      await time.increase(1);
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegateAddress)).to.equal(false);
    });

    it("is never valid with zero validity", async function () {
      await sendWrite(registry, identity, identity.address, add(0n));
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegateAddress)).to.equal(false);
    });

    it("revokes a delegate as of the revoking block", async function () {
      await sendWrite(registry, identity, identity.address, add(DAY));
      const revoke: ERC1056Write = { fn: "revokeDelegate", delegateType: VERI_KEY, delegate: delegateAddress };
      const timestamp = await expectWrite(
        () => sendWrite(registry, identity, identity.address, revoke),
        identity.address,
        revoke,
      );
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegateAddress)).to.equal(false);
      expect(await registry.delegates(identity.address, delegateTypeHash(VERI_KEY), delegateAddress)).to.equal(
        timestamp,
      );
    });

    it("keeps delegates across an owner change, managed by the new owner", async function () {
      await sendWrite(registry, identity, identity.address, add(DAY));
      await sendWrite(registry, identity, identity.address, { fn: "changeOwner", newOwner: newOwner.address });
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegateAddress)).to.equal(true);
      await fixture.expectUnauthorized(
        sendWrite(registry, identity, identity.address, {
          fn: "revokeDelegate",
          delegateType: VERI_KEY,
          delegate: delegateAddress,
        }),
        { identity: identity.address, actor: identity.address, owner: newOwner.address, signed: false },
      );
      await sendWrite(registry, newOwner, identity.address, {
        fn: "revokeDelegate",
        delegateType: VERI_KEY,
        delegate: delegateAddress,
      });
      expect(await registry.validDelegate(identity.address, VERI_KEY, delegateAddress)).to.equal(false);
    });

    it("does not let a delegate act as the owner", async function () {
      await sendWrite(registry, identity, identity.address, add(DAY));
      await fixture.expectUnauthorized(
        sendWrite(registry, delegate, identity.address, { fn: "changeOwner", newOwner: delegateAddress }),
        { identity: identity.address, actor: delegateAddress, owner: identity.address, signed: false },
      );
    });
  });

  describe("attributes", function () {
    it("live in events only: setAttribute carries validTo = timestamp + validity, revokeAttribute 0", async function () {
      const set: ERC1056Write = { fn: "setAttribute", name: SERVICE_ATTRIBUTE, value: SERVICE_ENDPOINT, validity: DAY };
      const revoke: ERC1056Write = { fn: "revokeAttribute", name: SERVICE_ATTRIBUTE, value: SERVICE_ENDPOINT };
      await expectWrite(() => sendWrite(registry, identity, identity.address, set), identity.address, set);
      await expectWrite(() => sendWrite(registry, identity, identity.address, revoke), identity.address, revoke);
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
    });

    it("accepts an empty value", async function () {
      const set: ERC1056Write = { fn: "setAttribute", name: SERVICE_ATTRIBUTE, value: "0x", validity: DAY };
      await expectWrite(() => sendWrite(registry, identity, identity.address, set), identity.address, set);
    });
  });

  describe("every write", function () {
    const kinds = ["changeOwner", "addDelegate", "revokeDelegate", "setAttribute", "revokeAttribute"] as const;

    for (const [index, kind] of kinds.entries()) {
      describe(kind, function () {
        let write: ERC1056Write;

        beforeEach(async function () {
          write = everyWrite(newOwner.address, await delegate.getAddress())[index];
        });

        it("rejects a caller that is not the owner", async function () {
          await fixture.expectUnauthorized(sendWrite(registry, stranger, identity.address, write), {
            identity: identity.address,
            actor: stranger.address,
            owner: identity.address,
            signed: false,
          });
          expect(await registry.changed(identity.address)).to.equal(0n);
        });

        it(`${kind}Signed: anyone relays the owner's signature; the owner's nonce is consumed`, async function () {
          const signature = await signCurrent(registry, identity.signingKey, identity.address, write);
          await expectWrite(
            () => sendSignedWrite(registry, relayer, identity.address, signature, write),
            identity.address,
            write,
          );
          expect(await registry.nonce(identity.address)).to.equal(1n);
        });

        it(`${kind}Signed: rejects a replayed signature`, async function () {
          const signature = await signCurrent(registry, identity.signingKey, identity.address, write);
          await sendSignedWrite(registry, relayer, identity.address, signature, write);
          const rejection = {
            identity: identity.address,
            actor: await actorOf(identity.address, write, signature),
            owner: await registry.identityOwner(identity.address),
            signed: true,
          };
          await fixture.expectUnauthorized(
            sendSignedWrite(registry, relayer, identity.address, signature, write),
            rejection,
          );
        });

        it(`${kind}Signed: rejects a signature made for another registry`, async function () {
          const signature = await signCurrent(
            registry,
            identity.signingKey,
            identity.address,
            write,
            fixture.otherRegistry,
          );
          const rejection = {
            identity: identity.address,
            actor: await actorOf(identity.address, write, signature),
            owner: identity.address,
            signed: true,
          };
          await fixture.expectUnauthorized(
            sendSignedWrite(registry, relayer, identity.address, signature, write),
            rejection,
          );
          expect(await registry.nonce(identity.address)).to.equal(0n);
        });

        it(`${kind}Signed: rejects a signature by a non-owner`, async function () {
          const signature = await signCurrent(registry, stranger.signingKey, identity.address, write);
          await fixture.expectUnauthorized(sendSignedWrite(registry, relayer, identity.address, signature, write), {
            identity: identity.address,
            actor: stranger.address,
            owner: identity.address,
            signed: true,
          });
        });
      });
    }
  });

  describe("signed writes after an owner change", function () {
    it("take the new owner's key and nonce; the identity's own key no longer signs", async function () {
      const handOver: ERC1056Write = { fn: "changeOwner", newOwner: newOwner.address };
      await sendSignedWrite(
        registry,
        relayer,
        identity.address,
        await signCurrent(registry, identity.signingKey, identity.address, handOver),
        handOver,
      );
      expect(await registry.nonce(identity.address)).to.equal(1n);

      const set: ERC1056Write = { fn: "setAttribute", name: SERVICE_ATTRIBUTE, value: SERVICE_ENDPOINT, validity: DAY };
      const byIdentity = await signCurrent(registry, identity.signingKey, identity.address, set);
      await fixture.expectUnauthorized(sendSignedWrite(registry, relayer, identity.address, byIdentity, set), {
        identity: identity.address,
        actor: identity.address,
        owner: newOwner.address,
        signed: true,
      });

      const byOwner = await signCurrent(registry, newOwner.signingKey, identity.address, set);
      await expectWrite(
        () => sendSignedWrite(registry, relayer, identity.address, byOwner, set),
        identity.address,
        set,
      );
      expect(await registry.nonce(newOwner.address)).to.equal(1n);
    });

    it("share one nonce per owner across all the identities it owns", async function () {
      const handOver: ERC1056Write = { fn: "changeOwner", newOwner: newOwner.address };
      for (const wallet of [identity, stranger]) await sendWrite(registry, wallet, wallet.address, handOver);

      const set: ERC1056Write = { fn: "setAttribute", name: SERVICE_ATTRIBUTE, value: SERVICE_ENDPOINT, validity: DAY };
      const registryAddress = await registry.getAddress();
      const first = signWrite(newOwner.signingKey, registryAddress, 0n, identity.address, set);
      await sendSignedWrite(registry, relayer, identity.address, first, set);

      const staleNonce = signWrite(newOwner.signingKey, registryAddress, 0n, stranger.address, set);
      const rejection = {
        identity: stranger.address,
        actor: await actorOf(stranger.address, set, staleNonce),
        owner: newOwner.address,
        signed: true,
      };
      await fixture.expectUnauthorized(
        sendSignedWrite(registry, relayer, stranger.address, staleNonce, set),
        rejection,
      );
      const second = signWrite(newOwner.signingKey, registryAddress, 1n, stranger.address, set);
      await expectWrite(() => sendSignedWrite(registry, relayer, stranger.address, second, set), stranger.address, set);
      expect(await registry.nonce(newOwner.address)).to.equal(2n);
    });
  });
}
