/** `json.*`, `yaml.*`, `crypto.*`, `ens.*` and `ipfs.*`. */
import { keccak256 } from "ethers";
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";

import { TypeId } from "../asc.ts";
import { DeterministicError, unsupported } from "../errors.ts";
import { hexToBytes, JSON_TYPE_IDS, YAML_TYPE_IDS, type TreeValue } from "../values.ts";
import { parseBigInt } from "../bignum.ts";
import {
  bigInt,
  bytes,
  f64,
  hostFunction,
  i64,
  nullable,
  result,
  string,
  tree,
  unsupportedFunction,
  type HostFunctions,
} from "./abi.ts";

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** Parses JSON keeping each number's source text (graph-ts hands numbers over as strings). */
export function parseJson(data: Uint8Array): TreeValue {
  const reviver: Reviver = (_key, value, context) => {
    if (value === null) return { kind: "null" };
    if (typeof value === "boolean") return { kind: "bool", value };
    if (typeof value === "number") return { kind: "number", value: context?.source ?? String(value) };
    if (typeof value === "string") return { kind: "string", value };
    if (Array.isArray(value)) return { kind: "array", value: value as TreeValue[] };
    return {
      kind: "object",
      value: Object.entries(value as Record<string, TreeValue>).map(([k, v]) => [{ kind: "string", value: k }, v]),
    };
  };
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data), reviver as never) as TreeValue;
  } catch (error) {
    throw new DeterministicError(`invalid JSON: ${(error as Error).message}`);
  }
}

const CORE_TAG = "tag:yaml.org,2002:";

function yamlNode(document: Document, node: unknown): TreeValue {
  if (isAlias(node)) return yamlNode(document, node.resolve(document));
  const value = yamlUntagged(document, node);
  const tag = (node as Node | null)?.tag;
  return tag !== undefined && !tag.startsWith(CORE_TAG) ? { kind: "tagged", tag, value } : value;
}

function yamlUntagged(document: Document, node: unknown): TreeValue {
  if (isMap(node)) {
    return {
      kind: "object",
      value: node.items.map((pair) => [yamlNode(document, pair.key), yamlNode(document, pair.value)]),
    };
  }
  if (isSeq(node)) return { kind: "array", value: node.items.map((item) => yamlNode(document, item)) };
  if (!isScalar(node) || node.value === null) return { kind: "null" };
  const value = node.value;
  if (typeof value === "boolean") return { kind: "bool", value };
  if (typeof value === "number" || typeof value === "bigint")
    return { kind: "number", value: node.source ?? String(value) };
  return { kind: "string", value: String(value) };
}

/** Parses one YAML document into the tree graph-ts's `YAMLValue` mirrors. */
export function parseYamlValue(data: Uint8Array): TreeValue {
  const document = parseDocument(new TextDecoder("utf-8").decode(data), { keepSourceTokens: false });
  if (document.errors.length > 0) throw new DeterministicError(`invalid YAML: ${document.errors[0].message}`);
  return yamlNode(document, document.contents);
}

function orNull<T>(parse: (data: Uint8Array) => T): (data: Uint8Array) => T | null {
  return (data) => {
    try {
      return parse(data);
    } catch (error) {
      if (error instanceof DeterministicError) return null;
      throw error;
    }
  };
}

function integerInRange(text: string, min: bigint, max: bigint, what: string): bigint {
  const value = parseBigInt(text);
  if (value < min || value > max) throw new DeterministicError(`JSON number ${text} does not fit in ${what}`);
  return value;
}

const json = tree(JSON_TYPE_IDS, false);
const yaml = tree(YAML_TYPE_IDS, true);

export const dataFunctions: HostFunctions = {
  "json.fromBytes": hostFunction([bytes], json, parseJson),
  "json.try_fromBytes": hostFunction(
    [bytes],
    result(json, { result: TypeId.ResultJsonValueBool, wrappedValue: TypeId.WrappedJsonValue }),
    orNull(parseJson),
  ),
  "json.toI64": hostFunction([string], i64, (text) => integerInRange(text, -(2n ** 63n), 2n ** 63n - 1n, "i64")),
  "json.toU64": hostFunction([string], i64, (text) => integerInRange(text, 0n, 2n ** 64n - 1n, "u64")),
  "json.toF64": hostFunction([string], f64, (text) => {
    const value = Number(text);
    if (text.trim() === "" || Number.isNaN(value)) throw new DeterministicError(`JSON number ${text} is not an f64`);
    return value;
  }),
  "json.toBigInt": hostFunction([string], bigInt, parseBigInt),

  "yaml.fromBytes": hostFunction([bytes], yaml, parseYamlValue),
  "yaml.try_fromBytes": hostFunction(
    [bytes],
    result(yaml, { result: TypeId.YamlResultValueBool, wrappedValue: TypeId.YamlWrappedValue }),
    orNull(parseYamlValue),
  ),

  "crypto.keccak256": hostFunction([bytes], bytes, (data) => hexToBytes(keccak256(data))),
  "ens.nameByHash": hostFunction([string], nullable(string), () => null),

  "ipfs.cat": unsupportedFunction(() => unsupported("ipfs.cat", "no IPFS node is configured")),
  "ipfs.map": unsupportedFunction(() => unsupported("ipfs.map", "no IPFS node is configured")),
};
