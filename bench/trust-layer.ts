/**
 * Gas of the trust layer (RealNameRegistry, StatusRegistry, IssuerRegistry) against the Ethereum Attestation Service
 * 1.4.1 on one chain: issuance (single, batch, Merkle), revocation (single, batch) and the relying party's check.
 *
 * EAS runs from the bytecode its npm package ships (`artifacts/`, built by EAS with solc 0.8.19, the exact version its
 * `pragma` pins), so the baseline is EAS as published, not a rebuild with our compiler settings.
 *
 * isVerified ≤ 20,000 gas of execution. Its checks span four contracts by design: the attestation slot in
 * RealNameRegistry (the called contract, so its account is warm), the issuer's standing in IssuerRegistry, the
 * revocation and suspension bits of the index in StatusRegistry (one slot holds both words of 128 statuses) and the
 * owner record in DIDRegistry. That is 3 cold accounts (7,800) and 4 cold slots (8,400): 16,200 gas before a single
 * opcode of logic. Only merging the registries into one contract (or a caller's EIP-2930 access list, which prepays
 * the same accesses) gets much below that.
 *
 * Goals out of reach, with the arithmetic (EIP-2929 prices: 2,600 per cold account, 2,100 per cold slot):
 *  - One revocation ≤ 45% of EAS revoke (about 29,900 gas): `setStatus` pays 21,000 (transaction) + about 850
 *    (calldata of four ABI words) + 2,100 (cold status word) + 2,900 (its write) + 2,131 (the `StatusChanged` LOG4)
 *    = about 28,980 before dispatch, argument decoding, the actor check and the bit arithmetic, which Solidity
 *    compiles to about 1,350 more: about 45.7%. The issuer's own `revoke(index)` entry point carries one ABI word
 *    instead of four and needs no actor check, which is what brings a single revocation under the goal.
 *  - setStatuses ≤ 1,000 gas per status when every index gets its own `StatusChanged` event: a LOG4 with one data
 *    word costs 375 + 4 × 375 + 32 × 8 = 2,131 gas alone. Whole-word updates (`setStatusWord`, and `setStatuses`
 *    coalescing indices of one word into one `StatusWordChanged`) meet it.
 */
import { EAS__factory, SchemaRegistry__factory } from "@ethereum-attestation-service/eas-contracts";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import {
  AbiCoder,
  dataSlice,
  getAddress,
  getBytes,
  id,
  Contract,
  ContractFactory,
  ZeroAddress,
  ZeroHash,
  type ContractTransactionResponse,
  type InterfaceAbi,
  type Signer,
} from "ethers";

import {
  attestation,
  buildMerkleBatch,
  deployTrustStack,
  LEVEL,
  now,
  REVOCATION,
  YEAR,
  type TrustStack,
} from "@realdid/testkit/trust";
import { formatGas, gasOf, type GasRow, type GasSection } from "./lib/gas.ts";

/** EDR's default per-transaction gas cap (EIP-7825). */
const TX_GAS_CAP = 16_777_216n;
const TX = { gasLimit: TX_GAS_CAP } as const;

const BATCH = 100;
const MERKLE_LEAVES = 1_000;
/** Statuses per StatusRegistry word. */
const WORD = 128;
/** Largest `setStatuses` batch (StatusRegistry.MAX_BATCH_SIZE): two words. */
const STATUS_BATCH = 256;
const NATION = 1_400_000_000n;
const BLOCK_GAS = 30_000_000n;

const SCHEMA = "bytes32 nameCommitment,uint8 level";
const coder = AbiCoder.defaultAbiCoder();

/** A fresh, self-owned DID address (never touched in the DIDRegistry), the same on every run. */
const identity = (label: string): string => getAddress(dataSlice(id(`realdid.bench.trust.${label}`), 12));
const identities = (label: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => identity(`${label}-${i}`));

