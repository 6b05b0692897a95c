import { network } from "hardhat";
import { ZeroHash } from "ethers";
import { attestation, deployTrustStack, LEVEL, now, YEAR, TX } from "../test/helpers/trust.js";
const { ethers } = await network.create();
const s = await deployTrustStack(ethers);
const expiry = (await now(ethers)) + YEAR;
const a = attestation(s.holder.address, LEVEL.DOCUMENT, expiry);
await (await s.realNameRegistry.connect(s.issuer).attest(s.issuer.address, a, TX)).wait();
const b = attestation(s.other.address, LEVEL.DOCUMENT, expiry);
const mode = process.env.MODE ?? "verify";
let tx;
if (mode === "verify") {
  const data = s.realNameRegistry.interface.encodeFunctionData("isVerified", [a.identity, 2]);
  tx = await s.issuer.sendTransaction({ to: await s.realNameRegistry.getAddress(), data, gasLimit: 1_000_000 });
} else if (mode === "attest") {
  tx = await s.realNameRegistry.connect(s.issuer).attest(s.issuer.address, b, TX);
} else {
  tx = await s.statusRegistry.connect(s.issuer).setStatus(s.issuer.address, 0, 0, true, TX);
  await tx.wait();
  await (await s.realNameRegistry.connect(s.issuer).attest(s.issuer.address, b, TX)).wait();
  tx = await s.statusRegistry.connect(s.issuer).setStatus(s.issuer.address, 0, 1, true, TX);
}
const r = await tx.wait();
console.log("gasUsed", r!.gasUsed);
const trace = await ethers.provider.send("debug_traceTransaction", [tx.hash, { disableStorage: true, disableMemory: true }]);
const logs = trace.structLogs as { op: string; gas: number; gasCost: number; depth: number }[];
const byOp = new Map<string, number>();
for (let i = 0; i < logs.length; i++) {
  const l = logs[i];
  let cost = l.gasCost;
  if (["CALL", "STATICCALL", "DELEGATECALL"].includes(l.op) && logs[i + 1] && logs[i + 1].depth > l.depth) {
    let j = i + 1;
    while (logs[j].depth > l.depth) j++;
    let inner = 0;
    for (let k = i + 1; k < j; k++) if (logs[k].depth === l.depth + 1) inner += logs[k].gasCost;
    cost = l.gas - logs[j].gas;
    console.log(`depth ${l.depth} ${l.op} inclusive ${cost}`);
    cost = cost - (l.gas - logs[j].gas - 0);
    cost += (l.gas - logs[j].gas);
  }
  const k = `${l.depth}:${l.op}`;
  byOp.set(k, (byOp.get(k) ?? 0) + cost);
}
const sorted = [...byOp].sort((x, y) => y[1] - x[1]);
console.log(sorted.slice(0, 30).map(([k, v]) => `${k}:${v}`).join("  "));
