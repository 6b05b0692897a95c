import { api, type SiteStatus } from "../api.ts";
import { currentHolder } from "../holder.ts";
import { $, esc, message } from "../ui.ts";

interface Activity {
  did: string;
  source: "graphql" | "chain";
  notice?: string;
  history?: { kind: string; blockNumber: number; timestamp: number; transaction: string; summary: string }[];
  document?: unknown;
}

export async function explorerPage(status: SiteStatus, argument: string): Promise<string | void> {
  const id = argument || currentHolder(status)?.did || "";
  $("#page").innerHTML = `<h1>Explorer</h1><p class="lead">An identity's history from the subgraph (GraphQL):
    owner changes, keys, attributes, attestations and their status changes.</p>
    <div class="card"><div class="row"><input id="id" value="${esc(id)}" placeholder="did:ethr:… or 0x…" />
      <div><button id="show">Show</button></div></div></div><div id="activity"></div>`;
  const input = $<HTMLInputElement>("#id");
  $("#show").addEventListener("click", () => {
    location.hash = `#/explorer/${encodeURIComponent(input.value.trim())}`;
  });
  if (id === "") return;
  const activity = await api<Activity>(`/api/explorer?id=${encodeURIComponent(id)}`);
  const rows = (activity.history ?? [])
    .map(
      (
        entry,
      ) => `<tr><td>${entry.blockNumber}</td><td>${esc(new Date(entry.timestamp * 1000).toISOString().slice(0, 19).replace("T", " "))}</td>
        <td>${esc(entry.kind)}</td><td>${esc(entry.summary)}</td></tr>`,
    )
    .join("");
  $("#activity").innerHTML =
    activity.source === "chain"
      ? `${message("warn", activity.notice ?? "")}<div class="card"><h2>DID document (on chain)</h2><pre class="mono">${esc(JSON.stringify(activity.document, null, 2))}</pre></div>`
      : `<div class="card"><h2 class="mono">${esc(activity.did)}</h2>${
          rows === ""
            ? "<p>No history: this identity never changed and was never attested.</p>"
            : `<table id="history"><tr><th>block</th><th>time (UTC)</th><th>event</th><th>what</th></tr>${rows}</table>`
        }</div>`;
}
