/** `realdid keys new | import | address`: keystore files and the signing key in use. */
import type { Command } from "commander";
import { Wallet } from "ethers";

import { globals } from "../command.js";
import { importedKey, loadSigner, writeKeystore } from "../keys.js";
import { print } from "../output.js";

export function keysCommand(program: Command): void {
  const keys = program.command("keys").description("keystore files (Web3 Secret Storage) and the signing key");

  keys
    .command("new")
    .description("create a random key in a new keystore file (password from REALDID_PASSWORD or a prompt)")
    .requiredOption("--out <file>", "keystore file to write")
    .action(async (options: { out: string }, command: Command) => {
      const wallet = Wallet.createRandom();
      await writeKeystore(new Wallet(wallet.privateKey), options.out);
      print(
        globals(command),
        { address: wallet.address, keystore: options.out },
        `${wallet.address} -> ${options.out}`,
      );
    });

  keys
    .command("import")
    .description("encrypt a key from REALDID_PRIVATE_KEY (or typed at a prompt) into a new keystore file")
    .requiredOption("--out <file>", "keystore file to write")
    .action(async (options: { out: string }, command: Command) => {
      const wallet = await importedKey();
      await writeKeystore(wallet, options.out);
      print(
        globals(command),
        { address: wallet.address, keystore: options.out },
        `${wallet.address} -> ${options.out}`,
      );
    });

  keys
    .command("address")
    .description("the address of the signing key (--keystore or REALDID_PRIVATE_KEY)")
    .action(async (_options: unknown, command: Command) => {
      const wallet = await loadSigner(globals(command));
      print(globals(command), { address: wallet.address }, wallet.address);
    });
}
