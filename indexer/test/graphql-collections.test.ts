import { expect } from "chai";

import { A, B, C, describeQueryApi } from "./graphql-fixture.ts";

describeQueryApi("GraphQL query API: entities, collections, filters and ordering", (api) => {
  const { data, ids, errorMessages } = api;

  describe("single entities and collections", () => {
    it("reads an entity by id, Bytes ids case-insensitively, and null for unknown ids", async () => {
      expect(
        await data(`{ identity(id: "0xAA01") { id owner changed deactivated name level trust tags kind } }`),
      ).to.deep.equal({
        identity: {
          id: A,
          owner: "0x4444",
          changed: "1000",
          deactivated: false,
          name: "Alice",
          level: 2,
          trust: "1.5",
          tags: ["kyc", "Gold"],
          kind: "Person",
        },
      });
      expect(await data(`{ identity(id: "0xdead") { id } status(id: "s-1") { id revoked } }`)).to.deep.equal({
        identity: null,
        status: { id: "s-1", revoked: true },
      });
    });

    it("lists a collection ordered by id, paged with first and skip", async () => {
      expect(await ids("identities", "")).to.deep.equal([A, B]);
      expect(await ids("identities", "first: 1")).to.deep.equal([A]);
      expect(await ids("identities", "first: 1, skip: 1")).to.deep.equal([B]);
      expect(await ids("identities", "skip: 2")).to.deep.equal([]);
      expect(await ids("delegates", "orderDirection: desc")).to.deep.equal(["d3", "d2", "d1"]);
    });

    it("passes variables through", async () => {
      const result = await data(
        `query($who: ID!, $n: Int) { identity(id: $who) { id } identities(first: $n) { id } }`,
        {
          who: B,
          n: 1,
        },
      );
      expect(result).to.deep.equal({ identity: { id: B }, identities: [{ id: A }] });
    });
  });

  describe("filters", () => {
    // At the latest block: A (changed 1000, Alice, level 2, trust 1.5, tags kyc+Gold, Person, no controllers),
    // B (changed 20, bob, level 1, trust 0.25, tags kyc, Organisation, controllers [A]). C is removed.
    const cases: [string, string[]][] = [
      [`{ owner: "0x2222" }`, [B]],
      [`{ id: "0xAA02" }`, [B]],
      [`{ owner_not: "0x2222" }`, [A]],
      [`{ owner_gt: "0x3000" }`, [A]],
      [`{ owner_lt: "0x3000" }`, [B]],
      [`{ owner_gte: "0x4444" }`, [A]],
      [`{ owner_lte: "0x2222" }`, [B]],
      [`{ owner_in: ["0x4444", "0x9999"] }`, [A]],
      [`{ owner_not_in: ["0x4444"] }`, [B]],
      [`{ owner_contains: "0x44" }`, [A]],
      [`{ owner_contains: "0x22" }`, [B]],
      [`{ id_contains: "0xa0" }`, []],
      [`{ owner_not_contains: "0x44" }`, [B]],
      [`{ id: "${A}" }`, [A]],
      [`{ changed: "20" }`, [B]],
      [`{ changed_gt: "100" }`, [A]],
      [`{ changed_gt: 3 }`, [A, B]],
      [`{ changed_lt: "100" }`, [B]],
      [`{ changed_gte: "20" }`, [A, B]],
      [`{ changed_lte: "20" }`, [B]],
      [`{ changed_in: ["20", "1000"] }`, [A, B]],
      [`{ changed_not_in: ["20"] }`, [A]],
      [`{ changed_not: "20" }`, [A]],
      [`{ trust_gt: "0.3" }`, [A]],
      [`{ trust_lte: "0.25" }`, [B]],
      [`{ level: 1 }`, [B]],
      [`{ level_gte: 2 }`, [A]],
      [`{ level_in: [1, 2] }`, [A, B]],
      [`{ deactivated: false }`, [A, B]],
      [`{ deactivated_not: false }`, []],
      [`{ deactivated_in: [true] }`, []],
      [`{ kind: Organisation }`, [B]],
      [`{ kind_not: Organisation }`, [A]],
      [`{ kind_in: [Person, Organisation] }`, [A, B]],
      [`{ kind_not_in: [Person] }`, [B]],
      [`{ name: "bob" }`, [B]],
      [`{ name_not: "bob" }`, [A]],
      [`{ name_gt: "B" }`, [B]],
      [`{ name_lt: "B" }`, [A]],
      [`{ name_contains: "lic" }`, [A]],
      [`{ name_contains: "LIC" }`, []],
      [`{ name_contains_nocase: "LIC" }`, [A]],
      [`{ name_not_contains: "o" }`, [A]],
      [`{ name_not_contains_nocase: "A" }`, [B]],
      [`{ name_starts_with: "Al" }`, [A]],
      [`{ name_starts_with: "al" }`, []],
      [`{ name_starts_with_nocase: "al" }`, [A]],
      [`{ name_not_starts_with: "Al" }`, [B]],
      [`{ name_not_starts_with_nocase: "B" }`, [A]],
      [`{ name_ends_with: "ob" }`, [B]],
      [`{ name_ends_with_nocase: "CE" }`, [A]],
      [`{ name_not_ends_with: "ce" }`, [B]],
      [`{ name_not_ends_with_nocase: "OB" }`, [A]],
      [`{ name_in: ["bob", "carol"] }`, [B]],
      [`{ name_not_in: ["bob"] }`, [A]],
      [`{ name: null }`, []],
      [`{ name_not: null }`, [A, B]],
      [`{ tags: ["kyc"] }`, [B]],
      [`{ tags_not: ["kyc"] }`, [A]],
      [`{ tags_contains: ["Gold"] }`, [A]],
      [`{ tags_contains: ["kyc"] }`, [A, B]],
      [`{ tags_contains_nocase: ["gold"] }`, [A]],
      [`{ tags_not_contains: ["Gold"] }`, [B]],
      [`{ tags_not_contains_nocase: ["GOLD"] }`, [B]],
      [`{ controllers: ["${A}"] }`, [B]],
      [`{ controllers_contains: ["0xAA01"] }`, [B]],
      [`{ controllers_not_contains: ["${A}"] }`, []],
      [`{ controllers_: { name: "Alice" } }`, [B]],
      [`{ delegates_: { validTo_gt: "650" } }`, [A]],
      [`{ delegates_: { delegateType: "0x01" } }`, [A, B]],
      [`{ attestations_: { issuer_: { name_starts_with: "Public" } } }`, [A]],
      [`{ events_: { blockNumber: "1" } }`, [A]],
      [`{ and: [{ tags_contains: ["kyc"] }, { level_lt: 2 }] }`, [B]],
      [`{ or: [{ name: "bob" }, { changed: "1000" }] }`, [A, B]],
      [`{ or: [{ name: "bob" }, { name: "carol" }] }`, [B]],
      [`{ and: [{ or: [{ level: 1 }, { level: 2 }] }, { kind: Person }] }`, [A]],
      [`{ _change_block: { number_gte: 2 } }`, [A]],
      [`{ _change_block: { number_gte: 4 } }`, []],
    ];
    for (const [where, expected] of cases) {
      it(`where: ${where}`, async () => {
        expect(await ids("identities", `where: ${where}`)).to.deep.equal(expected);
      });
    }

    it("filters references by id, case-insensitively for Bytes ids, and through nested filters", async () => {
      expect(await ids("delegates", `where: { identity: "0xAA02" }`)).to.deep.equal(["d3"]);
      expect(await ids("delegates", `where: { identity_in: ["${A}"] }`)).to.deep.equal(["d1", "d2"]);
      expect(await ids("delegates", `where: { identity_: { owner: "0x4444" } }`)).to.deep.equal(["d1", "d2"]);
      expect(await ids("attestations", `where: { status_: { revoked: true } }`)).to.deep.equal(["0xa7"]);
    });

    it("refuses column filters mixed with `or` at one level, as graph-node does", async () => {
      const [message] = await errorMessages(`{ identities(where: { name: "bob", or: [{ level: 1 }] }) { id } }`);
      expect(message).to.equal(
        "Cannot mix column filters with 'or' operator at the same level. Found column filter(s) 'name' alongside 'or' operator.\n\n" +
          "Instead of:\nwhere: { 'name', or: [...] }\n\nUse:\nwhere: { or: [{ 'name', ... }, { 'name', ... }] }",
      );
    });
  });

  describe("ordering", () => {
    it("orders BigInt numerically, not as text", async () => {
      expect(await ids("identities", "orderBy: changed")).to.deep.equal([B, A]);
      expect(await ids("identities", "orderBy: changed, orderDirection: desc")).to.deep.equal([A, B]);
      expect(await ids("identities", "orderBy: changed, block: { number: 1 }")).to.deep.equal([C, B, A]);
      expect(await ids("delegates", "orderBy: validTo, orderDirection: desc")).to.deep.equal(["d2", "d3", "d1"]);
    });

    it("orders strings, BigDecimals, enums by declaration, and child fields", async () => {
      expect(await ids("identities", "orderBy: name")).to.deep.equal([A, B]);
      expect(await ids("identities", "orderBy: trust")).to.deep.equal([B, A]);
      expect(await ids("identities", "orderBy: kind, orderDirection: desc")).to.deep.equal([B, A]);
      expect(await ids("delegates", "orderBy: identity__changed")).to.deep.equal(["d3", "d1", "d2"]);
      expect(await ids("delegates", "orderBy: identity__owner, orderDirection: desc")).to.deep.equal([
        "d2",
        "d1",
        "d3",
      ]);
    });

    it("refuses ordering by a list field", async () => {
      expect(await errorMessages("{ identities(orderBy: delegates) { id } }")).to.deep.equal([
        "Ordering by `delegates` is not supported for type `Identity`",
      ]);
    });
  });
});
