/**
 * One scenario for the mapping suites (one test file per mapping): every event of the four registries emitted on
 * an in-process chain and indexed by the local subgraph host, once per store backend and mocha run, shared by the
 * suites that query it.
 */
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
  CREDENTIAL_REVOCATION,
  DAY,
  domainOf,
  LEVEL,
  nullifierOf,
  REVOCATION,
  scopeOf,
  SIG_AUTH,
  STATUS_UPDATE_TYPES,
  SUSPENSION,
  TX,
  VERI_KEY,
  YEAR,
} from "@realdid/testkit/trust";
import {
  deployRealDID,
  startIndexer,
  storeBackends,
  type IndexedSubgraph,
  type RealDIDChain,
  type StoreBackend,
} from "@realdid/testkit/subgraph";

export const PUB_KEY_NAME = "did/pub/Secp256k1/veriKey/hex";
export const SERVICE_NAME = "did/svc/HubService";
export const SERVICE_ENDPOINT = "https://hub.example.com";
export const DEVICE_KEY = new Wallet(ZeroHash.replace(/0$/, "1")).signingKey.publicKey;
/** The platform scope of the holder's first attestation. */
export const SCOPE = scopeOf("forum.example");
export const NULLIFIER = nullifierOf("Li Si", SCOPE);
/** Maximum attestation lifetime governance gives the low issuer. */
export const LOW_LIFETIME = 2n * YEAR;
/** A credential status index (drawn at random by the issuer in real life): word 781, bit 32. */
export const CREDENTIAL_INDEX = 100_000;

export const lower = (address: string): string => address.toLowerCase();

/** The subgraph id of an attestation: issuer ++ status index as 32 big-endian bytes. */
export const attestationId = (issuer: string, statusIndex: number): string =>
  lower(issuer) + statusIndex.toString(16).padStart(64, "0");

/** The subgraph id of an issuer's Merkle root: issuer ++ root. */
export const merkleRootId = (issuer: string, root: string): string => lower(issuer) + root.slice(2);

/** A 128-status word (16 big-endian bytes) with `statuses` (0..127, most significant bit first) set. */
export function word(...statuses: number[]): string {
  let bits = 0n;
  for (const status of statuses) bits |= 1n << BigInt(127 - status);
  return `0x${bits.toString(16).padStart(32, "0")}`;
}

/** Block numbers and timestamps of the scenario's steps, for the assertions. */
export interface Scenario {
  chain: RealDIDChain;
  blocks: Record<string, number>;
  timestamps: Record<string, number>;
  /** The claimed root (status indices 4, 5) and the cancelled one (status index 7). */
  root: string;
  cancelledRoot: string;
  /** Lower-case addresses by role. */
  names: Record<string, string>;
}

