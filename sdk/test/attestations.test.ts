/**
 * Trust-layer writes through the SDK: an issuer attests a real name (only the salted commitment on chain), revokes
 * and suspends through the status lists, and a holder's signed disclosure is relayed; each failure is the contract's
 * typed error.
 */
import { expect } from "chai";
import { id, Wallet } from "ethers";

import { LEVEL, type TrustStack } from "@realdid/testkit/trust";
import {
  attestRealName,
  disclosedName,
  getVerification,
  isVerified,
  sendDisclosure,
  setAttestationStatus,
  signDisclosure,
  type Client,
} from "../src/actions/index.ts";
import { commitmentOf } from "../src/commitment.ts";
import { Reason as REASON } from "../src/enums.generated.ts";
import {
  IssuerRegistryLevelAboveMax,
  RealNameRegistryUnauthorizedActor,
  SignedRequestsInvalidNonce,
  StatusRegistryRevocationFinal,
} from "../src/errors/index.ts";
import { ConfigurationError } from "../src/errors/base.ts";
import { rejection, trustStackClients } from "./helpers.ts";

describe("SDK trust-layer writes", function () {
  this.timeout(60_000);
  let stack: TrustStack;
  let read: Client;
  let issuerClient: Client;
  let lowIssuerClient: Client;
  let expiry: number;

  before(async () => {
    ({ stack, read } = await trustStackClients());
    issuerClient = { ...read, signer: stack.issuer };
    lowIssuerClient = { ...read, signer: stack.lowIssuer };
    expiry = (await stack.ethers.provider.getBlock("latest"))!.timestamp + 86_400 * 365;
  });

  it("attests with a salted commitment of the name and returns the salt that opens it", async () => {
    const identity = Wallet.createRandom().address;
    const { tx, salt, commitment } = await attestRealName(issuerClient, {
      issuer: stack.issuer.address,
      identity,
      level: LEVEL.DOCUMENT,
      expiry,
      realName: "Wang Wu",
    });
    await tx.wait();
    expect(commitment).to.equal(commitmentOf(identity, "Wang Wu", salt));
    expect((await stack.realNameRegistry.getVerification(identity, 0)).commitment).to.equal(commitment);
    expect(await isVerified(read, { identity, minLevel: LEVEL.DOCUMENT })).to.equal(true);
  });

  it("refuses a level above the issuer's maximum with the typed error", async () => {
    const params = { issuer: stack.lowIssuer.address, identity: Wallet.createRandom().address, expiry, realName: "X" };
    const error = await rejection(attestRealName(lowIssuerClient, { ...params, level: LEVEL.DOCUMENT }));
    expect(error).to.be.instanceOf(IssuerRegistryLevelAboveMax);
  });

  it("revokes, suspends and lifts a suspension through the attestation's status bits", async () => {
    const identity = Wallet.createRandom().address;
    const params = { issuer: stack.issuer.address, identity, level: LEVEL.CONTACT, expiry, realName: "Zhao Liu" };
    await (await attestRealName(issuerClient, params)).tx.wait();
    await (await setAttestationStatus(issuerClient, { identity, status: "suspended" })).wait();
    expect((await getVerification(read, { identity, minLevel: 1 })).reason).to.equal(REASON.Suspended);
    await (await setAttestationStatus(issuerClient, { identity, status: "suspended", value: false })).wait();
    expect((await getVerification(read, { identity, minLevel: 1 })).reason).to.equal(REASON.Verified);
    await (await setAttestationStatus(issuerClient, { identity, status: "revoked" })).wait();
    expect((await getVerification(read, { identity, minLevel: 1 })).reason).to.equal(REASON.Revoked);
    expect(await isVerified(read, { identity, minLevel: 1 })).to.equal(false);
    const clearing = await rejection(setAttestationStatus(issuerClient, { identity, status: "revoked", value: false }));
    expect(clearing).to.be.instanceOf(StatusRegistryRevocationFinal);
    expect((await getVerification(read, { identity, minLevel: 1 })).reason).to.equal(REASON.Revoked);
  });

  it("refuses a status change for a DID without attestation", async () => {
    const identity = Wallet.createRandom().address;
    const error = await rejection(setAttestationStatus(issuerClient, { identity, status: "revoked" }));
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message).to.include(identity);
  });

  it("relays the owner's signed disclosure once; a replay or a wrong signer fails with the typed error", async () => {
    const holder = new Wallet(id("sdk.attestations.holder"));
    const identity = holder.address;
    const params = { issuer: stack.issuer.address, identity, level: LEVEL.DOCUMENT, expiry, realName: "Sun Qi" };
    const { tx, salt } = await attestRealName(issuerClient, params);
    await tx.wait();
    const deadline = expiry;
    const stranger = new Wallet(id("sdk.attestations.stranger"));
    const forged = await signDisclosure(read, stranger, { identity, realName: "Sun Qi", salt, deadline });
    const relayer = { ...read, signer: stack.other };
    expect(await rejection(sendDisclosure(relayer, forged))).to.be.instanceOf(RealNameRegistryUnauthorizedActor);
    expect(await disclosedName(read, { identity })).to.equal("");

    const signed = await signDisclosure(read, holder, { identity, realName: "Sun Qi", salt, deadline });
    await (await sendDisclosure(relayer, signed)).wait();
    expect(await disclosedName(read, { identity })).to.equal("Sun Qi");
    expect(await rejection(sendDisclosure(relayer, signed))).to.be.instanceOf(SignedRequestsInvalidNonce);
  });
});
