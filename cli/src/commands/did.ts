/**
 * `realdid did …`: a holder's DID. `create` derives a per-site DID from a BIP-39 recovery phrase; the writes go
 * through the SDK's DIDRegistry actions, or with `--signed` print the owner's signature for a relayer (`did relay`).
 */
import { readFileSync } from "node:fs";

import {
  addDelegate,
  changeOwner,
  identityOwner,
  revokeAttribute,
  revokeDelegate,
  sendSignedChange,
  setAttribute,
  signChange,
  type SignableChange,
  type SignedChange,
} from "@realdid/sdk/actions";
import { generateMnemonic, siteIdentity } from "@realdid/sdk/keys";
import { createResolver } from "@realdid/sdk/resolver";
import type { Command } from "commander";
import { HDNodeWallet, Mnemonic, Wallet, ZeroAddress } from "ethers";

import { addressOf, contextOf, globals, identityOf, integerOf } from "../command.js";
import type { Context } from "../context.js";
import { config, toCliError, usage } from "../errors.js";
import { writeKeystore } from "../keys.js";
import { print, printSent, send, toJson } from "../output.js";

const DELEGATE_TYPES = ["sigAuth", "veriKey"];
const DEFAULT_VALIDITY = String(365 * 86_400);

/** Sends `change` with the signing key, or with `--signed` prints the owner's signature of it for a relayer. */
async function changeOrSign(command: Command, what: string, change: SignableChange): Promise<void> {
  const context = contextOf(command);
  const signed = (command.opts() as { signed?: boolean }).signed === true;
  const client = await context.writer();
  if (signed) {
    const wallet = await context.wallet();
    const signature = await signChange(client, wallet.signingKey, change).catch((error: unknown) => {
      throw toCliError(error);
    });
    print(context.options, signature, toJson(signature));
    return;
  }
  const sent = await send(context, what, () => {
    switch (change.action) {
      case "changeOwner":
        return changeOwner(client, change);
      case "addDelegate":
        return addDelegate(client, change);
      case "revokeDelegate":
        return revokeDelegate(client, change);
      case "setAttribute":
        return setAttribute(client, change);
      case "revokeAttribute":
        return revokeAttribute(client, change);
    }
  });
  printSent(context.options, what, sent, { action: change.action, identity: change.identity });
}

function delegateType(value: string): string {
  if (!DELEGATE_TYPES.includes(value))
    throw usage(`--type ${value}: a delegate type is ${DELEGATE_TYPES.join(" or ")}`);
  return value;
}

/** The recovery phrase: `REALDID_MNEMONIC`, else a new one (printed once, for the holder to keep). */
function mnemonic(): { words: string; generated: boolean } {
  const words = process.env.REALDID_MNEMONIC;
  if (words !== undefined) return { words, generated: false };
  return { words: generateMnemonic(), generated: true };
}

function identityFromSeed(context: Context, words: string, site: string | undefined, index: number) {
  if (site !== undefined) {
    const { did, address, path, origin, wallet } = siteIdentity(words, site, { network: context.didNetwork, index });
    return { did, address, path, origin, wallet: new Wallet(wallet.privateKey) };
  }
  let phrase: Mnemonic;
  try {
    phrase = Mnemonic.fromPhrase(words.normalize("NFKD").trim().split(/\s+/).join(" "));
  } catch {
    throw config("REALDID_MNEMONIC is not a valid BIP-39 recovery phrase");
  }
  const path = `m/44'/60'/0'/0/${index}`;
  const wallet = HDNodeWallet.fromMnemonic(phrase, path);
  return {
    did: `did:ethr:${context.didNetwork}:${wallet.address}`,
    address: wallet.address,
    path,
    origin: undefined,
    wallet: new Wallet(wallet.privateKey),
  };
}

