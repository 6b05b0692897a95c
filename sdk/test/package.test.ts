/**
 * The SDK as its users get it: built, packed with `npm pack`, installed from the tarball into an empty project with
 * the system's Node 20 and npm, and run there (test/fixtures/installed-probe.mjs) against the local chain over
 * JSON-RPC and the local indexer over HTTP: every subpath export loads, a per-site DID resolves through GraphQL
 * and through the chain, its sigAuth device key signs in (a replay is refused), and an accredited issuer's
 * real-name credential verifies, then fails once revoked.
 *
 * npm installs from its cache (`--offline`) when the cache holds every package, from the registry otherwise.
 */
import { execFile } from "node:child_process";
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import { encodeBytes32String, id, Wallet } from "ethers";

import { createGraphQLServer, type GraphQLServer } from "../../indexer/src/graphql/index.ts";
import {
  deployRealDID,
  startIndexer,
  temporaryDirectory,
  type IndexedSubgraph,
  type RealDIDChain,
} from "@realdid/testkit/subgraph";
import { siteIdentity } from "../src/keys/site.ts";
import { serveJsonRpc } from "@realdid/testkit/json-rpc";

const run = promisify(execFile);
const SDK = join(import.meta.dirname, "..");
const SYSTEM_NODE = "/usr/bin/node";
const SYSTEM_NPM = "/usr/lib/node_modules/npm/bin/npm-cli.js";
const WORDS = "test test test test test test test test test test test junk";
const SITE = "https://shop.example";
const ISSUER_KEY = id("sdk.package.issuer");

/** The environment of the system Node: its directory first on PATH, no npm_* settings of the npm running us. */
const systemEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_"))),
  PATH: `/usr/bin:${process.env.PATH}`,
});

/** Runs the system npm in `cwd`. */
const npm = (cwd: string, ...args: string[]) =>
  run(SYSTEM_NODE, [SYSTEM_NPM, ...args, "--no-audit", "--no-fund"], { cwd, env: systemEnv() });

describe("SDK package installed from its tarball on the system Node 20", function () {
  this.timeout(300_000);
  let chain: RealDIDChain;
  let subgraph: IndexedSubgraph;
  let graphqlServer: GraphQLServer;
  let rpc: Awaited<ReturnType<typeof serveJsonRpc>>;
  let project: string;

  before(async () => {
    const { stdout: version } = await run(SYSTEM_NODE, ["--version"]);
    expect(version.trim(), "the system Node").to.match(/^v20\./);

    chain = await deployRealDID();
    const network = `0x${chain.deployment.chainId.toString(16)}`;
    const holder = siteIdentity(WORDS, SITE, { network }).wallet.connect(chain.ethers.provider);
    const device = siteIdentity(WORDS, SITE, { network, index: 1 });
    await chain.networkHelpers.setBalance(holder.address, 10n ** 18n);
    const sigAuth = encodeBytes32String("sigAuth");
    await (
      await chain.didRegistry
        .connect(holder)
        .addDelegate(holder, sigAuth, device.address, 86_400, { gasLimit: 200_000 })
    ).wait();
    const issuer = new Wallet(ISSUER_KEY);
    await chain.networkHelpers.setBalance(issuer.address, 10n ** 18n);
    await (
      await chain.issuerRegistry.accredit(issuer.address, 2, "Probe Issuer", "https://probe.example", {
        gasLimit: 300_000,
      })
    ).wait();
    subgraph = await startIndexer(chain);
    await subgraph.sync();
    graphqlServer = await createGraphQLServer({
      store: subgraph.store,
      subgraphName: subgraph.subgraphName,
      port: 0,
    });
    rpc = await serveJsonRpc(chain.provider);

    await run(process.execPath, [join(SDK, "scripts", "build.ts")]);
    const packed = temporaryDirectory("sdk-pack");
    await npm(SDK, "pack", "--ignore-scripts", "--pack-destination", packed);
    const [tarball] = readdirSync(packed).filter((name) => name.endsWith(".tgz"));
    project = temporaryDirectory("sdk-install");
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "probe", private: true, type: "module" }));
    copyFileSync(join(SDK, "test", "fixtures", "installed-probe.mjs"), join(project, "probe.mjs"));
    const install = (mode: string) => npm(project, "install", mode, join(packed, tarball));
    await install("--offline").catch(() => install("--prefer-offline"));
  });

  after(async () => {
    await rpc?.close();
    await graphqlServer?.close();
    await subgraph?.close();
  });

  it("resolves a DID both ways, verifies a sign-in and a credential from the installed package", async () => {
    const input = {
      deployment: chain.deployment,
      rpcUrl: rpc.url,
      graphqlUrl: graphqlServer.url,
      words: WORDS,
      site: SITE,
      issuerKey: ISSUER_KEY,
    };
    const { stdout } = await run(SYSTEM_NODE, ["probe.mjs"], {
      cwd: project,
      env: { ...systemEnv(), PROBE_INPUT: JSON.stringify(input) },
    });
    const network = `0x${chain.deployment.chainId.toString(16)}`;
    const holder = siteIdentity(WORDS, SITE, { network });
    const device = siteIdentity(WORDS, SITE, { network, index: 1 });
    const probe = JSON.parse(stdout);
    expect(probe.node).to.match(/^v20\./);
    expect(probe.exports).to.equal(true);
    expect(probe.rootExports).to.be.greaterThan(50);
    expect(probe.graphql).to.deep.equal({ source: "graphql", delegated: true });
    expect(probe.rpc).to.deep.equal({ source: "rpc", delegated: true });
    expect(probe.session).to.deep.equal({ did: holder.did, signer: device.address });
    expect(probe.replay).to.equal("replayed");
    expect(probe.credential).to.deep.equal({ realName: "Zhang San", afterRevocation: "revoked", listed: true });
  });
});
