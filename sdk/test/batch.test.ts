/** Batch attestation through the SDK: one transaction, salts and commitments made locally, all or none. */
import { expect } from "chai";
import { Wallet } from "ethers";
import { network } from "hardhat";

import { deployTrustStack, LEVEL, type TrustStack } from "@realdid/testkit/trust";
import { attestBatch, maxBatchSize, type Client } from "../src/actions/index.ts";
import { commitmentOf } from "../src/commitment.ts";
import { RealNameRegistryInvalidBatchSize } from "../src/errors/index.ts";
import { rejection } from "./helpers.ts";

describe("SDK attestBatch", function () {
  this.timeout(60_000);
  let stack: TrustStack;
  let issuerClient: Client;
  let expiry: number;

  before(async () => {
    const { ethers } = await network.create();
    stack = await deployTrustStack(ethers);
    issuerClient = {
      chainId: (await ethers.provider.getNetwork()).chainId,
      provider: ethers.provider,
      didRegistry: await stack.didRegistry.getAddress(),
      realNameRegistry: await stack.realNameRegistry.getAddress(),
      signer: stack.issuer,
    };
    expiry = (await ethers.provider.getBlock("latest"))!.timestamp + 86_400 * 365;
  });

  it("attests every entry in one transaction with the salts it returns", async () => {
    const people = ["Zhao", "Qian", "Sun"].map((realName) => ({ identity: Wallet.createRandom().address, realName }));
    const { tx, entries } = await attestBatch(issuerClient, {
      issuer: stack.issuer.address,
      level: LEVEL.DOCUMENT,
      expiry,
      entries: people,
    });
    await tx.wait();
    for (const [i, entry] of entries.entries()) {
      expect(entry.commitment).to.equal(commitmentOf(people[i].identity, people[i].realName, entry.salt));
      expect(await stack.realNameRegistry.isVerified(people[i].identity, LEVEL.DOCUMENT)).to.equal(true);
    }
  });

  it("refuses a batch above MAX_BATCH_SIZE with the typed error, attesting nobody", async () => {
    const size = await maxBatchSize(issuerClient);
    expect(size).to.equal(100);
    const people = Array.from({ length: size + 1 }, () => ({ identity: Wallet.createRandom().address, realName: "X" }));
    const error = await rejection(
      attestBatch(issuerClient, { issuer: stack.issuer.address, level: 1, expiry, entries: people }),
    );
    expect(error).to.be.instanceOf(RealNameRegistryInvalidBatchSize);
    expect(await stack.realNameRegistry.isVerified(people[0].identity, 1)).to.equal(false);
  });
});
