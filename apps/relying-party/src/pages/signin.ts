import { Wallet, type Signer } from "ethers";
import { createSignInMessage, signInWithDid, type Challenge } from "@realdid/sdk/signin";

import { api, type SiteStatus } from "../api.ts";
import { currentHolder, deviceKey, hasDeviceKey } from "../holder.ts";
import { $, act, esc, message, on } from "../ui.ts";

const LAST = "realdid.lastSignIn";

/** Asks the site for a challenge, signs it as `did` with `signer` (optionally altered first), sends it back. */
async function signIn(did: string, signer: Signer, alter: (c: Challenge) => Challenge = (c) => c): Promise<string> {
  const challenge = alter(await api<Challenge>("/api/signin/challenge"));
  const signed = await signInWithDid(challenge, { did, signer });
  sessionStorage.setItem(LAST, JSON.stringify(signed));
  const { session } = await api<{ session: { did: string; signer: string } }>("/api/signin/verify", signed);
  return `${message("ok", `Signed in as ${session.did} with key ${session.signer}.`)}<a href="#/account"><button id="to-account">Go to your account</button></a>`;
}

export async function signInPage(status: SiteStatus): Promise<string | void> {
  const holder = currentHolder(status);
  if (holder === null) {
    return `<h1>Sign in with your DID</h1>${message("info", "This browser holds no account yet.")}<a href="#/create"><button>Create an anonymous account</button></a>`;
  }
  $("#page").innerHTML = `<h1>Sign in with your DID</h1>
    <p class="lead">The site sends a single-use challenge; your key signs an EIP-4361 message naming your DID; the
    server verifies the signature and, on chain, that the key may act for the DID.</p>
    <div class="card"><label>DID</label><div class="mono">${esc(holder.did)}</div>
      <button id="signin">Sign in with my DID</button>
      <button class="secondary" id="signin-device" ${hasDeviceKey() ? "" : "disabled"}>Sign in with this device's key (sigAuth)</button>
      <p><small>${
        hasDeviceKey()
          ? `Device key <code>${esc(deviceKey().address)}</code>: it signs in only while it is a valid sigAuth delegate of your DID (add it on the Account page).`
          : "No device key yet: add one on the Account page once signed in."
      }</small></p></div>
    <div id="result"></div>
    <div class="card"><h2>Try the protections</h2>
      <p>Each is refused by the server, which says why on this page and in its log.</p>
      <button class="secondary" id="replay">Replay the last signed sign-in</button>
      <button class="secondary" id="wrong-domain">Sign a challenge for another domain</button>
      <button class="secondary" id="forged">Send a signature made by another key</button></div>`;
  const result = $("#result");
  on("#signin", async (button) => act(button, result, async () => signIn(holder.did, await holder.signer())));
  on("#signin-device", (button) => act(button, result, () => signIn(holder.did, deviceKey())));
  on("#replay", (button) =>
    act(button, result, async () => {
      const last = sessionStorage.getItem(LAST);
      if (last === null) throw new Error("Sign in once first: there is no signed sign-in to replay.");
      await api("/api/signin/verify", JSON.parse(last));
      return message("warn", "The replay was accepted — this should not happen.");
    }),
  );
  on("#forged", (button) =>
    act(button, result, async () => {
      const challenge = await api<Challenge>("/api/signin/challenge");
      const text = createSignInMessage(challenge, { did: holder.did, address: holder.identity });
      const signature = await Wallet.createRandom().signMessage(text);
      await api("/api/signin/verify", { message: text, signature });
      return message("warn", "The forged signature was accepted — this should not happen.");
    }),
  );
  on("#wrong-domain", (button) =>
    act(button, result, async () =>
      signIn(holder.did, await holder.signer(), (c) => ({
        ...c,
        domain: "phishing.example",
        uri: "https://phishing.example/login",
      })),
    ),
  );
}
