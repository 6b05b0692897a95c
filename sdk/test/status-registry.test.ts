/**
 * StatusRegistry actions through the SDK: many statuses at once, a whole word, a signed update relayed by a
 * stranger, and the reads agreeing with each other (bit `127 - i % 128` of word `i / 128`); a revocation stays final
 * on every path and a replayed or late signed update is refused with its typed error.
 */
import { expect } from "chai";

import type { TrustStack } from "@realdid/testkit/trust";
import {
  getStatus,
  getStatusBits,
  getStatuses,
  getStatusWord,
  revokeStatus,
  sendStatusUpdate,
  setStatus,
  setStatuses,
  setStatusWord,
  signStatusUpdate,
  type Client,
} from "../src/actions/index.ts";
import { StatusPurpose } from "../src/credentials/status.ts";
import {
  SignedRequestsDeadlinePassed,
  SignedRequestsInvalidNonce,
  StatusRegistryRevocationFinal,
  StatusRegistryUnauthorizedActor,
} from "../src/errors/index.ts";
import { rejection, trustStackClients } from "./helpers.ts";

describe("SDK StatusRegistry actions", function () {
  this.timeout(60_000);
  let stack: TrustStack;
  let read: Client;
  let issuerClient: Client;
  let relayer: Client;
  let issuer: string;
  let now: number;

  before(async () => {
    ({ stack, read, stranger: relayer } = await trustStackClients());
    issuerClient = { ...read, signer: stack.issuer };
    issuer = stack.issuer.address;
    now = (await stack.ethers.provider.getBlock("latest"))!.timestamp;
  });

  it("sets many statuses at once and reads them back by index, in bulk, as a word and as attestation bits", async () => {
    const list = { issuer, purpose: StatusPurpose.Revocation };
    await (await setStatuses(issuerClient, { ...list, indices: [0, 2, 130], value: true })).wait();
    expect(await getStatuses(read, { ...list, indices: [0, 1, 2, 130, 131] })).to.deep.equal([
      true,
      false,
      true,
      true,
      false,
    ]);
    expect(await getStatus(read, { ...list, index: 2 })).to.equal(true);
    expect(await getStatusWord(read, { ...list, wordIndex: 0 })).to.equal((1n << 127n) | (1n << 125n));
    expect(await getStatusWord(read, { ...list, wordIndex: 1 })).to.equal(1n << 125n);
    expect(await getStatusBits(read, { issuer, index: 130 })).to.deep.equal({ revoked: true, suspended: false });
    const clearing = await rejection(setStatusWord(issuerClient, { ...list, wordIndex: 0, word: 0n }));
    expect(clearing).to.be.instanceOf(StatusRegistryRevocationFinal);
  });

  it("replaces a whole word of suspensions and lifts them the same way", async () => {
    const list = { issuer, purpose: StatusPurpose.CredentialSuspension };
    const word = (1n << 127n) | 1n; // indices 256 and 383
    await (await setStatusWord(issuerClient, { ...list, wordIndex: 2, word })).wait();
    expect(await getStatuses(read, { ...list, indices: [256, 257, 383] })).to.deep.equal([true, false, true]);
    await (await setStatusWord(issuerClient, { ...list, wordIndex: 2, word: 0n })).wait();
    expect(await getStatus(read, { ...list, index: 383 })).to.equal(false);
    await (await setStatus(issuerClient, { ...list, index: 257, value: true })).wait();
    expect(await getStatusWord(read, { ...list, wordIndex: 2 })).to.equal(1n << 126n);
    const stranger = await rejection(setStatusWord(relayer, { ...list, wordIndex: 2, word }));
    expect(stranger).to.be.instanceOf(StatusRegistryUnauthorizedActor);
  });

  it("revokes one of the issuer's own attestation statuses with the short revoke", async () => {
    await (await revokeStatus(issuerClient, { index: 900 })).wait();
    expect(await getStatusBits(read, { issuer, index: 900 })).to.deep.equal({ revoked: true, suspended: false });
    expect(await getStatus(read, { issuer, purpose: StatusPurpose.Revocation, index: 901 })).to.equal(false);
  });

  it("relays a signed status update once, and refuses a late one", async () => {
    const update = { issuer, purpose: StatusPurpose.Suspension, index: 77, value: true };
    const signed = await signStatusUpdate(read, stack.veriKey, { ...update, deadline: now + 600 });
    expect(signed.signer).to.equal(stack.veriKey.address);
    await (await sendStatusUpdate(relayer, signed)).wait();
    expect(await getStatusBits(read, { issuer, index: 77 })).to.deep.equal({ revoked: false, suspended: true });
    expect(await rejection(sendStatusUpdate(relayer, signed))).to.be.instanceOf(SignedRequestsInvalidNonce);
    const late = await signStatusUpdate(read, stack.issuer, { ...update, value: false, deadline: now - 1 });
    expect(await rejection(sendStatusUpdate(relayer, late))).to.be.instanceOf(SignedRequestsDeadlinePassed);
    expect(await getStatus(read, { issuer, purpose: StatusPurpose.Suspension, index: 77 })).to.equal(true);
  });
});
