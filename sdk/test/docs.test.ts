/**
 * Every public function of the SDK (exported from an entry point of `package.json`'s `exports`) has a JSDoc
 * `@example`, read with the TypeScript compiler from the sources.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import ts from "typescript";

const SDK = join(import.meta.dirname, "..");

/** The source file of each entry point: `./dist/x/index.js` is `src/x/index.ts`. */
function entryPoints(): string[] {
  const { exports } = JSON.parse(readFileSync(join(SDK, "package.json"), "utf8")) as {
    exports: Record<string, string | { import?: string }>;
  };
  return Object.values(exports)
    .map((target) => (typeof target === "string" ? target : target.import))
    .filter((target): target is string => target !== undefined && target.startsWith("./dist/"))
    .map((target) => join(SDK, target.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")));
}

describe("SDK documentation", () => {
  it("gives every public function a JSDoc @example", function () {
    this.timeout(60_000);
    const entries = entryPoints();
    expect(entries).to.have.length.greaterThan(5);
    const program = ts.createProgram(entries, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const functions = new Set<string>();
    const undocumented = new Set<string>();
    for (const entry of entries) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const exported of checker.getExportsOfModule(module)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const declaration = symbol.declarations?.[0];
        if (declaration === undefined || !ts.isFunctionDeclaration(declaration)) continue;
        if (!declaration.getSourceFile().fileName.startsWith(join(SDK, "src"))) continue;
        functions.add(symbol.name);
        const examples = ts.getJSDocTags(declaration).filter((tag) => tag.tagName.text === "example");
        if (examples.length === 0) undocumented.add(symbol.name);
      }
    }
    expect(functions.size, "public functions found").to.be.greaterThan(40);
    expect([...undocumented].sort(), "public functions without an @example").to.deep.equal([]);
  });
});
