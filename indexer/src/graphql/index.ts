export { buildApiSchema, type ApiSchema, type FilterKey } from "./api-schema.js";
export {
  createQueryExecutor,
  DEFAULT_LIMITS,
  executeQuery,
  type GraphQLRequest,
  type GraphQLResponse,
  type GraphQLResponseError,
  type QueryExecutor,
  type QueryExecutorOptions,
  type QueryLimits,
} from "./execute.js";
export { queryFieldNames, toCamelCase, toPlural } from "./inflect.js";
export {
  parseSubgraphSchema,
  SubgraphSchemaError,
  type EntityModel,
  type FieldModel,
  type SubgraphModel,
} from "./model.js";
export { QueryError } from "./sql.js";
export { createGraphQLServer, type GraphQLServer, type GraphQLServerOptions } from "./server.js";
