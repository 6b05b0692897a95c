/**
 * Merkle batches through the SDK: the leaf encoding is the contract's (random leaves hash the same as
 * `RealNameRegistry.leafHash`), an issuer anchors a root of several holders and writes their proof files, each
 * holder claims from its file once; every refusal is typed (claimed twice, wrong proof, leaf revoked before the
 * claim, root cancelled, status index moved, an altered or foreign proof file).
 */
import { expect } from "chai";
import { getAddress, hexlify, randomBytes, Wallet, type HDNodeWallet } from "ethers";
import fc from "fast-check";

import { LEVEL, type TrustStack } from "@realdid/testkit/trust";
import {
  anchorRoot,
  attestRealName,
  buildMerkleBatch,
  cancelRoot,
  claim,
  createBoundClient,
  getRoot,
  isClaimed,
  isVerified,
  merkleLeafHash,
  parseProofFile,
  proofFilesOf,
  setStatuses,
  statusCount,
  verifyLeaf,
  type Client,
  type MerkleBatch,
  type ProofFile,
} from "../src/actions/index.ts";
import { commitmentOf } from "../src/commitment.ts";
import { StatusPurpose } from "../src/credentials/status.ts";
import {
  ConfigurationError,
  InvalidProofFileError,
  RealNameRegistryAlreadyClaimed,
  RealNameRegistryInvalidProof,
  RealNameRegistryLeafRevoked,
  RealNameRegistryRootCancelled,
  RealNameRegistryStatusIndexMoved,
} from "../src/errors/index.ts";
import { rejection, trustStackClients } from "./helpers.ts";