/** 21,000 plus 4 gas per zero and 16 per non-zero calldata byte: what a transaction pays before it executes. */
function intrinsicGas(data: string): bigint {
  return getBytes(data).reduce((sum, byte) => sum + (byte === 0 ? 4n : 16n), 21_000n);
}

/** A view's gas: `eth_estimateGas` of the call and the execution part of the same call sent as a transaction. */
async function viewGas(sender: Signer, to: string, data: string): Promise<{ estimate: bigint; execution: bigint }> {
  const estimate = await sender.estimateGas({ to, data });
  const used = await gasOf(sender.sendTransaction({ to, data, gasLimit: TX_GAS_CAP }));
  return { estimate, execution: used - intrinsicGas(data) };
}

const perItem = (gas: bigint, items: number): bigint => (gas + BigInt(items) / 2n) / BigInt(items);

/** An EAS contract from the ABI and bytecode its package ships, deployed by `deployer`. */
async function deployShipped(
  shipped: { abi: InterfaceAbi; bytecode: string },
  deployer: Signer,
  ...args: unknown[]
): Promise<Contract> {
  const deployed = await new ContractFactory(shipped.abi, shipped.bytecode, deployer).deploy(...args);
  return new Contract(await deployed.getAddress(), shipped.abi, deployer);
}

/** The EAS side: SchemaRegistry + EAS as shipped, one registered schema, an attester. */
async function deployEAS(ethers: HardhatEthers, attester: Signer) {
  const schemaRegistry = await deployShipped(SchemaRegistry__factory, attester);
  const eas = await deployShipped(EAS__factory, attester, await schemaRegistry.getAddress());
  const sent: ContractTransactionResponse = await schemaRegistry.getFunction("register")(SCHEMA, ZeroAddress, true, TX);
  const registration = await sent.wait();
  const registered = registration?.logs
    .map((log) => schemaRegistry.interface.parseLog(log))
    .find((event) => event?.name === "Registered");
  if (registered === undefined || registered === null) throw new Error("EAS schema was not registered");
  const schema: string = registered.args.uid;
  const expiry = (await now(ethers)) + YEAR;
  const request = (recipient: string) => ({
    recipient,
    expirationTime: expiry,
    revocable: true,
    refUID: ZeroHash,
    data: coder.encode(["bytes32", "uint8"], [id(recipient), LEVEL.DOCUMENT]),
    value: 0n,
  });
  /** The uids an attestation transaction created, in order. */
  const uidsOf = async (
    transaction: Promise<ContractTransactionResponse>,
  ): Promise<{ gas: bigint; uids: string[] }> => {
    const receipt = await (await transaction).wait();
    if (receipt === null || receipt.status !== 1) throw new Error("EAS attestation failed");
    const uids = receipt.logs
      .map((log) => eas.interface.parseLog(log))
      .filter((event) => event?.name === "Attested")
      .map((event) => event!.args.uid as string);
    return { gas: receipt.gasUsed, uids };
  };
  const attest = (recipient: string) => uidsOf(eas.getFunction("attest")({ schema, data: request(recipient) }, TX));
  const multiAttest = (recipients: string[]) =>
    uidsOf(eas.getFunction("multiAttest")([{ schema, data: recipients.map(request) }], TX));
  return { eas, schema, attest, multiAttest };
}

type EASBench = Awaited<ReturnType<typeof deployEAS>>;

/** EAS multiAttest per attestation at `BATCH`, or at the largest multiple of 10 below it that fits one transaction. */
async function easMultiAttest({ multiAttest }: EASBench): Promise<{ size: number; perAttestation: bigint }> {
  for (let size = BATCH; size > 0; size -= 10) {
    const attempt = await multiAttest(identities(`eas-batch-${size}`, size)).catch(() => undefined);
    if (attempt !== undefined) return { size, perAttestation: perItem(attempt.gas, size) };
  }
  throw new Error("no EAS multiAttest fits one transaction");
}

