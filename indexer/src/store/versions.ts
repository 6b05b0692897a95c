/**
 * The version rows a batch of consecutive blocks writes, whatever the table layout: each change closes the entity's
 * current version at its block and, unless it removes the entity, opens a new one there. When one entity changes in
 * several blocks of the batch, its versions in between are written already closed, so every range
 * [blockFrom, blockTo) is right without reading them back.
 */
import { EntityStoreError } from "./errors.ts";
import type { BlockChanges, BlockPointer, EntityData } from "./types.ts";

export interface VersionWrites {
  /** Versions stored before the batch that the batch replaces or removes: close them at `block`. */
  closes: { entity: string; id: string; block: number }[];
  /** New versions; `blockTo` is set when a later block of the batch replaced or removed them. */
  rows: { entity: string; id: string; blockFrom: number; blockTo: number | null; data: EntityData }[];
  /** The batch's blocks, in order. */
  blocks: BlockPointer[];
}

/**
 * The writes of `batch`, checked: blocks ascending and after `head` (null: nothing indexed yet), no entity changed
 * twice in one block.
 */
export function versionWrites(batch: readonly BlockChanges[], head: number | null): VersionWrites {
  const writes: VersionWrites = { closes: [], rows: [], blocks: [] };
  /** `entity \u0000 id` → the batch's latest version of it, or null after a removal within the batch. */
  const latest = new Map<string, VersionWrites["rows"][number] | null>();
  let previous = head;
  for (const { block, changes } of batch) {
    if (previous !== null && block.number <= previous) {
      throw new EntityStoreError(`block ${block.number} is not after the head block ${previous}`);
    }
    previous = block.number;
    writes.blocks.push(block);
    const seen = new Set<string>();
    for (const { entity, id, data } of changes) {
      const key = `${entity}\u0000${id}`;
      if (seen.has(key)) throw new EntityStoreError(`block ${block.number} changes ${entity} ${id} more than once`);
      seen.add(key);
      const before = latest.get(key);
      if (before === undefined) writes.closes.push({ entity, id, block: block.number });
      else if (before !== null) before.blockTo = block.number;
      const row = data === null ? null : { entity, id, blockFrom: block.number, blockTo: null, data };
      if (row !== null) writes.rows.push(row);
      latest.set(key, row);
    }
  }
  return writes;
}
