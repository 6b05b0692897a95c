/**
 * The subgraph's mappings on real events: every event of the four registries is emitted on an in-process chain,
 * indexed by the local subgraph host, and the entities and history GraphQL answers are checked, on PGlite and on
 * a Postgres server.
 */
import { expect } from "chai";
import {
  encodeBytes32String,
  hexlify,
  toUtf8Bytes,
  Wallet,
  ZeroAddress,
  ZeroHash,
  type ContractTransactionResponse,
} from "ethers";

import {
  ATTESTATION_TYPES,
  attestation,
  buildMerkleBatch,
  DAY,
  domainOf,
  LEVEL,
  REVOCATION,
  SIG_AUTH,
  STATUS_UPDATE_TYPES,
  SUSPENSION,
  TX,
  VERI_KEY,
  YEAR,
} from "../helpers/trust.js";
import { deployRealDID, startIndexer, storeBackends, type IndexedSubgraph, type RealDIDChain } from "./helpers.js";

const PUB_KEY_NAME = "did/pub/Secp256k1/veriKey/hex";
const SERVICE_NAME = "did/svc/HubService";
const SERVICE_ENDPOINT = "https://hub.example.com";
const DEVICE_KEY = new Wallet(ZeroHash.replace(/0$/, "1")).signingKey.publicKey;

const lower = (address: string): string => address.toLowerCase();
/** The subgraph id of an attestation: issuer ++ status index as 32 big-endian bytes. */
const attestationId = (issuer: string, statusIndex: number): string =>
  lower(issuer) + statusIndex.toString(16).padStart(64, "0");

/** Block numbers and timestamps of the scenario's steps, for the assertions. */
interface Scenario {
  chain: RealDIDChain;
  blocks: Record<string, number>;
  timestamps: Record<string, number>;
  root: string;
  names: Record<string, string>;
}

/**
 * Emits every event type of the four registries: the trust list's whole life cycle, DID owners, delegates and
 * attributes (set, revoked, deactivation), attestations on every issuance path with a replacement, a
 * reconfirmation and a disclosure, status changes single, batched, signed and by word, and cancelled signatures.
 */
