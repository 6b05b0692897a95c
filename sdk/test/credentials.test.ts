/**
 * Real-name credentials against the local chain: issued by the issuer's key or its veriKey delegate, verified
 * through the issuer's DID and the chain at the latest block; each refusal reason (tampered, wrong signer, expired,
 * not yet valid, revoked, suspended, issuer suspended, removed or capped, wrong chain, malformed, unavailable); the
 * issuer's revoke, suspend and lift; a credential alongside an on-chain attestation shares its status index; an
 * exported status list decodes back to the chain's bits.
 */
import { expect } from "chai";
import { decodeJWT, verifyJWT } from "did-jwt";
import { id, JsonRpcProvider, parseEther, Wallet, ZeroAddress, type BaseWallet } from "ethers";

import { CREDENTIAL_REVOCATION, LEVEL, TX, VERI_KEY, SIG_AUTH, type TrustStack } from "@realdid/testkit/trust";
import { StatusRegistryAbi } from "../src/abis.generated.ts";
import { contractOf, decoded } from "../src/actions/client.ts";
import { attestRealName, setAttestationStatus, type Client } from "../src/actions/index.ts";
import { commitmentOf } from "../src/commitment.ts";
import {
  CREDENTIAL_LIST_LENGTH,
  decodeStatusList,
  exportStatusList,
  issueRealNameCredential,
  liftCredentialSuspension,
  memoryStatusIndexStore,
  randomStatusIndex,
  readRealNameCredential,
  revokeCredential,
  statusAt,
  statusListUrl,
  statusReferenceOf,
  suspendCredential,
  verifyRealNameCredential,
  type IssueRealNameCredentialParams,
} from "../src/credentials/index.ts";
import { CredentialError, type CredentialFailureReason } from "../src/errors/base.ts";
import { StatusRegistryRevocationFinal } from "../src/errors/index.ts";
import { createResolver } from "../src/resolver/index.ts";
import { rejection, trustStackClients } from "./helpers.ts";

const YEAR = 365 * 86_400;

