/** A JSON-RPC endpoint over HTTP in front of an in-process chain, for code that only takes a URL. */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** What {@link serveJsonRpc} needs of a provider: EIP-1193's `request`. */
export interface RequestProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** Serves an EIP-1193 provider (e.g. an in-process Hardhat chain) as a JSON-RPC endpoint over HTTP, batches too. */
export async function serveJsonRpc(provider: RequestProvider): Promise<{ url: string; close(): Promise<void> }> {
  const answer = async (call: { id?: unknown; method: string; params?: unknown[] }) => {
    try {
      return {
        jsonrpc: "2.0",
        id: call.id,
        result: await provider.request({ method: call.method, params: call.params }),
      };
    } catch (error) {
      const { code, message, data } = error as { code?: number; message: string; data?: unknown };
      return { jsonrpc: "2.0", id: call.id, error: { code: code ?? -32603, message, data } };
    }
  };
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += String(chunk);
    const calls = JSON.parse(body) as Parameters<typeof answer>[0] | Parameters<typeof answer>[0][];
    const result = Array.isArray(calls) ? await Promise.all(calls.map(answer)) : await answer(calls);
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(result));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
