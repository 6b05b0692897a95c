/** The shape of `deployments/<network>.json`, read by the subgraph manifest, the SDK and the apps. */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface DeployedContract {
  /** Checksummed address. */
  address: string;
  /** Block in which the contract was created: where indexers start. */
  startBlock: number;
  /** ABI file, relative to the deployments directory. */
  abi: string;
}

export interface Deployment {
  network: string;
  chainId: number;
  contracts: Record<string, DeployedContract>;
}

/** The deployments directory: `REALDID_DEPLOYMENTS` (the one `realdid` reads), else `deployments/` of the checkout. */
export function deploymentsDir(root: string): string {
  return resolve(root, process.env.REALDID_DEPLOYMENTS || "deployments");
}

export function deploymentPath(root: string, network: string): string {
  return join(deploymentsDir(root), `${network}.json`);
}

/** Reads and checks `deployments/<network>.json`; throws an error naming the file and the problem. */
export function readDeployment(root: string, network: string): Deployment {
  const file = deploymentPath(root, network);
  if (!existsSync(file)) throw new Error(`${file} does not exist: run \`npm run deploy -- --network ${network}\``);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const deployment = parsed as Partial<Deployment>;
  if (typeof deployment.chainId !== "number") throw new Error(`${file}: "chainId" must be a number`);
  if (typeof deployment.contracts !== "object" || deployment.contracts === null)
    throw new Error(`${file}: "contracts" must be an object`);
  for (const [name, contract] of Object.entries(deployment.contracts)) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(contract.address)) throw new Error(`${file}: ${name}.address is not an address`);
    if (!Number.isInteger(contract.startBlock) || contract.startBlock < 0)
      throw new Error(`${file}: ${name}.startBlock must be a non-negative integer`);
  }
  return deployment as Deployment;
}

/** The two JSON-RPC reads {@link creationBlock} needs (an ethers provider has them). */
export interface CodeReader {
  getBlockNumber(): Promise<number>;
  getCode(address: string, blockTag?: number): Promise<string>;
}

/** Lowest block at which `address` has code — where an indexer starts: a binary search over eth_getCode. */
export async function creationBlock(provider: CodeReader, address: string): Promise<number> {
  let low = 0;
  let high = await provider.getBlockNumber();
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if ((await provider.getCode(address, middle)) === "0x") low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The `deployments/<network>.json` content for deployed contracts: `contracts` by key, `names` mapping each key
 * to its artifact name (the Ignition module's `CONTRACT_ARTIFACTS`). Start blocks are where each contract was
 * created, unless `startBlock` says otherwise (a chain indexed from its first block passes `async () => 0`).
 */
export async function deploymentOf(
  network: string,
  provider: CodeReader & { getNetwork(): Promise<{ chainId: bigint }> },
  contracts: Record<string, { getAddress(): Promise<string> }>,
  names: Readonly<Record<string, string>>,
  startBlock: (address: string) => Promise<number> = (address) => creationBlock(provider, address),
): Promise<Deployment> {
  const entries: Deployment["contracts"] = {};
  for (const [key, name] of Object.entries(names)) {
    const address = await contracts[key].getAddress();
    entries[name] = { address, startBlock: await startBlock(address), abi: `abis/${name}.json` };
  }
  const { chainId } = await provider.getNetwork();
  return { network, chainId: Number(chainId), contracts: entries };
}
