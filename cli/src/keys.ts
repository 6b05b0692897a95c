/**
 * Keys: a Web3 Secret Storage keystore file (ethers `encrypt` / `Wallet.fromEncryptedJson`) whose password comes
 * from `REALDID_PASSWORD` or a prompt, or a raw key from `REALDID_PRIVATE_KEY`. A private key is never taken from
 * the command line, where shell history and `ps` would show it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

import { isHexString, Wallet } from "ethers";

import { config, usage } from "./errors.js";

/** Whether an argument looks like a private key (32 bytes of hex, with or without 0x). */
export function looksLikePrivateKey(argument: string): boolean {
  return /^(0x)?[0-9a-fA-F]{64}$/.test(argument);
}

/** Option names that would carry a key on the command line. */
const KEY_OPTIONS = /^--(private-?key|priv-?key|pk|key|secret|mnemonic)(=|$)/i;

/**
 * Refuses a private key or a key option in argv before anything runs. 32-byte hex is allowed only as the value of
 * an option that takes one (salts, hashes, attribute values), never on its own.
 */
export function refuseKeyArguments(argv: readonly string[], hexOptions: ReadonlySet<string>): void {
  argv.forEach((argument, i) => {
    if (KEY_OPTIONS.test(argument))
      throw usage(
        `${argument.split("=")[0]}: a private key is never passed on the command line; use --keystore <file> or REALDID_PRIVATE_KEY`,
      );
    if (looksLikePrivateKey(argument) && !hexOptions.has(argv[i - 1] ?? ""))
      throw usage(
        "an argument looks like a private key: keys are never passed on the command line; use --keystore <file> or REALDID_PRIVATE_KEY",
      );
  });
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) return Promise.reject(config(`${question.trim()} needs a terminal`));
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    output._writeToOutput = () => {};
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}

/** The keystore password: `REALDID_PASSWORD`, else a prompt. */
export async function password(purpose: string): Promise<string> {
  const fromEnv = process.env.REALDID_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) throw config(`${purpose}: set REALDID_PASSWORD or run in a terminal to be asked`);
  return promptHidden(`${purpose} password: `);
}

/** A wallet from a private key in hex, or a clear error. */
export function walletFromKey(key: string, source: string): Wallet {
  const hex = key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`;
  if (!isHexString(hex, 32)) throw config(`${source} is not a private key (32 bytes of hex)`);
  try {
    return new Wallet(hex);
  } catch {
    throw config(`${source} is not a valid secp256k1 private key`);
  }
}

/** Decrypts a keystore file; a missing file or a wrong password is named. */
export async function readKeystore(file: string): Promise<Wallet> {
  if (!existsSync(file))
    throw config(`keystore ${file} does not exist (create one with \`realdid keys new --out ${file}\`)`);
  const json = readFileSync(file, "utf8");
  const secret = await password(`keystore ${file}`);
  try {
    const wallet = await Wallet.fromEncryptedJson(json, secret);
    return wallet instanceof Wallet ? wallet : new Wallet(wallet.privateKey);
  } catch (error) {
    const message = (error as Error).message;
    if (/password/i.test(message)) throw config(`keystore ${file}: wrong password`);
    throw config(`keystore ${file} is not a Web3 Secret Storage file: ${message}`);
  }
}

/** The signing key: `--keystore` (or `REALDID_KEYSTORE`), else `REALDID_PRIVATE_KEY`. */
export async function loadSigner(options: { keystore?: string }): Promise<Wallet> {
  // An empty variable counts as unset (`REALDID_KEYSTORE= realdid …` switches a keystore off for one command).
  const keystore = options.keystore || process.env.REALDID_KEYSTORE || undefined;
  if (keystore !== undefined) return readKeystore(keystore);
  const key = process.env.REALDID_PRIVATE_KEY || undefined;
  if (key !== undefined) return walletFromKey(key, "REALDID_PRIVATE_KEY");
  throw config("this command signs: give a key with --keystore <file> (or REALDID_KEYSTORE) or REALDID_PRIVATE_KEY");
}

/** Encrypts `wallet` into a new keystore file (refusing to overwrite one). */
export async function writeKeystore(wallet: Wallet, file: string): Promise<void> {
  if (existsSync(file)) throw usage(`${file} exists: choose another --out (a keystore is never overwritten)`);
  const secret = await password(`new keystore ${file}`);
  if (secret.length === 0) throw usage("the keystore password is empty");
  writeFileSync(file, await wallet.encrypt(secret), { mode: 0o600 });
}

/** The key for `keys import`: `REALDID_PRIVATE_KEY`, else a hidden prompt. */
export async function importedKey(): Promise<Wallet> {
  const fromEnv = process.env.REALDID_PRIVATE_KEY;
  if (fromEnv !== undefined) return walletFromKey(fromEnv, "REALDID_PRIVATE_KEY");
  if (!process.stdin.isTTY) throw config("keys import: set REALDID_PRIVATE_KEY or run in a terminal to be asked");
  return walletFromKey(await promptHidden("private key: "), "the key entered");
}
