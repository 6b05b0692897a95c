/**
 * Sign in with a DID against the local chain: the owner's key, a `sigAuth` device key, a deployed ERC-1271 wallet
 * and a not-yet-deployed ERC-6492 wallet sign in; every failure reason is produced and typed; the nonce is
 * consumed only after the signature checks out; sessions end when authority or the attestation ends; the Node
 * adapter serves challenge and verification over HTTP.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import {
  AbiCoder,
  concat,
  getCreate2Address,
  hashMessage,
  id,
  JsonRpcProvider,
  keccak256,
  Wallet,
  ZeroAddress,
  type BaseWallet,
  type Provider,
  type Signer,
  type TransactionRequest,
} from "ethers";
import { SiweMessage } from "siwe";

import { attestation, LEVEL, REVOCATION, TX, type TrustStack } from "@realdid/testkit/trust";
import type { Client } from "../src/actions/client.ts";
import { addDelegate, changeOwner, revokeDelegate } from "../src/actions/did-registry.ts";
import { SignInError, type SignInFailureReason } from "../src/errors/base.ts";
import {
  createChallenge,
  createSignInMessage,
  ERC6492_SUFFIX,
  memoryNonceStore,
  signInWithDid,
  verifySession,
  verifySignIn,
  type Challenge,
  type NonceStore,
  type VerifySignInOptions,
} from "../src/signin/index.ts";
import { signInHandlers } from "../src/signin/node.ts";
import { rejection, trustStackClients } from "./helpers.ts";

const DOMAIN = "shop.example";
const URI = "https://shop.example/login";
const YEAR = 365 * 86_400;
/** Runtime code of a minimal CREATE2 factory: calldata `salt ‖ initCode`, returns the deployed address. */
const CREATE2_FACTORY_CODE = "0x602036038060206000376000359060006000f560005260206000f3";

