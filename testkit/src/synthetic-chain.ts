/**
 * A generated RealDID history of any size behind a JSON-RPC endpoint, for the indexer's scale benchmark and its
 * kill-and-resume test.
 *
 * Mining a million events through a development node takes hours on a small machine, and the indexer never runs
 * the contracts: it reads blocks and logs. So the history is computed instead — every log ABI-encoded with the
 * contracts' own interfaces, as the contracts emit it, so the real indexer (its CLI, runtime, mappings and store)
 * indexes it unchanged. Any block is a pure function of its number, computed when asked for: the endpoint holds no
 * history in memory, whatever its size.
 *
 * The history: a few issuers accredited in block 1, then identities in windows of {@link WINDOW}; within a window
 * every identity makes its first change, then its second, and so on, so an identity's changes spread over several
 * blocks. Each identity has four events: a delegate added, a public key attribute set, an attestation by one of
 * the issuers, and a fourth by the identity's index modulo 4 — a service attribute, an owner change, a revocation
 * of its attestation (StatusRegistry) or a second delegate. Blocks hold 50–500 events each (one transaction per
 * event), at a random-looking but fixed size; `previousChange` fields name the block of the identity's previous
 * DIDRegistry change, as the registry would.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { encodeBytes32String, hexlify, id, Interface, toUtf8Bytes, ZeroHash, type EventFragment } from "ethers";

import hre from "hardhat";

import type { Deployment } from "../../scripts/deployment.ts";
import { REVOCATION, SIG_AUTH, VERI_KEY } from "./trust.ts";

const DAY = 86_400;
const YEAR = 365 * DAY;
const BLOCK_TIME = 12;
/** Identities whose changes are interleaved. */
const WINDOW = 2_000;
export const EVENTS_PER_IDENTITY = 4;
const ISSUERS = 20;
/** Most logs one `eth_getLogs` answers by default, as hosted RPC providers cap it; the indexer narrows its range. */
const MAX_LOGS = 10_000;
const MIN_BLOCK_EVENTS = 50;
const MAX_BLOCK_EVENTS = 500;
const CHAIN_ID = 31_337;
const PUB_KEY = encodeBytes32String("did/pub/Secp256k1/veriKey/hex");
const SERVICE = encodeBytes32String("did/svc/HubService");

type Hex = `0x${string}`;

/** The contracts' interfaces, by deployment name. */
export type RealDIDInterfaces = Record<
  "DIDRegistry" | "IssuerRegistry" | "RealNameRegistry" | "StatusRegistry",
  Interface
>;

interface Log {
  address: Hex;
  topics: string[];
  data: string;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  logIndex: Hex;
  removed: false;
}

const hex = (n: number | bigint): Hex => `0x${n.toString(16)}`;
/** A deterministic address: `prefix` (4 hex digits) and `n`. */
const address = (prefix: string, n: number): Hex => `0x${prefix}${n.toString(16).padStart(36, "0")}`;
const word = (prefix: string, n: number): Hex => `0x${prefix}${n.toString(16).padStart(62, "0")}`;
const pad = (value: bigint): string => value.toString(16).padStart(64, "0");

/** A static ABI value: an address or fixed bytes (hex strings), an unsigned integer or a boolean. */
type EventValue = string | number | boolean;

function staticWord(value: EventValue): string {
  if (typeof value === "boolean") return pad(value ? 1n : 0n);
  if (typeof value === "number") return pad(BigInt(value));
  if (value.length === 66) return value.slice(2);
  return value.slice(2).padStart(64, "0");
}

interface EncodedEvent {
  contract: keyof RealDIDInterfaces;
  topics: string[];
  data: string;
}

/** The `n`-th identity of the history. */
export const identityAddress = (n: number): Hex => address("1d00", n);
const issuerAddress = (n: number): Hex => address("155e", n);
/** Identities attested by one issuer; the attestation's status index is the identity's rank among them. */
export const issuerOf = (n: number): Hex => issuerAddress(n % ISSUERS);

/** A deployment of the four registries at fixed addresses, indexed from block 0. */
export function syntheticDeployment(network: string): Deployment {
  const contracts = ["ChainBoundDeployer", "DIDRegistry", "IssuerRegistry", "StatusRegistry", "RealNameRegistry"];
  return {
    network,
    chainId: CHAIN_ID,
    contracts: Object.fromEntries(
      contracts.map((name, i) => [name, { address: address("c0de", i), startBlock: 0, abi: `abis/${name}.json` }]),
    ),
  };
}

/** The four registries' interfaces, from the compiled artifacts. */
export async function realDIDInterfaces(): Promise<RealDIDInterfaces> {
  const load = async (name: string) => new Interface((await hre.artifacts.readArtifact(name)).abi);
  return {
    DIDRegistry: await load("DIDRegistry"),
    IssuerRegistry: await load("IssuerRegistry"),
    RealNameRegistry: await load("RealNameRegistry"),
    StatusRegistry: await load("StatusRegistry"),
  };
}

