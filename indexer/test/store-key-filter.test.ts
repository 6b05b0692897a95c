import { expect } from "chai";

import { KeyFilter } from "../src/store/key-filter.ts";

describe("KeyFilter", () => {
  it("has every key added, and few of the others", () => {
    const filter = new KeyFilter(20);
    const key = (i: number) => `Identity\u00000x${i.toString(16).padStart(40, "0")}`;
    for (let i = 0; i < 50_000; i += 1) filter.add(key(i));
    for (let i = 0; i < 50_000; i += 1) expect(filter.mayHave(key(i))).to.equal(true);
    let falsePositives = 0;
    for (let i = 50_000; i < 100_000; i += 1) if (filter.mayHave(key(i))) falsePositives += 1;
    // 5 hashes over 2^20 bits at 50,000 keys: about 0.13% in theory.
    expect(falsePositives).to.be.below(250);
  });

  it("refuses a size it cannot hold", () => {
    expect(() => new KeyFilter(40)).to.throw(/log2Bits must be an integer from 5 to 31, got 40/);
  });
});
