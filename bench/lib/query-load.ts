/**
 * GraphQL query load from a worker thread, so the clients do not share the event loop of the server they load:
 * `clients` loops, each sending the next of `requests` as soon as the previous one is answered.
 */
import { Worker } from "node:worker_threads";

export interface QueryLoadResult {
  clients: number;
  /** Queries answered without errors, and with errors (or failed requests). */
  answered: number;
  errors: number;
  seconds: number;
}

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, clients, requests } = workerData;
let running = true;
let answered = 0;
let errors = 0;
parentPort.on("message", () => (running = false));
async function client(next) {
  while (running) {
    const body = JSON.stringify(requests[next++ % requests.length]);
    try {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      const reply = await response.json();
      if (reply.errors === undefined) answered++;
      else errors++;
    } catch {
      errors++;
    }
  }
}
Promise.all(Array.from({ length: clients }, (_, i) => client(i))).then(() => parentPort.postMessage({ answered, errors }));
`;

export function startQueryLoad(
  url: string,
  clients: number,
  requests: { query: string; variables?: Record<string, unknown> }[],
): { stop(): Promise<QueryLoadResult> } {
  const started = performance.now();
  const worker = new Worker(WORKER, { eval: true, workerData: { url, clients, requests } });
  const finished = new Promise<{ answered: number; errors: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    async stop() {
      worker.postMessage("stop");
      const { answered, errors } = await finished;
      await worker.terminate();
      return { clients, answered, errors, seconds: (performance.now() - started) / 1000 };
    },
  };
}
