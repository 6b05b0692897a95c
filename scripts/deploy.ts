/**
 * Deploys RealDID with Ignition and writes `deployments/<network>.json`, the single source of addresses and
 * start blocks for the subgraph, the SDK and the apps, plus the ABIs under `deployments/abis/`. Ignition's
 * parameters come from `ignition/parameters/<network>.json` when it exists; its journal is kept in
 * `ignition/deployments/chain-<id>/`, so a rerun resumes it and redeploys nothing. `REALDID_DEPLOYMENTS` moves the
 * deployments directory, `REALDID_IGNITION_DIR` the `ignition/` one (parameters and journal).
 *
 *   npm run deploy -- --network <name>       (or: npx realdid deploy --network <name>)
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import hre, { network } from "hardhat";

import RealDIDModule, { CONTRACT_ARTIFACTS } from "../ignition/modules/RealDID.ts";

import { deploymentOf, deploymentPath, deploymentsDir, readDeployment } from "./deployment.ts";

const connection = await network.getOrCreate();
const { ethers, ignition, networkName } = connection;
const provider = ethers.provider;

const { chainId } = await provider.getNetwork();
const file = deploymentPath(hre.config.paths.root, networkName);
if (existsSync(file)) {
  const recorded = readDeployment(hre.config.paths.root, networkName).chainId;
  if (BigInt(recorded) !== chainId)
    throw new Error(
      `${file} records chain ${recorded}, but network ${networkName} is chain ${chainId}: not overwriting it`,
    );
}
if (chainId === 31337n) {
  // A development chain starts empty every time: forget Ignition's journal of the previous one.
  rmSync(join(hre.config.paths.ignition, "deployments", `chain-${chainId}`), { recursive: true, force: true });
}

console.log(`Deploying RealDID to ${networkName} (chain ${chainId}) ...`);
const parametersFile = join(hre.config.paths.ignition, "parameters", `${networkName}.json`);
const deployed = await ignition.deploy(RealDIDModule, {
  displayUi: false,
  ...(existsSync(parametersFile) ? { parameters: parametersFile } : {}),
});

const abiDir = join(deploymentsDir(hre.config.paths.root), "abis");
mkdirSync(abiDir, { recursive: true });
for (const name of Object.values(CONTRACT_ARTIFACTS)) {
  const artifact = await hre.artifacts.readArtifact(name);
  writeFileSync(join(abiDir, `${name}.json`), JSON.stringify(artifact.abi, null, 2) + "\n");
}
const deployment = await deploymentOf(networkName, provider, deployed, CONTRACT_ARTIFACTS);
const { contracts } = deployment;
writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");

console.table(
  Object.fromEntries(Object.entries(contracts).map(([name, c]) => [name, { address: c.address, block: c.startBlock }])),
);
console.log(`Wrote ${file}`);
