/**
 * `realdid` end to end, as a holder and a relying party would use it: global options and their faults, keys
 * (keystore, environment, never argv), DIDs (create, resolve, owner, delegates, attributes, deactivation, signed
 * changes relayed), verify, disclose and sign-in. Each run is the built CLI on the system Node.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { encodeBytes32String, Wallet, ZeroAddress } from "ethers";

import { attestRealName, createClient, setAttestationStatus, type Client } from "../../sdk/src/actions/index.ts";
import { siteIdentity } from "../../sdk/src/keys/index.ts";
import { LEVEL } from "@realdid/testkit/trust";
import { devKey, runCli, startCliChain, type CliChain } from "./helpers.ts";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("realdid: global options, keys, holder and relying-party commands", function () {
  this.timeout(120_000);
  let chain: CliChain;
  let issuerClient: Client;
  const holderKey = devKey(5);
  const holder = new Wallet(holderKey).address;
  const asHolder = { REALDID_PRIVATE_KEY: holderKey };

  before(async () => {
    chain = await startCliChain();
    const { stack } = chain;
    issuerClient = createClient(
      {
        chainId: 31337,
        registry: await stack.didRegistry.getAddress(),
        realNameRegistry: await stack.realNameRegistry.getAddress(),
        provider: stack.ethers.provider,
      },
      stack.issuer,
    );
  });
  after(() => chain.close());

  describe("global options and faults", () => {
    it("prints help listing the commands and exits 0", async () => {
      const run = await chain.realdid(["--help"]);
      expect(run.code).to.equal(0);
      for (const command of ["keys", "did", "verify", "disclose", "signin"]) expect(run.stdout).to.include(command);
    });

    it("refuses a private key in argv, as an option or on its own, before anything runs (exit 2)", async () => {
      for (const args of [
        ["keys", "address", "--private-key", holderKey],
        ["keys", "address", `--private-key=${holderKey}`],
        ["keys", "import", "--out", "k.json", holderKey],
        ["did", "owner", holderKey.slice(2)],
      ]) {
        const run = await chain.realdid(args);
        expect(run.code, args.join(" ")).to.equal(2);
        expect(run.stderr).to.match(/never passed on the command line/);
        expect(run.stdout).to.equal("");
      }
    });

    it("names an unknown network, a wrong chain behind the RPC URL and an unreachable chain (exits 3, 7, 4)", async () => {
      const unknown = await runCli(chain.dir, ["--network", "nowhere", "did", "owner", holder]);
      expect(unknown.code).to.equal(3);
      expect(unknown.stderr).to.match(/unknown network nowhere: .*deployments\/nowhere\.json does not exist/);

      const deployment = JSON.parse(readFileSync(join(chain.dir, "deployments", "test.json"), "utf8"));
      writeFileSync(
        join(chain.dir, "deployments", "other.json"),
        JSON.stringify({ ...deployment, network: "other", chainId: 5 }),
      );
      const wrongChain = await runCli(chain.dir, ["--network", "other", "--rpc", chain.rpcUrl, "did", "owner", holder]);
      expect(wrongChain.code).to.equal(7);
      expect(wrongChain.stderr).to.match(
        /wrong chain: the RPC URL serves chain 31337, deployments\/other\.json is for chain 5/,
      );

      const noRpc = await runCli(chain.dir, ["--network", "other", "did", "owner", holder]);
      expect(noRpc.code).to.equal(3);
      expect(noRpc.stderr).to.match(/give its JSON-RPC URL with --rpc/);

      const down = await runCli(chain.dir, [
        "--network",
        "test",
        "--rpc",
        "http://127.0.0.1:9",
        "did",
        "owner",
        holder,
      ]);
      expect(down.code).to.equal(4);
      expect(down.stderr).to.match(/cannot reach the chain/);
    });

    it("names a bad argument (exit 2): a DID of another chain, a bad address, a level out of range", async () => {
      const otherChain = await chain.realdid(["did", "owner", `did:ethr:0x1:${holder}`]);
      expect(otherChain.code).to.equal(2);
      expect(otherChain.stderr).to.match(/is a DID of network 0x1, not of test/);
      const badDelegate = await chain.realdid(["--yes", "did", "delegate", "add", holder, "0x1234"], { env: asHolder });
      expect(badDelegate.code).to.equal(2);
      expect(badDelegate.stderr).to.match(/delegate 0x1234 is not an address/);
      const badLevel = await chain.realdid(["verify", holder, "--level", "4"]);
      expect(badLevel.code).to.equal(2);
      expect(badLevel.stderr).to.match(/--level 4 is out of range \(1\.\.3\)/);
      const unknownCommand = await chain.realdid(["frobnicate"]);
      expect(unknownCommand.code).to.equal(2);
    });

    it("asks for --yes before sending without a terminal, and sends nothing (exit 2)", async () => {
      const run = await chain.realdid(["did", "delegate", "add", holder, Wallet.createRandom().address], {
        env: asHolder,
      });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(/pass --yes/);
      expect(await chain.stack.didRegistry.changed(holder)).to.equal(0n);
    });

    it("reports a sender without funds (exit 6)", async () => {
      const poor = Wallet.createRandom();
      const run = await chain.realdid(["--yes", "did", "delegate", "add", poor.address, holder], {
        env: { REALDID_PRIVATE_KEY: poor.privateKey },
      });
      expect(run.code).to.equal(6);
      expect(run.stderr).to.match(/insufficient funds/);
    });
  });

  describe("keys", () => {
    it("keys new writes a keystore that keys address decrypts; a wrong password and an overwrite are refused", async () => {
      const created = await chain.realdid(["--json", "keys", "new", "--out", "new.json"], {
        env: { REALDID_PASSWORD: "pw" },
      });
      expect(created.code, created.stderr).to.equal(0);
      const { address } = created.json<{ address: string }>();
      const keystore = JSON.parse(readFileSync(join(chain.dir, "new.json"), "utf8"));
      expect(`0x${keystore.address}`.toLowerCase()).to.equal(address.toLowerCase());

      const read = await chain.realdid(["--json", "--keystore", "new.json", "keys", "address"], {
        env: { REALDID_PASSWORD: "pw" },
      });
      expect(read.json()).to.deep.equal({ address });
      const wrong = await chain.realdid(["--keystore", "new.json", "keys", "address"], {
        env: { REALDID_PASSWORD: "no" },
      });
      expect(wrong.code).to.equal(3);
      expect(wrong.stderr).to.match(/keystore new\.json: wrong password/);
      const noPassword = await chain.realdid(["--keystore", "new.json", "keys", "address"]);
      expect(noPassword.code).to.equal(3);
      expect(noPassword.stderr).to.match(/set REALDID_PASSWORD or run in a terminal/);
      const again = await chain.realdid(["keys", "new", "--out", "new.json"], { env: { REALDID_PASSWORD: "pw" } });
      expect(again.code).to.equal(2);
      expect(again.stderr).to.match(/new\.json exists/);
    });

    it("keys import encrypts the key from REALDID_PRIVATE_KEY; no key at all is named (exit 3)", async () => {
      const imported = await chain.realdid(["--json", "keys", "import", "--out", "holder.json"], {
        env: { ...asHolder, REALDID_PASSWORD: "pw" },
      });
      expect(imported.json()).to.deep.equal({ address: holder, keystore: "holder.json" });
      const read = await chain.realdid(["--keystore", "holder.json", "keys", "address"], {
        env: { REALDID_PASSWORD: "pw" },
      });
      expect(read.stdout.trim()).to.equal(holder);
      const bad = await chain.realdid(["keys", "address"], { env: { REALDID_PRIVATE_KEY: "0x1234" } });
      expect(bad.code).to.equal(3);
      expect(bad.stderr).to.match(/REALDID_PRIVATE_KEY is not a private key/);
      const none = await chain.realdid(["keys", "address"]);
      expect(none.code).to.equal(3);
      expect(none.stderr).to.match(/give a key with --keystore/);
    });
  });

  describe("did", () => {
    it("did create --site derives the SDK's per-site DID from REALDID_MNEMONIC; sites differ; a new phrase is printed once", async () => {
      const run = await chain.realdid(["--json", "did", "create", "--site", "https://shop.example"], {
        env: { REALDID_MNEMONIC: MNEMONIC },
      });
      const expected = siteIdentity(MNEMONIC, "https://shop.example", { network: "0x7a69" });
      expect(run.json()).to.deep.equal({
        did: expected.did,
        address: expected.address,
        path: expected.path,
        origin: expected.origin,
      });
      const other = await chain.realdid(["--json", "did", "create", "--site", "https://news.example"], {
        env: { REALDID_MNEMONIC: MNEMONIC },
      });
      expect(other.json<{ did: string }>().did).to.not.equal(expected.did);
      const fresh = await chain.realdid(["--json", "did", "create"]);
      const { mnemonic, did } = fresh.json<{ mnemonic: string; did: string }>();
      expect(mnemonic.split(" ")).to.have.length(12);
      expect(did).to.match(/^did:ethr:0x7a69:0x[0-9a-fA-F]{40}$/);
      const badSite = await chain.realdid(["did", "create", "--site", "not a site"], {
        env: { REALDID_MNEMONIC: MNEMONIC },
      });
      expect(badSite.code).to.equal(3);
      const badPhrase = await chain.realdid(["did", "create"], { env: { REALDID_MNEMONIC: "one two three" } });
      expect(badPhrase.code).to.equal(3);
      expect(badPhrase.stderr).to.match(/not a valid BIP-39 recovery phrase/);
    });

    it("adds and revokes a delegate, sets an attribute the resolved document shows, with --json shapes", async () => {
      const device = Wallet.createRandom().address;
      const did = `did:ethr:0x7a69:${holder}`;
      const added = await chain.realdid(
        ["--json", "--yes", "did", "delegate", "add", did, device, "--type", "sigAuth"],
        {
          env: asHolder,
        },
      );
      expect(added.code, added.stderr).to.equal(0);
      expect(added.json()).to.include.keys("hash", "block", "gasUsed", "action", "identity");
      expect(await chain.stack.didRegistry.validDelegate(holder, encodeBytes32String("sigAuth"), device)).to.equal(
        true,
      );

      const set = await chain.realdid(
        ["--yes", "did", "attribute", "set", did, "did/svc/Inbox", "https://inbox.example"],
        {
          env: asHolder,
        },
      );
      expect(set.code, set.stderr).to.equal(0);
      const resolved = await chain.realdid(["--json", "did", "resolve", did]);
      const { didDocument } = resolved.json<{
        didDocument: { service: { type: string; serviceEndpoint: string }[] };
      }>();
      expect(didDocument.service.map((s) => [s.type, s.serviceEndpoint])).to.deep.equal([
        ["Inbox", "https://inbox.example"],
      ]);

      const revoked = await chain.realdid(["--yes", "did", "delegate", "revoke", did, device], { env: asHolder });
      expect(revoked.code, revoked.stderr).to.equal(0);
      expect(revoked.stdout).to.match(/revoke delegate: transaction 0x[0-9a-f]{64} in block \d+/);
      expect(await chain.stack.didRegistry.validDelegate(holder, encodeBytes32String("sigAuth"), device)).to.equal(
        false,
      );

      const badType = await chain.realdid(["--yes", "did", "delegate", "add", did, device, "--type", "admin"], {
        env: asHolder,
      });
      expect(badType.code).to.equal(2);
      expect(badType.stderr).to.match(/--type admin: a delegate type is sigAuth or veriKey/);
    });

    it("--signed prints the owner's signature; did relay sends it with another key (the relayer pays)", async () => {
      const device = Wallet.createRandom().address;
      const signed = await chain.realdid(["--json", "did", "delegate", "add", holder, device, "--signed"], {
        env: asHolder,
      });
      expect(signed.code, signed.stderr).to.equal(0);
      expect(signed.json()).to.include.keys("change", "sigV", "sigR", "sigS");
      writeFileSync(join(chain.dir, "signed.json"), signed.stdout);
      const relayed = await chain.realdid(["--json", "--yes", "did", "relay", "signed.json"], {
        env: { REALDID_PRIVATE_KEY: devKey(7) },
      });
      expect(relayed.code, relayed.stderr).to.equal(0);
      expect(await chain.stack.didRegistry.validDelegate(holder, encodeBytes32String("sigAuth"), device)).to.equal(
        true,
      );
      const replay = await chain.realdid(["--yes", "did", "relay", "signed.json"], {
        env: { REALDID_PRIVATE_KEY: devKey(7) },
      });
      expect(replay.code).to.equal(5);
      expect(replay.stderr).to.match(/reverted with DIDRegistryUnauthorizedActor/);
    });

    it("a change by a key that does not own the DID is the decoded contract error (exit 5)", async () => {
      const run = await chain.realdid(["--yes", "did", "delegate", "add", holder, Wallet.createRandom().address], {
        env: { REALDID_PRIVATE_KEY: devKey(7) },
      });
      expect(run.code).to.equal(5);
      expect(run.stderr).to.match(/reverted with DIDRegistryUnauthorizedActor\(identity=0x/);
    });

    it("did owner <did> <new-owner> rotates the key, sent or --signed for a relayer; the old key is then refused", async () => {
      const identity = new Wallet(devKey(9));
      const next = Wallet.createRandom();
      const rotated = await chain.realdid(["--json", "--yes", "did", "owner", identity.address, next.address], {
        env: { REALDID_PRIVATE_KEY: identity.privateKey },
      });
      expect(rotated.code, rotated.stderr).to.equal(0);
      expect(rotated.json()).to.include({ action: "changeOwner", identity: identity.address });
      expect(rotated.json()).to.include.keys("hash", "block", "gasUsed");
      expect((await chain.realdid(["--json", "did", "owner", identity.address])).json()).to.include({
        owner: next.address,
      });
      const stale = await chain.realdid(["--yes", "did", "owner", identity.address, holder], {
        env: { REALDID_PRIVATE_KEY: identity.privateKey },
      });
      expect(stale.code).to.equal(5);
      expect(stale.stderr).to.match(/DIDRegistryUnauthorizedActor/);

      const third = Wallet.createRandom().address;
      const signed = await chain.realdid(["--json", "did", "owner", identity.address, third, "--signed"], {
        env: { REALDID_PRIVATE_KEY: next.privateKey },
      });
      expect(signed.code, signed.stderr).to.equal(0);
      writeFileSync(join(chain.dir, "rotate.json"), signed.stdout);
      const relayed = await chain.realdid(["--yes", "did", "relay", "rotate.json"], {
        env: { REALDID_PRIVATE_KEY: devKey(7) },
      });
      expect(relayed.code, relayed.stderr).to.equal(0);
      expect(await chain.stack.didRegistry.identityOwner(identity.address)).to.equal(third);

      const zero = await chain.realdid(["--yes", "did", "owner", identity.address, ZeroAddress], {
        env: { REALDID_PRIVATE_KEY: devKey(9) },
      });
      expect(zero.code).to.equal(2);
      expect(zero.stderr).to.match(/use `did deactivate`/);
    });

    it("did owner follows a deactivation; a change after it is refused", async () => {
      const key = devKey(6);
      const identity = new Wallet(key).address;
      const before = await chain.realdid(["--json", "did", "owner", identity]);
      expect(before.json()).to.deep.equal({ identity, owner: identity, deactivated: false });
      const gone = await chain.realdid(["--yes", "did", "deactivate", identity], { env: { REALDID_PRIVATE_KEY: key } });
      expect(gone.code, gone.stderr).to.equal(0);
      const after = await chain.realdid(["--json", "did", "owner", identity]);
      expect(after.json()).to.deep.equal({ identity, owner: ZeroAddress, deactivated: true });
      const late = await chain.realdid(["--yes", "did", "delegate", "add", identity, holder], {
        env: { REALDID_PRIVATE_KEY: key },
      });
      expect(late.code).to.equal(5);
    });
  });

  describe("verify, disclose, signin", () => {
    let salt: string;
    before(async () => {
      const expiry = Math.floor(Date.now() / 1000) + 86_400 * 365;
      const attested = await attestRealName(issuerClient, {
        issuer: chain.stack.issuer.address,
        identity: holder,
        level: LEVEL.DOCUMENT,
        expiry,
        realName: "Zhang San",
      });
      await attested.tx.wait();
      salt = attested.salt;
    });

    it("verify exits 0 when verified and 1 with the reason's name when not", async () => {
      const ok = await chain.realdid(["--json", "verify", `did:ethr:0x7a69:${holder}`, "--level", "2"]);
      expect(ok.code).to.equal(0);
      expect(ok.json()).to.include({
        verified: true,
        reason: "Verified",
        issuer: chain.stack.issuer.address,
        level: 2,
      });
      const tooHigh = await chain.realdid(["verify", holder, "--level", "3"]);
      expect(tooHigh.code).to.equal(1);
      expect(tooHigh.stdout).to.match(/not verified at level 3: LevelTooLow/);
      const nobody = await chain.realdid(["--json", "verify", Wallet.createRandom().address, "--level", "1"]);
      expect(nobody.code).to.equal(1);
      expect(nobody.json()).to.include({ verified: false, reason: "NoAttestation" });
    });

    it("disclose publishes the name (verify shows it); a wrong salt is the contract's error, a malformed one a usage error", async () => {
      const wrong = await chain.realdid(["--yes", "disclose", holder, "--name", "Li Si", "--salt", salt], {
        env: asHolder,
      });
      expect(wrong.code).to.equal(5);
      expect(wrong.stderr).to.match(/RealNameRegistryCommitmentMismatch/);
      const malformed = await chain.realdid(["--yes", "disclose", holder, "--name", "Zhang San", "--salt", "0x12"], {
        env: asHolder,
      });
      expect(malformed.code).to.equal(2);
      const done = await chain.realdid(["--yes", "disclose", holder, "--name", "Zhang San", "--salt", salt], {
        env: asHolder,
      });
      expect(done.code, done.stderr).to.equal(0);
      const shown = await chain.realdid(["--json", "verify", holder, "--level", "1"]);
      expect(shown.json()).to.include({ disclosedName: "Zhang San" });
    });

    it("signin: challenge, sign, verify accepted (exit 0); another domain's challenge refused (exit 1); revoked fails --level", async () => {
      const challenge = await chain.realdid([
        "--json",
        "signin",
        "challenge",
        "--domain",
        "shop.example",
        "--uri",
        "https://shop.example/login",
      ]);
      expect(challenge.json()).to.include({ domain: "shop.example", chainId: 31337 });
      writeFileSync(join(chain.dir, "challenge.json"), challenge.stdout);
      const did = `did:ethr:0x7a69:${holder}`;
      const signed = await chain.realdid(["--json", "signin", "sign", "challenge.json", "--did", did], {
        env: asHolder,
      });
      expect(signed.json()).to.include.keys("message", "signature");
      writeFileSync(join(chain.dir, "signin.json"), signed.stdout);
      const accepted = await chain.realdid([
        "--json",
        "signin",
        "verify",
        "challenge.json",
        "signin.json",
        "--level",
        "2",
      ]);
      expect(accepted.code, accepted.stderr).to.equal(0);
      expect(accepted.json<{ session: { did: string } }>().session.did).to.equal(did);

      const other = { ...challenge.json(), domain: "evil.example" };
      writeFileSync(join(chain.dir, "other.challenge.json"), JSON.stringify(other));
      const refused = await chain.realdid(["--json", "signin", "verify", "other.challenge.json", "signin.json"]);
      expect(refused.code).to.equal(1);
      expect(refused.json()).to.include({ accepted: false, reason: "wrongDomain" });

      await (await setAttestationStatus(issuerClient, { identity: holder, status: "revoked" })).wait();
      const revoked = await chain.realdid([
        "--json",
        "signin",
        "verify",
        "challenge.json",
        "signin.json",
        "--level",
        "2",
      ]);
      expect(revoked.code).to.equal(1);
      expect(revoked.json()).to.include({ accepted: false, reason: "notVerified" });
      const verify = await chain.realdid(["verify", holder, "--level", "1"]);
      expect(verify.stdout).to.match(/Revoked/);
    });
  });
});
