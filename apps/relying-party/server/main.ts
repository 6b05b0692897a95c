/**
 * The relying-party site: `node apps/relying-party/server/main.ts [--port 3000] …` (see config.ts). `npm start`
 * runs it beside the chain and GraphQL. Serves the built front end (`vite build`) and the API of app.ts.
 */
import { createServer } from "node:http";

import { createApp } from "./app.ts";
import { connectChain } from "./chain.ts";
import { readConfig, type SiteConfig } from "./config.ts";
import { serveStatic } from "./http.ts";

const log = (line: string) => console.log(line);

let config: SiteConfig;
try {
  config = readConfig();
} catch (error) {
  console.error(`relying-party: ${(error as Error).message}`);
  process.exit(2);
}
const app = createApp(config, connectChain(config), log);

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "localhost"}`);
  if (await app.handle(request, response, url)) return;
  if (request.method === "GET" && serveStatic(config.staticDir, url.pathname, response)) return;
  response.statusCode = 404;
  response.setHeader("content-type", "text/plain; charset=utf-8");
  response.end(
    url.pathname === "/"
      ? `The front end is not built: run "npx vite build apps/relying-party" (npm start does).\n`
      : `Not found: ${url.pathname}\n`,
  );
});
server.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EADDRINUSE") {
    console.error(`Port ${config.port} on ${config.host} is in use: stop what listens there or pass --port <n>.`);
  } else {
    console.error(`relying-party: ${error.message}`);
  }
  process.exit(1);
});
server.listen(config.port, config.host, () => log(`web site on http://${config.host}:${config.port}`));
