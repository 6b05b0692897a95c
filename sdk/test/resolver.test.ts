/**
 * The SDK resolver equals ethr-did-resolver: property-based over random histories (owner changes, delegates of
 * both types with expiries, public keys in every did:ethr encoding, services, revocations, deactivation) resolved
 * at the latest block and at random blocks (`?versionId=` and the `blockTag` option) through the GraphQL path (the
 * local indexer) and the on-chain path. fast-check prints the seed and path of a failing run; replay it with
 * `FC_SEED=<seed> FC_PATH=<path>`. And it falls back to the chain when the subgraph is absent, down, erroring,
 * answering garbage, behind or lying about its head, or when the chain's head cannot be read; an RPC failing mid-walk
 * is `unavailable`, never `notFound`; every answer says which path gave it.
 */
import { expect } from "chai";
import { Resolver, type DIDResolutionOptions, type DIDResolutionResult } from "did-resolver";
import { getResolver as getEthrResolver } from "ethr-did-resolver";
import {
  BrowserProvider,
  encodeBytes32String,
  hexlify,
  id,
  toUtf8Bytes,
  Wallet,
  ZeroAddress,
  type Eip1193Provider,
  type Provider,
} from "ethers";
import type { Provider as CommonJSProvider } from "ethers" with { "resolution-mode": "require" };
import fc from "fast-check";

import { executeQuery } from "../../indexer/src/graphql/index.ts";
import { deployRealDID, startIndexer, type IndexedSubgraph, type RealDIDChain } from "@realdid/testkit/subgraph";
import { networkFromDeployment, type NetworkConfig } from "../src/config.ts";
import { getResolver } from "../src/resolver/index.ts";
import { httpGraphQL, type GraphQLFetch, type GraphQLResult } from "../src/transport/graphql.ts";

const GAS = { gasLimit: 1_000_000 };

/** Public-key attribute names in every encoding, services, and a name outside the did:ethr pattern. */
const ATTRIBUTE_NAMES = [
  "did/pub/Secp256k1/veriKey/hex",
  "did/pub/Secp256k1/sigAuth/hex",
  "did/pub/Ed25519/veriKey/base64",
  "did/pub/Ed25519/veriKey",
  "did/pub/X25519/enc/base58",
  "did/pub/X25519/enc/base64",
  "did/pub/RSA/veriKey/pem",
  "did/pub/Ed25519/veriKey/raw",
  "did/svc/HubService",
  "did/svc/Messaging",
  "profile",
];
const ATTRIBUTE_VALUES = [
  id("key-a"),
  id("key-b"),
  hexlify(toUtf8Bytes("https://hub.example")),
  hexlify(toUtf8Bytes(JSON.stringify({ uri: "https://msg.example", accept: ["didcomm/v2"] }))),
  hexlify(toUtf8Bytes("-----BEGIN PUBLIC KEY-----")),
  "0xfffe",
];

/** One step of a random history, over identities and keys named by index. */
type Step =
  | { kind: "delegate"; identity: number; type: "sigAuth" | "veriKey"; delegate: number; validity: number }
  | { kind: "revokeDelegate"; identity: number; type: "sigAuth" | "veriKey"; delegate: number }
  | { kind: "attribute"; identity: number; name: number; value: number; validity: number }
  | { kind: "revokeAttribute"; identity: number; name: number; value: number }
  | { kind: "owner"; identity: number; to: number }
  | { kind: "deactivate"; identity: number }
  | { kind: "wait"; seconds: number };

