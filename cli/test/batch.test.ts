/**
 * `realdid attest --batch people.csv` end to end: every bad row stops the run with its line number before anything
 * is sent; 250 rows go out in chunks of MAX_BATCH_SIZE with a progress line; a Ctrl-C finishes the chunk in flight
 * and stops with a summary; the rerun skips what was attested and finishes; the receipts hold each holder's salt; a
 * connection lost in the middle exits 4 and the rerun resumes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { Wallet } from "ethers";

import { commitmentOf } from "../../sdk/src/commitment.ts";
import { serveJsonRpc } from "@realdid/testkit/json-rpc";

import { devKey, startCliChain, type CliChain } from "./helpers.ts";

describe("realdid attest --batch", function () {
  this.timeout(300_000);
  let chain: CliChain;
  const asIssuer = { REALDID_PRIVATE_KEY: devKey(1) };
  const future = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const header = "did,name,level,expiry";
  const row = (address: string, name = "Zhao Liu", level = "2", expiry = future) =>
    `did:ethr:0x7a69:${address},"${name}",${level},${expiry}`;

  before(async () => {
    chain = await startCliChain();
  });
  after(() => chain.close());

  it("stops at the first bad row with its line number and sends nothing (exit 2)", async () => {
    const a = Wallet.createRandom().address;
    const b = Wallet.createRandom().address;
    const cases: [string[], RegExp][] = [
      [
        [row(a), "did:ethr:0x7a69:0x1234,X,2," + future],
        /bad\.csv line 3: did:ethr:0x7a69:0x1234 is not a did:ethr DID/,
      ],
      [[row(a), row(b, "Y", "4")], /bad\.csv line 3: level 4 is not 1, 2 or 3/],
      [[row(a, "X", "2", "2001-01-01")], /bad\.csv line 2: expiry 2001-01-01 is not in the future/],
      [[row(a), row(b), row(a, "Again")], /bad\.csv line 4: did:ethr:0x7a69:0x.* is already on line 2/],
      [[row(a), `did:ethr:0x1:${b},Y,2,${future}`], /bad\.csv line 3: .*is a DID of network 0x1/],
      [[row(a), `did:ethr:0x7a69:${b},,2,${future}`], /bad\.csv line 3: the name is empty/],
      [[row(a), `did:ethr:0x7a69:${b},Y,2`], /bad\.csv line 3: 3 fields, the header has 4/],
    ];
    for (const [rows, message] of cases) {
      writeFileSync(join(chain.dir, "bad.csv"), [header, ...rows].join("\n"));
      const run = await chain.realdid(["--yes", "attest", "--batch", "bad.csv"], { env: asIssuer });
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.match(message);
    }
    writeFileSync(join(chain.dir, "nohead.csv"), row(a));
    const noHeader = await chain.realdid(["--yes", "attest", "--batch", "nohead.csv"], { env: asIssuer });
    expect(noHeader.code).to.equal(2);
    expect(noHeader.stderr).to.match(/line 1: the header lacks/);
    expect(await chain.stack.realNameRegistry.isVerified(a, 1)).to.equal(false);
  });

  it("attests 250 rows in chunks; Ctrl-C stops after the chunk in flight; the rerun resumes; receipts open the commitments", async () => {
    const people = Array.from({ length: 250 }, (_, i) => ({
      address: Wallet.createRandom().address,
      name: `Person ${i}`,
    }));
    writeFileSync(
      join(chain.dir, "people.csv"),
      [header, ...people.map((p, i) => row(p.address, p.name, i % 2 === 0 ? "2" : "1"))].join("\n") + "\n",
    );
    const first = await chain.realdid(["--json", "--yes", "attest", "--batch", "people.csv"], {
      env: asIssuer,
      interruptOn: /\[1\/\d+\] /,
    });
    expect(first.code, first.stderr).to.equal(130);
    expect(first.stderr).to.match(/\[1\/4\] \d+\/250 attested, [\d.]+\/s, ETA \d+ s/);
    const partial = first.json<{ attested: number; remaining: number; interrupted: boolean; skipped: number }>();
    expect(partial.interrupted).to.equal(true);
    expect(partial.attested).to.be.greaterThan(0).and.lessThan(250);
    expect(partial.attested + partial.remaining).to.equal(250);

    const second = await chain.realdid(["--json", "--yes", "attest", "--batch", "people.csv"], { env: asIssuer });
    expect(second.code, second.stderr).to.equal(0);
    const rest = second.json<{
      attested: number;
      skipped: number;
      remaining: number;
      transactions: { identities: number }[];
    }>();
    expect(rest).to.include({ skipped: partial.attested, attested: 250 - partial.attested, remaining: 0 });
    for (const tx of rest.transactions) expect(tx.identities).to.be.at.most(100);

    const receipts = readFileSync(join(chain.dir, "people.csv.receipts.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { identity: string; salt: string; commitment: string });
    expect(receipts).to.have.length(250);
    for (const [i, person] of people.entries()) {
      const receipt = receipts.find((r) => r.identity === person.address)!;
      expect(receipt.commitment).to.equal(commitmentOf(person.address, person.name, receipt.salt));
      expect(await chain.stack.realNameRegistry.isVerified(person.address, i % 2 === 0 ? 2 : 1)).to.equal(true);
    }

    const third = await chain.realdid(["--json", "--yes", "attest", "--batch", "people.csv"], { env: asIssuer });
    expect(third.json()).to.include({ skipped: 250, attested: 0 });
  });

  it("exits 4 when the connection drops in the middle; the rerun resumes and attests each row once", async () => {
    const people = Array.from({ length: 250 }, () => Wallet.createRandom().address);
    writeFileSync(join(chain.dir, "dropped.csv"), [header, ...people.map((address) => row(address))].join("\n"));
    const flaky = await serveJsonRpc(chain.provider);
    const cut = await chain.realdid(["--rpc", flaky.url, "--yes", "attest", "--batch", "dropped.csv"], {
      env: asIssuer,
      when: { stderr: /\[1\/3\] /, then: () => flaky.close() },
    });
    expect(cut.code, cut.stderr).to.equal(4);
    expect(cut.stderr).to.match(/cannot reach the chain \(or lost the connection\)/);
    const attestedBefore = (await Promise.all(people.map((p) => chain.stack.realNameRegistry.isVerified(p, 2)))).filter(
      Boolean,
    ).length;
    expect(attestedBefore).to.be.at.least(100); // the first transaction, whose progress line cut the connection

    const resumed = await chain.realdid(["--json", "--yes", "attest", "--batch", "dropped.csv"], { env: asIssuer });
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(resumed.json()).to.include({ skipped: attestedBefore, attested: 250 - attestedBefore, remaining: 0 });
    for (const address of people) expect(await chain.stack.realNameRegistry.isVerified(address, 2)).to.equal(true);
    const receipts = readFileSync(join(chain.dir, "dropped.csv.receipts.jsonl"), "utf8").trim().split("\n");
    expect(new Set(receipts.map((line) => (JSON.parse(line) as { identity: string }).identity)).size).to.equal(250);
  });
});
