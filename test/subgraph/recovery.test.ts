/**
 * The subgraph's lost-key recovery: DIDRegistry recovery events on an in-process chain, indexed by the local
 * subgraph host, and what GraphQL answers about the recovery state, its history and the owner change a completed
 * recovery makes, on PGlite and on a Postgres server.
 */
import { expect } from "chai";
import { ZeroAddress, type ContractTransactionResponse } from "ethers";

import { TX_OVERRIDES } from "@realdid/testkit/erc1056";
import {
  deployRealDID,
  startIndexer,
  storeBackends,
  type IndexedSubgraph,
  type RealDIDChain,
} from "@realdid/testkit/subgraph";

const DAY = 86_400n;

interface RecoveryState {
  owner: string;
  deactivated: boolean;
  changed: string;
  recovery: string | null;
  recoveryDelay: string | null;
  recoveryPendingOwner: string | null;
  recoveryReadyAt: string | null;
}

interface Played {
  chain: RealDIDChain;
  blocks: Record<string, number>;
  timestamps: Record<string, bigint>;
  names: Record<string, string>;
}

/**
 * `holder` designates `guardian`, who starts a recovery the holder cancels, then starts one to `newKey` that a
 * stranger completes after the delay; `lost` designates `guardian`, who starts a recovery, and then deactivates.
 */
async function playRecoveries(chain: RealDIDChain): Promise<Played> {
  const { ethers, didRegistry, networkHelpers } = chain;
  const [, , , , , holder, guardian, newKey, other, stranger, lost] = await ethers.getSigners();
  const blocks: Record<string, number> = {};
  const timestamps: Record<string, bigint> = {};
  const step = async (name: string, sent: Promise<ContractTransactionResponse>) => {
    const receipt = await (await sent).wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`${name} failed`);
    blocks[name] = receipt.blockNumber;
    timestamps[name] = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
  };
  await step("set", didRegistry.connect(holder).setRecovery(holder, guardian, DAY, TX_OVERRIDES));
  await step("start", didRegistry.connect(guardian).startRecovery(holder, other, TX_OVERRIDES));
  await step("cancel", didRegistry.connect(holder).cancelRecovery(holder, TX_OVERRIDES));
  await step("restart", didRegistry.connect(guardian).startRecovery(holder, newKey, TX_OVERRIDES));
  await networkHelpers.time.increase(DAY);
  await step("complete", didRegistry.connect(stranger).completeRecovery(holder, TX_OVERRIDES));

  await step("lostSet", didRegistry.connect(lost).setRecovery(lost, guardian, 2n * DAY, TX_OVERRIDES));
  await step("lostStart", didRegistry.connect(guardian).startRecovery(lost, newKey, TX_OVERRIDES));
  await step("lostDeactivate", didRegistry.connect(lost).changeOwner(lost, ZeroAddress, TX_OVERRIDES));

  const signers = { holder, guardian, newKey, other, stranger, lost };
  const names = Object.fromEntries(Object.entries(signers).map(([name, s]) => [name, s.address.toLowerCase()]));
  return { chain, blocks, timestamps, names };
}

const STATE = "owner deactivated changed recovery recoveryDelay recoveryPendingOwner recoveryReadyAt";
const HISTORY = `__typename blockNumber logIndex
  ... on RecoverySet { recovery delay }
  ... on RecoveryStarted { recovery newOwner readyAt }
  ... on RecoveryCancelled { by }
  ... on RecoveryCompleted { previousOwner newOwner }`;

type HistoryEntry = Record<string, string> & { blockNumber: string; logIndex: string };

/** Recovery events in chain order (one transaction may emit several). */
function inChainOrder(events: HistoryEntry[]): Record<string, string>[] {
  const key = (event: HistoryEntry) => BigInt(event.blockNumber) * 1_000_000n + BigInt(event.logIndex);
  return events.toSorted((a, b) => (key(a) < key(b) ? -1 : 1)).map(({ logIndex: _logIndex, ...rest }) => rest);
}

