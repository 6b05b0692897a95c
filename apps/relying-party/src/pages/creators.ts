import { api, ApiError, type Account, type PublicProfile, type Publishing, type SiteStatus } from "../api.ts";
import { $, act, esc, message, on } from "../ui.ts";
import { badgeHtml } from "./account.ts";

const posts = (list: PublicProfile["posts"]) =>
  list.length === 0
    ? "<p><small>No posts yet.</small></p>"
    : list.map((post) => `<div class="post">${esc(post.text)}<br /><small>${esc(post.at)}</small></div>`).join("");

const ruleText = (status: SiteStatus) =>
  `Platform rule: above ${status.threshold.toLocaleString("en-US")} followers a creator must be real-name verified
   (level ${status.minLevel}+) and show the verified real name publicly before publishing.`;

function publishingHtml(publishing: Publishing): string {
  return publishing.allowed
    ? message(
        "ok",
        publishing.requirement.required
          ? "You may publish: your verified real name is shown publicly."
          : "You may publish.",
      )
    : message("error", publishing.reason ?? "Publishing is blocked.");
}

export async function creatorsPage(status: SiteStatus): Promise<string | void> {
  const { creators } = await api<{ creators: { did: string; followers: number }[] }>("/api/creators");
  let account: Account | null = null;
  let signedOut = "";
  try {
    account = await api<Account>("/api/account");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    signedOut = error.reason === "signedOut" ? "" : message("error", error.message);
  }
  const list = creators
    .map(
      (c) =>
        `<tr><td><a href="#/profile/${encodeURIComponent(c.did)}" class="mono">${esc(c.did)}</a></td><td>${c.followers.toLocaleString("en-US")}</td></tr>`,
    )
    .join("");
  $("#page").innerHTML = `<h1>Creators</h1><p class="lead">${ruleText(status)}</p>
    ${
      account === null
        ? `${signedOut}<div class="card"><p>Sign in to publish.</p><a href="#/signin"><button>Sign in</button></a></div>`
        : `<div class="card"><h2>Your creator profile</h2>
            <label>Followers (the platform counts them; set them here to try the rule)</label>
            <div class="row"><input id="followers" type="number" min="0" value="${account.followers}" />
              <div><button class="secondary" id="set-followers">Set followers</button></div></div>
            <div id="publishing">${publishingHtml(account.publishing)}</div>
            <textarea id="post" rows="2" maxlength="280" placeholder="Say something"></textarea>
            <button id="publish">Publish</button>
            <div id="result"></div>
            <h2>Your posts</h2><div id="posts">${posts(account.posts)}</div></div>`
    }
    <div class="card"><h2>All creators</h2><table><tr><th>DID</th><th>followers</th></tr>${list}</table></div>`;
  if (account === null) return;
  const result = $("#result");
  on("#set-followers", (button) =>
    act(button, result, async () => {
      const followers = Number($<HTMLInputElement>("#followers").value);
      const answer = await api<{ publishing: Publishing }>("/api/creator/followers", { followers });
      $("#publishing").innerHTML = publishingHtml(answer.publishing);
      return message("ok", `Followers set to ${followers.toLocaleString("en-US")}.`);
    }),
  );
  on("#publish", (button) =>
    act(button, result, async () => {
      const answer = await api<{ posts: PublicProfile["posts"] }>("/api/creator/posts", {
        text: $<HTMLTextAreaElement>("#post").value,
      });
      $("#posts").innerHTML = posts(answer.posts);
      return message("ok", "Published.");
    }),
  );
}

export async function profilePage(status: SiteStatus, did: string): Promise<string> {
  const profile = await api<PublicProfile>(`/api/profile?id=${encodeURIComponent(did)}`);
  return `<h1>Public profile</h1><div class="card"><div class="mono">${esc(profile.did)}</div>
    ${
      profile.realName === null
        ? "<p>No public real name.</p>"
        : `<p>Real name: <span class="realname" id="real-name">${esc(profile.realName.name)}</span> — verified by ${esc(profile.realName.issuer)}</p>`
    }
    ${badgeHtml(profile.badge)}
    <p>${profile.followers.toLocaleString("en-US")} followers · <a href="#/explorer/${encodeURIComponent(profile.did)}">history →</a></p>
    <p><small>${ruleText(status)}</small></p>
    <h2>Posts</h2>${posts(profile.posts)}</div>`;
}
