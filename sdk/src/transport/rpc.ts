/** JSON-RPC transport: an ethers provider for a URL, or the one the caller already has. */
import { JsonRpcProvider, type Provider } from "ethers";

/** Where to reach a chain: a JSON-RPC URL or an ethers provider (e.g. `BrowserProvider` over a wallet). */
export type ChainConnection = { rpcUrl: string } | { provider: Provider };

/**
 * The ethers provider of a {@link ChainConnection}; a URL gets a `JsonRpcProvider` pinned to `chainId` (no network
 * detection round trip) that never answers from a cache. It sends the calls made in one turn of the event loop as one
 * JSON-RPC batch, without waiting for more (ethers' default waits 10 ms, which a sign-in or resolution would pay
 * every time); `batch: false` sends each call on its own, for callers that wait for one answer before the next
 * request (a log walk).
 *
 * @example
 * const provider = providerOf({ rpcUrl: "http://127.0.0.1:8545" }, 31337);
 */
export function providerOf(
  connection: ChainConnection,
  chainId: number | bigint,
  { batch = true }: { batch?: boolean } = {},
): Provider {
  if ("provider" in connection) return connection.provider;
  const batching = batch ? { batchStallTime: 0 } : { batchMaxCount: 1 };
  // No answer reused: ethers would serve a repeated request from a 250 ms cache (a stale nonce for the next
  // transaction, a delegate read from before its revocation).
  const options = { staticNetwork: true, cacheTimeout: -1, ...batching };
  return new JsonRpcProvider(connection.rpcUrl, Number(chainId), options);
}