/** Attestations whose uids can be revoked in one batch of `count`. */
async function easAttestations({ multiAttest }: EASBench, label: string, count: number): Promise<string[]> {
  const uids: string[] = [];
  for (let done = 0; done < count; done += 50) {
    uids.push(...(await multiAttest(identities(`${label}-${done}`, Math.min(50, count - done)))).uids);
  }
  return uids;
}

/** RealDID attestations of fresh identities by the stack's issuer, `BATCH` per transaction; returns their gas. */
async function attestBatches({ realNameRegistry, issuer }: TrustStack, label: string, count: number, expiry: bigint) {
  let lastGas = 0n;
  for (let done = 0; done < count; done += BATCH) {
    const batch = identities(`${label}-${done}`, Math.min(BATCH, count - done));
    const commitments = batch.map((address) => attestation(address, LEVEL.DOCUMENT, expiry).commitment);
    lastGas = await gasOf(
      realNameRegistry
        .connect(issuer)
        .attestBatch(issuer.address, LEVEL.DOCUMENT, expiry, ZeroHash, batch, batch, commitments, [], TX),
    );
  }
  return lastGas;
}

/** Storage written per identity, in bytes, by issuance path (see the storage layouts in the contracts). */
const STORAGE_BYTES = {
  /** Two attestation slots. */
  attestation: 64,
  /** Two root slots shared by the tree's leaves. */
  anchor: 64 / MERKLE_LEAVES,
  /** Two attestation slots plus the leaf's bit in a claimed-bitmap word. */
  claim: 64 + 32 / 256,
  /** EAS `Attestation`: uid, schema, times, recipient, attester + revocable, data length and 64 bytes of data. */
  eas: 8 * 32,
};

const scientific = (value: bigint): string => Number(value).toExponential(2);

/** One row of the 1.4-billion projection: path, gas and storage per identity, total gas and 30M-gas blocks. */
function projection(path: string, gasPerIdentity: bigint, bytesPerIdentity: number): string[] {
  const total = gasPerIdentity * NATION;
  const blocks = (total + BLOCK_GAS - 1n) / BLOCK_GAS;
  return [path, formatGas(gasPerIdentity), bytesPerIdentity.toFixed(3), scientific(total), formatGas(blocks)];
}

