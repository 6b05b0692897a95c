/**
 * Loads a built subgraph: the output directory of `graph build` (`subgraph.yaml`, `schema.graphql`,
 * `<DataSource>/<DataSource>.wasm` and the ABIs), with every path resolved and every event handler's
 * topic and ABI fragment worked out.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

import { EventFragment, getAddress, Interface, type InterfaceAbi } from "ethers";
import { parse as parseYaml } from "yaml";

import { decodeValue } from "../schema/codec.ts";
import { parseSubgraphSchema, SubgraphSchemaError, type SubgraphModel } from "../schema/model.ts";
import type { ValueKind } from "../schema/scalars.ts";
import type { StoredValue } from "../store/types.ts";
import { deploymentId } from "./deployment.ts";
import { ManifestError } from "./errors.ts";
import type { Entity, StoreValue } from "./values.ts";

export interface EventHandler {
  /** Signature as written in the manifest, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  event: string;
  handler: string;
  /** keccak256 of the canonical signature (topic0). */
  topic0: string;
  fragment: EventFragment;
  /** Whether the handler wants `event.receipt`. */
  receipt: boolean;
}

export interface DataSource {
  kind: string;
  name: string;
  network: string;
  /** Checksummed address, or null when the data source matches every address. */
  address: string | null;
  startBlock: number;
  /** ABI the events are decoded with (`source.abi`). */
  abi: Interface;
  eventHandlers: EventHandler[];
  apiVersion: string;
  /** `dataSource.context()`: the manifest's `context` entries. */
  context: Entity;
  /** The compiled mapping. */
  module: WebAssembly.Module;
}

export interface Subgraph {
  specVersion: string;
  /** The deployment id graph-node would give this build (see {@link deploymentId}). */
  deployment: string;
  schema: SubgraphModel;
  /** Raw `schema.graphql`, for the GraphQL layer. */
  schemaSource: string;
  dataSources: DataSource[];
}

interface RawManifest {
  specVersion?: string;
  schema?: { file?: string };
  dataSources?: RawDataSource[];
  templates?: unknown[];
}

interface RawDataSource {
  kind?: string;
  name?: string;
  network?: string;
  source?: { address?: string; abi?: string; startBlock?: number };
  context?: Record<string, RawContextValue>;
  mapping?: {
    apiVersion?: string;
    entities?: string[];
    abis?: { name: string; file: string }[];
    eventHandlers?: { event: string; handler: string; receipt?: boolean }[];
    blockHandlers?: unknown[];
    callHandlers?: unknown[];
    file?: string;
  };
}

/** A manifest `context` entry, e.g. `{ type: BigInt, data: "10" }`. */
interface RawContextValue {
  type: string;
  data: unknown;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new ManifestError(`subgraph manifest: missing ${what}`);
  return value;
}

/** Canonical form of a manifest event signature: `indexed` markers and spaces removed. */
export function canonicalEventSignature(event: string): string {
  return event.replace(/\bindexed\s+/g, "").replace(/\s+/g, "");
}

/** Finds the ABI event a manifest signature names (indexed markers must match too, as in graph-node). */
function findEvent(abi: Interface, event: string, dataSource: string): EventFragment {
  const wanted = event.replace(/\s+/g, "");
  const canonical = canonicalEventSignature(event);
  let candidate: EventFragment | undefined;
  abi.forEachEvent((fragment) => {
    if (fragment.format("sighash") !== canonical) return;
    const withIndexed = `${fragment.name}(${fragment.inputs.map((input) => `${input.indexed ? "indexed " : ""}${input.format("sighash")}`).join(",")})`;
    if (withIndexed.replace(/\s+/g, "") === wanted || candidate === undefined) candidate = fragment;
  });
  if (candidate === undefined) throw new ManifestError(`data source ${dataSource}: event ${event} is not in its ABI`);
  return candidate;
}

/** Value kinds a data source's `context` may hold besides `List`, as graph-node reads them. */
const CONTEXT_KINDS = new Set<string>(["Bool", "String", "Int", "Int8", "BigInt", "BigDecimal", "Bytes"]);

