import { expect } from "chai";
import { encodeBytes32String } from "ethers";
import { network } from "hardhat";

import { createIndexNodeServer, type IndexNodeServer } from "../src/graphql/index.ts";
import { DeterministicError } from "../src/runtime/errors.ts";
import { SubgraphIndexer } from "../src/runtime/indexer.ts";
import { loadSubgraph, type Subgraph } from "../src/runtime/manifest.ts";
import { Eip1193RpcClient } from "../src/runtime/rpc.ts";
import { buildFixtureSubgraph } from "./runtime-fixture.ts";
import { MemoryEntityStore } from "./runtime-memory-store.ts";

const GAS = { gasLimit: 1_000_000 };
const STATUS_QUERY = `query Status($name: String!) {
  indexingStatusForCurrentVersion(subgraphName: $name) {
    subgraph synced health node entityCount historyBlocks
    fatalError { message block { hash number } handler deterministic }
    nonFatalErrors { message }
    chains {
      network chainHeadBlock { hash number } earliestBlock { number } latestBlock { hash number }
      lastHealthyBlock { number }
    }
  }
}`;

describe("index-node status API", function () {
  this.timeout(120_000);
  let subgraph: Subgraph;

  before(async function () {
    subgraph = await loadSubgraph(buildFixtureSubgraph());
  });

  it("answers graph-node's indexing status queries as the indexer syncs, restarts and fails", async function () {
    const { ethers, provider } = await network.create();
    const [alice] = await ethers.getSigners();
    const registry = await ethers.deployContract("DIDRegistry", [], alice);
    await registry.waitForDeployment();
    const store = new MemoryEntityStore();
    const rpc = new Eip1193RpcClient(provider);
    let indexer = new SubgraphIndexer({ subgraph, store, rpc });
    let chainReachable = true;
    const latest = () => rpc.request<{ number: string; hash: string }>("eth_getBlockByNumber", ["latest", false]);
    let server: IndexNodeServer | undefined;
    try {
      server = await createIndexNodeServer({
        port: 0,
        subgraphs: [
          {
            name: "realdid/fixture",
            deployment: subgraph.deployment,
            network: "hardhat",
            startBlock: 0,
            store,
            chainHead: async () => {
              if (!chainReachable) throw new Error("connection refused");
              const head = await latest();
              return { number: Number(head.number), hash: head.hash };
            },
          },
        ],
      });
      const url = server.url;
      const ask = async (query: string, variables: Record<string, unknown> = {}) =>
        (await (await fetch(url, { method: "POST", body: JSON.stringify({ query, variables }) })).json()) as {
          data: Record<string, unknown>;
          errors?: unknown;
        };
      const status = async () =>
        (await ask(STATUS_QUERY, { name: "realdid/fixture" })).data.indexingStatusForCurrentVersion as {
          synced: boolean;
          health: string;
          fatalError: { message: string } | null;
          chains: { chainHeadBlock: { hash: string; number: string } | null; latestBlock: unknown }[];
        } & Record<string, unknown>;

      await registry.setAttribute(alice, encodeBytes32String("a"), "0x01", 86_400, GAS);
      const head = await latest();
      const chainHeadBlock = { hash: head.hash, number: String(Number(head.number)) };
      expect(await status()).to.deep.equal({
        subgraph: subgraph.deployment,
        synced: false,
        health: "healthy",
        node: "default",
        fatalError: null,
        nonFatalErrors: [],
        entityCount: "0",
        historyBlocks: 2_147_483_647,
        chains: [
          {
            network: "hardhat",
            chainHeadBlock,
            earliestBlock: { number: "0" },
            latestBlock: null,
            lastHealthyBlock: null,
          },
        ],
      });

      await indexer.syncOnce();
      // The attribute's Identity and Attribute entities.
      expect(await status()).to.deep.include({ synced: true, health: "healthy", entityCount: "2" });
      expect((await status()).chains[0]).to.deep.include({ chainHeadBlock, latestBlock: chainHeadBlock });

      // Synced stays synced across a restart, as graph-node records it with the deployment.
      indexer = new SubgraphIndexer({ subgraph, store, rpc });
      await registry.setAttribute(alice, encodeBytes32String("b"), "0x02", 86_400, GAS);
      expect(await status()).to.deep.include({ synced: true });

      await registry.setAttribute(alice, encodeBytes32String("fixture/abort"), "0x", 86_400, GAS);
      const failure = await indexer.syncOnce().catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(DeterministicError);
      const failed = await status();
      const failedAt = await latest();
      const lastHealthy = String(Number(failedAt.number) - 1);
      expect(failed).to.deep.include({
        health: "failed",
        fatalError: {
          message: (failure as Error).message,
          block: { hash: failedAt.hash, number: String(Number(failedAt.number)) },
          handler: "handleAttributeChanged",
          deterministic: true,
        },
      });
      expect(failed.chains[0]).to.deep.include({ lastHealthyBlock: { number: lastHealthy } });
      expect(failed.chains[0].latestBlock).to.deep.include({ number: lastHealthy });

      // By deployment id, all of them, unknown names and deployments; the chain head unknown when the RPC fails.
      chainReachable = false;
      const all = await ask(
        `{ mine: indexingStatuses(subgraphs: ["${subgraph.deployment}"]) { subgraph chains { chainHeadBlock { number } } }
           all: indexingStatuses { subgraph }
           none: indexingStatuses(subgraphs: ["QmOther"]) { subgraph }
           other: indexingStatusForCurrentVersion(subgraphName: "other") { subgraph }
           pending: indexingStatusForPendingVersion(subgraphName: "realdid/fixture") { subgraph }
           byName: indexingStatusesForSubgraphName(subgraphName: "realdid/fixture") { health } }`,
      );
      expect(all).to.deep.equal({
        data: {
          mine: [{ subgraph: subgraph.deployment, chains: [{ chainHeadBlock: null }] }],
          all: [{ subgraph: subgraph.deployment }],
          none: [],
          other: null,
          pending: null,
          byName: [{ health: "failed" }],
        },
      });
      expect((await ask("{ indexingStatuses { nope } }")).errors).to.deep.equal([
        { message: 'Cannot query field "nope" on type "SubgraphIndexingStatus". Did you mean "node"?' },
      ]);
    } finally {
      await server?.close();
    }
  });
});
