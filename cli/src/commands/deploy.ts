/**
 * `realdid deploy --network <name>`: the repository's Ignition deployment (`npm run deploy -- --network <name>`),
 * run from the root of a checkout. The chain and the deployer key are Hardhat config variables (`REALDID_RPC_URL`,
 * `REALDID_DEPLOYER_KEY`, from the environment or hardhat-keystore); a rerun resumes Ignition's journal and changes
 * nothing already deployed. The deployment file it writes is the one every other command reads.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

import { expectationsFromParameters } from "@realdid/sdk/deployment";
import type { Command } from "commander";

import { checkoutRoot, readParameters } from "../checkout.js";
import { globals } from "../command.js";
import { Context, deploymentFile, deploymentsDir, givenRpcUrl, readDeployment } from "../context.js";
import { CliError, config, EXIT, toCliError } from "../errors.js";
import { print, table } from "../output.js";

/** Runs `npm run deploy` in `root`; resolves with its exit code and what it wrote on stderr. */
function runDeployScript(
  root: string,
  network: string,
  env: NodeJS.ProcessEnv,
  json: boolean,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "deploy", "--", "--network", network], {
      cwd: root,
      env,
      // With --json, stdout carries one JSON value only: the script's own output goes to stderr.
      stdio: ["inherit", json ? process.stderr : "inherit", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/** A failed deployment script as a CLI error: an unconfigured network, funds and connection faults recognised. */
function deployFailure(network: string, code: number, stderr: string): CliError {
  const variable = /Configuration Variable ["']?(REALDID_\w+)/i.exec(stderr)?.[1];
  if (variable !== undefined)
    return config(
      `network ${network} is not configured: ${variable} is not set (export it, or keep it with \`npx hardhat keystore set ${variable}\`)`,
    );
  // The script's output is long (stack traces): the line that names a funds or connection fault is the message.
  for (const line of stderr.split("\n")) {
    const known = toCliError(new Error(line.trim()));
    if (known.code === EXIT.funds || known.code === EXIT.connection) return known;
  }
  return new CliError(
    `the deployment to ${network} failed (npm run deploy exited with ${code}; its output is above)`,
    EXIT.deployFailed,
  );
}

export function deployCommand(program: Command): void {
  program
    .command("deploy")
    .description(
      "deploy RealDID with Ignition to --network (from a checkout; REALDID_RPC_URL, REALDID_DEPLOYER_KEY); a rerun resumes",
    )
    .action(async (_options: unknown, command: Command) => {
      const options = globals(command);
      const root = checkoutRoot("realdid deploy runs the repository's Ignition deployment");
      const { network } = options;
      // A malformed parameters file is named before Hardhat starts.
      try {
        expectationsFromParameters(readParameters(root, network));
      } catch (error) {
        throw toCliError(error);
      }
      const file = deploymentFile(network);
      const rpc = givenRpcUrl(options);
      // A deployment on record is for one chain: refuse another before anything is sent.
      if (existsSync(file) && (rpc !== undefined || network === "localhost")) await new Context(options).checkChain();

      const env: NodeJS.ProcessEnv = {
        ...process.env,
        REALDID_NETWORK: network,
        REALDID_DEPLOYMENTS: deploymentsDir(),
      };
      if (rpc === undefined)
        delete env.REALDID_RPC_URL; // empty counts as unset (hardhat-keystore may hold it)
      else {
        env.REALDID_RPC_URL = rpc;
        if (network === "localhost") env.RPC_URL = rpc;
      }
      const { code, stderr } = await runDeployScript(root, network, env, options.json);
      if (code !== 0) throw deployFailure(network, code, stderr);

      const deployment = readDeployment(network);
      const rows = Object.entries(deployment.contracts).map(([name, entry]) => ({
        contract: name,
        address: entry?.address,
        startBlock: entry?.startBlock,
      }));
      print(options, deployment, [
        `deployed to ${network} (chain ${deployment.chainId}); ${file}:`,
        table(rows),
        `check it: realdid --network ${network} deployments verify`,
      ]);
    });
}
