import { expect } from "chai";
import { buildSchema, GraphQLError } from "graphql";

import { DocumentCache } from "../src/graphql/documents.ts";

const SCHEMA = buildSchema("type Query { hello(name: String): String }");

describe("DocumentCache: each query text parsed and validated once", () => {
  it("answers the same document for the same text, with its validation errors", () => {
    const cache = new DocumentCache(SCHEMA);
    const first = cache.get("query ($n: String) { hello(name: $n) }");
    expect(first.errors).to.deep.equal([]);
    expect(cache.get("query ($n: String) { hello(name: $n) }").document).to.equal(first.document);
    const invalid = cache.get("{ goodbye }");
    expect(invalid.errors.map((e) => e.message)).to.deep.equal(['Cannot query field "goodbye" on type "Query".']);
    expect(cache.get("{ goodbye }")).to.equal(invalid);
  });

  it("throws the syntax error of a text that does not parse, every time", () => {
    const cache = new DocumentCache(SCHEMA);
    for (let i = 0; i < 2; i++) {
      expect(() => cache.get("{ hello")).to.throw(GraphQLError, "Syntax Error: Expected Name, found <EOF>.");
    }
  });

  it("keeps the most recently used texts only", () => {
    const cache = new DocumentCache(SCHEMA, 2);
    const a = cache.get("{ a: hello }");
    const b = cache.get("{ b: hello }");
    expect(cache.get("{ a: hello }")).to.equal(a);
    cache.get("{ c: hello }");
    expect(cache.get("{ a: hello }")).to.equal(a);
    expect(cache.get("{ b: hello }")).not.to.equal(b);
  });
});
