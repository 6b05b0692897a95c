import { expect } from "chai";
import { GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType } from "graphql";

import { parseSubgraphSchema, queryFieldNames, SubgraphSchemaError } from "../src/graphql/index.ts";
import { describeQueryApi } from "./graphql-fixture.ts";

describeQueryApi("GraphQL query API: the schema graph-node would serve", (api) => {
  describe("schema", () => {
    it("names root fields like graph-node (Inflector camel case and plural)", () => {
      expect(queryFieldNames("Identity")).to.deep.equal({ singular: "identity", plural: "identities" });
      expect(queryFieldNames("Attestation")).to.deep.equal({ singular: "attestation", plural: "attestations" });
      expect(queryFieldNames("Status")).to.deep.equal({ singular: "status", plural: "statuses" });
      expect(queryFieldNames("Delegate")).to.deep.equal({ singular: "delegate", plural: "delegates" });
      expect(queryFieldNames("DelegateChanged")).to.deep.equal({
        singular: "delegateChanged",
        plural: "delegateChangeds",
      });
      expect(queryFieldNames("DIDOwnerChanged")).to.deep.equal({
        singular: "didownerChanged",
        plural: "didownerChangeds",
      });
      expect(queryFieldNames("Address")).to.deep.equal({ singular: "address", plural: "addresses" });
      expect(queryFieldNames("Stats")).to.deep.equal({ singular: "stats", plural: "stats_collection" });
      // Inflector's rules are case-sensitive: `Person` misses the lowercase `person` → `people` rule.
      expect(queryFieldNames("Person")).to.deep.equal({ singular: "person", plural: "persons" });
      expect(queryFieldNames("Box")).to.deep.equal({ singular: "box", plural: "boxes" });
      expect(queryFieldNames("Registry")).to.deep.equal({ singular: "registry", plural: "registries" });
      expect(queryFieldNames("Key")).to.deep.equal({ singular: "key", plural: "keys" });
    });

    it("generates root fields with graph-node's arguments and defaults", () => {
      const query = api.executor.schema.getQueryType()!;
      const fields = query.getFields();
      expect(Object.keys(fields)).to.include.members([
        "identity",
        "identities",
        "statuses",
        "ownerChangeds",
        "identityEvent",
        "identityEvents",
        "_meta",
      ]);
      const identities = fields.identities!;
      expect(String(identities.type)).to.equal("[Identity!]!");
      expect(
        identities.args.map(
          (a) => `${a.name}: ${String(a.type)}${a.defaultValue === undefined ? "" : ` = ${String(a.defaultValue)}`}`,
        ),
      ).to.deep.equal([
        "skip: Int = 0",
        "first: Int = 100",
        "orderBy: Identity_orderBy",
        "orderDirection: OrderDirection",
        "where: Identity_filter",
        "block: Block_height",
        "subgraphError: _SubgraphErrorPolicy_! = deny",
      ]);
      expect(fields.identity!.args.map((a) => `${a.name}: ${String(a.type)}`)).to.deep.equal([
        "id: ID!",
        "block: Block_height",
        "subgraphError: _SubgraphErrorPolicy_!",
      ]);
      const delegates = (api.executor.schema.getType("Identity") as GraphQLObjectType).getFields().delegates!;
      expect(delegates.args.map((a) => a.name)).to.deep.equal(["skip", "first", "orderBy", "orderDirection", "where"]);
    });

    it("generates filter inputs per field type and orderBy enums with child fields", () => {
      const filter = (api.executor.schema.getType("Identity_filter") as GraphQLInputObjectType).getFields();
      const keys = Object.keys(filter);
      expect(keys.filter((k) => k.startsWith("owner"))).to.deep.equal([
        "owner",
        "owner_not",
        "owner_gt",
        "owner_lt",
        "owner_gte",
        "owner_lte",
        "owner_in",
        "owner_not_in",
        "owner_contains",
        "owner_not_contains",
      ]);
      expect(keys.filter((k) => k.startsWith("name"))).to.have.length(20);
      expect(keys.filter((k) => k.startsWith("deactivated"))).to.deep.equal([
        "deactivated",
        "deactivated_not",
        "deactivated_in",
        "deactivated_not_in",
      ]);
      expect(keys.filter((k) => k.startsWith("kind"))).to.deep.equal(["kind", "kind_not", "kind_in", "kind_not_in"]);
      expect(keys.filter((k) => k.startsWith("tags"))).to.deep.equal([
        "tags",
        "tags_not",
        "tags_contains",
        "tags_contains_nocase",
        "tags_not_contains",
        "tags_not_contains_nocase",
      ]);
      expect(keys.filter((k) => k.startsWith("delegates"))).to.deep.equal(["delegates_"]);
      expect(String(filter.owner_in!.type)).to.equal("[Bytes!]");
      expect(String(filter.controllers!.type)).to.equal("[String!]");
      expect(keys.slice(-3)).to.deep.equal(["_change_block", "and", "or"]);

      const orderBy = (api.executor.schema.getType("Delegate_orderBy") as GraphQLEnumType)
        .getValues()
        .map((v) => v.name);
      expect(orderBy).to.include.members(["id", "identity", "identity__owner", "identity__changed", "validTo"]);
      expect(orderBy).to.not.include("identity__delegates");
      expect(orderBy).to.not.include("identity__controllers");
    });

    it("rejects schemas it cannot serve", () => {
      const bad = (sdl: string) => () => parseSubgraphSchema(sdl);
      expect(bad("type A @entity { name: String }")).to.throw(SubgraphSchemaError, "A needs an `id` field");
      expect(bad("type A @entity { id: ID!, when: Date }")).to.throw(
        SubgraphSchemaError,
        "A.when has unknown type Date",
      );
      expect(
        bad('type A @entity { id: ID!, bs: [B!]! @derivedFrom(field: "nope") }\ntype B @entity { id: ID! }'),
      ).to.throw(SubgraphSchemaError, "A.bs is derived from B.nope, which is not a reference");
    });
  });
});
