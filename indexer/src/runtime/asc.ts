/**
 * AssemblyScript 0.19 memory layout, as used by graph-ts mappings (stub runtime, no GC).
 *
 * Every managed object is preceded by a 20-byte header; the host only touches its last two words:
 *
 *   ptr-20 mmInfo | ptr-16 gcInfo | ptr-12 gcInfo2 | ptr-8 rtId | ptr-4 rtSize | ptr: payload
 *
 * - string:       UTF-16LE code units, rtSize = byte length
 * - ArrayBuffer:  raw bytes, rtSize = byte length
 * - typed arrays: { buffer: ArrayBuffer, dataStart: usize, byteLength: i32 } (12 bytes)
 * - Array<T>:     { buffer: ArrayBuffer, dataStart: usize, byteLength: i32, length: i32 } (16 bytes)
 * - classes:      fields in declaration order, each aligned to its size; references are 32-bit pointers
 *
 * Objects are allocated with the module's exported `__new(size, rtId)`; class ids come from the exported
 * `id_of_type(TypeId)`, whose `TypeId` numbering graph-ts shares with graph-node.
 */
import { DeterministicError } from "./errors.ts";

const UTF16 = new TextDecoder("utf-16le");

/** graph-ts `TypeId` discriminants (global/global.ts) of the classes this host writes. */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayJsonValue: 17,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringJsonValue: 20,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  WrappedBool: 28,
  WrappedJsonValue: 29,
  EthereumValue: 30,
  StoreValue: 31,
  JsonValue: 32,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapEntryStringJsonValue: 35,
  TypedMapStringStoreValue: 36,
  TypedMapStringJsonValue: 37,
  ResultJsonValueBool: 40,
  TransactionReceipt: 1000,
  Log: 1001,
  ArrayH256: 1002,
  ArrayLog: 1003,
  YamlValue: 5500,
  YamlTaggedValue: 5501,
  YamlTypedMapEntryValueValue: 5502,
  YamlTypedMapValueValue: 5503,
  YamlArrayValue: 5504,
  YamlArrayTypedMapEntryValueValue: 5505,
  YamlWrappedValue: 5506,
  YamlResultValueBool: 5507,
} as const;
export type TypeIdIndex = (typeof TypeId)[keyof typeof TypeId];

/** The exports of a compiled graph-ts mapping the host relies on. */
export interface AscExports {
  memory: WebAssembly.Memory;
  __new(size: number, rtId: number): number;
  id_of_type(typeId: number): number;
}

const HEADER_RT_SIZE = -4;
const ARRAY_SIZE = 16;
const TYPED_ARRAY_SIZE = 12;
/** Strings up to this size are read from their code units rather than through the UTF-16 decoder. */
const SHORT_STRING_BYTES = 256;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Byte-level access to one module instance's memory plus allocation of AssemblyScript objects. */
export class AscHeap {
  readonly #exports: AscExports;
  readonly #rtIds = new Map<number, number>();
  #view: DataView;
  #bytes: Uint8Array;

  constructor(exports: AscExports) {
    this.#exports = exports;
    this.#view = new DataView(exports.memory.buffer);
    this.#bytes = new Uint8Array(exports.memory.buffer);
  }