/** A small deterministic generator (mulberry32) for the block sizes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class SyntheticHistory {
  readonly identities: number;
  readonly events: number;
  /** `starts[n]`: the index of block n's first event; block 0 has none, block 1 the issuers'. */
  readonly #starts: number[] = [0, 0];
  readonly #hashes: Hex[];
  readonly #numbers = new Map<string, number>();
  readonly #genesis: number;
  readonly #addresses: Record<keyof RealDIDInterfaces, Hex>;
  readonly #fragments = new Map<string, EventFragment>();

  /**
   * A history of about `events` events (rounded to whole identities), ending at the current time: the validity
   * periods it sets (a year from each change) are current.
   */
  constructor(
    events: number,
    readonly deployment: Deployment,
    private readonly interfaces: RealDIDInterfaces,
    /** Most logs one `eth_getLogs` answers (a larger range is refused as too large, as providers do). */
    readonly maxLogs = MAX_LOGS,
  ) {
    this.identities = Math.ceil((events - ISSUERS) / EVENTS_PER_IDENTITY);
    this.events = ISSUERS + this.identities * EVENTS_PER_IDENTITY;
    this.#starts.push(ISSUERS);
    const size = random(0x5eed);
    while (this.#starts.at(-1)! < this.events) {
      const events = MIN_BLOCK_EVENTS + Math.floor(size() * (MAX_BLOCK_EVENTS - MIN_BLOCK_EVENTS + 1));
      this.#starts.push(Math.min(this.events, this.#starts.at(-1)! + events));
    }
    this.#hashes = this.#starts.map((_, n) => id(`realdid.bench.block-${n}`) as Hex);
    this.#hashes.forEach((hash, n) => this.#numbers.set(hash, n));
    this.#genesis = Math.floor(Date.now() / 1000) - this.head * BLOCK_TIME;
    const at = (name: string) => deployment.contracts[name].address.toLowerCase() as Hex;
    this.#addresses = {
      DIDRegistry: at("DIDRegistry"),
      IssuerRegistry: at("IssuerRegistry"),
      RealNameRegistry: at("RealNameRegistry"),
      StatusRegistry: at("StatusRegistry"),
    };
    this.#checkEncoding();
  }

  /** DIDRegistry changes of identity `n`: three, two where its fourth event is a revocation. */
  didChanges(n: number): number {
    return n % 4 === 2 ? 2 : 3;
  }

  /** The last block. */
  get head(): number {
    return this.#starts.length - 2;
  }

  /** Events in blocks `from` to `to`. */
  eventsIn(from: number, to: number): number {
    return this.#starts[Math.min(to, this.head) + 1] - this.#starts[Math.max(from, 0)];
  }

  /** The block holding event `index`. */
  #blockOf(index: number): number {
    let low = 1;
    let high = this.head;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  #timestamp(n: number): number {
    return this.#genesis + n * BLOCK_TIME;
  }

  /** The identity, and which of its events, event `index` is (null: an issuer's accreditation). */
  #slot(index: number): { identity: number; slot: number; width: number } | null {
    if (index < ISSUERS) return null;
    const k = index - ISSUERS;
    const window = Math.floor(k / (WINDOW * EVENTS_PER_IDENTITY));
    const first = window * WINDOW;
    const width = Math.min(WINDOW, this.identities - first);
    const offset = k - first * EVENTS_PER_IDENTITY;
    return { identity: first + (offset % width), slot: Math.floor(offset / width), width };
  }

  /** Event `index` as the contract emits it: the emitting contract, its topics and data. */
  #event(index: number, block: number): EncodedEvent {
    const { contract, event, values } = this.#eventValues(index, block);
    // Accreditations carry strings: few, and encoded by ethers.
    if (event === "IssuerAccredited") return { contract, ...this.interfaces[contract].encodeEventLog(event, values) };
    return this.#encode(contract, event, values);
  }

  /** Throws unless {@link SyntheticHistory.#encode} encodes the first event of each kind as ethers does. */
  #checkEncoding(): void {
    const seen = new Set<string>();
    for (let index = ISSUERS; index < this.events && seen.size < 7; index += 1) {
      const block = this.#blockOf(index);
      const { contract, event, values } = this.#eventValues(index, block);
      const name = values[1];
      const kind = `${event}.${typeof name === "string" && name.length === 66 ? name : ""}`;
      if (seen.has(kind)) continue;
      seen.add(kind);
      const ours = this.#encode(contract, event, values);
      const theirs = this.interfaces[contract].encodeEventLog(event, values);
      if (ours.data !== theirs.data || ours.topics.join() !== theirs.topics.join()) {
        throw new Error(`the synthetic ${event} log differs from its ABI encoding`);
      }
    }
  }

  /** Which event `index` is, of which contract, with which parameters. */
  #eventValues(
    index: number,
    block: number,
  ): { contract: keyof RealDIDInterfaces; event: string; values: EventValue[] } {
    const slot = this.#slot(index);
    const encode = (contract: keyof RealDIDInterfaces, event: string, values: EventValue[]) => ({
      contract,
      event,
      values,
    });
    if (slot === null) {
      return encode("IssuerRegistry", "IssuerAccredited", [
        issuerAddress(index),
        3,
        `Issuer ${index}`,
        "https://issuer.example",
      ]);
    }
    const { identity: n, width } = slot;
    const identity = identityAddress(n);
    const validTo = this.#timestamp(block) + YEAR;
    const issuer = issuerOf(n);
    const statusIndex = Math.floor(n / ISSUERS);
    // Slot 1 follows slot 0 by one window width; the fourth slot's DID change follows slot 1 (slot 2 is not one).
    const previous = (slots: number) => this.#blockOf(index - slots * width);
    switch (slot.slot) {
      case 0:
        return encode("DIDRegistry", "DIDDelegateChanged", [identity, VERI_KEY, address("de1e", n), validTo, 0]);
      case 1:
        return encode("DIDRegistry", "DIDAttributeChanged", [identity, PUB_KEY, word("02", n), validTo, previous(1)]);
      case 2:
        return encode("RealNameRegistry", "Attested", [
          identity,
          issuer,
          issuer,
          2,
          validTo,
          statusIndex,
          word("c0", n),
          identity,
          ZeroHash,
          ZeroHash,
          1,
        ]);
    }
    switch (n % 4) {
      case 0:
        return encode("DIDRegistry", "DIDAttributeChanged", [
          identity,
          SERVICE,
          hexlify(toUtf8Bytes(`https://hub.example/${n}`)),
          validTo,
          previous(2),
        ]);
      case 1:
        return encode("DIDRegistry", "DIDOwnerChanged", [identity, address("0e7e", n), previous(2)]);
      case 2:
        return encode("StatusRegistry", "StatusChanged", [issuer, REVOCATION, statusIndex, true, issuer]);
      default:
        return encode("DIDRegistry", "DIDDelegateChanged", [
          identity,
          SIG_AUTH,
          address("de2e", n),
          validTo,
          previous(2),
        ]);
    }
  }

  /**
   * ABI-encodes a log of `event`, whose parameters are addresses, integers, booleans, fixed bytes and at most one
   * `bytes`: ethers' `encodeEventLog` gives the same (checked once per event by the constructor) at a hundred
   * times the cost, which would make serving the history slower than indexing it.
   */
  #encode(contract: keyof RealDIDInterfaces, event: string, values: readonly EventValue[]): EncodedEvent {
    const fragment = this.#fragment(contract, event);
    const topics = [fragment.topicHash];
    const head: string[] = [];
    let tail = "";
    fragment.inputs.forEach((input, i) => {
      const value = values[i];
      if (input.type === "bytes") {
        const bytes = (value as string).slice(2);
        head.push(pad(BigInt(32 * fragment.inputs.filter((p) => !p.indexed).length)));
        tail = pad(BigInt(bytes.length / 2)) + bytes.padEnd(Math.ceil(bytes.length / 64) * 64, "0");
        return;
      }
      const encoded = staticWord(value);
      if (input.indexed) topics.push(`0x${encoded}`);
      else head.push(encoded);
    });
    return { contract, topics, data: `0x${head.join("")}${tail}` };
  }

  #fragment(contract: keyof RealDIDInterfaces, event: string): EventFragment {
    const key = `${contract}.${event}`;
    let fragment = this.#fragments.get(key);
    if (fragment === undefined) {
      fragment = this.interfaces[contract].getEvent(event)!;
      this.#fragments.set(key, fragment);
    }
    return fragment;
  }

  #transactionHash(block: number, position: number): Hex {
    return `0x${block.toString(16).padStart(32, "0")}${position.toString(16).padStart(32, "0")}`;
  }

  #logs(block: number): Log[] {
    const start = this.#starts[block];
    const end = this.#starts[block + 1];
    const logs: Log[] = [];
    for (let index = start; index < end; index += 1) {
      const { contract, topics, data } = this.#event(index, block);
      const position = hex(index - start);
      logs.push({
        address: this.#addresses[contract],
        topics,
        data,
        blockNumber: hex(block),
        blockHash: this.#hashes[block],
        transactionHash: this.#transactionHash(block, index - start),
        transactionIndex: position,
        logIndex: position,
        removed: false,
      });
    }
    return logs;
  }

  #block(n: number, full: boolean) {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.head) return null;
    const count = this.#starts[n + 1] - this.#starts[n];
    const transactions = Array.from({ length: count }, (_, i) => {
      const hash = this.#transactionHash(n, i);
      if (!full) return hash;
      return {
        hash,
        transactionIndex: hex(i),
        from: identityAddress(0),
        to: this.#addresses.DIDRegistry,
        value: "0x0",
        gas: "0x61a80",
        gasPrice: "0x3b9aca00",
        input: "0x",
        nonce: hex(i),
        blockHash: this.#hashes[n],
        blockNumber: hex(n),
      };
    });
    return {
      number: hex(n),
      hash: this.#hashes[n],
      parentHash: n === 0 ? ZeroHash : this.#hashes[n - 1],
      sha3Uncles: ZeroHash,
      miner: address("0000", 0),
      stateRoot: ZeroHash,
      transactionsRoot: ZeroHash,
      receiptsRoot: ZeroHash,
      gasUsed: "0x0",
      gasLimit: "0x3b9aca00",
      timestamp: hex(this.#timestamp(n)),
      baseFeePerGas: "0x1",
      transactions,
    };
  }

  /** The block by number (or `latest`), by hash, and logs by range or block hash: what the indexer asks. */
  request(method: string, params: unknown[]): unknown {
    const number = (tag: unknown) => (tag === "latest" ? this.head : Number(tag));
    switch (method) {
      case "eth_chainId":
        return hex(CHAIN_ID);
      case "net_version":
        return String(CHAIN_ID);
      case "eth_blockNumber":
        return hex(this.head);
      case "eth_getBlockByNumber":
        return this.#block(number(params[0]), params[1] === true);
      case "eth_getBlockByHash":
        return this.#block(this.#numbers.get(String(params[0])) ?? -1, params[1] === true);
      case "eth_getLogs": {
        const filter = params[0] as { fromBlock?: string; toBlock?: string; blockHash?: string };
        let from: number;
        let to: number;
        if (filter.blockHash !== undefined) {
          from = to = this.#numbers.get(filter.blockHash) ?? -1;
          if (from < 0) throw new RpcFailure(-32000, `unknown block ${filter.blockHash}`);
        } else {
          from = number(filter.fromBlock ?? "latest");
          to = Math.min(number(filter.toBlock ?? "latest"), this.head);
        }
        if (this.eventsIn(from, to) > this.maxLogs) {
          throw new RpcFailure(-32005, `query returned more than ${this.maxLogs} results`);
        }
        const logs: Log[] = [];
        for (let n = Math.max(from, 0); n <= to; n += 1) logs.push(...this.#logs(n));
        return logs;
      }
      default:
        throw new RpcFailure(-32601, `the method ${method} does not exist/is not available`);
    }
  }
}

