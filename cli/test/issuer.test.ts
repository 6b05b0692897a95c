/**
 * `realdid` end to end as a governor and an issuer: issuer accredit, update, suspend, reinstate, remove, show, list;
 * attest a DID (the salt printed opens the commitment), revoke, suspend and reinstate it, export the status list;
 * the unhappy paths.
 */
import { expect } from "chai";
import { Wallet } from "ethers";

import { commitmentOf } from "../../sdk/src/commitment.ts";
import { decodeStatusList, statusAt } from "../../sdk/src/credentials/index.ts";
import { devKey, startCliChain, type CliChain } from "./helpers.ts";

describe("realdid: governor and issuer commands", function () {
  this.timeout(120_000);
  let chain: CliChain;
  const asGovernor = { REALDID_PRIVATE_KEY: devKey(0) };
  const asIssuer = { REALDID_PRIVATE_KEY: devKey(1) };

  before(async () => {
    chain = await startCliChain();
  });
  after(() => chain.close());

  it("accredits, updates, suspends, reinstates and removes an issuer; show and list follow", async () => {
    const issuer = Wallet.createRandom().address;
    const accredited = await chain.realdid(
      [
        "--json",
        "--yes",
        "issuer",
        "accredit",
        issuer,
        "--level",
        "2",
        "--name",
        "Bureau",
        "--uri",
        "https://b.example",
      ],
      { env: asGovernor },
    );
    expect(accredited.code, accredited.stderr).to.equal(0);
    expect(accredited.json()).to.include({ issuer, maxLevel: 2, name: "Bureau" });
    const shown = await chain.realdid(["--json", "issuer", "show", issuer]);
    expect(shown.json()).to.include({ issuer, status: "Active", maxLevel: 2 });

    const updated = await chain.realdid(
      ["--yes", "issuer", "update", issuer, "--level", "1", "--name", "Bureau 2", "--uri", "https://b.example"],
      { env: asGovernor },
    );
    expect(updated.code, updated.stderr).to.equal(0);
    for (const [args, status] of [
      [["suspend", issuer, "--reason", "audit"], "Suspended"],
      [["reinstate", issuer], "Active"],
      [["remove", issuer, "--reason", "closed"], "Removed"],
    ] as const) {
      const run = await chain.realdid(["--yes", "issuer", ...args], { env: asGovernor });
      expect(run.code, run.stderr).to.equal(0);
      expect((await chain.realdid(["--json", "issuer", "show", issuer])).json()).to.include({ status });
    }
    const list = await chain.realdid(["issuer", "list"]);
    expect(list.stdout).to.match(new RegExp(`${issuer}\\s+Removed\\s+1\\s+Bureau 2`));
    expect(list.stdout).to.match(/Public Security Bureau/);
  });

  it("refuses a governor action by a non-governor (exit 5, decoded) and a missing reason or bad level (exit 2)", async () => {
    const issuer = Wallet.createRandom().address;
    const stranger = await chain.realdid(
      ["--yes", "issuer", "accredit", issuer, "--level", "1", "--name", "X", "--uri", "https://x.example"],
      { env: asIssuer },
    );
    expect(stranger.code).to.equal(5);
    expect(stranger.stderr).to.match(/AccessControlUnauthorizedAccount\(account=/);
    const noReason = await chain.realdid(["--yes", "issuer", "suspend", issuer], { env: asGovernor });
    expect(noReason.code).to.equal(2);
    expect(noReason.stderr).to.match(/--reason/);
    const badLevel = await chain.realdid(
      ["--yes", "issuer", "accredit", issuer, "--level", "9", "--name", "X", "--uri", "https://x.example"],
      { env: asGovernor },
    );
    expect(badLevel.code).to.equal(2);
  });

  it("attests a DID: the printed salt opens the on-chain commitment; revoke, suspend, reinstate set its status", async () => {
    const holder = Wallet.createRandom().address;
    const attested = await chain.realdid(
      ["--json", "--yes", "attest", `did:ethr:0x7a69:${holder}`, "--level", "2", "--name", "Wang Wu"],
      { env: asIssuer },
    );
    expect(attested.code, attested.stderr).to.equal(0);
    const { salt, commitment, issuer } = attested.json<{ salt: string; commitment: string; issuer: string }>();
    expect(issuer).to.equal(chain.stack.issuer.address);
    expect(commitment).to.equal(commitmentOf(holder, "Wang Wu", salt));
    expect(await chain.stack.realNameRegistry.isVerified(holder, 2)).to.equal(true);

    const suspended = await chain.realdid(["--yes", "suspend", holder], { env: asIssuer });
    expect(suspended.code, suspended.stderr).to.equal(0);
    expect((await chain.realdid(["verify", holder, "--level", "1"])).stdout).to.match(/Suspended/);
    const reinstated = await chain.realdid(["--yes", "reinstate", holder], { env: asIssuer });
    expect(reinstated.code, reinstated.stderr).to.equal(0);
    expect((await chain.realdid(["verify", holder, "--level", "1"])).code).to.equal(0);
    const revoked = await chain.realdid(["--yes", "revoke", holder], { env: asIssuer });
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect((await chain.realdid(["verify", holder, "--level", "1"])).stdout).to.match(/Revoked/);
    const { statusIndex } = await chain.stack.realNameRegistry.getVerification(holder, 0);
    const exported = await chain.realdid(["--json", "status", "export", "--issuer", issuer]);
    expect(exported.code, exported.stderr).to.equal(0);
    const { credential } = exported.json<{
      credential: { type: string[]; credentialSubject: { encodedList: string; statusPurpose: string } };
    }>();
    expect(credential.type).to.include("BitstringStatusListCredential");
    expect(credential.credentialSubject.statusPurpose).to.equal("revocation");
    expect(statusAt(decodeStatusList(credential.credentialSubject.encodedList), Number(statusIndex))).to.equal(true);
    const signed = await chain.realdid(["status", "export", "--issuer", issuer, "--sign"], { env: asIssuer });
    expect(signed.stdout.trim()).to.match(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const badPurpose = await chain.realdid(["status", "export", "--issuer", issuer, "--purpose", "other"]);
    expect(badPurpose.code).to.equal(2);
    const again = await chain.realdid(["--yes", "reinstate", holder], { env: asIssuer });
    expect(again.code).to.equal(0);
    expect((await chain.realdid(["verify", holder, "--level", "1"])).stdout).to.match(/Revoked/);
  });

  it("revokes, suspends and reinstates by status index, in the attestation or the credential list", async () => {
    const holder = Wallet.createRandom().address;
    const attested = await chain.realdid(["--json", "--yes", "attest", holder, "--level", "1", "--name", "Qian Qi"], {
      env: asIssuer,
    });
    expect(attested.code, attested.stderr).to.equal(0);
    const { statusIndex } = await chain.stack.realNameRegistry.getVerification(holder, 0);
    const suspended = await chain.realdid(["--json", "--yes", "suspend", String(statusIndex)], { env: asIssuer });
    expect(suspended.code, suspended.stderr).to.equal(0);
    expect(suspended.json()).to.include({ list: "attestation", index: Number(statusIndex), action: "suspend" });
    expect((await chain.realdid(["verify", holder, "--level", "1"])).stdout).to.match(/Suspended/);
    const lifted = await chain.realdid(["--yes", "reinstate", String(statusIndex)], { env: asIssuer });
    expect(lifted.code, lifted.stderr).to.equal(0);
    expect((await chain.realdid(["verify", holder, "--level", "1"])).code).to.equal(0);
    const credential = await chain.realdid(["--yes", "revoke", "5", "--list", "credential"], { env: asIssuer });
    expect(credential.code, credential.stderr).to.equal(0);
    expect(await chain.stack.statusRegistry.getStatus(chain.stack.issuer.address, 2, 5)).to.equal(true);
    const badList = await chain.realdid(["--yes", "revoke", "5", "--list", "other"], { env: asIssuer });
    expect(badList.code).to.equal(2);
  });

  it("refuses an attestation above the issuer's level (decoded), a past expiry, and a status change without attestation", async () => {
    const holder = Wallet.createRandom().address;
    const tooHigh = await chain.realdid(["--yes", "attest", holder, "--level", "2", "--name", "A"], {
      env: { REALDID_PRIVATE_KEY: devKey(2) },
    });
    expect(tooHigh.code).to.equal(5);
    expect(tooHigh.stderr).to.match(/IssuerRegistryLevelAboveMax/);
    const past = await chain.realdid(
      ["--yes", "attest", holder, "--level", "1", "--name", "A", "--expiry", "2001-01-01"],
      {
        env: asIssuer,
      },
    );
    expect(past.code).to.equal(2);
    expect(past.stderr).to.match(/expiry 2001-01-01 is not in the future/);
    const none = await chain.realdid(["--yes", "revoke", holder], { env: asIssuer });
    expect(none.code).to.equal(3);
    expect(none.stderr).to.match(/has no attestation/);
  });
});
