/**
 * Writes an `ethereum.Event` (graph-ts 0.38 chain/ethereum.ts) for one log into module memory:
 *
 *   Event       { address, logIndex, transactionLogIndex, logType, block, transaction, parameters, receipt }
 *   Block       { hash, parentHash, unclesHash, author, stateRoot, transactionsRoot, receiptsRoot, number,
 *                 gasUsed, gasLimit, timestamp, difficulty, totalDifficulty, size, baseFeePerGas }
 *   Transaction { hash, index, from, to, value, gasLimit, gasPrice, input, nonce }
 *   Receipt     { transactionHash, transactionIndex, blockHash, blockNumber, cumulativeGasUsed, gasUsed,
 *                 contractAddress, logs, status, root, logsBloom }
 *   Log         { address, topics, data, blockHash, blockNumber, transactionHash, transactionIndex,
 *                 logIndex, transactionLogIndex, logType, removed }
 *   EventParam  { name, value: ethereum.Value }
 */
import type { EventFragment } from "ethers";

import { AbiDecodeError, decodeEventLog } from "./abi-decoder.ts";
import { AscHeap, TypeId } from "./asc.ts";
import type { RpcBlock, RpcLog, RpcReceipt, RpcTransaction } from "./rpc.ts";
import { hexToBytes, writeBigInt, writeEthereumValue, type EthereumValue } from "./values.ts";

/** One decoded event parameter. */
export interface EventParam {
  name: string;
  value: EthereumValue;
}

/**
 * Decodes a log's parameters with the handler's ABI fragment; null when the log does not fit the fragment
 * (another event with the same topic0 but different `indexed` markers), which the caller skips.
 */
export function decodeEventParams(fragment: EventFragment, log: RpcLog): EventParam[] | null {
  let values;
  try {
    values = decodeEventLog(fragment, log.topics, log.data);
  } catch (error) {
    if (error instanceof AbiDecodeError) return null;
    throw error;
  }
  return fragment.inputs.map((input, i) => ({ name: input.name, value: values[i] }));
}

/** Everything written for one event. */
export interface EventInput {
  log: RpcLog;
  params: EventParam[];
  block: RpcBlock;
  transaction: RpcTransaction;
  receipt: RpcReceipt | null;
}

const bytes = (heap: AscHeap, hex: string): number => heap.writeUint8Array(hexToBytes(hex));
const bigInt = (heap: AscHeap, hex: string | undefined): number => writeBigInt(heap, BigInt(hex ?? 0));
const optionalBigInt = (heap: AscHeap, hex: string | undefined): number => (hex === undefined ? 0 : bigInt(heap, hex));
const optionalBytes = (heap: AscHeap, hex: string | null | undefined): number => (hex == null ? 0 : bytes(heap, hex));
const optionalString = (heap: AscHeap, text: string | undefined): number =>
  text === undefined ? 0 : heap.writeString(text);

export function writeBlock(heap: AscHeap, block: RpcBlock): number {
  return heap.writeObject(TypeId.EthereumBlock, [
    bytes(heap, block.hash),
    bytes(heap, block.parentHash),
    bytes(heap, block.sha3Uncles),
    bytes(heap, block.miner),
    bytes(heap, block.stateRoot),
    bytes(heap, block.transactionsRoot),
    bytes(heap, block.receiptsRoot),
    bigInt(heap, block.number),
    bigInt(heap, block.gasUsed),
    bigInt(heap, block.gasLimit),
    bigInt(heap, block.timestamp),
    bigInt(heap, block.difficulty),
    bigInt(heap, block.totalDifficulty),
    optionalBigInt(heap, block.size),
    optionalBigInt(heap, block.baseFeePerGas),
  ]);
}

export function writeTransaction(heap: AscHeap, tx: RpcTransaction): number {
  return heap.writeObject(TypeId.EthereumTransaction, [
    bytes(heap, tx.hash),
    bigInt(heap, tx.transactionIndex),
    bytes(heap, tx.from),
    optionalBytes(heap, tx.to),
    bigInt(heap, tx.value),
    bigInt(heap, tx.gas),
    bigInt(heap, tx.gasPrice ?? tx.maxFeePerGas),
    bytes(heap, tx.input),
    bigInt(heap, tx.nonce),
  ]);
}

/** Index of a log within its transaction: the node's value if it reports one, else the block log index. */
function transactionLogIndex(log: RpcLog, receipt: RpcReceipt | null): string {
  if (log.transactionLogIndex !== undefined) return log.transactionLogIndex;
  const position = receipt?.logs.findIndex((other) => other.logIndex === log.logIndex) ?? -1;
  return position >= 0 ? `0x${position.toString(16)}` : log.logIndex;
}

function writeLog(heap: AscHeap, log: RpcLog, receipt: RpcReceipt): number {
  const topics = heap.writePointerArray(
    log.topics.map((topic) => bytes(heap, topic)),
    TypeId.ArrayH256,
  );
  const removed = log.removed === undefined ? 0 : heap.alloc(4, TypeId.WrappedBool);
  if (removed !== 0) heap.setU8(removed, log.removed ? 1 : 0);
  return heap.writeObject(TypeId.Log, [
    bytes(heap, log.address),
    topics,
    bytes(heap, log.data),
    bytes(heap, log.blockHash),
    bigInt(heap, log.blockNumber),
    bytes(heap, log.transactionHash),
    bigInt(heap, log.transactionIndex),
    bigInt(heap, log.logIndex),
    bigInt(heap, transactionLogIndex(log, receipt)),
    optionalString(heap, log.logType),
    removed,
  ]);
}

export function writeReceipt(heap: AscHeap, receipt: RpcReceipt): number {
  const logs = heap.writePointerArray(
    receipt.logs.map((log) => writeLog(heap, log, receipt)),
    TypeId.ArrayLog,
  );
  return heap.writeObject(TypeId.TransactionReceipt, [
    bytes(heap, receipt.transactionHash),
    bigInt(heap, receipt.transactionIndex),
    bytes(heap, receipt.blockHash),
    bigInt(heap, receipt.blockNumber),
    bigInt(heap, receipt.cumulativeGasUsed),
    bigInt(heap, receipt.gasUsed),
    optionalBytes(heap, receipt.contractAddress),
    logs,
    bigInt(heap, receipt.status),
    optionalBytes(heap, receipt.root),
    bytes(heap, receipt.logsBloom),
  ]);
}

export function writeEventParams(heap: AscHeap, params: readonly EventParam[]): number {
  const items = params.map((param) =>
    heap.writeObject(TypeId.EventParam, [heap.writeString(param.name), writeEthereumValue(heap, param.value)]),
  );
  return heap.writePointerArray(items, TypeId.ArrayEventParam);
}

/** Writes the `ethereum.Event` a handler receives and returns its pointer. */
export function writeEvent(heap: AscHeap, input: EventInput): number {
  const { log, receipt } = input;
  return heap.writeObject(TypeId.EthereumEvent, [
    bytes(heap, log.address),
    bigInt(heap, log.logIndex),
    bigInt(heap, transactionLogIndex(log, receipt)),
    optionalString(heap, log.logType),
    writeBlock(heap, input.block),
    writeTransaction(heap, input.transaction),
    writeEventParams(heap, input.params),
    receipt === null ? 0 : writeReceipt(heap, receipt),
  ]);
}
