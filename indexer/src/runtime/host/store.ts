/** `store.*`: entity reads and writes of the current block. */
import { unsupported } from "../errors.ts";
import {
  asyncHostFunction,
  entity,
  hostFunction,
  none,
  nullable,
  string,
  unsupportedFunction,
  type HostFunctions,
} from "./abi.ts";
import type { HostContext } from "./context.ts";

export function storeFunctions(ctx: HostContext): HostFunctions {
  return {
    "store.get": asyncHostFunction([string, string], nullable(entity), (type, id) => ctx.state.get(type, id)),
    "store.get_in_block": hostFunction([string, string], nullable(entity), (type, id) =>
      ctx.state.getInBlock(type, id),
    ),
    "store.set": asyncHostFunction([string, string, entity], none, (type, id, data) => ctx.state.set(type, id, data)),
    "store.remove": hostFunction([string, string], none, (type, id) => ctx.state.remove(type, id)),
    "store.loadRelated": unsupportedFunction(() =>
      unsupported("store.loadRelated", "the entity store cannot look entities up by field; load them by id"),
    ),
  };
}
