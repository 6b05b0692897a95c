/**
 * The deployment id graph-node knows a subgraph by, computed as `graph build --ipfs` / `graph deploy` make it
 * (graph-cli 0.98 `Compiler.uploadSubgraphToIPFS`): every file the built manifest names (schema, ABIs, mappings)
 * is added to IPFS and its reference replaced by `{ "/": "/ipfs/<hash>" }`; the manifest is then dumped by js-yaml
 * with sorted keys and added too, and its hash is the deployment id. Hashes are those of `ipfs add` with kubo's
 * defaults: a UnixFS file in dag-pb nodes, 256 KiB chunks in a balanced DAG of at most 174 links per node,
 * sha2-256, CIDv0 (`Qm…`).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

import { encodeBase58 } from "ethers";
import { dump } from "js-yaml";
import { parse as parseYaml } from "yaml";

const CHUNK_SIZE = 262_144;
const MAX_LINKS = 174;

// Protocol Buffers wire format, as much as dag-pb and UnixFS use (field numbers from their .proto files).
function varint(value: number): number[] {
  const bytes: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 0x80)) bytes.push((value % 0x80) | 0x80);
  bytes.push(value);
  return bytes;
}
const uintField = (field: number, value: number) => [...varint(field << 3), ...varint(value)];
const bytesField = (field: number, value: Uint8Array) => [
  ...varint((field << 3) | 2),
  ...varint(value.length),
  ...value,
];

interface DagNode {
  /** The node's sha2-256 multihash (0x12 0x20 + digest): a CIDv0's bytes. */
  multihash: Uint8Array;
  /** Encoded size of the node and everything below it (a dag-pb link's `Tsize`). */
  cumulativeSize: number;
  /** Bytes of file content below the node. */
  fileSize: number;
}

/** A dag-pb node (`PBNode`: links first, then data) over a UnixFS `File` (`Type`, `Data`, `filesize`, `blocksizes`). */
function fileNode(content: Uint8Array | null, children: DagNode[]): DagNode {
  const fileSize = content?.length ?? children.reduce((sum, child) => sum + child.fileSize, 0);
  const unixfs = [
    ...uintField(1, 2),
    ...(content !== null && content.length > 0 ? bytesField(2, content) : []),
    ...uintField(3, fileSize),
    ...children.flatMap((child) => uintField(4, child.fileSize)),
  ];
  const links = children.map((child) => [
    ...bytesField(1, child.multihash),
    ...bytesField(2, new Uint8Array()),
    ...uintField(3, child.cumulativeSize),
  ]);
  const node = Uint8Array.from([
    ...links.flatMap((link) => bytesField(2, Uint8Array.from(link))),
    ...bytesField(1, Uint8Array.from(unixfs)),
  ]);
  const digest = createHash("sha256").update(node).digest();
  return {
    multihash: Uint8Array.from([0x12, 0x20, ...digest]),
    cumulativeSize: node.length + children.reduce((sum, child) => sum + child.cumulativeSize, 0),
    fileSize,
  };
}

/** The IPFS hash (CIDv0) `ipfs add` gives `content` with kubo's defaults. */
export function ipfsHash(content: Uint8Array): string {
  let offset = 0;
  const nextLeaf = () => fileNode(content.subarray(offset, (offset += CHUNK_SIZE)), []);
  const done = () => offset >= content.length;
  // boxo's balanced layout: a leaf is the root until the data needs more; each full root becomes the first child
  // of a root one level deeper, filled depth-first with up to MAX_LINKS children per node.
  const fill = (children: DagNode[], depth: number): DagNode => {
    while (children.length < MAX_LINKS && !done()) children.push(depth === 1 ? nextLeaf() : fill([], depth - 1));
    return fileNode(null, children);
  };
  let root = nextLeaf();
  for (let depth = 1; !done(); depth++) root = fill([root], depth);
  return encodeBase58(root.multihash);
}

interface BuiltManifest {
  schema: { file: unknown };
  dataSources: { mapping: { file: unknown; abis?: { file: unknown }[] } }[];
}

/** The deployment id of the built subgraph whose manifest (`build/subgraph.yaml`) is at `manifestPath`. */
export async function deploymentId(manifestPath: string): Promise<string> {
  const directory = dirname(manifestPath);
  const manifest = parseYaml(await readFile(manifestPath, "utf8")) as BuiltManifest;
  const link = async (file: unknown) => ({
    "/": `/ipfs/${ipfsHash(await readFile(resolve(directory, String(file))))}`,
  });
  manifest.schema.file = await link(manifest.schema.file);
  for (const { mapping } of manifest.dataSources) {
    for (const abi of mapping.abis ?? []) abi.file = await link(abi.file);
    mapping.file = await link(mapping.file);
  }
  return ipfsHash(Buffer.from(dump(manifest, { noRefs: true, sortKeys: true }), "utf8"));
}
