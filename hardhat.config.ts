import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/**
 * Any other EVM chain, without editing this file: `REALDID_NETWORK` names it (default `custom`), its JSON-RPC URL and
 * deployer key are config variables, read from the environment or from hardhat-keystore
 * (`npx hardhat keystore set REALDID_DEPLOYER_KEY`), and only when that network is used.
 */
const deployTarget = process.env.REALDID_NETWORK ?? "custom";

/** solc 0.8.30 as WebAssembly from the npm `solc` package: compiles offline, no download. */
const solcjs = require.resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  // `ignition/` holds the module, its per-network parameters and the journals of deployments; REALDID_IGNITION_DIR
  // keeps parameters and journals elsewhere (the CLI's deploy test uses a scratch directory).
  paths: { ignition: process.env.REALDID_IGNITION_DIR || "ignition" },
  solidity: {
    version: "0.8.30",
    path: solcjs,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: "prague",
    },
  },
  networks: {
    /**
     * `hardhat node --network wallClock` (the SDK benchmark): blocks mined faster than one a second keep the wall
     * clock's time instead of running ahead of it one second per block, so validities (revocations end a key's at its
     * block's time) are judged against the time ethr-did-resolver and the SDK take as now.
     */
    wallClock: { type: "edr-simulated", chainType: "l1", allowBlocksWithSameTimestamp: true },
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.RPC_URL ?? "http://127.0.0.1:8545",
    },
    ...(deployTarget === "localhost"
      ? {}
      : {
          [deployTarget]: {
            type: "http",
            chainType: "generic",
            url: configVariable("REALDID_RPC_URL"),
            accounts: [configVariable("REALDID_DEPLOYER_KEY")],
          },
        }),
  },
  test: {
    solidity: {
      // A fixed seed keeps fuzz gas figures in .gas-snapshot reproducible for `--snapshot-check`.
      fuzz: { runs: 256, seed: "0x5265616c444944" },
    },
  },
});
