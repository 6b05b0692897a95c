/**
 * The local subgraph host running the real subgraph through a chain reorganisation, a restart on the same
 * database, and a handler that fails: what GraphQL answers afterwards, on PGlite and on a Postgres server.
 */
import { expect } from "chai";
import { encodeBytes32String, hexlify, toUtf8Bytes, type ContractTransactionResponse } from "ethers";

import { DeterministicError } from "../../indexer/src/runtime/index.ts";
import { attestation, LEVEL, SIG_AUTH, TX, VERI_KEY, YEAR } from "@realdid/testkit/trust";
import {
  deployRealDID,
  freshSubgraphName,
  startIndexer,
  storeBackends,
  type RealDIDChain,
} from "@realdid/testkit/subgraph";

/** Sends a transaction and returns the block it was mined in. */
async function mined(sent: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await sent).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("transaction failed");
  return receipt.blockNumber;
}

interface Meta {
  _meta: { block: { number: number; hash: string; timestamp: number }; hasIndexingErrors: boolean };
}
const META = "{ _meta { block { number hash timestamp } hasIndexingErrors } }";

/** The chain's latest block as `_meta { block { number hash timestamp } }` reports an indexed one. */
async function chainHead(chain: RealDIDChain): Promise<{ number: number; hash: string; timestamp: number }> {
  const block = await chain.ethers.provider.getBlock("latest");
  return { number: block!.number, hash: block!.hash!, timestamp: block!.timestamp };
}

