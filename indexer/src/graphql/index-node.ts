/**
 * graph-node's index-node status API (port 8030, POST `/graphql`), the part monitoring and deployment tools
 * poll: `indexingStatusForCurrentVersion(subgraphName:)`, `indexingStatusesForSubgraphName`, `indexingStatuses`
 * with `subgraph` (deployment id), `synced`, `health`, `fatalError { message block handler deterministic }`,
 * `nonFatalErrors`, `entityCount`, `node`, `paused`, `historyBlocks` and
 * `chains { network chainHeadBlock earliestBlock latestBlock lastHealthyBlock }`. Block numbers are decimal
 * strings (`BigInt`) and hashes 0x-hex (`Bytes`), as graph-node answers them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLError } from "graphql";

import { silentLogger, type Logger } from "../runtime/logger.ts";
import type { BlockPointer, SqlEntityStore } from "../store/index.ts";
import type { GraphQLResponse } from "./execute.ts";
import { graphiqlPage } from "./graphiql.ts";
import { listen, parseRequest, readBody, send } from "./http.ts";

const SCHEMA = buildSchema(`
  scalar BigInt
  scalar Bytes

  type Query {
    indexingStatusForCurrentVersion(subgraphName: String!): SubgraphIndexingStatus
    indexingStatusForPendingVersion(subgraphName: String!): SubgraphIndexingStatus
    indexingStatusesForSubgraphName(subgraphName: String!): [SubgraphIndexingStatus!]!
    indexingStatuses(subgraphs: [String!]): [SubgraphIndexingStatus!]!
  }

  type SubgraphIndexingStatus {
    subgraph: String!
    synced: Boolean!
    health: Health!
    "If the subgraph has failed, this is the error caused it"
    fatalError: SubgraphError
    "Sorted from first to last, limited to first 1000"
    nonFatalErrors: [SubgraphError!]!
    chains: [ChainIndexingStatus!]!
    entityCount: BigInt!
    node: String
    paused: Boolean
    historyBlocks: Int!
  }

  interface ChainIndexingStatus {
    network: String!
    chainHeadBlock: Block
    earliestBlock: EarliestBlock
    latestBlock: Block
    lastHealthyBlock: Block
  }

  type EthereumIndexingStatus implements ChainIndexingStatus {
    network: String!
    chainHeadBlock: Block
    earliestBlock: EarliestBlock
    latestBlock: Block
    lastHealthyBlock: Block
  }

  type Block {
    hash: Bytes!
    number: BigInt!
  }

  type EarliestBlock {
    hash: Bytes! @deprecated(reason: "hash will always be reported as 0x0.")
    number: BigInt!
  }

  type SubgraphError {
    message: String!
    block: Block
    handler: String
    deterministic: Boolean!
  }

  enum Health {
    "Subgraph syncing normally"
    healthy
    "Subgraph syncing but with errors"
    unhealthy
    "Subgraph halted due to errors"
    failed
  }
`);

/** A subgraph this process indexes, as the status API sees it. */
export interface IndexedSubgraph {
  name: string;
  deployment: string;
  network: string;
  /** The first block the subgraph's data sources index (the earliest block with data: nothing is pruned). */
  startBlock: number;
  store: Pick<SqlEntityStore, "status" | "entityCount">;
  /** The chain's head block now. */
  chainHead(): Promise<BlockPointer | null>;
}

export interface IndexNodeServerOptions {
  subgraphs: IndexedSubgraph[];
  /** Default 8030, as graph-node; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  logger?: Logger;
}

export interface IndexNodeServer {
  /** e.g. `http://127.0.0.1:8030/graphql` */
  url: string;
  close(): Promise<void>;
}

/** graph-node's node id when it runs alone. */
const NODE_ID = "default";

/** graph-node's `historyBlocks` of a deployment that keeps its whole history (no pruning): i32::MAX. */
const ALL_HISTORY = 2_147_483_647;

const block = (pointer: BlockPointer | null) =>
  pointer === null ? null : { hash: pointer.hash, number: String(pointer.number) };

