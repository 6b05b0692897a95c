import { expect } from "chai";
import { encodeBytes32String, type Signer } from "ethers";
import { network } from "hardhat";

import { ReorgError, TransientError } from "../src/runtime/errors.ts";
import { SubgraphIndexer } from "../src/runtime/indexer.ts";
import { loadSubgraph, type Subgraph } from "../src/runtime/manifest.ts";
import { Eip1193RpcClient, type RpcClient } from "../src/runtime/rpc.ts";
import { buildFixtureSubgraph } from "./runtime-fixture.ts";
import { MemoryEntityStore } from "./runtime-memory-store.ts";

const GAS = { gasLimit: 1_000_000 };
const DAY = 86_400;

/**
 * The chain reorganises between two RPC calls of the indexer, before each call in turn: whatever the indexer was
 * doing (reading the head, a block, its logs, a receipt, a contract call), it must end up with exactly the new
 * branch. Branch A: an owner change, three empty blocks, then (after the fork point) attribute "a" and one empty
 * block. Branch B replaces the last two blocks with attributes "b1", "b2", "b3" and two empty blocks.
 */
describe("runtime: a chain that reorganises between any two RPC calls", function () {
  this.timeout(600_000);
  let subgraph: Subgraph;

  before(async function () {
    subgraph = await loadSubgraph(buildFixtureSubgraph());
  });

  async function chain() {
    const { ethers, provider } = await network.create();
    const [alice, bob] = await ethers.getSigners();
    const registry = await ethers.deployContract("DIDRegistry", [], alice);
    await registry.waitForDeployment();
    const request = <T>(method: string, params: unknown[] = []) => provider.request({ method, params }) as Promise<T>;
    const attribute = async (signer: Signer, name: string) => {
      const tx = await registry.connect(signer).setAttribute(alice, encodeBytes32String(name), "0x01", DAY, GAS);
      await tx.wait();
    };
    await attribute(alice, "base");
    let base = await request<string>("evm_snapshot");
    let fork = "";
    return {
      provider,
      request,
      identity: (await alice.getAddress()).toLowerCase(),
      bob: (await bob.getAddress()).toLowerCase(),
      /** Back to the base block, then branch A on top. */
      async branchA() {
        await request("evm_revert", [base]);
        base = await request<string>("evm_snapshot");
        await (await registry.connect(alice).changeOwner(alice, bob, GAS)).wait();
        await request("hardhat_mine", ["0x3"]);
        fork = await request<string>("evm_snapshot");
        await attribute(bob, "a");
        await request("hardhat_mine", ["0x1"]);
      },
      /** The reorganisation: the last two blocks of branch A replaced by five blocks of branch B. */
      async branchB() {
        await request("evm_revert", [fork]);
        for (const name of ["b1", "b2", "b3"]) await attribute(bob, name);
        await request("hardhat_mine", ["0x2"]);
      },
    };
  }

  /** An RPC client that runs `before` once, ahead of the `at`-th call (counting from 0), and counts calls. */
  function interrupting(rpc: RpcClient, at: number, before: () => Promise<void>) {
    const client = {
      calls: 0,
      async request<T>(method: string, params: readonly unknown[]): Promise<T> {
        if (client.calls++ === at) await before();
        return rpc.request<T>(method, params);
      },
    };
    return client;
  }

  /** Syncs until the indexer reaches the chain's head, as `run()` would, retrying reorgs and RPC failures. */
  async function syncToHead(indexer: SubgraphIndexer, request: <T>(method: string) => Promise<T>) {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        const { head } = await indexer.syncOnce();
        if (head?.number === Number(await request<string>("eth_blockNumber"))) return;
      } catch (error) {
        if (!(error instanceof ReorgError || error instanceof TransientError)) throw error;
      }
    }
    expect.fail("the indexer did not reach the chain head in 10 syncs");
  }

  for (const [mode, reorgThreshold] of [
    ["block by block", undefined],
    ["final blocks in ranges, the last two block by block", 2],
  ] as const) {
    it(`indexes exactly the new branch (${mode})`, async function () {
      const { provider, request, identity, bob, branchA, branchB } = await chain();
      const run = async (at: number) => {
        await branchA();
        const store = new MemoryEntityStore();
        const rpc = interrupting(new Eip1193RpcClient(provider), at, branchB);
        const indexer = new SubgraphIndexer({ subgraph, store, rpc, reorgThreshold, blockRange: 2 });
        await syncToHead(indexer, request);
        return { store, calls: rpc.calls };
      };
      const { calls } = await run(Number.POSITIVE_INFINITY);
      expect(calls).to.be.greaterThan(10);

      for (let at = 0; at < calls; at++) {
        const { store } = await run(at);
        const latest = await request<{ hash: string }>("eth_getBlockByNumber", ["latest", false]);
        const where = `reorganised before call ${at} of ${calls}`;
        expect((await store.status()).head?.hash, where).to.equal(latest.hash);
        const entity = (await store.get("Identity", identity))!;
        expect(entity.owner, where).to.equal(bob);
        expect(entity.attributeNames, where).to.deep.equal(["base", "b1", "b2", "b3"]);
        expect(store.all("OwnerChange").size, where).to.equal(1);
      }
    });
  }

  it("waits for a block that a lagging node behind a load balancer does not have yet", async function () {
    const { provider, request, identity, branchA } = await chain();
    await branchA();
    const rpc = new Eip1193RpcClient(provider);
    let ahead = 3;
    const balanced: RpcClient = {
      // eth_blockNumber answered by a node `ahead` blocks in front of the one answering everything else.
      request: async <T>(method: string, params: readonly unknown[]): Promise<T> => {
        const answer = await rpc.request<T>(method, params);
        return (method === "eth_blockNumber" ? `0x${(Number(answer) + ahead).toString(16)}` : answer) as T;
      },
    };
    const store = new MemoryEntityStore();
    const indexer = new SubgraphIndexer({ subgraph, store, rpc: balanced });

    const lagging = await indexer.syncOnce();
    const chainHead = Number(await request<string>("eth_blockNumber"));
    expect(lagging.head?.number).to.equal(chainHead);
    expect((await store.get("Identity", identity))!.attributeNames).to.deep.equal(["base", "a"]);

    await request("hardhat_mine", ["0x2"]);
    ahead = 0;
    expect((await indexer.syncOnce()).head?.number).to.equal(chainHead + 2);
  });
});
