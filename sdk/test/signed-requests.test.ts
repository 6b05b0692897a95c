/**
 * Relayed requests of the trust layer through the SDK: an issuer's key (or its `veriKey` delegate) signs an
 * attestation and a stranger relays it; a holder renounces, directly or signed; an issuer reconfirms a DID after an
 * ownership change; the scope reads. Every refusal is the contract's typed error: a replayed signature, one signed
 * for another chain, an expired deadline, a signature cancelled before it was relayed, a renunciation by a
 * non-holder.
 */
import { expect } from "chai";
import { id, Wallet } from "ethers";

import { LEVEL, nullifierOf, scopeOf, type TrustStack } from "@realdid/testkit/trust";
import {
  ATTESTATION_TYPES,
  attestRealName,
  cancelSignatures,
  eip712DomainOf,
  getScope,
  getVerification,
  isVerified,
  nullifierHolder,
  reconfirm,
  renounce,
  sendAttestation,
  sendRenunciation,
  signatureNonce,
  signAttestation,
  signRenunciation,
  signStatusUpdate,
  sendStatusUpdate,
  statusCount,
  type Client,
} from "../src/actions/index.ts";
import { contractOf } from "../src/actions/client.ts";
import { RealNameRegistryAbi } from "../src/abis.generated.ts";
import { StatusPurpose } from "../src/credentials/status.ts";
import { Reason as REASON } from "../src/enums.generated.ts";
import {
  RealNameRegistryUnauthorizedActor,
  SignedRequestsDeadlinePassed,
  SignedRequestsInvalidNonce,
  SignedRequestsInvalidSignature,
} from "../src/errors/index.ts";
import { rejection, trustStackClients } from "./helpers.ts";

