import { generateMnemonic, siteIdentity } from "@realdid/sdk/keys";

import type { SiteStatus } from "../api.ts";
import { connectWallet, currentHolder, forgetHolder, saveSeed } from "../holder.ts";
import { $, act, esc, message, on } from "../ui.ts";

export async function createPage(status: SiteStatus): Promise<string | void> {
  const holder = currentHolder(status);
  if (holder !== null) {
    const other =
      holder.kind === "seed"
        ? siteIdentity(localStorage.getItem("realdid.seed")!, "https://another-site.example", {
            network: status.network,
          }).did
        : null;
    $("#page").innerHTML = `<h1>Your anonymous account</h1>
      <div class="card"><label>Your DID on this site</label><div class="mono" id="did">${esc(holder.did)}</div>
      ${
        other === null
          ? `<p>Held by your browser wallet.</p>`
          : `<p>Derived from your recovery phrase for <code>${esc(location.origin)}</code> only. The same phrase gives
             <code>https://another-site.example</code> the unrelated DID <span class="mono">${esc(other)}</span>:
             nothing links the two.</p>`
      }
      <a href="#/signin"><button>Sign in</button></a>
      <button class="danger" id="forget">Forget this account in this browser</button></div>`;
    on("#forget", () => {
      forgetHolder();
      location.hash = "#/create";
      dispatchEvent(new HashChangeEvent("hashchange"));
    });
    return;
  }
  $("#page").innerHTML = `<h1>Create an anonymous account</h1>
    <p class="lead">No personal data: your browser creates a recovery phrase and derives a DID for this site.</p>
    <div class="card"><h2>New recovery phrase</h2><button id="generate">Create a recovery phrase</button></div>
    <div class="card"><h2>Import a recovery phrase</h2>
      <textarea id="words" rows="2" placeholder="twelve or twenty-four words"></textarea>
      <button class="secondary" id="import">Import</button></div>
    <div class="card"><h2>Browser wallet</h2>
      <p>${window.ethereum === undefined ? "No EIP-1193 wallet was found in this browser." : "Use the account of your wallet as your DID."}</p>
      <button class="secondary" id="wallet" ${window.ethereum === undefined ? "disabled" : ""}>Use my wallet</button></div>
    <div id="result"></div>`;
  const done = (words?: string) => {
    const holder = currentHolder(status)!;
    return `${words === undefined ? "" : `<h2>Write these words down: they restore your DID on every site</h2><div class="words" id="phrase">${esc(words)}</div>`}
      ${message("ok", `Account created. Your DID on this site: ${holder.did}`)}
      <a href="#/signin"><button id="continue">Continue to sign in</button></a>`;
  };
  on("#generate", (button) =>
    act(button, $("#result"), async () => {
      const words = generateMnemonic();
      saveSeed(words, status);
      return done(words);
    }),
  );
  on("#import", (button) =>
    act(button, $("#result"), async () => {
      saveSeed($<HTMLTextAreaElement>("#words").value, status);
      return done();
    }),
  );
  on("#wallet", (button) =>
    act(button, $("#result"), async () => {
      await connectWallet(status);
      return done();
    }),
  );
}
