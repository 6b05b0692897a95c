/**
 * DID documents from the subgraph equal ethr-did-resolver's from the chain: identities with rich histories
 * (owner changes, delegates renewed, expired and revoked, public keys of every encoding, services, malformed and
 * non-UTF-8 names, several changes in one block, deactivation, a lost-key recovery) resolved at every version and
 * at the latest block, through the in-process GraphQL executor and over HTTP. The latest document comes from the
 * identity's state alone where that is exact, from its history otherwise: which one is checked query by query.
 */
import { expect } from "chai";
import { Resolver, type DIDResolutionResult } from "did-resolver";
import { getResolver } from "ethr-did-resolver";
import {
  encodeBase64,
  encodeBytes32String,
  hexlify,
  id,
  toQuantity,
  toUtf8Bytes,
  Wallet,
  ZeroAddress,
  type ContractTransactionResponse,
  type Provider as EsmProvider,
} from "ethers";
import type { Provider as CommonJSProvider } from "ethers" with { "resolution-mode": "require" };

import { createGraphQLServer, executeQuery } from "../../indexer/src/graphql/index.ts";
import {
  getSubgraphResolver,
  httpGraphQL,
  IDENTITY_HISTORY_QUERY,
  IDENTITY_STATE_QUERY,
  type GraphQLFetch,
} from "../../sdk/src/index.ts";
import { SIG_AUTH, VERI_KEY } from "@realdid/testkit/trust";
import { deployRealDID, startIndexer, type IndexedSubgraph, type RealDIDChain } from "@realdid/testkit/subgraph";

const HOUR = 3_600;
const DAY = 86_400;
const GAS = { gasLimit: 1_000_000 };

const key = (label: string): Wallet => new Wallet(id(`realdid.subgraph.did-document.${label}`));
const bytes32 = (text: string): string => encodeBytes32String(text);
const utf8 = (text: string): string => hexlify(toUtf8Bytes(text));