async function playScenario(chain: RealDIDChain): Promise<Scenario> {
  const { ethers, didRegistry, issuerRegistry, statusRegistry, realNameRegistry } = chain;
  const [, issuer, lowIssuer, veriKey, , holder, other, stranger, alice, bob, carol, dave, erin, frank] =
    await ethers.getSigners();
  const blocks: Record<string, number> = {};
  const timestamps: Record<string, number> = {};
  const step = async (name: string, sent: Promise<ContractTransactionResponse>) => {
    const receipt = await (await sent).wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`${name} failed`);
    blocks[name] = receipt.blockNumber;
    timestamps[name] = (await ethers.provider.getBlock(receipt.blockNumber))!.timestamp;
  };
  const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + YEAR;

  await step("accredit", issuerRegistry.accredit(issuer, LEVEL.BIOMETRIC, "Public Security Bureau", "https://psb", TX));
  await step("accreditLow", issuerRegistry.accredit(lowIssuer, LEVEL.CONTACT, "Contact Verifier", "https://cv", TX));
  await step(
    "updateLow",
    issuerRegistry.updateIssuer(lowIssuer, LEVEL.DOCUMENT, "Document Verifier", "https://dv", TX),
  );
  await step("issuerVeriKey", didRegistry.connect(issuer).addDelegate(issuer, VERI_KEY, veriKey, YEAR, TX));

  const pubName = encodeBytes32String(PUB_KEY_NAME);
  const svcName = encodeBytes32String(SERVICE_NAME);
  const endpoint = hexlify(toUtf8Bytes(SERVICE_ENDPOINT));
  await step("holderSigAuth", didRegistry.connect(holder).addDelegate(holder, SIG_AUTH, other, DAY, TX));
  await step("holderPub", didRegistry.connect(holder).setAttribute(holder, pubName, DEVICE_KEY, YEAR, TX));
  await step("holderSvc", didRegistry.connect(holder).setAttribute(holder, svcName, endpoint, YEAR, TX));
  await step("holderRevokeSigAuth", didRegistry.connect(holder).revokeDelegate(holder, SIG_AUTH, other, TX));
  await step("holderRevokeSvc", didRegistry.connect(holder).revokeAttribute(holder, svcName, endpoint, TX));

  // Status 5 is revoked before it is issued: the attestation that gets it is born revoked.
  await step("preRevoke", statusRegistry.connect(issuer).setStatus(issuer, REVOCATION, 5, true, TX));

  const holderData = attestation(holder.address, LEVEL.DOCUMENT, expiry, "Li Si");
  await step("attestHolder", realNameRegistry.connect(veriKey).attest(issuer, holderData, TX));
  const aliceData = attestation(alice.address, LEVEL.CONTACT, expiry);
  const bobData = attestation(bob.address, LEVEL.CONTACT, expiry);
  await step(
    "attestBatch",
    realNameRegistry
      .connect(issuer)
      .attestBatch(
        issuer,
        LEVEL.CONTACT,
        expiry,
        ZeroHash,
        [alice, bob],
        [aliceData.commitment, bobData.commitment],
        [],
        TX,
      ),
  );

  const carolData = attestation(carol.address, LEVEL.BIOMETRIC, expiry);
  const message = {
    issuer: issuer.address,
    signer: issuer.address,
    identity: carol.address,
    level: carolData.level,
    expiry: carolData.expiry,
    commitment: carolData.commitment,
    scope: carolData.scope,
    nullifier: carolData.nullifier,
    owner: carol.address,
    nonce: await realNameRegistry.nonces(issuer),
    deadline: expiry,
  };
  const signature = await issuer.signTypedData(
    await domainOf(realNameRegistry, "RealDID RealNameRegistry"),
    ATTESTATION_TYPES,
    message,
  );
  await step(
    "attestSigned",
    realNameRegistry
      .connect(stranger)
      .attestBySig(issuer, issuer, carolData, carol, message.nonce, message.deadline, signature, TX),
  );

  const { chainId } = await ethers.provider.getNetwork();
  const registryAddress = await realNameRegistry.getAddress();
  const batch = buildMerkleBatch(chainId, registryAddress, issuer.address, LEVEL.DOCUMENT, expiry, [
    dave.address,
    erin.address,
  ]);
  const root = batch.tree.root;
  await step(
    "anchor",
    realNameRegistry.connect(veriKey).anchorRoot(issuer, root, LEVEL.DOCUMENT, expiry, 2, "ipfs://batch", TX),
  );
  await step("claim", realNameRegistry.connect(stranger).claim(root, batch.leaves[1], batch.tree.getProof(1), TX));

  const frankData = attestation(frank.address, LEVEL.CONTACT, expiry);
  await step("attestFrank", realNameRegistry.connect(issuer).attest(issuer, frankData, TX));

  await step("disclose", realNameRegistry.connect(holder).disclose(holder, holderData.realName, holderData.salt, TX));
  await step("aliceOwner", didRegistry.connect(alice).changeOwner(alice, other, TX));
  await step("reconfirm", realNameRegistry.connect(issuer).reconfirm(alice, TX));

  await step("revokeBob", statusRegistry.connect(issuer).setStatus(issuer, REVOCATION, 2, true, TX));
  await step("suspendMany", statusRegistry.connect(veriKey).setStatuses(issuer, SUSPENSION, [0, 3], true, TX));
  // Word 0 of the suspension list: status 0 stays set (most significant bit first), status 3 is cleared.
  await step("suspendWord", statusRegistry.connect(issuer).setStatusWord(issuer, SUSPENSION, 0, 1n << 255n, TX));
  const update = { issuer: issuer.address, signer: issuer.address, purpose: REVOCATION, index: 2, value: false };
  const statusNonce = await statusRegistry.nonces(issuer);
  const statusSignature = await issuer.signTypedData(
    await domainOf(statusRegistry, "RealDID StatusRegistry"),
    STATUS_UPDATE_TYPES,
    { ...update, nonce: statusNonce, deadline: expiry },
  );
  await step(
    "unrevokeSigned",
    statusRegistry
      .connect(stranger)
      .setStatusBySig(issuer, issuer, REVOCATION, 2, false, statusNonce, expiry, statusSignature, TX),
  );
  await step("cancelStatus", statusRegistry.connect(issuer).cancelSignatures(issuer, TX));
  await step("cancelAttestations", realNameRegistry.connect(veriKey).cancelSignatures(issuer, TX));

  const replacement = attestation(holder.address, LEVEL.DOCUMENT, expiry, "Li Si");
  await step("replaceHolder", realNameRegistry.connect(lowIssuer).attest(lowIssuer, replacement, TX));

  await step("suspendLow", issuerRegistry.suspend(lowIssuer, "audit", TX));
  await step("reinstateLow", issuerRegistry.reinstate(lowIssuer, TX));
  await step("removeLow", issuerRegistry.remove(lowIssuer, "closed", TX));
  await step("deactivateBob", didRegistry.connect(bob).changeOwner(bob, ZeroAddress, TX));

  const names = Object.fromEntries(
    Object.entries({ issuer, lowIssuer, veriKey, holder, other, stranger, alice, bob, carol, dave, erin, frank }).map(
      ([name, signer]) => [name, lower(signer.address)],
    ),
  );
  return { chain, blocks, timestamps, root, names };
}

