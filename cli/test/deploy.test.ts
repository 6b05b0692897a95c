/**
 * The deployer's path end to end: `realdid deploy` to a second local chain (chain id 31338) from the repository with
 * the generic network's config variables, `deployments verify` all ok, a rerun that sends nothing, mismatches found
 * (swapped addresses, another governor) with exit 8, the admin hand-over on that chain, and the bad inputs: an
 * unknown network, no checkout, no RPC URL, a wrong chain, a key without funds and an unreachable chain, each with
 * its own exit code.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import { id, Wallet } from "ethers";
import { network } from "hardhat";

import { serveJsonRpc } from "@realdid/testkit/json-rpc";
import { devKey, ensureBuilt, ROOT, runCli, type Run } from "./helpers.ts";

interface CheckRow {
  contract: string;
  check: string;
  expected: string;
  actual: string;
  ok: boolean;
}

const CHAIN_ID = 31338;
const ADMIN_DELAY = 3600;

describe("realdid deploy and deployments verify", function () {
  this.timeout(300_000);
  const deployer = new Wallet(devKey(0));
  const governor = new Wallet(devKey(1));
  let chain: Awaited<ReturnType<typeof network.create>>;
  let server: Awaited<ReturnType<typeof serveJsonRpc>>;
  let scratch: string;
  let env: Record<string, string>;
  /** `realdid --network <name> ...args` from the repository root, deploying into the scratch directory. */
  const realdid = (name: string, args: string[], extra: Record<string, string> = {}): Promise<Run> =>
    runCli(ROOT, ["--network", name, ...args], { env: { ...env, ...extra } });
  const deploymentOf = (name: string) =>
    JSON.parse(readFileSync(join(scratch, "deployments", `${name}.json`), "utf8")) as {
      chainId: number;
      contracts: Record<string, { address: string; startBlock: number }>;
    };

  before(async () => {
    ensureBuilt();
    chain = await network.create({ override: { chainId: CHAIN_ID } });
    server = await serveJsonRpc(chain.provider);
    scratch = mkdtempSync(join(tmpdir(), "realdid-deploy-"));
    mkdirSync(join(scratch, "ignition", "parameters"), { recursive: true });
    writeFileSync(
      join(scratch, "ignition", "parameters", "devnet.json"),
      JSON.stringify({ RealDID: { governor: governor.address, adminDelay: ADMIN_DELAY } }),
    );
    env = {
      HOME: scratch,
      REALDID_RPC_URL: server.url,
      REALDID_DEPLOYER_KEY: deployer.privateKey,
      REALDID_DEPLOYMENTS: join(scratch, "deployments"),
      REALDID_IGNITION_DIR: join(scratch, "ignition"),
    };
  });
  after(() => server.close());

  it("deploys to chain 31338 with the generic network's variables and its parameters; verify finds all ok", async () => {
    const deployed = await realdid("devnet", ["--json", "deploy"]);
    expect(deployed.code, deployed.stderr).to.equal(0);
    const shown = deployed.json<{ network: string; chainId: number; contracts: Record<string, { address: string }> }>();
    expect(shown).to.include({ network: "devnet", chainId: CHAIN_ID });
    expect(Object.keys(shown.contracts)).to.include.members([
      "DIDRegistry",
      "IssuerRegistry",
      "StatusRegistry",
      "RealNameRegistry",
    ]);
    expect(deploymentOf("devnet").chainId).to.equal(CHAIN_ID);

    const verified = await realdid("devnet", ["--json", "deployments", "verify"]);
    expect(verified.code, verified.stderr).to.equal(0);
    const report = verified.json<{ ok: boolean; chainId: number; checks: CheckRow[] }>();
    expect(report.ok).to.equal(true);
    expect(report.checks.filter((row) => !row.ok)).to.deep.equal([]);
    const row = (check: string) => report.checks.find((r) => r.check === check);
    expect(row("defaultAdmin()")).to.include({ expected: governor.address, actual: governor.address });
    expect(row("defaultAdminDelay()")).to.include({ actual: String(ADMIN_DELAY) });
    expect(report.checks.filter((r) => r.check === "runtime code")).to.have.length(5);
    expect(report.checks.find((r) => r.check.startsWith("address from salt"))).to.include({
      contract: "DIDRegistry",
      actual: shown.contracts.DIDRegistry.address,
      ok: true,
    });

    const text = await realdid("devnet", ["deployments", "verify"]);
    expect(text.code).to.equal(0);
    expect(text.stdout).to.match(/^contract\s+check\s+expected\s+actual\s+ok$/m);
    expect(text.stdout).to.match(/all \d+ checks passed/);
  });

  it("resumes on a rerun: the same addresses and not one transaction sent", async () => {
    const before = deploymentOf("devnet");
    const nonce = await chain.ethers.provider.getTransactionCount(deployer.address);
    const head = await chain.ethers.provider.getBlockNumber();
    const again = await realdid("devnet", ["deploy"]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/deployed to devnet \(chain 31338\)/);
    expect(deploymentOf("devnet")).to.deep.equal(before);
    expect(await chain.ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
    expect(await chain.ethers.provider.getBlockNumber()).to.equal(head);
  });

  it("reports swapped addresses, another governor and another salt than the parameters' with exit 8", async () => {
    const deployment = deploymentOf("devnet");
    const { DIDRegistry, StatusRegistry } = deployment.contracts;
    writeFileSync(
      join(scratch, "deployments", "swapped.json"),
      JSON.stringify({
        ...deployment,
        network: "swapped",
        contracts: { ...deployment.contracts, DIDRegistry: StatusRegistry, StatusRegistry: DIDRegistry },
      }),
    );
    const swapped = await realdid("swapped", [
      "deployments",
      "verify",
      "--parameters",
      join(scratch, "ignition", "parameters", "devnet.json"),
    ]);
    expect(swapped.code).to.equal(8);
    expect(swapped.stderr).to.match(/deployment swapped: \d+ of \d+ checks do not match/);
    expect(swapped.stdout).to.match(/^RealNameRegistry\s+didRegistry\(\)\s+0x\w+\s+0x\w+\s+MISMATCH$/m);
    expect(swapped.stdout).to.match(/^DIDRegistry\s+runtime code\s+.*MISMATCH$/m);

    const stranger = Wallet.createRandom().address;
    writeFileSync(
      join(scratch, "wrong.json"),
      JSON.stringify({ RealDID: { governor: stranger, adminDelay: ADMIN_DELAY, salt: id("another salt") } }),
    );
    const wrong = await realdid("devnet", [
      "--json",
      "deployments",
      "verify",
      "--parameters",
      join(scratch, "wrong.json"),
    ]);
    expect(wrong.code).to.equal(8);
    const failed = wrong.json<{ ok: boolean; checks: CheckRow[] }>().checks.filter((row) => !row.ok);
    expect(failed.map((row) => row.check)).to.deep.equal([
      "defaultAdmin()",
      `hasRole(GOVERNOR_ROLE, ${stranger})`,
      `address from salt ${id("another salt").slice(0, 10)}…`,
    ]);
    expect(failed[0]).to.include({ expected: stranger, actual: governor.address });
  });

  it("hands the admin role over on that chain; verify then expects the new admin with --admin", async () => {
    const successor = new Wallet(devKey(9));
    const begun = await realdid("devnet", ["--yes", "governance", "begin", successor.address], {
      REALDID_PRIVATE_KEY: governor.privateKey,
    });
    expect(begun.code, begun.stderr).to.equal(0);
    await chain.provider.request({ method: "evm_increaseTime", params: [ADMIN_DELAY + 1] });
    await chain.provider.request({ method: "evm_mine", params: [] });
    const accepted = await realdid("devnet", ["--json", "--yes", "governance", "accept"], {
      REALDID_PRIVATE_KEY: successor.privateKey,
    });
    expect(accepted.code, accepted.stderr).to.equal(0);
    expect(accepted.json()).to.include({ step: "accept" }).and.to.include.keys("hash", "block", "gasUsed");
    const shown = await realdid("devnet", ["--json", "governance", "show"]);
    expect(shown.json()).to.include({ admin: successor.address, delay: ADMIN_DELAY });

    expect((await realdid("devnet", ["deployments", "verify"])).code).to.equal(8);
    const after = await realdid("devnet", [
      "deployments",
      "verify",
      "--admin",
      successor.address,
      "--governor",
      governor.address,
    ]);
    expect(after.code, after.stdout).to.equal(0);
  });

  describe("bad input", () => {
    const expectFailure = (run: Run, code: number, message: RegExp) => {
      expect(run.code, run.stderr).to.equal(code);
      expect(run.stderr).to.match(message);
      expect(run.stdout.trim()).to.equal("");
    };

    it("an unknown network: exit 3, naming the missing deployment file", async () => {
      expectFailure(
        await realdid("nowhere", ["deployments", "verify"]),
        3,
        /unknown network nowhere: .*nowhere\.json does not exist \(known: devnet(, swapped)?;/,
      );
    });

    it("no deployment files at all (not run from the repository root): exit 10", async () => {
      const elsewhere = mkdtempSync(join(tmpdir(), "realdid-elsewhere-"));
      const run = await runCli(elsewhere, ["--network", "devnet", "did", "owner", deployer.address]);
      expectFailure(
        run,
        10,
        /no deployment files: .*deployments does not exist \(run realdid from the repository root/,
      );
    });

    it("a network without an RPC URL: exit 3, naming the variable to set", async () => {
      const run = await runCli(ROOT, ["--network", "unset", "deploy"], { env: { ...env, REALDID_RPC_URL: "" } });
      expectFailure(run, 3, /network unset is not configured: REALDID_RPC_URL is not set/);
    });

    it("outside a checkout: exit 3, saying where to run it", async () => {
      for (const args of [["deploy"], ["deployments", "verify"]]) {
        const run = await runCli(scratch, ["--network", "devnet", ...args], { env });
        expectFailure(run, 3, /run it from the root of a RealDID checkout/);
      }
    });

    it("a wrong chain behind the RPC URL: exit 7, before anything is sent", async () => {
      const other = await network.create();
      const otherServer = await serveJsonRpc(other.provider);
      try {
        for (const args of [["deploy"], ["deployments", "verify"]]) {
          const run = await realdid("devnet", args, { REALDID_RPC_URL: otherServer.url });
          expectFailure(
            run,
            7,
            /wrong chain: the RPC URL serves chain 31337, deployments\/devnet\.json is for chain 31338/,
          );
        }
        expect(await other.ethers.provider.getBlockNumber()).to.equal(0);
        // npm run deploy alone (an RPC URL the CLI cannot see first, e.g. in hardhat-keystore) refuses it too.
        const script = await promisify(execFile)("npm", ["run", "--silent", "deploy", "--", "--network", "devnet"], {
          cwd: ROOT,
          env: { ...process.env, ...env, REALDID_NETWORK: "devnet", REALDID_RPC_URL: otherServer.url },
        }).then(
          () => ({ failed: false, stderr: "" }),
          (error: { stderr: string }) => ({ failed: true, stderr: error.stderr }),
        );
        expect(script.failed).to.equal(true);
        expect(script.stderr).to.match(
          /devnet\.json records chain 31338, but network devnet is chain 31337: not overwriting it/,
        );
        expect(deploymentOf("devnet").chainId).to.equal(CHAIN_ID);
        expect(await other.ethers.provider.getBlockNumber()).to.equal(0);
      } finally {
        await otherServer.close();
      }
    });

    it("a deployer key without funds: exit 6, and no deployment file", async () => {
      const empty = await network.create({ override: { chainId: CHAIN_ID + 1 } });
      const emptyServer = await serveJsonRpc(empty.provider);
      try {
        const run = await realdid("poor", ["deploy"], {
          REALDID_RPC_URL: emptyServer.url,
          REALDID_DEPLOYER_KEY: Wallet.createRandom().privateKey,
        });
        expect(run.code, run.stderr).to.equal(6);
        expect(run.stderr).to.match(/realdid: insufficient funds to pay for the transaction: .*enough funds/);
        expect(existsSync(join(scratch, "deployments", "poor.json"))).to.equal(false);
      } finally {
        await emptyServer.close();
      }
    });

    it("bad Ignition parameters: exit 3 when malformed, exit 9 when the deployment itself fails", async () => {
      const parameters = join(scratch, "ignition", "parameters", "broken.json");
      writeFileSync(parameters, JSON.stringify({ RealDID: { governor: "multisig" } }));
      const malformed = await realdid("broken", ["deploy"]);
      expectFailure(malformed, 3, /RealDID\.governor multisig is not an address/);

      const fresh = await network.create({ override: { chainId: CHAIN_ID + 2 } });
      const freshServer = await serveJsonRpc(fresh.provider);
      try {
        writeFileSync(parameters, JSON.stringify({ RealDID: { adminDelay: 2 ** 50 } })); // beyond uint48
        const failed = await realdid("broken", ["deploy"], { REALDID_RPC_URL: freshServer.url });
        expect(failed.code, failed.stderr).to.equal(9);
        expect(failed.stderr).to.match(
          /the deployment to broken failed \(npm run deploy exited with \d+; its output is above\)/,
        );
        expect(existsSync(join(scratch, "deployments", "broken.json"))).to.equal(false);
      } finally {
        await freshServer.close();
      }
    });

    it("an unreachable chain: exit 4", async () => {
      const run = await realdid("devnet", ["deployments", "verify"], { REALDID_RPC_URL: "http://127.0.0.1:9" });
      expectFailure(run, 4, /cannot reach the chain/);
    });
  });
});