  /**
   * Memory views are detached when the module grows its memory: refresh them on demand. A detached view has length
   * 0, which is cheaper to ask than the memory's current buffer.
   */
  #refresh(): void {
    if (this.#bytes.byteLength === 0) {
      this.#view = new DataView(this.#exports.memory.buffer);
      this.#bytes = new Uint8Array(this.#exports.memory.buffer);
    }
  }

  #checkRange(ptr: number, size: number): void {
    // Memory may have grown (and the old view detached) since the last access.
    this.#refresh();
    if (ptr <= 0 || ptr + size > this.#bytes.byteLength) {
      throw new DeterministicError(`mapping passed an invalid pointer ${ptr} (size ${size})`);
    }
  }

  get view(): DataView {
    this.#refresh();
    return this.#view;
  }

  /** The runtime class id of a graph-ts `TypeId`, asked from the module once. */
  rtId(typeId: TypeIdIndex): number {
    let id = this.#rtIds.get(typeId);
    if (id === undefined) {
      id = this.#exports.id_of_type(typeId);
      this.#rtIds.set(typeId, id);
    }
    return id;
  }

  /** Allocates a zeroed managed object of `size` bytes. */
  alloc(size: number, typeId: TypeIdIndex): number {
    const ptr = this.#exports.__new(size, this.rtId(typeId));
    this.#refresh();
    this.#bytes.fill(0, ptr, ptr + size);
    return ptr;
  }

  /** Size of a managed object's payload, from its header. */
  size(ptr: number): number {
    this.#checkRange(ptr, 0);
    return this.view.getUint32(ptr + HEADER_RT_SIZE, true);
  }

  u8(ptr: number): number {
    this.#checkRange(ptr, 1);
    return this.view.getUint8(ptr);
  }
  u32(ptr: number): number {
    this.#checkRange(ptr, 4);
    return this.view.getUint32(ptr, true);
  }
  i32(ptr: number): number {
    this.#checkRange(ptr, 4);
    return this.view.getInt32(ptr, true);
  }
  i64(ptr: number): bigint {
    this.#checkRange(ptr, 8);
    return this.view.getBigInt64(ptr, true);
  }
  setU8(ptr: number, value: number): void {
    this.view.setUint8(ptr, value);
  }
  setU32(ptr: number, value: number): void {
    this.view.setUint32(ptr, value, true);
  }
  setI64(ptr: number, value: bigint): void {
    this.view.setBigInt64(ptr, value, true);
  }

  /** Copies `length` bytes out of module memory. */
  copyOut(ptr: number, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    this.#checkRange(ptr, length);
    return this.#bytes.slice(ptr, ptr + length);
  }

  readString(ptr: number): string {
    const byteLength = this.size(ptr);
    this.#checkRange(ptr, byteLength);
    if (byteLength <= SHORT_STRING_BYTES && ptr % 2 === 0 && byteLength % 2 === 0) {
      // Short strings (names, ids) are quicker from their code units; with surrogates, the decoder's rules apply.
      const text = String.fromCharCode(...new Uint16Array(this.#bytes.buffer, ptr, byteLength / 2));
      if (!SURROGATE.test(text)) return text;
    }
    return UTF16.decode(this.#bytes.subarray(ptr, ptr + byteLength));
  }

  writeString(value: string): number {
    const ptr = this.alloc(value.length * 2, TypeId.String);
    const units = new Uint16Array(this.#bytes.buffer, ptr, value.length);
    for (let i = 0; i < value.length; i++) units[i] = value.charCodeAt(i);
    return ptr;
  }

  writeArrayBuffer(bytes: Uint8Array): number {
    const ptr = this.alloc(bytes.length, TypeId.ArrayBuffer);
    this.#bytes.set(bytes, ptr);
    return ptr;
  }

  /** Reads the bytes of a `Uint8Array` (also `Bytes`, `Address`, `BigInt`). */
  readUint8Array(ptr: number): Uint8Array {
    return this.copyOut(this.u32(ptr + 4), this.i32(ptr + 8));
  }

  writeUint8Array(bytes: Uint8Array): number {
    const buffer = this.writeArrayBuffer(bytes);
    const ptr = this.alloc(TYPED_ARRAY_SIZE, TypeId.Uint8Array);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, bytes.length);
    return ptr;
  }

  /** Reads an `Array<T>` of references: the element pointers. */
  readPointerArray(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4);
    const length = this.i32(ptr + 12);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.u32(dataStart + i * 4));
    return out;
  }

  /** Writes an `Array<T>` of references. */
  writePointerArray(elements: readonly number[], typeId: TypeIdIndex): number {
    const buffer = this.#writePointers(elements, TypeId.ArrayBuffer);
    const ptr = this.alloc(ARRAY_SIZE, typeId);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, elements.length * 4);
    this.setU32(ptr + 12, elements.length);
    return ptr;
  }

  /** Writes a class whose fields are all references (or null, 0), in declaration order. */
  writeObject(typeId: TypeIdIndex, fields: readonly number[]): number {
    return this.#writePointers(fields, typeId);
  }

  /** Allocates an object of `typeId` holding the 32-bit `pointers`, one after the other. */
  #writePointers(pointers: readonly number[], typeId: TypeIdIndex): number {
    const ptr = this.alloc(pointers.length * 4, typeId);
    for (let i = 0; i < pointers.length; i++) this.#view.setUint32(ptr + i * 4, pointers[i], true);
    return ptr;
  }

  /** Reads the `i`-th reference field of a class. */
  field(ptr: number, i: number): number {
    return this.u32(ptr + i * 4);
  }

  /**
   * Writes a graph-ts tagged value (`Value`, `ethereum.Value`, `JSONValue`, `YAMLValue`):
   * `{ kind: i32, data: u64 }`, the payload aligned to 8 bytes.
   */
  writeEnum(typeId: TypeIdIndex, kind: number, payload: bigint): number {
    const ptr = this.alloc(16, typeId);
    this.view.setInt32(ptr, kind, true);
    this.setI64(ptr + 8, payload);
    return ptr;
  }

  readEnum(ptr: number): { kind: number; payload: bigint } {
    return { kind: this.i32(ptr), payload: this.i64(ptr + 8) };
  }
}

/** The pointer stored in a tagged value's payload. */
export function payloadPointer(payload: bigint): number {
  return Number(BigInt.asUintN(32, payload));
}