function contextValue(key: string, raw: RawContextValue): StoreValue {
  const { type, data } = raw;
  if (type === "List") {
    if (!Array.isArray(data)) throw new ManifestError(`context ${key}: a List needs an array of entries`);
    return { kind: "Array", value: data.map((item: RawContextValue) => contextValue(key, item)) };
  }
  if (!CONTEXT_KINDS.has(type)) throw new ManifestError(`context ${key}: unknown type ${type}`);
  return decodeValue({ valueKind: type as ValueKind, list: false }, data as StoredValue);
}

function contextEntity(raw: Record<string, RawContextValue> | undefined): Entity {
  return new Map(Object.entries(raw ?? {}).map(([key, value]) => [key, contextValue(key, value)]));
}

async function loadDataSource(directory: string, raw: RawDataSource, index: number): Promise<DataSource> {
  const name = required(raw.name, `dataSources[${index}].name`);
  const kind = required(raw.kind, `${name}.kind`);
  if (kind !== "ethereum/contract" && kind !== "ethereum") {
    throw new ManifestError(`data source ${name}: kind ${kind} is not supported (only ethereum/contract)`);
  }
  const source = required(raw.source, `${name}.source`);
  const mapping = required(raw.mapping, `${name}.mapping`);
  if ((mapping.blockHandlers?.length ?? 0) > 0 || (mapping.callHandlers?.length ?? 0) > 0) {
    throw new ManifestError(`data source ${name}: block and call handlers are not supported, only event handlers`);
  }
  const abis = new Map<string, Interface>();
  for (const abi of mapping.abis ?? []) {
    const json = JSON.parse(await readFile(join(directory, abi.file), "utf8")) as InterfaceAbi | { abi: InterfaceAbi };
    abis.set(abi.name, new Interface(Array.isArray(json) ? json : (json as { abi: InterfaceAbi }).abi));
  }
  const abiName = required(source.abi, `${name}.source.abi`);
  const abi = abis.get(abiName);
  if (abi === undefined) throw new ManifestError(`data source ${name}: source ABI ${abiName} is not in mapping.abis`);
  const eventHandlers = (mapping.eventHandlers ?? []).map((handler): EventHandler => {
    const fragment = findEvent(abi, handler.event, name);
    return {
      event: handler.event,
      handler: handler.handler,
      topic0: fragment.topicHash,
      fragment,
      receipt: handler.receipt === true,
    };
  });
  const wasm = await readFile(join(directory, required(mapping.file, `${name}.mapping.file`)));
  return {
    kind,
    name,
    network: raw.network ?? "mainnet",
    address: source.address === undefined ? null : getAddress(source.address),
    startBlock: source.startBlock ?? 0,
    abi,
    eventHandlers,
    context: contextEntity(raw.context),
    apiVersion: required(mapping.apiVersion, `${name}.mapping.apiVersion`),
    module: await WebAssembly.compile(wasm),
  };
}

/**
 * Loads a built subgraph from `graph build`'s output directory, or from the path of its `subgraph.yaml`.
 *
 * @example
 * const subgraph = await loadSubgraph("subgraph/build");
 */
export async function loadSubgraph(path: string): Promise<Subgraph> {
  const manifestPath = path.endsWith(".yaml") || path.endsWith(".yml") ? resolve(path) : resolve(path, "subgraph.yaml");
  const directory = dirname(manifestPath);
  let manifest: RawManifest;
  try {
    manifest = parseYaml(await readFile(manifestPath, "utf8")) as RawManifest;
  } catch (error) {
    throw new ManifestError(`cannot read subgraph manifest ${manifestPath}: ${(error as Error).message}`);
  }
  if ((manifest.templates?.length ?? 0) > 0) {
    throw new ManifestError("data source templates are not supported by the local subgraph host");
  }
  const schemaFile = required(manifest.schema?.file, "schema.file");
  const schemaSource = await readFile(join(directory, schemaFile), "utf8");
  let schema: SubgraphModel;
  try {
    schema = parseSubgraphSchema(schemaSource);
  } catch (error) {
    if (error instanceof SubgraphSchemaError)
      throw new ManifestError(`subgraph schema ${schemaFile}: ${error.message}`);
    throw error;
  }
  const dataSources = await Promise.all(
    required(manifest.dataSources, "dataSources").map((raw, index) => loadDataSource(directory, raw, index)),
  );
  return {
    specVersion: required(manifest.specVersion, "specVersion"),
    deployment: await deploymentId(manifestPath),
    schema,
    schemaSource,
    dataSources,
  };
}
