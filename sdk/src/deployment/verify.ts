/**
 * Checks a deployment on chain against what the repository built and what its Ignition parameters asked for: each
 * contract's runtime code (see `code.ts`), the wiring between the four contracts (their registry getters), the DID
 * registry's address from its salt, the IssuerRegistry's default admin, governors and admin delay. Every check is a
 * row; nothing is sent.
 */
import { Contract, getAddress, id, keccak256, type InterfaceAbi, type Provider } from "ethers";

import { IssuerRegistryAbi, RealNameRegistryAbi, StatusRegistryAbi } from "../abis.generated.js";
import { GOVERNOR_ROLE } from "../actions/governance.js";
import type { DeploymentFile } from "../config.js";
import { ConfigurationError } from "../errors/base.js";
import { compareRuntimeCode, type BuildArtifact } from "./code.js";

/** The four contracts of a RealDID deployment, in deployment order. */
export const DEPLOYMENT_CONTRACTS = ["DIDRegistry", "IssuerRegistry", "StatusRegistry", "RealNameRegistry"] as const;

/** The admin hand-over delay the Ignition module uses when its parameters give none: two days, in seconds. */
export const DEFAULT_ADMIN_DELAY = 2 * 24 * 60 * 60;

/** The DID registry's CREATE2 salt the Ignition module uses when its parameters give none. */
export const DEFAULT_SALT = id("RealDID v1");

const CHAIN_BOUND_DEPLOYER_ABI = [
  "function computeAddress(address deployer, bytes32 salt, bytes32 initCodeHash) view returns (address)",
];

/** One check of {@link verifyDeployment}. */
export interface DeploymentCheck {
  contract: string;
  check: string;
  expected: string;
  actual: string;
  ok: boolean;
}

/** What the deployment should hold beyond its code: the Ignition module's `governor` and `adminDelay`. */
export interface DeploymentExpectations {
  /** The IssuerRegistry's default admin; default: the account that created the IssuerRegistry (the module's). */
  admin?: string;
  /** Accounts that must hold `GOVERNOR_ROLE`; default: the admin (the module makes it the first governor). */
  governors?: string[];
  /** Seconds an admin hand-over waits; default {@link DEFAULT_ADMIN_DELAY}. */
  adminDelay?: number;
  /** The DID registry's CREATE2 salt through ChainBoundDeployer; default {@link DEFAULT_SALT}. */
  salt?: string;
}

/**
 * Expectations from an Ignition parameters file's contents (`{ "RealDID": { "governor", "adminDelay", "salt" } }`);
 * a missing module entry or field keeps the module's default.
 *
 * @example
 * const expected = expectationsFromParameters(JSON.parse(readFileSync("ignition/parameters/devnet.json", "utf8")));
 */
export function expectationsFromParameters(parameters: unknown): DeploymentExpectations {
  const module = (parameters as { RealDID?: unknown } | null)?.RealDID;
  if (module === undefined) return {};
  if (typeof module !== "object" || module === null)
    throw new ConfigurationError("Ignition parameters: RealDID must be an object");
  const { governor, adminDelay, salt } = module as { governor?: unknown; adminDelay?: unknown; salt?: unknown };
  if (governor !== undefined && (typeof governor !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(governor)))
    throw new ConfigurationError(`Ignition parameters: RealDID.governor ${String(governor)} is not an address`);
  if (adminDelay !== undefined && !(Number.isInteger(Number(adminDelay)) && Number(adminDelay) >= 0))
    throw new ConfigurationError(`Ignition parameters: RealDID.adminDelay ${String(adminDelay)} is not a whole number`);
  if (salt !== undefined && (typeof salt !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(salt)))
    throw new ConfigurationError(`Ignition parameters: RealDID.salt ${String(salt)} is not 32 bytes of hex`);
  return {
    ...(governor === undefined ? {} : { admin: getAddress(governor) }),
    ...(adminDelay === undefined ? {} : { adminDelay: Number(adminDelay) }),
    ...(salt === undefined ? {} : { salt: salt.toLowerCase() }),
  };
}

/** The account whose transaction created `address` in block `block` (a contract created by a factory has none). */
async function creatorOf(provider: Provider, address: string, block: number): Promise<string | undefined> {
  const found = await provider.getBlock(block, true);
  for (const tx of found?.prefetchedTransactions ?? []) {
    if (tx.to !== null) continue;
    const receipt = await provider.getTransactionReceipt(tx.hash);
    if (receipt?.contractAddress !== null && receipt?.contractAddress === getAddress(address)) return tx.from;
  }
  return undefined;
}

const short = (hash: string, length: number) => (hash === "none" ? "none" : `${hash.slice(0, 18)}… (${length} bytes)`);

/** A read that reports its failure as the row's actual value instead of throwing. */
async function read(call: () => Promise<unknown>): Promise<string> {
  try {
    const value = await call();
    return typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value) ? getAddress(value) : String(value);
  } catch (error) {
    return `call failed: ${((error as { shortMessage?: string }).shortMessage ?? (error as Error).message).split("\n")[0]}`;
  }
}