/** A GraphQL request answering the data (throwing on errors). */
export type GraphQLData = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/**
 * Checks what the subgraph indexed of `history`: the issuers' attestation counts add up to the history's
 * attestations (one per identity: none lost or indexed twice anywhere), and each of `identities` has its number
 * of DIDRegistry changes. Throws naming the first difference.
 */
export async function checkIndexedHistory(
  request: GraphQLData,
  history: SyntheticHistory,
  identities: readonly number[],
): Promise<void> {
  const { issuers } = await request<{ issuers: { attestationCount: number }[] }>(
    "{ issuers(first: 1000) { attestationCount } }",
  );
  const attestations = issuers.reduce((sum, issuer) => sum + issuer.attestationCount, 0);
  if (attestations !== history.identities) {
    throw new Error(`${attestations} attestations indexed, the history holds ${history.identities}`);
  }
  for (const n of identities) {
    const { identity } = await request<{ identity: { eventCount: number } | null }>(
      "query ($id: ID!) { identity(id: $id) { eventCount } }",
      { id: identityAddress(n) },
    );
    if (identity?.eventCount !== history.didChanges(n)) {
      throw new Error(
        `identity ${n}: ${identity?.eventCount ?? "no"} DID changes indexed, the history has ${history.didChanges(n)}`,
      );
    }
  }
}

class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The history served over HTTP JSON-RPC (single requests and batches); `close` stops it. */
export async function serveHistory(history: SyntheticHistory): Promise<{ url: string; close(): Promise<void> }> {
  const answer = (call: { id?: unknown; method?: unknown; params?: unknown }) => {
    try {
      const params = Array.isArray(call.params) ? call.params : [];
      return { jsonrpc: "2.0", id: call.id ?? null, result: history.request(String(call.method), params) };
    } catch (error) {
      const code = error instanceof RpcFailure ? error.code : -32603;
      return { jsonrpc: "2.0", id: call.id ?? null, error: { code, message: (error as Error).message } };
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400).end("invalid JSON");
        return;
      }
      const reply = Array.isArray(body) ? body.map(answer) : answer(body as Record<string, unknown>);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
