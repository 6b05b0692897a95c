/** IssuerRegistry governance through the SDK: accredit, update, suspend, reinstate, remove, read and list. */
import { expect } from "chai";
import { Wallet } from "ethers";

import { LEVEL, type TrustStack } from "@realdid/testkit/trust";
import {
  accreditIssuer,
  changeIssuerStanding,
  getIssuer,
  listIssuers,
  updateIssuer,
  type Client,
} from "../src/actions/index.ts";
import { AccessControlUnauthorizedAccount, IssuerRegistryAlreadyAccredited } from "../src/errors/index.ts";
import { rejection, trustStackClients } from "./helpers.ts";

describe("SDK IssuerRegistry governance", function () {
  this.timeout(60_000);
  let stack: TrustStack;
  let governor: Client;
  let stranger: Client;

  before(async () => {
    ({ stack, admin: governor, stranger } = await trustStackClients());
  });

  it("accredits, updates, suspends, reinstates and removes an issuer; each step shows in its record", async () => {
    const issuer = Wallet.createRandom().address;
    expect((await getIssuer(governor, { issuer })).status).to.equal("None");
    await (
      await accreditIssuer(governor, { issuer, maxLevel: LEVEL.DOCUMENT, name: "Bureau", uri: "https://b.example" })
    ).wait();
    expect(await getIssuer(governor, { issuer })).to.include({ status: "Active", maxLevel: LEVEL.DOCUMENT });
    await (
      await updateIssuer(governor, { issuer, maxLevel: LEVEL.CONTACT, name: "Bureau 2", uri: "https://b.example" })
    ).wait();
    expect((await getIssuer(governor, { issuer })).maxLevel).to.equal(LEVEL.CONTACT);
    await (await changeIssuerStanding(governor, { issuer, change: "suspend", reason: "audit" })).wait();
    expect((await getIssuer(governor, { issuer })).status).to.equal("Suspended");
    await (await changeIssuerStanding(governor, { issuer, change: "reinstate" })).wait();
    expect((await getIssuer(governor, { issuer })).status).to.equal("Active");
    await (await changeIssuerStanding(governor, { issuer, change: "remove", reason: "closed" })).wait();
    expect((await getIssuer(governor, { issuer })).status).to.equal("Removed");
    const listed = (await listIssuers(governor)).find((entry) => entry.issuer === issuer);
    expect(listed).to.include({ status: "Removed", name: "Bureau 2", maxLevel: LEVEL.CONTACT });
  });

  it("lists the issuers of the stack with their names", async () => {
    const names = (await listIssuers(governor)).map((entry) => [entry.issuer, entry.name]);
    expect(names).to.deep.include([stack.issuer.address, "Public Security Bureau"]);
    expect(names).to.deep.include([stack.lowIssuer.address, "Contact Verifier"]);
  });

  it("refuses a non-governor and a second accreditation with the typed errors", async () => {
    const issuer = Wallet.createRandom().address;
    const profile = { issuer, maxLevel: 1, name: "X", uri: "https://x.example" };
    expect(await rejection(accreditIssuer(stranger, profile))).to.be.instanceOf(AccessControlUnauthorizedAccount);
    expect(await rejection(accreditIssuer(governor, { ...profile, issuer: stack.issuer.address }))).to.be.instanceOf(
      IssuerRegistryAlreadyAccredited,
    );
  });
});
