/**
 * `realdid deployments verify`: the deployment on chain against the repository's build and its Ignition parameters
 * (runtime code with immutables and metadata handled, the wiring of the four contracts, the IssuerRegistry's admin,
 * governors and admin delay), as a table or `--json`; exit 8 when anything differs. The checks are the SDK's
 * (`@realdid/sdk/deployment`); this command loads the artifacts and parameters from the checkout.
 */
import { DEPLOYMENT_CONTRACTS, expectationsFromParameters, verifyDeployment } from "@realdid/sdk/deployment";
import type { Command } from "commander";

import { checkoutRoot, readArtifacts, readParameters } from "../checkout.js";
import { addressOf, contextOf } from "../command.js";
import { CliError, EXIT, toCliError } from "../errors.js";
import { print, table } from "../output.js";

interface VerifyOptions {
  parameters?: string;
  admin?: string;
  governor?: string[];
}

export function deploymentsCommand(program: Command): void {
  const deployments = program.command("deployments").description("check deployments against the build");

  deployments
    .command("verify")
    .description("compare --network's contracts on chain with the build and ignition/parameters/<network>.json")
    .option("--parameters <file>", "Ignition parameters to check against (default ignition/parameters/<network>.json)")
    .option("--admin <address>", "expected default admin, e.g. after a hand-over (default: the parameters' governor)")
    .option("--governor <address...>", "accounts expected to be governors (default: the admin)")
    .action(async (options: VerifyOptions, command: Command) => {
      const root = checkoutRoot("realdid deployments verify compares the chain with the repository's build");
      const context = contextOf(command);
      await context.checkChain();
      const names = Object.keys(context.deployment.contracts).filter(
        (name) => name === "ChainBoundDeployer" || (DEPLOYMENT_CONTRACTS as readonly string[]).includes(name),
      );
      const expected = {
        ...expectationsFromParameters(readParameters(root, context.options.network, options.parameters)),
        ...(options.admin === undefined ? {} : { admin: addressOf(options.admin, "--admin") }),
        ...(options.governor === undefined
          ? {}
          : { governors: options.governor.map((governor) => addressOf(governor, "--governor")) }),
      };
      const checks = await verifyDeployment(context.provider, context.deployment, {
        artifacts: readArtifacts(root, names),
        expected,
      }).catch((error: unknown) => {
        throw toCliError(error);
      });
      const failed = checks.filter((check) => !check.ok).length;
      print(
        context.options,
        { network: context.options.network, chainId: context.deployment.chainId, ok: failed === 0, checks },
        [
          table(checks.map((check) => ({ ...check, ok: check.ok ? "ok" : "MISMATCH" }))),
          failed === 0 ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks do not match`,
        ],
      );
      if (failed > 0)
        throw new CliError(
          `deployment ${context.options.network}: ${failed} of ${checks.length} checks do not match`,
          EXIT.mismatch,
        );
    });
}
