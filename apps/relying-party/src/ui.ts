/** Rendering helpers: escaped HTML, messages, busy buttons. */
import { ApiError } from "./api.ts";

/** HTML-escapes `value`. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type MessageKind = "ok" | "error" | "warn" | "info";

export function message(kind: MessageKind, text: string): string {
  return `<div class="msg ${kind}" data-kind="${kind}">${esc(text)}</div>`;
}

/** Extra help for a refusal reason, shown under the server's own message. */
const HINTS: Record<string, string> = {
  replayed:
    "This signed sign-in was already used once: a replay never opens a session. Sign in again for a fresh challenge.",
  wrongDomain: "The message was signed for another site, so this site refuses it (phishing protection).",
  expired: "The challenge expired: sign in again for a fresh one.",
  invalidSignature: "The signature was not made by the key named in the message.",
  deactivated: "This DID is deactivated for good: it can no longer sign in.",
  notAuthorised: "This key is neither the DID's owner nor a valid sigAuth device key.",
  unknownNonce: "This site did not issue that challenge.",
  unavailable: "The chain could not be asked; try again once it is back.",
  signedOut: "Sign in first.",
  disclosureRequired: "Publishing is blocked by the platform's creator rule.",
};

/** A message for any error: the server's text plus a hint for its reason. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const hint = error.reason === undefined ? undefined : HINTS[error.reason];
    return message("error", hint === undefined ? error.message : `${error.message} — ${hint}`);
  }
  return message("error", (error as Error).message ?? String(error));
}

/** Runs `action` while `button` shows it is busy; writes its outcome (or its error) into `target`. */
export async function act(
  button: HTMLButtonElement,
  target: HTMLElement,
  action: () => Promise<string>,
): Promise<void> {
  button.disabled = true;
  target.innerHTML = message("info", "Working…");
  try {
    target.innerHTML = await action();
  } catch (error) {
    target.innerHTML = errorMessage(error);
  } finally {
    button.disabled = false;
  }
}

export const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

export function on(selector: string, handler: (button: HTMLButtonElement) => void): void {
  const element = document.querySelector<HTMLButtonElement>(selector);
  element?.addEventListener("click", () => handler(element));
}
