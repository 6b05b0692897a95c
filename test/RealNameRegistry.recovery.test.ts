/**
 * A completed lost-key recovery is an owner change to the trust layer too: `isVerified` turns false (reason
 * OwnerChanged) until the issuer reconfirms the new owner.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { recoverIdentity } from "./helpers/recovery.ts";
import { attestation, DAY, deployTrustStack, now, Reason, TX, YEAR } from "@realdid/testkit/trust";

const { ethers, networkHelpers } = await network.create();

describe("RealNameRegistry after a lost-key recovery", function () {
  it("stops verifying the recovered DID until the issuer reconfirms its new owner", async function () {
    const stack = await deployTrustStack(ethers);
    const { realNameRegistry, didRegistry, issuer, holder, other, stranger } = stack;
    const [guardian] = await ethers.getSigners();
    await realNameRegistry
      .connect(issuer)
      .attest(issuer, attestation(holder.address, 2, (await now(ethers)) + YEAR), TX);
    expect(await realNameRegistry.isVerified(holder, 1)).to.equal(true);

    await recoverIdentity(didRegistry, networkHelpers, {
      identity: holder.address,
      owner: holder,
      guardian,
      newOwner: other.address,
      completer: stranger,
      delay: DAY,
    });
    expect(await didRegistry.identityOwner(holder)).to.equal(other.address);
    expect(await realNameRegistry.isVerified(holder, 1)).to.equal(false);
    expect((await realNameRegistry.getVerification(holder, 1)).reason).to.equal(Reason.OwnerChanged);

    await realNameRegistry.connect(issuer).reconfirm(holder, other.address, TX);
    const record = await realNameRegistry.getVerification(holder, 1);
    expect(record.reason).to.equal(Reason.Verified);
    expect(record.owner).to.equal(other.address);
  });
});