describe("DID documents from the subgraph equal ethr-did-resolver's", function () {
  this.timeout(180_000);
  let chain: RealDIDChain;
  let subgraph: IndexedSubgraph;
  let onChain: Resolver;
  let fromSubgraph: Resolver;
  let chainPrefix: string;
  /** Blocks of the scenario: every version of every identity plus blocks in between. */
  const blocks: number[] = [];
  let sameBlockNumber = 0;
  /** Unix time by which the short grants of `reissued` and `renewed` have expired. */
  let shortGrantsEnd = 0;
  /** Block of the latest change of `fresh`. */
  let freshVersion = 0;
  const identities: Record<string, Wallet> = {};
  /** The GraphQL queries `fromSubgraph` sent, in order. */
  const sentQueries: string[] = [];

  /** Blocks and timestamps from the chain, for versions in which an identity did not change. */
  const blockTimestamp = async (blockNumber: number): Promise<bigint> =>
    BigInt((await chain.ethers.provider.getBlock(blockNumber))!.timestamp);

  async function mined(sent: Promise<ContractTransactionResponse>): Promise<number> {
    const receipt = await (await sent).wait();
    if (receipt === null || receipt.status !== 1) throw new Error("transaction failed");
    blocks.push(receipt.blockNumber);
    return receipt.blockNumber;
  }

  before(async () => {
    chain = await deployRealDID();
    const { ethers, networkHelpers, didRegistry } = chain;
    const { time } = networkHelpers;
    const provider = ethers.provider;
    const names = [
      ...["rich", "moved", "newOwner", "gone", "byKey", "untouched", "fresh", "reissued", "renewed", "lapsed"],
      "recovered",
    ];
    for (const name of [...names, "oddName", "ignoredLast", "d1", "d2", "d3"]) {
      identities[name] = key(name).connect(provider);
      await networkHelpers.setBalance(identities[name].address, 10n ** 20n);
    }
    const { rich, moved, newOwner, gone, byKey, fresh, reissued, renewed, lapsed, oddName, d1, d2, d3 } = identities;
    const { recovered, ignoredLast } = identities;
    const as = (wallet: Wallet) => didRegistry.connect(wallet);

    // Short grants, at set block times so that they expire by the wall clock before the latest documents are
    // resolved. reissued: a key granted for 2 s, then again for a day while the first grant still held.
    // renewed: a key granted for a day, then another key, then the first for 2 s and twice for a day while the
    // 2 s grant still held, so the first key's place depends on a change in the middle of its history.
    const start = (await time.latest()) + 1;
    const at = async (offset: number, sent: () => Promise<ContractTransactionResponse>) => {
      await time.setNextBlockTimestamp(start + offset);
      await mined(sent());
    };
    await at(0, () => as(reissued).addDelegate(reissued, VERI_KEY, d1, 2, GAS));
    await at(1, () => as(reissued).addDelegate(reissued, VERI_KEY, d1, DAY, GAS));
    await at(2, () => as(renewed).addDelegate(renewed, VERI_KEY, d1, DAY, GAS));
    await at(3, () => as(renewed).addDelegate(renewed, VERI_KEY, d2, DAY, GAS));
    await at(4, () => as(renewed).addDelegate(renewed, VERI_KEY, d1, 2, GAS));
    await at(5, () => as(renewed).addDelegate(renewed, VERI_KEY, d1, DAY, GAS));
    await at(6, () => as(renewed).addDelegate(renewed, VERI_KEY, d1, DAY, GAS));
    shortGrantsEnd = start + 6;

    // recovered: its guardian d3 recovers it to newOwner once the delay has passed; the recovery events share the
    // owner change's block. After the short grants, whose end the wall clock must reach.
    await mined(as(recovered).addDelegate(recovered, VERI_KEY, d1, 10 * DAY, GAS));
    await mined(as(recovered).setRecovery(recovered, d3, DAY, GAS));
    await mined(as(d3).startRecovery(recovered, newOwner, GAS));
    await time.increase(DAY);
    await mined(as(d2).completeRecovery(recovered, GAS));
    await mined(as(newOwner).addDelegate(recovered, SIG_AUTH, d2, 10 * DAY, GAS));

    // rich: keys and services of every kind, renewed, revoked, expired, malformed, non-UTF-8.
    await mined(as(rich).addDelegate(rich, VERI_KEY, d1, DAY, GAS));
    await mined(as(rich).addDelegate(rich, SIG_AUTH, d2, HOUR, GAS));
    await mined(
      as(rich).setAttribute(rich, bytes32("did/pub/Secp256k1/veriKey/hex"), d3.signingKey.publicKey, DAY, GAS),
    );
    await mined(as(rich).setAttribute(rich, bytes32("did/pub/Ed25519/veriKey/base64"), id("ed25519"), DAY, GAS));
    await mined(as(rich).setAttribute(rich, bytes32("did/pub/X25519/enc/base58"), id("x25519"), DAY, GAS));
    await mined(as(rich).setAttribute(rich, bytes32("did/pub/RSA/sigAuth/pem"), utf8("-----BEGIN KEY-----"), DAY, GAS));
    await mined(as(rich).setAttribute(rich, bytes32("did/svc/HubService"), utf8("https://hub.example"), DAY, GAS));
    const messaging = utf8(JSON.stringify({ uri: "https://msg.example", accept: ["didcomm/v2"] }));
    await mined(as(rich).setAttribute(rich, bytes32("did/svc/Messaging"), messaging, DAY, GAS));
    await mined(as(rich).setAttribute(rich, bytes32("did/pub/Secp256k1/veriKey/hex/x"), "0x01", DAY, GAS));
    await mined(as(rich).setAttribute(rich, bytes32("profile"), utf8(encodeBase64(id("p"))), DAY, GAS));
    await mined(as(rich).addDelegate(rich, `0xff${"00".repeat(31)}`, d3, DAY, GAS));
    await mined(as(rich).revokeDelegate(rich, VERI_KEY, d1, GAS));
    await mined(as(rich).revokeAttribute(rich, bytes32("did/svc/HubService"), utf8("https://hub.example"), GAS));
    // Several changes in one block, in the order they were sent.
    await networkHelpers.mine(1);
    await provider.send("evm_setAutomine", [false]);
    const sameBlock = [
      await as(rich).addDelegate(rich, VERI_KEY, d1, DAY, GAS),
      await as(rich).setAttribute(rich, bytes32("did/svc/HubService"), utf8("https://hub2.example"), DAY, GAS),
      await as(rich).addDelegate(rich, SIG_AUTH, d3, DAY, GAS),
    ];
    await provider.send("evm_mine", []);
    await provider.send("evm_setAutomine", [true]);
    for (const tx of sameBlock) sameBlockNumber = await mined(Promise.resolve(tx as ContractTransactionResponse));
    // The sigAuth delegate d2 expires; d1's renewal then outlives its first grant.
    await networkHelpers.time.increase(2 * HOUR);
    await mined(as(rich).addDelegate(rich, VERI_KEY, d2, DAY, GAS));
    await networkHelpers.time.increase(DAY);
    await mined(as(rich).setAttribute(rich, bytes32("did/svc/Late"), utf8("https://late.example"), DAY, GAS));

    // moved: a new owner, who then adds a delegate.
    await mined(as(moved).addDelegate(moved, VERI_KEY, d1, DAY, GAS));
    await mined(as(moved).changeOwner(moved, newOwner, GAS));
    await mined(as(newOwner).addDelegate(moved, SIG_AUTH, d2, DAY, GAS));

    // gone: deactivated after a key and a service.
    await mined(as(gone).addDelegate(gone, VERI_KEY, d1, DAY, GAS));
    await mined(as(gone).setAttribute(gone, bytes32("did/svc/HubService"), utf8("https://gone.example"), DAY, GAS));
    await mined(as(gone).changeOwner(gone, ZeroAddress, GAS));

    // byKey: resolved through its public key (controllerKey), until its owner changes.
    await mined(as(byKey).addDelegate(byKey, VERI_KEY, d1, DAY, GAS));
    await mined(as(byKey).changeOwner(byKey, newOwner, GAS));

    // fresh: keys of every encoding and services, renewed in place, a service revoked and set again, two
    // key-agreement keys, keys counted but not shown: a document the identity's state rebuilds exactly.
    const pub = (name: string, value: string) => mined(as(fresh).setAttribute(fresh, bytes32(name), value, DAY, GAS));
    await mined(as(fresh).addDelegate(fresh, VERI_KEY, d1, DAY, GAS));
    await pub("did/pub/X25519/enc/base58", id("x25519-a"));
    await pub("did/pub/X25519/enc/base64", id("x25519-b"));
    await pub("did/pub/Ed25519/veriKey/base64", id("ed25519"));
    await pub("did/pub/Secp256k1/sigAuth/hex", d3.signingKey.publicKey);
    await pub("did/pub/RSA/veriKey/pem", utf8("-----BEGIN PUBLIC KEY-----"));
    await pub("did/pub/RSA/veriKey/pem", "0xfffe");
    await pub("did/pub/Ed25519/veriKey/raw", id("raw"));
    await mined(as(fresh).addDelegate(fresh, SIG_AUTH, d2, DAY, GAS));
    await mined(as(fresh).addDelegate(fresh, bytes32("other"), d3, DAY, GAS));
    await mined(as(fresh).addDelegate(fresh, `0xff${"00".repeat(31)}`, d3, DAY, GAS));
    await pub("did/svc/HubService", utf8("https://hub.example"));
    await pub("did/svc/Messaging", messaging);
    await mined(as(fresh).revokeAttribute(fresh, bytes32("did/svc/HubService"), utf8("https://hub.example"), GAS));
    await pub("did/svc/HubService", utf8("https://hub.example"));
    await pub("did/svc/Messaging", messaging);
    await pub("did/pub/X25519/enc/base58", id("x25519-a"));
    await mined(as(fresh).addDelegate(fresh, VERI_KEY, d1, DAY, GAS));
    freshVersion = await pub("profile", utf8("not a DID attribute"));

    // lapsed: a key-agreement key revoked; ethr-did-resolver keeps its reference in keyAgreement.
    await mined(as(lapsed).setAttribute(lapsed, bytes32("did/pub/X25519/enc/hex"), id("x25519"), DAY, GAS));
    await mined(as(lapsed).revokeAttribute(lapsed, bytes32("did/pub/X25519/enc/hex"), id("x25519"), GAS));

    // oddName: a did/svc/ name outside ethr-did-resolver's pattern, valid, so not counted, before a service.
    await mined(as(oddName).addDelegate(oddName, VERI_KEY, d1, DAY, GAS));
    await mined(as(oddName).setAttribute(oddName, bytes32("did/svc/Bad-Name"), utf8("x"), DAY, GAS));
    await mined(
      as(oddName).setAttribute(oddName, bytes32("did/svc/HubService"), utf8("https://hub.example"), DAY, GAS),
    );

    // ignoredLast: its latest change has a delegate type that is not UTF-8, which ethr-did-resolver ignores.
    await mined(as(ignoredLast).addDelegate(ignoredLast, VERI_KEY, d1, DAY, GAS));
    await mined(as(ignoredLast).addDelegate(ignoredLast, `0xff${"00".repeat(31)}`, d2, DAY, GAS));

    await networkHelpers.mine(2);
    blocks.push(await provider.getBlockNumber());

    subgraph = await startIndexer(chain);
    await subgraph.sync();

    const { chainId } = await provider.getNetwork();
    chainPrefix = `did:ethr:${toQuantity(chainId)}`;
    const registry = await didRegistry.getAddress();
    onChain = new Resolver(
      getResolver({
        networks: [
          { name: "dev", chainId, registry, provider: provider as EsmProvider as unknown as CommonJSProvider },
        ],
      }),
    );
    const query: GraphQLFetch = (request) => {
      sentQueries.push(request.query);
      return executeQuery(subgraph.executor, request);
    };
    fromSubgraph = new Resolver(getSubgraphResolver({ networks: [{ name: "dev", chainId, query, blockTimestamp }] }));
  });

  after(async () => {
    await subgraph?.close();
  });

  /** Resolves `did` with both resolvers and expects identical answers; returns the answer. */
  async function expectSameResolution(did: string, options = {}): Promise<DIDResolutionResult> {
    const expected = await onChain.resolve(did, options);
    const actual = await fromSubgraph.resolve(did, options);
    expect(actual, did).to.deep.equal(expected);
    return actual;
  }

  const didOf = (name: string) => `${chainPrefix}:${identities[name].address}`;

  it("for an identity with keys, services, renewals, revocations, expiries and same-block changes, at every block", async () => {
    const versions = new Set<string>();
    for (const block of blocks) {
      const result = await expectSameResolution(`${didOf("rich")}?versionId=${block}`);
      expect(result.didResolutionMetadata.error).to.equal(undefined);
      versions.add(JSON.stringify(result.didDocument));
    }
    // The history really changes the document, version after version.
    expect(versions.size).to.be.greaterThan(10);
    const atSameBlock = await expectSameResolution(`${didOf("rich")}?versionId=${sameBlockNumber}`);
    const document = atSameBlock.didDocument!;
    const fragment = (ref: string | { id: string }) => (typeof ref === "string" ? ref : ref.id).split("#")[1];
    // Numbered by event order, revocations and ignored names included (the non-UTF-8 delegate type and the
    // malformed did/pub/ name, valid at the time, are not counted); d1's veriKey was revoked then re-added last.
    expect(document.verificationMethod!.map(fragment)).to.deep.equal([
      "controller",
      "delegate-2",
      "delegate-3",
      "delegate-4",
      "delegate-5",
      "delegate-6",
      "delegate-8",
      "delegate-9",
    ]);
    expect(document.authentication!.map(fragment)).to.deep.equal([
      "controller",
      "delegate-2",
      "delegate-6",
      "delegate-9",
    ]);
    expect(document.keyAgreement!.map(fragment)).to.deep.equal(["delegate-5"]);
    expect(document.service!.map((service) => [fragment(service.id), service.serviceEndpoint])).to.deep.equal([
      ["service-2", { uri: "https://msg.example", accept: ["didcomm/v2"] }],
      ["service-4", "https://hub2.example"],
    ]);
    expect(atSameBlock.didDocumentMetadata.versionId).to.equal(String(sameBlockNumber));
  });

  it("for identities with a new owner, a deactivation, a public-key DID and no history, at every block", async () => {
    const publicKeyDid = `${chainPrefix}:${identities.byKey.signingKey.compressedPublicKey}`;
    const dids = [
      didOf("moved"),
      didOf("gone"),
      didOf("untouched"),
      publicKeyDid,
      `did:ethr:dev:${identities.moved.address}`,
    ];
    for (const did of dids) {
      for (const block of blocks) await expectSameResolution(`${did}?versionId=${block}`);
    }
    const gone = await expectSameResolution(didOf("gone"));
    expect(gone.didDocumentMetadata.deactivated).to.equal(true);
    const moved = await expectSameResolution(didOf("moved"));
    expect(moved.didDocument!.verificationMethod![0].blockchainAccountId).to.equal(
      `eip155:31337:${identities.newOwner.address}`,
    );
    const untouched = await expectSameResolution(didOf("untouched"));
    expect(untouched.didDocumentMetadata).to.deep.equal({});
  });

  it("for a DID recovered by its guardian: the new owner is the controller from the completing block on", async () => {
    for (const block of blocks) await expectSameResolution(`${didOf("recovered")}?versionId=${block}`);
    const recovered = await expectSameResolution(didOf("recovered"));
    expect(recovered.didDocument!.verificationMethod![0].blockchainAccountId).to.equal(
      `eip155:31337:${identities.newOwner.address}`,
    );
  });

  it("at the latest block from the identity's state, or from its history where the state is not exact", async () => {
    // Both resolvers judge validity by the wall clock: wait until the short grants have expired by it.
    const wait = shortGrantsEnd + 1 - Date.now() / 1000;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    const publicKeyDid = (name: string) => `${chainPrefix}:${identities[name].signingKey.compressedPublicKey}`;
    const fromState = [IDENTITY_STATE_QUERY];
    const fromHistory = [IDENTITY_STATE_QUERY, IDENTITY_HISTORY_QUERY];
    const cases: [string, string[]][] = [
      [didOf("fresh"), fromState],
      [publicKeyDid("fresh"), fromState],
      [didOf("reissued"), fromState],
      [didOf("moved"), fromState],
      [didOf("gone"), fromState],
      [didOf("untouched"), fromState],
      [publicKeyDid("byKey"), fromState],
      // A malformed name still valid: counters the state cannot correct.
      [didOf("rich"), fromHistory],
      [didOf("oddName"), fromHistory],
      // A key whose place depends on a grant in the middle of its history that has expired since.
      [didOf("renewed"), fromHistory],
      // A revoked key-agreement key ethr-did-resolver still lists.
      [didOf("lapsed"), fromHistory],
      // A latest change ethr-did-resolver ignores: the version is an earlier change's.
      [didOf("ignoredLast"), fromHistory],
    ];
    const latest: Record<string, DIDResolutionResult> = {};
    for (const [did, queries] of cases) {
      sentQueries.length = 0;
      latest[did] = await expectSameResolution(did);
      expect(sentQueries, did).to.deep.equal(queries);
    }

    // The state's document really is the rich one: keys out of number order, in the order they were
    // (re)inserted, the controller key of a public-key DID, metadata of the latest change.
    const fragments = (refs: (string | { id: string })[]) =>
      refs.map((ref) => (typeof ref === "string" ? ref : ref.id).split("#")[1]);
    const fresh = latest[didOf("fresh")];
    expect(fragments(fresh.didDocument!.verificationMethod!)).to.deep.equal([
      "controller",
      "delegate-12",
      "delegate-11",
      "delegate-3",
      "delegate-4",
      "delegate-5",
      "delegate-6",
      "delegate-8",
      "delegate-9",
    ]);
    expect(fragments(fresh.didDocument!.keyAgreement!)).to.deep.equal(["delegate-11", "delegate-3"]);
    expect(fragments(fresh.didDocument!.service!)).to.deep.equal(["service-5", "service-4"]);
    expect(fresh.didDocumentMetadata.versionId).to.equal(String(freshVersion));
    expect(fragments(latest[publicKeyDid("fresh")].didDocument!.verificationMethod!).slice(0, 2)).to.deep.equal([
      "controller",
      "controllerKey",
    ]);
    // reissued's key sits at its second grant; renewed's first key after its second key, at its grant after the
    // expired one.
    expect(fragments(latest[didOf("reissued")].didDocument!.verificationMethod!)).to.deep.equal([
      "controller",
      "delegate-2",
    ]);
    expect(fragments(latest[didOf("renewed")].didDocument!.verificationMethod!)).to.deep.equal([
      "controller",
      "delegate-2",
      "delegate-5",
    ]);
    expect(latest[didOf("gone")].didDocumentMetadata.deactivated).to.equal(true);
    expect(latest[didOf("untouched")].didDocumentMetadata).to.deep.equal({});
    // The malformed name is not counted while valid: the service is the first.
    expect(fragments(latest[didOf("oddName")].didDocument!.service!)).to.deep.equal(["service-1"]);
    const lapsed = latest[didOf("lapsed")].didDocument!;
    expect(fragments(lapsed.verificationMethod!)).to.deep.equal(["controller"]);
    expect(fragments(lapsed.keyAgreement!)).to.deep.equal(["delegate-1"]);
  });

  it("with the blockTag option, the plain JSON format and the resolver's errors", async () => {
    const middle = blocks[Math.floor(blocks.length / 2)];
    await expectSameResolution(didOf("rich"), { blockTag: middle });
    await expectSameResolution(didOf("rich"), { accept: "application/did+json" });
    const unsupported = await expectSameResolution(didOf("rich"), { accept: "text/plain" });
    expect(unsupported.didResolutionMetadata.error).to.equal("unsupportedFormat");
    const unknown = await expectSameResolution(`did:ethr:0x1234:${identities.rich.address}`);
    expect(unknown.didResolutionMetadata.error).to.equal("unknownNetwork");
    const invalid = await expectSameResolution("did:ethr:dev:0x1234");
    expect(invalid.didResolutionMetadata.error).to.equal("invalidDid");
  });

  it("over HTTP from the local GraphQL server, with one request per resolution", async () => {
    const server = await createGraphQLServer({
      store: subgraph.store,
      subgraphName: subgraph.subgraphName,
      host: "127.0.0.1",
      port: 0,
    });
    try {
      let requests = 0;
      const counted: typeof fetch = (input, init) => {
        requests += 1;
        return fetch(input, init);
      };
      const { chainId } = await chain.ethers.provider.getNetwork();
      const overHttp = new Resolver(
        getSubgraphResolver({ networks: [{ chainId, query: httpGraphQL(server.url, counted), blockTimestamp }] }),
      );
      for (const did of [`${didOf("rich")}?versionId=${blocks[blocks.length - 1]}`, didOf("fresh")]) {
        requests = 0;
        const expected = await onChain.resolve(did);
        expect(await overHttp.resolve(did), did).to.deep.equal(expected);
        expect(requests, did).to.equal(1);
      }
    } finally {
      await server.close();
    }
  });

  it("reports a version whose block time it cannot know as not found", async () => {
    const { chainId } = await chain.ethers.provider.getNetwork();
    const query: GraphQLFetch = (request) => executeQuery(subgraph.executor, request);
    const withoutChain = new Resolver(getSubgraphResolver({ networks: [{ chainId, query }] }));
    const quiet = blocks[blocks.length - 1];
    const result = await withoutChain.resolve(`${didOf("rich")}?versionId=${quiet}`);
    expect(result.didDocument).to.equal(null);
    expect(result.didResolutionMetadata).to.deep.equal({
      error: "notFound",
      message: `timestamp of block ${quiet} unknown: configure blockTimestamp for ${toQuantity(chainId)}`,
    });
  });
});