for (const backend of storeBackends()) {
  describe(`subgraph lost-key recovery (${backend.name})`, function () {
    this.timeout(180_000);
    let played: Played;
    let subgraph: IndexedSubgraph;
    let stop: () => Promise<void>;
    let n: Record<string, string>;
    let b: Record<string, number>;

    before(async () => {
      const location = await backend.open();
      stop = location.stop;
      const chain = await deployRealDID();
      played = await playRecoveries(chain);
      n = played.names;
      b = played.blocks;
      subgraph = await startIndexer(chain, location);
      await subgraph.sync();
    });

    after(async () => {
      await subgraph?.close();
      await stop?.();
    });

    /** The holder's recovery state as of `block` (the head when omitted). */
    async function holderAt(block?: number): Promise<RecoveryState> {
      const data = await subgraph.query<{ identity: RecoveryState }>(
        `query ($id: ID!, $block: Block_height) { identity(id: $id, block: $block) { ${STATE} } }`,
        { id: n.holder, block: block === undefined ? null : { number: block } },
      );
      return data.identity;
    }

    it("shows the designation, the pending recovery and its cancellation, without moving `changed`", async () => {
      const designated = {
        owner: n.holder,
        deactivated: false,
        changed: "0",
        recovery: n.guardian,
        recoveryDelay: String(DAY),
        recoveryPendingOwner: null,
        recoveryReadyAt: null,
      };
      expect(await holderAt(b.set)).to.deep.equal(designated);
      expect(await holderAt(b.start)).to.deep.equal({
        ...designated,
        recoveryPendingOwner: n.other,
        recoveryReadyAt: String(played.timestamps.start + DAY),
      });
      expect(await holderAt(b.cancel)).to.deep.equal(designated);
      expect(await holderAt(b.restart)).to.deep.equal({
        ...designated,
        recoveryPendingOwner: n.newKey,
        recoveryReadyAt: String(played.timestamps.restart + DAY),
      });
    });

    it("shows a completed recovery as an owner change, with the designation cleared", async () => {
      expect(await holderAt()).to.deep.equal({
        owner: n.newKey,
        deactivated: false,
        changed: String(b.complete),
        recovery: null,
        recoveryDelay: null,
        recoveryPendingOwner: null,
        recoveryReadyAt: null,
      });
      // The ERC-1056 history holds only the owner change: what resolvers replay.
      const data = await subgraph.query<{ identity: { events: Record<string, unknown>[] } }>(
        `query ($id: ID!) {
          identity(id: $id) { events(orderBy: sequence) { __typename sequence previousChange blockNumber ... on OwnerChanged { owner } } }
        }`,
        { id: n.holder },
      );
      expect(data.identity.events).to.deep.equal([
        {
          __typename: "OwnerChanged",
          sequence: 1,
          previousChange: "0",
          blockNumber: String(b.complete),
          owner: n.newKey,
        },
      ]);
    });

    it("keeps the recovery history as immutable events, from the interface and the derived field", async () => {
      const data = await subgraph.query<{
        recoveryEvents: HistoryEntry[];
        identity: { recoveryEvents: HistoryEntry[] };
      }>(
        `query ($id: ID!, $ref: String!) {
          recoveryEvents(where: { identity: $ref }) { ${HISTORY} }
          identity(id: $id) { recoveryEvents { ${HISTORY} } }
        }`,
        { id: n.holder, ref: n.holder },
      );
      const history = inChainOrder(data.recoveryEvents);
      expect(history).to.deep.equal([
        { __typename: "RecoverySet", blockNumber: String(b.set), recovery: n.guardian, delay: String(DAY) },
        {
          __typename: "RecoveryStarted",
          blockNumber: String(b.start),
          recovery: n.guardian,
          newOwner: n.other,
          readyAt: String(played.timestamps.start + DAY),
        },
        { __typename: "RecoveryCancelled", blockNumber: String(b.cancel), by: n.holder },
        {
          __typename: "RecoveryStarted",
          blockNumber: String(b.restart),
          recovery: n.guardian,
          newOwner: n.newKey,
          readyAt: String(played.timestamps.restart + DAY),
        },
        { __typename: "RecoverySet", blockNumber: String(b.complete), recovery: ZeroAddress, delay: "0" },
        {
          __typename: "RecoveryCompleted",
          blockNumber: String(b.complete),
          previousOwner: n.holder,
          newOwner: n.newKey,
        },
      ]);
      expect(inChainOrder(data.identity.recoveryEvents)).to.deep.equal(history);
    });

    it("shows deactivation cancelling a pending recovery and clearing the designation", async () => {
      const data = await subgraph.query<{ identity: RecoveryState & { recoveryEvents: HistoryEntry[] } }>(
        `query ($id: ID!) { identity(id: $id) { ${STATE} recoveryEvents { ${HISTORY} } } }`,
        { id: n.lost },
      );
      const { recoveryEvents, ...state } = data.identity;
      expect(state).to.deep.equal({
        owner: ZeroAddress,
        deactivated: true,
        changed: String(b.lostDeactivate),
        recovery: null,
        recoveryDelay: null,
        recoveryPendingOwner: null,
        recoveryReadyAt: null,
      });
      expect(inChainOrder(recoveryEvents).map((event) => event.__typename)).to.deep.equal([
        "RecoverySet",
        "RecoveryStarted",
        "RecoveryCancelled",
        "RecoverySet",
      ]);
      expect(inChainOrder(recoveryEvents)[2]).to.deep.equal({
        __typename: "RecoveryCancelled",
        blockNumber: String(b.lostDeactivate),
        by: n.lost,
      });
    });
  });
}
