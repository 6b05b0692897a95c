/**
 * `realdid governance show | begin | accept | cancel | grant | revoke`: the IssuerRegistry's delayed admin hand-over
 * (e.g. from the deployer to a multisig) and its governors.
 */
import { adminState, adminTransfer, isGovernor, setGovernor } from "@realdid/sdk/actions";
import type { Command } from "commander";

import { addressOf, contextOf } from "../command.js";
import { toCliError } from "../errors.js";
import { print, printSent, send } from "../output.js";

export function governanceCommand(program: Command): void {
  const governance = program.command("governance").description("the IssuerRegistry's admin hand-over and governors");

  governance
    .command("show")
    .description("the admin, a pending hand-over and the delay")
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const state = await adminState(await context.reader()).catch((error: unknown) => {
        throw toCliError(error);
      });
      const pending = BigInt(state.pendingAdmin) !== 0n;
      print(context.options, state, [
        `admin ${state.admin}, hand-over delay ${state.delay} s`,
        pending
          ? `pending: ${state.pendingAdmin} may accept from ${new Date(state.acceptableAt * 1000).toISOString()}`
          : "no hand-over pending",
      ]);
    });

  governance
    .command("begin <new-admin>")
    .description("begin handing the admin role to <new-admin> (admin); it accepts after the delay")
    .action(async (newAdmin: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const target = addressOf(newAdmin, "new admin");
      const client = await context.writer();
      const sent = await send(context, `begin the admin hand-over to ${target}`, () =>
        adminTransfer(client, { step: "begin", newAdmin: target }),
      );
      printSent(context.options, `hand-over to ${target} begun`, sent, { step: "begin", newAdmin: target });
    });

  for (const step of ["accept", "cancel"] as const) {
    governance
      .command(step)
      .description(
        step === "accept"
          ? "accept the admin role (the pending admin, after the delay)"
          : "cancel the pending hand-over (admin)",
      )
      .action(async (_options: unknown, command: Command) => {
        const context = contextOf(command);
        const client = await context.writer();
        const sent = await send(context, `${step} the admin hand-over`, () => adminTransfer(client, { step }));
        printSent(context.options, `hand-over ${step === "accept" ? "accepted" : "cancelled"}`, sent, { step });
      });
  }

  for (const verb of ["grant", "revoke"] as const) {
    governance
      .command(`${verb} <account>`)
      .description(`${verb} the governor role (admin)`)
      .action(async (account: string, _options: unknown, command: Command) => {
        const context = contextOf(command);
        const target = addressOf(account, "account");
        const client = await context.writer();
        const sent = await send(context, `${verb} the governor role of ${target}`, () =>
          setGovernor(client, { account: target, granted: verb === "grant" }),
        );
        const governor = await isGovernor(client, { account: target });
        printSent(context.options, `${verb} governor ${target}`, sent, { account: target, governor });
      });
  }
}
