import { api, type SiteStatus } from "../api.ts";
import { currentHolder, saveHandedOver } from "../holder.ts";
import { $, act, esc, message, on } from "../ui.ts";

export async function issuerPage(status: SiteStatus): Promise<string | void> {
  const holder = currentHolder(status);
  $("#page").innerHTML = `<h1>Demo authority: Demo Public Security Bureau</h1>
    ${message(
      "warn",
      `Demo only: this issuer's key (${status.issuer}, an accredited issuer on the local chain) lives in this web site's server so anyone can try it. A real authority keeps its key to itself and checks an identity document or a face before attesting.`,
    )}
    <div class="card">
      <label>DID to verify</label><input id="did" value="${esc(holder?.did ?? "")}" placeholder="did:ethr:${esc(status.network)}:0x…" />
      <div class="row">
        <div><label>Assurance level</label><select id="level">
          <option value="1">1 — contact verified</option><option value="2" selected>2 — identity document checked</option>
          <option value="3">3 — in person / biometric</option></select></div>
        <div><label>Real name (checked by the authority; only a salted commitment goes on chain)</label>
          <input id="real-name" value="Li Hua" /></div>
      </div>
      <button id="attest">Attest</button>
      <button class="secondary" id="suspend">Suspend</button>
      <button class="secondary" id="unsuspend">Lift suspension</button>
      <button class="danger" id="revoke">Revoke</button>
    </div>
    <div id="result"></div>`;
  const result = $("#result");
  const did = () => $<HTMLInputElement>("#did").value.trim();
  on("#attest", (button) =>
    act(button, result, async () => {
      const realName = $<HTMLInputElement>("#real-name").value.trim();
      const level = Number($<HTMLSelectElement>("#level").value);
      const answer = await api<{ did: string; salt: string; transaction: string }>("/api/issuer/attest", {
        did: did(),
        level,
        realName,
      });
      // The authority hands the holder the name and salt behind the commitment (here: this browser's storage).
      const identity = answer.did.split(":").pop()!;
      saveHandedOver(identity, { realName, salt: answer.salt });
      return message(
        "ok",
        `Attested ${answer.did} at level ${level} (transaction ${answer.transaction}). The holder received the salt that opens the commitment; the name stays private until they disclose it.`,
      );
    }),
  );
  const setStatus = (status: "revoked" | "suspended", value: boolean, done: string) => (button: HTMLButtonElement) =>
    act(button, result, async () => {
      const answer = await api<{ transaction: string }>("/api/issuer/status", { did: did(), status, value });
      return message(
        "ok",
        `${done} (transaction ${answer.transaction}). Every relying party sees it on its next check.`,
      );
    });
  on("#suspend", setStatus("suspended", true, "Suspended"));
  on("#unsuspend", setStatus("suspended", false, "Suspension lifted"));
  on("#revoke", setStatus("revoked", true, "Revoked"));
}
