import { readFileSync } from "node:fs";

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";

/** Creation bytecode of a compiled contract (Ignition compiles before it builds modules). */
function creationCode(sourceName: string, contractName: string): string {
  const path = new URL(`../../artifacts/contracts/${sourceName}/${contractName}.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { bytecode: string }).bytecode;
}

/**
 * Deploys RealDID. The DID registry is created through {ChainBoundDeployer} so its address depends on the
 * chain id: ERC-1056 signatures carry no chain id, and a chain-unique address keeps them from replaying
 * across chains.
 *
 * Parameters (`RealDID.<name>`): `salt` — CREATE2 salt (default `keccak256("RealDID v1")`).
 */
export default buildModule("RealDID", (m) => {
  const salt = m.getParameter("salt", id("RealDID v1"));
  const deployer = m.contract("ChainBoundDeployer");

  const deployRegistry = m.call(deployer, "deploy", [salt, creationCode("DIDRegistry.sol", "DIDRegistry")], {
    id: "DeployDIDRegistry",
  });
  const registryAddress = m.readEventArgument(deployRegistry, "ContractDeployed", "deployed", {
    id: "DIDRegistryAddress",
  });
  const didRegistry = m.contractAt("DIDRegistry", registryAddress);

  return { deployer, didRegistry };
});
