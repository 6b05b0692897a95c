/** Thrown for writes that would break the store's invariants and for malformed reads (a caller bug, never a database failure). */
export class EntityStoreError extends Error {
  override readonly name = "EntityStoreError";
}
