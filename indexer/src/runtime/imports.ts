/**
 * The one import table: every host function graph-ts 0.38 declares, by the field name the compiled
 * mapping imports it under (`store.set`, `bigInt.plus`, ...), plus AssemblyScript's `env.abort`.
 */
import type { AscHeap } from "./asc.ts";
import { DeterministicError } from "./errors.ts";
import { chainFunctions } from "./host/chain.ts";
import type { HostContext } from "./host/context.ts";
import { dataFunctions } from "./host/data.ts";
import { numberFunctions } from "./host/numbers.ts";
import { storeFunctions } from "./host/store.ts";
import type { HostFunction, HostFunctions, WasmValue } from "./host/abi.ts";

export function hostFunctions(ctx: HostContext): HostFunctions {
  return { ...storeFunctions(ctx), ...numberFunctions, ...dataFunctions, ...chainFunctions(ctx) };
}

/** WebAssembly JS Promise Integration (Node 24): lets async host functions suspend the mapping. */
interface Jspi {
  Suspending: new (fn: (...args: WasmValue[]) => Promise<WasmValue>) => WebAssembly.ImportValue;
  promising<F extends (...args: never[]) => unknown>(fn: F): (...args: Parameters<F>) => Promise<ReturnType<F>>;
}
export const jspi = WebAssembly as unknown as Jspi;

function abort(heap: () => AscHeap) {
  return (message: number, file: number, line: number, column: number): never => {
    const text = (ptr: number): string => (ptr === 0 ? "" : heap().readString(ptr));
    throw new DeterministicError(`mapping aborted at ${text(file)}:${line}:${column}: ${text(message)}`);
  };
}

function bind(fn: HostFunction, heap: () => AscHeap): WebAssembly.ImportValue {
  const raw = fn.bind(heap);
  return fn.async
    ? new jspi.Suspending(raw as (...args: WasmValue[]) => Promise<WasmValue>)
    : (raw as WebAssembly.ImportValue);
}

/** Builds the imports a compiled mapping asks for; an import this host does not know fails loudly. */
export function buildImports(module: WebAssembly.Module, ctx: HostContext, heap: () => AscHeap): WebAssembly.Imports {
  const functions = hostFunctions(ctx);
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const { module: namespace, name, kind } of WebAssembly.Module.imports(module)) {
    let value: WebAssembly.ImportValue;
    if (namespace === "env" && name === "abort") value = abort(heap);
    else if (kind === "function" && functions[name] !== undefined) value = bind(functions[name], heap);
    else
      throw new DeterministicError(
        `mapping imports ${namespace}.${name}, which the local subgraph host does not provide`,
      );
    (imports[namespace] ??= {})[name] = value;
  }
  return imports;
}