async function indexingStatus(subgraph: IndexedSubgraph, logger: Logger) {
  const [status, entityCount, chainHead] = await Promise.all([
    subgraph.store.status(),
    subgraph.store.entityCount(),
    subgraph.chainHead().catch((error: unknown) => {
      logger.log("warning", `status API: cannot read the chain head: ${(error as Error).message}`);
      return null;
    }),
  ]);
  const failure = status.fatalError;
  return {
    subgraph: subgraph.deployment,
    synced: status.synced,
    health: failure === null ? "healthy" : "failed",
    fatalError:
      failure === null
        ? null
        : { message: failure.message, block: block(failure.block), handler: failure.handler, deterministic: true },
    nonFatalErrors: [],
    chains: [
      {
        network: subgraph.network,
        chainHeadBlock: block(chainHead),
        earliestBlock: { hash: "0x0", number: String(subgraph.startBlock) },
        latestBlock: block(status.head),
        lastHealthyBlock: failure === null ? null : block(status.head),
      },
    ],
    entityCount: String(entityCount),
    node: NODE_ID,
    paused: false,
    historyBlocks: ALL_HISTORY,
  };
}

/** Serves graph-node's index-node status API for the subgraphs this process indexes. */
export async function createIndexNodeServer(options: IndexNodeServerOptions): Promise<IndexNodeServer> {
  const logger = options.logger ?? silentLogger;
  const byName = (name: unknown) => options.subgraphs.filter((subgraph) => subgraph.name === name);
  const statuses = (subgraphs: IndexedSubgraph[]) => Promise.all(subgraphs.map((s) => indexingStatus(s, logger)));
  const root = {
    indexingStatusForCurrentVersion: async ({ subgraphName }: { subgraphName: string }) =>
      (await statuses(byName(subgraphName)))[0] ?? null,
    // The local host deploys no pending versions.
    indexingStatusForPendingVersion: () => null,
    indexingStatusesForSubgraphName: ({ subgraphName }: { subgraphName: string }) => statuses(byName(subgraphName)),
    indexingStatuses: ({ subgraphs }: { subgraphs?: string[] | null }) =>
      statuses(options.subgraphs.filter((s) => subgraphs == null || subgraphs.includes(s.deployment))),
  };

  const run = async (query: string, variables: Record<string, unknown> | null, operationName: string | null) => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [{ message: (error as GraphQLError).message }] };
    }
    const invalid = validate(SCHEMA, document);
    if (invalid.length > 0) return { errors: invalid.map((e) => ({ message: e.message })) };
    const result = await execute({
      schema: SCHEMA,
      document,
      rootValue: root,
      variableValues: variables ?? undefined,
      operationName: operationName ?? undefined,
      typeResolver: () => "EthereumIndexingStatus",
    });
    for (const error of result.errors ?? []) logger.log("error", `status API: ${error.stack ?? error.message}`);
    const answer: GraphQLResponse = { data: (result.data ?? null) as Record<string, unknown> | null };
    return result.errors === undefined ? answer : { ...answer, errors: [{ message: "the status query failed" }] };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    if (method === "OPTIONS") return send(res, 200, "");
    if (url.pathname !== "/graphql" && url.pathname !== "/") return send(res, 404, "Not found");
    if (method === "GET" && !url.searchParams.has("query")) {
      return send(res, 200, graphiqlPage("index-node status"), { "Content-Type": "text/html; charset=utf-8" });
    }
    if (method !== "GET" && method !== "POST") {
      return send(res, 405, { errors: [{ message: `Method ${method} not allowed` }] });
    }
    const request = parseRequest(method, url, method === "POST" ? await readBody(req) : "");
    if (typeof request === "string") return send(res, 400, { errors: [{ message: request }] });
    send(res, 200, await run(request.query, request.variables ?? null, request.operationName ?? null));
  };
  const server = await listen(handle, options.host ?? "127.0.0.1", options.port ?? 8030, logger);
  return { url: `${server.origin}/graphql`, close: server.close };
}
