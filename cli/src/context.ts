/**
 * What a command runs against, from the global options: the deployment (`deployments/<network>.json`), the chain
 * behind `--rpc` (its chain id checked against the deployment), the subgraph behind `--graphql`, and the signing key.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { createClient, type Client } from "@realdid/sdk/actions";
import { networkFromDeployment, providerOf, type DeploymentFile, type NetworkConfig } from "@realdid/sdk/resolver";
import { getAddress, type JsonRpcProvider, type Wallet } from "ethers";

import { CliError, config, EXIT, toCliError } from "./errors.js";
import { loadSigner } from "./keys.js";

/** The global options every command sees. */
export interface GlobalOptions {
  network: string;
  rpc?: string;
  graphql?: string;
  keystore?: string;
  json: boolean;
  yes: boolean;
}

/** The deployments directory: `REALDID_DEPLOYMENTS`, else `deployments/` in the current directory. */
export function deploymentsDir(): string {
  return resolve(process.env.REALDID_DEPLOYMENTS || "deployments");
}

/** The path of `deployments/<network>.json`; a name that cannot be a file name is refused. */
export function deploymentFile(network: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(network))
    throw config(`--network ${network}: a network name is letters, digits, - and _`);
  return join(deploymentsDir(), `${network}.json`);
}

/** Reads `deployments/<network>.json`; an unknown network or a malformed file is named. */
export function readDeployment(network: string): DeploymentFile {
  const file = deploymentFile(network);
  const dir = deploymentsDir();
  if (!existsSync(dir))
    throw new CliError(
      `no deployment files: ${dir} does not exist (run realdid from the repository root, or set REALDID_DEPLOYMENTS)`,
      EXIT.noDeployments,
    );
  if (!existsSync(file)) {
    const known = readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length))
      .sort();
    throw config(
      `unknown network ${network}: ${file} does not exist (known: ${known.join(", ") || "none"}; deploy with \`realdid --network ${network} deploy\`)`,
    );
  }
  let parsed: DeploymentFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as DeploymentFile;
  } catch (error) {
    throw config(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed.chainId !== "number") throw config(`${file}: "chainId" must be a number`);
  if (typeof parsed.contracts !== "object" || parsed.contracts === null)
    throw config(`${file}: "contracts" must be an object`);
  return parsed;
}

/** The RPC URL given: `--rpc`, else `REALDID_RPC_URL`. */
export function givenRpcUrl(options: GlobalOptions): string | undefined {
  return options.rpc ?? (process.env.REALDID_RPC_URL || undefined);
}

/** The RPC URL: `--rpc`, else `REALDID_RPC_URL`, else the local node for `localhost`. */
function rpcUrl(options: GlobalOptions): string {
  const url = givenRpcUrl(options);
  if (url !== undefined) return url;
  if (options.network === "localhost") return "http://127.0.0.1:8545";
  throw config(`network ${options.network}: give its JSON-RPC URL with --rpc <url> or REALDID_RPC_URL`);
}

/** A deployment, its chain and, on demand, a signer: what commands use. */
export class Context {
  readonly deployment: DeploymentFile;
  readonly network: NetworkConfig;
  readonly provider: JsonRpcProvider;
  private checked?: Promise<void>;
  private signer?: Promise<Wallet>;

  constructor(readonly options: GlobalOptions) {
    this.deployment = readDeployment(options.network);
    const url = rpcUrl(options);
    this.provider = providerOf({ rpcUrl: url }, this.deployment.chainId) as JsonRpcProvider;
    this.network = networkFromDeployment(this.deployment, {
      provider: this.provider,
      ...(options.graphql === undefined ? {} : { graphqlUrl: options.graphql }),
    });
  }

  /** The DID network part of this deployment: its hex chain id (resolvable everywhere). */
  get didNetwork(): string {
    return `0x${this.deployment.chainId.toString(16)}`;
  }

  /** A contract address from the deployment file. */
  address(name: string): string {
    const entry = this.deployment.contracts[name];
    if (entry === undefined) throw config(`deployment ${this.options.network} has no ${name}`);
    return getAddress(entry.address);
  }

  /** Checks once that the chain behind the RPC URL is the deployment's chain. */
  checkChain(): Promise<void> {
    this.checked ??= (async () => {
      let chainId: bigint;
      try {
        chainId = BigInt(String(await this.provider.send("eth_chainId", [])));
      } catch (error) {
        throw toCliError(error);
      }
      if (chainId !== BigInt(this.deployment.chainId))
        throw new CliError(
          `wrong chain: the RPC URL serves chain ${chainId}, deployments/${this.options.network}.json is for chain ${this.deployment.chainId}`,
          EXIT.wrongChain,
        );
    })();
    return this.checked;
  }

  /** The signing key (keystore or `REALDID_PRIVATE_KEY`), connected to the chain. */
  wallet(): Promise<Wallet> {
    this.signer ??= loadSigner(this.options).then((wallet) => wallet.connect(this.provider));
    return this.signer;
  }

  /** A read-only client, after the chain check. */
  async reader(): Promise<Client> {
    await this.checkChain();
    return createClient(this.network);
  }

  /** A client that sends transactions with the signing key, after the chain check. */
  async writer(): Promise<Client> {
    await this.checkChain();
    return createClient(this.network, await this.wallet());
  }
}
