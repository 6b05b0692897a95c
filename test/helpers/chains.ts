import { network } from "hardhat";

/**
 * A fresh in-process chain with `chainId` whose first account deployed `ChainBoundDeployer` as its first
 * transaction, so the factory sits at the same address on every chain made here, as it would in production.
 */
export async function chainWithDeployer(chainId: number) {
  const connection = await network.create({ override: { chainId } });
  const [deployer, ...accounts] = await connection.ethers.getSigners();
  const factory = await connection.ethers.deployContract("ChainBoundDeployer", deployer);
  return { ...connection, deployer, accounts, factory };
}

/** Gas for a factory deployment of a registry, set explicitly so no test depends on `eth_estimateGas`. */
export const DEPLOY_OVERRIDES = { gasLimit: 8_000_000n } as const;
