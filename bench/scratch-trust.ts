import { network } from "hardhat";
import { benchTrustLayer } from "./trust-layer.js";
import { renderSection } from "./lib/gas.js";
console.log(renderSection(await benchTrustLayer((await network.create()).ethers)));