/**
 * Emits every event type of the four registries: the trust list's whole life cycle with a lifetime change, DID
 * owners, delegates and attributes (set, revoked, deactivation), attestations on every issuance path (one scoped,
 * one born revoked), a replacement that drops a disclosure and a nullifier, a renunciation, a reconfirmation, a
 * disclosure, a Merkle root with a leaf revoked before its claim and a cancelled root, status changes single,
 * batched, signed and by word on attestation and credential lists, and cancelled signatures.
 *
 * Status indices of `issuer`: 0 holder (direct, scoped), 1 alice and 2 bob (batch), 3 carol (signed, later
 * renounced), 4 dave and 5 erin (root leaves; 4 revoked unclaimed, 5 claimed), 6 frank (direct, born revoked),
 * 7 the cancelled root's leaf.
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
  await step("lifetimeLow", issuerRegistry.setMaxLifetime(lowIssuer, LOW_LIFETIME, TX));
  await step("issuerVeriKey", didRegistry.connect(issuer).addDelegate(issuer, VERI_KEY, veriKey, YEAR, TX));

  const pubName = encodeBytes32String(PUB_KEY_NAME);
  const svcName = encodeBytes32String(SERVICE_NAME);
  const endpoint = hexlify(toUtf8Bytes(SERVICE_ENDPOINT));
  await step("holderSigAuth", didRegistry.connect(holder).addDelegate(holder, SIG_AUTH, other, DAY, TX));
  await step("holderPub", didRegistry.connect(holder).setAttribute(holder, pubName, DEVICE_KEY, YEAR, TX));
  await step("holderSvc", didRegistry.connect(holder).setAttribute(holder, svcName, endpoint, YEAR, TX));
  await step("holderRevokeSigAuth", didRegistry.connect(holder).revokeDelegate(holder, SIG_AUTH, other, TX));
  await step("holderRevokeSvc", didRegistry.connect(holder).revokeAttribute(holder, svcName, endpoint, TX));

  // Status 6 is revoked before it is issued: the attestation that gets it is born revoked.
  await step("preRevoke", statusRegistry.connect(issuer).setStatus(issuer, REVOCATION, 6, true, TX));

  const holderData = attestation(holder.address, LEVEL.DOCUMENT, expiry, "Li Si", {
    scope: SCOPE,
    nullifier: NULLIFIER,
  });
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
        [alice, bob],
        [aliceData.commitment, bobData.commitment],
        [],
        TX,
      ),
  );

  const carolData = attestation(carol.address, LEVEL.BIOMETRIC, expiry);
  const nonce = await realNameRegistry.nonces(issuer);
  const message = { ...carolData, issuer: issuer.address, signer: veriKey.address, nonce, deadline: expiry };
  const signature = await veriKey.signTypedData(await domainOf(realNameRegistry), ATTESTATION_TYPES, message);
  await step(
    "attestSigned",
    realNameRegistry.connect(stranger).attestBySig(issuer, veriKey, carolData, nonce, expiry, signature, TX),
  );

  const { chainId } = await ethers.provider.getNetwork();
  const registryAddress = await realNameRegistry.getAddress();
  const batch = buildMerkleBatch(
    chainId,
    registryAddress,
    issuer.address,
    LEVEL.DOCUMENT,
    expiry,
    [dave.address, erin.address],
    4n,
  );
  const root = batch.tree.root;
  await step(
    "anchor",
    realNameRegistry.connect(veriKey).anchorRoot(issuer, root, LEVEL.DOCUMENT, expiry, 4, 2, "ipfs://batch", TX),
  );
  // Dave's leaf is revoked before anyone claims it; erin's is claimed by a relayer.
  await step("revokeLeaf", statusRegistry.connect(veriKey).setStatus(issuer, REVOCATION, 4, true, TX));
  await step(
    "claim",
    realNameRegistry.connect(stranger).claim(issuer, root, batch.leaves[1], batch.tree.getProof(1), TX),
  );

  const frankData = attestation(frank.address, LEVEL.CONTACT, expiry);
  await step("attestFrank", realNameRegistry.connect(issuer).attest(issuer, frankData, TX));

  const cancelled = buildMerkleBatch(
    chainId,
    registryAddress,
    issuer.address,
    LEVEL.CONTACT,
    expiry,
    [dave.address],
    7n,
  );
  const cancelledRoot = cancelled.tree.root;
  await step(
    "anchorCancelled",
    realNameRegistry.connect(issuer).anchorRoot(issuer, cancelledRoot, LEVEL.CONTACT, expiry, 7, 1, "ipfs://gone", TX),
  );
  await step("cancelRoot", realNameRegistry.connect(veriKey).cancelRoot(issuer, cancelledRoot, TX));

  await step("disclose", realNameRegistry.connect(holder).disclose(holder, holderData.realName, holderData.salt, TX));
  await step("aliceOwner", didRegistry.connect(alice).changeOwner(alice, other, TX));
  await step("reconfirm", realNameRegistry.connect(veriKey).reconfirm(alice, other, TX));
  await step("renounceCarol", realNameRegistry.connect(carol).renounce(carol, TX));

  await step("revokeBob", statusRegistry.connect(issuer).setStatus(issuer, REVOCATION, 2, true, TX));
  await step("suspendMany", statusRegistry.connect(veriKey).setStatuses(issuer, SUSPENSION, [0, 3, 130], true, TX));
  // Word 0 of the suspension list: status 0 stays set (most significant bit first), status 3 is lifted.
  await step("suspendWord", statusRegistry.connect(issuer).setStatusWord(issuer, SUSPENSION, 0, 1n << 127n, TX));
  const statusNonce = await statusRegistry.nonces(issuer);
  const update = { issuer: issuer.address, signer: veriKey.address, purpose: SUSPENSION, index: 1, value: true };
  const statusSignature = await veriKey.signTypedData(await domainOf(statusRegistry), STATUS_UPDATE_TYPES, {
    ...update,
    nonce: statusNonce,
    deadline: expiry,
  });
  await step(
    "suspendSigned",
    statusRegistry
      .connect(stranger)
      .setStatusBySig(issuer, veriKey, SUSPENSION, 1, true, statusNonce, expiry, statusSignature, TX),
  );
  await step(
    "revokeCredential",
    statusRegistry.connect(issuer).setStatus(issuer, CREDENTIAL_REVOCATION, CREDENTIAL_INDEX, true, TX),
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
  return { chain, blocks, timestamps, root, cancelledRoot, names };
}

/** The scenario played on a fresh chain and indexed into a store of one backend. */
export interface IndexedScenario extends Scenario {
  subgraph: IndexedSubgraph;
}

const indexed = new Map<string, Promise<IndexedScenario & { stop(): Promise<void> }>>();

async function indexScenario(backend: StoreBackend): Promise<IndexedScenario & { stop(): Promise<void> }> {
  const location = await backend.open();
  const scenario = await playScenario(await deployRealDID());
  const subgraph = await startIndexer(scenario.chain, location);
  const result = await subgraph.sync();
  const head = await scenario.chain.ethers.provider.getBlockNumber();
  if (result.head?.number !== head) throw new Error(`indexed up to ${result.head?.number}, not the head ${head}`);
  return { ...scenario, subgraph, stop: location.stop };
}

// Every suite of the run shares the indexed scenarios; they are closed once, after the last suite.
after(async () => {
  for (const scenario of indexed.values()) {
    const { subgraph, stop } = await scenario;
    await subgraph.close();
    await stop();
  }
});

/**
 * Declares `title`'s suites, one per store backend (PGlite, and a Postgres server when available), over the
 * shared indexed scenario: `body` receives a getter valid inside its tests.
 */
export function describeScenario(title: string, body: (scenario: () => IndexedScenario) => void): void {
  for (const backend of storeBackends()) {
    describe(`${title} (${backend.name})`, function () {
      this.timeout(180_000);
      let scenario: IndexedScenario | undefined;
      before(async () => {
        let pending = indexed.get(backend.name);
        if (pending === undefined) {
          pending = indexScenario(backend);
          indexed.set(backend.name, pending);
        }
        scenario = await pending;
      });
      body(() => {
        if (scenario === undefined) throw new Error("the scenario is not indexed yet");
        return scenario;
      });
    });
  }
}