for (const backend of storeBackends()) {
  describe(`local subgraph host over the real subgraph (${backend.name})`, function () {
    this.timeout(180_000);
    let location: Awaited<ReturnType<typeof backend.open>>;

    before(async () => {
      location = await backend.open();
    });

    after(async () => {
      await location?.stop();
    });

    it("drops the entities of blocks a reorganisation removed and indexes the new branch", async () => {
      const chain = await deployRealDID();
      const { didRegistry, ethers } = chain;
      const [, holder, kept, dropped, replacement] = await ethers.getSigners();
      await mined(didRegistry.connect(holder).addDelegate(holder, VERI_KEY, kept, YEAR, TX));
      const subgraph = await startIndexer(chain, { ...location, subgraphName: freshSubgraphName() });
      try {
        await subgraph.sync();

        const snapshot = await chain.provider.request({ method: "evm_snapshot", params: [] });
        await mined(didRegistry.connect(holder).addDelegate(holder, VERI_KEY, dropped, YEAR, TX));
        await mined(
          didRegistry.connect(holder).setAttribute(holder, encodeBytes32String("did/svc/Old"), "0x01", YEAR, TX),
        );
        await subgraph.sync();
        const beforeReorg = await chainHead(chain);
        const query = `query ($id: ID!) {
          identity(id: $id) { eventCount delegateCount serviceCount delegates(orderBy: sequence) { delegate } attributes { nameText } }
          delegateChangeds(orderBy: blockNumber) { delegate blockNumber }
          _meta { block { number hash timestamp } }
        }`;
        const variables = { id: holder.address.toLowerCase() };
        const onOldBranch = await subgraph.query<Record<string, Record<string, unknown>>>(query, variables);
        expect(onOldBranch.identity.eventCount).to.equal(3);
        expect(onOldBranch.identity.delegates).to.deep.equal([
          { delegate: kept.address.toLowerCase() },
          { delegate: dropped.address.toLowerCase() },
        ]);

        expect(await chain.provider.request({ method: "evm_revert", params: [snapshot] })).to.equal(true);
        const replacedAt = await mined(
          didRegistry.connect(holder).addDelegate(holder, SIG_AUTH, replacement, YEAR, TX),
        );
        // The new branch ends at least as high as the old one.
        await chain.networkHelpers.mine(beforeReorg.number - replacedAt + 1);
        const afterReorg = await chainHead(chain);
        expect(afterReorg.number).to.be.greaterThan(beforeReorg.number);
        expect(afterReorg.hash).to.not.equal(beforeReorg.hash);

        await subgraph.sync();
        const onNewBranch = await subgraph.query<Record<string, Record<string, unknown>>>(query, variables);
        expect(onNewBranch).to.deep.equal({
          identity: {
            eventCount: 2,
            delegateCount: 2,
            serviceCount: 0,
            delegates: [{ delegate: kept.address.toLowerCase() }, { delegate: replacement.address.toLowerCase() }],
            attributes: [],
          },
          delegateChangeds: [
            { delegate: kept.address.toLowerCase(), blockNumber: String(replacedAt - 1) },
            { delegate: replacement.address.toLowerCase(), blockNumber: String(replacedAt) },
          ],
          _meta: { block: afterReorg },
        });
      } finally {
        await subgraph.close();
      }
    });

    it("resumes after a restart on the same database without losing or repeating data", async () => {
      const chain = await deployRealDID();
      const { didRegistry, issuerRegistry, realNameRegistry, ethers } = chain;
      const [, issuer, ...people] = await ethers.getSigners();
      const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + YEAR;
      await mined(issuerRegistry.accredit(issuer, LEVEL.BIOMETRIC, "Issuer", "https://issuer", TX));
      const act = async (person: (typeof people)[number], index: number) => {
        await mined(
          didRegistry
            .connect(person)
            .setAttribute(
              person,
              encodeBytes32String("did/svc/Hub"),
              hexlify(toUtf8Bytes(`https://hub/${index}`)),
              YEAR,
              TX,
            ),
        );
        await mined(
          realNameRegistry.connect(issuer).attest(issuer, attestation(person.address, LEVEL.CONTACT, expiry), TX),
        );
      };
      const counts = `{
        attributeChangeds(first: 1000) { id }
        attesteds(first: 1000) { id }
        issuer(id: "${issuer.address.toLowerCase()}") { attestationCount }
        identities(first: 1000, where: { eventCount_gt: 0 }) { eventCount }
        _meta { block { number hash timestamp } }
      }`;
      interface Counts {
        attributeChangeds: unknown[];
        attesteds: unknown[];
        issuer: { attestationCount: number };
        identities: { eventCount: number }[];
        _meta: { block: { number: number; hash: string } };
      }
      const subgraphName = freshSubgraphName();

      for (let i = 0; i < 3; i++) await act(people[i], i);
      const first = await startIndexer(chain, { ...location, subgraphName });
      await first.sync();
      const headBefore = await chainHead(chain);
      await first.close();

      for (let i = 3; i < 6; i++) await act(people[i], i);
      const second = await startIndexer(chain, { ...location, subgraphName });
      try {
        const reopened = await second.query<Counts>(counts);
        expect(reopened._meta.block).to.deep.equal(headBefore);
        expect(reopened.attesteds).to.have.length(3);

        const result = await second.sync();
        // Only the blocks after the stored head are indexed again.
        expect(result.blocks).to.equal((await chainHead(chain)).number - headBefore.number);
        const resumed = await second.query<Counts>(counts);
        expect(resumed.attributeChangeds).to.have.length(6);
        expect(resumed.attesteds).to.have.length(6);
        expect(new Set(resumed.attesteds.map((a) => JSON.stringify(a))).size).to.equal(6);
        expect(resumed.issuer.attestationCount).to.equal(6);
        expect(resumed.identities.map((identity) => identity.eventCount)).to.deep.equal(Array(6).fill(1));
        expect(resumed._meta.block).to.deep.equal(await chainHead(chain));
      } finally {
        await second.close();
      }
    });

    it("stops at a failing handler, reports the indexing error and keeps no data of the failing block", async () => {
      const chain = await deployRealDID();
      const { didRegistry, issuerRegistry, realNameRegistry, ethers } = chain;
      const [, issuer, holder, stranger] = await ethers.getSigners();
      const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + YEAR;
      const accreditedAt = await mined(
        issuerRegistry.accredit(issuer, LEVEL.BIOMETRIC, "Issuer", "https://issuer", TX),
      );
      const delegatedAt = await mined(didRegistry.connect(holder).addDelegate(holder, VERI_KEY, stranger, YEAR, TX));
      const attestedAt = await mined(
        realNameRegistry.connect(issuer).attest(issuer, attestation(stranger.address, LEVEL.CONTACT, expiry), TX),
      );

      // Indexing from after the accreditation, the attestation names an issuer the subgraph never saw.
      const subgraph = await startIndexer(chain, { ...location, startBlock: accreditedAt + 1 });
      try {
        let failure: unknown;
        await subgraph.sync().catch((error: unknown) => (failure = error));
        expect(failure).to.be.instanceOf(DeterministicError);
        expect((failure as Error).message).to.contain(`unknown issuer ${issuer.address.toLowerCase()}`);
        await subgraph.sync().catch((error: unknown) => (failure = error));
        expect((failure as Error).message).to.match(/^subgraph failed earlier: .*unknown issuer/);

        const meta = await subgraph.query<Meta>(META);
        expect(meta._meta.hasIndexingErrors).to.equal(true);
        expect(meta._meta.block.number).to.be.at.least(delegatedAt).and.below(attestedAt);

        const data = (policy: string) => `{
          identities(subgraphError: ${policy}) { id }
          attestations(subgraphError: ${policy}) { id }
          attesteds(subgraphError: ${policy}) { id }
        }`;
        expect(await subgraph.request(data("deny"))).to.deep.equal({ errors: [{ message: "indexing_error" }] });
        const allowed = await subgraph.request(data("allow"));
        expect(allowed).to.deep.equal({
          data: { identities: [{ id: holder.address.toLowerCase() }], attestations: [], attesteds: [] },
          errors: [{ message: "indexing_error" }],
        });
        expect(await subgraph.store.get("Identity", stranger.address.toLowerCase())).to.equal(null);
      } finally {
        await subgraph.close();
      }
    });
  });
}
