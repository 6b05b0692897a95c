import { expect } from "chai";

import { recordChainHead, type RpcClient } from "../src/runtime/index.ts";
import type { BlockPointer } from "../src/store/index.ts";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

describe("recordChainHead: the index node's record of the chain head, for query nodes' status API", () => {
  it("records each new head once, logs a failed read and goes on, and stops when told", async () => {
    // What eth_getBlockByNumber("latest") answers at each poll: a head, the same again, a failure, a new head.
    const answers: (number | Error)[] = [5, 5, new Error("connection refused"), 6, 6, 6];
    const rpc: RpcClient = {
      request: <T>(method: string, params: readonly unknown[]) => {
        expect([method, params]).to.deep.equal(["eth_getBlockByNumber", ["latest", false]]);
        const answer = answers.shift() ?? 6;
        if (answer instanceof Error) return Promise.reject(answer);
        return Promise.resolve({ number: `0x${answer.toString(16)}`, hash: hash(answer) } as T);
      },
    };
    const recorded: BlockPointer[] = [];
    const logs: string[] = [];
    const stop = new AbortController();
    const record = async (head: BlockPointer) => {
      recorded.push(head);
      if (head.number === 6) stop.abort();
    };
    await recordChainHead(rpc, record, 1, stop.signal, { log: (level, message) => logs.push(`${level}: ${message}`) });
    expect(recorded).to.deep.equal([
      { number: 5, hash: hash(5) },
      { number: 6, hash: hash(6) },
    ]);
    expect(logs).to.deep.equal(["warning: cannot record the chain head: connection refused"]);
  });
});