export function didCommand(program: Command): void {
  const did = program.command("did").description("a holder's DID: create, resolve, keys and attributes");

  did
    .command("create")
    .description("derive a DID from a BIP-39 recovery phrase (REALDID_MNEMONIC, or a new one): per site with --site")
    .option("--site <origin>", "the site the DID is for (one unrelated DID per site)")
    .option("--index <n>", "account index under the site", "0")
    .option("--out <file>", "also write its key to a new keystore file")
    .action(async (options: { site?: string; index: string; out?: string }, command: Command) => {
      const context = contextOf(command);
      const index = integerOf(options.index, "--index", 0, 0x7fffffff);
      const seed = mnemonic();
      let created;
      try {
        created = identityFromSeed(context, seed.words, options.site, index);
      } catch (error) {
        throw toCliError(error);
      }
      if (options.out !== undefined) await writeKeystore(created.wallet, options.out);
      const result = {
        did: created.did,
        address: created.address,
        path: created.path,
        ...(created.origin === undefined ? {} : { origin: created.origin }),
        ...(seed.generated ? { mnemonic: seed.words } : {}),
        ...(options.out === undefined ? {} : { keystore: options.out }),
      };
      print(context.options, result, [
        created.did,
        `  address ${created.address}, path ${created.path}${created.origin ? `, site ${created.origin}` : ""}`,
        ...(seed.generated ? [`  new recovery phrase (write it down, it is shown once): ${seed.words}`] : []),
        ...(options.out === undefined ? [] : [`  key written to ${options.out}`]),
      ]);
    });

  did
    .command("resolve <did>")
    .description("the DID document (subgraph with --graphql, else the chain)")
    .action(async (didArgument: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      identityOf(context, didArgument);
      await context.checkChain();
      const resolver = createResolver({ networks: [context.network] });
      const result = await resolver.resolve(didArgument);
      if (result.didResolutionMetadata.error !== undefined)
        throw toCliError(
          new Error(
            `${didArgument}: ${result.didResolutionMetadata.error} ${result.didResolutionMetadata.message ?? ""}`,
          ),
        );
      print(context.options, result, toJson(result.didDocument));
    });

  did
    .command("owner <did> [new-owner]")
    .description("the DID's current owner; with <new-owner>, hand the DID to that key (key rotation, by the owner)")
    .option("--signed", "with <new-owner>: print the owner's signature for a relayer instead of sending")
    .action(async (didArgument: string, newOwner: string | undefined, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const identity = identityOf(context, didArgument);
      if (newOwner !== undefined) {
        const target = addressOf(newOwner, "new owner");
        if (target === ZeroAddress) throw usage("new owner 0x0 would deactivate the DID: use `did deactivate`");
        await changeOrSign(command, `change owner to ${target}`, { action: "changeOwner", identity, newOwner: target });
        return;
      }
      const owner = await identityOwner(await context.reader(), { identity }).catch((error: unknown) => {
        throw toCliError(error);
      });
      print(context.options, { identity, owner, deactivated: owner === ZeroAddress }, owner);
    });

  const delegate = did.command("delegate").description("device and signing keys of a DID");
  delegate
    .command("add <did> <delegate>")
    .description("add a delegate key")
    .option("--type <type>", "sigAuth (may sign in) or veriKey (may sign credentials)", "sigAuth")
    .option("--validity <seconds>", "how long the delegate is valid", DEFAULT_VALIDITY)
    .option("--signed", "print the owner's signature for a relayer instead of sending")
    .action(
      async (
        didArgument: string,
        delegateArgument: string,
        options: { type: string; validity: string },
        command: Command,
      ) => {
        const context = contextOf(command);
        await changeOrSign(command, "add delegate", {
          action: "addDelegate",
          identity: identityOf(context, didArgument),
          delegateType: delegateType(options.type),
          delegate: addressOf(delegateArgument, "delegate"),
          validity: integerOf(options.validity, "--validity", 1),
        });
      },
    );
  delegate
    .command("revoke <did> <delegate>")
    .description("revoke a delegate key")
    .option("--type <type>", "sigAuth or veriKey", "sigAuth")
    .option("--signed", "print the owner's signature for a relayer instead of sending")
    .action(async (didArgument: string, delegateArgument: string, options: { type: string }, command: Command) => {
      const context = contextOf(command);
      await changeOrSign(command, "revoke delegate", {
        action: "revokeDelegate",
        identity: identityOf(context, didArgument),
        delegateType: delegateType(options.type),
        delegate: addressOf(delegateArgument, "delegate"),
      });
    });

  const attribute = did.command("attribute").description("attributes of a DID (service endpoints, public keys)");
  attribute
    .command("set <did> <name> <value>")
    .description("set an attribute, e.g. did/svc/MessagingService https://example.com/inbox")
    .option("--validity <seconds>", "how long the attribute is valid", DEFAULT_VALIDITY)
    .option("--signed", "print the owner's signature for a relayer instead of sending")
    .action(
      async (didArgument: string, name: string, value: string, options: { validity: string }, command: Command) => {
        const context = contextOf(command);
        await changeOrSign(command, "set attribute", {
          action: "setAttribute",
          identity: identityOf(context, didArgument),
          name: attributeName(name),
          value,
          validity: integerOf(options.validity, "--validity", 1),
        });
      },
    );
  attribute
    .command("revoke <did> <name> <value>")
    .description("revoke an attribute (name and value as set)")
    .option("--signed", "print the owner's signature for a relayer instead of sending")
    .action(async (didArgument: string, name: string, value: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      await changeOrSign(command, "revoke attribute", {
        action: "revokeAttribute",
        identity: identityOf(context, didArgument),
        name: attributeName(name),
        value,
      } as SignableChange);
    });

  did
    .command("deactivate <did>")
    .description("deactivate the DID for good (its owner becomes the zero address)")
    .option("--signed", "print the owner's signature for a relayer instead of sending")
    .action(async (didArgument: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      await changeOrSign(command, "deactivate DID", {
        action: "changeOwner",
        identity: identityOf(context, didArgument),
        newOwner: ZeroAddress,
      });
    });

  did
    .command("relay <signed.json>")
    .description("send a change signed with --signed (the signing key pays the gas)")
    .action(async (file: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      let signed: SignedChange;
      try {
        signed = JSON.parse(readFileSync(file, "utf8")) as SignedChange;
      } catch (error) {
        throw usage(`${file}: ${(error as Error).message}`);
      }
      if (typeof signed.change?.action !== "string" || typeof signed.sigR !== "string")
        throw usage(`${file} is not a signed change printed by --signed`);
      const client = await context.writer();
      const sent = await send(context, `relay ${signed.change.action}`, () => sendSignedChange(client, signed));
      printSent(globals(command), `relay ${signed.change.action}`, sent, { action: signed.change.action });
    });
}

/** An attribute name fits in bytes32. */
function attributeName(name: string): string {
  if (new TextEncoder().encode(name).length > 32) throw usage(`attribute name ${name} is longer than 32 bytes`);
  return name;
}
