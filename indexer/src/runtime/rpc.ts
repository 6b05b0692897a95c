/**
 * The JSON-RPC client the runtime reads the chain through, over HTTP for real use or over any EIP-1193
 * provider (e.g. an in-process Hardhat network in tests), plus the JSON-RPC shapes it reads.
 */
import { TransientError } from "./errors.ts";

export interface RpcClient {
  request<T>(method: string, params: readonly unknown[]): Promise<T>;
}

/** A JSON-RPC error response (or a transport failure, `code` undefined). Retrying may help. */
export class RpcError extends TransientError {
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
    readonly data?: unknown,
  ) {
    super(`${method}: ${message}`);
  }
}

/** Speaks JSON-RPC over HTTP with `fetch`. */
export class HttpRpcClient implements RpcClient {
  #id = 0;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /**
   * Sends one request. The runtime only reads, so a request whose connection broke (a node closing an idle
   * keep-alive socket while a long block was being processed) is sent once more before it counts as failed.
   */
  async request<T>(method: string, params: readonly unknown[]): Promise<T> {
    let body: { result?: T; error?: { code: number; message: string; data?: unknown } };
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(this.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: ++this.#id, method, params }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
        body = (await response.json()) as typeof body;
        break;
      } catch (error) {
        const connectionBroke = error instanceof TypeError && attempt === 1;
        if (!connectionBroke) {
          throw new RpcError(method, `request to ${this.url} failed: ${(error as Error).message}`);
        }
      }
    }
    if (body.error !== undefined) throw new RpcError(method, body.error.message, body.error.code, body.error.data);
    return body.result as T;
  }
}

/** The part of an EIP-1193 provider the runtime uses. */
export interface Eip1193Provider {
  request(args: { method: string; params?: readonly unknown[] }): Promise<unknown>;
}

/** Adapts an EIP-1193 provider (Hardhat's `network.create()` provider, a wallet) to {@link RpcClient}. */
export class Eip1193RpcClient implements RpcClient {
  constructor(private readonly provider: Eip1193Provider) {}

  async request<T>(method: string, params: readonly unknown[]): Promise<T> {
    try {
      return (await this.provider.request({ method, params })) as T;
    } catch (error) {
      const { message, code, data } = error as { message?: string; code?: number; data?: unknown };
      throw new RpcError(method, message ?? String(error), code, data);
    }
  }
}

export type Hex = `0x${string}`;

export interface RpcLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  logIndex: Hex;
  transactionLogIndex?: Hex;
  logType?: string;
  removed?: boolean;
}

export interface RpcTransaction {
  hash: Hex;
  transactionIndex: Hex;
  from: Hex;
  to: Hex | null;
  value: Hex;
  gas: Hex;
  gasPrice?: Hex;
  maxFeePerGas?: Hex;
  input: Hex;
  nonce: Hex;
}

export interface RpcBlock<Tx = RpcTransaction> {
  hash: Hex;
  parentHash: Hex;
  sha3Uncles: Hex;
  miner: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  number: Hex;
  gasUsed: Hex;
  gasLimit: Hex;
  timestamp: Hex;
  difficulty?: Hex;
  totalDifficulty?: Hex;
  size?: Hex;
  baseFeePerGas?: Hex;
  transactions: Tx[];
}

export interface RpcReceipt {
  transactionHash: Hex;
  transactionIndex: Hex;
  blockHash: Hex;
  blockNumber: Hex;
  cumulativeGasUsed: Hex;
  gasUsed: Hex;
  contractAddress: Hex | null;
  logs: RpcLog[];
  status?: Hex;
  root?: Hex;
  logsBloom: Hex;
}

export const toHex = (value: number | bigint): Hex => `0x${value.toString(16)}`;
export const fromHex = (value: Hex | string): number => Number(BigInt(value));
