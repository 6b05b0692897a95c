/**
 * `realdid governance` end to end: the delayed admin hand-over (begin, accept refused before the delay, accepted
 * after it, cancel) and granting and revoking governors, each refusal decoded.
 */
import { expect } from "chai";
import { Wallet } from "ethers";

import { ADMIN_DELAY } from "@realdid/testkit/trust";
import { devKey, startCliChain, type CliChain } from "./helpers.ts";

describe("realdid governance", function () {
  this.timeout(120_000);
  let chain: CliChain;
  const asAdmin = { REALDID_PRIVATE_KEY: devKey(0) };
  const successor = new Wallet(devKey(7));
  const asSuccessor = { REALDID_PRIVATE_KEY: devKey(7) };

  before(async () => {
    chain = await startCliChain();
  });
  after(() => chain.close());

  it("hands the admin role over after the delay; an early accept and a stranger's begin are refused", async () => {
    const stranger = await chain.realdid(["--yes", "governance", "begin", successor.address], { env: asSuccessor });
    expect(stranger.code).to.equal(5);
    expect(stranger.stderr).to.match(/AccessControlUnauthorizedAccount/);

    const begun = await chain.realdid(["--json", "--yes", "governance", "begin", successor.address], { env: asAdmin });
    expect(begun.code, begun.stderr).to.equal(0);
    const shown = await chain.realdid(["--json", "governance", "show"]);
    expect(shown.json()).to.include({
      admin: chain.stack.admin.address,
      pendingAdmin: successor.address,
      delay: Number(ADMIN_DELAY),
    });
    const early = await chain.realdid(["--yes", "governance", "accept"], { env: asSuccessor });
    expect(early.code).to.equal(5);
    expect(early.stderr).to.match(/AccessControlEnforcedDefaultAdminDelay/);

    await chain.stack.ethers.provider.send("evm_increaseTime", [Number(ADMIN_DELAY) + 1]);
    await chain.stack.ethers.provider.send("evm_mine", []);
    const accepted = await chain.realdid(["--yes", "governance", "accept"], { env: asSuccessor });
    expect(accepted.code, accepted.stderr).to.equal(0);
    expect((await chain.realdid(["--json", "governance", "show"])).json()).to.include({ admin: successor.address });
  });

  it("cancels a pending hand-over", async () => {
    const other = Wallet.createRandom().address;
    expect((await chain.realdid(["--yes", "governance", "begin", other], { env: asSuccessor })).code).to.equal(0);
    const cancelled = await chain.realdid(["--yes", "governance", "cancel"], { env: asSuccessor });
    expect(cancelled.code, cancelled.stderr).to.equal(0);
    const state = (await chain.realdid(["--json", "governance", "show"])).json<{ pendingAdmin: string }>();
    expect(BigInt(state.pendingAdmin)).to.equal(0n);
  });

  it("grants and revokes a governor, who can then accredit and then no longer", async () => {
    const governor = devKey(8);
    const address = new Wallet(governor).address;
    const granted = await chain.realdid(["--json", "--yes", "governance", "grant", address], { env: asSuccessor });
    expect(granted.code, granted.stderr).to.equal(0);
    expect(granted.json()).to.include({ account: address, governor: true });
    const accredit = (issuer: string) =>
      chain.realdid(
        ["--yes", "issuer", "accredit", issuer, "--level", "1", "--name", "N", "--uri", "https://n.example"],
        {
          env: { REALDID_PRIVATE_KEY: governor },
        },
      );
    expect((await accredit(Wallet.createRandom().address)).code).to.equal(0);
    const revoked = await chain.realdid(["--json", "--yes", "governance", "revoke", address], { env: asSuccessor });
    expect(revoked.json()).to.include({ governor: false });
    expect((await accredit(Wallet.createRandom().address)).code).to.equal(5);
    const badAccount = await chain.realdid(["--yes", "governance", "grant", "nobody"], { env: asSuccessor });
    expect(badAccount.code).to.equal(2);
  });
});