describe("SDK Merkle batches", function () {
  this.timeout(120_000);
  let stack: TrustStack;
  let read: Client;
  let issuerClient: Client;
  let expiry: number;

  /** Builds and anchors a batch of fresh holders (self-owned DIDs) named `Person i`, with their proof files. */
  async function anchored(count: number): Promise<{ batch: MerkleBatch; files: ProofFile[]; holders: HDNodeWallet[] }> {
    const holders = Array.from({ length: count }, () => Wallet.createRandom(stack.ethers.provider));
    const batch = await buildMerkleBatch(issuerClient, {
      issuer: stack.issuer.address,
      level: LEVEL.DOCUMENT,
      expiry,
      entries: holders.map((holder, i) => ({ identity: holder.address, realName: `Person ${i}` })),
    });
    await (await anchorRoot(issuerClient, { batch, uri: "https://issuer.example/roots/1" })).wait();
    return { batch, files: proofFilesOf(batch), holders };
  }

  before(async () => {
    ({ stack, read } = await trustStackClients());
    issuerClient = { ...read, signer: stack.issuer };
    expiry = (await stack.ethers.provider.getBlock("latest"))!.timestamp + 86_400 * 365;
  });

  it("hashes random leaves exactly as the contract's leafHash", async () => {
    const { batch } = await anchored(2);
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hexlify(b));
    const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
    const leaf = fc.record({
      statusIndex: fc.integer({ min: 0, max: 2 ** 40 - 1 }),
      identity: address,
      owner: address,
      commitment: bytes32,
      scope: bytes32,
      nullifier: bytes32,
    });
    await fc.assert(
      fc.asyncProperty(leaf, async (l) => {
        const onChain = await stack.realNameRegistry.leafHash(stack.issuer.address, batch.root, l);
        expect(merkleLeafHash(batch.terms, l)).to.equal(onChain);
      }),
      { numRuns: 40 },
    );
    expect(merkleLeafHash(batch.terms, batch.leaves[1])).to.equal(batch.tree.leafHash(batch.tree.at(1)!));
  });

  it("anchors a root reserving the issuer's next status indices; each holder claims from its proof file once", async () => {
    const before = await statusCount(read, { issuer: stack.issuer.address });
    const { batch, files, holders } = await anchored(3);
    expect(batch.firstStatusIndex).to.equal(Number(before));
    expect(await statusCount(read, { issuer: stack.issuer.address })).to.equal(before + 3n);
    expect(await getRoot(read, { issuer: stack.issuer.address, root: batch.root })).to.deep.equal({
      anchoredBy: stack.issuer.address,
      level: LEVEL.DOCUMENT,
      expiry,
      cancelled: false,
      firstStatusIndex: Number(before),
      count: 3,
    });
    for (const [i, holder] of holders.entries()) {
      // What the holder receives: a JSON file, read back and checked before use.
      const file = parseProofFile(JSON.stringify(files[i], null, 2));
      expect(file.leaf.identity).to.equal(holder.address);
      expect(commitmentOf(holder.address, `Person ${i}`, file.salt)).to.equal(file.leaf.commitment);
      expect(await verifyLeaf(read, file)).to.equal(true);
      expect(await isVerified(read, { identity: holder.address, minLevel: 1 })).to.equal(false);
      await stack.admin.sendTransaction({ to: holder.address, value: 10n ** 17n });
      await (await claim({ ...read, signer: holder }, file)).wait();
      expect(await isVerified(read, { identity: holder.address, minLevel: LEVEL.DOCUMENT })).to.equal(true);
      expect(await isClaimed(read, { issuer: stack.issuer.address, statusIndex: file.leaf.statusIndex })).to.equal(
        true,
      );
    }
    const again = await rejection(claim({ ...read, signer: stack.stranger }, files[0]));
    expect(again).to.be.instanceOf(RealNameRegistryAlreadyClaimed);
    expect((again as RealNameRegistryAlreadyClaimed).args.statusIndex).to.equal(BigInt(files[0].leaf.statusIndex));
  });

  it("refuses a wrong proof, a leaf revoked before its claim and every leaf of a cancelled root", async () => {
    const { batch, files } = await anchored(3);
    const stranger = { ...read, signer: stack.stranger };
    const wrongProof = await rejection(claim(stranger, { ...files[0], proof: files[1].proof }));
    expect(wrongProof).to.be.instanceOf(RealNameRegistryInvalidProof);

    await (
      await setStatuses(issuerClient, {
        issuer: stack.issuer.address,
        purpose: StatusPurpose.Revocation,
        indices: [files[1].leaf.statusIndex],
        value: true,
      })
    ).wait();
    expect(await rejection(claim(stranger, files[1]))).to.be.instanceOf(RealNameRegistryLeafRevoked);

    await (await cancelRoot(issuerClient, { issuer: stack.issuer.address, root: batch.root })).wait();
    expect((await getRoot(read, { issuer: stack.issuer.address, root: batch.root })).cancelled).to.equal(true);
    expect(await rejection(claim(stranger, files[2]))).to.be.instanceOf(RealNameRegistryRootCancelled);
    expect(await isVerified(read, { identity: files[2].leaf.identity, minLevel: 1 })).to.equal(false);
  });

  it("reads the owners of a large batch in chunks and numbers its leaves in entry order", async () => {
    const identities = Array.from({ length: 300 }, () => Wallet.createRandom().address);
    const batch = await buildMerkleBatch(read, {
      issuer: stack.issuer.address,
      level: LEVEL.CONTACT,
      expiry,
      entries: identities.map((identity, i) => ({
        identity,
        realName: `P${i}`,
        ...(i === 7 ? { owner: stack.other.address } : {}),
      })),
    });
    expect(batch.leaves.map((leaf) => leaf.owner)).to.deep.equal(
      identities.map((identity, i) => (i === 7 ? stack.other.address : identity)),
    );
    expect(batch.leaves.map((leaf) => leaf.statusIndex)).to.deep.equal(
      identities.map((_, i) => batch.firstStatusIndex + i),
    );
    expect(proofFilesOf(batch).every((file) => parseProofFile(JSON.stringify(file)).root === batch.root)).to.equal(
      true,
    );
  });

  it("binds the Merkle actions to a client", async () => {
    const { chainId, provider } = read;
    const realdid = createBoundClient({ ...read, registry: read.didRegistry, chainId, provider }, stack.issuer);
    const identity = Wallet.createRandom().address;
    const batch = await realdid.buildMerkleBatch({
      issuer: stack.issuer.address,
      level: LEVEL.CONTACT,
      expiry,
      entries: [{ identity, realName: "Bound" }],
    });
    await (await realdid.anchorRoot({ batch })).wait();
    await (await realdid.claim(proofFilesOf(batch)[0])).wait();
    expect(await realdid.isVerified({ identity, minLevel: LEVEL.CONTACT })).to.equal(true);
    expect((await realdid.getRoot({ issuer: stack.issuer.address, root: batch.root })).count).to.equal(1);
  });

  it("refuses to anchor a batch built before another issuance took the issuer's next index", async () => {
    const batch = await buildMerkleBatch(issuerClient, {
      issuer: stack.issuer.address,
      level: LEVEL.CONTACT,
      expiry,
      entries: [{ identity: Wallet.createRandom().address, realName: "Late" }],
    });
    const direct = { issuer: stack.issuer.address, identity: Wallet.createRandom().address, level: 1, expiry };
    await (await attestRealName(issuerClient, { ...direct, realName: "First" })).tx.wait();
    const moved = await rejection(anchorRoot(issuerClient, { batch }));
    expect(moved).to.be.instanceOf(RealNameRegistryStatusIndexMoved);
    expect((moved as RealNameRegistryStatusIndexMoved).args.expected).to.equal(BigInt(batch.firstStatusIndex));
  });

  it("refuses an altered, malformed, newer or foreign proof file before sending", async () => {
    const { files } = await anchored(2);
    const text = (change: (file: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(files[0])) as Record<string, unknown>;
      change(copy);
      return JSON.stringify(copy);
    };
    const cases: [string, RegExp][] = [
      ["{", /not JSON/],
      [text((f) => ((f.leaf as Record<string, unknown>).identity = files[1].leaf.identity)), /does not connect/],
      [text((f) => (f.level = 3)), /does not connect/],
      [text((f) => (f.proof = [hexlify(randomBytes(32))])), /does not connect/],
      [text((f) => (f.version = 2)), /version 2 \(this SDK reads 1\)/],
      [text((f) => (f.type = "Other")), /"type" must be "RealDIDMerkleProof"/],
      [text((f) => (f.issuer = "0x1234")), /"issuer" must be an address/],
      [text((f) => (f.salt = `0x${"00".repeat(32)}`)), /"salt" is zero/],
      [text((f) => (f.level = 300)), /"level" must be a whole number below 256, found 300/],
      [text((f) => (f.expiry = -1)), /"expiry" must be a whole number below 2\^40/],
      [
        text((f) => delete (f.leaf as Record<string, unknown>).statusIndex),
        /"statusIndex" must be a whole number below 2\^40/,
      ],
    ];
    for (const [file, message] of cases) {
      let error: unknown;
      try {
        parseProofFile(file);
      } catch (e) {
        error = e;
      }
      expect(error, file).to.be.instanceOf(InvalidProofFileError);
      expect((error as Error).message).to.match(message);
    }
    const foreign = await rejection(claim({ ...read, signer: stack.stranger }, { ...files[0], chainId: 1 }));
    expect(foreign).to.be.instanceOf(ConfigurationError);
    expect((foreign as Error).message).to.match(/the proof is for chain 1, the client is on chain 31337/);
  });
});