describe("SDK sign in with a DID", function () {
  this.timeout(120_000);
  let stack: TrustStack;
  let client: Client;
  let chainId: number;
  let nonceStore: NonceStore;
  let options: VerifySignInOptions;

  before(async () => {
    ({ stack, read: client } = await trustStackClients());
    chainId = Number(client.chainId);
  });

  beforeEach(() => {
    nonceStore = memoryNonceStore();
    options = { domain: DOMAIN, uri: URI, client, nonceStore };
  });

  const didOf = (address: string) => `did:ethr:0x${chainId.toString(16)}:${address}`;
  const challenge = (overrides: Partial<Parameters<typeof createChallenge>[0]> = {}) =>
    createChallenge({ domain: DOMAIN, uri: URI, chainId, nonceStore, ...overrides });

  /** A fresh funded key. */
  async function fundedKey(label: string): Promise<Wallet> {
    const key = new Wallet(id(`sdk.signin.${label}`), stack.ethers.provider);
    await stack.ethers.provider.send("hardhat_setBalance", [key.address, "0x56bc75e2d63100000"]);
    return key;
  }

  /** Expects verifying to fail with `reason`. */
  async function expectRefused(reason: SignInFailureReason, message: string, signature: string, extra = {}) {
    const error = await rejection(verifySignIn(message, signature, { ...options, ...extra }));
    expect(error, String(error)).to.be.instanceOf(SignInError);
    expect((error as SignInError).name).to.equal("SignInError");
    expect((error as SignInError).reason).to.equal(reason);
  }

  /** A message with fields overridden, signed by `signer`. */
  async function signedWith(signer: BaseWallet | Signer, fields: Partial<SiweMessage>, base: Challenge) {
    const address = await signer.getAddress();
    const message = new SiweMessage({
      domain: base.domain,
      address,
      uri: base.uri,
      version: "1",
      chainId: base.chainId,
      nonce: base.nonce,
      issuedAt: new Date().toISOString(),
      expirationTime: base.expirationTime,
      resources: [didOf(address)],
      ...fields,
    }).prepareMessage();
    return { message, signature: await signer.signMessage(message) };
  }

  it("signs in with the owner's key and returns the session", async () => {
    const owner = await fundedKey("owner");
    const did = didOf(owner.address);
    const { message, signature } = await signInWithDid(await challenge(), { did, signer: owner });
    const { session, verification } = await verifySignIn(message, signature, options);
    expect(session).to.include({ did, identity: owner.address, signer: owner.address, chainId });
    expect(verification).to.equal(undefined);
    expect(await verifySession(session, { client })).to.equal(session);
  });

  it("signs in with a sigAuth device key while the owner key stays cold, but not with a veriKey delegate", async () => {
    const owner = await fundedKey("cold");
    const device = Wallet.createRandom();
    const verifier = Wallet.createRandom();
    const asOwner = { ...client, signer: owner };
    const identity = owner.address;
    await (
      await addDelegate(asOwner, { identity, delegateType: "sigAuth", delegate: device.address, validity: YEAR })
    ).wait();
    await (
      await addDelegate(asOwner, { identity, delegateType: "veriKey", delegate: verifier.address, validity: YEAR })
    ).wait();
    const did = didOf(owner.address);
    const signIn = async (signer: BaseWallet) => {
      const message = createSignInMessage(await challenge(), { did, address: signer.address });
      return { message, signature: await signer.signMessage(message) };
    };
    const byDevice = await signIn(device);
    const { session } = await verifySignIn(byDevice.message, byDevice.signature, options);
    expect(session.signer).to.equal(device.address);
    const byVerifier = await signIn(verifier);
    await expectRefused("notAuthorised", byVerifier.message, byVerifier.signature);
  });

  it("checks sign-ins started in the same turn of the event loop in one eth_call, each with its own outcome", async () => {
    let calls = 0;
    const provider = {
      call: (request: TransactionRequest) => {
        calls += 1;
        return client.provider.call(request);
      },
    } as Provider;
    const counted = { ...options, client: { ...client, provider } };
    const owners = [Wallet.createRandom(), Wallet.createRandom()];
    const signIns = await Promise.all(
      owners.map(async (owner) => signInWithDid(await challenge(), { did: didOf(owner.address), signer: owner })),
    );
    // A key that is not the owner of the DID it names (its signature recovers: no wallet check follows).
    const stranger = Wallet.createRandom();
    const foreign = createSignInMessage(await challenge(), {
      did: didOf(owners[0].address),
      address: stranger.address,
    });
    const outcomes = await Promise.allSettled([
      ...signIns.map(({ message, signature }) => verifySignIn(message, signature, counted)),
      verifySignIn(foreign, await stranger.signMessage(foreign), counted),
    ]);
    expect(calls).to.equal(1);
    const [first, second, refused] = outcomes;
    expect(first.status === "fulfilled" && first.value.session.identity).to.equal(owners[0].address);
    expect(second.status === "fulfilled" && second.value.session.identity).to.equal(owners[1].address);
    expect(refused.status === "rejected" && (refused.reason as SignInError).reason).to.equal("notAuthorised");
    // The next turn's sign-in is read anew.
    const again = await signInWithDid(await challenge(), { did: didOf(owners[0].address), signer: owners[0] });
    await verifySignIn(again.message, again.signature, counted);
    expect(calls).to.equal(2);
  });

  it("signs in with a deployed ERC-1271 wallet and a not-yet-deployed ERC-6492 wallet", async () => {
    const walletKey = Wallet.createRandom();
    const walletFactory = await stack.ethers.getContractFactory("ERC1271WalletMock");
    const deployed = await walletFactory.deploy(walletKey.address);
    const walletSignIn = async (address: string, wrap: (inner: string) => string) => {
      const message = createSignInMessage(await challenge(), { did: didOf(address), address });
      const inner = walletKey.signingKey.sign(hashMessage(message)).serialized;
      return { message, signature: wrap(inner) };
    };
    const deployedAddress = await deployed.getAddress();
    const direct = await walletSignIn(deployedAddress, (inner) => inner);
    expect((await verifySignIn(direct.message, direct.signature, options)).session.identity).to.equal(deployedAddress);

    const factory = Wallet.createRandom().address;
    await stack.ethers.provider.send("hardhat_setCode", [factory, CREATE2_FACTORY_CODE]);
    const initCode = (await walletFactory.getDeployTransaction(walletKey.address)).data;
    const salt = id("counterfactual");
    const counterfactual = getCreate2Address(factory, salt, keccak256(initCode));
    expect(await stack.ethers.provider.getCode(counterfactual)).to.equal("0x");
    const wrap = (inner: string) =>
      concat([
        AbiCoder.defaultAbiCoder().encode(["address", "bytes", "bytes"], [factory, concat([salt, initCode]), inner]),
        ERC6492_SUFFIX,
      ]);
    const wrapped = await walletSignIn(counterfactual, wrap);
    expect((await verifySignIn(wrapped.message, wrapped.signature, options)).session.identity).to.equal(counterfactual);
    expect(await stack.ethers.provider.getCode(counterfactual)).to.equal("0x");
    const forged = await walletSignIn(counterfactual, () =>
      wrap(Wallet.createRandom().signingKey.sign(id("x")).serialized),
    );
    await expectRefused("invalidSignature", forged.message, forged.signature);
  });

  describe("refuses, with the typed reason,", () => {
    let owner: Wallet;
    before(async () => {
      owner = await fundedKey("refused");
    });

    it("malformed messages and fields too long", async () => {
      await expectRefused("malformedMessage", "hello", "0x");
      await expectRefused("malformedMessage", "x".repeat(20_000), "0x");
      const long = await signedWith(owner, { statement: "a".repeat(1025) }, await challenge());
      await expectRefused("fieldTooLong", long.message, long.signature);
      const many = await signedWith(
        owner,
        { resources: [didOf(owner.address), ...Array(16).fill("https://a.example")] },
        await challenge(),
      );
      await expectRefused("fieldTooLong", many.message, many.signature);
    });

    it("another site's, another origin's and another chain's messages", async () => {
      const base = await challenge();
      const site = await signedWith(owner, { domain: "evil.example" }, base);
      await expectRefused("wrongDomain", site.message, site.signature);
      const origin = await signedWith(owner, { uri: "https://evil.example/login" }, base);
      await expectRefused("wrongUri", origin.message, origin.signature);
      const chain = await signedWith(owner, { chainId: 1 }, base);
      await expectRefused("wrongChain", chain.message, chain.signature);
      const didChain = await signedWith(owner, { resources: [`did:ethr:0x1:${owner.address}`] }, base);
      await expectRefused("wrongChain", didChain.message, didChain.signature);
    });

    it("messages without one valid DID", async () => {
      const base = await challenge();
      const none = await signedWith(owner, { resources: ["https://shop.example/terms"] }, base);
      await expectRefused("missingDid", none.message, none.signature);
      const two = await signedWith(owner, { resources: [didOf(owner.address), didOf(ZeroAddress)] }, base);
      await expectRefused("missingDid", two.message, two.signature);
      const bad = await signedWith(owner, { resources: ["did:ethr:0x7a69:0x1234"] }, base);
      await expectRefused("invalidDid", bad.message, bad.signature);
    });

    it("messages issued too far from now, expired or not yet valid", async () => {
      const base = await challenge();
      const future = await signedWith(owner, { issuedAt: new Date(Date.now() + 120_000).toISOString() }, base);
      await expectRefused("issuedAtSkew", future.message, future.signature);
      const old = await signedWith(owner, { issuedAt: new Date(Date.now() - 120_000).toISOString() }, base);
      await expectRefused("issuedAtSkew", old.message, old.signature);
      const expired = await signedWith(owner, { expirationTime: new Date(Date.now() - 1_000).toISOString() }, base);
      await expectRefused("expired", expired.message, expired.signature);
      const early = await signedWith(owner, { notBefore: new Date(Date.now() + 30_000).toISOString() }, base);
      await expectRefused("notYetValid", early.message, early.signature);
      const short = await challenge({ ttl: 1 });
      const late = await signedWith(owner, {}, short);
      await expectRefused("expired", late.message, late.signature, { now: new Date(Date.now() + 2_000) });
    });

    it("signatures by another key, unknown and replayed nonces, and burns no nonce on a bad signature", async () => {
      const base = await challenge();
      const { message, signature } = await signedWith(owner, {}, base);
      const other = await Wallet.createRandom().signMessage(message);
      await expectRefused("invalidSignature", message, other);
      await expectRefused("invalidSignature", message, "0x1234");
      // A signature that recovers to no key does not count as the zero address's.
      const unsigned = createSignInMessage(base, { did: didOf(owner.address), address: ZeroAddress });
      await expectRefused("invalidSignature", unsigned, `0x${"00".repeat(64)}1b`);
      await verifySignIn(message, signature, options); // the nonce survived the bad signatures
      await expectRefused("replayed", message, signature);
      const foreign = await signedWith(owner, { nonce: "abcdef0123456789" }, base);
      await expectRefused("unknownNonce", foreign.message, foreign.signature);
    });

    it("keys that are not the DID's owner or sigAuth delegate, and deactivated DIDs", async () => {
      const stranger = Wallet.createRandom();
      const base = await challenge();
      const message = createSignInMessage(base, { did: didOf(owner.address), address: stranger.address });
      await expectRefused("notAuthorised", message, await stranger.signMessage(message));
      const gone = await fundedKey("gone");
      await (await changeOwner({ ...client, signer: gone }, { identity: gone.address, newOwner: ZeroAddress })).wait();
      const deactivated = await signedWith(gone, {}, base);
      await expectRefused("deactivated", deactivated.message, deactivated.signature);
    });

    it("DIDs without a valid real-name attestation when one is required, and an unreachable chain", async () => {
      const signed = await signedWith(owner, {}, await challenge());
      await expectRefused("notVerified", signed.message, signed.signature, { requireVerified: { minLevel: 1 } });
      const offline = {
        ...client,
        provider: new JsonRpcProvider("http://127.0.0.1:9", chainId, { staticNetwork: true }),
      };
      await expectRefused("unavailable", signed.message, signed.signature, { client: offline });
    });
  });

  it("requires a real-name attestation when asked, and ends sessions when authority or the attestation ends", async () => {
    const { realNameRegistry, statusRegistry, issuer } = stack;
    const holder = await fundedKey("verified");
    const device = Wallet.createRandom();
    const identity = holder.address;
    const asHolder = { ...client, signer: holder };
    await (
      await addDelegate(asHolder, { identity, delegateType: "sigAuth", delegate: device.address, validity: YEAR })
    ).wait();
    const expiry = BigInt((await stack.ethers.provider.getBlock("latest"))!.timestamp + YEAR);
    const data = attestation(identity, LEVEL.DOCUMENT, expiry);
    const statusIndex = await realNameRegistry.connect(issuer).attest.staticCall(issuer.address, data, TX);
    await (await realNameRegistry.connect(issuer).attest(issuer.address, data, TX)).wait();

    const verified = { ...options, requireVerified: { minLevel: LEVEL.DOCUMENT } };
    const signIn = async (signer: BaseWallet) => {
      const message = createSignInMessage(await challenge(), { did: didOf(identity), address: signer.address });
      return verifySignIn(message, await signer.signMessage(message), verified);
    };
    const byHolder = await signIn(holder);
    expect(byHolder.verification).to.deep.equal({ reason: 0, issuer: issuer.address });
    const byDevice = await signIn(device);
    const tooHigh = createSignInMessage(await challenge(), { did: didOf(identity), address: holder.address });
    await expectRefused("notVerified", tooHigh, await holder.signMessage(tooHigh), {
      requireVerified: { minLevel: LEVEL.BIOMETRIC },
    });

    const ended = async (session: typeof byHolder.session, reason: SignInFailureReason, now?: Date) => {
      const error = await rejection(verifySession(session, { client, now }));
      expect((error as SignInError).reason).to.equal(reason);
    };
    await verifySession(byDevice.session, { client });
    await ended(byDevice.session, "sessionExpired", new Date(Date.parse(byDevice.session.expiresAt) + 1));
    await (await revokeDelegate(asHolder, { identity, delegateType: "sigAuth", delegate: device.address })).wait();
    await ended(byDevice.session, "notAuthorised");
    await verifySession(byHolder.session, { client });
    await (await statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, statusIndex, true, TX)).wait();
    await ended(byHolder.session, "notVerified");
    const unverified = { ...byHolder.session, requireVerified: undefined };
    await verifySession(unverified, { client });
    const successor = Wallet.createRandom().address;
    await (await changeOwner(asHolder, { identity, newOwner: successor })).wait();
    await ended(unverified, "notAuthorised");
  });

  it("serves challenge and verification over Node's http through the adapter", async () => {
    const owner = await fundedKey("http");
    const handlers = signInHandlers({ ...options, onSignIn: ({ session }) => ({ did: session.did }) });
    const server = createServer((request, response) => {
      const handler = request.url === "/challenge" ? handlers.challenge : handlers.verify;
      handler(request, response).catch(() => response.destroy());
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const issued = (await (await fetch(`${base}/challenge`)).json()) as Challenge;
      expect(issued).to.include({ domain: DOMAIN, uri: URI, chainId });
      const did = didOf(owner.address);
      const body = JSON.stringify(await signInWithDid(issued, { did, signer: owner }));
      const post = (payload: string) => fetch(`${base}/verify`, { method: "POST", body: payload });
      const accepted = await post(body);
      expect(accepted.status).to.equal(200);
      expect(await accepted.json()).to.deep.equal({ did });
      const replayed = await post(body);
      expect(replayed.status).to.equal(401);
      expect(await replayed.json()).to.include({ reason: "replayed" });
      expect((await post("{")).status).to.equal(401);
    } finally {
      server.close();
    }
  });
});
