import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { network } from "hardhat";

import {
  ADMIN_DELAY,
  DAY,
  deployTrustStack,
  IssuerStatus,
  LEVEL,
  now,
  SIG_AUTH,
  TX,
  VERI_KEY,
  YEAR,
} from "@realdid/testkit/trust";

const { ethers, networkHelpers } = await network.create();

const fixture = () => deployTrustStack(ethers);

const inAYear = async () => (await now(ethers)) + YEAR;

describe("IssuerRegistry", function () {
  describe("deployment", function () {
    it("reports version, DID registry, roles and level bounds", async function () {
      const { issuerRegistry, didRegistry, admin } = await networkHelpers.loadFixture(fixture);
      expect(await issuerRegistry.version()).to.equal("2.0.0");
      expect(await issuerRegistry.DEFAULT_MAX_LIFETIME()).to.equal(3650n * DAY);
      expect(await issuerRegistry.MAX_LIFETIME()).to.equal(18250n * DAY);
      expect(await issuerRegistry.didRegistry()).to.equal(await didRegistry.getAddress());
      expect(await issuerRegistry.MAX_LEVEL()).to.equal(3);
      expect(await issuerRegistry.VERI_KEY()).to.equal(VERI_KEY);
      expect(await issuerRegistry.owner()).to.equal(admin.address);
      expect(await issuerRegistry.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      expect(await issuerRegistry.hasRole(await issuerRegistry.GOVERNOR_ROLE(), admin.address)).to.equal(true);
    });

    it("rejects a zero DID registry", async function () {
      const { issuerRegistry, admin } = await networkHelpers.loadFixture(fixture);
      await expect(
        ethers.deployContract("IssuerRegistry", [admin.address, ADMIN_DELAY, ZeroAddress]),
      ).to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryZeroAddress");
    });

    it("hands the admin role over only after the delay", async function () {
      const { issuerRegistry, admin, other } = await networkHelpers.loadFixture(fixture);
      await issuerRegistry.connect(admin).beginDefaultAdminTransfer(other.address, TX);
      await expect(issuerRegistry.connect(other).acceptDefaultAdminTransfer(TX)).to.be.revertedWithCustomError(
        issuerRegistry,
        "AccessControlEnforcedDefaultAdminDelay",
      );
      await networkHelpers.time.increase(ADMIN_DELAY + 1n);
      await issuerRegistry.connect(other).acceptDefaultAdminTransfer(TX);
      expect(await issuerRegistry.owner()).to.equal(other.address);
    });
  });

  describe("accredit", function () {
    it("records an active issuer and emits its metadata", async function () {
      const { issuerRegistry, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(issuerRegistry.accredit(stranger.address, LEVEL.DOCUMENT, "Verifier", "https://v.example", TX))
        .to.emit(issuerRegistry, "IssuerAccredited")
        .withArgs(stranger.address, LEVEL.DOCUMENT, "Verifier", "https://v.example")
        .and.to.emit(issuerRegistry, "IssuerMaxLifetimeSet")
        .withArgs(stranger.address, 3650n * DAY);
      const record = await issuerRegistry.getIssuer(stranger.address);
      expect(record.status).to.equal(IssuerStatus.Active);
      expect(record.maxLevel).to.equal(LEVEL.DOCUMENT);
      expect(record.accreditedAt).to.equal(record.updatedAt);
      expect(record.maxLifetime).to.equal(3650n * DAY);
      expect(await issuerRegistry.issuerStanding(stranger.address)).to.deep.equal([
        IssuerStatus.Active,
        BigInt(LEVEL.DOCUMENT),
      ]);
    });

    it("is governor only", async function () {
      const { issuerRegistry, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(issuerRegistry.connect(stranger).accredit(stranger.address, 1, "", "", TX))
        .to.be.revertedWithCustomError(issuerRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await issuerRegistry.GOVERNOR_ROLE());
    });

    it("rejects the zero address, invalid levels and a second accreditation, even after removal", async function () {
      const { issuerRegistry, issuer, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(issuerRegistry.accredit(ZeroAddress, 1, "", "", TX)).to.be.revertedWithCustomError(
        issuerRegistry,
        "IssuerRegistryZeroAddress",
      );
      for (const level of [0, 4]) {
        await expect(issuerRegistry.accredit(stranger.address, level, "", "", TX))
          .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidLevel")
          .withArgs(level);
      }
      await expect(issuerRegistry.accredit(issuer.address, 1, "", "", TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryAlreadyAccredited")
        .withArgs(issuer.address, IssuerStatus.Active);
      await issuerRegistry.remove(issuer.address, "fraud", TX);
      await expect(issuerRegistry.accredit(issuer.address, 1, "", "", TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryAlreadyAccredited")
        .withArgs(issuer.address, IssuerStatus.Removed);
    });
  });

  describe("life cycle", function () {
    it("updates, suspends, reinstates and removes with events", async function () {
      const { issuerRegistry, issuer } = await networkHelpers.loadFixture(fixture);
      await expect(issuerRegistry.updateIssuer(issuer.address, LEVEL.DOCUMENT, "PSB", "https://new.example", TX))
        .to.emit(issuerRegistry, "IssuerUpdated")
        .withArgs(issuer.address, LEVEL.DOCUMENT, "PSB", "https://new.example");
      expect((await issuerRegistry.getIssuer(issuer.address)).maxLevel).to.equal(LEVEL.DOCUMENT);
      await expect(issuerRegistry.suspend(issuer.address, "audit", TX))
        .to.emit(issuerRegistry, "IssuerSuspended")
        .withArgs(issuer.address, "audit");
      expect((await issuerRegistry.getIssuer(issuer.address)).status).to.equal(IssuerStatus.Suspended);
      await expect(issuerRegistry.updateIssuer(issuer.address, LEVEL.BIOMETRIC, "PSB", "", TX)).to.emit(
        issuerRegistry,
        "IssuerUpdated",
      );
      await expect(issuerRegistry.reinstate(issuer.address, TX))
        .to.emit(issuerRegistry, "IssuerReinstated")
        .withArgs(issuer.address);
      expect((await issuerRegistry.getIssuer(issuer.address)).status).to.equal(IssuerStatus.Active);
      await expect(issuerRegistry.remove(issuer.address, "fraud", TX))
        .to.emit(issuerRegistry, "IssuerRemoved")
        .withArgs(issuer.address, "fraud");
      expect((await issuerRegistry.getIssuer(issuer.address)).status).to.equal(IssuerStatus.Removed);
    });

    it("rejects transitions from the wrong state", async function () {
      const { issuerRegistry, issuer, stranger } = await networkHelpers.loadFixture(fixture);
      const invalid = (account: string, status: IssuerStatus) => [account, status] as const;
      await expect(issuerRegistry.reinstate(issuer.address, TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidStatus")
        .withArgs(...invalid(issuer.address, IssuerStatus.Active));
      for (const call of [
        issuerRegistry.suspend(stranger.address, "", TX),
        issuerRegistry.remove(stranger.address, "", TX),
        issuerRegistry.updateIssuer(stranger.address, 1, "", "", TX),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidStatus")
          .withArgs(...invalid(stranger.address, IssuerStatus.None));
      }
      await issuerRegistry.suspend(issuer.address, "", TX);
      await expect(issuerRegistry.suspend(issuer.address, "", TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidStatus")
        .withArgs(...invalid(issuer.address, IssuerStatus.Suspended));
      await issuerRegistry.remove(issuer.address, "", TX);
      for (const call of [
        issuerRegistry.reinstate(issuer.address, TX),
        issuerRegistry.remove(issuer.address, "", TX),
        issuerRegistry.updateIssuer(issuer.address, 1, "", "", TX),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidStatus")
          .withArgs(...invalid(issuer.address, IssuerStatus.Removed));
      }
      await expect(issuerRegistry.updateIssuer(issuer.address, 9, "", "", TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidLevel")
        .withArgs(9);
    });

    it("is governor only", async function () {
      const { issuerRegistry, issuer, stranger } = await networkHelpers.loadFixture(fixture);
      const role = await issuerRegistry.GOVERNOR_ROLE();
      const asStranger = issuerRegistry.connect(stranger);
      for (const call of [
        asStranger.updateIssuer(issuer.address, 1, "", "", TX),
        asStranger.suspend(issuer.address, "", TX),
        asStranger.reinstate(issuer.address, TX),
        asStranger.remove(issuer.address, "", TX),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(issuerRegistry, "AccessControlUnauthorizedAccount")
          .withArgs(stranger.address, role);
      }
    });
  });

  describe("authorisation", function () {
    it("lets the issuer and its veriKey delegate act, not a sigAuth delegate or a stranger", async function () {
      const { issuerRegistry, issuer, veriKey, sigAuth, stranger } = await networkHelpers.loadFixture(fixture);
      expect(await issuerRegistry.isAuthorizedActor(issuer.address, issuer.address)).to.equal(true);
      expect(await issuerRegistry.isAuthorizedActor(issuer.address, veriKey.address)).to.equal(true);
      expect(await issuerRegistry.isAuthorizedActor(issuer.address, sigAuth.address)).to.equal(false);
      expect(await issuerRegistry.isAuthorizedActor(issuer.address, stranger.address)).to.equal(false);
      await issuerRegistry.checkIssuance(issuer.address, veriKey.address, LEVEL.BIOMETRIC, await inAYear());
      await expect(issuerRegistry.checkIssuance(issuer.address, sigAuth.address, 1, await inAYear()))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryUnauthorizedActor")
        .withArgs(issuer.address, sigAuth.address);
    });

    it("follows key rotation in the DID registry", async function () {
      const { issuerRegistry, didRegistry, issuer, veriKey } = await networkHelpers.loadFixture(fixture);
      await didRegistry.connect(issuer).revokeDelegate(issuer.address, VERI_KEY, veriKey.address, TX);
      expect(await issuerRegistry.isAuthorizedActor(issuer.address, veriKey.address)).to.equal(false);
      await didRegistry.connect(issuer).addDelegate(issuer.address, SIG_AUTH, veriKey.address, 1000, TX);
      expect(await issuerRegistry.isAuthorizedActor(issuer.address, veriKey.address)).to.equal(false);
    });

    it("checks level, accreditation and suspension in checkIssuance", async function () {
      const { issuerRegistry, issuer, lowIssuer, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(issuerRegistry.checkIssuance(lowIssuer.address, lowIssuer.address, 2, await inAYear()))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryLevelAboveMax")
        .withArgs(lowIssuer.address, 2, 1);
      await expect(issuerRegistry.checkIssuance(issuer.address, issuer.address, 0, await inAYear()))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidLevel")
        .withArgs(0);
      await expect(issuerRegistry.checkIssuance(stranger.address, stranger.address, 1, await inAYear()))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryNotAnIssuer")
        .withArgs(stranger.address);
      await issuerRegistry.suspend(issuer.address, "", TX);
      await expect(issuerRegistry.checkIssuance(issuer.address, issuer.address, 1, await inAYear()))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryIssuerSuspended")
        .withArgs(issuer.address);
      await issuerRegistry.remove(issuer.address, "", TX);
      await expect(issuerRegistry.checkIssuance(issuer.address, issuer.address, 1, await inAYear()))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryNotAnIssuer")
        .withArgs(issuer.address);
    });
  });

  describe("maximum attestation lifetime (review finding 9)", function () {
    it("is set per issuer by governors, within bounds, for active and suspended issuers", async function () {
      const { issuerRegistry, issuer, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(issuerRegistry.setMaxLifetime(issuer.address, 90n * DAY, TX))
        .to.emit(issuerRegistry, "IssuerMaxLifetimeSet")
        .withArgs(issuer.address, 90n * DAY);
      expect((await issuerRegistry.getIssuer(issuer.address)).maxLifetime).to.equal(90n * DAY);
      for (const bad of [0n, 18251n * DAY]) {
        await expect(issuerRegistry.setMaxLifetime(issuer.address, bad, TX))
          .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidLifetime")
          .withArgs(bad);
      }
      await expect(issuerRegistry.connect(stranger).setMaxLifetime(issuer.address, DAY, TX))
        .to.be.revertedWithCustomError(issuerRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await issuerRegistry.GOVERNOR_ROLE());
      await expect(issuerRegistry.setMaxLifetime(stranger.address, DAY, TX))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryInvalidStatus")
        .withArgs(stranger.address, IssuerStatus.None);
      await issuerRegistry.suspend(issuer.address, "", TX);
      await issuerRegistry.setMaxLifetime(issuer.address, DAY, TX);
      expect((await issuerRegistry.getIssuer(issuer.address)).maxLifetime).to.equal(DAY);
    });

    it("bounds the expiry checkIssuance accepts, from now", async function () {
      const { issuerRegistry, issuer } = await networkHelpers.loadFixture(fixture);
      const start = await now(ethers);
      await issuerRegistry.checkIssuance(issuer.address, issuer.address, 1, start + 3649n * DAY);
      const tooLong = start + 3651n * DAY;
      await expect(issuerRegistry.checkIssuance(issuer.address, issuer.address, 1, tooLong))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryLifetimeTooLong")
        .withArgs(issuer.address, tooLong, (v: bigint) => v >= start + 3650n * DAY && v < tooLong);
      await expect(issuerRegistry.checkIssuance(issuer.address, issuer.address, 1, start))
        .to.be.revertedWithCustomError(issuerRegistry, "IssuerRegistryExpired")
        .withArgs(start);
    });
  });
});
