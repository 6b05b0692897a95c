import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import { encodeBytes32String, keccak256, type Signer } from "ethers";
import { network } from "hardhat";

import { DeterministicError, TransientError } from "../src/runtime/errors.ts";
import { loadSubgraph, type Subgraph } from "../src/runtime/manifest.ts";
import { Eip1193RpcClient, HttpRpcClient, RpcError, type RpcClient } from "../src/runtime/rpc.ts";
import { SubgraphIndexer, type Progress } from "../src/runtime/indexer.ts";
import type { LogLevel } from "../src/runtime/logger.ts";
import { buildFixtureSubgraph } from "./runtime-fixture.ts";
import { MemoryEntityStore } from "./runtime-memory-store.ts";
import { openEntityStore, type BlockChanges, type EntityStore } from "../src/store/index.ts";

const GAS = { gasLimit: 1_000_000 };
const DAY = 86_400;

describe("runtime: SubgraphIndexer over a Hardhat chain", function () {
  this.timeout(120_000);
  let subgraph: Subgraph;

  before(async function () {
    subgraph = await loadSubgraph(buildFixtureSubgraph());
  });

  interface SetupOptions {
    /** Wraps the chain's RPC client, e.g. to inject failures. */
    wrapRpc?: (rpc: RpcClient) => RpcClient;
    blockRange?: number;
    reorgThreshold?: number;
  }

  async function setup(store: EntityStore, options: SetupOptions = {}) {
    const connection = await network.create();
    const { ethers, provider } = connection;
    const [alice, bob] = await ethers.getSigners();
    const registry = await ethers.deployContract("DIDRegistry", [], alice);
    await registry.waitForDeployment();
    expect(await registry.getAddress()).to.equal(subgraph.dataSources[0].address);
    const logs: { level: LogLevel; message: string }[] = [];
    const progress: Progress[] = [];
    const indexer = new SubgraphIndexer({
      subgraph,
      store,
      rpc: (options.wrapRpc ?? ((rpc) => rpc))(new Eip1193RpcClient(provider)),
      logger: { log: (level, message) => logs.push({ level, message }) },
      onProgress: (p) => progress.push(p),
      pollIntervalMs: 20,
      blockRange: options.blockRange ?? 3,
      reorgThreshold: options.reorgThreshold,
    });
    /** Sends transactions one after the other into a single block. */
    const mine = async (send: () => Promise<void>): Promise<void> => {
      await provider.request({ method: "evm_setAutomine", params: [false] });
      await send();
      await provider.request({ method: "evm_mine", params: [] });
      await provider.request({ method: "evm_setAutomine", params: [true] });
    };
    const registryAs = (signer: Signer) => registry.connect(signer);
    return { provider, alice, bob, registry, registryAs, store, indexer, logs, progress, mine };
  }

  async function setupMemory(options: SetupOptions = {}) {
    const store = new MemoryEntityStore();
    return { ...(await setup(store, options)), store };
  }

  it("indexes owner, delegate and attribute events with calls, same-block reads and empty blocks", async function () {
    const { provider, alice, bob, registryAs, store, indexer, logs, progress, mine } = await setupMemory();
    const identity = (await alice.getAddress()).toLowerCase();
    const name = "did/pub/Secp256k1/veriKey/hex";
    await registryAs(alice).setAttribute(alice, encodeBytes32String(name), "0xc0ffee", DAY, GAS);
    await registryAs(alice).addDelegate(alice, encodeBytes32String("veriKey"), bob, DAY, GAS);
    // Two owner changes in one block: the second handler must see the first one's write.
    await mine(async () => {
      await registryAs(alice).changeOwner(alice, bob, GAS);
      await registryAs(bob).changeOwner(alice, alice, GAS);
    });
    await provider.request({ method: "hardhat_mine", params: ["0x5"] });
    const chainHead = Number(await provider.request({ method: "eth_blockNumber", params: [] }));

    const result = await indexer.syncOnce();

    expect(result.events).to.equal(4);
    expect(result.head?.number).to.equal(chainHead);
    const head = (await store.status()).head!;
    const chainBlock = (await provider.request({
      method: "eth_getBlockByNumber",
      params: [`0x${chainHead.toString(16)}`, false],
    })) as { hash: string };
    expect(head.hash).to.equal(chainBlock.hash);

    const identityEntity = (await store.get("Identity", identity))!;
    expect(identityEntity).to.deep.include({
      id: identity,
      owner: identity,
      ownerChanges: "2",
      ownerOnChain: identity,
      registryVersion: "1.0.0",
      registryName: "fixture registry",
      attributeNames: [name],
      lastDelegateDays: "1",
      delegateCount: "1",
      deactivated: false,
    });
    expect(identityEntity.updatedAtBlock).to.be.a("number");
    expect(BigInt(identityEntity.updatedAt as string)).to.be.greaterThan(0n);

    const changes = [...store.all("OwnerChange").values()];
    expect(changes).to.have.length(2);
    expect(changes.map((c) => c.owner).sort()).to.deep.equal([identity, (await bob.getAddress()).toLowerCase()].sort());
    expect(changes[0]).to.include({ identity, previousChange: changes[0].previousChange });
    expect(changes.every((c) => c.blockNumber === String(identityEntity.updatedAtBlock))).to.equal(true);
    const ownerChangedTopic = subgraph.dataSources[0].eventHandlers[0].topic0;
    for (const change of changes) {
      const receipt = (await provider.request({
        method: "eth_getTransactionReceipt",
        params: [change.transactionHash],
      })) as { gasUsed: string; logs: unknown[] };
      expect(change).to.deep.include({
        gasUsed: BigInt(receipt.gasUsed).toString(),
        receiptLogCount: receipt.logs.length,
        receiptFirstTopic: ownerChangedTopic,
      });
    }

    const attribute = (await store.get("Attribute", `${identity}-${name}`))!;
    expect(attribute).to.deep.include({ name, value: "0xc0ffee", validTo: attribute.validTo, identity });
    expect(attribute.valueHash).to.equal(keccak256("0xc0ffee"));

    expect(logs.some((l) => l.level === "info" && l.message.startsWith(`owner of ${identity} is now`))).to.equal(true);
    expect(progress.at(-1)).to.deep.include({ head: chainHead, target: chainHead, events: 4 });

    // Nothing new: a second sync is a no-op; new blocks without events still advance the head.
    expect((await indexer.syncOnce()).events).to.equal(0);
    await provider.request({ method: "hardhat_mine", params: ["0x3"] });
    expect((await indexer.syncOnce()).head?.number).to.equal(chainHead + 3);
  });

  it("rewinds to the fork point and re-indexes after a reorg", async function () {
    const { provider, alice, bob, registryAs, store, indexer } = await setupMemory();
    const identity = (await alice.getAddress()).toLowerCase();
    await registryAs(alice).setAttribute(alice, encodeBytes32String("kept"), "0x01", DAY, GAS);
    await indexer.syncOnce();
    const snapshot = await provider.request({ method: "evm_snapshot", params: [] });
    await registryAs(alice).changeOwner(alice, bob, GAS);
    await indexer.syncOnce();
    expect((await store.get("Identity", identity))!.owner).to.equal((await bob.getAddress()).toLowerCase());

    await provider.request({ method: "evm_revert", params: [snapshot] });
    await registryAs(alice).setAttribute(alice, encodeBytes32String("other"), "0x03", DAY, GAS);
    await provider.request({ method: "hardhat_mine", params: ["0x4"] });

    await indexer.syncOnce();

    const after = (await store.get("Identity", identity))!;
    expect(after.owner).to.equal(identity);
    expect(after.attributeNames).to.deep.equal(["kept", "other"]);
    expect(store.all("OwnerChange").size).to.equal(0);
    const head = (await store.status()).head!;
    const chainHead = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
      hash: string;
    };
    expect(head.hash).to.equal(chainHead.hash);
  });

  it("stops with a fatal error and writes nothing of the failing block", async function () {
    const { alice, registryAs, store, indexer, logs, mine } = await setupMemory();
    const identity = (await alice.getAddress()).toLowerCase();
    await indexer.syncOnce();
    const headBefore = (await store.status()).head;
    await mine(async () => {
      await registryAs(alice).setAttribute(alice, encodeBytes32String("kept"), "0x01", DAY, GAS);
      await registryAs(alice).setAttribute(alice, encodeBytes32String("fixture/abort"), "0x", DAY, GAS);
    });

    let failure: unknown;
    await indexer.syncOnce().catch((error: unknown) => (failure = error));

    expect(failure).to.be.instanceOf(DeterministicError);
    expect((failure as Error).message).to.contain("critical error logged in mapping: attribute fixture/abort");
    const status = await store.status();
    expect(status.fatalError).to.deep.include({
      message: (failure as Error).message,
      handler: "handleAttributeChanged",
    });
    expect(status.fatalError?.block?.number).to.equal((status.head?.number ?? -1) + 1);
    expect(status.head).to.deep.equal(headBefore);
    expect(await store.get("Identity", identity)).to.equal(null);
    // A failed subgraph does not index further until the failure is cleared.
    await indexer.syncOnce().then(
      () => expect.fail("expected the failed subgraph to refuse syncing"),
      (error: unknown) => expect((error as Error).message).to.contain("subgraph failed earlier"),
    );
    const started = Date.now();
    await indexer.run(AbortSignal.timeout(10_000));
    expect(Date.now() - started).to.be.lessThan(5_000);
    expect(logs.some((l) => l.level === "error" && l.message.includes("indexing stopped"))).to.equal(true);
  });

  describe("catch-up of final blocks", () => {
    /** Records how many blocks each write of the store held. */
    class BatchRecordingStore extends MemoryEntityStore {
      readonly batches: number[] = [];
      override async commitBlocks(batch: readonly BlockChanges[]): Promise<void> {
        this.batches.push(batch.length);
        return super.commitBlocks(batch);
      }
    }

    /** Three blocks, each setting one attribute of alice's identity (`names`, in order). */
    async function threeBlocks(names: string[], options: SetupOptions = {}) {
      const store = new BatchRecordingStore();
      const context = await setup(store, { blockRange: 64, reorgThreshold: 0, ...options });
      const { registryAs, alice } = context;
      for (const name of names)
        await registryAs(alice).setAttribute(alice, encodeBytes32String(name), "0x01", DAY, GAS);
      return { ...context, store, identity: (await alice.getAddress()).toLowerCase() };
    }

    it("writes a range's blocks in one transaction, each block's versions kept apart", async function () {
      const { store, indexer, identity } = await threeBlocks(["a1", "a2", "a3"]);
      const { head } = await indexer.syncOnce();

      expect(store.batches).to.deep.equal([store.commits.length]);
      expect(store.commits).to.have.length(3);
      expect((await store.get("Identity", identity))!.attributeNames).to.deep.equal(["a1", "a2", "a3"]);
      expect((await store.get("Identity", identity, head!.number - 1))!.attributeNames).to.deep.equal(["a1", "a2"]);
    });

    it("asks for the next range's logs while a range is indexed, once per range", async function () {
      const calls: string[] = [];
      const { store, indexer, identity } = await threeBlocks(["d1", "d2", "d3"], {
        blockRange: 2,
        wrapRpc: (rpc) => ({
          request: <T>(method: string, params: readonly unknown[]): Promise<T> => {
            if (method === "eth_getLogs") {
              const [{ fromBlock, toBlock }] = params as [{ fromBlock: string; toBlock: string }];
              calls.push(`logs ${Number(fromBlock)}-${Number(toBlock)}`);
            }
            if (method === "eth_getBlockByHash") calls.push("block");
            return rpc.request<T>(method, params);
          },
        }),
      });
      await indexer.syncOnce();
      const logs = calls.filter((call) => call.startsWith("logs"));
      expect(new Set(logs).size).to.equal(logs.length);
      // The second range's logs were asked for before the first range's blocks were fetched.
      expect(calls.indexOf(logs[1])).to.be.lessThan(calls.indexOf("block"));
      expect((await store.get("Identity", identity))!.attributeNames).to.deep.equal(["d1", "d2", "d3"]);
    });

    it("indexes a range again from the last written block after an RPC failure in its middle: nothing twice", async function () {
      let blockFetches = 0;
      const { store, indexer, identity } = await threeBlocks(["b1", "b2", "b3"], {
        wrapRpc: (rpc) => ({
          request: <T>(method: string, params: readonly unknown[]): Promise<T> => {
            if (method === "eth_getBlockByHash" && ++blockFetches === 3) {
              return Promise.reject(new RpcError(method, "connection reset"));
            }
            return rpc.request<T>(method, params);
          },
        }),
      });
      const failure = await indexer.syncOnce().catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(TransientError);
      expect(store.batches).to.deep.equal([]);
      expect(await store.get("Identity", identity)).to.equal(null);

      await indexer.syncOnce();
      expect(store.batches).to.have.length(1);
      expect((await store.get("Identity", identity))!.attributeNames).to.deep.equal(["b1", "b2", "b3"]);
    });

    it("writes the blocks before a failing handler's block, and records the failure at that block", async function () {
      const { store, indexer, identity } = await threeBlocks(["c1", "c2", "fixture/abort"]);
      const failure = await indexer.syncOnce().catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(DeterministicError);
      const status = await store.status();
      expect(status.fatalError?.block?.number).to.equal(status.head!.number + 1);
      expect((await store.get("Identity", identity))!.attributeNames).to.deep.equal(["c1", "c2"]);
    });
  });

  it("commits blocks and reverts reorgs through the SQL store (PGlite)", async function () {
    const store = await openEntityStore({ subgraphName: "runtime-fixture", model: subgraph.schema });
    try {
      const { provider, alice, bob, registryAs, indexer } = await setup(store);
      const identity = (await alice.getAddress()).toLowerCase();
      await registryAs(alice).setAttribute(alice, encodeBytes32String("a"), "0x01", DAY, GAS);
      const snapshot = await provider.request({ method: "evm_snapshot", params: [] });
      await registryAs(alice).changeOwner(alice, bob, GAS);
      await indexer.syncOnce();
      expect((await store.get("Identity", identity))!.owner).to.equal((await bob.getAddress()).toLowerCase());

      await provider.request({ method: "evm_revert", params: [snapshot] });
      await provider.request({ method: "hardhat_mine", params: ["0x3"] });
      await indexer.syncOnce();

      const identityEntity = (await store.get("Identity", identity))!;
      expect(identityEntity).to.deep.include({ owner: identity, ownerChanges: "0", attributeNames: ["a"] });
      const latest = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
        hash: string;
      };
      expect((await store.status()).head?.hash).to.equal(latest.hash);
    } finally {
      await store.close();
    }
  });

  it("shrinks the eth_getLogs range when the node refuses a large one and grows it back", async function () {
    const ranges: number[] = [];
    const { registryAs, alice, store, indexer, provider } = await setupMemory({
      blockRange: 64,
      reorgThreshold: 0,
      wrapRpc: (rpc) => ({
        request: <T>(method: string, params: readonly unknown[]): Promise<T> => {
          if (method === "eth_getLogs") {
            const [{ fromBlock, toBlock }] = params as [{ fromBlock: string; toBlock: string }];
            const size = Number(toBlock) - Number(fromBlock) + 1;
            ranges.push(size);
            if (size > 4) return Promise.reject(new RpcError(method, "query returned more than 10000 results"));
          }
          return rpc.request<T>(method, params);
        },
      }),
    });
    await registryAs(alice).setAttribute(alice, encodeBytes32String("a"), "0x01", DAY, GAS);
    await provider.request({ method: "hardhat_mine", params: ["0x14"] });

    await indexer.syncOnce();

    expect(ranges.slice(0, 5)).to.deep.equal([22, 11, 5, 2, 4]);
    expect(ranges.slice(5, 7)).to.deep.equal([8, 4]);
    expect((await store.get("Identity", (await alice.getAddress()).toLowerCase()))!.attributeNames).to.deep.equal([
      "a",
    ]);
  });

  it("keeps following the chain through RPC failures until aborted", async function () {
    let failures = 0;
    const { registryAs, alice, store, indexer, logs, provider } = await setupMemory({
      wrapRpc: (rpc) => ({
        request: <T>(method: string, params: readonly unknown[]): Promise<T> => {
          if (method === "eth_blockNumber" && failures++ === 0) {
            return Promise.reject(new RpcError(method, "connection reset"));
          }
          return rpc.request<T>(method, params);
        },
      }),
    });
    const controller = new AbortController();
    const running = indexer.run(controller.signal);
    await registryAs(alice).setAttribute(alice, encodeBytes32String("live"), "0x01", DAY, GAS);
    const target = Number(await provider.request({ method: "eth_blockNumber", params: [] }));
    while (((await store.status()).head?.number ?? 0) < target) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await running;

    expect(logs.some((l) => l.level === "warning" && l.message.includes("connection reset"))).to.equal(true);
    expect((await store.get("Identity", (await alice.getAddress()).toLowerCase()))!.attributeNames).to.deep.equal([
      "live",
    ]);
  });

  it("speaks JSON-RPC over HTTP and reports failures as transient RPC errors", async function () {
    const { provider, registryAs, alice, store } = await setupMemory();
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
        provider.request({ method, params }).then(
          (result) => res.end(JSON.stringify({ jsonrpc: "2.0", id, result })),
          (error: { code?: number; message: string }) =>
            res.end(
              JSON.stringify({ jsonrpc: "2.0", id, error: { code: error.code ?? -32000, message: error.message } }),
            ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const http = new HttpRpcClient(url);
      await registryAs(alice).setAttribute(alice, encodeBytes32String("http"), "0x01", DAY, GAS);
      const indexer = new SubgraphIndexer({ subgraph, store, rpc: http });
      await indexer.syncOnce();
      expect((await store.get("Identity", (await alice.getAddress()).toLowerCase()))!.attributeNames).to.deep.equal([
        "http",
      ]);

      const failure = await http.request("eth_noSuchMethod", []).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(RpcError).and.to.be.instanceOf(TransientError);
      expect((failure as RpcError).code).to.be.a("number");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const refused = await new HttpRpcClient("http://127.0.0.1:1")
      .request("eth_blockNumber", [])
      .catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(RpcError);
    expect((refused as RpcError).message).to.contain("eth_blockNumber: request to http://127.0.0.1:1 failed");
  });
});
