/**
 * graph-ts number encodings: `BigInt` as little-endian two's complement bytes and `BigDecimal` as
 * `digits × 10^exp`, with graph-node's arithmetic rules (34 significant digits, truncating integer
 * division, remainder with the dividend's sign).
 */
import { DeterministicError } from "./errors.ts";

/** Minimal little-endian two's complement bytes of `value` (zero is one zero byte, like num-bigint). */
export function bigIntToBytes(value: bigint): Uint8Array {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, rest));
    out.push(byte);
    rest >>= 8n;
    const signBitSet = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) break;
  }
  return Uint8Array.from(out);
}

/** Reads little-endian two's complement bytes; an empty array is zero. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return BigInt.asIntN(bytes.length * 8, value);
}

/** Parses a decimal integer (graph-ts `BigInt.fromString`). */
export function parseBigInt(text: string): bigint {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new DeterministicError(`cannot parse ${JSON.stringify(text)} as a BigInt`);
  return BigInt(text.trim());
}

export function divideBigInt(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new DeterministicError("attempted to divide BigInt by zero");
  return x / y;
}

export function modBigInt(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new DeterministicError("attempted to compute BigInt modulo zero");
  return x % y;
}

/** Significant digits a `BigDecimal` keeps, as in graph-node (IEEE 754 decimal128). */
export const DECIMAL_PRECISION = 34;
/** Digits division computes before rounding to {@link DECIMAL_PRECISION}. */
const DIVISION_DIGITS = DECIMAL_PRECISION + 6;

function digitCount(value: bigint): number {
  return (value < 0n ? -value : value).toString().length;
}

/** Rounds `value / 10^drop` to an integer, half to even. */
function roundDivPow10(value: bigint, drop: number): bigint {
  if (drop <= 0) return value * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  const quotient = value / divisor;
  const remainder = value % divisor;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const sign = value < 0n ? -1n : 1n;
  if (twice > divisor || (twice === divisor && quotient % 2n !== 0n)) return quotient + sign;
  return quotient;
}

/** An exact decimal `digits × 10^exp`, normalized: no trailing zeros in `digits`, zero is `0 × 10^0`. */
export class Decimal {
  readonly digits: bigint;
  readonly exp: number;

  constructor(digits: bigint, exp: number) {
    let d = digits;
    let e = exp;
    const excess = digitCount(d) - DECIMAL_PRECISION;
    if (excess > 0) {
      d = roundDivPow10(d, excess);
      e += excess;
    }
    if (d === 0n) e = 0;
    while (d !== 0n && d % 10n === 0n) {
      d /= 10n;
      e += 1;
    }
    this.digits = d;
    this.exp = e;
  }

  static fromBigInt(value: bigint): Decimal {
    return new Decimal(value, 0);
  }

  /** Parses `123`, `-1.5`, `.5`, `1e-7`, `2.5E+3`. */
  static parse(text: string): Decimal {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (match === null || (match[2] === "" && (match[3] ?? "") === "")) {
      throw new DeterministicError(`cannot parse ${JSON.stringify(text)} as a BigDecimal`);
    }
    const [, sign, whole, fraction = "", exponent = "0"] = match;
    const digits = BigInt(sign + (whole + fraction || "0"));
    return new Decimal(digits, Number(exponent) - fraction.length);
  }

  #aligned(other: Decimal): [bigint, bigint, number] {
    const exp = Math.min(this.exp, other.exp);
    return [this.digits * 10n ** BigInt(this.exp - exp), other.digits * 10n ** BigInt(other.exp - exp), exp];
  }

  plus(other: Decimal): Decimal {
    const [a, b, exp] = this.#aligned(other);
    return new Decimal(a + b, exp);
  }

  minus(other: Decimal): Decimal {
    const [a, b, exp] = this.#aligned(other);
    return new Decimal(a - b, exp);
  }

  times(other: Decimal): Decimal {
    return new Decimal(this.digits * other.digits, this.exp + other.exp);
  }

  dividedBy(other: Decimal): Decimal {
    if (other.digits === 0n) throw new DeterministicError("attempted to divide BigDecimal by zero");
    // Scale the dividend so the integer quotient carries enough digits, then let the constructor round.
    const scale = Math.max(0, DIVISION_DIGITS - digitCount(this.digits) + digitCount(other.digits));
    const quotient = (this.digits * 10n ** BigInt(scale)) / other.digits;
    return new Decimal(quotient, this.exp - other.exp - scale);
  }

  equals(other: Decimal): boolean {
    return this.digits === other.digits && this.exp === other.exp;
  }

  /** Plain notation without an exponent, e.g. `-0.0015`, `1200`. */
  toString(): string {
    const negative = this.digits < 0n;
    const abs = (negative ? -this.digits : this.digits).toString();
    let text: string;
    if (this.exp >= 0) text = abs + "0".repeat(this.exp);
    else if (abs.length > -this.exp)
      text = `${abs.slice(0, abs.length + this.exp)}.${abs.slice(abs.length + this.exp)}`;
    else text = `0.${"0".repeat(-this.exp - abs.length)}${abs}`;
    return negative ? `-${text}` : text;
  }
}
