/**
 * Interoperability: the did:ethr ecosystem packages (ethr-did writes, ethr-did-resolver + did-resolver reads) work
 * unchanged against `DIDRegistry`. Every scenario runs the same operations with the same keys on our registry and
 * on the reference `EthereumDIDRegistry` deployed side by side, asserts that both resolve to the same document, and
 * asserts that document's content. The one intended difference, final deactivation, has its own test.
 */
import { expect } from "chai";
import {
  Resolver,
  type DIDDocument,
  type DIDResolutionResult,
  type Service,
  type VerificationMethod,
} from "did-resolver";
import { DelegateTypes, EthrDID } from "ethr-did";
import { getResolver } from "ethr-did-resolver";
import { encodeBytes32String, id, toQuantity, Wallet, ZeroAddress } from "ethers";
import type { Provider as CommonJSProvider } from "ethers" with { "resolution-mode": "require" };
import { network } from "hardhat";

import type { DIDRegistry } from "../types/ethers-contracts/index.ts";
import type { ERC1056Registry } from "@realdid/testkit/erc1056";
import { deployRegistryPair } from "@realdid/testkit/interop";

const { ethers, networkHelpers } = await network.create();

/**
 * The provider both packages use. Hardhat's ethers provider is an ethers v6 `Provider`, which is all they need
 * (contract calls, `getLogs`, `getBlock`, and raw transactions from their own `Wallet`s). A `BrowserProvider` over the
 * connection's EIP-1193 provider works too, but it wraps the node's revert errors in `UNKNOWN_ERROR` and drops the
 * revert data that the unhappy paths below decode.
 */
const provider = ethers.provider;
const { chainId } = await provider.getNetwork();
/**
 * ethr-did-resolver ships CommonJS declarations, which name ethers' CommonJS `Provider`; TypeScript keeps that apart
 * from the ESM class (private fields), although at run time both are the same ethers 6.
 */
const resolverProvider = provider as unknown as CommonJSProvider;
/** Likewise did-jwt (inside ethr-did) declares `Resolvable` with its own, older did-resolver types. */
type JWTResolver = Parameters<EthrDID["verifyJWT"]>[1];

const HOUR = 3_600;
const DAY = 86_400;

/** Fixed keys, so both registries see exactly the same identities, owners and delegates. */
const key = (label: string): Wallet => new Wallet(id(`realdid.interop.${label}`), provider);
const identityKey = key("identity");
const ownerKey = key("owner");
const relayerKey = key("relayer");
const sigAuthDelegate = key("sig-auth-delegate");
const veriKeyDelegate = key("veri-key-delegate");
const deviceKey = key("device");

const identity = identityKey.address;
const DID = `did:ethr:${toQuantity(chainId)}:${identity}`;
const PUB_KEY = "did/pub/Secp256k1/veriKey/hex";
const DEVICE_PUBLIC_KEY = deviceKey.signingKey.publicKey;
const HUB = "did/svc/HubService";
const HUB_ENDPOINT = "https://hub.example.com";

const CONTEXT = [
  "https://www.w3.org/ns/did/v1",
  "https://w3id.org/security/suites/secp256k1recovery-2020/v2",
  "https://w3id.org/security/v3-unstable",
];

/** One registry with the resolver and ethr-did configuration that point at it. */
interface Side<R extends ERC1056Registry = ERC1056Registry> {
  registry: R;
  resolver: Resolver;
  /** ethr-did for the identity on this registry, sending its transactions with `txSigner`. */
  ethrDid(txSigner: Wallet): EthrDID;
}

interface Pair {
  ours: Side<DIDRegistry>;
  reference: Side;
}

async function sideOf<R extends ERC1056Registry>(registry: R): Promise<Side<R>> {
  const address = await registry.getAddress();
  return {
    registry,
    // Same chain id, different registry: each registry needs its own resolver.
    resolver: new Resolver(getResolver({ networks: [{ chainId, provider: resolverProvider, registry: address }] })),
    ethrDid: (txSigner) =>
      new EthrDID({ identifier: identity, txSigner, provider, chainNameOrId: chainId, registry: address }),
  };
}

