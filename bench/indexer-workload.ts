/**
 * Chain workloads for the indexer benchmark: a bulk mix of every kind of RealDID write packed many transactions
 * to a block, and long DID histories with one change per block.
 *
 * Transactions go out as JSON-RPC batches of `eth_sendTransaction` with explicit nonces, gas limits and fees, from
 * the node's unlocked dev accounts and from impersonated identity accounts, so nothing is signed client-side.
 */
import {
  dataSlice,
  encodeBytes32String,
  hexlify,
  id,
  toBeHex,
  toUtf8Bytes,
  Wallet,
  ZeroHash,
  type Interface,
  type Log,
} from "ethers";

import { REVOCATION, SIG_AUTH, SUSPENSION, VERI_KEY } from "@realdid/testkit/trust";

import type { BatchRpc } from "./lib/chain.ts";
import type { RealDIDContracts } from "./lib/realdid.ts";

/** One transaction to send. */
interface PlannedTx {
  from: string;
  to: string;
  data: string;
  gas: bigint;
}

interface RpcReceipt {
  status: string;
  blockNumber: string;
  logs: { address: string; topics: string[]; data: string }[];
}

const DAY = 86_400;
const YEAR = 365 * DAY;
/** Raised from the node's 60 M so a block holds a few hundred transactions. */
const BLOCK_GAS_LIMIT = 1_000_000_000n;
/** Transactions mined per block in the bulk workload (at most; fewer when their gas limits fill the block). */
const TXS_PER_BLOCK = 200;
const RPC_BATCH = 250;
const FEES = { maxFeePerGas: toBeHex(100_000_000_000n), maxPriorityFeePerGas: toBeHex(1_000_000_000n) };
const GAS = { single: 400_000n, batch: 15_000_000n };

const PUB_KEY = encodeBytes32String("did/pub/Secp256k1/veriKey/hex");
const SERVICE = encodeBytes32String("did/svc/HubService");

/** A deterministic address for `label`. */
const address = (label: string): string => dataSlice(id(`realdid.bench.${label}`), 12);
const publicKey = (label: string): string => new Wallet(id(`realdid.bench.${label}`)).signingKey.compressedPublicKey;
const utf8 = (text: string): string => hexlify(toUtf8Bytes(text));

/** Sizes of the bulk workload; the defaults give about 12,000 events. */
export interface BulkOptions {
  /** DIDs that each make {@link DID_WRITES} DIDRegistry changes. */
  identities: number;
  issuers: number;
  /** `attestBatch` calls per issuer, of 100 identities; the second half re-attests the first half's identities. */
  batchesPerIssuer: number;
  /** Single `attest` calls per issuer. */
  singlesPerIssuer: number;
  /** Revocations per issuer in one `setStatuses` call. */
  revocationsPerIssuer: number;
  /** Suspensions per issuer, one `setStatus` call each. */
  suspensionsPerIssuer: number;
}

export const DEFAULT_BULK: BulkOptions = {
  identities: 300,
  issuers: 10,
  batchesPerIssuer: 4,
  singlesPerIssuer: 100,
  revocationsPerIssuer: 200,
  suspensionsPerIssuer: 20,
};
const ATTEST_BATCH = 100;
/** Writes per DID in the bulk workload, the last one an owner change. */
const DID_WRITES = 10;

/** What the bulk workload put on chain. */
export interface BulkResult {
  transactions: number;
  /** Blocks the workload's transactions were mined in. */
  blocks: number;
  /** Emitted events by contract and name. */
  events: Map<string, number>;
  totalEvents: number;
  seconds: number;
}

/** Sends transactions and mines them, many per block; checks every one succeeded. */
class Sender {
  readonly #nonces = new Map<string, number>();
  readonly hashes: string[] = [];

  constructor(
    private readonly rpc: BatchRpc,
    private readonly progress: (message: string) => void,
  ) {}

  /** Gives every sender not yet known an ETH balance and lets the node send for it. */
  async fund(accounts: readonly string[]): Promise<void> {
    const calls = accounts.flatMap((account) => [
      { method: "hardhat_impersonateAccount", params: [account] },
      { method: "hardhat_setBalance", params: [account, toBeHex(10n ** 20n)] },
    ]);
    for (let i = 0; i < calls.length; i += RPC_BATCH) await this.rpc.batch(calls.slice(i, i + RPC_BATCH));
  }