const IDENTITIES = 3;
const identityIndex = fc.nat({ max: IDENTITIES - 1 });
const delegateType = fc.constantFrom("sigAuth" as const, "veriKey" as const);
const validity = fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constant(86_400));
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("delegate" as const),
      identity: identityIndex,
      type: delegateType,
      delegate: fc.nat({ max: 2 }),
      validity,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("revokeDelegate" as const),
      identity: identityIndex,
      type: delegateType,
      delegate: fc.nat({ max: 2 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("attribute" as const),
      identity: identityIndex,
      name: fc.nat({ max: ATTRIBUTE_NAMES.length - 1 }),
      value: fc.nat({ max: ATTRIBUTE_VALUES.length - 1 }),
      validity,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("revokeAttribute" as const),
      identity: identityIndex,
      name: fc.nat({ max: ATTRIBUTE_NAMES.length - 1 }),
      value: fc.nat({ max: ATTRIBUTE_VALUES.length - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("owner" as const),
      identity: identityIndex,
      to: fc.nat({ max: IDENTITIES - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deactivate" as const), identity: identityIndex }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 200 }) }),
  },
);

/** A failing run to replay, from the seed and path fast-check printed. */
const replay =
  process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH };

/** A result without the SDK's extra metadata fields (`source`, `fallbackReason`). */
function withoutSource(result: DIDResolutionResult): DIDResolutionResult {
  const metadata = { ...result.didResolutionMetadata };
  delete metadata.source;
  delete metadata.fallbackReason;
  return { ...result, didResolutionMetadata: metadata };
}

describe("SDK resolver", function () {
  this.timeout(600_000);
  let chain: RealDIDChain;
  let subgraph: IndexedSubgraph;
  let reference: Resolver;
  let network: NetworkConfig;
  let prefix: string;
  const inProcess: GraphQLFetch = (request) => executeQuery(subgraph.executor, request) as Promise<GraphQLResult>;

  before(async () => {
    chain = await deployRealDID();
    // Block times far ahead of the wall clock, which both resolvers judge the latest document by: no validity
    // ends within a second of it, so the two resolutions cannot straddle an expiry.
    await chain.networkHelpers.time.increase(100_000);
    subgraph = await startIndexer(chain);
    const provider = chain.ethers.provider;
    network = networkFromDeployment(chain.deployment, { provider });
    const registry = network.registry;
    const { chainId } = await provider.getNetwork();
    prefix = `did:ethr:0x${chainId.toString(16)}`;
    reference = new Resolver(
      getEthrResolver({
        networks: [{ chainId, registry, provider: provider as Provider as unknown as CommonJSProvider }],
      }),
    );
  });

  after(async () => {
    await subgraph?.close();
  });

  /** The SDK resolver over `network` with overrides. */
  const sdk = (overrides: Partial<NetworkConfig>) =>
    new Resolver(getResolver({ networks: [{ ...network, ...overrides }] }));

  /** Resolves `did` with the reference and the SDK resolver; expects equal answers from `source`. */
  async function expectSame(
    resolver: Resolver,
    did: string,
    source: "graphql" | "rpc",
    options: DIDResolutionOptions = {},
  ): Promise<DIDResolutionResult> {
    const expected = await reference.resolve(did, options);
    const actual = await resolver.resolve(did, options);
    expect(actual.didResolutionMetadata.source, `${did}: ${actual.didResolutionMetadata.fallbackReason}`).to.equal(
      source,
    );
    expect(withoutSource(actual), did).to.deep.equal(expected);
    return actual;
  }

  let run = 0;
  it("equals ethr-did-resolver over random histories, both paths, at the latest and at random blocks", async () => {
    const graphql = sdk({ graphql: inProcess });
    const onChain = sdk({});
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 14 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (steps, picks) => {
          run += 1;
          const { ethers, networkHelpers, didRegistry } = chain;
          const keys = Array.from(
            { length: IDENTITIES },
            (_, index) => new Wallet(id(`sdk.resolver.${run}.${index}`), ethers.provider),
          );
          for (const key of keys) await networkHelpers.setBalance(key.address, 10n ** 20n);
          const delegates = [0, 1, 2].map((index) => new Wallet(id(`sdk.resolver.delegate.${index}`)).address);
          const owner = keys.map((_, index) => index);
          const gone = new Set<number>();
          const blocks: number[] = [await ethers.provider.getBlockNumber()];
          for (const s of steps) {
            if (s.kind === "wait") {
              await networkHelpers.time.increase(s.seconds);
              continue;
            }
            if (gone.has(s.identity)) continue;
            const identity = keys[s.identity].address;
            const registry = didRegistry.connect(keys[owner[s.identity]]);
            const sent = await (async () => {
              switch (s.kind) {
                case "delegate":
                  return registry.addDelegate(
                    identity,
                    encodeBytes32String(s.type),
                    delegates[s.delegate],
                    s.validity,
                    GAS,
                  );
                case "revokeDelegate":
                  return registry.revokeDelegate(identity, encodeBytes32String(s.type), delegates[s.delegate], GAS);
                case "attribute":
                  return registry.setAttribute(
                    identity,
                    encodeBytes32String(ATTRIBUTE_NAMES[s.name]),
                    ATTRIBUTE_VALUES[s.value],
                    s.validity,
                    GAS,
                  );
                case "revokeAttribute":
                  return registry.revokeAttribute(
                    identity,
                    encodeBytes32String(ATTRIBUTE_NAMES[s.name]),
                    ATTRIBUTE_VALUES[s.value],
                    GAS,
                  );
                case "owner":
                  owner[s.identity] = s.to;
                  return registry.changeOwner(identity, keys[s.to].address, GAS);
                case "deactivate":
                  gone.add(s.identity);
                  return registry.changeOwner(identity, ZeroAddress, GAS);
              }
            })();
            blocks.push((await sent.wait())!.blockNumber);
          }
          await networkHelpers.mine(1);
          const head = await ethers.provider.getBlockNumber();
          await subgraph.sync();
          const atBlocks = [...blocks, ...picks.map((pick) => blocks[0] + (pick % (head - blocks[0] + 1)))];
          for (const key of keys) {
            const did = `${prefix}:${key.address}`;
            await expectSame(graphql, did, "graphql");
            await expectSame(onChain, did, "rpc");
            for (const block of atBlocks) {
              await expectSame(graphql, `${did}?versionId=${block}`, "graphql");
              await expectSame(onChain, `${did}?versionId=${block}`, "rpc");
            }
            const [block] = atBlocks.slice(-1);
            await expectSame(graphql, did, "graphql", { blockTag: block });
          }
          const byKey = `${prefix}:${keys[0].signingKey.compressedPublicKey}`;
          await expectSame(graphql, byKey, "graphql");
        },
      ),
      { numRuns: 8, ...replay },
    );
  });

  describe("falls back to the chain", () => {
    let did: string;
    let key: Wallet;

    before(async () => {
      key = new Wallet(id("sdk.resolver.fallback"), chain.ethers.provider);
      await chain.networkHelpers.setBalance(key.address, 10n ** 20n);
      const registry = chain.didRegistry.connect(key);
      await (
        await registry.addDelegate(key, encodeBytes32String("sigAuth"), Wallet.createRandom(), 86_400, GAS)
      ).wait();
      await (await registry.setAttribute(key, encodeBytes32String("did/svc/Hub"), "0x68747470", 86_400, GAS)).wait();
      await subgraph.sync();
      did = `${prefix}:${key.address}`;
    });

    /** The in-process GraphQL with its answers rewritten. */
    const rewritten =
      (rewrite: (result: GraphQLResult) => GraphQLResult): GraphQLFetch =>
      async (request) =>
        rewrite(await inProcess(request));
    /** An answer whose `_meta` claims block `number`. */
    const claiming = (number: number) =>
      rewritten((result) => ({ ...result, data: { ...result.data, _meta: { block: { number } } } }));

    it("when no GraphQL endpoint is configured", async () => {
      const result = await expectSame(sdk({}), did, "rpc");
      expect(result.didResolutionMetadata.fallbackReason).to.equal(undefined);
    });

    it("when the GraphQL endpoint is down", async () => {
      const down = sdk({ graphqlUrl: "http://127.0.0.1:9/subgraphs/name/realdid" });
      const result = await expectSame(down, did, "rpc");
      expect(result.didResolutionMetadata.fallbackReason).to.match(/^graphql failed: graphql unavailable/);
    });

    it("when GraphQL answers with errors", async () => {
      const erroring = sdk({ graphql: async () => ({ errors: [{ message: "indexing error" }] }) });
      const result = await expectSame(erroring, did, "rpc");
      expect(result.didResolutionMetadata.fallbackReason).to.contain("indexing error");
    });

    it("when GraphQL answers HTTP errors, invalid JSON or no _meta block", async () => {
      const answering =
        (response: () => Response): typeof fetch =>
        async () =>
          response();
      const cases: [GraphQLFetch, string][] = [
        [
          httpGraphQL(
            "http://graphql.invalid/",
            answering(() => new Response("busy", { status: 503 })),
          ),
          "HTTP 503",
        ],
        [
          httpGraphQL(
            "http://graphql.invalid/",
            answering(() => new Response("<html>")),
          ),
          "invalid JSON",
        ],
        [async () => ({ data: null }), "answer without data"],
        [rewritten((result) => ({ ...result, data: { ...result.data, _meta: null } })), "_meta.block.number"],
        [claiming(-1), "_meta.block.number"],
      ];
      for (const [graphql, reason] of cases) {
        const result = await expectSame(sdk({ graphql }), did, "rpc");
        expect(result.didResolutionMetadata.fallbackReason).to.match(/^graphql failed: graphql unavailable/);
        expect(result.didResolutionMetadata.fallbackReason).to.contain(reason);
      }
    });

    it("when the chain's head cannot be read to check maxLag", async () => {
      const eip1193 = chain.provider as unknown as Eip1193Provider;
      const noHead = new BrowserProvider(
        {
          request: async (request) => {
            if (request.method === "eth_blockNumber") throw new Error("method not allowed");
            return eip1193.request(request);
          },
        },
        Number(network.chainId),
      );
      const result = await expectSame(sdk({ provider: noHead, graphql: inProcess, maxLag: 5 }), did, "rpc");
      expect(result.didResolutionMetadata.fallbackReason).to.contain("chain head unknown");
      expect(result.didResolutionMetadata.fallbackReason).to.contain("method not allowed");
    });

    it("and answers notFound for a version past the chain's head", async () => {
      const past = (await chain.ethers.provider.getBlockNumber()) + 1_000;
      const result = await expectSame(sdk({ graphql: inProcess }), `${did}?versionId=${past}`, "rpc");
      expect(result.didResolutionMetadata).to.include({ error: "notFound" });
      expect(result.didResolutionMetadata.fallbackReason).to.contain(`behind the requested block ${past}`);
    });

    it("when the subgraph has not indexed the block asked for", async () => {
      const head = await chain.ethers.provider.getBlockNumber();
      const behind = sdk({ graphql: claiming(head - 5) });
      const result = await expectSame(behind, `${did}?versionId=${head}`, "rpc");
      expect(result.didResolutionMetadata.fallbackReason).to.contain("behind the requested block");
      await expectSame(behind, `${did}?versionId=${head - 5}`, "graphql");
    });

    it("when the subgraph trails the head by more than maxLag, or claims a block past it", async () => {
      const head = await chain.ethers.provider.getBlockNumber();
      const lagging = await expectSame(sdk({ graphql: claiming(head - 6), maxLag: 5 }), did, "rpc");
      expect(lagging.didResolutionMetadata.fallbackReason).to.contain("more than 5 blocks behind");
      await expectSame(sdk({ graphql: claiming(head - 5), maxLag: 5 }), did, "graphql");
      const lying = await expectSame(sdk({ graphql: claiming(head + 100), maxLag: 5 }), did, "rpc");
      expect(lying.didResolutionMetadata.fallbackReason).to.contain("past the chain's head");
    });

    it("answers unavailable, never notFound, when the RPC fails mid-walk", async () => {
      let logs = 0;
      const eip1193 = chain.provider as unknown as Eip1193Provider;
      const failing = new BrowserProvider(
        {
          request: async (request) => {
            if (request.method === "eth_getLogs" && ++logs > 1) throw new Error("connection reset by peer");
            return eip1193.request(request);
          },
        },
        Number(network.chainId),
      );
      const walkOnly = await sdk({ provider: failing }).resolve(did);
      expect(walkOnly.didDocument).to.equal(null);
      expect(walkOnly.didResolutionMetadata).to.include({ error: "unavailable", source: "rpc" });
      expect(walkOnly.didResolutionMetadata.message).to.contain("connection reset by peer");
      logs = 0;
      const bothDown = await sdk({ provider: failing, graphql: async () => ({ errors: [{ message: "x" }] }) }).resolve(
        did,
      );
      expect(bothDown.didResolutionMetadata).to.include({ error: "unavailable", source: "rpc" });
      expect(bothDown.didResolutionMetadata.fallbackReason).to.match(/^graphql failed: .* x$/);
      const noRpc = await sdk({ provider: undefined, graphqlUrl: "http://127.0.0.1:9/" }).resolve(did);
      expect(noRpc.didResolutionMetadata).to.include({ error: "unavailable", source: "graphql" });
    });

    it("reports malformed DIDs and unknown networks with their own errors", async () => {
      const resolver = sdk({ graphql: inProcess });
      const malformed = [
        "did:ethr:0x7a69:0x1234",
        `did:ethr:0x7a69:${key.address.slice(0, -1)}g`,
        `did:ethr:0x7a69:${key.signingKey.compressedPublicKey.slice(0, -2)}`,
        "did:ethr:",
        "not a did",
      ];
      for (const bad of malformed) {
        const { didResolutionMetadata, didDocument } = await resolver.resolve(bad);
        expect(didResolutionMetadata.error, bad).to.equal("invalidDid");
        expect(didDocument, bad).to.equal(null);
      }
      expect((await resolver.resolve(`did:web:${key.address}`)).didResolutionMetadata.error).to.equal(
        "unsupportedDidMethod",
      );
      for (const network of ["mainnet", "0x1", "sepolia"]) {
        const unknown = await resolver.resolve(`did:ethr:${network}:${key.address}`);
        expect(unknown.didResolutionMetadata.error, network).to.equal("unknownNetwork");
        expect(unknown.didResolutionMetadata.message, network).to.contain(network);
      }
      const unsupported = await resolver.resolve(did, { accept: "text/html" });
      expect(unsupported.didResolutionMetadata.error).to.equal("unsupportedFormat");
      const named = await resolver.resolve(`did:ethr:${chain.deployment.network}:${key.address}`);
      expect(named.didDocument?.id).to.equal(`did:ethr:${chain.deployment.network}:${key.address}`);
    });
  });
});
