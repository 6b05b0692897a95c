/**
 * The web site end to end in real Chromium (Debian's `chromium`, driven by playwright-core) against the stack
 * `npm start` runs (scripts/stack.ts on free ports): create an anonymous account, sign in, attest, the creator
 * threshold and disclosure, revocation, a device key; and the failure paths — a replayed sign-in, a sign-in for
 * another domain, a revoked attestation, a deactivated DID, a stopped indexer. Screenshots of the key pages go to
 * apps/relying-party/screenshots/ (git-ignored).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { getBytes, Wallet } from "ethers";
import { chromium, type Browser, type Page } from "playwright-core";

import { freePort } from "../../../scripts/ports.ts";

const CHROMIUM = "/usr/bin/chromium";
const root = join(import.meta.dirname, "..", "..", "..");
const screenshots = join(import.meta.dirname, "..", "screenshots");

describe("web site end to end (Chromium)", function () {
  this.timeout(300_000);
  let stack: ChildProcess;
  let log = "";
  let browser: Browser;
  let page: Page;
  let base: string;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
      console.warn(`    skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
      this.skip();
    }
    const [chainPort, graphqlPort, sitePort, statusPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    base = `http://127.0.0.1:${sitePort}`;
    stack = spawn(
      process.execPath,
      [
        "scripts/stack.ts",
        "--chain-port",
        `${chainPort}`,
        "--graphql-port",
        `${graphqlPort}`,
        "--site-port",
        `${sitePort}`,
        "--status-port",
        `${statusPort}`,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("RealDID local stack is up")) resolve();
      };
      stack.stdout!.on("data", collect);
      stack.stderr!.on("data", collect);
      stack.on("exit", (code) => reject(new Error(`the stack exited with code ${code}:\n${log.slice(-3000)}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.on("dialog", (dialog) => void dialog.accept());
    mkdirSync(screenshots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    stack?.kill("SIGTERM");
  });

  /** Opens a page of the site and waits until it has rendered. */
  async function open(route: string): Promise<void> {
    const url = `${base}/#/${route}`;
    if (page.url() === url) await page.reload();
    else await page.goto(url);
    await page.waitForFunction(
      (hash) => document.querySelector("#page")?.getAttribute("data-ready") === hash,
      `#/${route}`,
    );
  }

  /** Clicks `selector` and returns the message the action wrote into `#result`. */
  async function click(selector: string): Promise<{ kind: string; text: string }> {
    await page.click(selector);
    const result = page.locator("#result .msg:not([data-kind=info])").first();
    await result.waitFor();
    return { kind: (await result.getAttribute("data-kind")) ?? "", text: await result.innerText() };
  }

  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  const badge = async () => page.locator("#badge").innerText();

  /**
   * Reopens `route` until `indexed(page text)` holds, for at most 20 s: the site reads GraphQL first, and the indexer
   * trails the chain by a block or so (more on a loaded machine). The assertions that follow say what must show.
   */
  async function openIndexed(route: string, indexed = (text: string) => !text.includes("has not caught up")) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await open(route);
      if (indexed(await page.locator("#page").innerText()) || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The pid of the stack's indexer process. */
  function indexerPid(): number {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        const parent = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1];
        if (Number(parent) === stack.pid && args.some((arg) => arg.endsWith("indexer/bin/indexer.js")))
          return Number(entry);
      } catch {
        // the process ended meanwhile
      }
    }
    throw new Error("no indexer process under the stack");
  }

  it("creates an anonymous account from a new recovery phrase", async () => {
    await open("");
    await shot("home");
    await open("create");
    const created = await click("#generate");
    expect(created.kind).to.equal("ok");
    expect(created.text).to.match(/did:ethr:0x7a69:0x[0-9a-fA-F]{40}/);
    expect((await page.locator("#phrase").innerText()).split(/\s+/)).to.have.length(12);
    await shot("create");
  });

  it("signs in with the DID into an HTTP-only session; the account is not verified yet", async () => {
    await open("signin");
    expect(await click("#signin")).to.include({ kind: "ok" });
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === "rp_session");
    expect(cookie).to.include({ httpOnly: true, sameSite: "Strict" });
    await open("account");
    expect(await badge()).to.equal("not real-name verified");
  });

  it("refuses a replayed sign-in, one signed for another domain and a forged signature, on the page and in the log", async () => {
    await open("signin");
    const replay = await click("#replay");
    expect(replay.kind).to.equal("error");
    expect(replay.text).to.include("replayed").and.include("already used");
    await open("signin");
    const phishing = await click("#wrong-domain");
    expect(phishing.kind).to.equal("error");
    expect(phishing.text).to.include("wrongDomain").and.include("phishing.example");
    await open("signin");
    const forged = await click("#forged");
    expect(forged.kind).to.equal("error");
    expect(forged.text).to.include("invalidSignature").and.include("not made by the key");
    expect(log).to.include("sign-in refused (replayed)").and.include("sign-in refused (wrongDomain)");
    expect(log).to.include("sign-in refused (invalidSignature)");
  });

  it("shows the demo issuer's attestation as a badge with level and issuer, never the name", async () => {
    await open("issuer");
    await page.selectOption("#level", "2");
    await page.fill("#real-name", "Li Hua");
    expect(await click("#attest")).to.include({ kind: "ok" });
    await shot("issuer");
    await openIndexed("account");
    expect(await badge()).to.equal("real-name verified, level 2, by Demo Public Security Bureau");
    expect(await page.locator("#page").innerText()).to.include("GraphQL, confirmed on chain with isVerified");
    expect(await page.locator("#account-did").innerText()).to.match(/^did:ethr:0x7a69:/);
    expect(await page.locator("#real-name").count()).to.equal(0);
    await shot("account");
  });

  it("requires a public real-name disclosure above the follower threshold before publishing", async () => {
    await open("creators");
    await page.fill("#followers", "600000");
    expect(await click("#set-followers")).to.include({ kind: "ok" });
    expect(await page.locator("#publishing").innerText()).to.include("requires a public real-name disclosure");
    await page.fill("#post", "My first post");
    const refused = await click("#publish");
    expect(refused.kind).to.equal("error");
    expect(refused.text).to.include("threshold 500,000").and.include("disclos");

    await open("account");
    expect(await click("#disclose")).to.include({ kind: "ok" });
    await open("creators");
    await page.fill("#post", "My first post");
    expect(await click("#publish")).to.include({ kind: "ok", text: "Published." });
    await shot("creators");
    const did = await page.evaluate(() => document.querySelector("#who code")?.textContent ?? "");
    await openIndexed(`profile/${encodeURIComponent(did)}`, (text) => text.includes("verified by Demo"));
    expect(await page.locator("#real-name").innerText()).to.equal("Li Hua");
    expect(await page.locator("#page").innerText()).to.include("verified by Demo Public Security Bureau");
    await shot("profile");
  });

  it("hides the badge while the issuer suspends the attestation, and shows it again when lifted", async () => {
    await open("issuer");
    expect(await click("#suspend")).to.include({ kind: "ok" });
    await openIndexed("account");
    expect(await badge()).to.equal("not verified: the attestation is suspended (issuer Demo Public Security Bureau)");
    await open("issuer");
    expect(await click("#unsuspend")).to.include({ kind: "ok" });
    await openIndexed("account");
    expect(await badge()).to.equal("real-name verified, level 2, by Demo Public Security Bureau");
  });

  it("takes a revocation into account on the next request: badge, name and publishing go", async () => {
    await open("issuer");
    expect(await click("#revoke")).to.include({ kind: "ok" });
    await openIndexed("account");
    expect(await badge()).to.equal("not verified: the attestation was revoked (issuer Demo Public Security Bureau)");
    await open("creators");
    await page.fill("#post", "After revocation");
    const refused = await click("#publish");
    expect(refused.kind).to.equal("error");
    expect(refused.text).to.include("the attestation was revoked");
    const did = await page.evaluate(() => document.querySelector("#who code")?.textContent ?? "");
    await open(`profile/${encodeURIComponent(did)}`);
    expect(await page.locator("#real-name").count()).to.equal(0);
    await openIndexed(`explorer/${encodeURIComponent(did)}`, (text) => text.includes("set the revocation bit"));
    const history = await page.locator("#history").innerText();
    expect(history).to.include("set the revocation bit").and.include("real name disclosed publicly: Li Hua");
    expect(history).to.include("real-name attestation, level 2, by Demo Public Security Bureau");
    await shot("explorer");
  });

  it("signs in with a device key while it is a sigAuth delegate; revoking it ends the session", async () => {
    await open("account");
    expect(await click("#add-device")).to.include({ kind: "ok" });
    await open("signin");
    expect(await click("#signin-device")).to.include({ kind: "ok" });
    await open("account");
    expect(await page.locator("#page").innerText()).to.include("(sigAuth delegate)");
    expect(await click("#revoke-device")).to.include({ kind: "ok" });
    await open("account");
    expect(await page.locator("#page .msg.error").innerText())
      .to.include("Your session ended")
      .and.include("notAuthorised");
  });

  it("falls back to on-chain reads while the indexer is stopped, and says so", async () => {
    const pid = indexerPid();
    process.kill(pid, "SIGSTOP");
    try {
      await open(`profile/${encodeURIComponent("did:ethr:0x7a69:0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")}`);
      expect(await page.locator("#indexer-status").innerText()).to.include("GraphQL indexer not answering");
      expect(await badge()).to.equal("real-name verified, level 2, by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
      expect(await page.locator("#page .msg.warn").innerText()).to.include("on-chain reads only");
      expect(await page.locator("#real-name").innerText()).to.equal("Demo Creator");
      await shot("indexer-stopped");
      await open(`explorer/${encodeURIComponent("did:ethr:0x7a69:0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")}`);
      expect(await page.locator("#activity .msg.warn").innerText()).to.include("resolved from the chain");
      expect(await page.locator("#activity pre").innerText()).to.include("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    } finally {
      process.kill(pid, "SIGCONT");
    }
  });

  it("signs in with an injected EIP-1193 wallet", async () => {
    const wallet = Wallet.createRandom();
    const context = await browser.newContext();
    await context.exposeFunction("signWithTestWallet", (hex: string) => wallet.signMessage(getBytes(hex)));
    await context.addInitScript((address: string) => {
      const sign = (window as unknown as { signWithTestWallet(hex: string): Promise<string> }).signWithTestWallet;
      (window as unknown as { ethereum: unknown }).ethereum = {
        async request({ method, params }: { method: string; params?: string[] }) {
          if (method === "eth_requestAccounts" || method === "eth_accounts") return [address];
          if (method === "eth_chainId") return "0x7a69";
          if (method === "personal_sign") return sign(params![0]);
          throw new Error(`test wallet: ${method} is not supported`);
        },
      };
    }, wallet.address);
    const main = page;
    page = await context.newPage();
    try {
      await open("create");
      const created = await click("#wallet");
      expect(created.text).to.include(`did:ethr:0x7a69:${wallet.address}`);
      await open("signin");
      expect(await click("#signin")).to.include({ kind: "ok" });
      await open("account");
      expect(await page.locator("#account-did").innerText()).to.equal(`did:ethr:0x7a69:${wallet.address}`);
      expect(await page.locator("#page").innerText()).to.include("(owner)");
    } finally {
      await context.close();
      page = main;
    }
  });

  it("ends the session of a deactivated DID and refuses its next sign-in", async () => {
    await open("signin");
    expect(await click("#signin")).to.include({ kind: "ok" });
    await open("account");
    expect(await click("#deactivate")).to.include({ kind: "ok" });
    await open("account");
    expect(await page.locator("#page .msg.error").innerText())
      .to.include("Your session ended")
      .and.include("deactivated");
    await open("signin");
    const refused = await click("#signin");
    expect(refused.kind).to.equal("error");
    expect(refused.text).to.include("deactivated");
    expect(log).to.include("ended: sign-in refused (deactivated)");
  });
});
