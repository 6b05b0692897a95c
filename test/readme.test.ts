import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";

import { addressTable } from "../scripts/addresses.ts";

describe("README", () => {
  it("shows the address table of deployments/*.json", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    expect(readme).to.include(addressTable());
  });
});
