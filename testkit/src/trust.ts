import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { AbiCoder, encodeBytes32String, id, keccak256, ZeroHash } from "ethers";

import { merkleBatchOf, type MerkleBatch } from "../../sdk/src/actions/merkle-tree.ts";
import { commitmentOf, randomSalt } from "../../sdk/src/commitment.ts";
import type {
  DIDRegistry,
  IssuerRegistry,
  RealNameRegistry,
  StatusRegistry,
} from "../../types/ethers-contracts/index.ts";
import type { IRealNameRegistry } from "../../types/ethers-contracts/RealNameRegistry.ts";

export { commitmentOf, randomSalt };

/** Every write is sent with an explicit gas limit, so no test depends on `eth_estimateGas`. */
export const TX = { gasLimit: 15_000_000n } as const;

export const DAY = 24n * 60n * 60n;
export const YEAR = 365n * DAY;
export const ADMIN_DELAY = 3n * DAY;

/** Assurance levels (see IIssuerRegistry). */
export const LEVEL = { CONTACT: 1, DOCUMENT: 2, BIOMETRIC: 3 } as const;
export const REVOCATION = 0;
export const SUSPENSION = 1;
export const CREDENTIAL_REVOCATION = 2;
export const CREDENTIAL_SUSPENSION = 3;

export const VERI_KEY = encodeBytes32String("veriKey");
export const SIG_AUTH = encodeBytes32String("sigAuth");

/** The contracts' enums, generated from the Solidity interfaces. */
export {
  ISSUANCE_PATH_NAMES,
  IssuancePath,
  IssuerStatus,
  Reason,
  REASON_NAMES,
} from "../../sdk/src/enums.generated.ts";

const coder = AbiCoder.defaultAbiCoder();

/** A platform scope (domain hash) and a nullifier of a person in it. */
export function scopeOf(domain: string): string {
  return id(domain);
}

export function nullifierOf(person: string, scope: string): string {
  return keccak256(coder.encode(["string", "bytes32"], [person, scope]));
}

/** The whole trust stack, deployed and wired as in production. */
export interface TrustStack {
  ethers: HardhatEthers;
  didRegistry: DIDRegistry;
  issuerRegistry: IssuerRegistry;
  statusRegistry: StatusRegistry;
  realNameRegistry: RealNameRegistry;
  admin: HardhatEthersSigner;
  /** Accredited up to level 3. */
  issuer: HardhatEthersSigner;
  /** Accredited up to level 1. */
  lowIssuer: HardhatEthersSigner;
  /** A `veriKey` delegate of `issuer`'s DID. */
  veriKey: HardhatEthersSigner;
  /** A `sigAuth` delegate of `issuer`'s DID (must not issue). */
  sigAuth: HardhatEthersSigner;
  holder: HardhatEthersSigner;
  other: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
}

/**
 * Deploys DIDRegistry, IssuerRegistry(admin, delay, didRegistry), StatusRegistry(issuerRegistry),
 * RealNameRegistry(didRegistry, issuerRegistry, statusRegistry), accredits `issuer` (level 3) and `lowIssuer` (level 1) and gives `issuer` a `veriKey` and a `sigAuth` delegate.
 */
export async function deployTrustStack(ethers: HardhatEthers): Promise<TrustStack> {
  const [admin, issuer, lowIssuer, veriKey, sigAuth, holder, other, stranger] = await ethers.getSigners();
  const didRegistry = await ethers.deployContract("DIDRegistry");
  const issuerRegistry = await ethers.deployContract("IssuerRegistry", [
    admin.address,
    ADMIN_DELAY,
    await didRegistry.getAddress(),
  ]);
  const statusRegistry = await ethers.deployContract("StatusRegistry", [await issuerRegistry.getAddress()]);
  const realNameRegistry = await ethers.deployContract("RealNameRegistry", [
    await didRegistry.getAddress(),
    await issuerRegistry.getAddress(),
    await statusRegistry.getAddress(),
  ]);
  await issuerRegistry.accredit(issuer.address, LEVEL.BIOMETRIC, "Public Security Bureau", "https://psb.example", TX);
  await issuerRegistry.accredit(lowIssuer.address, LEVEL.CONTACT, "Contact Verifier", "https://cv.example", TX);
  await didRegistry.connect(issuer).addDelegate(issuer.address, VERI_KEY, veriKey.address, YEAR, TX);
  await didRegistry.connect(issuer).addDelegate(issuer.address, SIG_AUTH, sigAuth.address, YEAR, TX);
  return {
    ethers,
    didRegistry,
    issuerRegistry,
    statusRegistry,
    realNameRegistry,
    admin,
    issuer,
    lowIssuer,
    veriKey,
    sigAuth,
    holder,
    other,
    stranger,
  };
}

