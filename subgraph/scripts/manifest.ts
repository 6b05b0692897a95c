/**
 * Writes the subgraph manifest `subgraph/subgraph.yaml` and copies the ABIs to `subgraph/abis/`, all derived
 * from `deployments/<network>.json` (nobody types an address or a start block by hand):
 *
 *   node subgraph/scripts/manifest.ts [--network localhost] [--graph-network <name>] [--root <dir>]
 *
 * A deployed contract becomes a data source when its mapping `subgraph/src/<kebab-case name>.ts` exists
 * (DIDRegistry -> did-registry.ts). Each ABI event whose handler `handle<EventName>` the mapping exports gets an
 * event handler; a handler without a matching event is an error.
 *
 * Options:
 *   --network        deployment to read: deployments/<network>.json (default: localhost)
 *   --graph-network  network name graph-node knows the chain by (default: the deployment's network)
 *   --root           directory holding deployments/ (default: the repository root)
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

import { readDeployment, type Deployment } from "../../scripts/deployment.ts";

/** The part of a Solidity ABI entry the manifest needs. */
interface AbiParameter {
  type: string;
  indexed?: boolean;
  components?: AbiParameter[];
}

interface AbiEntry {
  type: string;
  name?: string;
  inputs?: AbiParameter[];
}

interface EventHandler {
  event: string;
  handler: string;
}

interface DataSource {
  name: string;
  network: string;
  address: string;
  startBlock: number;
  mapping: string;
  handlers: EventHandler[];
}

const SUBGRAPH = resolve(import.meta.dirname, "..");
const REPOSITORY = resolve(SUBGRAPH, "..");
const API_VERSION = "0.0.9";
const SPEC_VERSION = "1.3.0";

/** DIDRegistry -> did-registry, RealNameRegistry -> real-name-registry. */
export function kebabCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase();
}

/** The canonical type of an ABI parameter as graph-node writes it in event signatures: tuples expanded. */
function canonicalType(parameter: AbiParameter): string {
  if (!parameter.type.startsWith("tuple")) return parameter.type;
  const components = (parameter.components ?? []).map(canonicalType).join(",");
  return `(${components})${parameter.type.slice("tuple".length)}`;
}

/** `Name(indexed address,bytes32,...)`: the event signature of a manifest event handler. */
export function eventSignature(event: AbiEntry): string {
  const inputs = (event.inputs ?? []).map((input) => (input.indexed ? "indexed " : "") + canonicalType(input));
  return `${event.name}(${inputs.join(",")})`;
}

/** Names of the handlers a mapping file exports. */
function exportedHandlers(source: string): string[] {
  return [...source.matchAll(/^export function (handle\w+)\s*\(/gm)].map((match) => match[1]);
}

/** Names of the entity types of the schema. */
function entityNames(schema: string): string[] {
  return [...schema.matchAll(/^type (\w+)\b[^{]*@entity/gm)].map((match) => match[1]);
}

/** The data source of `name`, or null when the subgraph has no mapping for it. */
function dataSource(name: string, deployment: Deployment, network: string, abi: AbiEntry[]): DataSource | null {
  const mapping = join("src", `${kebabCase(name)}.ts`);
  const mappingPath = join(SUBGRAPH, mapping);
  if (!existsSync(mappingPath)) return null;
  const events = new Map(abi.filter((entry) => entry.type === "event").map((entry) => [`handle${entry.name}`, entry]));
  const handlers = exportedHandlers(readFileSync(mappingPath, "utf8")).map((handler) => {
    const event = events.get(handler);
    if (event === undefined) throw new Error(`${mapping} exports ${handler} but ${name}'s ABI has no such event`);
    return { event: eventSignature(event), handler };
  });
  const contract = deployment.contracts[name];
  return { name, network, address: contract.address, startBlock: contract.startBlock, mapping, handlers };
}

function dataSourceYaml(source: DataSource, entities: string[]): string {
  const lines = [
    `  - kind: ethereum/contract`,
    `    name: ${source.name}`,
    `    network: ${JSON.stringify(source.network)}`,
    `    source:`,
    `      address: "${source.address}"`,
    `      abi: ${source.name}`,
    `      startBlock: ${source.startBlock}`,
    `    mapping:`,
    `      kind: ethereum/events`,
    `      apiVersion: ${API_VERSION}`,
    `      language: wasm/assemblyscript`,
    `      entities:`,
    ...entities.map((entity) => `        - ${entity}`),
    `      abis:`,
    `        - name: ${source.name}`,
    `          file: ./abis/${source.name}.json`,
    `      eventHandlers:`,
    ...source.handlers.flatMap((h) => [
      `        - event: ${JSON.stringify(h.event)}`,
      `          handler: ${h.handler}`,
    ]),
    `      file: ./${source.mapping}`,
  ];
  return lines.join("\n");
}

/**
 * Generates the manifest for `network` and returns the data sources it contains. `root` holds the
 * `deployments/` to read (default: this repository); `outDir` receives `subgraph.yaml` and `abis/` (default:
 * `subgraph/`, beside the schema and mappings the manifest names).
 */
export function generateManifest(options: {
  network: string;
  graphNetwork?: string;
  root?: string;
  outDir?: string;
}): DataSource[] {
  const root = options.root ?? REPOSITORY;
  const outDir = options.outDir ?? SUBGRAPH;
  const deployment = readDeployment(root, options.network);
  const graphNetwork = options.graphNetwork ?? deployment.network ?? options.network;
  const abiDir = join(outDir, "abis");
  rmSync(abiDir, { recursive: true, force: true });
  mkdirSync(abiDir, { recursive: true });

  const sources: DataSource[] = [];
  for (const [name, contract] of Object.entries(deployment.contracts)) {
    const abiFile = join(root, "deployments", contract.abi);
    const abi = JSON.parse(readFileSync(abiFile, "utf8")) as AbiEntry[];
    const source = dataSource(name, deployment, graphNetwork, abi);
    if (source === null) continue;
    copyFileSync(abiFile, join(abiDir, `${name}.json`));
    sources.push(source);
  }
  if (sources.length === 0) throw new Error(`deployments/${options.network}.json has no contract the subgraph maps`);

  const entities = entityNames(readFileSync(join(SUBGRAPH, "schema.graphql"), "utf8"));
  const deploymentFile = relative(outDir, join(root, "deployments", `${options.network}.json`));
  const manifest = [
    `# Generated by scripts/manifest.ts from ${deploymentFile}: do not edit, regenerate.`,
    `specVersion: ${SPEC_VERSION}`,
    `description: RealDID identities (did:ethr), issuers, real-name attestations, disclosures and status lists.`,
    `schema:`,
    `  file: ./schema.graphql`,
    `dataSources:`,
    ...sources.map((source) => dataSourceYaml(source, entities)),
    ``,
  ].join("\n");
  writeFileSync(join(outDir, "subgraph.yaml"), manifest);
  return sources;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      network: { type: "string", default: "localhost" },
      "graph-network": { type: "string" },
      root: { type: "string" },
    },
  });
  const network = values.network ?? "localhost";
  const sources = generateManifest({
    network,
    graphNetwork: values["graph-network"],
    root: values.root === undefined ? undefined : resolve(values.root),
  });
  const summary = sources.map((s) => `${s.name} (${s.handlers.length} handlers, from block ${s.startBlock})`);
  console.log(`subgraph.yaml for ${network} on ${sources[0].network}: ${summary.join(", ")}`);
  console.log(`ABIs copied to ${relative(process.cwd(), join(SUBGRAPH, "abis")) || "."}`);
}
