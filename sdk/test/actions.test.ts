/**
 * DIDRegistry actions against the deployed registry: reads, direct writes by the owner, and every `*Signed`
 * variant signed by the owner and sent by a relayer (the hash the SDK builds is the one the contract checks).
 */
import { expect } from "chai";
import { hexlify, id, toUtf8Bytes, Wallet, ZeroAddress } from "ethers";

import {
  addDelegate,
  changed,
  changeOwner,
  createBoundClient,
  createClient,
  deactivated,
  identityOwner,
  nonce,
  revokeAttribute,
  revokeDelegate,
  sendSignedChange,
  setAttribute,
  signChange,
  validDelegate,
  type Client,
  type SignableChange,
} from "../src/actions/index.ts";
import { networkFromDeployment } from "../src/config.ts";
import { DIDRegistryUnauthorizedActor } from "../src/errors/index.ts";
import { serveJsonRpc } from "@realdid/testkit/json-rpc";
import { rejection } from "./helpers.ts";
import { deployRealDID, type RealDIDChain } from "@realdid/testkit/subgraph";

const DAY = 86_400;

describe("SDK DIDRegistry actions", function () {
  this.timeout(120_000);
  let chain: RealDIDChain;
  let relayer: Client;
  let read: Client;

  before(async () => {
    chain = await deployRealDID();
    const [, payer] = await chain.ethers.getSigners();
    const network = networkFromDeployment(chain.deployment, { provider: chain.ethers.provider });
    relayer = createClient(network, payer);
    read = createClient(network);
  });

  /** A fresh identity key with gas, and a client that sends as it. */
  async function holder(label: string): Promise<{ key: Wallet; client: Client }> {
    const key = new Wallet(id(`realdid.sdk.actions.${label}`), chain.ethers.provider);
    await chain.networkHelpers.setBalance(key.address, 10n ** 20n);
    return { key, client: { ...read, signer: key } };
  }

  it("over an RPC URL, sends transactions back to back and reads each change at once (no cached answers)", async () => {
    const rpc = await serveJsonRpc(chain.provider);
    try {
      const { key } = await holder("url");
      const network = networkFromDeployment(chain.deployment, { rpcUrl: rpc.url });
      const client = createClient(network, new Wallet(key.privateKey));
      const identity = key.address;
      const device = Wallet.createRandom().address;
      const grant = { identity, delegateType: "sigAuth", delegate: device, validity: DAY };
      expect(await validDelegate(client, grant)).to.equal(false);
      await (await addDelegate(client, grant)).wait();
      expect(await validDelegate(client, grant)).to.equal(true);
      await (await revokeDelegate(client, grant)).wait();
      expect(await validDelegate(client, grant)).to.equal(false);
    } finally {
      await rpc.close();
    }
  });

  it("reads and writes owners, delegates and attributes directly", async () => {
    const { key, client } = await holder("direct");
    const device = Wallet.createRandom();
    const identity = key.address;
    expect(await identityOwner(read, { identity })).to.equal(identity);
    expect(await changed(read, { identity })).to.equal(0n);
    await (
      await addDelegate(client, { identity, delegateType: "sigAuth", delegate: device.address, validity: DAY })
    ).wait();
    expect(await validDelegate(read, { identity, delegateType: "sigAuth", delegate: device.address })).to.equal(true);
    expect(await changed(read, { identity })).to.be.greaterThan(0n);
    await (await revokeDelegate(client, { identity, delegateType: "sigAuth", delegate: device.address })).wait();
    expect(await validDelegate(read, { identity, delegateType: "sigAuth", delegate: device.address })).to.equal(false);
    await (
      await setAttribute(client, { identity, name: "did/svc/Hub", value: "https://hub.example", validity: DAY })
    ).wait();
    const revoked = await (
      await revokeAttribute(client, { identity, name: "did/svc/Hub", value: "https://hub.example" })
    ).wait();
    const [log] = revoked!.logs.map((entry) => chain.didRegistry.interface.parseLog(entry));
    expect(log!.name).to.equal("DIDAttributeChanged");
    expect(log!.args.value).to.equal(hexlify(toUtf8Bytes("https://hub.example")));
    const next = Wallet.createRandom().address;
    await (await changeOwner(client, { identity, newOwner: next })).wait();
    expect(await identityOwner(read, { identity })).to.equal(next);
    const error = await rejection(changeOwner(client, { identity, newOwner: identity }));
    expect(error).to.be.instanceOf(DIDRegistryUnauthorizedActor);
  });

  it("binds every action to a client", async () => {
    const { key } = await holder("bound");
    const network = networkFromDeployment(chain.deployment, { provider: chain.ethers.provider });
    const realdid = createBoundClient(network, key);
    const identity = key.address;
    const delegate = Wallet.createRandom().address;
    await (await realdid.addDelegate({ identity, delegateType: "veriKey", delegate, validity: DAY })).wait();
    expect(await realdid.validDelegate({ identity, delegateType: "veriKey", delegate })).to.equal(true);
    expect(await realdid.identityOwner({ identity })).to.equal(identity);
  });

  it("relays every signed change the owner signed, each with the owner's next nonce", async () => {
    const { key } = await holder("signed");
    const identity = key.address;
    const device = Wallet.createRandom().address;
    const changes: SignableChange[] = [
      { action: "addDelegate", identity, delegateType: "veriKey", delegate: device, validity: DAY },
      { action: "revokeDelegate", identity, delegateType: "veriKey", delegate: device },
      { action: "setAttribute", identity, name: "did/pub/Ed25519/veriKey/base64", value: id("ed"), validity: DAY },
      { action: "revokeAttribute", identity, name: "did/pub/Ed25519/veriKey/base64", value: id("ed") },
      { action: "changeOwner", identity, newOwner: ZeroAddress },
    ];
    for (const [index, change] of changes.entries()) {
      expect(await nonce(read, { signer: identity })).to.equal(BigInt(index));
      const signed = await signChange(read, key.signingKey, change);
      const receipt = await (await sendSignedChange(relayer, signed)).wait();
      expect(receipt!.from).to.not.equal(identity);
      if (change.action === "addDelegate") {
        expect(await validDelegate(read, { identity, delegateType: "veriKey", delegate: device })).to.equal(true);
      }
    }
    expect(await deactivated(read, { identity })).to.equal(true);
  });

  it("rejects a signed change replayed or signed by someone else with the typed error", async () => {
    const { key } = await holder("replay");
    const identity = key.address;
    const change: SignableChange = {
      action: "addDelegate",
      identity,
      delegateType: "sigAuth",
      delegate: identity,
      validity: 1,
    };
    const signed = await signChange(read, key.signingKey, change);
    await (await sendSignedChange(relayer, signed)).wait();
    expect(await rejection(sendSignedChange(relayer, signed))).to.be.instanceOf(DIDRegistryUnauthorizedActor);
    const forged = await signChange(read, Wallet.createRandom().signingKey, change);
    expect(await rejection(sendSignedChange(relayer, forged))).to.be.instanceOf(DIDRegistryUnauthorizedActor);
  });
});
