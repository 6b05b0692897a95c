/**
 * Demo data for the local stack (`npm start` runs it after deploying): an accredited issuer, a creator whose DID
 * has a key, a service, a level-2 attestation and a publicly disclosed real name, and a revoked attestation — so
 * GraphQL and `isVerified` have something to show. Development chains only.
 *
 *   hardhat run scripts/seed.ts --network localhost
 */
import hre, { network } from "hardhat";
import { encodeBytes32String, toUtf8Bytes, ZeroHash } from "ethers";

import {
  DIDRegistry__factory,
  IssuerRegistry__factory,
  RealNameRegistry__factory,
  StatusRegistry__factory,
} from "../types/ethers-contracts/index.ts";

import { commitmentOf, randomSalt } from "../sdk/src/commitment.ts";

import { readDeployment } from "./deployment.ts";

const { ethers, networkName } = await network.getOrCreate();
const { chainId } = await ethers.provider.getNetwork();
if (chainId !== 31337n) throw new Error(`seed.ts writes demo data to development chains only, not chain ${chainId}`);

const { contracts } = readDeployment(hre.config.paths.root, networkName);
const [governor, issuer, creator, viewer] = await ethers.getSigners();
const did = DIDRegistry__factory.connect(contracts.DIDRegistry.address, creator);
const issuers = IssuerRegistry__factory.connect(contracts.IssuerRegistry.address, governor);
const attestations = RealNameRegistry__factory.connect(contracts.RealNameRegistry.address, issuer);
const statuses = StatusRegistry__factory.connect(contracts.StatusRegistry.address, issuer);
const TX = { gasLimit: 1_000_000n };
const YEAR = 365 * 24 * 60 * 60;

async function attest(identity: string, level: number, realName: string): Promise<string> {
  const salt = randomSalt();
  const latest = await ethers.provider.getBlock("latest");
  const expiry = latest!.timestamp + YEAR;
  const data = {
    identity,
    // The DID owner the issuer checked: a demo DID owns itself.
    owner: identity,
    level,
    expiry,
    commitment: commitmentOf(identity, realName, salt),
    scope: ZeroHash,
    nullifier: ZeroHash,
  };
  await (await attestations.attest(issuer.address, data, TX)).wait();
  return salt;
}

await (await issuers.accredit(issuer.address, 3, "Demo Public Security Bureau", "https://psb.example", TX)).wait();

await (await did.addDelegate(creator.address, encodeBytes32String("sigAuth"), viewer.address, YEAR, TX)).wait();
const endpoint = toUtf8Bytes("https://creator.example/profile");
await (
  await did.setAttribute(creator.address, encodeBytes32String("did/svc/ProfileService"), endpoint, YEAR, TX)
).wait();
const creatorSalt = await attest(creator.address, 2, "Demo Creator");
const disclose = RealNameRegistry__factory.connect(contracts.RealNameRegistry.address, creator);
await (await disclose.disclose(creator.address, "Demo Creator", creatorSalt, TX)).wait();

await attest(viewer.address, 1, "Demo Viewer");
const { statusIndex } = await attestations.getVerification(viewer.address, 0);
await (await statuses.revoke(statusIndex, TX)).wait();

console.log(`Demo data: issuer ${issuer.address} (level 3); creator did:ethr:${chainId}:${creator.address}`);
console.log(
  `  isVerified(creator, 2) = ${await attestations.isVerified(creator.address, 2)}, disclosed name "${await attestations.disclosedName(creator.address)}"`,
);
console.log(`  isVerified(viewer, 1) = ${await attestations.isVerified(viewer.address, 1)} (revoked)`);
