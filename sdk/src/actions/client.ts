/** The client the actions take: a chain (provider, chain id), the RealDID contract addresses, optionally a signer. */
import { Contract, Interface, type InterfaceAbi, type Provider, type Signer, type TypedDataDomain } from "ethers";

import type { NetworkConfig } from "../config.js";
import { StatusRegistryAbi } from "../abis.generated.js";
import { ConfigurationError } from "../errors/base.js";
import { decodeContractError } from "../errors/decode.js";
import { providerOf } from "../transport/rpc.js";

/** What every action needs. Build one with {@link createClient} or by hand. */
export interface Client {
  chainId: bigint;
  provider: Provider;
  /** Sends transactions; read-only clients have none. */
  signer?: Signer;
  didRegistry: string;
  realNameRegistry?: string;
  /** IssuerRegistry address (credential verification: the issuer's standing and who may act for it). */
  issuerRegistry?: string;
  /** StatusRegistry address (credential status lists). */
  statusRegistry?: string;
}

/**
 * A {@link Client} for a network (see `networkFromDeployment`), with an optional signer for writes.
 *
 * @example
 * const client = createClient(networkFromDeployment(deployment, { rpcUrl: "http://127.0.0.1:8545" }), wallet);
 * await changeOwner(client, { identity: wallet.address, newOwner });
 */
export function createClient(network: NetworkConfig, signer?: Signer): Client {
  const provider =
    network.provider ??
    (network.rpcUrl !== undefined ? providerOf({ rpcUrl: network.rpcUrl }, network.chainId) : signer?.provider);
  if (provider === undefined || provider === null) {
    throw new ConfigurationError(`network ${network.name ?? network.chainId}: configure an RPC URL or a provider`);
  }
  return {
    chainId: BigInt(network.chainId),
    provider,
    signer: signer?.provider ? signer : signer?.connect(provider),
    didRegistry: network.registry,
    realNameRegistry: network.realNameRegistry,
    issuerRegistry: network.issuerRegistry,
    statusRegistry: network.statusRegistry,
  };
}

/** Each ABI parsed once: building an `Interface` costs about a millisecond, a `Contract` over one next to nothing. */
const interfaces = new WeakMap<Exclude<InterfaceAbi, string>, Interface>();

/** A contract of the client, connected to its signer when `write` (a signer is then required). */
export function contractOf(client: Client, address: string | undefined, abi: InterfaceAbi, write = false): Contract {
  if (address === undefined) throw new ConfigurationError("the client has no address for this contract");
  if (write && client.signer === undefined)
    throw new ConfigurationError("this action sends a transaction: give the client a signer");
  let parsed = typeof abi === "string" ? undefined : interfaces.get(abi);
  if (parsed === undefined) {
    parsed = Interface.from(abi);
    if (typeof abi !== "string") interfaces.set(abi, parsed);
  }
  return new Contract(address, parsed, write ? client.signer : client.provider);
}

/** The client's StatusRegistry, for reads or (with `write`) the issuer's writes. */
export function statusRegistryOf(client: Client, write = false): Contract {
  if (client.statusRegistry === undefined) {
    throw new ConfigurationError("the client has no StatusRegistry address (see networkFromDeployment)");
  }
  return contractOf(client, client.statusRegistry, StatusRegistryAbi, write);
}

/** Runs a contract call or transaction, turning a revert into its typed contract error. */
export async function decoded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw decodeContractError(error) ?? error;
  }
}

/**
 * The EIP-712 domain `contract` reports (`eip712Domain()`, EIP-5267), so typed-data signatures follow the deployed
 * contract's name, version and chain instead of constants retyped here.
 *
 * @example
 * const domain = await eip712DomainOf(contractOf(client, client.realNameRegistry, RealNameRegistryAbi));
 */
export async function eip712DomainOf(contract: Contract): Promise<TypedDataDomain> {
  const domain = await decoded(() => contract.eip712Domain());
  return {
    name: String(domain.name),
    version: String(domain.version),
    chainId: BigInt(domain.chainId),
    verifyingContract: String(domain.verifyingContract),
  };
}