for (const backend of storeBackends()) {
  describe(`subgraph mappings on real events (${backend.name})`, function () {
    this.timeout(180_000);
    let scenario: Scenario;
    let subgraph: IndexedSubgraph;
    let stop: () => Promise<void>;
    let n: Record<string, string>;
    let b: Record<string, number>;

    before(async () => {
      const location = await backend.open();
      stop = location.stop;
      const chain = await deployRealDID();
      scenario = await playScenario(chain);
      n = scenario.names;
      b = scenario.blocks;
      subgraph = await startIndexer(chain, location);
      const result = await subgraph.sync();
      expect(result.head?.number).to.equal(await chain.ethers.provider.getBlockNumber());
    });

    after(async () => {
      await subgraph?.close();
      await stop?.();
    });

    it("reaches the chain head without indexing errors", async () => {
      const head = await scenario.chain.ethers.provider.getBlock("latest");
      const data = await subgraph.query<{
        _meta: { block: { number: number; hash: string }; hasIndexingErrors: boolean };
      }>("{ _meta { block { number hash } hasIndexingErrors } }");
      expect(data._meta).to.deep.equal({ block: { number: head!.number, hash: head!.hash }, hasIndexingErrors: false });
    });

    it("keeps an identity's delegates and attributes with decoded names, ordinals and revocations", async () => {
      const data = await subgraph.query<{ identity: Record<string, unknown> }>(
        `query ($id: ID!) {
          identity(id: $id) {
            owner deactivated changed eventCount delegateCount serviceCount
            delegates { delegateType delegateTypeText delegate revoked ordinal since sequence }
            attributes(orderBy: sequence) { nameText section value valueText revoked ordinal since sequence validTo }
          }
        }`,
        { id: n.holder },
      );
      expect(data.identity).to.deep.equal({
        owner: n.holder,
        deactivated: false,
        changed: String(b.holderRevokeSvc),
        eventCount: 5,
        // sigAuth add + revoke and the did/pub key count as delegates; the service and its revocation as services.
        delegateCount: 3,
        serviceCount: 2,
        delegates: [
          {
            delegateType: lower(SIG_AUTH),
            delegateTypeText: "sigAuth",
            delegate: n.other,
            revoked: true,
            ordinal: 3,
            // The revocation continues the run of a grant still valid when it happened.
            since: 1,
            sequence: 4,
          },
        ],
        attributes: [
          {
            nameText: PUB_KEY_NAME,
            section: "pub",
            value: DEVICE_KEY,
            valueText: null,
            revoked: false,
            ordinal: 2,
            since: 2,
            sequence: 2,
            validTo: String(BigInt(scenario.timestamps.holderPub) + YEAR),
          },
          {
            nameText: SERVICE_NAME,
            section: "svc",
            value: hexlify(toUtf8Bytes(SERVICE_ENDPOINT)),
            valueText: SERVICE_ENDPOINT,
            revoked: true,
            ordinal: 2,
            since: 3,
            sequence: 5,
            validTo: "0",
          },
        ],
      });
    });

    it("serves an identity's history as typed events in sequence, from the interface and the derived field", async () => {
      const selection = `__typename sequence previousChange blockNumber
        ... on DelegateChanged { delegateTypeText delegate validTo }
        ... on AttributeChanged { nameText validTo }
        ... on OwnerChanged { owner }`;
      const data = await subgraph.query<{
        identityEvents: Record<string, unknown>[];
        identity: { events: Record<string, unknown>[] };
      }>(
        `query ($id: ID!, $ref: String!) {
          identityEvents(where: { identity: $ref }, orderBy: sequence) { ${selection} }
          identity(id: $id) { events(orderBy: sequence) { ${selection} } }
        }`,
        { id: n.holder, ref: n.holder },
      );
      const history = data.identityEvents;
      expect(history.map((event) => event.__typename)).to.deep.equal([
        "DelegateChanged",
        "AttributeChanged",
        "AttributeChanged",
        "DelegateChanged",
        "AttributeChanged",
      ]);
      expect(history.map((event) => event.blockNumber)).to.deep.equal(
        ["holderSigAuth", "holderPub", "holderSvc", "holderRevokeSigAuth", "holderRevokeSvc"].map((s) => String(b[s])),
      );
      expect(history.map((event) => event.previousChange)).to.deep.equal([
        "0",
        String(b.holderSigAuth),
        String(b.holderPub),
        String(b.holderSvc),
        String(b.holderRevokeSigAuth),
      ]);
      expect(history[0]).to.include({ delegateTypeText: "sigAuth", delegate: n.other });
      expect(history[3]).to.include({
        delegateTypeText: "sigAuth",
        validTo: String(scenario.timestamps.holderRevokeSigAuth),
      });
      expect(history[4]).to.include({ nameText: SERVICE_NAME, validTo: "0" });
      expect(data.identity.events).to.deep.equal(history);
    });

    it("records owner changes, deactivation and time travel to before them", async () => {
      const data = await subgraph.query<Record<string, { owner: string; deactivated: boolean } | null>>(
        `query ($alice: ID!, $bob: ID!, $before: Int!, $beforeBob: Int!) {
          alice: identity(id: $alice) { owner deactivated }
          aliceBefore: identity(id: $alice, block: { number: $before }) { owner deactivated }
          bob: identity(id: $bob) { owner deactivated }
          bobBefore: identity(id: $bob, block: { number: $beforeBob }) { owner deactivated }
          ownerChangeds(orderBy: blockNumber) { identity { id } owner previousChange }
        }`,
        { alice: n.alice, bob: n.bob, before: b.aliceOwner - 1, beforeBob: b.deactivateBob - 1 },
      );
      expect(data.alice).to.deep.equal({ owner: n.other, deactivated: false });
      expect(data.aliceBefore).to.deep.equal({ owner: n.alice, deactivated: false });
      expect(data.bob).to.deep.equal({ owner: ZeroAddress, deactivated: true });
      expect(data.bobBefore).to.deep.equal({ owner: n.bob, deactivated: false });
      expect(data.ownerChangeds).to.deep.equal([
        { identity: { id: n.alice }, owner: n.other, previousChange: "0" },
        { identity: { id: n.bob }, owner: ZeroAddress, previousChange: "0" },
      ]);
    });

    it("follows the trust list through accreditation, update, suspension, reinstatement and removal", async () => {
      const data = await subgraph.query<{ issuers: Record<string, unknown>[]; suspended: { status: string } }>(
        `query ($low: ID!, $suspendedAt: Int!) {
          issuers(orderBy: accreditedAtBlock) {
            id status maxLevel name uri reason attestationCount identity { id }
            events(orderBy: blockNumber) {
              __typename blockNumber
              ... on IssuerAccredited { maxLevel name uri }
              ... on IssuerUpdated { maxLevel name uri }
              ... on IssuerSuspended { reason }
              ... on IssuerRemoved { reason }
            }
          }
          suspended: issuer(id: $low, block: { number: $suspendedAt }) { status }
        }`,
        { low: n.lowIssuer, suspendedAt: b.suspendLow },
      );
      const [issuer, low] = data.issuers;
      expect(issuer).to.include({ id: n.issuer, status: "Active", maxLevel: 3, reason: null, attestationCount: 6 });
      expect(low).to.deep.include({
        id: n.lowIssuer,
        status: "Removed",
        maxLevel: LEVEL.DOCUMENT,
        name: "Document Verifier",
        uri: "https://dv",
        reason: "closed",
        attestationCount: 1,
        identity: { id: n.lowIssuer },
      });
      expect(low.events).to.deep.equal([
        {
          __typename: "IssuerAccredited",
          blockNumber: String(b.accreditLow),
          maxLevel: 1,
          name: "Contact Verifier",
          uri: "https://cv",
        },
        {
          __typename: "IssuerUpdated",
          blockNumber: String(b.updateLow),
          maxLevel: 2,
          name: "Document Verifier",
          uri: "https://dv",
        },
        { __typename: "IssuerSuspended", blockNumber: String(b.suspendLow), reason: "audit" },
        { __typename: "IssuerReinstated", blockNumber: String(b.reinstateLow) },
        { __typename: "IssuerRemoved", blockNumber: String(b.removeLow), reason: "closed" },
      ]);
      expect(data.suspended).to.deep.equal({ status: "Suspended" });
    });

    it("records attestations on every issuance path with their status bits", async () => {
      const data = await subgraph.query<{ attestations: Record<string, unknown>[] }>(
        `query ($issuer: String!) {
          attestations(where: { issuer: $issuer }, orderBy: statusIndex) {
            id statusIndex path level identity { id } owner current revoked suspended disclosedName
            merkleRoot { id } merkleLeafIndex
          }
        }`,
        { issuer: n.issuer },
      );
      const expected = [
        [n.holder, "Direct", 2, n.holder, false, false, true, "Li Si"],
        [n.alice, "Batch", 1, n.other, true, false, false, null],
        [n.bob, "Batch", 1, n.bob, true, false, false, null],
        [n.carol, "Signed", 3, n.carol, true, false, false, null],
        [n.erin, "MerkleClaim", 2, n.erin, true, false, false, null],
        [n.frank, "Direct", 1, n.frank, true, true, false, null],
      ] as const;
      expect(data.attestations).to.deep.equal(
        expected.map(([identity, path, level, owner, current, revoked, suspended, disclosedName], index) => ({
          id: attestationId(n.issuer, index),
          statusIndex: String(index),
          path,
          level,
          identity: { id: identity },
          owner,
          current,
          revoked,
          suspended,
          disclosedName,
          merkleRoot: path === "MerkleClaim" ? { id: scenario.root } : null,
          merkleLeafIndex: path === "MerkleClaim" ? "1" : null,
        })),
      );
    });

    it("replaces an identity's attestation and keeps the replaced one with its history", async () => {
      const data = await subgraph.query<{ identity: Record<string, unknown>; attestationEvents: unknown[] }>(
        `query ($id: ID!, $ref: String!) {
          identity(id: $id) {
            attestation { id issuer { id } current }
            attestations(orderBy: createdAtBlock) { id current replacedBy { id } }
            disclosures { realName issuer { id } attestation { id } }
          }
          attestationEvents(where: { identity: $ref }, orderBy: blockNumber) {
            __typename blockNumber attestation { id }
            ... on Attested { path level issuer { id } }
            ... on Disclosed { realName }
          }
        }`,
        { id: n.holder, ref: n.holder },
      );
      const first = attestationId(n.issuer, 0);
      const second = attestationId(n.lowIssuer, 0);
      expect(data.identity).to.deep.equal({
        attestation: { id: second, issuer: { id: n.lowIssuer }, current: true },
        attestations: [
          { id: first, current: false, replacedBy: { id: second } },
          { id: second, current: true, replacedBy: null },
        ],
        disclosures: [{ realName: "Li Si", issuer: { id: n.issuer }, attestation: { id: first } }],
      });
      expect(data.attestationEvents).to.deep.equal([
        {
          __typename: "Attested",
          blockNumber: String(b.attestHolder),
          attestation: { id: first },
          path: "Direct",
          level: 2,
          issuer: { id: n.issuer },
        },
        { __typename: "Disclosed", blockNumber: String(b.disclose), attestation: { id: first }, realName: "Li Si" },
        { __typename: "AttestationReplaced", blockNumber: String(b.replaceHolder), attestation: { id: first } },
        {
          __typename: "Attested",
          blockNumber: String(b.replaceHolder),
          attestation: { id: second },
          path: "Direct",
          level: 2,
          issuer: { id: n.lowIssuer },
        },
      ]);
    });

    it("records reconfirmations, Merkle roots and their claims", async () => {
      const data = await subgraph.query<Record<string, unknown>>(
        `query ($root: ID!) {
          ownerReconfirmeds { identity { id } owner attestation { id } blockNumber }
          merkleRoot(id: $root) { issuer { id } level count uri claimedCount anchoredAtBlock attestations { id } }
          merkleRootAnchoreds { root { id } issuer { id } blockNumber }
          merkleLeafClaimeds { root { id } index identity { id } attestation { id } blockNumber }
        }`,
        { root: scenario.root },
      );
      expect(data).to.deep.equal({
        ownerReconfirmeds: [
          {
            identity: { id: n.alice },
            owner: n.other,
            attestation: { id: attestationId(n.issuer, 1) },
            blockNumber: String(b.reconfirm),
          },
        ],
        merkleRoot: {
          issuer: { id: n.issuer },
          level: LEVEL.DOCUMENT,
          count: "2",
          uri: "ipfs://batch",
          claimedCount: 1,
          anchoredAtBlock: String(b.anchor),
          attestations: [{ id: attestationId(n.issuer, 4) }],
        },
        merkleRootAnchoreds: [{ root: { id: scenario.root }, issuer: { id: n.issuer }, blockNumber: String(b.anchor) }],
        merkleLeafClaimeds: [
          {
            root: { id: scenario.root },
            index: "1",
            identity: { id: n.erin },
            attestation: { id: attestationId(n.issuer, 4) },
            blockNumber: String(b.claim),
          },
        ],
      });
    });

    it("keeps the status lists word by word and their change history", async () => {
      const data = await subgraph.query<Record<string, unknown>>(
        `query ($issuer: String!) {
          statusLists(where: { issuer: $issuer }, orderBy: purpose) {
            purpose setCount words { wordIndex bits setCount }
          }
          statusChangeds(where: { issuer: $issuer }, orderBy: blockNumber) {
            purpose index value blockNumber attestation { id }
          }
          statusWordChangeds(orderBy: blockNumber) { purpose wordIndex bits blockNumber }
        }`,
        { issuer: n.issuer },
      );
      const word = (...statuses: number[]) => {
        let bits = 0n;
        for (const status of statuses) bits |= 1n << BigInt(255 - status);
        return `0x${bits.toString(16).padStart(64, "0")}`;
      };
      expect(data.statusLists).to.deep.equal([
        { purpose: "Revocation", setCount: 1, words: [{ wordIndex: "0", bits: word(5), setCount: 1 }] },
        { purpose: "Suspension", setCount: 1, words: [{ wordIndex: "0", bits: word(0), setCount: 1 }] },
      ]);
      const change = (purpose: string, index: number, value: boolean, at: string, attested: boolean) => ({
        purpose,
        index: String(index),
        value,
        blockNumber: String(b[at]),
        attestation: attested ? { id: attestationId(n.issuer, index) } : null,
      });
      expect(data.statusChangeds).to.deep.equal([
        change("Revocation", 5, true, "preRevoke", false),
        change("Revocation", 2, true, "revokeBob", true),
        change("Revocation", 2, false, "unrevokeSigned", true),
      ]);
      // A batch writes (and announces) each word it touches once.
      expect(data.statusWordChangeds).to.deep.equal([
        { purpose: "Suspension", wordIndex: "0", bits: word(0, 3), blockNumber: String(b.suspendMany) },
        { purpose: "Suspension", wordIndex: "0", bits: word(0), blockNumber: String(b.suspendWord) },
      ]);
    });

    it("records cancelled signatures of both registries", async () => {
      const data = await subgraph.query<{ signaturesCancelleds: unknown[] }>(
        "{ signaturesCancelleds(orderBy: blockNumber) { registry authority nonce blockNumber } }",
      );
      const { statusRegistry, realNameRegistry } = scenario.chain;
      expect(data.signaturesCancelleds).to.deep.equal([
        {
          registry: lower(await statusRegistry.getAddress()),
          authority: n.issuer,
          nonce: "2",
          blockNumber: String(b.cancelStatus),
        },
        {
          registry: lower(await realNameRegistry.getAddress()),
          authority: n.issuer,
          nonce: "2",
          blockNumber: String(b.cancelAttestations),
        },
      ]);
    });

    it("filters, orders and pages like graph-node", async () => {
      const data = await subgraph.query<Record<string, { id: string }[]>>(
        `{
          batch: attestations(where: { path: Batch }, orderBy: statusIndex, orderDirection: desc) { id }
          revokedDelegates: delegates(where: { revoked: true }) { id }
          nested: attestations(where: { identity_: { deactivated: true } }) { id }
          paged: identities(orderBy: createdAtBlock, first: 2, skip: 1) { id }
        }`,
      );
      expect(data.batch).to.deep.equal([{ id: attestationId(n.issuer, 2) }, { id: attestationId(n.issuer, 1) }]);
      expect(data.revokedDelegates).to.have.length(1);
      expect(data.nested).to.deep.equal([{ id: attestationId(n.issuer, 2) }]);
      // Identities by first sight: issuer, lowIssuer (accreditations), then the holder's first DID event.
      expect(data.paged).to.deep.equal([{ id: n.lowIssuer }, { id: n.holder }]);
    });
  });
}