export async function benchTrustLayer(ethers: HardhatEthers): Promise<GasSection> {
  const stack = await deployTrustStack(ethers);
  const { realNameRegistry, statusRegistry, issuer, holder } = stack;
  const easSide = await deployEAS(ethers, issuer);
  const expiry = (await now(ethers)) + YEAR;
  const rows: GasRow[] = [];
  const row = (operation: string, ours: bigint, baseline: bigint | null) => rows.push({ operation, ours, baseline });

  // Warm-up: both issuers have attested before, as every issuer has after its first day.
  await attestBatches(stack, "warm-up", 1, expiry);
  await easSide.attest(identity("eas-warm-up"));

  // Single attestation.
  const single = attestation(identity("single"), LEVEL.DOCUMENT, expiry);
  const attestGas = await gasOf(realNameRegistry.connect(issuer).attest(issuer.address, single, TX));
  const easAttest = await easSide.attest(identity("eas-single"));
  row("attest (single)", attestGas, easAttest.gas);

  // Batch attestation.
  const batchGas = await attestBatches(stack, "batch", BATCH, expiry);
  const easBatch = await easMultiAttest(easSide);
  const batchLabel = `attestBatch per identity (${BATCH} per tx; EAS multiAttest at ${easBatch.size})`;
  row(batchLabel, perItem(batchGas, BATCH), easBatch.perAttestation);

  // Merkle anchoring (reserving the leaves' status indices) and one claim.
  const { chainId } = await ethers.provider.getNetwork();
  const firstStatusIndex = await realNameRegistry.statusCount(issuer.address);
  const tree = buildMerkleBatch(
    chainId,
    await realNameRegistry.getAddress(),
    issuer.address,
    LEVEL.DOCUMENT,
    expiry,
    identities("merkle", MERKLE_LEAVES),
    firstStatusIndex,
  );
  const anchorGas = await gasOf(
    realNameRegistry
      .connect(issuer)
      .anchorRoot(
        issuer.address,
        tree.tree.root,
        LEVEL.DOCUMENT,
        expiry,
        firstStatusIndex,
        MERKLE_LEAVES,
        "ipfs://bench",
        TX,
      ),
  );
  const anchorLabel = `Merkle anchorRoot per identity (${MERKLE_LEAVES} leaves; EAS multiAttest)`;
  row(anchorLabel, perItem(anchorGas, MERKLE_LEAVES), easBatch.perAttestation);
  const leaf = tree.leaves[MERKLE_LEAVES / 2];
  const claimGas = await gasOf(
    realNameRegistry
      .connect(holder)
      .claim(issuer.address, tree.tree.root, leaf, tree.tree.getProof(MERKLE_LEAVES / 2), TX),
  );
  row(`Merkle claim (${MERKLE_LEAVES}-leaf tree; EAS attest)`, claimGas, easAttest.gas);

  // Revocation of attested statuses: word 0 fresh (its first revocation), word 1 already holding a revoked status.
  const revokeOne = (index: bigint) =>
    gasOf(statusRegistry.connect(issuer).setStatus(issuer.address, REVOCATION, index, true, TX));
  await attestBatches(stack, "status", 4 * STATUS_BATCH, expiry);
  const W = BigInt(WORD);
  const firstInWord = await revokeOne(0n);
  await revokeOne(W);
  const wordInUse = await revokeOne(W + 1n);
  const [easRevoked] = await easAttestations(easSide, "eas-revoke", 1);
  const easRevoke = await gasOf(
    easSide.eas.getFunction("revoke")({ schema: easSide.schema, data: { uid: easRevoked, value: 0n } }, TX),
  );
  await revokeOne(W + 2n);
  const ownRevoke = await gasOf(statusRegistry.connect(issuer).revoke(W + 3n, TX));
  const revokeLabel = "revoke one status (revoke(index), word already in use)";
  row(revokeLabel, ownRevoke, easRevoke);
  row("revoke one status (setStatus, word already in use)", wordInUse, easRevoke);
  row("revoke one status (setStatus, first bit of a fresh word)", firstInWord, easRevoke);

  // Batch revocation of fresh words: 256 statuses by index list (words 4 and 5), 128 as a whole word (word 6).
  const easUids = await easAttestations(easSide, "eas-multi-revoke", STATUS_BATCH);
  const easMultiRevoke = perItem(
    await gasOf(
      easSide.eas.getFunction("multiRevoke")(
        [{ schema: easSide.schema, data: easUids.map((uid) => ({ uid, value: 0n })) }],
        TX,
      ),
    ),
    STATUS_BATCH,
  );
  const indices = Array.from({ length: STATUS_BATCH }, (_, i) => 4 * WORD + i);
  const setStatuses = perItem(
    await gasOf(statusRegistry.connect(issuer).setStatuses(issuer.address, REVOCATION, indices, true, TX)),
    STATUS_BATCH,
  );
  const setStatusWord = perItem(
    await gasOf(statusRegistry.connect(issuer).setStatusWord(issuer.address, REVOCATION, 6, (1n << W) - 1n, TX)),
    WORD,
  );
  const listLabel = `batch revoke per status (setStatuses, ${STATUS_BATCH}; EAS multiRevoke of ${STATUS_BATCH})`;
  const wordLabel = `batch revoke per status (setStatusWord, ${WORD}; EAS multiRevoke of ${STATUS_BATCH})`;
  row(listLabel, setStatuses, easMultiRevoke);
  row(wordLabel, setStatusWord, easMultiRevoke);

  // The relying party's check against EAS getAttestation (which leaves revocation and expiry to the caller).
  const verified = await realNameRegistry.isVerified(single.identity, LEVEL.DOCUMENT);
  if (!verified) throw new Error("the measured attestation does not verify");
  const ours = await viewGas(
    issuer,
    await realNameRegistry.getAddress(),
    realNameRegistry.interface.encodeFunctionData("isVerified", [single.identity, LEVEL.DOCUMENT]),
  );
  const theirs = await viewGas(
    issuer,
    await easSide.eas.getAddress(),
    easSide.eas.interface.encodeFunctionData("getAttestation", [easAttest.uids[0]]),
  );
  const checkLabel = "isVerified, execution (EAS getAttestation)";
  row(checkLabel, ours.execution, theirs.execution);
  row("isVerified, eth_call estimate incl. 21,000 + calldata", ours.estimate, theirs.estimate);

  const wholeBatchLabel = `attestBatch of ${BATCH} (whole transaction)`;
  row(wholeBatchLabel, batchGas, null);

  return {
    title: "Trust layer vs EAS 1.4.1",
    baseline: "EAS",
    rows,
    goals: [
      { description: "single attestation ≤ 40% of EAS attest", maxPercent: 40, operations: ["attest (single)"] },
      { description: `batch ≤ 30% of EAS multiAttest per identity`, maxPercent: 30, operations: [batchLabel] },
      {
        description: "one revocation ≤ 45% of EAS revoke",
        maxPercent: 45,
        operations: [revokeLabel],
      },
      { description: "Merkle anchoring ≤ 100 gas per identity", operations: [anchorLabel], maxGas: 100n },
      { description: "batch revocation ≤ 1,000 gas per status", operations: [listLabel, wordLabel], maxGas: 1_000n },
      { description: "isVerified ≤ 20,000 gas of execution", operations: [checkLabel], maxGas: 20_000n },
      { description: `a batch of ${BATCH} fits one transaction`, operations: [wholeBatchLabel], maxGas: TX_GAS_CAP },
    ],
    tables: [
      {
        title: "Issuing to 1.4 billion identities",
        header: ["path", "gas per identity", "storage bytes per identity", "total gas", "blocks of 30M gas"],
        rows: [
          projection("single attest", attestGas, STORAGE_BYTES.attestation),
          projection(`attestBatch of ${BATCH}`, perItem(batchGas, BATCH), STORAGE_BYTES.attestation),
          projection(
            `Merkle anchor only (${MERKLE_LEAVES} leaves)`,
            perItem(anchorGas, MERKLE_LEAVES),
            STORAGE_BYTES.anchor,
          ),
          projection(
            "Merkle anchor + claim",
            perItem(anchorGas, MERKLE_LEAVES) + claimGas,
            STORAGE_BYTES.anchor + STORAGE_BYTES.claim,
          ),
          projection("EAS attest", easAttest.gas, STORAGE_BYTES.eas),
          projection(`EAS multiAttest of ${easBatch.size}`, easBatch.perAttestation, STORAGE_BYTES.eas),
        ],
      },
    ],
    notes: [
      "Gas is the receipt's gasUsed (21,000 and calldata included) unless a row says otherwise; per-item rows divide " +
        "one transaction's gas by its items.",
      `EAS: SchemaRegistry + EAS bytecode from @ethereum-attestation-service/eas-contracts 1.4.1, schema "${SCHEMA}", ` +
        "no resolver, revocable, with an expiry like ours. Both issuers attested once before the measurements.",
      `EAS multiAttest is measured at ${BATCH} attestations per transaction, or at the largest multiple of 10 that ` +
        `fits the ${formatGas(TX_GAS_CAP)}-gas transaction cap: here ${easBatch.size}.`,
      "Revocation: a status slot (the revocation and suspension words of 128 statuses) pays 20,000 gas once, for " +
        "its first set bit; the other statuses pay 2,900. The 45% goal is held by the common case (word already in " +
        "use); EAS writes an existing slot.",
      "isVerified: execution = gasUsed of the same call sent as a transaction minus its intrinsic 21,000 + calldata; " +
        "the 20,000 goal compares execution. EAS getAttestation only reads: the caller still checks revocation " +
        "and expiry and needs the uid from an indexer.",
    ],
  };
}
