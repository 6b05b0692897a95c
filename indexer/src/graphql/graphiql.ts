/**
 * The GraphiQL page graph-node serves on GET `/subgraphs/name/<name>/graphql`. Like graph-node's, the page
 * loads GraphiQL and React from a CDN in the browser; the server ships no front-end bundle. Queries go to
 * the page's own path without `/graphql`.
 */
const GRAPHIQL = "https://unpkg.com/graphiql@3.8.3";
const REACT = "https://unpkg.com/react@18.3.1/umd/react.production.min.js";
const REACT_DOM = "https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function graphiqlPage(subgraphName: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>GraphiQL: ${escapeHtml(subgraphName)}</title>
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="${GRAPHIQL}/graphiql.min.css" />
    <script crossorigin src="${REACT}"></script>
    <script crossorigin src="${REACT_DOM}"></script>
    <script crossorigin src="${GRAPHIQL}/graphiql.min.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script>
      const endpoint = window.location.pathname.replace(/\\/graphql\\/?$/, "");
      const fetcher = GraphiQL.createFetcher({ url: endpoint });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, { fetcher }));
    </script>
  </body>
</html>
`;
}
