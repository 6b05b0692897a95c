/** IssuerRegistry roles through the SDK: the delayed admin hand-over and governors. */
import { expect } from "chai";
import { Wallet } from "ethers";

import { ADMIN_DELAY, type TrustStack } from "@realdid/testkit/trust";
import { adminState, adminTransfer, isGovernor, setGovernor, type Client } from "../src/actions/index.ts";
import { AccessControlUnauthorizedAccount } from "../src/errors/index.ts";
import { rejection, trustStackClients } from "./helpers.ts";

describe("SDK IssuerRegistry roles", function () {
  this.timeout(60_000);
  let stack: TrustStack;
  let admin: Client;
  let stranger: Client;

  before(async () => {
    ({ stack, admin, stranger } = await trustStackClients());
  });

  it("begins and cancels a hand-over; the state shows it", async () => {
    const next = Wallet.createRandom().address;
    await (await adminTransfer(admin, { step: "begin", newAdmin: next })).wait();
    const state = await adminState(admin);
    expect(state).to.include({ admin: stack.admin.address, pendingAdmin: next, delay: Number(ADMIN_DELAY) });
    expect(state.acceptableAt).to.be.greaterThan(0);
    await (await adminTransfer(admin, { step: "cancel" })).wait();
    expect(BigInt((await adminState(admin)).pendingAdmin)).to.equal(0n);
  });

  it("grants and revokes a governor; a stranger may not", async () => {
    const account = Wallet.createRandom().address;
    await (await setGovernor(admin, { account, granted: true })).wait();
    expect(await isGovernor(admin, { account })).to.equal(true);
    await (await setGovernor(admin, { account, granted: false })).wait();
    expect(await isGovernor(admin, { account })).to.equal(false);
    expect(await rejection(setGovernor(stranger, { account, granted: true }))).to.be.instanceOf(
      AccessControlUnauthorizedAccount,
    );
  });
});
