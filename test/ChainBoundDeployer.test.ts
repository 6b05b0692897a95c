import { expect } from "chai";
import { AbiCoder, getCreate2Address, id, keccak256 } from "ethers";
import { network } from "hardhat";

import { chainWithDeployer, DEPLOY_OVERRIDES } from "./helpers/chains.ts";

const { ethers, networkHelpers } = await network.create();

const SALT = id("realdid.test.salt");

async function deployFactory() {
  const [deployer, other] = await ethers.getSigners();
  const factory = await ethers.deployContract("ChainBoundDeployer");
  const initCode = (await ethers.getContractFactory("DIDRegistry")).bytecode;
  return { deployer, other, factory, initCode, initCodeHash: keccak256(initCode) };
}

/** The address the factory documents: CREATE2 under `keccak256(abi.encode(chainId, deployer, salt))`. */
function boundAddress(factory: string, chainId: bigint, deployer: string, salt: string, initCodeHash: string): string {
  const boundSalt = keccak256(
    AbiCoder.defaultAbiCoder().encode(["uint256", "address", "bytes32"], [chainId, deployer, salt]),
  );
  return getCreate2Address(factory, boundSalt, initCodeHash);
}

describe("ChainBoundDeployer", function () {
  describe("deploy", function () {
    it("deploys at the address computeAddress predicts, with the chain id and caller bound into the salt", async function () {
      const { deployer, factory, initCode, initCodeHash } = await networkHelpers.loadFixture(deployFactory);
      const { chainId } = await ethers.provider.getNetwork();
      const predicted = await factory.computeAddress(deployer.address, SALT, initCodeHash);
      expect(predicted).to.equal(
        boundAddress(await factory.getAddress(), chainId, deployer.address, SALT, initCodeHash),
      );

      expect(await factory.deploy.staticCall(SALT, initCode)).to.equal(predicted);
      await factory.deploy(SALT, initCode, DEPLOY_OVERRIDES);
      const registry = await ethers.getContractAt("DIDRegistry", predicted);
      expect(await registry.version()).to.equal("1.0.0");
    });

    it("emits ContractDeployed with the address, caller, salt, chain id and init code hash", async function () {
      const { deployer, factory, initCode, initCodeHash } = await networkHelpers.loadFixture(deployFactory);
      const { chainId } = await ethers.provider.getNetwork();
      const predicted = await factory.computeAddress(deployer.address, SALT, initCodeHash);
      await expect(factory.deploy(SALT, initCode, DEPLOY_OVERRIDES))
        .to.emit(factory, "ContractDeployed")
        .withArgs(predicted, deployer.address, SALT, chainId, initCodeHash);
    });

    it("binds the salt to the caller: another caller with the same salt gets its own address", async function () {
      const { deployer, other, factory, initCode, initCodeHash } = await networkHelpers.loadFixture(deployFactory);
      const mine = await factory.computeAddress(deployer.address, SALT, initCodeHash);
      const theirs = await factory.computeAddress(other.address, SALT, initCodeHash);
      expect(theirs).to.not.equal(mine);

      await factory.deploy(SALT, initCode, DEPLOY_OVERRIDES);
      await expect(factory.connect(other).deploy(SALT, initCode, DEPLOY_OVERRIDES))
        .to.emit(factory, "ContractDeployed")
        .withArgs(theirs, other.address, SALT, (await ethers.provider.getNetwork()).chainId, initCodeHash);
      expect(await ethers.provider.getCode(mine)).to.not.equal("0x");
      expect(await ethers.provider.getCode(theirs)).to.not.equal("0x");
    });

    it("reverts with FailedDeployment when a caller reuses a salt for the same init code", async function () {
      const { factory, initCode } = await networkHelpers.loadFixture(deployFactory);
      await factory.deploy(SALT, initCode, DEPLOY_OVERRIDES);
      await expect(factory.deploy(SALT, initCode, DEPLOY_OVERRIDES)).to.be.revertedWithCustomError(
        factory,
        "FailedDeployment",
      );
    });

    it("reverts with Create2EmptyBytecode for empty init code", async function () {
      const { factory } = await networkHelpers.loadFixture(deployFactory);
      await expect(factory.deploy(SALT, "0x", DEPLOY_OVERRIDES)).to.be.revertedWithCustomError(
        factory,
        "Create2EmptyBytecode",
      );
    });
  });

  describe("chain binding", function () {
    it("puts the same caller, salt and init code at different addresses on different chains", async function () {
      const chains = await Promise.all([chainWithDeployer(1001), chainWithDeployer(1002)]);
      const factories = await Promise.all(chains.map(({ factory }) => factory.getAddress()));
      expect(factories[0]).to.equal(factories[1]);

      const initCode = (await chains[0].ethers.getContractFactory("DIDRegistry")).bytecode;
      const initCodeHash = keccak256(initCode);
      const deployed: string[] = [];
      for (const { factory, deployer, ethers: chainEthers } of chains) {
        const { chainId } = await chainEthers.provider.getNetwork();
        const predicted = await factory.computeAddress(deployer.address, SALT, initCodeHash);
        expect(predicted).to.equal(boundAddress(factories[0], chainId, deployer.address, SALT, initCodeHash));
        await expect(factory.deploy(SALT, initCode, DEPLOY_OVERRIDES))
          .to.emit(factory, "ContractDeployed")
          .withArgs(predicted, deployer.address, SALT, chainId, initCodeHash);
        deployed.push(predicted);
      }
      expect(deployed[0]).to.not.equal(deployed[1]);
    });
  });
});
