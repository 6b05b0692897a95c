export { buildApiSchema, type ApiSchema, type FilterKey } from "./api-schema.ts";
export {
  createQueryExecutor,
  executeQuery,
  type GraphQLRequest,
  type GraphQLResponse,
  type GraphQLResponseError,
  type QueryExecutor,
  type QueryExecutorOptions,
} from "./execute.ts";
export { DEFAULT_LIMITS, LIMIT_MESSAGES, type QueryLimits } from "./limits.ts";
export { queryFieldNames, toCamelCase, toPlural } from "./inflect.ts";
export {
  parseSubgraphSchema,
  SubgraphSchemaError,
  type EntityModel,
  type FieldModel,
  type SubgraphModel,
} from "../schema/model.ts";
export { QueryError } from "./collections.ts";
export { createGraphQLServer, type GraphQLServer, type GraphQLServerOptions } from "./server.ts";
export {
  createIndexNodeServer,
  type IndexedSubgraph,
  type IndexNodeServer,
  type IndexNodeServerOptions,
} from "./index-node.ts";
