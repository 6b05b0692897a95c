/**
 * Entity writes of the block being processed. Handlers see their own writes (and earlier handlers' writes
 * in the same block) before anything reaches the store; the block is committed in one piece or not at all.
 */
import type { BlockChanges, EntityStore } from "../store/types.js";
import { DeterministicError } from "./errors.js";
import { encodeEntity, encodeValue, type SubgraphSchema } from "./schema.js";
import type { Entity } from "./values.js";

export class BlockState {
  /** entity type → id → final state (null: removed). Insertion order is the order of first write. */
  readonly #writes = new Map<string, Map<string, Entity | null>>();

  constructor(
    private readonly store: EntityStore,
    private readonly schema: SubgraphSchema,
  ) {}

  #writesOf(entity: string): Map<string, Entity | null> {
    this.schema.entity(entity);
    let writes = this.#writes.get(entity);
    if (writes === undefined) {
      writes = new Map();
      this.#writes.set(entity, writes);
    }
    return writes;
  }

  /** The entity as the mapping sees it now: this block's writes first, then the store. */
  async get(entity: string, id: string): Promise<Entity | null> {
    const written = this.#writesOf(entity).get(id);
    if (written !== undefined) return written === null ? null : new Map(written);
    const stored = await this.store.get(entity, id);
    return stored === null ? null : this.schema.decode(entity, stored);
  }

  /** The entity only if this block wrote it (graph-ts `store.get_in_block`). */
  getInBlock(entity: string, id: string): Entity | null {
    const written = this.#writesOf(entity).get(id);
    return written == null ? null : new Map(written);
  }

  /**
   * Stores an entity like graph-node: fields the mapping sets replace the current ones, null fields are
   * removed, the result must match the schema. Immutable entities are written as given.
   */
  async set(entity: string, id: string, data: Entity): Promise<void> {
    const type = this.schema.entity(entity);
    const idValue = data.get("id");
    if (idValue !== undefined && idValue.kind !== "Null" && encodeValue(idValue) !== id) {
      throw new DeterministicError(
        `entity ${entity}[${id}]: the id field ${JSON.stringify(encodeValue(idValue))} differs from the id it is saved under`,
      );
    }
    const current = type.immutable ? null : await this.get(entity, id);
    const merged: Entity = current ?? new Map();
    if (idValue === undefined) merged.set("id", this.schema.idValue(entity, id));
    for (const [field, value] of data) {
      if (value.kind === "Null") merged.delete(field);
      else merged.set(field, value);
    }
    this.schema.validate(entity, id, merged);
    this.#writesOf(entity).set(id, merged);
  }

  remove(entity: string, id: string): void {
    if (this.schema.entity(entity).immutable) {
      throw new DeterministicError(`entity ${entity}[${id}] is immutable and cannot be removed`);
    }
    this.#writesOf(entity).set(id, null);
  }

  /** The block's writes in the form {@link EntityStore.commitBlock} takes. */
  changes(): BlockChanges["changes"] {
    const changes: BlockChanges["changes"] = [];
    for (const [entity, writes] of this.#writes) {
      for (const [id, data] of writes) changes.push({ entity, id, data: data === null ? null : encodeEntity(data) });
    }
    return changes;
  }
}