describe("SDK real-name credentials", function () {
  this.timeout(120_000);
  let stack: TrustStack;
  let client: Client;
  let chainId: number;
  /** Issuer keys as wallets (issuance signs with a private key): the issuer, its veriKey and sigAuth delegates. */
  let issuer: BaseWallet;
  let veriKey: BaseWallet;
  let sigAuth: BaseWallet;
  let issuerClient: Client;
  let now: number;
  const holder = new Wallet(id("sdk.credentials.holder"));
  let holderDid: string;

  /** A funded wallet on the test chain. */
  const funded = async (seed: string) => {
    const wallet = new Wallet(id(seed), stack.ethers.provider);
    await (await stack.admin.sendTransaction({ to: wallet.address, value: parseEther("10"), ...TX })).wait();
    return wallet;
  };

  /** An accredited issuer (wallet) with a veriKey and a sigAuth delegate. */
  const accredited = async (seed: string, maxLevel: number = LEVEL.BIOMETRIC) => {
    const wallet = await funded(seed);
    await (await stack.issuerRegistry.accredit(wallet.address, maxLevel, seed, "https://issuer.example", TX)).wait();
    return wallet;
  };

  before(async () => {
    ({ stack, read: client } = await trustStackClients());
    chainId = Number(client.chainId);
    issuer = await accredited("sdk.credentials.issuer");
    veriKey = new Wallet(id("sdk.credentials.veriKey"));
    sigAuth = new Wallet(id("sdk.credentials.sigAuth"));
    const registry = stack.didRegistry.connect(issuer);
    await (await registry.addDelegate(issuer.address, VERI_KEY, veriKey.address, YEAR, TX)).wait();
    await (await registry.addDelegate(issuer.address, SIG_AUTH, sigAuth.address, YEAR, TX)).wait();
    issuerClient = { ...client, signer: issuer };
    now = (await stack.ethers.provider.getBlock("latest"))!.timestamp;
    holderDid = `did:ethr:0x${chainId.toString(16)}:${holder.address}`;
  });

  const issue = (overrides: Partial<IssueRealNameCredentialParams> = {}) =>
    issueRealNameCredential(client, {
      issuer: issuer.address,
      signer: issuer,
      holder: holderDid,
      realName: "Zhang San",
      level: LEVEL.DOCUMENT,
      expiry: now + YEAR,
      claims: { birthDate: "1990-01-01" },
      now: new Date(now * 1000),
      ...overrides,
    });

  const verify = (jwt: string, overrides: Partial<Parameters<typeof verifyRealNameCredential>[1]> = {}) =>
    verifyRealNameCredential(jwt, { client, now: new Date(now * 1000), ...overrides });

  async function refused(promise: Promise<unknown>, reason: CredentialFailureReason): Promise<CredentialError> {
    const error = await rejection(promise);
    expect(error, String(error)).to.be.instanceOf(CredentialError);
    expect((error as CredentialError).reason, (error as Error).message).to.equal(reason);
    return error as CredentialError;
  }

  describe("issuance and the round trip", () => {
    it("issues a JWT VC whose claims stay in the credential and whose status names the on-chain list", async () => {
      const { jwt, salt, commitment, status } = await issue();
      expect(commitment).to.equal(commitmentOf(holder.address, "Zhang San", salt));
      expect(status.list).to.equal("credential");
      expect(status.index).to.be.within(0, CREDENTIAL_LIST_LENGTH - 1);
      const { payload, header } = decodeJWT(jwt);
      expect(header.alg).to.equal("ES256K-R");
      expect(payload.iss).to.equal(`did:ethr:0x${chainId.toString(16)}:${issuer.address}`);
      expect(payload.sub).to.equal(holderDid);
      expect(payload.exp).to.equal(now + YEAR);
      expect(payload.vc.type).to.deep.equal(["VerifiableCredential", "RealNameCredential"]);
      expect(payload.vc.credentialSubject).to.deep.equal({
        id: holderDid,
        realName: "Zhang San",
        level: LEVEL.DOCUMENT,
        commitment,
        salt,
        birthDate: "1990-01-01",
      });
      const list = { chainId, statusRegistry: client.statusRegistry!, issuer: issuer.address };
      const revocationUrl = statusListUrl({ ...list, purpose: 2 });
      expect(payload.vc.credentialStatus).to.deep.equal([
        {
          id: `${revocationUrl}#${status.index}`,
          type: "BitstringStatusListEntry",
          statusPurpose: "revocation",
          statusListIndex: String(status.index),
          statusListCredential: revocationUrl,
          chainId: String(chainId),
          statusRegistry: client.statusRegistry,
          statusIssuer: issuer.address,
          purpose: 2,
        },
        {
          id: `${statusListUrl({ ...list, purpose: 3 })}#${status.index}`,
          type: "BitstringStatusListEntry",
          statusPurpose: "suspension",
          statusListIndex: String(status.index),
          statusListCredential: statusListUrl({ ...list, purpose: 3 }),
          chainId: String(chainId),
          statusRegistry: client.statusRegistry,
          statusIssuer: issuer.address,
          purpose: 3,
        },
      ]);
      expect(statusReferenceOf(jwt)).to.deep.equal(status);

      const verified = await verify(jwt);
      expect(verified).to.deep.include({
        issuer: issuer.address,
        signer: issuer.address,
        holder: holderDid,
        identity: holder.address,
        status,
        issuedAt: now,
        expiresAt: now + YEAR,
      });
      expect(verified.subject.realName).to.equal("Zhang San");
    });

    it("accepts the issuer's veriKey delegate as signer", async () => {
      const { jwt } = await issue({ signer: veriKey });
      expect((await verify(jwt)).signer).to.equal(veriKey.address);
    });

    it("uses an HTTPS status list base when the issuer serves its lists", async () => {
      const { jwt, status } = await issue({ statusListBaseUrl: "https://issuer.example/status/" });
      const [entry] = readRealNameCredential(jwt).entries;
      const url = `https://issuer.example/status/${chainId}/${client.statusRegistry}/${issuer.address}/2`;
      expect(entry.statusListCredential).to.equal(url);
      expect(entry.id).to.equal(`${url}#${status.index}`);
    });

    it("draws distinct random indices and refuses bad input by name", async () => {
      const store = memoryStatusIndexStore();
      const indices = await Promise.all(Array.from({ length: 200 }, () => randomStatusIndex(issuer.address, store)));
      expect(new Set(indices).size).to.equal(200);
      expect(Math.max(...indices)).to.be.below(CREDENTIAL_LIST_LENGTH);
      expect(await store.reserve(issuer.address, indices[0])).to.equal(false);
      expect((await rejection(issue({ holder: "did:ethr:nope" }))) as Error).to.have.property(
        "name",
        "ConfigurationError",
      );
      expect(((await rejection(issue({ level: 4 }))) as Error).message).to.include("level 4");
    });
  });

  describe("alongside an on-chain attestation", () => {
    it("shares the attestation's status index, level and expiry; revoking the attestation revokes the credential", async () => {
      const identity = new Wallet(id("sdk.credentials.attested"));
      const did = `did:ethr:0x${chainId.toString(16)}:${identity.address}`;
      const expiry = now + YEAR / 2;
      const attest = {
        issuer: issuer.address,
        identity: identity.address,
        level: LEVEL.BIOMETRIC,
        expiry,
        realName: "Li Si",
      };
      const { tx, salt } = await attestRealName(issuerClient, attest);
      await tx.wait();
      const { statusIndex } = await stack.realNameRegistry.getVerification(identity.address, 0);
      const params = { holder: did, realName: "Li Si", salt, attestation: true, level: undefined, expiry: undefined };
      const { jwt, status } = await issue(params);
      expect(status).to.deep.equal({ issuer: issuer.address, list: "attestation", index: Number(statusIndex) });
      const verified = await verify(jwt);
      expect(verified.subject.level).to.equal(LEVEL.BIOMETRIC);
      expect(verified.expiresAt).to.equal(expiry);
      expect(readRealNameCredential(jwt).entries.map((entry) => entry.purpose)).to.deep.equal([0, 1]);

      const wrongName = await rejection(issue({ ...params, realName: "Wang Wu" }));
      expect((wrongName as Error).message).to.include("do not open the commitment");

      await (await setAttestationStatus(issuerClient, { identity: identity.address, status: "revoked" })).wait();
      await refused(verify(jwt), "revoked");
    });
  });

  describe("status: revoke, suspend, lift", () => {
    it("fails at once when revoked, and a revocation cannot be lifted", async () => {
      const { jwt, status } = await issue();
      await verify(jwt);
      await (await revokeCredential(issuerClient, statusReferenceOf(jwt))).wait();
      await refused(verify(jwt), "revoked");
      expect(await stack.statusRegistry.getStatus(issuer.address, CREDENTIAL_REVOCATION, status.index)).to.equal(true);
      // a revocation bit is set-only, on every path
      const registry = contractOf(issuerClient, client.statusRegistry, StatusRegistryAbi, true);
      const clearing = await rejection(decoded(() => registry.setStatus(issuer.address, 2, status.index, false)));
      expect(clearing).to.be.instanceOf(StatusRegistryRevocationFinal);
    });

    it("fails while suspended and verifies again once the suspension is lifted", async () => {
      const { jwt } = await issue();
      await (await suspendCredential(issuerClient, statusReferenceOf(jwt))).wait();
      await refused(verify(jwt), "suspended");
      await (await liftCredentialSuspension(issuerClient, statusReferenceOf(jwt))).wait();
      expect((await verify(jwt)).holder).to.equal(holderDid);
    });

    it("lets the veriKey delegate revoke, not the sigAuth delegate", async () => {
      const { jwt } = await issue();
      const sigAuthClient = { ...client, signer: await fundedSigner(sigAuth) };
      const error = await rejection(suspendCredential(sigAuthClient, statusReferenceOf(jwt)));
      expect((error as Error).name).to.equal("StatusRegistryUnauthorizedActor");
      const veriKeyClient = { ...client, signer: await fundedSigner(veriKey) };
      await (await suspendCredential(veriKeyClient, statusReferenceOf(jwt))).wait();
      await refused(verify(jwt), "suspended");
    });
  });

  /** `wallet` connected to the test chain with gas money. */
  async function fundedSigner(wallet: BaseWallet) {
    const connected = wallet.connect(stack.ethers.provider);
    await (await stack.admin.sendTransaction({ to: wallet.address, value: parseEther("1"), ...TX })).wait();
    return connected;
  }

  describe("refusals", () => {
    it("refuses an altered credential as tampered", async () => {
      const { jwt } = await issue({ level: LEVEL.CONTACT });
      const [header, payload, signature] = jwt.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
      claims.vc.credentialSubject.level = LEVEL.BIOMETRIC;
      const altered = [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
      await refused(verify(altered), "tampered");
    });

    it("refuses a key outside the issuer's DID as tampered, a sigAuth delegate's as wrong signer", async () => {
      await refused(verify((await issue({ signer: new Wallet(id("sdk.credentials.stranger")) })).jwt), "tampered");
      const error = await refused(verify((await issue({ signer: sigAuth })).jwt), "wrongSigner");
      expect(error.message).to.include(sigAuth.address);
    });

    it("refuses every credential of an issuer whose DID is deactivated", async () => {
      const gone = await accredited("sdk.credentials.deactivated");
      const { jwt } = await issue({ issuer: gone.address, signer: gone });
      await verify(jwt);
      const deactivate = await stack.didRegistry.connect(gone).changeOwner(gone.address, ZeroAddress, TX);
      await deactivate.wait();
      await refused(verify(jwt), "wrongSigner");
    });

    it("bounds exp, nbf and iat by the skew", async () => {
      const { jwt } = await issue({ expiry: now + 600 });
      const at = (seconds: number) => ({ now: new Date(seconds * 1000) });
      await verify(jwt, at(now + 600 + 59));
      await refused(verify(jwt, at(now + 600 + 61)), "expired");
      await refused(verify(jwt, { ...at(now + 700), maxSkew: 10 }), "expired");
      await verify(jwt, at(now - 59));
      await refused(verify(jwt, at(now - 61)), "notYetValid");
    });

    it("refuses while the issuer is suspended, when it is removed, and above its level", async () => {
      const { jwt } = await issue();
      await (await stack.issuerRegistry.suspend(issuer.address, "audit", TX)).wait();
      await refused(verify(jwt), "issuerSuspended");
      await (await stack.issuerRegistry.reinstate(issuer.address, TX)).wait();
      await verify(jwt);

      const capped = await accredited("sdk.credentials.capped", LEVEL.CONTACT);
      const above = await issue({ issuer: capped.address, signer: capped, level: LEVEL.DOCUMENT });
      await refused(verify(above.jwt), "issuerLevelExceeded");

      const removed = await accredited("sdk.credentials.removed");
      const orphan = await issue({ issuer: removed.address, signer: removed });
      await verify(orphan.jwt);
      await (await stack.issuerRegistry.remove(removed.address, "closed", TX)).wait();
      await refused(verify(orphan.jwt), "issuerNotAccredited");
    });

    it("refuses another chain's credential, a foreign status registry, another holder's, and what is not one", async () => {
      const { jwt } = await issue();
      await refused(verify(jwt, { client: { ...client, chainId: 1n } }), "wrongChain");
      const elsewhere = { ...client, statusRegistry: client.realNameRegistry };
      await refused(verify(jwt, { client: elsewhere }), "wrongChain");
      await refused(verify("not.a.jwt"), "malformed");
      expect((await verify(jwt, { holder: holderDid })).identity).to.equal(holder.address);
      const someoneElse = `did:ethr:0x${chainId.toString(16)}:${Wallet.createRandom().address}`;
      await refused(verify(jwt, { holder: someoneElse }), "wrongHolder");
      const [header, payload, signature] = jwt.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
      claims.vc.credentialStatus[1].statusListIndex = "7";
      const split = [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
      const error = await refused(verify(split), "malformed");
      expect(error.message).to.include("credentialStatus");
    });

    it("answers unavailable, not a refusal, when the chain cannot be asked", async () => {
      const { jwt } = await issue();
      const down = new JsonRpcProvider("http://127.0.0.1:9", chainId, { staticNetwork: true });
      await refused(verify(jwt, { client: { ...client, provider: down } }), "unavailable");
      // the issuer's DID resolves, the status read fails
      const resolver = createResolver({
        networks: [{ chainId, registry: client.didRegistry, provider: client.provider }],
      });
      await refused(verify(jwt, { client: { ...client, provider: down }, resolver }), "unavailable");
      down.destroy();
    });
  });

  describe("status list export", () => {
    it("exports a BitstringStatusListCredential whose bits equal the chain's, signed by the issuer", async () => {
      const exporter = await accredited("sdk.credentials.exporter");
      const set = [0, 1, 127, 128, 1000, 65_537, 94_567, CREDENTIAL_LIST_LENGTH - 1];
      const registry = stack.statusRegistry.connect(exporter);
      await (await registry.setStatuses(exporter.address, 2, set, true, TX)).wait();
      await (await registry.setStatus(exporter.address, 3, 5, true, TX)).wait();

      const { credential, jwt, blockNumber } = await exportStatusList(client, {
        issuer: exporter.address,
        purpose: 2,
        signer: exporter,
      });
      expect(credential.type).to.deep.equal(["VerifiableCredential", "BitstringStatusListCredential"]);
      expect(credential.id).to.equal(
        statusListUrl({ chainId, statusRegistry: client.statusRegistry!, issuer: exporter.address, purpose: 2 }),
      );
      expect(credential.credentialSubject.statusPurpose).to.equal("revocation");
      expect(credential.credentialSubject.encodedList.startsWith("uH4sI")).to.equal(true); // multibase u + base64url gzip
      const bits = decodeStatusList(credential.credentialSubject.encodedList);
      expect(bits.length).to.equal(CREDENTIAL_LIST_LENGTH / 8);
      const probes = [...set, 2, 126, 129, 5, 94_566, 94_568, CREDENTIAL_LIST_LENGTH - 2];
      const onChain = await stack.statusRegistry.getStatuses(exporter.address, 2, probes);
      probes.forEach((index, i) => expect(statusAt(bits, index), `index ${index}`).to.equal(onChain[i]));
      const count = bits.reduce((sum, byte) => sum + byte.toString(2).replace(/0/g, "").length, 0);
      expect(count).to.equal(set.length);

      const resolver = createResolver({
        networks: [{ chainId, registry: client.didRegistry, provider: client.provider }],
      });
      const verified = await verifyJWT(jwt!, {
        // did-jwt 8 types its resolver with its own did-resolver 4; the result shapes agree at run time.
        resolver: resolver as unknown as NonNullable<Parameters<typeof verifyJWT>[1]>["resolver"],
        policies: { now: (await stack.ethers.provider.getBlock(blockNumber))!.timestamp },
      });
      expect(verified.payload.credentialSubject.encodedList).to.equal(credential.credentialSubject.encodedList);

      const fromEvents = await exportStatusList(client, {
        issuer: exporter.address,
        purpose: 2,
        fromBlock: 0,
        blockNumber,
      });
      expect(fromEvents.credential).to.deep.equal(credential);
      const later = await exportStatusList(client, {
        issuer: exporter.address,
        purpose: 2,
        fromBlock: blockNumber + 1,
      });
      expect(statusAt(decodeStatusList(later.credential.credentialSubject.encodedList), 94_567)).to.equal(false);

      const suspension = await exportStatusList(client, { issuer: exporter.address, purpose: 3 });
      expect(suspension.jwt).to.equal(undefined);
      const suspended = decodeStatusList(suspension.credential.credentialSubject.encodedList);
      expect([4, 5, 6].map((index) => statusAt(suspended, index))).to.deep.equal([false, true, false]);
    });

    it("exports an attestation list of at least 131,072 statuses, and refuses an unknown purpose", async () => {
      const identity = new Wallet(id("sdk.credentials.exported")).address;
      const attest = {
        issuer: issuer.address,
        identity,
        level: LEVEL.CONTACT,
        expiry: now + YEAR,
        realName: "Zhao Liu",
      };
      await (await attestRealName(issuerClient, attest)).tx.wait();
      const { statusIndex } = await stack.realNameRegistry.getVerification(identity, 0);
      await (await setAttestationStatus(issuerClient, { identity, status: "revoked" })).wait();
      const { credential } = await exportStatusList(client, { issuer: issuer.address, purpose: 0 });
      const bits = decodeStatusList(credential.credentialSubject.encodedList);
      expect(bits.length).to.equal(CREDENTIAL_LIST_LENGTH / 8);
      expect(statusAt(bits, Number(statusIndex))).to.equal(true);
      const fromEvents = await exportStatusList(client, { issuer: issuer.address, purpose: 0, fromBlock: 0 });
      expect(fromEvents.credential.credentialSubject).to.deep.equal(credential.credentialSubject);
      expect(
        ((await rejection(exportStatusList(client, { issuer: issuer.address, purpose: 4 }))) as Error).message,
      ).to.include("purpose 4");
    });
  });
});
