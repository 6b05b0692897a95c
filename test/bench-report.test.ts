import { join } from "node:path";

import { expect } from "chai";

import { buildReport, formatRatio, ratioOf, readResults } from "../bench/report.ts";
import { decades, niceCeiling } from "../bench/lib/svg.ts";

const FIXTURE = join(import.meta.dirname, "fixtures", "bench");

/** The cells of every markdown table row of `markdown` whose first cell is `first`. */
const rowsStartingWith = (markdown: string, first: string): string[][] =>
  markdown
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    )
    .filter((cells) => cells[0] === first);

describe("benchmark report (bench/report.ts)", () => {
  const results = readResults(FIXTURE);
  const { markdown, charts } = buildReport(results);

  it("reads the benchmarks' JSON in report order, skipping those not run", () => {
    expect(results.map((result) => result.bench)).to.deep.equal(["gas", "sdk"]);
  });

  it("shows every goal with our figure, the reference's, the ratio and whether it was met", () => {
    expect(rowsStartingWith(markdown, "gas")).to.deep.include.members([
      [
        "gas",
        "single attestation (worst: attest (single))",
        "≤ 40% of EAS",
        "90,000 gas",
        "EAS: 225,000 gas",
        "40.0%",
        "PASS",
      ],
      ["gas", "a batch fits one transaction", "≤ 16,777,216 gas", "5,500,000 gas", "—", "—", "PASS"],
    ]);
    expect(rowsStartingWith(markdown, "sdk")).to.deep.include.members([
      ["sdk", "warm sign-in verifications", "≥ 1,000 verifications/s", "60 verifications/s", "—", "—", "**FAIL**"],
      [
        "sdk",
        "DID resolution p50 at 1,000 changes against ethr-did-resolver",
        "≥ 50× faster",
        "100 ms",
        "ethr-did-resolver: 4.00 s",
        "2.5%",
        "**FAIL**",
      ],
    ]);
    expect(markdown).to.include("2 of 4 goals met.");
  });

  it("divides our figure by the reference's", () => {
    const [attest, batch] = results[0].goals;
    expect(ratioOf(attest)).to.equal(0.4);
    expect(ratioOf(batch)).to.equal(null);
    expect(formatRatio(87 / 188_536)).to.equal("0.046%");
    expect(formatRatio(2.7)).to.equal("270.0%");
  });

  it("lists the machine and versions per benchmark and warns of load above the core count", () => {
    expect(rowsStartingWith(markdown, "gas")).to.deep.include([
      "gas",
      "2026-01-02 03:04:05",
      "2 × Test CPU",
      "8 GiB",
      "linux 6.1",
      "3.50, 2.00, 1.00",
    ]);
    expect(rowsStartingWith(markdown, "ethr-did-resolver")).to.deep.equal([["ethr-did-resolver", "", "11.1.3"]]);
    expect(markdown).to.include("**Measured under load.** gas: load 3.50 on 2 cores when");
    expect(markdown).not.to.include("sdk: load");
  });

  it("draws gas per operation against the reference, operations without one left out", () => {
    expect([...charts.keys()]).to.have.members(["gas-eas.svg", "resolution-latency.svg"]);
    expect(markdown).to.include("![Trust layer vs EAS](results/gas-eas.svg)");
    const svg = charts.get("gas-eas.svg")!;
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.include("<title>attest (single), RealDID: 90,000</title>");
    expect(svg).to.include("<title>attest (single), EAS: 225,000</title>");
    expect(svg).to.include("<title>revoke &lt;one&gt;, EAS: 66,000</title>");
    expect(svg).not.to.include("whole transaction");
    // Axis from 0 to 250,000 (the nice ceiling of 225,000) over 420 px: 90,000 gas is 151.2 px long.
    expect(svg).to.match(/<rect x="\d+" y="\d+" width="151.2" height="9" fill="#2563eb"><title>attest \(single\)/);
    expect(svg).to.include(">250,000</text>");
  });

  it("draws resolution latency against history length on log scales", () => {
    expect(markdown).to.include("![DID resolution](results/resolution-latency.svg)");
    const svg = charts.get("resolution-latency.svg")!;
    // x: 10 → 1,000 over 440 px from 70; y: 1 ms → 10 s over 300 px up from 340.
    expect(svg).to.include('points="70,212.6 290,206.6 510,190"');
    expect(svg).to.include("<title>ethr-did-resolver: 4.00 s at 1,000</title>");
    for (const label of [">10<", ">100<", ">1,000<", ">1.00 ms<", ">10.0 ms<", ">1.00 s<", ">10.0 s<"]) {
      expect(svg).to.include(label);
    }
    expect(svg).to.include("changes in the DID's history (log scale)");
  });

  it("chooses axis ends and decades", () => {
    expect(niceCeiling(225_000)).to.equal(250_000);
    expect(niceCeiling(5_500_000)).to.equal(10_000_000);
    expect(niceCeiling(100)).to.equal(100);
    expect(niceCeiling(100_428)).to.equal(150_000);
    expect(decades(5, 4_000)).to.deep.equal([1, 10, 100, 1_000, 10_000]);
    expect(decades(10, 10)).to.deep.equal([10, 100]);
  });
});