async function deployPair(): Promise<Pair> {
  const { ours, reference } = await deployRegistryPair(ethers);
  for (const account of [identityKey, ownerKey, relayerKey])
    await networkHelpers.setBalance(account.address, 10n ** 20n);
  return { ours: await sideOf(ours), reference: await sideOf(reference) };
}

/** Runs `action` on our registry, then on the reference; never concurrently, since both use the same accounts. */
async function onBoth<T>(pair: Pair, action: (side: Side) => Promise<T>): Promise<[T, T]> {
  return [await action(pair.ours), await action(pair.reference)];
}

/**
 * Resolves the identity's DID as of the head block. ethr-did-resolver judges validity against the wall clock unless the DID URL
 * carries `?versionId=<block>`; then it uses that block's timestamp, which is what expiry after time travel needs.
 */
async function resolveAtHead(side: Side): Promise<DIDResolutionResult> {
  const result = await side.resolver.resolve(`${DID}?versionId=${await provider.getBlockNumber()}`);
  expect(result.didResolutionMetadata.error, result.didResolutionMetadata.message).to.equal(undefined);
  return result;
}

/**
 * Resolves the identity on both registries and asserts identical documents and deactivation, each versioned at its
 * own registry's last change; returns the document and whether it is deactivated.
 */
async function resolveSame(pair: Pair): Promise<{ document: DIDDocument; deactivated: boolean }> {
  const [ours, reference] = await onBoth(pair, resolveAtHead);
  expect(ours.didDocument).to.deep.equal(reference.didDocument);
  expect(ours.didDocumentMetadata.deactivated).to.equal(reference.didDocumentMetadata.deactivated);
  for (const [side, result] of [
    [pair.ours, ours],
    [pair.reference, reference],
  ] as const) {
    const changed = await side.registry.changed(identity);
    expect(result.didDocumentMetadata.versionId).to.equal(changed === 0n ? undefined : changed.toString());
  }
  return { document: ours.didDocument as DIDDocument, deactivated: ours.didDocumentMetadata.deactivated === true };
}

/** A verification method for an Ethereum account, as ethr-did-resolver writes it. */
function accountMethod(fragment: string, account: string): VerificationMethod {
  return {
    id: `${DID}#${fragment}`,
    type: "EcdsaSecp256k1RecoveryMethod2020",
    controller: DID,
    blockchainAccountId: `eip155:${chainId}:${account}`,
  };
}

interface Expected {
  controller?: string;
  verificationMethod?: VerificationMethod[];
  /** Fragments (after `#`) added to `#controller`. */
  authentication?: string[];
  assertionMethod?: string[];
  service?: Service[];
}

/** The document ethr-did-resolver builds for the identity with `expected` on top of the controller entries. */
function documentOf({
  controller = identity,
  verificationMethod = [],
  authentication = [],
  assertionMethod = [],
  service,
}: Expected = {}): DIDDocument {
  const refs = (fragments: string[]) => ["controller", ...fragments].map((fragment) => `${DID}#${fragment}`);
  return {
    "@context": CONTEXT,
    id: DID,
    verificationMethod: [accountMethod("controller", controller), ...verificationMethod],
    authentication: refs(authentication),
    assertionMethod: refs(assertionMethod),
    ...(service && { service }),
  };
}

const DEACTIVATED: DIDDocument = {
  "@context": CONTEXT,
  id: DID,
  verificationMethod: [],
  authentication: [],
  assertionMethod: [],
};

const hubService: Service = { id: `${DID}#service-1`, type: "HubService", serviceEndpoint: HUB_ENDPOINT };

/** ethr-did's meta-signature: the raw (unprefixed) signature of a hash from its `create*Hash` functions. */
function metaSign(signer: Wallet, hash: string): { sigV: number; sigR: string; sigS: string } {
  const { v, r, s } = signer.signingKey.sign(hash);
  return { sigV: v, sigR: r, sigS: s };
}

