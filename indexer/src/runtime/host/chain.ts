/** `ethereum.*`, `dataSource.*` and `log.log`: the chain and the data source as of the current block. */
import { FunctionFragment, getAddress, hexlify, Interface, ParamType } from "ethers";

import { AbiDecodeError, decodeAbi, hexBytes } from "../abi-decoder.ts";
import { DeterministicError, unsupported } from "../errors.ts";
import type { LogLevel } from "../logger.ts";
import { RpcError, type Hex } from "../rpc.ts";
import { abiEncode, hexToBytes, toEthers, type EthereumValue } from "../values.ts";
import {
  asyncHostFunction,
  bigInt,
  bytes,
  entity,
  ethereumValue,
  ethereumValues,
  hostFunction,
  i32,
  none,
  nullable,
  smartContractCall,
  string,
  unsupportedFunction,
  wrappedBool,
  type HostFunctions,
  type SmartContractCall,
} from "./abi.ts";
import type { HostContext } from "./context.ts";

/** graph-ts `log.Level` by number. */
const LOG_LEVELS: readonly LogLevel[] = ["critical", "error", "warning", "info", "debug"];

/** `name(inputs):(outputs)` (graph-cli's form) or `name(inputs)` as an ethers fragment. */
export function callFragment(signature: string): FunctionFragment {
  const split = signature.indexOf("):");
  const inputs = split === -1 ? signature : signature.slice(0, split + 1);
  const outputs = split === -1 ? "" : ` returns ${signature.slice(split + 2)}`;
  try {
    return FunctionFragment.from(`function ${inputs}${outputs}`);
  } catch (error) {
    throw new DeterministicError(`invalid contract call signature ${signature}: ${(error as Error).message}`);
  }
}

/** Whether an `eth_call` failure is the contract reverting (the mapping sees null) rather than the RPC failing. */
function isRevert(error: unknown): boolean {
  if (!(error instanceof RpcError)) return false;
  return error.code === 3 || /revert|VM Exception|invalid opcode|out of gas/i.test(error.message);
}

async function contractCall(ctx: HostContext, call: SmartContractCall): Promise<EthereumValue[] | null> {
  const fragment = callFragment(call.functionSignature);
  const abi = new Interface([fragment]);
  let data: string;
  try {
    data = abi.encodeFunctionData(
      fragment,
      call.functionParams.map((param) => toEthers(param).value),
    );
  } catch (error) {
    throw new DeterministicError(
      `cannot encode call ${call.contractName}.${call.functionSignature}: ${(error as Error).message}`,
    );
  }
  let output: Hex;
  try {
    output = await ctx.rpc.request<Hex>("eth_call", [
      { to: hexlify(call.contractAddress), data },
      { blockHash: ctx.block.hash },
    ]);
  } catch (error) {
    if (isRevert(error)) return null;
    throw error;
  }
  // No code at the address or a different ABI: graph-node reports this as a failed call too.
  return decodeOrNull(() => {
    const result = hexBytes(output);
    // Interface.decodeFunctionResult's rule: a result is whole words.
    if (result.length % 32 !== 0) throw new AbiDecodeError(`call result of ${result.length} bytes is not whole words`);
    return decodeAbi(fragment.outputs, result);
  });
}

function decodeOrNull<T>(decode: () => T): T | null {
  try {
    return decode();
  } catch (error) {
    if (error instanceof AbiDecodeError) return null;
    throw error;
  }
}

function encode(value: EthereumValue): Uint8Array | null {
  try {
    return abiEncode(value);
  } catch {
    return null;
  }
}

function decode(types: string, data: Uint8Array): EthereumValue | null {
  let type: ParamType;
  try {
    type = ParamType.from(types);
  } catch {
    return null;
  }
  return decodeOrNull(() => decodeAbi([type], data)[0]);
}

export function chainFunctions(ctx: HostContext): HostFunctions {
  // EIP-1898: read the state of exactly the block being processed, even if the chain reorganises meanwhile.
  const blockTag = () => ({ blockHash: ctx.block.hash });
  const address = ctx.dataSource.address ?? "0x0000000000000000000000000000000000000000";
  return {
    "ethereum.call": asyncHostFunction([smartContractCall], nullable(ethereumValues), (call) =>
      contractCall(ctx, call),
    ),
    "ethereum.getBalance": asyncHostFunction([bytes], bigInt, async (account) =>
      BigInt(await ctx.rpc.request<Hex>("eth_getBalance", [getAddress(hexlify(account)), blockTag()])),
    ),
    "ethereum.hasCode": asyncHostFunction([bytes], wrappedBool, async (account) => {
      const code = await ctx.rpc.request<Hex>("eth_getCode", [getAddress(hexlify(account)), blockTag()]);
      return code !== "0x" && code !== "0x0";
    }),
    "ethereum.encode": hostFunction([ethereumValue], nullable(bytes), encode),
    "ethereum.decode": hostFunction([string, bytes], nullable(ethereumValue), decode),

    "dataSource.address": hostFunction([], bytes, () => hexToBytes(address)),
    "dataSource.network": hostFunction([], string, () => ctx.dataSource.network),
    "dataSource.context": hostFunction([], entity, () => ctx.dataSource.context),
    "dataSource.create": unsupportedFunction(() =>
      unsupported("dataSource.create", "data source templates are not supported"),
    ),
    "dataSource.createWithContext": unsupportedFunction(() =>
      unsupported("dataSource.createWithContext", "data source templates are not supported"),
    ),

    "log.log": hostFunction([i32, string], none, (level, message) => {
      const name = LOG_LEVELS[level] ?? "info";
      if (name === "critical") throw new DeterministicError(`critical error logged in mapping: ${message}`);
      ctx.logger.log(name, message, { dataSource: ctx.dataSource.name, block: ctx.block.number });
    }),
  };
}
