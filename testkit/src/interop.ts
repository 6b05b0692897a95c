import ethrDidRegistry from "ethr-did-registry";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

import type { DIDRegistry } from "../../types/ethers-contracts/index.ts";
import type { ERC1056Registry } from "./erc1056.ts";

/** Our registry and the reference one, side by side on the same chain. */
export interface RegistryPair {
  ours: DIDRegistry;
  /** `EthereumDIDRegistry` from the bytecode the ethr-did-registry package ships, typed by the shared interface. */
  reference: ERC1056Registry;
}

/** The reference `EthereumDIDRegistry` from its published bytecode, seen through the shared ERC-1056 surface. */
export async function deployReference(ethers: HardhatEthers): Promise<ERC1056Registry> {
  const { abi, bytecode } = ethrDidRegistry.EthereumDIDRegistry;
  const deployed = await (await ethers.getContractFactory(abi, bytecode)).deploy();
  return ethers.getContractAt("IDIDRegistry", await deployed.getAddress());
}

/** Deploys `DIDRegistry` and the reference `EthereumDIDRegistry` with the first account. */
export async function deployRegistryPair(ethers: HardhatEthers): Promise<RegistryPair> {
  return { ours: await ethers.deployContract("DIDRegistry"), reference: await deployReference(ethers) };
}