describe("SDK signed requests, renunciation and reconfirmation", function () {
  this.timeout(120_000);
  let stack: TrustStack;
  let read: Client;
  let issuerClient: Client;
  let relayer: Client;
  let now: number;

  before(async () => {
    ({ stack, read, stranger: relayer } = await trustStackClients());
    issuerClient = { ...read, signer: stack.issuer };
    now = (await stack.ethers.provider.getBlock("latest"))!.timestamp;
  });

  const params = () => ({
    issuer: stack.issuer.address,
    identity: Wallet.createRandom().address,
    level: LEVEL.DOCUMENT,
    expiry: now + 86_400 * 365,
    realName: "Sun Qi",
    deadline: now + 86_400,
  });

  it("relays an attestation signed by the issuer's key or its veriKey delegate, once", async () => {
    for (const signer of [stack.issuer, stack.veriKey]) {
      const p = params();
      const { request, salt } = await signAttestation(read, signer, p);
      expect(JSON.stringify(request)).not.to.contain(p.realName).and.not.to.contain(salt);
      expect(request.signer).to.equal(signer.address);
      await (await sendAttestation(relayer, request)).wait();
      expect(await isVerified(read, { identity: p.identity, minLevel: LEVEL.DOCUMENT })).to.equal(true);
      const replay = await rejection(sendAttestation(relayer, request));
      expect(replay).to.be.instanceOf(SignedRequestsInvalidNonce);
      expect((replay as SignedRequestsInvalidNonce).args.authority).to.equal(stack.issuer.address);
    }
  });

  it("refuses an attestation signed for another chain, past its deadline, or cancelled before it was relayed", async () => {
    const registry = contractOf(read, read.realNameRegistry, RealNameRegistryAbi);
    const { request } = await signAttestation(read, stack.issuer, params());
    const domain = { ...(await eip712DomainOf(registry)), chainId: read.chainId + 1n };
    const value = {
      ...request.data,
      issuer: request.issuer,
      signer: request.signer,
      nonce: request.nonce,
      deadline: request.deadline,
    };
    const otherChain = await stack.issuer.signTypedData(domain, ATTESTATION_TYPES, value);
    const wrongChain = await rejection(sendAttestation(relayer, { ...request, signature: otherChain }));
    expect(wrongChain).to.be.instanceOf(SignedRequestsInvalidSignature);

    const late = await signAttestation(read, stack.issuer, { ...params(), deadline: now - 1 });
    expect(await rejection(sendAttestation(relayer, late.request))).to.be.instanceOf(SignedRequestsDeadlinePassed);

    const pending = await signAttestation(read, stack.issuer, params());
    const authority = { registry: "RealNameRegistry" as const, authority: stack.issuer.address };
    const nonce = await signatureNonce(read, authority);
    await (await cancelSignatures({ ...read, signer: stack.veriKey }, authority)).wait();
    expect(await signatureNonce(read, authority)).to.equal(nonce + 1n);
    expect(await rejection(sendAttestation(relayer, pending.request))).to.be.instanceOf(SignedRequestsInvalidNonce);
  });

  it("cancels an issuer's outstanding signed status updates in the StatusRegistry", async () => {
    const update = { issuer: stack.issuer.address, purpose: StatusPurpose.Suspension, index: 5, value: true };
    const signed = await signStatusUpdate(read, stack.issuer, { ...update, deadline: now + 600 });
    await (
      await cancelSignatures(issuerClient, { registry: "StatusRegistry", authority: stack.issuer.address })
    ).wait();
    expect(await rejection(sendStatusUpdate(relayer, signed))).to.be.instanceOf(SignedRequestsInvalidNonce);
  });

  it("lets only the holder renounce, directly or through a relayer", async () => {
    const holder = stack.holder;
    const attest = { ...params(), identity: holder.address };
    await (await attestRealName(issuerClient, attest)).tx.wait();
    const refused = await rejection(renounce(relayer, { identity: holder.address }));
    expect(refused).to.be.instanceOf(RealNameRegistryUnauthorizedActor);
    expect((refused as RealNameRegistryUnauthorizedActor).args).to.deep.equal({
      identity: holder.address,
      actor: stack.stranger.address,
      owner: holder.address,
    });
    await (await renounce({ ...read, signer: holder }, { identity: holder.address })).wait();
    expect((await getVerification(read, { identity: holder.address, minLevel: 0 })).reason).to.equal(
      REASON.NoAttestation,
    );

    await (await attestRealName(issuerClient, attest)).tx.wait();
    const signed = await signRenunciation(read, holder, { identity: holder.address, deadline: now + 600 });
    const forged = await signRenunciation(read, stack.other, { identity: holder.address, deadline: now + 600 });
    expect(await rejection(sendRenunciation(relayer, forged))).to.be.instanceOf(RealNameRegistryUnauthorizedActor);
    await (await sendRenunciation(relayer, signed)).wait();
    expect(await isVerified(read, { identity: holder.address, minLevel: 0 })).to.equal(false);
    expect(await rejection(sendRenunciation(relayer, signed))).to.be.instanceOf(SignedRequestsInvalidNonce);
  });

  it("reconfirms a DID's new owner so its attestation verifies again", async () => {
    const identity = stack.other.address;
    await (await attestRealName(issuerClient, { ...params(), identity })).tx.wait();
    const newOwner = Wallet.createRandom().address;
    await (await stack.didRegistry.connect(stack.other).changeOwner(identity, newOwner)).wait();
    expect((await getVerification(read, { identity, minLevel: 1 })).reason).to.equal(REASON.OwnerChanged);
    await (await reconfirm(issuerClient, { identity })).wait();
    expect(await isVerified(read, { identity, minLevel: LEVEL.DOCUMENT })).to.equal(true);
  });

  it("reads an attestation's scope, the nullifier's holder and the issuer's status count", async () => {
    const scope = scopeOf("video.example");
    const nullifier = nullifierOf("person-1", scope);
    const count = await statusCount(read, { issuer: stack.issuer.address });
    const identity = Wallet.createRandom().address;
    await (await attestRealName(issuerClient, { ...params(), identity, scope, nullifier })).tx.wait();
    expect(await getScope(read, { identity })).to.deep.equal({ scope, nullifier });
    expect(await nullifierHolder(read, { scope, nullifier })).to.equal(identity);
    expect(await nullifierHolder(read, { scope, nullifier: id("nobody") })).to.equal(
      "0x0000000000000000000000000000000000000000",
    );
    expect(await statusCount(read, { issuer: stack.issuer.address })).to.equal(count + 1n);
  });
});