  async #nextNonces(senders: readonly string[]): Promise<void> {
    const unknown = [...new Set(senders)].filter((sender) => !this.#nonces.has(sender));
    for (let i = 0; i < unknown.length; i += RPC_BATCH) {
      const chunk = unknown.slice(i, i + RPC_BATCH);
      const counts = await this.rpc.batch<string>(
        chunk.map((sender) => ({ method: "eth_getTransactionCount", params: [sender, "pending"] })),
      );
      chunk.forEach((sender, index) => this.#nonces.set(sender, Number(counts[index])));
    }
  }

  /** Sends `txs` in order, mining a block every {@link TXS_PER_BLOCK} transactions (or sooner when gas runs out). */
  async send(label: string, txs: readonly PlannedTx[]): Promise<void> {
    await this.#nextNonces(txs.map((tx) => tx.from));
    let sent = 0;
    while (sent < txs.length) {
      let gas = 0n;
      let end = sent;
      while (end < txs.length && end - sent < TXS_PER_BLOCK && gas + txs[end].gas <= BLOCK_GAS_LIMIT) {
        gas += txs[end].gas;
        end += 1;
      }
      const calls = txs.slice(sent, end).map((tx) => {
        const nonce = this.#nonces.get(tx.from)!;
        this.#nonces.set(tx.from, nonce + 1);
        const request = { from: tx.from, to: tx.to, data: tx.data, gas: toBeHex(tx.gas), nonce: toBeHex(nonce) };
        return { method: "eth_sendTransaction", params: [{ ...request, ...FEES }] };
      });
      for (let i = 0; i < calls.length; i += RPC_BATCH) {
        this.hashes.push(...(await this.rpc.batch<string>(calls.slice(i, i + RPC_BATCH))));
      }
      await this.rpc.request("evm_mine");
      sent = end;
      this.progress(`${label}: ${sent}/${txs.length} transactions mined`);
    }
  }

  /** Receipts of everything sent, in order; throws on the first transaction that reverted. */
  async receipts(): Promise<RpcReceipt[]> {
    const receipts: RpcReceipt[] = [];
    for (let i = 0; i < this.hashes.length; i += RPC_BATCH) {
      const chunk = this.hashes.slice(i, i + RPC_BATCH);
      const replies = await this.rpc.batch<RpcReceipt | null>(
        chunk.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
      );
      replies.forEach((receipt, index) => {
        if (receipt === null) throw new Error(`transaction ${chunk[index]} was not mined`);
        if (receipt.status !== "0x1") throw new Error(`transaction ${chunk[index]} reverted`);
        receipts.push(receipt);
      });
    }
    return receipts;
  }
}

/** Names every log of `receipts` emitted by one of `contracts` as `Contract.Event` and counts them. */
function countEvents(
  receipts: readonly RpcReceipt[],
  contracts: Record<string, Interface>,
  byAddress: Map<string, string>,
) {
  const events = new Map<string, number>();
  for (const receipt of receipts) {
    for (const log of receipt.logs) {
      const name = byAddress.get(log.address.toLowerCase());
      if (name === undefined) continue;
      const event = contracts[name].parseLog(log as Pick<Log, "topics" | "data">);
      const key = `${name}.${event?.name ?? "unknown"}`;
      events.set(key, (events.get(key) ?? 0) + 1);
    }
  }
  return events;
}

/**
 * The bulk workload: issuers accredited and updated, DIDs changing delegates, attributes and owners, attestations
 * single and batched (half the batched ones replacing earlier attestations), revocations in batches, single
 * suspensions, whole status words, and an issuer suspended and reinstated.
 */
export async function generateBulk(
  rpc: BatchRpc,
  accounts: readonly string[],
  contracts: RealDIDContracts,
  options: BulkOptions,
  progress: (message: string) => void,
): Promise<BulkResult> {
  const started = performance.now();
  await rpc.request("evm_setBlockGasLimit", [toBeHex(BLOCK_GAS_LIMIT)]);
  await rpc.request("evm_setAutomine", [false]);
  const sender = new Sender(rpc, progress);
  const [did, issuerRegistry, realName, status] = await Promise.all(
    [contracts.didRegistry, contracts.issuerRegistry, contracts.realNameRegistry, contracts.statusRegistry].map((c) =>
      c.getAddress(),
    ),
  );
  const { interface: didAbi } = contracts.didRegistry;
  const { interface: issuerAbi } = contracts.issuerRegistry;
  const { interface: realNameAbi } = contracts.realNameRegistry;
  const { interface: statusAbi } = contracts.statusRegistry;
  const tx = (from: string, to: string, abi: Interface, fn: string, args: unknown[], gas = GAS.single): PlannedTx => ({
    from,
    to,
    data: abi.encodeFunctionData(fn, args),
    gas,
  });

  const governor = accounts[0];
  const issuers = accounts.slice(1, 1 + options.issuers);
  const latest = await rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  const expiry = Number(latest.timestamp) + YEAR;

  // Issuers first: attestations need them.
  await sender.send(
    "issuers",
    issuers.flatMap((issuer, i) => [
      tx(governor, issuerRegistry, issuerAbi, "accredit", [issuer, 3, `Issuer ${i}`, `https://issuer-${i}.example`]),
      tx(governor, issuerRegistry, issuerAbi, "updateIssuer", [issuer, 2, `Issuer ${i}`, `https://issuer-${i}.gov`]),
    ]),
  );

  // DIDs and attestations, interleaved so blocks mix them.
  const identities = Array.from({ length: options.identities }, (_, i) => address(`identity-${i}`));
  await sender.fund(identities);
  const didWrites = identities.map((identity, i) => {
    const writes: PlannedTx[] = [
      tx(identity, did, didAbi, "addDelegate", [identity, VERI_KEY, address(`device-${i}-a`), DAY]),
      tx(identity, did, didAbi, "addDelegate", [identity, SIG_AUTH, address(`device-${i}-b`), DAY]),
      tx(identity, did, didAbi, "setAttribute", [identity, PUB_KEY, publicKey(`key-${i}-a`), DAY]),
      tx(identity, did, didAbi, "setAttribute", [identity, SERVICE, utf8(`https://hub-${i}.example`), DAY]),
      tx(identity, did, didAbi, "addDelegate", [identity, VERI_KEY, address(`device-${i}-c`), DAY]),
      tx(identity, did, didAbi, "setAttribute", [identity, PUB_KEY, publicKey(`key-${i}-b`), YEAR]),
      tx(identity, did, didAbi, "setAttribute", [identity, SERVICE, utf8(`https://hub-${i}.example/v2`), DAY]),
      tx(identity, did, didAbi, "revokeDelegate", [identity, VERI_KEY, address(`device-${i}-a`)]),
      tx(identity, did, didAbi, "revokeAttribute", [identity, SERVICE, utf8(`https://hub-${i}.example`)]),
      tx(identity, did, didAbi, "changeOwner", [identity, address(`owner-${i}`)]),
    ];
    if (writes.length !== DID_WRITES) throw new Error("DID_WRITES is out of date");
    return writes;
  });

  const attestTarget = (issuer: number, batch: number, k: number) => address(`attested-${issuer}-${batch}-${k}`);
  const commitment = (label: string) => id(`realdid.bench.commitment.${label}`);
  const half = Math.ceil(options.batchesPerIssuer / 2);
  const attestations = issuers.map((issuer, i) => {
    const batches = Array.from({ length: options.batchesPerIssuer }, (_, b) => {
      // The second half of the batches re-attests the next issuer's first-half identities: replacements.
      const targets = Array.from({ length: ATTEST_BATCH }, (_, k) =>
        b < half ? attestTarget(i, b, k) : attestTarget((i + 1) % issuers.length, b - half, k),
      );
      const commitments = targets.map((target) => commitment(`${i}-${target}`));
      return tx(
        issuer,
        realName,
        realNameAbi,
        "attestBatch",
        [issuer, 2, expiry, ZeroHash, targets, targets, commitments, []],
        GAS.batch,
      );
    });
    return batches;
  });
  await sender.send("DIDs and attestations", interleave([...didWrites, ...attestations]));

  // Single attestations name the owner the issuer checked: after the DIDs' owner changes.
  const singles = issuers.map((issuer, i) =>
    Array.from({ length: options.singlesPerIssuer }, (_, k) => {
      // DIDs of the DID workload first (owned by their new owners), then fresh self-owned addresses.
      const n = i * options.singlesPerIssuer + k;
      const identity = n < identities.length ? identities[n] : address(`single-${n}`);
      const owner = n < identities.length ? address(`owner-${n}`) : identity;
      const data = [identity, owner, 1 + (k % 2), expiry, commitment(`single-${n}`), ZeroHash, ZeroHash];
      return tx(issuer, realName, realNameAbi, "attest", [issuer, data]);
    }),
  );
  await sender.send("single attestations", interleave(singles));

  // Status changes need allocated status indices: after the attestations.
  const revocations = Array.from({ length: options.revocationsPerIssuer }, (_, k) => BigInt(k));
  // A 128-status word: statuses 0-7 and 49, 51, 52, 54 suspended.
  const statusWord = (0xffn << 120n) | (0x5an << 72n);
  await sender.send(
    "status lists and issuer life cycle",
    interleave([
      ...issuers.map((issuer) => [
        tx(issuer, status, statusAbi, "setStatuses", [issuer, REVOCATION, revocations, true], GAS.batch),
        ...Array.from({ length: options.suspensionsPerIssuer }, (_, k) =>
          tx(issuer, status, statusAbi, "setStatus", [
            issuer,
            SUSPENSION,
            BigInt(options.revocationsPerIssuer + k),
            true,
          ]),
        ),
        tx(issuer, status, statusAbi, "setStatusWord", [issuer, SUSPENSION, 0n, statusWord]),
      ]),
      [
        tx(governor, issuerRegistry, issuerAbi, "suspend", [issuers[0], "audit"]),
        tx(governor, issuerRegistry, issuerAbi, "reinstate", [issuers[0]]),
      ],
    ]),
  );
  await rpc.request("evm_setAutomine", [true]);

  const receipts = await sender.receipts();
  const interfaces = {
    DIDRegistry: didAbi,
    IssuerRegistry: issuerAbi,
    RealNameRegistry: realNameAbi,
    StatusRegistry: statusAbi,
  };
  const byAddress = new Map([
    [did.toLowerCase(), "DIDRegistry"],
    [issuerRegistry.toLowerCase(), "IssuerRegistry"],
    [realName.toLowerCase(), "RealNameRegistry"],
    [status.toLowerCase(), "StatusRegistry"],
  ]);
  const events = countEvents(receipts, interfaces, byAddress);
  return {
    transactions: receipts.length,
    blocks: new Set(receipts.map((receipt) => receipt.blockNumber)).size,
    events,
    totalEvents: [...events.values()].reduce((a, b) => a + b, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Round-robin over `queues`, keeping each queue's order (a sender's nonces stay in order). */
function interleave<T>(queues: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...queues.map((queue) => queue.length));
  for (let i = 0; i < longest; i += 1) for (const queue of queues) if (i < queue.length) out.push(queue[i]);
  return out;
}

/**
 * Gives `identity` (an unlocked account) a history of `changes` DIDRegistry changes, each in its own block (the
 * node mines every transaction on arrival): delegates and attributes added, replaced and revoked over a few keys,
 * so the current state stays small while the history grows.
 */
export async function generateHistory(
  rpc: BatchRpc,
  contracts: RealDIDContracts,
  identity: string,
  changes: number,
): Promise<void> {
  const did = await contracts.didRegistry.getAddress();
  const abi = contracts.didRegistry.interface;
  const nonce = Number(await rpc.request<string>("eth_getTransactionCount", [identity, "pending"]));
  const KEYS = 4;
  const calls = Array.from({ length: changes }, (_, i) => {
    const key = (i >> 2) % KEYS;
    const delegate = address(`history-${identity}-${key}`);
    const service = utf8(`https://hub.example/${key}`);
    const [fn, args] = [
      ["addDelegate", [identity, VERI_KEY, delegate, YEAR]],
      ["setAttribute", [identity, PUB_KEY, publicKey(`history-${key}`), YEAR]],
      ["setAttribute", [identity, SERVICE, service, YEAR]],
      i % 8 === 3
        ? ["revokeDelegate", [identity, VERI_KEY, delegate]]
        : ["revokeAttribute", [identity, SERVICE, service]],
    ][i % 4] as [string, unknown[]];
    const request = { from: identity, to: did, data: abi.encodeFunctionData(fn, args), gas: toBeHex(GAS.single) };
    return { method: "eth_sendTransaction", params: [{ ...request, nonce: toBeHex(nonce + i), ...FEES }] };
  });
  for (let i = 0; i < calls.length; i += RPC_BATCH) await rpc.batch(calls.slice(i, i + RPC_BATCH));
}
