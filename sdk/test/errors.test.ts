/**
 * Typed errors: the generated contract error classes are current with `deployments/abis`, every contract's custom
 * errors have a class, and a real revert decodes into its class with its named arguments.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { Wallet } from "ethers";

import { generate } from "../scripts/generate.ts";
import { createClient } from "../src/actions/index.ts";
import { changeOwner } from "../src/actions/did-registry.ts";
import { networkFromDeployment } from "../src/config.ts";
import {
  CONTRACT_ERRORS,
  decodeContractError,
  DIDRegistryUnauthorizedActor,
  RealDIDError,
  UnknownContractError,
} from "../src/errors/index.ts";
import { rejection } from "./helpers.ts";
import { deployRealDID, type RealDIDChain } from "@realdid/testkit/subgraph";

const ABIS = join(import.meta.dirname, "..", "..", "deployments", "abis");

describe("SDK typed errors", function () {
  this.timeout(120_000);
  let chain: RealDIDChain;

  before(async () => {
    chain = await deployRealDID();
  });

  it("keeps the generated error classes and ABIs current with deployments/abis", () => {
    for (const [path, source] of generate()) expect(readFileSync(path, "utf8"), path).to.equal(source);
  });

  it("has a class with a literal name for every custom error of every contract", () => {
    for (const file of readdirSync(ABIS)) {
      const abi = JSON.parse(readFileSync(join(ABIS, file), "utf8")) as { type: string; name?: string }[];
      for (const { name } of abi.filter((item) => item.type === "error")) {
        const entry = CONTRACT_ERRORS[name as keyof typeof CONTRACT_ERRORS];
        expect(entry, `${file}: ${name}`).to.not.equal(undefined);
        expect(new entry.create({} as never).name).to.equal(name);
      }
    }
  });

  it("decodes a revert into its class with the named arguments", async () => {
    const [owner, stranger] = await chain.ethers.getSigners();
    const network = networkFromDeployment(chain.deployment, { provider: chain.ethers.provider });
    const asStranger = createClient(network, stranger);
    const error = await rejection(changeOwner(asStranger, { identity: owner.address, newOwner: stranger.address }));
    expect(error).to.be.instanceOf(DIDRegistryUnauthorizedActor);
    const decoded = error as DIDRegistryUnauthorizedActor;
    expect(decoded.name).to.equal("DIDRegistryUnauthorizedActor");
    expect(decoded).to.be.instanceOf(RealDIDError);
    expect(decoded.args).to.deep.equal({ identity: owner.address, actor: stranger.address, owner: owner.address });
    expect(decoded.message).to.contain(`actor=${stranger.address}`);
  });

  it("reports unknown revert data as UnknownContractError and errors without revert data as null", () => {
    const unknown = decodeContractError({ data: "0xdeadbeef00" });
    expect(unknown).to.be.instanceOf(UnknownContractError);
    expect(unknown!.name).to.equal("UnknownContractError");
    expect(decodeContractError(new Error("socket hang up"))).to.equal(null);
    expect(decodeContractError(Wallet.createRandom())).to.equal(null);
  });
});
