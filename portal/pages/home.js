// The signed-in start page: who is signed in, and where to go.

import { api, el } from "../app.js";

export async function homePage() {
  const me = await api("GET", "/v1/me");
  return {
    title: `Welcome, ${me.firstName || me.username}`,
    node: el("div", {},
      el("dl", { class: "facts" },
        el("dt", {}, "User name"), el("dd", { id: "me-username" }, me.username),
        el("dt", {}, "Role"), el("dd", {}, me.role),
        el("dt", {}, "Account"), el("dd", {}, me.accountId))),
  };
}
