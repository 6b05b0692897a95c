export { buildApiSchema, type ApiSchema, type FilterKey } from "./api-schema.js";
export {
  createQueryExecutor,
  executeQuery,
  type GraphQLRequest,
  type GraphQLResponse,
  type GraphQLResponseError,
  type QueryExecutor,
  type QueryExecutorOptions,
} from "./execute.js";
export { DEFAULT_LIMITS, LIMIT_MESSAGES, type QueryLimits } from "./limits.js";
export { queryFieldNames, toCamelCase, toPlural } from "./inflect.js";
export {
  parseSubgraphSchema,
  SubgraphSchemaError,
  type EntityModel,
  type FieldModel,
  type SubgraphModel,
} from "../schema/model.js";
export { QueryError } from "./sql.js";
export { createGraphQLServer, type GraphQLServer, type GraphQLServerOptions } from "./server.js";
export {
  createIndexNodeServer,
  type IndexedSubgraph,
  type IndexNodeServer,
  type IndexNodeServerOptions,
} from "./index-node.js";
