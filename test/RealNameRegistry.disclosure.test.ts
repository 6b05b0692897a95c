import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  attestation,
  commitmentOf,
  DAY,
  deployTrustStack,
  deployTrustStackWithWalletIssuer,
  DISCLOSURE_TYPES,
  domainOf,
  now,
  Reason,
  REVOCATION,
  TX,
  type TrustStack,
} from "@realdid/testkit/trust";
import { yearFromNow } from "./helpers/real-name.ts";

const { ethers, networkHelpers } = await network.create();

const fixture = () => deployTrustStack(ethers);
const walletFixture = () => deployTrustStackWithWalletIssuer(ethers);

describe("RealNameRegistry: public disclosure", function () {
  /** `stack` with `holder` attested at level 3 under the name "Li Si". */
  async function attestHolder<S extends TrustStack>(stack: S) {
    const owner = await stack.didRegistry.identityOwner(stack.holder.address);
    const data = attestation(stack.holder.address, 3, await yearFromNow(stack), "Li Si", undefined, owner);
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
    const domain = await domainOf(stack.realNameRegistry, options.chainId);
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
    const stack = await attested();
    const { realNameRegistry, issuer, holder, data } = stack;
    expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
    await expect(realNameRegistry.connect(holder).disclose(holder.address, "Li Si", data.salt, TX))
      .to.emit(realNameRegistry, "Disclosed")
      .withArgs(holder.address, issuer.address, "Li Si");
    expect(await realNameRegistry.disclosedName(holder.address)).to.equal("Li Si");
    expect((await realNameRegistry.getVerification(holder.address, 0)).disclosed).to.equal(true);
    // A renewal with the same commitment keeps it; a new commitment hides it.
    await realNameRegistry.connect(issuer).attest(issuer.address, { ...data, expiry: await yearFromNow(stack) }, TX);
    expect(await realNameRegistry.disclosedName(holder.address)).to.equal("Li Si");
    await realNameRegistry
      .connect(issuer)
      .attest(issuer.address, attestation(holder.address, 3, await yearFromNow(stack)), TX);
    expect(await realNameRegistry.disclosedName(holder.address)).to.equal("");
  });

  it("rejects an all-zero salt, which would make the name enumerable (review finding 6)", async function () {
    const stack = await networkHelpers.loadFixture(fixture);
    const { realNameRegistry, issuer, holder } = stack;
    const data = {
      ...attestation(holder.address, 2, await yearFromNow(stack)),
      commitment: commitmentOf(holder.address, "Li Si", ZeroHash),
    };
    await realNameRegistry.connect(issuer).attest(issuer.address, data, TX);
    await expect(realNameRegistry.connect(holder).disclose(holder.address, "Li Si", ZeroHash, TX))
      .to.be.revertedWithCustomError(realNameRegistry, "RealNameRegistryZeroSalt")
      .withArgs(holder.address);
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
      .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidNonce")
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
      .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidSignature")
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
      .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidNonce")
      .withArgs(walletAddress, 0, 1);
  });

  it("rejects a contract-wallet owner's disclosure signed by another key or by the wallet's key as itself", async function () {
    const stack = await walletOwned();
    const { realNameRegistry, holder, walletAddress, walletKey, stranger, data } = stack;
    const byOtherKey = await signDisclosure(stack, stranger, "Li Si", data.salt, { owner: walletAddress });
    await expect(relayDisclosure(stack, stranger, byOtherKey))
      .to.be.revertedWithCustomError(realNameRegistry, "SignedRequestsInvalidSignature")
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
