/**
 * `@realdid/sdk/deployment`: runtime code against a build (immutables blanked, metadata apart) on real artifacts,
 * Ignition parameters read into expectations, and every check of a deployed trust stack, each able to fail.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { getBytes, hexlify, Wallet } from "ethers";

import {
  compareRuntimeCode,
  DEPLOYMENT_CONTRACTS,
  expectationsFromParameters,
  splitMetadata,
  verifyDeployment,
  type BuildArtifact,
} from "../src/deployment/index.ts";
import { ConfigurationError } from "../src/errors/index.ts";
import type { DeploymentFile } from "../src/config.ts";
import { ADMIN_DELAY, deploymentOfStack } from "@realdid/testkit/trust";
import { trustStackClients } from "./helpers.ts";

const artifactOf = (name: string): BuildArtifact =>
  JSON.parse(
    readFileSync(
      join(import.meta.dirname, "..", "..", "artifacts", "contracts", `${name}.sol`, `${name}.json`),
      "utf8",
    ),
  ) as BuildArtifact;

/** `hex` with `change` applied to a copy of its bytes. */
function edited(hex: string, change: (bytes: Uint8Array) => void): string {
  const bytes = getBytes(hex).slice();
  change(bytes);
  return hexlify(bytes);
}

describe("deployment checks", function () {
  describe("compareRuntimeCode", () => {
    const artifact = artifactOf("IssuerRegistry");
    const ranges = Object.values(artifact.immutableReferences ?? {}).flat();
    /** The build's code as deployed: its immutable (the DID registry's address) filled in. */
    const deployed = edited(artifact.deployedBytecode, (bytes) => {
      for (const { start, length } of ranges) bytes.fill(0xab, start, start + length);
    });

    it("matches deployed code whose immutables differ from the build's zeros", () => {
      expect(ranges).to.have.length.greaterThan(0);
      expect(deployed).to.not.equal(artifact.deployedBytecode);
      expect(compareRuntimeCode(deployed, artifact)).to.include({ codeMatches: true, metadataMatches: true });
    });

    it("tells a changed instruction from a changed metadata hash", () => {
      const { code } = splitMetadata(getBytes(deployed));
      const codeChanged = edited(deployed, (bytes) => (bytes[10] ^= 1));
      expect(compareRuntimeCode(codeChanged, artifact)).to.include({ codeMatches: false, metadataMatches: true });
      const metadataChanged = edited(deployed, (bytes) => (bytes[code.length + 10] ^= 1));
      expect(compareRuntimeCode(metadataChanged, artifact)).to.include({ codeMatches: true, metadataMatches: false });
    });

    it("finds no code at an empty account and another contract's code different", () => {
      expect(compareRuntimeCode("0x", artifact)).to.include({ codeMatches: false, metadataMatches: false });
      const other = artifactOf("DIDRegistry").deployedBytecode;
      expect(compareRuntimeCode(other, artifact).codeMatches).to.equal(false);
    });

    it("splits solc's CBOR tail by its trailing length and leaves code without one whole", () => {
      const { metadata } = splitMetadata(getBytes(artifact.deployedBytecode));
      expect(metadata[0]).to.equal(0xa2); // a two-entry map: ipfs, solc
      expect(metadata.length).to.equal(((metadata.at(-2) ?? 0) << 8) + (metadata.at(-1) ?? 0) + 2);
      expect(splitMetadata(getBytes("0x6001600055")).metadata).to.have.length(0);
    });
  });

  describe("expectationsFromParameters", () => {
    it("reads governor, adminDelay and salt and keeps the module's defaults for what is missing", () => {
      const governor = Wallet.createRandom().address;
      expect(
        expectationsFromParameters({ RealDID: { governor: governor.toLowerCase(), adminDelay: 60 } }),
      ).to.deep.equal({ admin: governor, adminDelay: 60 });
      expect(expectationsFromParameters({ RealDID: { salt: "0x" + "AB".repeat(32) } })).to.deep.equal({
        salt: "0x" + "ab".repeat(32),
      });
      expect(expectationsFromParameters({})).to.deep.equal({});
    });

    it("names a governor that is not an address, a delay that is not a whole number and a salt not 32 bytes", () => {
      expect(() => expectationsFromParameters({ RealDID: { governor: "multisig" } }))
        .to.throw(ConfigurationError)
        .with.property("message")
        .that.matches(/RealDID\.governor multisig is not an address/);
      expect(() => expectationsFromParameters({ RealDID: { adminDelay: "soon" } })).to.throw(/adminDelay soon/);
      expect(() => expectationsFromParameters({ RealDID: { salt: "0x01" } })).to.throw(/salt 0x01 is not 32 bytes/);
    });
  });

  describe("verifyDeployment", function () {
    this.timeout(60_000);
    let rows: Awaited<ReturnType<typeof verifyDeployment>>;
    let stack: Awaited<ReturnType<typeof trustStackClients>>["stack"];
    let deployment: DeploymentFile;
    const artifacts = Object.fromEntries(DEPLOYMENT_CONTRACTS.map((name) => [name, artifactOf(name)]));

    before(async () => {
      ({ stack } = await trustStackClients());
      deployment = await deploymentOfStack(stack, "test");
      rows = await verifyDeployment(stack.ethers.provider, deployment, {
        artifacts,
        expected: { admin: stack.admin.address, adminDelay: Number(ADMIN_DELAY) },
      });
    });

    it("passes every check of a deployment as built and configured", () => {
      expect(rows.filter((row) => !row.ok)).to.deep.equal([]);
      const checks = rows.map((row) => `${row.contract} ${row.check}`);
      for (const name of DEPLOYMENT_CONTRACTS)
        expect(checks).to.include.members([`${name} runtime code`, `${name} metadata`]);
      expect(checks).to.include.members([
        "IssuerRegistry didRegistry()",
        "StatusRegistry issuerRegistry()",
        "RealNameRegistry didRegistry()",
        "RealNameRegistry issuerRegistry()",
        "RealNameRegistry statusRegistry()",
        "IssuerRegistry defaultAdmin()",
        `IssuerRegistry hasRole(GOVERNOR_ROLE, ${stack.admin.address})`,
        "IssuerRegistry defaultAdminDelay()",
      ]);
    });

    it("takes the IssuerRegistry's creator as the admin when the parameters name none", async () => {
      const defaults = await verifyDeployment(stack.ethers.provider, deployment, { artifacts, expected: {} });
      const admin = defaults.find((row) => row.check === "defaultAdmin()");
      expect(admin).to.include({ expected: stack.admin.address, ok: true });
      // The module's default delay is two days; this stack was deployed with three.
      expect(defaults.find((row) => row.check === "defaultAdminDelay()")).to.include({ ok: false });
    });

    it("reports swapped addresses, a wrong admin, a missing governor and a missing contract", async () => {
      const { DIDRegistry, StatusRegistry } = deployment.contracts;
      const swapped: DeploymentFile = {
        ...deployment,
        contracts: { ...deployment.contracts, DIDRegistry: StatusRegistry, StatusRegistry: DIDRegistry },
      };
      const stranger = stack.stranger.address;
      const bad = await verifyDeployment(stack.ethers.provider, swapped, {
        artifacts,
        expected: { admin: stranger, governors: [stranger], adminDelay: Number(ADMIN_DELAY) },
      });
      const failed = bad.filter((row) => !row.ok).map((row) => `${row.contract} ${row.check}`);
      expect(failed).to.have.members([
        "DIDRegistry runtime code",
        "DIDRegistry metadata",
        "StatusRegistry runtime code",
        "StatusRegistry metadata",
        "IssuerRegistry didRegistry()",
        "StatusRegistry issuerRegistry()",
        "RealNameRegistry didRegistry()",
        "RealNameRegistry statusRegistry()",
        "IssuerRegistry defaultAdmin()",
        `IssuerRegistry hasRole(GOVERNOR_ROLE, ${stranger})`,
      ]);
      const rest = { ...deployment.contracts };
      delete rest.RealNameRegistry;
      const missing = await verifyDeployment(stack.ethers.provider, { ...deployment, contracts: rest }, { artifacts });
      expect(missing.find((row) => row.contract === "RealNameRegistry")).to.include({
        check: "address",
        actual: "missing",
        ok: false,
      });
    });
  });
});
