/**
 * The calling convention between the mapping and the host: codecs that turn raw WebAssembly arguments
 * (pointers, i32, i64, f64) into host values and back, and {@link hostFunction}, which wraps a pure typed
 * implementation into a WebAssembly import.
 */
import { AscHeap, TypeId, type TypeIdIndex } from "../asc.ts";
import type { Decimal } from "../bignum.ts";
import { DeterministicError } from "../errors.ts";
import {
  readBigDecimal,
  readBigInt,
  readEntity,
  readEthereumValue,
  readEthereumValues,
  writeBigDecimal,
  writeBigInt,
  writeEntity,
  writeEthereumValue,
  writeEthereumValues,
  writeTree,
  type Entity,
  type EthereumValue,
  type TreeTypeIds,
  type TreeValue,
} from "../values.ts";

export type WasmValue = number | bigint;

export interface Codec<T> {
  read(heap: AscHeap, raw: WasmValue): T;
  write(heap: AscHeap, value: T): WasmValue;
}

/** Pointers arrive as signed i32. */
const pointer = (raw: WasmValue): number => Number(raw) >>> 0;

function readOnly<T>(what: string, read: (heap: AscHeap, ptr: number) => T): Codec<T> {
  return {
    read: (heap, raw) => read(heap, pointer(raw)),
    write: () => {
      throw new DeterministicError(`the host never returns ${what}`);
    },
  };
}

function writeOnly<T>(what: string, write: (heap: AscHeap, value: T) => WasmValue): Codec<T> {
  return {
    read: () => {
      throw new DeterministicError(`the host never receives ${what}`);
    },
    write,
  };
}

function object<T>(read: (heap: AscHeap, ptr: number) => T, write: (heap: AscHeap, value: T) => number): Codec<T> {
  return { read: (heap, raw) => read(heap, pointer(raw)), write };
}

export const string = object(
  (heap, ptr) => heap.readString(ptr),
  (heap, value: string) => heap.writeString(value),
);
export const bytes = object(
  (heap, ptr) => heap.readUint8Array(ptr),
  (heap, value: Uint8Array) => heap.writeUint8Array(value),
);
export const bigInt = object(readBigInt, writeBigInt);
export const bigDecimal = object<Decimal>(readBigDecimal, writeBigDecimal);
export const entity = object<Entity>(readEntity, writeEntity);
export const ethereumValue = object<EthereumValue>(readEthereumValue, writeEthereumValue);
export const ethereumValues = object<EthereumValue[]>(readEthereumValues, writeEthereumValues);

/** Numbers passed by value. */
export const i32: Codec<number> = { read: (_, raw) => Number(raw), write: (_, value) => value };
export const u8 = i32;
export const f64 = i32;
export const i64: Codec<bigint> = { read: (_, raw) => BigInt(raw), write: (_, value) => BigInt.asIntN(64, value) };
export const bool: Codec<boolean> = { read: (_, raw) => Number(raw) !== 0, write: (_, value) => (value ? 1 : 0) };
export const none: Codec<void> = { read: () => undefined, write: () => 0 };

export function nullable<T>(codec: Codec<T>): Codec<T | null> {
  return {
    read: (heap, raw) => (pointer(raw) === 0 ? null : codec.read(heap, raw)),
    write: (heap, value) => (value === null ? 0 : codec.write(heap, value)),
  };
}

/** `Wrapped<bool>`: `{ inner: bool }`. */
export const wrappedBool = writeOnly("wrapped booleans", (heap, value: boolean) => {
  const ptr = heap.alloc(4, TypeId.WrappedBool);
  heap.setU8(ptr, value ? 1 : 0);
  return ptr;
});

/** A `SmartContractCall` (chain/ethereum.ts): the fields `ethereum.call` needs. */
export interface SmartContractCall {
  contractName: string;
  contractAddress: Uint8Array;
  functionName: string;
  functionSignature: string;
  functionParams: EthereumValue[];
}

export const smartContractCall = readOnly("contract calls", (heap, ptr): SmartContractCall => ({
  contractName: heap.readString(heap.field(ptr, 0)),
  contractAddress: heap.readUint8Array(heap.field(ptr, 1)),
  functionName: heap.readString(heap.field(ptr, 2)),
  functionSignature: heap.readString(heap.field(ptr, 3)),
  functionParams: ethereumValues.read(heap, heap.field(ptr, 4)),
}));

export function tree(ids: TreeTypeIds, keysAsValues: boolean): Codec<TreeValue> {
  return writeOnly("JSON or YAML values", (heap, value: TreeValue) => writeTree(heap, value, ids, keysAsValues));
}

/**
 * `Result<V, bool>`: `{ _value: Wrapped<V> | null, _error: Wrapped<bool> | null }`; a null host value is the
 * error case.
 */
export function result<V>(value: Codec<V>, ids: { result: TypeIdIndex; wrappedValue: TypeIdIndex }): Codec<V | null> {
  return writeOnly("results", (heap, inner: V | null) => {
    if (inner === null) {
      return heap.writeObject(ids.result, [0, Number(wrappedBool.write(heap, true))]);
    }
    const wrapped = heap.writeObject(ids.wrappedValue, [Number(value.write(heap, inner))]);
    return heap.writeObject(ids.result, [wrapped, 0]);
  });
}

type Decoded<A extends readonly Codec<unknown>[]> = { [K in keyof A]: A[K] extends Codec<infer T> ? T : never };

/** A host function: its codecs and its typed implementation (sync, or async through JSPI). */
export interface HostFunction {
  async: boolean;
  /** The raw import given the instance's heap. */
  bind(heap: () => AscHeap): (...raw: WasmValue[]) => WasmValue | Promise<WasmValue>;
}

export function hostFunction<const A extends readonly Codec<unknown>[], R>(
  args: A,
  ret: Codec<R>,
  impl: (...values: Decoded<A>) => R,
): HostFunction {
  return {
    async: false,
    bind:
      (heap) =>
      (...raw) => {
        const h = heap();
        return ret.write(h, impl(...(args.map((codec, i) => codec.read(h, raw[i])) as Decoded<A>)));
      },
  };
}

export function asyncHostFunction<const A extends readonly Codec<unknown>[], R>(
  args: A,
  ret: Codec<R>,
  impl: (...values: Decoded<A>) => Promise<R>,
): HostFunction {
  return {
    async: true,
    bind:
      (heap) =>
      async (...raw) => {
        const values = args.map((codec, i) => codec.read(heap(), raw[i])) as Decoded<A>;
        const value = await impl(...values);
        return ret.write(heap(), value);
      },
  };
}

/** A host function graph-ts declares that this host cannot provide: calling it fails the handler. */
export function unsupportedFunction(error: () => Error): HostFunction {
  return {
    async: false,
    bind: () => () => {
      throw error();
    },
  };
}

export type HostFunctions = Record<string, HostFunction>;
