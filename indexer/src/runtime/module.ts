/**
 * One running instance of a data source's mapping. graph-ts mappings use AssemblyScript's stub runtime
 * (a bump allocator whose memory only grows), so the runtime makes a fresh instance for every block.
 */
import { AscHeap, type AscExports } from "./asc.ts";
import { DeterministicError, TransientError } from "./errors.ts";
import { writeEvent, type EventInput } from "./event.ts";
import type { HostContext } from "./host/context.ts";
import { buildImports, jspi } from "./imports.ts";

interface MappingExports extends AscExports {
  _start?: () => void;
  [handler: string]: unknown;
}

export class MappingInstance {
  private constructor(
    private readonly exports: MappingExports,
    private readonly heap: AscHeap,
    private readonly ctx: HostContext,
  ) {}

  /** Instantiates the data source's module for one block and runs its start function. */
  static async create(ctx: HostContext): Promise<MappingInstance> {
    const instantiated: { heap?: AscHeap } = {};
    const heapOf = (): AscHeap => {
      if (instantiated.heap === undefined) {
        throw new DeterministicError("mapping called the host before it was instantiated");
      }
      return instantiated.heap;
    };
    const { module } = ctx.dataSource;
    const instance = await WebAssembly.instantiate(module, buildImports(module, ctx, heapOf));
    const exports = instance.exports as unknown as MappingExports;
    instantiated.heap = new AscHeap(exports);
    const mapping = new MappingInstance(exports, instantiated.heap, ctx);
    await mapping.#guard("_start", async () => exports._start?.());
    return mapping;
  }

  /** Writes the event into module memory and runs the named handler on it. */
  async handleEvent(handler: string, input: EventInput): Promise<void> {
    const fn = this.exports[handler];
    if (typeof fn !== "function") {
      throw new DeterministicError(`data source ${this.ctx.dataSource.name} has no exported handler ${handler}`);
    }
    await this.#guard(handler, async () => {
      const event = writeEvent(this.heap, input);
      await jspi.promising(fn as (event: number) => void)(event);
    });
  }

  /** Classes every failure: host errors keep their class, traps and other throws are deterministic. */
  async #guard(what: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (error instanceof TransientError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new DeterministicError(
        `${this.ctx.dataSource.name}.${what} failed in block ${this.ctx.block.number}: ${message}`,
        { cause: error },
      );
    }
  }
}
