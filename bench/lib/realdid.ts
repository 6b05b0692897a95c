/**
 * RealDID on a benchmark chain: deploys the contracts with the project's Ignition module, leaving `deployments/`
 * and `ignition/deployments/` as they were. (The subgraph for the deployment is built by the test harness's
 * `buildSubgraph`, in a temporary directory.)
 */
import { rmSync } from "node:fs";
import { join } from "node:path";

import hre, { network } from "hardhat";
import type { BaseContract } from "ethers";

import RealDIDModule, { CONTRACT_ARTIFACTS } from "../../ignition/modules/RealDID.ts";
import { deploymentOf, type Deployment } from "../../scripts/deployment.ts";

export type RealDIDContracts = Record<keyof typeof CONTRACT_ARTIFACTS, BaseContract>;

export interface BenchDeployment {
  deployment: Deployment;
  contracts: RealDIDContracts;
}

/**
 * Deploys RealDID to the chain at `url` with `ignition/modules/RealDID.ts`. Ignition keeps a journal of an HTTP
 * deployment on disk; it goes to a deployment id of its own that is removed again.
 */
export async function deployRealDID(url: string, networkName: string): Promise<BenchDeployment> {
  const connection = await network.create({ network: "localhost", override: { url } });
  const deploymentId = `bench-${process.pid}`;
  const journal = join(hre.config.paths.ignition, "deployments", deploymentId);
  let deployed: RealDIDContracts;
  try {
    deployed = await connection.ignition.deploy(RealDIDModule, { deploymentId, displayUi: false });
  } finally {
    rmSync(journal, { recursive: true, force: true });
  }
  // The chain starts empty: indexing starts at block 0.
  const deployment = await deploymentOf(
    networkName,
    connection.ethers.provider,
    deployed,
    CONTRACT_ARTIFACTS,
    async () => 0,
  );
  return { deployment, contracts: deployed };
}
