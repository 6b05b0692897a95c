/**
 * Deploys RealDID with Ignition and writes `deployments/<network>.json`, the single source of addresses and
 * start blocks for the subgraph, the SDK and the apps, plus the ABIs under `deployments/abis/`.
 *
 *   npm run deploy -- --network <name>
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import hre, { network } from "hardhat";

import RealDIDModule, { CONTRACT_ARTIFACTS } from "../ignition/modules/RealDID.ts";

import { deploymentOf, deploymentPath } from "./deployment.ts";

const connection = await network.getOrCreate();
const { ethers, ignition, networkName } = connection;
const provider = ethers.provider;

const { chainId } = await provider.getNetwork();
if (chainId === 31337n) {
  // A development chain starts empty every time: forget Ignition's journal of the previous one.
  rmSync(join(hre.config.paths.root, "ignition", "deployments", `chain-${chainId}`), { recursive: true, force: true });
}

console.log(`Deploying RealDID to ${networkName} (chain ${chainId}) ...`);
const parametersFile = join(hre.config.paths.root, "ignition", "parameters", `${networkName}.json`);
const deployed = await ignition.deploy(RealDIDModule, {
  displayUi: false,
  ...(existsSync(parametersFile) ? { parameters: parametersFile } : {}),
});

const abiDir = join(hre.config.paths.root, "deployments", "abis");
mkdirSync(abiDir, { recursive: true });
for (const name of Object.values(CONTRACT_ARTIFACTS)) {
  const artifact = await hre.artifacts.readArtifact(name);
  writeFileSync(join(abiDir, `${name}.json`), JSON.stringify(artifact.abi, null, 2) + "\n");
}
const deployment = await deploymentOf(networkName, provider, deployed, CONTRACT_ARTIFACTS);
const { contracts } = deployment;
const file = deploymentPath(hre.config.paths.root, networkName);
writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");

console.table(
  Object.fromEntries(Object.entries(contracts).map(([name, c]) => [name, { address: c.address, block: c.startBlock }])),
);
console.log(`Wrote ${file}`);
