import { ZeroAddress } from "ethers";
import { signChange, signDisclosure, type SignableChange } from "@realdid/sdk/actions";

import { api, ApiError, type Account, type PublicProfile, type SiteStatus } from "../api.ts";
import { currentHolder, deviceKey, handedOver, readClient, type Holder } from "../holder.ts";
import { $, act, errorMessage, esc, message, on } from "../ui.ts";

/** The badge: level and issuer, never the name; with the indexer's fallback notice when there is one. */
export function badgeHtml(badge: PublicProfile["badge"]): string {
  return `<span class="badge ${badge.verified ? "yes" : "no"}" id="badge">${esc(badge.text)}</span>
    <small>(${badge.source === "chain" ? "on-chain reads" : "GraphQL, confirmed on chain with isVerified"})</small>
    ${badge.notice === undefined ? "" : message("warn", badge.notice)}`;
}

/** Signs `change` with the holder's site key and has the site relay it (it pays the gas). */
async function relay(status: SiteStatus, holder: Holder, change: SignableChange): Promise<void> {
  if (holder.siteKey === null)
    throw new Error("A browser wallet sends this change itself; the relay needs a seed account.");
  const signed = await signChange(readClient(status), holder.siteKey.signingKey, change);
  await api("/api/relay/change", signed);
}

export async function accountPage(status: SiteStatus): Promise<string | void> {
  let account: Account;
  try {
    account = await api<Account>("/api/account");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return `<h1>Your account</h1>${errorMessage(error)}<a href="#/signin"><button>Sign in</button></a>`;
    }
    throw error;
  }
  const holder = currentHolder(status);
  const handover = handedOver(account.identity);
  const device = holder?.kind === "seed" ? deviceKey() : null;
  $("#page").innerHTML = `<h1>Your account</h1>
    <div class="card"><label>DID</label><div class="mono" id="account-did">${esc(account.did)}</div>
      <label>Signed in with</label><div class="mono">${esc(account.session.signer)} (${esc(account.role)})</div>
      <h2>Real-name verification</h2>${badgeHtml(account.badge)}
      <p><small>The site learns the level and who verified you — never your name, unless you disclose it.</small></p></div>
    <div class="card"><h2>Public real name</h2>${
      account.realName !== null
        ? `<p>Disclosed publicly: <span class="realname" id="real-name">${esc(account.realName.name)}</span>, verified by ${esc(account.realName.issuer)}.</p>`
        : handover !== null && account.badge.verified
          ? `<p>Your issuer handed you the name and salt behind your attestation. Disclosing writes the name on chain:
             <b>it is public forever</b>, even after revocation.</p><button id="disclose">Disclose "${esc(handover.realName)}" publicly</button>`
          : `<p>Nothing disclosed. ${account.badge.verified ? "This browser holds no name and salt from your issuer." : "Get verified first (Issuer page)."}</p>`
    }</div>
    <div class="card"><h2>Creator</h2><p>${account.followers.toLocaleString("en-US")} followers ·
      ${account.publishing.allowed ? "may publish" : "publishing blocked"} · <a href="#/creators">Creators page →</a>
      · <a href="#/profile/${encodeURIComponent(account.did)}">public profile →</a></p></div>
    <div class="card"><h2>Keys</h2>${
      device === null
        ? "<p>Your wallet manages keys.</p>"
        : `<p>This device's key <code>${esc(device.address)}</code> can become a <code>sigAuth</code> delegate of your DID
           (valid one day), so it signs in without the recovery phrase.</p>
           <button class="secondary" id="add-device">Add this device's key</button>
           <button class="secondary" id="revoke-device">Revoke this device's key</button>`
    }
      <h2>Deactivate</h2><p>Deactivation is final: the DID can never sign in or change again.</p>
      <button class="danger" id="deactivate" ${holder?.siteKey ? "" : "disabled"}>Deactivate my DID</button>
      <button class="secondary" id="signout">Sign out</button></div>
    <div id="result"></div>`;
  const result = $("#result");
  const identity = account.identity;
  on("#disclose", (button) =>
    act(button, result, async () => {
      const signer = await holder!.signer();
      const deadline = Math.floor(Date.now() / 1000) + 600;
      const signed = await signDisclosure(readClient(status), signer, { identity, ...handover!, deadline });
      await api("/api/relay/disclose", signed);
      return message("ok", `Your real name "${handover!.realName}" is now public on your profile.`);
    }),
  );
  on("#add-device", (button) =>
    act(button, result, async () => {
      const change = {
        action: "addDelegate",
        identity,
        delegateType: "sigAuth",
        delegate: device!.address,
        validity: 86_400,
      } as const;
      await relay(status, holder!, change);
      return message("ok", `Device key ${device!.address} is now a sigAuth delegate: sign out and sign in with it.`);
    }),
  );
  on("#revoke-device", (button) =>
    act(button, result, async () => {
      await relay(status, holder!, {
        action: "revokeDelegate",
        identity,
        delegateType: "sigAuth",
        delegate: device!.address,
      });
      return message("ok", "Device key revoked: sessions it opened end on their next request.");
    }),
  );
  on("#deactivate", (button) =>
    act(button, result, async () => {
      if (!confirm("Deactivate this DID for good?")) return "";
      await relay(status, holder!, { action: "changeOwner", identity, newOwner: ZeroAddress });
      return message("ok", "Your DID is deactivated. Your session ends on the next request.");
    }),
  );
  on("#signout", (button) =>
    act(button, result, async () => {
      await api("/api/signout", {});
      return message("ok", "Signed out.");
    }),
  );
}
