/** Thrown for writes that would break the store's invariants and for malformed reads (a caller bug, never a database failure). */
export class EntityStoreError extends Error {
  override readonly name: string = "EntityStoreError";
}

/** Thrown when a read-only store is opened before the store that writes the subgraph created its tables. */
export class SubgraphNotCreatedError extends EntityStoreError {
  override readonly name = "SubgraphNotCreatedError";
}
