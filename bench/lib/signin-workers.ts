/**
 * Sign-in verifications spread over worker threads, as a relying party's server would use every core: each worker
 * has its own SDK client and verifies its share of the messages with `concurrency` in flight; all of them consume
 * nonces from one store in the main thread (the SDK's in-memory store lives in one thread, so workers, like cluster
 * processes, need a shared store behind the `NonceStore` interface).
 */
import { isMainThread, MessageChannel, parentPort, Worker, workerData, type MessagePort } from "node:worker_threads";

import {
  createClient,
  verifySignIn,
  type NetworkConfig,
  type NonceStatus,
  type NonceStore,
} from "../../sdk/src/index.ts";

export interface SignedMessage {
  message: string;
  signature: string;
}

interface WorkerInput {
  network: NetworkConfig;
  options: { domain: string; uri: string; networkNames: string[] };
  /** Verified first, untimed (module loading, JIT, the first connection). */
  warmUp: SignedMessage[];
  signed: SignedMessage[];
  concurrency: number;
  nonces: MessagePort;
}

/** Runs `work` over `items` with at most `concurrency` in flight; the wall time in seconds. */
export async function concurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

/** A worker's entry: wait for "go" after the warm-up, verify, report. */
async function workerMain({ network, options, warmUp, signed, concurrency, nonces }: WorkerInput): Promise<void> {
  const waiting = new Map<number, (status: NonceStatus) => void>();
  let id = 0;
  nonces.on("message", ({ id: answered, status }: { id: number; status: NonceStatus }) => {
    waiting.get(answered)!(status);
    waiting.delete(answered);
  });
  const nonceStore: NonceStore = {
    issue: () => {
      throw new Error("nonces are issued by the main thread");
    },
    consume: (nonce, now) =>
      new Promise((resolve) => {
        waiting.set(++id, resolve);
        nonces.postMessage({ id, nonce, now });
      }),
  };
  const client = createClient(network);
  const verify = ({ message, signature }: SignedMessage) =>
    verifySignIn(message, signature, { ...options, client, nonceStore });
  await concurrently(warmUp, concurrency, verify);
  parentPort!.postMessage("ready");
  await new Promise((resolve) => parentPort!.once("message", resolve));
  await concurrently(signed, concurrency, verify);
  parentPort!.postMessage("done");
  nonces.close();
}

if (!isMainThread && (workerData as { signInWorker?: boolean } | null)?.signInWorker === true) {
  await workerMain(workerData as WorkerInput & { signInWorker: true });
}

/** The worker's code: TypeScript through tsx, as the `indexer` command loads its sources. */
const ENTRY = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;

/**
 * Verifies `warmUp[i]` and then, timed, `signed[i]` in worker `i` (one worker per entry), nonces consumed from
 * `nonceStore` in this thread; the wall time of the timed part in seconds (from "go" to the last worker's end).
 */
export async function verifyInWorkers(p: {
  network: NetworkConfig;
  options: WorkerInput["options"];
  nonceStore: NonceStore;
  warmUp: SignedMessage[][];
  signed: SignedMessage[][];
  concurrency: number;
}): Promise<number> {
  const workers = p.signed.map((signed, i) => {
    const { port1, port2 } = new MessageChannel();
    port1.on("message", async ({ id, nonce, now }: { id: number; nonce: string; now: number }) => {
      port1.postMessage({ id, status: await p.nonceStore.consume(nonce, now) });
    });
    const input = { network: p.network, options: p.options, warmUp: p.warmUp[i], signed, concurrency: p.concurrency };
    const worker = new Worker(ENTRY, {
      eval: true,
      workerData: { ...input, nonces: port2, signInWorker: true },
      transferList: [port2],
    });
    const message = (expected: string) =>
      new Promise<void>((resolve, reject) => {
        worker.once("error", reject);
        worker.once("message", (m) => (m === expected ? resolve() : reject(new Error(`worker said ${String(m)}`))));
      });
    return { worker, port1, ready: message("ready"), message };
  });
  try {
    await Promise.all(workers.map((w) => w.ready));
    const done = workers.map((w) => w.message("done"));
    const started = performance.now();
    for (const { worker } of workers) worker.postMessage("go");
    await Promise.all(done);
    return (performance.now() - started) / 1000;
  } finally {
    for (const { worker, port1 } of workers) {
      port1.close();
      await worker.terminate();
    }
  }
}
