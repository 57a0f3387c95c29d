// The signed-in start page: who is signed in, their own profile, and where to go.

import { api, el, me as signedIn, ownAccount, staff, desk, admin, roleLabel } from "../app.js";

export async function homePage() {
  const me = await signedIn();
  // A user also sees their subscription here; a basic user, who may read nothing but
  // their profile, sees that alone: this is their only page.
  const own = me.role === "user" ? await api("GET", `/v1/accounts/${me.accountId}/users/${me.id}`).catch(() => null) : null;
  const numbers = [me.primaryNumber, ...(me.aliases || [])].filter(Boolean);
  // Administrators and users read their own account; others are shown its ID.
  const account = await ownAccount();
  return {
    title: `Welcome, ${me.firstName || me.username}`,
    node: el("div", {},
      el("dl", { class: "facts" },
        el("dt", {}, "User name"), el("dd", { id: "me-username" }, me.username),
        el("dt", {}, "Name"), el("dd", {}, `${me.firstName || ""} ${me.lastName || ""}`.trim() || "—"),
        el("dt", {}, "Email"), el("dd", {}, me.email || "—"),
        el("dt", {}, "Role"), el("dd", {}, roleLabel(me.role)),
        el("dt", {}, "Account"), el("dd", {}, account ? `${account.name} (${account.realm})` : me.accountId),
        numbers.length ? [el("dt", {}, "Numbers"), el("dd", {}, numbers.join(", "))] : null,
        me.invoiceAddress ? [el("dt", {}, "Invoice address"), el("dd", {}, Object.values(me.invoiceAddress).join(", "))] : null,
        own?.subscription ? [el("dt", {}, "Mobile subscription"), el("dd", {}, `${own.subscription.status}${own.subscription.number ? ", " + own.subscription.number : ""}`)] : null,
        own?.porting ? [el("dt", {}, "Porting"), el("dd", {}, `${own.porting.number}: ${own.porting.status}`)] : null),
      el("ul", {},
        admin(me.role) ? el("li", {}, el("a", { href: `/accounts/${me.accountId}` }, "Our account"),
          ": its users, contacts and numbers, softphone clients, call summaries, audit log, staff and integrations") : null,
        admin(me.role) ? el("li", {}, el("a", { href: "/accounts" }, "Accounts"), ": the customers below yours, and the same pages for each") : null,
        me.role === "user" ? el("li", {}, el("a", { href: `/accounts/${me.accountId}` }, "Our account"), ": read only") : null,
        staff(me.role) ? el("li", {}, el("a", { href: "/tenant-creation" }, "Tenant Creation Management"), ": the registrations of your templates") : null,
        desk(me.role) ? el("li", {}, el("a", { href: "/porting" }, "Porting desk"), ": every account's porting requests") : null)),
  };
}
