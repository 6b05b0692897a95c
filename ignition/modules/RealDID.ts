import { readFileSync } from "node:fs";

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { DEFAULT_ADMIN_DELAY, DEFAULT_SALT } from "../../sdk/src/deployment/verify.ts";

/** Creation bytecode of a compiled contract (Ignition compiles before it builds modules). */
function creationCode(sourceName: string, contractName: string): string {
  const path = new URL(`../../artifacts/contracts/${sourceName}/${contractName}.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { bytecode: string }).bytecode;
}

/** Artifact name of each contract the module returns: the names `deployments/<network>.json` uses. */
export const CONTRACT_ARTIFACTS = {
  deployer: "ChainBoundDeployer",
  didRegistry: "DIDRegistry",
  issuerRegistry: "IssuerRegistry",
  statusRegistry: "StatusRegistry",
  realNameRegistry: "RealNameRegistry",
} as const;

/**
 * Deploys RealDID. The DID registry is created through {ChainBoundDeployer} so its address depends on the
 * chain id: ERC-1056 signatures carry no chain id, and a chain-unique address keeps them from replaying
 * across chains.
 *
 * The trust layer is deployed in order: IssuerRegistry (governed by `governor`, admin hand-over delayed by
 * `adminDelay` seconds), StatusRegistry (asks the IssuerRegistry who may act for an issuer), RealNameRegistry.
 *
 * Parameters (`RealDID.<name>`, per network in `ignition/parameters/<network>.json`):
 * - `salt`: CREATE2 salt of the DID registry (default `keccak256("RealDID v1")`)
 * - `governor`: default admin and first governor of the IssuerRegistry (default: the deploying account)
 * - `adminDelay`: seconds an admin hand-over waits (default 2 days)
 */
export default buildModule("RealDID", (m) => {
  const salt = m.getParameter("salt", DEFAULT_SALT);
  const deployer = m.contract("ChainBoundDeployer");

  const deployRegistry = m.call(deployer, "deploy", [salt, creationCode("DIDRegistry.sol", "DIDRegistry")], {
    id: "DeployDIDRegistry",
  });
  const registryAddress = m.readEventArgument(deployRegistry, "ContractDeployed", "deployed", {
    id: "DIDRegistryAddress",
  });
  const didRegistry = m.contractAt("DIDRegistry", registryAddress);

  const governor = m.getParameter("governor", m.getAccount(0));
  const adminDelay = m.getParameter("adminDelay", DEFAULT_ADMIN_DELAY);
  const issuerRegistry = m.contract("IssuerRegistry", [governor, adminDelay, didRegistry]);
  const statusRegistry = m.contract("StatusRegistry", [issuerRegistry]);
  const realNameRegistry = m.contract("RealNameRegistry", [didRegistry, issuerRegistry, statusRegistry]);

  return { deployer, didRegistry, issuerRegistry, statusRegistry, realNameRegistry };
});
