/** The site's pages, one per hash route, over the API of server/app.ts. */
import "./style.css";

import { api, type SiteStatus } from "./api.ts";
import { currentHolder } from "./holder.ts";
import { accountPage } from "./pages/account.ts";
import { createPage } from "./pages/create.ts";
import { creatorsPage, profilePage } from "./pages/creators.ts";
import { explorerPage } from "./pages/explorer.ts";
import { homePage } from "./pages/home.ts";
import { issuerPage } from "./pages/issuer.ts";
import { signInPage } from "./pages/signin.ts";
import { $, esc, errorMessage } from "./ui.ts";

export type Page = (status: SiteStatus, argument: string) => Promise<string | void>;

const PAGES: Record<string, Page> = {
  "": homePage,
  create: createPage,
  signin: signInPage,
  account: accountPage,
  creators: creatorsPage,
  profile: profilePage,
  issuer: issuerPage,
  explorer: explorerPage,
};

function footer(status: SiteStatus): string {
  const dot = (ok: boolean) => `<span class="dot ${ok ? "up" : "down"}"></span>`;
  const chain = status.chain.ok
    ? `chain ${status.chainId}, block ${status.chain.block}`
    : `chain: ${status.chain.error}`;
  const indexer = status.indexer.ok
    ? `GraphQL indexed block ${status.indexer.block}`
    : `GraphQL indexer not answering — pages fall back to on-chain reads (${status.indexer.error})`;
  return `${dot(status.chain.ok)}${esc(chain)} · ${dot(status.indexer.ok)}<span id="indexer-status">${esc(indexer)}</span>
    · RealNameRegistry <code>${esc(status.realNameRegistry)}</code>`;
}

async function render(): Promise<void> {
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  const argument = decodeURIComponent(rest.join("/"));
  for (const link of Array.from(document.querySelectorAll("nav a"))) {
    link.classList.toggle("active", link.getAttribute("href") === `#/${name}`);
  }
  const page = $("#page");
  try {
    const status = await api<SiteStatus>("/api/status");
    $("#status").innerHTML = footer(status);
    const holder = currentHolder(status);
    $("#who").innerHTML = holder === null ? "no account in this browser" : `<code>${esc(holder.did)}</code>`;
    const html = await (PAGES[name] ?? homePage)(status, argument);
    if (typeof html === "string") page.innerHTML = html;
  } catch (error) {
    page.innerHTML = errorMessage(error);
  }
  page.dataset.ready = location.hash;
}

window.addEventListener("hashchange", () => void render());
void render();