/** The contents of a `deployments/<network>.json` for a deployed trust stack (start blocks: its creation blocks). */
export async function deploymentOfStack(
  stack: TrustStack,
  network: string,
): Promise<{ network: string; chainId: number; contracts: Record<string, { address: string; startBlock: number }> }> {
  const deployed = {
    DIDRegistry: stack.didRegistry,
    IssuerRegistry: stack.issuerRegistry,
    StatusRegistry: stack.statusRegistry,
    RealNameRegistry: stack.realNameRegistry,
  };
  const contracts: Record<string, { address: string; startBlock: number }> = {};
  for (const [name, contract] of Object.entries(deployed))
    contracts[name] = {
      address: await contract.getAddress(),
      startBlock: (await contract.deploymentTransaction()?.wait())?.blockNumber ?? 0,
    };
  const { chainId } = await stack.ethers.provider.getNetwork();
  return { network, chainId: Number(chainId), contracts };
}

/** The trust stack plus a contract wallet issuer. */
export interface WalletTrustStack extends TrustStack {
  /** Address of an EIP-1271 contract wallet (a multisig's stand-in), accredited up to level 3. */
  walletAddress: string;
  /** The key whose signatures the wallet accepts (not itself an issuer or a delegate). */
  walletKey: HardhatEthersSigner;
}

/** {deployTrustStack}, then deploys an `ERC1271WalletMock` owned by a fresh key and accredits it up to level 3. */
export async function deployTrustStackWithWalletIssuer(ethers: HardhatEthers): Promise<WalletTrustStack> {
  const stack = await deployTrustStack(ethers);
  const walletKey = (await ethers.getSigners())[8];
  const wallet = await ethers.deployContract("ERC1271WalletMock", [walletKey.address]);
  const walletAddress = await wallet.getAddress();
  await stack.issuerRegistry.accredit(
    walletAddress,
    LEVEL.BIOMETRIC,
    "Multisig Issuer",
    "https://multisig.example",
    TX,
  );
  return { ...stack, walletAddress, walletKey };
}

/** The latest block's timestamp. */
export async function now(ethers: HardhatEthers): Promise<bigint> {
  const block = await ethers.provider.getBlock("latest");
  if (block === null) throw new Error("no latest block");
  return BigInt(block.timestamp);
}

/**
 * Attestation data for `identity` (self-owned unless `owner` is given): a fresh commitment of `realName`, unscoped
 * unless `scope` is given.
 */
export function attestation(
  identity: string,
  level: number,
  expiry: bigint,
  realName = "Zhang San",
  scope: { scope: string; nullifier: string } = { scope: ZeroHash, nullifier: ZeroHash },
  owner: string = identity,
): IRealNameRegistry.AttestationDataStruct & { salt: string; realName: string } {
  const salt = randomSalt();
  const commitment = commitmentOf(identity, realName, salt);
  return { identity, owner, level, expiry, commitment, ...scope, salt, realName };
}

/** EIP-712 domain of a registry as it reports it (`eip712Domain()`), with `chainId` replaced when given. */
export async function domainOf(contract: RealNameRegistry | StatusRegistry, chainId?: bigint) {
  const domain = await contract.eip712Domain();
  return {
    name: domain.name,
    version: domain.version,
    chainId: chainId ?? domain.chainId,
    verifyingContract: domain.verifyingContract,
  };
}

/** The EIP-712 types of the signed requests, from the SDK. */
export {
  ATTESTATION_TYPES,
  DISCLOSURE_TYPES,
  RENUNCIATION_TYPES,
  STATUS_UPDATE_TYPES,
} from "../../sdk/src/actions/typed-data.ts";

/**
 * A StandardMerkleTree of `identities` (self-owned, unscoped, named `Person i`) for `issuer` at `level` until
 * `expiry`, whose leaves take the status indices from `firstStatusIndex` on (the issuer's `statusCount` when it
 * anchors): the SDK's batch builder, in the leaf encoding the contract checks.
 */
export function buildMerkleBatch(
  chainId: bigint,
  registry: string,
  issuer: string,
  level: number,
  expiry: bigint,
  identities: string[],
  firstStatusIndex = 0n,
): MerkleBatch {
  const terms = { chainId, registry, issuer, level, expiry: Number(expiry) };
  const entries = identities.map((identity, index) => ({ identity, owner: identity, realName: `Person ${index}` }));
  return merkleBatchOf(terms, Number(firstStatusIndex), entries);
}
