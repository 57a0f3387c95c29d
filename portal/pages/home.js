// The signed-in start page: who is signed in, and where to go.

import { el, me as signedIn, staff } from "../app.js";

export async function homePage() {
  const me = await signedIn();
  return {
    title: `Welcome, ${me.firstName || me.username}`,
    node: el("div", {},
      el("dl", { class: "facts" },
        el("dt", {}, "User name"), el("dd", { id: "me-username" }, me.username),
        el("dt", {}, "Role"), el("dd", {}, me.role),
        el("dt", {}, "Account"), el("dd", {}, me.accountId)),
      staff(me.role) ? el("ul", {}, el("li", {}, el("a", { href: "/tenant-creation" }, "Tenant Creation Management"),
        ": the registrations of your templates")) : null),
  };
}
