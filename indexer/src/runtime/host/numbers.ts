/** `bigInt.*`, `bigDecimal.*` and `typeConversion.*`: pure functions, identical results to graph-node. */
import { encodeBase58 } from "ethers";

import { Decimal, divideBigInt, modBigInt, parseBigInt } from "../bignum.ts";
import { DeterministicError } from "../errors.ts";
import { bytesToHex, hexToBytes } from "../values.ts";
import { bigDecimal, bigInt, bool, bytes, hostFunction, string, u8, type HostFunctions } from "./abi.ts";

const UTF8 = new TextDecoder("utf-8");

/** Lowercase `0x` hex of a BigInt's magnitude without leading zeros (`0x0` for zero). */
export function bigIntToHex(value: bigint): string {
  return `0x${(value < 0n ? -value : value).toString(16)}`;
}

/** UTF-8 with invalid sequences replaced; trailing NULs (fixed-size padding) trimmed. */
export function bytesToString(value: Uint8Array): string {
  return UTF8.decode(value).replace(/\u0000+$/, "");
}

export function stringToH160(value: string): Uint8Array {
  const body = value.startsWith("0x") ? value.slice(2) : value;
  if (!/^[0-9a-fA-F]{40}$/.test(body)) {
    throw new DeterministicError(`failed to convert string to Address/H160: ${JSON.stringify(value)}`);
  }
  return hexToBytes(body);
}

function smallUint(bits: number): bigint {
  return BigInt(bits & 0xff);
}

export const numberFunctions: HostFunctions = {
  "bigInt.plus": hostFunction([bigInt, bigInt], bigInt, (x, y) => x + y),
  "bigInt.minus": hostFunction([bigInt, bigInt], bigInt, (x, y) => x - y),
  "bigInt.times": hostFunction([bigInt, bigInt], bigInt, (x, y) => x * y),
  "bigInt.dividedBy": hostFunction([bigInt, bigInt], bigInt, divideBigInt),
  "bigInt.dividedByDecimal": hostFunction([bigInt, bigDecimal], bigDecimal, (x, y) =>
    Decimal.fromBigInt(x).dividedBy(y),
  ),
  "bigInt.mod": hostFunction([bigInt, bigInt], bigInt, modBigInt),
  "bigInt.pow": hostFunction([bigInt, u8], bigInt, (x, exp) => x ** smallUint(exp)),
  "bigInt.fromString": hostFunction([string], bigInt, parseBigInt),
  "bigInt.bitOr": hostFunction([bigInt, bigInt], bigInt, (x, y) => x | y),
  "bigInt.bitAnd": hostFunction([bigInt, bigInt], bigInt, (x, y) => x & y),
  "bigInt.leftShift": hostFunction([bigInt, u8], bigInt, (x, bits) => x << smallUint(bits)),
  "bigInt.rightShift": hostFunction([bigInt, u8], bigInt, (x, bits) => x >> smallUint(bits)),

  "bigDecimal.plus": hostFunction([bigDecimal, bigDecimal], bigDecimal, (x, y) => x.plus(y)),
  "bigDecimal.minus": hostFunction([bigDecimal, bigDecimal], bigDecimal, (x, y) => x.minus(y)),
  "bigDecimal.times": hostFunction([bigDecimal, bigDecimal], bigDecimal, (x, y) => x.times(y)),
  "bigDecimal.dividedBy": hostFunction([bigDecimal, bigDecimal], bigDecimal, (x, y) => x.dividedBy(y)),
  "bigDecimal.equals": hostFunction([bigDecimal, bigDecimal], bool, (x, y) => x.equals(y)),
  "bigDecimal.toString": hostFunction([bigDecimal], string, (x) => x.toString()),
  "bigDecimal.fromString": hostFunction([string], bigDecimal, Decimal.parse),

  "typeConversion.bytesToString": hostFunction([bytes], string, bytesToString),
  "typeConversion.bytesToHex": hostFunction([bytes], string, bytesToHex),
  "typeConversion.bigIntToString": hostFunction([bigInt], string, (x) => x.toString()),
  "typeConversion.bigIntToHex": hostFunction([bigInt], string, bigIntToHex),
  "typeConversion.stringToH160": hostFunction([string], bytes, stringToH160),
  "typeConversion.bytesToBase58": hostFunction([bytes], string, (x) => (x.length === 0 ? "" : encodeBase58(x))),
};