/**
 * Checks every contract of `deployment` on chain: runtime code against `artifacts` (immutables blanked, metadata
 * apart), the registries' getters against the deployment's addresses, and the IssuerRegistry's admin, governors and
 * admin delay against `expected`. A row per check; `ok` false on each mismatch.
 *
 * @example
 * const rows = await verifyDeployment(provider, deployment, { artifacts, expected: expectationsFromParameters(params) });
 * if (rows.some((row) => !row.ok)) process.exitCode = 1;
 */
export async function verifyDeployment(
  provider: Provider,
  deployment: DeploymentFile,
  {
    artifacts,
    expected = {},
  }: { artifacts: Readonly<Record<string, BuildArtifact>>; expected?: DeploymentExpectations },
): Promise<DeploymentCheck[]> {
  const rows: DeploymentCheck[] = [];
  const address = (name: string) => {
    const entry = deployment.contracts[name];
    return entry === undefined ? undefined : getAddress(entry.address);
  };
  for (const name of DEPLOYMENT_CONTRACTS)
    if (address(name) === undefined)
      rows.push({ contract: name, check: "address", expected: "an address", actual: "missing", ok: false });

  for (const [name, artifact] of Object.entries(artifacts)) {
    const at = address(name);
    if (at === undefined) continue;
    const code = await provider.getCode(at);
    const result = compareRuntimeCode(code, artifact);
    rows.push({
      contract: name,
      check: "runtime code",
      expected: short(result.expected.code, result.expected.codeLength),
      actual: code === "0x" ? `no code at ${at}` : short(result.actual.code, result.actual.codeLength),
      ok: result.codeMatches,
    });
    rows.push({
      contract: name,
      check: "metadata",
      expected: short(result.expected.metadata, result.expected.metadataLength),
      actual: short(result.actual.metadata, result.actual.metadataLength),
      ok: result.metadataMatches,
    });
  }

  const getter = async (name: string, abi: InterfaceAbi, method: string, target: string) => {
    const at = address(name);
    const wanted = address(target);
    if (at === undefined || wanted === undefined) return;
    const actual = await read(() => new Contract(at, abi, provider).getFunction(method).staticCall());
    rows.push({ contract: name, check: `${method}()`, expected: wanted, actual, ok: actual === wanted });
  };
  await getter("IssuerRegistry", IssuerRegistryAbi, "didRegistry", "DIDRegistry");
  await getter("StatusRegistry", StatusRegistryAbi, "issuerRegistry", "IssuerRegistry");
  await getter("RealNameRegistry", RealNameRegistryAbi, "didRegistry", "DIDRegistry");
  await getter("RealNameRegistry", RealNameRegistryAbi, "issuerRegistry", "IssuerRegistry");
  await getter("RealNameRegistry", RealNameRegistryAbi, "statusRegistry", "StatusRegistry");

  const issuerRegistryAddress = address("IssuerRegistry");
  if (issuerRegistryAddress !== undefined) {
    const registry = new Contract(issuerRegistryAddress, IssuerRegistryAbi, provider);
    const startBlock = deployment.contracts.IssuerRegistry?.startBlock ?? 0;
    const deployer = (await creatorOf(provider, issuerRegistryAddress, startBlock)) ?? "the deploying account";
    const admin = expected.admin ?? deployer;
    const actualAdmin = await read(() => registry.defaultAdmin());
    rows.push({
      contract: "IssuerRegistry",
      check: "defaultAdmin()",
      expected: admin,
      actual: actualAdmin,
      ok: actualAdmin === admin,
    });
    for (const governor of expected.governors ?? [admin]) {
      const holds = await read(() => registry.hasRole(GOVERNOR_ROLE, governor));
      rows.push({
        contract: "IssuerRegistry",
        check: `hasRole(GOVERNOR_ROLE, ${governor})`,
        expected: "true",
        actual: holds,
        ok: holds === "true",
      });
    }
    const factory = address("ChainBoundDeployer");
    const didRegistry = address("DIDRegistry");
    const creationCode = artifacts.DIDRegistry?.bytecode;
    if (factory !== undefined && didRegistry !== undefined && creationCode !== undefined) {
      // The DID registry is created by the deploying account through ChainBoundDeployer: its address follows from
      // that account, the chain, the salt and the build's creation code.
      const salt = expected.salt ?? DEFAULT_SALT;
      const derived = await read(() =>
        new Contract(factory, CHAIN_BOUND_DEPLOYER_ABI, provider).computeAddress(
          deployer,
          salt,
          keccak256(creationCode),
        ),
      );
      rows.push({
        contract: "DIDRegistry",
        check: `address from salt ${salt.slice(0, 10)}…`,
        expected: derived,
        actual: didRegistry,
        ok: derived === didRegistry,
      });
    }
    const delay = String(expected.adminDelay ?? DEFAULT_ADMIN_DELAY);
    const actualDelay = await read(() => registry.defaultAdminDelay());
    rows.push({
      contract: "IssuerRegistry",
      check: "defaultAdminDelay()",
      expected: delay,
      actual: actualDelay,
      ok: actualDelay === delay,
    });
  }
  return rows;
}
