/**
 * `--json` shapes of the commands no other suite reads as JSON: the issuer list, an issuer's update and standing
 * changes, attribute writes, status changes by DID, a disclosure, a deactivation and a cancelled hand-over. Every
 * write prints one object: what it did plus `hash`, `block` and `gasUsed`; reads print their records.
 */
import { expect } from "chai";
import { Wallet } from "ethers";

import { devKey, startCliChain, type CliChain, type Run } from "./helpers.ts";

/** A sent transaction's JSON: `extra` plus the transaction's hash, block and gas. */
function expectSent(run: Run, extra: Record<string, unknown>): void {
  expect(run.code, run.stderr).to.equal(0);
  const printed = run.json<Record<string, unknown>>();
  expect(printed).to.include(extra);
  expect(printed.hash).to.match(/^0x[0-9a-f]{64}$/);
  expect(printed.block).to.be.a("number");
  expect(printed.gasUsed).to.match(/^\d+$/);
  expect(Object.keys(printed)).to.have.members([...Object.keys(extra), "hash", "block", "gasUsed"]);
}

describe("realdid --json output shapes", function () {
  this.timeout(180_000);
  let chain: CliChain;
  const asAdmin = { REALDID_PRIVATE_KEY: devKey(0) };
  const asIssuer = { REALDID_PRIVATE_KEY: devKey(1) };
  const holder = new Wallet(devKey(5));
  const asHolder = { REALDID_PRIVATE_KEY: holder.privateKey };

  before(async () => {
    chain = await startCliChain();
  });
  after(() => chain.close());

  it("issuer list: an array of issuer records; update, suspend, reinstate, remove: the change and its transaction", async () => {
    const listed = await chain.realdid(["--json", "issuer", "list"]);
    expect(listed.code, listed.stderr).to.equal(0);
    const issuers = listed.json<Record<string, unknown>[]>();
    expect(issuers).to.be.an("array").with.length.greaterThanOrEqual(2);
    const first = issuers.find((record) => record.issuer === chain.stack.issuer.address);
    expect(first).to.include({ status: "Active", maxLevel: 3 });
    expect(first).to.include.keys("accreditedAt", "updatedAt", "maxLifetime");

    const low = chain.stack.lowIssuer.address;
    const profile = { issuer: low, maxLevel: 2, name: "Contact Verifier 2", uri: "https://cv2.example" };
    expectSent(
      await chain.realdid(
        ["--json", "--yes", "issuer", "update", low, "--level", "2", "--name", profile.name, "--uri", profile.uri],
        { env: asAdmin },
      ),
      profile,
    );
    for (const [change, extra] of [
      ["suspend", ["--reason", "audit"]],
      ["reinstate", []],
      ["remove", ["--reason", "closed"]],
    ] as const)
      expectSent(await chain.realdid(["--json", "--yes", "issuer", change, low, ...extra], { env: asAdmin }), {
        issuer: low,
        change,
      });
  });

  it("attribute set and revoke, deactivate: the action and the identity", async () => {
    const did = `did:ethr:0x7a69:${holder.address}`;
    for (const verb of ["set", "revoke"])
      expectSent(
        await chain.realdid(["--json", "--yes", "did", "attribute", verb, did, "did/svc/Inbox", "https://i.example"], {
          env: asHolder,
        }),
        { action: `${verb}Attribute`, identity: holder.address },
      );
    const gone = new Wallet(devKey(6));
    expectSent(
      await chain.realdid(["--json", "--yes", "did", "deactivate", gone.address], {
        env: { REALDID_PRIVATE_KEY: gone.privateKey },
      }),
      { action: "changeOwner", identity: gone.address },
    );
  });

  it("suspend, reinstate, revoke by DID and disclose: the identity and what was done", async () => {
    const attested = await chain.realdid(
      ["--json", "--yes", "attest", holder.address, "--level", "2", "--name", "Zhang San"],
      { env: asIssuer },
    );
    expect(attested.code, attested.stderr).to.equal(0);
    const { salt } = attested.json<{ salt: string }>();
    expectSent(
      await chain.realdid(["--json", "--yes", "disclose", holder.address, "--name", "Zhang San", "--salt", salt], {
        env: asHolder,
      }),
      { identity: holder.address, realName: "Zhang San" },
    );
    for (const action of ["suspend", "reinstate", "revoke"])
      expectSent(await chain.realdid(["--json", "--yes", action, holder.address], { env: asIssuer }), {
        identity: holder.address,
        action,
      });
  });

  it("governance cancel: the step", async () => {
    const begun = await chain.realdid(["--yes", "governance", "begin", Wallet.createRandom().address], {
      env: asAdmin,
    });
    expect(begun.code, begun.stderr).to.equal(0);
    expectSent(await chain.realdid(["--json", "--yes", "governance", "cancel"], { env: asAdmin }), {
      step: "cancel",
    });
  });
});