const asDelegateType = (type: DelegateTypes) => encodeBytes32String(type);

describe("ethr-did and ethr-did-resolver against DIDRegistry and the reference EthereumDIDRegistry", function () {
  let pair: Pair;

  beforeEach(async function () {
    pair = await networkHelpers.loadFixture(deployPair);
  });

  it("resolve an untouched identity to its default document", async function () {
    const { document, deactivated } = await resolveSame(pair);
    expect(document).to.deep.equal(documentOf());
    expect(deactivated).to.equal(false);
  });

  it("move the controller to a new owner, after which only the new owner can write", async function () {
    await onBoth(pair, (side) => side.ethrDid(identityKey).changeOwner(ownerKey.address));
    expect((await resolveSame(pair)).document).to.deep.equal(documentOf({ controller: ownerKey.address }));

    const addByFormerOwner = (side: Side) =>
      side.ethrDid(identityKey).addDelegate(veriKeyDelegate.address, { delegateType: DelegateTypes.veriKey });
    await expect(addByFormerOwner(pair.ours))
      .to.be.revertedWithCustomError(pair.ours.registry, "DIDRegistryUnauthorizedActor")
      .withArgs(identity, identity, ownerKey.address);
    await expect(addByFormerOwner(pair.reference)).to.be.revertedWith("bad_actor");

    await onBoth(pair, (side) =>
      side.ethrDid(ownerKey).addDelegate(veriKeyDelegate.address, { delegateType: DelegateTypes.veriKey }),
    );
    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({
        controller: ownerKey.address,
        verificationMethod: [accountMethod("delegate-1", veriKeyDelegate.address)],
        assertionMethod: ["delegate-1"],
      }),
    );
  });

  it("list sigAuth and veriKey delegates as verification methods, sigAuth also for authentication", async function () {
    await onBoth(pair, async (side) => {
      const did = side.ethrDid(identityKey);
      await did.addDelegate(sigAuthDelegate.address, { delegateType: DelegateTypes.sigAuth, expiresIn: DAY });
      await did.addDelegate(veriKeyDelegate.address, { delegateType: DelegateTypes.veriKey, expiresIn: DAY });
    });

    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({
        verificationMethod: [
          accountMethod("delegate-1", sigAuthDelegate.address),
          accountMethod("delegate-2", veriKeyDelegate.address),
        ],
        authentication: ["delegate-1"],
        assertionMethod: ["delegate-1", "delegate-2"],
      }),
    );
    for (const side of [pair.ours, pair.reference]) {
      const valid = (type: DelegateTypes, delegate: Wallet) =>
        side.registry.validDelegate(identity, asDelegateType(type), delegate.address);
      expect(await valid(DelegateTypes.sigAuth, sigAuthDelegate)).to.equal(true);
      expect(await valid(DelegateTypes.veriKey, veriKeyDelegate)).to.equal(true);
      expect(await valid(DelegateTypes.sigAuth, veriKeyDelegate)).to.equal(false);
    }
  });

  it("verify a JWT signed by a sigAuth delegate's key once the delegate is added", async function () {
    // A signer-only ethr-did (no provider): the delegate's key signs as the identity's DID.
    const delegateSigner = new EthrDID({
      identifier: identity,
      privateKey: sigAuthDelegate.privateKey,
      chainNameOrId: chainId,
    });
    expect(delegateSigner.did).to.equal(DID);
    const jwt = await delegateSigner.signJWT({ claim: "real-name verified" });

    for (const side of [pair.ours, pair.reference]) {
      const rejection = await delegateSigner.verifyJWT(jwt, side.resolver as JWTResolver).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(rejection)
        .to.be.instanceOf(Error)
        .with.property("message")
        .that.matches(/invalid_signature/);

      await side.ethrDid(identityKey).addDelegate(sigAuthDelegate.address, { delegateType: DelegateTypes.sigAuth });
      const verified = await delegateSigner.verifyJWT(jwt, side.resolver as JWTResolver);
      expect(verified.issuer).to.equal(DID);
      expect(verified.payload.claim).to.equal("real-name verified");
      expect(verified.signer.id).to.equal(`${DID}#delegate-1`);
    }
  });

  it("publish did/pub and did/svc attributes as a verification method and a service", async function () {
    await onBoth(pair, async (side) => {
      const did = side.ethrDid(identityKey);
      await did.setAttribute(PUB_KEY, DEVICE_PUBLIC_KEY, DAY);
      await did.setAttribute(HUB, HUB_ENDPOINT, DAY);
    });

    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({
        verificationMethod: [
          {
            id: `${DID}#delegate-1`,
            type: "EcdsaSecp256k1VerificationKey2019",
            controller: DID,
            publicKeyHex: DEVICE_PUBLIC_KEY.slice(2),
          },
        ],
        assertionMethod: ["delegate-1"],
        service: [hubService],
      }),
    );
  });

  it("drop delegates and attributes whose validity has passed at chain time", async function () {
    const shortLived = veriKeyDelegate.address;
    const longLived = sigAuthDelegate.address;
    await onBoth(pair, async (side) => {
      const did = side.ethrDid(identityKey);
      await did.addDelegate(shortLived, { delegateType: DelegateTypes.veriKey, expiresIn: HOUR });
      await did.addDelegate(longLived, { delegateType: DelegateTypes.veriKey, expiresIn: DAY });
      await did.setAttribute(HUB, HUB_ENDPOINT, HOUR);
    });
    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({
        verificationMethod: [accountMethod("delegate-1", shortLived), accountMethod("delegate-2", longLived)],
        assertionMethod: ["delegate-1", "delegate-2"],
        service: [hubService],
      }),
    );

    await networkHelpers.time.increase(HOUR + 1);

    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({ verificationMethod: [accountMethod("delegate-2", longLived)], assertionMethod: ["delegate-2"] }),
    );
    for (const side of [pair.ours, pair.reference]) {
      const veriKey = asDelegateType(DelegateTypes.veriKey);
      expect(await side.registry.validDelegate(identity, veriKey, shortLived)).to.equal(false);
      expect(await side.registry.validDelegate(identity, veriKey, longLived)).to.equal(true);
      // Without a versionId the resolver compares with the wall clock, which has not moved an hour: still listed.
      const wallClock = await side.resolver.resolve(DID);
      expect(wallClock.didDocument?.verificationMethod).to.deep.include(accountMethod("delegate-1", shortLived));
    }
  });

  it("remove revoked delegates and attributes", async function () {
    await onBoth(pair, async (side) => {
      const did = side.ethrDid(identityKey);
      await did.addDelegate(sigAuthDelegate.address, { delegateType: DelegateTypes.sigAuth, expiresIn: DAY });
      await did.setAttribute(PUB_KEY, DEVICE_PUBLIC_KEY, DAY);
      await did.setAttribute(HUB, HUB_ENDPOINT, DAY);
    });
    expect((await resolveSame(pair)).document.verificationMethod).to.have.length(3);

    await onBoth(pair, async (side) => {
      const did = side.ethrDid(identityKey);
      await did.revokeDelegate(sigAuthDelegate.address, DelegateTypes.sigAuth);
      await did.revokeAttribute(PUB_KEY, DEVICE_PUBLIC_KEY);
      await did.revokeAttribute(HUB, HUB_ENDPOINT);
    });
    expect((await resolveSame(pair)).document).to.deep.equal(documentOf());
    for (const side of [pair.ours, pair.reference]) {
      const sigAuth = asDelegateType(DelegateTypes.sigAuth);
      expect(await side.registry.validDelegate(identity, sigAuth, sigAuthDelegate.address)).to.equal(false);
    }
  });

  it("deactivate the DID when the owner changes to the zero address", async function () {
    await onBoth(pair, async (side) => {
      const did = side.ethrDid(identityKey);
      await did.addDelegate(sigAuthDelegate.address, { delegateType: DelegateTypes.sigAuth, expiresIn: DAY });
      await did.changeOwner(ZeroAddress);
    });

    const { document, deactivated } = await resolveSame(pair);
    expect(deactivated).to.equal(true);
    expect(document).to.deep.equal(DEACTIVATED);
  });

  it("keep deactivation final in DIDRegistry, while the reference lets the identity key write again", async function () {
    await onBoth(pair, (side) => side.ethrDid(identityKey).changeOwner(ZeroAddress));
    const addDelegate = (side: Side) =>
      side.ethrDid(identityKey).addDelegate(sigAuthDelegate.address, { delegateType: DelegateTypes.sigAuth });
    const sigAuth = asDelegateType(DelegateTypes.sigAuth);

    // Ours: no owner any more, and every ethr-did write reverts.
    const ours = pair.ours;
    expect(await ours.registry.identityOwner(identity)).to.equal(ZeroAddress);
    const writes = [
      () => addDelegate(ours),
      () => ours.ethrDid(identityKey).setAttribute(HUB, HUB_ENDPOINT),
      () => ours.ethrDid(identityKey).changeOwner(identity),
    ];
    for (const write of writes) {
      await expect(write())
        .to.be.revertedWithCustomError(ours.registry, "DIDRegistryIdentityDeactivated")
        .withArgs(identity);
    }
    expect(await ours.registry.validDelegate(identity, sigAuth, sigAuthDelegate.address)).to.equal(false);
    expect((await resolveAtHead(ours)).didDocumentMetadata.deactivated).to.equal(true);

    // Reference: the identity key owns the identity again and its new delegate is valid on chain, although
    // resolvers still report the DID deactivated; a relying party asking the contract and one resolving the
    // document would disagree. This is why deactivation is final in DIDRegistry.
    const reference = pair.reference;
    expect(await reference.registry.identityOwner(identity)).to.equal(identity);
    await addDelegate(reference);
    expect(await reference.registry.validDelegate(identity, sigAuth, sigAuthDelegate.address)).to.equal(true);
    const resolved = await resolveAtHead(reference);
    expect(resolved.didDocumentMetadata.deactivated).to.equal(true);
    expect(resolved.didDocument).to.deep.equal(DEACTIVATED);
  });

  it("resolve a completed lost-key recovery in DIDRegistry as the reference resolves the same owner change", async function () {
    // Ours: the identity designates a guardian, which recovers it to the new owner after the delay. The recovery
    // events share the completing block with DIDOwnerChanged; the resolver must skip them.
    const ours = pair.ours.registry;
    const guardian = relayerKey;
    await (await ours.connect(identityKey).setRecovery(identity, guardian, DAY)).wait();
    await (await ours.connect(guardian).startRecovery(identity, ownerKey)).wait();
    expect((await resolveAtHead(pair.ours)).didDocument).to.deep.equal(documentOf());
    await networkHelpers.time.increase(DAY);
    await (await ours.connect(guardian).completeRecovery(identity)).wait();
    // Reference: the same owner change, made by the identity's key.
    await pair.reference.ethrDid(identityKey).changeOwner(ownerKey.address);

    expect((await resolveSame(pair)).document).to.deep.equal(documentOf({ controller: ownerKey.address }));
    await onBoth(pair, (side) =>
      side.ethrDid(ownerKey).addDelegate(veriKeyDelegate.address, { delegateType: DelegateTypes.veriKey }),
    );
    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({
        controller: ownerKey.address,
        verificationMethod: [accountMethod("delegate-1", veriKeyDelegate.address)],
        assertionMethod: ["delegate-1"],
      }),
    );
  });

  it("accept writes signed over ethr-did's hashes and relayed by another account", async function () {
    const relayed: string[] = [];
    await onBoth(pair, async (side) => {
      const relay = side.ethrDid(relayerKey);
      const { sigAuth, veriKey } = DelegateTypes;
      relayed.push(
        await relay.setAttributeSigned(
          HUB,
          HUB_ENDPOINT,
          DAY,
          metaSign(identityKey, await relay.createSetAttributeHash(HUB, HUB_ENDPOINT, DAY)),
        ),
        await relay.setAttributeSigned(
          PUB_KEY,
          DEVICE_PUBLIC_KEY,
          DAY,
          metaSign(identityKey, await relay.createSetAttributeHash(PUB_KEY, DEVICE_PUBLIC_KEY, DAY)),
        ),
        await relay.revokeAttributeSigned(
          PUB_KEY,
          DEVICE_PUBLIC_KEY,
          metaSign(identityKey, await relay.createRevokeAttributeHash(PUB_KEY, DEVICE_PUBLIC_KEY)),
        ),
        await relay.addDelegateSigned(
          sigAuthDelegate.address,
          metaSign(identityKey, await relay.createAddDelegateHash(sigAuth, sigAuthDelegate.address, DAY)),
          { delegateType: sigAuth, expiresIn: DAY },
        ),
        await relay.addDelegateSigned(
          veriKeyDelegate.address,
          metaSign(identityKey, await relay.createAddDelegateHash(veriKey, veriKeyDelegate.address, DAY)),
          { delegateType: veriKey, expiresIn: DAY },
        ),
        await relay.revokeDelegateSigned(
          veriKeyDelegate.address,
          veriKey,
          metaSign(identityKey, await relay.createRevokeDelegateHash(veriKey, veriKeyDelegate.address)),
        ),
        await relay.changeOwnerSigned(
          ownerKey.address,
          metaSign(identityKey, await relay.createChangeOwnerHash(ownerKey.address)),
        ),
        // From here on the new owner signs, over its own nonce.
        await relay.addDelegateSigned(
          veriKeyDelegate.address,
          metaSign(ownerKey, await relay.createAddDelegateHash(veriKey, veriKeyDelegate.address, DAY)),
          { delegateType: veriKey, expiresIn: DAY },
        ),
      );
    });

    // The resolver numbers every key event, revocations included: the sigAuth delegate is the 3rd, the re-added
    // veriKey delegate the 6th.
    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({
        controller: ownerKey.address,
        verificationMethod: [
          accountMethod("delegate-3", sigAuthDelegate.address),
          accountMethod("delegate-6", veriKeyDelegate.address),
        ],
        authentication: ["delegate-3"],
        assertionMethod: ["delegate-3", "delegate-6"],
        service: [hubService],
      }),
    );
    expect(relayed).to.have.length(16);
    for (const hash of relayed) expect((await provider.getTransaction(hash))?.from).to.equal(relayerKey.address);
    for (const side of [pair.ours, pair.reference]) {
      expect(await side.registry.nonce(identity)).to.equal(7n);
      expect(await side.registry.nonce(ownerKey.address)).to.equal(1n);
    }
  });

  it("reject a relayed signature whose nonce was already used", async function () {
    const { veriKey } = DelegateTypes;
    const replay = async (side: Side) => {
      const relay = side.ethrDid(relayerKey);
      const hash = await relay.createAddDelegateHash(veriKey, veriKeyDelegate.address, DAY);
      const signature = metaSign(identityKey, hash);
      const options = { delegateType: veriKey, expiresIn: DAY };
      await relay.addDelegateSigned(veriKeyDelegate.address, signature, options);
      await relay.addDelegateSigned(veriKeyDelegate.address, signature, options);
    };
    await expect(replay(pair.ours)).to.be.revertedWithCustomError(pair.ours.registry, "DIDRegistryUnauthorizedActor");
    await expect(replay(pair.reference)).to.be.revertedWith("bad_signature");
    expect((await resolveSame(pair)).document).to.deep.equal(
      documentOf({
        verificationMethod: [accountMethod("delegate-1", veriKeyDelegate.address)],
        assertionMethod: ["delegate-1"],
      }),
    );
    for (const side of [pair.ours, pair.reference]) expect(await side.registry.nonce(identity)).to.equal(1n);
  });
});
