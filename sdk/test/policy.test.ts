/** The creator rule and `displayName`: the disclosed, still-valid real name with its issuer, or why there is none. */
import { expect } from "chai";
import { id, Wallet } from "ethers";

import { attestation, LEVEL, REVOCATION, TX, type TrustStack } from "@realdid/testkit/trust";
import type { Client } from "../src/actions/client.ts";
import { creatorPolicy, displayName } from "../src/policy/index.ts";
import { trustStackClients } from "./helpers.ts";

describe("SDK creator rule", function () {
  this.timeout(60_000);

  it("requires nothing below the first threshold, verification from it, the real name from the last", () => {
    const policy = creatorPolicy({ thresholds: [500_000, 1_000_000], minLevel: LEVEL.DOCUMENT });
    expect(policy.requirementFor(0)).to.deep.equal({ required: false });
    expect(policy.requirementFor(499_999)).to.deep.equal({ required: false });
    const verified = { required: true, threshold: 500_000, show: "verified", minLevel: LEVEL.DOCUMENT };
    expect(policy.requirementFor(500_000)).to.deep.equal(verified);
    expect(policy.requirementFor(999_999)).to.deep.equal(verified);
    const named = { required: true, threshold: 1_000_000, show: "realName", minLevel: LEVEL.DOCUMENT };
    expect(policy.requirementFor(1_000_000)).to.deep.equal(named);
    expect(policy.requirementFor(50_000_000)).to.deep.equal(named);
    expect(creatorPolicy({ thresholds: [10], minLevel: 1 }).requirementFor(10)).to.include({ show: "verified" });
    const single = creatorPolicy({ thresholds: [500_000], minLevel: 2, realNameFrom: 500_000 });
    expect(single.requirementFor(499_999)).to.deep.equal({ required: false });
    expect(single.requirementFor(500_000)).to.include({ show: "realName", threshold: 500_000 });
    expect(() => creatorPolicy({ thresholds: [10, 20], minLevel: 1, realNameFrom: 15 })).to.throw(RangeError, /15/);
    for (const thresholds of [[], [2, 1], [1, 1], [-1], [1.5]]) {
      expect(() => creatorPolicy({ thresholds, minLevel: 1 }), String(thresholds)).to.throw(RangeError);
    }
  });

  describe("displayName", () => {
    let stack: TrustStack;
    let client: Client;
    let prefix: string;

    before(async () => {
      ({ stack, read: client } = await trustStackClients());
      prefix = `did:ethr:0x${client.chainId.toString(16)}`;
    });

    it("returns the disclosed name with its issuer while the attestation holds, and typed reasons otherwise", async () => {
      const { ethers, realNameRegistry, statusRegistry, issuer } = stack;
      const holder = new Wallet(id("sdk.policy.holder"), ethers.provider);
      await ethers.provider.send("hardhat_setBalance", [holder.address, "0x56bc75e2d63100000"]);
      const did = `${prefix}:${holder.address}`;
      expect(await displayName(client, "did:web:example.com", { minLevel: 1 })).to.deep.equal({
        ok: false,
        reason: "invalidDid",
      });
      const none = await displayName(client, did, { minLevel: 1 });
      expect(none).to.include({ ok: false, reason: "notVerified" });
      expect(none.ok === false && none.code).to.be.greaterThan(0);

      const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 86_400 * 365);
      const data = attestation(holder.address, LEVEL.DOCUMENT, expiry, "Li Si");
      const statusIndex = await realNameRegistry.connect(issuer).attest.staticCall(issuer.address, data, TX);
      await (await realNameRegistry.connect(issuer).attest(issuer.address, data, TX)).wait();
      expect(await displayName(client, did, { minLevel: 1 })).to.deep.equal({ ok: false, reason: "notDisclosed" });

      await (await realNameRegistry.connect(holder).disclose(holder.address, data.realName, data.salt, TX)).wait();
      expect(await displayName(client, did, { minLevel: LEVEL.DOCUMENT })).to.deep.equal({
        ok: true,
        name: "Li Si",
        issuer: issuer.address,
      });
      expect(await displayName(client, did, { minLevel: LEVEL.BIOMETRIC })).to.include({
        ok: false,
        reason: "notVerified",
      });

      await (await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, statusIndex, true, TX)).wait();
      expect(await displayName(client, did, { minLevel: 1 })).to.include({ ok: false, reason: "notVerified" });
    });
  });
});
