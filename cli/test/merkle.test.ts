/**
 * `realdid attest --merkle` and `realdid claim` end to end: an issuer anchors one root for a CSV of holders and gets
 * one proof file per holder; each holder claims with its own key; a second claim is refused with the decoded contract
 * error; an altered proof file, a mixed-level CSV and a non-empty output directory are refused before anything is
 * sent.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { Wallet } from "ethers";

import { commitmentOf } from "../../sdk/src/commitment.ts";
import { parseProofFile } from "../../sdk/src/actions/index.ts";
import { devKey, startCliChain, type CliChain } from "./helpers.ts";

describe("realdid attest --merkle and claim", function () {
  this.timeout(180_000);
  let chain: CliChain;
  const asIssuer = { REALDID_PRIVATE_KEY: devKey(1) };
  const holderKeys = [10, 11, 12].map(devKey);
  const holders = holderKeys.map((key) => new Wallet(key).address);
  const future = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const csv = (rows: string[]) => ["did,name,level,expiry", ...rows].join("\n") + "\n";
  const row = (address: string, name: string, level = "2") => `did:ethr:0x7a69:${address},"${name}",${level},${future}`;

  before(async () => {
    chain = await startCliChain();
  });
  after(() => chain.close());

  it("anchors one root, writes a proof per holder; each holder claims once; an altered file is refused", async () => {
    writeFileSync(join(chain.dir, "people.csv"), csv(holders.map((h, i) => row(h, `Holder ${i}`))));
    const anchored = await chain.realdid(
      ["--json", "--yes", "attest", "--merkle", "people.csv", "--out", "proofs", "--uri", "https://issuer.example/1"],
      { env: asIssuer },
    );
    expect(anchored.code, anchored.stderr).to.equal(0);
    const result = anchored.json<{ root: string; count: number; level: number; files: string[]; hash: string }>();
    expect(result).to.include({ count: 3, level: 2 });
    expect(result.files.map((f) => f.replace(/^proofs\//, "")).sort()).to.deep.equal(
      holders.map((h) => `${h}.json`).sort(),
    );
    const registry = chain.stack.realNameRegistry;
    expect((await registry.getRoot(chain.stack.issuer.address, result.root)).count).to.equal(3n);

    for (const [i, holder] of holders.entries()) {
      const path = join("proofs", `${holder}.json`);
      const file = parseProofFile(readFileSync(join(chain.dir, path), "utf8"));
      expect(file.leaf.commitment).to.equal(commitmentOf(holder, `Holder ${i}`, file.salt));
      expect(await registry.isVerified(holder, 1)).to.equal(false);
      const claimed = await chain.realdid(["--json", "--yes", "claim", path], {
        env: { REALDID_PRIVATE_KEY: holderKeys[i] },
      });
      expect(claimed.code, claimed.stderr).to.equal(0);
      expect(claimed.json()).to.include({ identity: holder, statusIndex: file.leaf.statusIndex, root: result.root });
      expect(await registry.isVerified(holder, 2)).to.equal(true);
    }

    const again = await chain.realdid(["--yes", "claim", join("proofs", `${holders[0]}.json`)], {
      env: { REALDID_PRIVATE_KEY: holderKeys[0] },
    });
    expect(again.code).to.equal(5);
    expect(again.stderr).to.match(/RealNameRegistryAlreadyClaimed/);

    const altered = JSON.parse(readFileSync(join(chain.dir, "proofs", `${holders[1]}.json`), "utf8")) as {
      leaf: { identity: string };
    };
    altered.leaf.identity = Wallet.createRandom().address;
    writeFileSync(join(chain.dir, "altered.json"), JSON.stringify(altered));
    const tampered = await chain.realdid(["--yes", "claim", "altered.json"], {
      env: { REALDID_PRIVATE_KEY: holderKeys[1] },
    });
    expect(tampered.code).to.equal(2);
    expect(tampered.stderr).to.match(/altered\.json: not a usable RealDID proof file: the proof does not connect/);
  });

  it("prints the root, the status indices and where the proofs are for a person", async () => {
    writeFileSync(join(chain.dir, "one.csv"), csv([row(Wallet.createRandom().address, "Solo", "1")]));
    const run = await chain.realdid(["--yes", "attest", "--merkle", "one.csv", "--out", "solo"], { env: asIssuer });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^anchored root 0x[0-9a-f]{64}: 1 holders at level 1, status indices (\d+)\.\.\1\n/);
    expect(run.stdout).to.match(/\ntransaction 0x[0-9a-f]{64} in block \d+ \(gas \d+\)\n/);
    expect(run.stdout).to.contain("give each holder its proof file, which holds its salt: solo/<address>.json");
  });

  it("shows a root and cancels it; a leaf of a cancelled root is refused", async () => {
    const holder = Wallet.createRandom().address;
    writeFileSync(join(chain.dir, "gone.csv"), csv([row(holder, "Gone", "1")]));
    const anchored = await chain.realdid(["--json", "--yes", "attest", "--merkle", "gone.csv", "--out", "gone"], {
      env: asIssuer,
    });
    const { root, firstStatusIndex } = anchored.json<{ root: string; firstStatusIndex: number }>();
    const shown = await chain.realdid(["--json", "merkle", "show", "--root", root], { env: asIssuer });
    expect(shown.code, shown.stderr).to.equal(0);
    expect(shown.json()).to.include({ root, count: 1, level: 1, cancelled: false, firstStatusIndex });

    const cancelled = await chain.realdid(["--yes", "merkle", "cancel", "--root", root], { env: asIssuer });
    expect(cancelled.code, cancelled.stderr).to.equal(0);
    expect((await chain.realdid(["--json", "merkle", "show", "--root", root], { env: asIssuer })).json()).to.include({
      cancelled: true,
    });
    const claimed = await chain.realdid(["--yes", "claim", join("gone", `${holder}.json`)], { env: asIssuer });
    expect(claimed.code).to.equal(5);
    expect(claimed.stderr).to.match(/RealNameRegistryRootCancelled/);

    const unknown = await chain.realdid(["merkle", "show", "--root", `0x${"ab".repeat(32)}`], { env: asIssuer });
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/never anchored root 0xabab/);
  });

  it("refuses a CSV of several levels, a bad row, a non-empty --out and a missing --out, sending nothing", async () => {
    const a = Wallet.createRandom().address;
    const b = Wallet.createRandom().address;
    const cases: [string, string[], RegExp][] = [
      [csv([row(a, "A"), row(b, "B", "1")]), ["--out", "fresh"], /mixed\.csv line 3: level 1 .* differ from line 2's/],
      [csv([row(a, "A"), row(b, "B", "4")]), ["--out", "fresh"], /mixed\.csv line 3: level 4 is not 1, 2 or 3/],
      [csv([row(a, "A")]), ["--out", "proofs"], /--out proofs already holds \d+ JSON files/],
      [csv([row(a, "A")]), [], /--merkle needs --out <dir>/],
    ];
    for (const [text, out, message] of cases) {
      writeFileSync(join(chain.dir, "mixed.csv"), text);
      const run = await chain.realdid(["--yes", "attest", "--merkle", "mixed.csv", ...out], { env: asIssuer });
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.match(message);
    }
    expect(readdirSync(chain.dir)).not.to.include("fresh");
  });
});
