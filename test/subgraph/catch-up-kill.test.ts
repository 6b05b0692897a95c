/**
 * The `indexer` command killed with SIGKILL in the middle of a catch-up, then started again on the same database:
 * the real subgraph over a generated history, every identity's change count and every attestation checked after.
 */
import { expect } from "chai";

import { exited, runIndexer } from "@realdid/testkit/indexer-command";
import { buildSubgraph, temporaryDirectory } from "@realdid/testkit/subgraph";
import {
  checkIndexedHistory,
  realDIDInterfaces,
  serveHistory,
  SyntheticHistory,
  syntheticDeployment,
  type GraphQLData,
} from "@realdid/testkit/synthetic-chain";

/** Answers the data of a GraphQL request to `url`, throwing its errors. */
function graphqlAt(url: string): GraphQLData {
  return async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const reply = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (reply.errors !== undefined) throw new Error(reply.errors.map((e) => e.message).join("; "));
    return reply.data!;
  };
}

describe("the indexer command killed mid-catch-up", function () {
  this.timeout(300_000);

  it("resumes on the same database with nothing lost or indexed twice", async () => {
    const deployment = syntheticDeployment("realdid-kill");
    // Logs capped at 600 a request and final blocks from 2 below the head: the catch-up reads one or two blocks
    // at a time, each committed on its own, so the kill lands between and within block commits.
    const history = new SyntheticHistory(4_000, deployment, await realDIDInterfaces(), 600);
    const subgraph = await buildSubgraph(deployment);
    const chain = await serveHistory(history);
    const options = {
      subgraph,
      rpc: chain.url,
      db: temporaryDirectory("kill"),
      name: "realdid",
      args: ["--reorg-threshold", "2"],
    };
    try {
      const killed = await runIndexer(options, ({ head, target }) => (head >= target / 2 ? "SIGKILL" : null));
      await exited(killed.child);
      expect(killed.child.signalCode).to.equal("SIGKILL");
      expect(killed.events).to.be.above(0).and.below(history.events);

      const resumed = await runIndexer(options, ({ head, target }) => (head >= target ? "keep" : null));
      try {
        const identities = Array.from({ length: history.identities }, (_, n) => n);
        await checkIndexedHistory(graphqlAt(resumed.graphqlUrl), history, identities);
      } finally {
        resumed.child.kill("SIGTERM");
        await exited(resumed.child);
      }
    } finally {
      await chain.close();
    }
  });
});
