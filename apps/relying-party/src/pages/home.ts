import type { SiteStatus } from "../api.ts";
import { esc } from "../ui.ts";

export async function homePage(status: SiteStatus): Promise<string> {
  const threshold = status.threshold.toLocaleString("en-US");
  return `<h1>Sign in with a DID. Prove you are real without saying who you are.</h1>
    <p class="lead">A demo platform on RealDID: every page talks to the chain and its GraphQL index through
    <code>@realdid/sdk</code>.</p>
    <div class="grid">
      <div class="card"><h2>1. Create an anonymous account</h2><p>Your browser derives a DID for this site from a
        recovery phrase it creates or imports (or uses your wallet). No name, no e-mail.</p><a href="#/create">Create account →</a></div>
      <div class="card"><h2>2. Sign in with your DID</h2><p>Sign a one-time challenge (EIP-4361); the server checks it on
        chain and keeps an HTTP-only session. A device key (sigAuth delegate) works too.</p><a href="#/signin">Sign in →</a></div>
      <div class="card"><h2>3. Get real-name verified</h2><p>An accredited authority attests your DID on chain — only a
        salted commitment, never your data. Your badge shows the level and the issuer, not your name.</p><a href="#/issuer">Issuer →</a></div>
      <div class="card"><h2>4. Creators</h2><p>Above ${esc(threshold)} followers this platform requires a public real-name
        disclosure before you publish. Revocation takes effect on the next request.</p><a href="#/creators">Creators →</a></div>
    </div>
    <div class="card"><h2>Explore</h2><p>Every owner change, key, attestation and status change of an identity, from
      the subgraph: <a href="#/explorer">Explorer →</a></p></div>`;
}
