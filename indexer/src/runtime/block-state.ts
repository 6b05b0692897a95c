/**
 * Entity writes of the block being processed. Handlers see their own writes (and earlier handlers' writes
 * in the same block) before anything reaches the store; the block is committed in one piece or not at all.
 */
import { decodeEntity, encodeEntity, encodeValue, idValue, ValueCodecError } from "../schema/codec.ts";
import type { EntityModel, FieldModel, SubgraphModel } from "../schema/model.ts";
import type { BlockChanges, EntityStore } from "../store/types.ts";
import { DeterministicError } from "./errors.ts";
import type { Entity, StoreValue } from "./values.ts";

export class BlockState {
  /** entity type → id → final state (null: removed). Insertion order is the order of first write. */
  readonly #writes = new Map<string, Map<string, Entity | null>>();

  constructor(
    private readonly store: EntityStore,
    private readonly schema: SubgraphModel,
  ) {}

  #type(entity: string): EntityModel {
    const type = this.schema.entity.get(entity);
    if (type === undefined || type.isInterface) {
      throw new DeterministicError(`entity type ${entity} is not in the subgraph schema`);
    }
    return type;
  }

  #writesOf(entity: string): Map<string, Entity | null> {
    this.#type(entity);
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
    if (stored === null) return null;
    try {
      return decodeEntity(this.#type(entity), stored);
    } catch (error) {
      if (error instanceof ValueCodecError) throw new DeterministicError(`entity ${entity}[${id}]: ${error.message}`);
      throw error;
    }
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
    const type = this.#type(entity);
    const given = data.get("id");
    if (given !== undefined && given.kind !== "Null" && encodeValue(given) !== id) {
      throw new DeterministicError(
        `entity ${entity}[${id}]: the id field ${JSON.stringify(encodeValue(given))} differs from the id it is saved under`,
      );
    }
    if (type.immutable && !this.#writesOf(entity).has(id) && (await this.store.get(entity, id)) !== null) {
      throw new DeterministicError(`entity ${entity}[${id}] is immutable and already stored: it cannot be updated`);
    }
    const current = type.immutable ? null : await this.get(entity, id);
    const merged: Entity = current ?? new Map();
    if (given === undefined) merged.set("id", idValue(type, id));
    for (const [field, value] of data) {
      if (value.kind === "Null") merged.delete(field);
      else merged.set(field, value);
    }
    validate(type, id, merged);
    this.#writesOf(entity).set(id, merged);
  }

  remove(entity: string, id: string): void {
    if (this.#type(entity).immutable) {
      throw new DeterministicError(`entity ${entity}[${id}] is immutable and cannot be removed`);
    }
    this.#writesOf(entity).set(id, null);
  }

  /** The block's writes in the form {@link EntityStore.commitBlocks} takes for one block. */
  changes(): BlockChanges["changes"] {
    const changes: BlockChanges["changes"] = [];
    for (const [entity, writes] of this.#writes) {
      for (const [id, data] of writes) changes.push({ entity, id, data: data === null ? null : encodeEntity(data) });
    }
    return changes;
  }
}

/** Checks an entity the mapping wants to store, like graph-node does before writing it. */
function validate(type: EntityModel, id: string, data: Entity): void {
  for (const [name, value] of data) {
    const field = type.stored.get(name);
    if (field === undefined) {
      throw new DeterministicError(`entity ${type.name}[${id}] has field \`${name}\` that is not in the schema`);
    }
    checkKind(type, id, field, field.list, value);
  }
  for (const field of type.stored.values()) {
    const value = data.get(field.name);
    if (field.required && (value === undefined || value.kind === "Null")) {
      throw new DeterministicError(
        `entity ${type.name}[${id}] is missing a value for the non-nullable field \`${field.name}\``,
      );
    }
  }
}

function checkKind(type: EntityModel, id: string, field: FieldModel, list: boolean, value: StoreValue): void {
  if (value.kind === "Null") return;
  if (list && value.kind === "Array") {
    for (const item of value.value) checkKind(type, id, field, false, item);
    return;
  }
  if (!list && value.kind === field.valueKind) return;
  const expected = list ? `[${field.valueKind}]` : field.valueKind;
  throw new DeterministicError(
    `entity ${type.name}[${id}]: field \`${field.name}\` must be ${expected}, the mapping set ${value.kind}`,
  );
}
