// The Accounts Manager: the account tree with search, Add New Account step by step, and an
// account's detail with its edit form. A 409 (not enough trunks, limits below what the
// children hold) shows the API's arithmetic in words at the field.

import { api, el, field, alertBox, showErrors, confirmDialog, me, go, ApiError, admin, paged, filters } from "../app.js";
import { accountTabs, loadAccount } from "./customer.js";

const callClasses = ["emergency", "local", "national", "mobile", "international", "premium", "tollfree"];
const trunks = [["inboundTrunks", "Inbound trunks"], ["outboundTrunks", "Outbound trunks"], ["twowayTrunks", "Two-way trunks"], ["users", "Users"]];

export async function accountsPage() {
  const who = await me();
  const params = new URLSearchParams(location.search);
  const alert = alertBox();
  const form = el("form", { role: "search", "aria-label": "Search accounts" },
    field("q", "Name or realm", { type: "search", value: params.get("q") || "" }, "A prefix, any case"),
    el("label", { for: "f-status" }, "Status"),
    el("select", { id: "f-status", name: "status" }, el("option", { value: "" }, "Any"),
      ["active", "suspended"].map((s) => el("option", { value: s, selected: params.get("status") === s }, s))),
    el("button", { type: "submit" }, "Search"));
  const tree = el("ul", { class: "tree", "aria-label": "Accounts" });
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "More");
  const count = el("p", { role: "status", class: "hint" });
  await paged({
    form, alert, more,
    query: () => {
      const q = filters(form, ["q", "status"]);
      q.set("subtree", "true");
      q.set("parentId", who.accountId);
      return q;
    },
    path: (q) => `/v1/accounts?${q}`,
    show: (items, append, hasMore) => {
      if (!append) tree.replaceChildren();
      for (const a of items) {
        const depth = Math.max(a.path.length - a.path.indexOf(who.accountId) - 2, 0);
        tree.append(el("li", { style: `margin-left: ${depth * 1.25}rem` },
          el("a", { href: `/accounts/${a.id}` }, a.name), " ",
          el("span", { class: "hint", style: "display:inline" }, `${a.kind}, ${a.realm}${a.status === "suspended" ? ", suspended" : ""}`)));
      }
      count.textContent = tree.children.length ? `${tree.children.length} accounts${hasMore ? ", more to load" : ""}` : "No account matches.";
    },
  });
  return {
    title: "Accounts",
    node: el("div", {}, el("p", {}, el("a", { class: "button", href: `/accounts/new?parent=${who.accountId}` }, "Add New Account")),
      form, alert, count, tree, more),
  };
}

// restrictionFields offers allow or deny per call class; emergency calls are always
// allowed, so theirs is shown but not offered.
function restrictionFields(current = {}) {
  return callClasses.map((c) => el("div", {},
    el("label", { for: `f-restrictions-${c}` }, c),
    el("select", { id: `f-restrictions-${c}`, name: `restrictions.${c}`, disabled: c === "emergency" },
      ["allow", "deny"].map((r) => el("option", { value: r, selected: (current[c] || (c === "premium" ? "deny" : "allow")) === r }, r))),
    c === "emergency" ? el("p", { class: "hint" }, "Emergency calls are always allowed.") : null));
}

const restrictionsIn = (form) => Object.fromEntries(callClasses.filter((c) => c !== "emergency")
  .map((c) => [c, form.querySelector(`[name="restrictions.${c}"]`).value]));

// permissionFields offers the permissions the parent holds (a child never gets more),
// checking those in checked.
function permissionFields(offered, checked) {
  return offered.map((p) => el("p", {},
    el("input", { type: "checkbox", id: `perm-${p}`, name: "permissions", value: p, checked: checked.includes(p) }),
    el("label", { for: `perm-${p}`, style: "display:inline; margin-left: 6px" }, p)));
}

const permissionsIn = (form) => [...form.querySelectorAll('[name="permissions"]:checked')].map((i) => i.value);

// wizard steps of Add New Account.
const steps = ["Name", "Administrator", "Call restrictions", "Permissions"];

export async function newAccountPage() {
  const parentId = new URLSearchParams(location.search).get("parent") || (await me()).accountId;
  const parent = await api("GET", `/v1/accounts/${encodeURIComponent(parentId)}`);
  const alert = alertBox();
  const form = el("form", { novalidate: true });
  const panels = steps.map((name, i) => el("fieldset", { id: `step-${i}`, hidden: i > 0 }, el("legend", {}, `Step ${i + 1} of ${steps.length}: ${name}`)));

  panels[0].append(
    field("name", "Account name", { required: true, maxlength: 100, autofocus: true }),
    field("timezone", "Time zone", { required: true, value: parent.timezone || "Europe/Stockholm", list: "zones" }, "An IANA zone, such as Europe/Stockholm"),
    el("datalist", { id: "zones" }, (Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : []).map((z) => el("option", { value: z }))),
    el("p", { class: "hint" }, "The realm is generated when the account is saved."));

  const withAdmin = el("input", { type: "checkbox", id: "with-admin", name: "withAdmin" });
  const adminFields = el("div", { hidden: true },
    field("admin.firstName", "First name", { autocomplete: "off" }),
    field("admin.lastName", "Last name", { autocomplete: "off" }),
    field("admin.email", "Email", { type: "email", autocomplete: "off" }, "The administrator's user name"),
    field("admin.phone", "Phone", { type: "tel" }, "In international form: +46701234567"),
    field("admin.password", "Password", { type: "password", autocomplete: "new-password" }, "Leave empty to have one generated and emailed once"));
  withAdmin.addEventListener("change", () => { adminFields.hidden = !withAdmin.checked; });
  panels[1].append(el("p", {}, withAdmin, el("label", { for: "with-admin", style: "display:inline; margin-left: 6px" }, "Add an administrator now")),
    el("p", { class: "hint" }, "Administrators can also be added later."), adminFields);

  const left = (k) => `${parent.available[k]} of the parent's ${parent.limits[k]} left`;
  panels[2].append(...[
    el("h3", {}, "Trunks and users"),
    trunks.map(([k, label]) => field(`limits.${k}`, label, { type: "number", min: 0, value: 0, inputmode: "numeric" }, left(k))),
    el("h3", {}, "Restrictions per call class"),
    restrictionFields(),
    el("h3", {}, "Credit"),
    field("credit.addMinor", "Opening credit (minor units)", { type: "number", min: 0, value: 0 }, `In ${parent.credit.currency}: 1000 is 10.00`),
    el("p", {}, el("input", { type: "checkbox", id: "f-credit-bypass", name: "credit.bypass" }),
      el("label", { for: "f-credit-bypass", style: "display:inline; margin-left: 6px" }, "Bypass: calls go on when the balance is spent")),
    field("debitLimitMinor", "Debit limit (minor units)", { type: "number", min: 0, value: 0 }, "How far the balance may go below zero")].flat());

  panels[3].append(el("p", { class: "hint" }, "Which items your customer can access; never more than this account has."),
    ...permissionFields(parent.permissions || [], parent.permissions || []));

  let step = 0;
  const nav = el("div", { class: "actions" });
  const show = (i) => {
    step = i;
    panels.forEach((p, j) => { p.hidden = j !== i; });
    nav.replaceChildren(...[
      i > 0 ? el("button", { type: "button", class: "secondary", onclick: () => show(i - 1) }, "Previous") : null,
      i < steps.length - 1 ? el("button", { type: "button", onclick: () => show(i + 1) }, `Next: ${steps[i + 1]}`) : el("button", { type: "submit" }, "Submit")].filter(Boolean));
    panels[i].querySelector("input, select")?.focus();
  };
  form.append(el("p", {}, `Under ${parent.name}`), alert, ...panels, nav);
  show(0);

  const val = (n) => form.querySelector(`[name="${n}"]`).value.trim();
  const num = (n) => Number(val(n) || 0);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = {
      name: val("name"), timezone: val("timezone"), parentId: parent.id,
      limits: Object.fromEntries(trunks.map(([k]) => [k, num(`limits.${k}`)])),
      restrictions: restrictionsIn(form),
      credit: { addMinor: num("credit.addMinor"), bypass: form.querySelector('[name="credit.bypass"]').checked },
      debitLimitMinor: num("debitLimitMinor"),
      permissions: permissionsIn(form),
    };
    if (withAdmin.checked) {
      body.admin = { firstName: val("admin.firstName"), lastName: val("admin.lastName"), email: val("admin.email"), phone: val("admin.phone") };
      if (form.querySelector('[name="admin.password"]').value) body.admin.password = form.querySelector('[name="admin.password"]').value;
    }
    if (!body.name) {
      show(0);
      showErrors(form, new ApiError(422, { title: "Some fields need attention.", errors: [{ field: "name", reason: "is required" }] }), alert);
      return;
    }
    try {
      const made = await api("POST", "/v1/accounts", body);
      go(`/accounts/${made.id}?created=1`);
    } catch (err) {
      const at = (err.fields || []).map((f) => panels.findIndex((p) => p.querySelector(`[name="${CSS.escape(f.field)}"]`))).find((i) => i >= 0);
      show(at === undefined ? step : at);
      showErrors(form, err, alert);
    }
  });
  return { title: "Add New Account", node: form };
}

export async function accountPage(id) {
  const who = await me();
  const created = new URLSearchParams(location.search).get("created");
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const byParent = a.id !== who.accountId;
  // Users read their account; only administrators change it.
  const writes = admin(who.role);
  const alert = alertBox();
  const deleted = new URLSearchParams(location.search).get("deleted");
  const saved = el("p", { class: "notice", role: "status", hidden: !created && !deleted });
  if (created) saved.textContent = `The account is saved. Its realm is ${a.realm}.`;
  if (deleted) saved.textContent = `${deleted} is deleted.`;
  const money = (m) => (m / 100).toFixed(2) + " " + a.credit.currency;
  const facts = el("dl", { class: "facts" },
    el("dt", {}, "Realm"), el("dd", { id: "account-realm" }, a.realm),
    el("dt", {}, "Kind"), el("dd", {}, a.kind),
    el("dt", {}, "Status"), el("dd", {}, a.status),
    el("dt", {}, "Time zone"), el("dd", {}, a.timezone),
    el("dt", {}, "Balance"), el("dd", {}, `${money(a.credit.balanceMinor)} (debit limit ${money(a.debitLimitMinor)})`),
    el("dt", {}, "Channels in use"), el("dd", {}, String(a.channelsInUse ?? 0)),
    // The customer details the manual asks staff to check: has a contact confirmed an
    // email address and a mobile number of the account?
    el("dt", {}, "Verified"), el("dd", { id: "account-verified" },
      `email ${a.emailVerified ? "verified" : "not verified"}, mobile ${a.mobileVerified ? "verified" : "not verified"}`),
    trunks.map(([k, label]) => [el("dt", {}, label), el("dd", {}, `${a.limits[k]} (${a.available[k]} not given to children)`)]),
    el("dt", {}, "Restrictions"), el("dd", {}, Object.entries(a.restrictions).filter(([, r]) => r === "deny").map(([c]) => c).join(", ") || "none denied"));
  // Limits, restrictions, credit, permissions and status are the parent's to set: the
  // API refuses them on one's own account, so they are not offered there.
  const parent = byParent && a.parentId ? await api("GET", `/v1/accounts/${encodeURIComponent(a.parentId)}`).catch(() => null) : null;
  const form = !writes ? null : el("form", { novalidate: true, "aria-labelledby": "edit-heading" }, el("h2", { id: "edit-heading" }, "Edit"),
    field("name", "Account name", { value: a.name, required: true, maxlength: 100 }),
    field("timezone", "Time zone", { value: a.timezone, required: true }),
    field("lowBalanceThresholdMinor", "Low-balance alert below (minor units)", { type: "number", min: 0, value: a.lowBalanceThresholdMinor || 0 },
      "The administrators are emailed when the balance falls below it; 0: never"),
    byParent ? [
      el("h3", {}, "Trunks and users"),
      trunks.map(([k, label]) => field(`limits.${k}`, label, { type: "number", min: 0, value: a.limits[k], inputmode: "numeric" },
        parent ? `Its parent has ${parent.available[k]} more to give` : "")),
      el("h3", {}, "Restrictions per call class"),
      restrictionFields(a.restrictions),
      el("h3", {}, "Credit"),
      el("p", {}, el("input", { type: "checkbox", id: "f-credit-bypass", name: "credit.bypass", checked: a.credit.bypass }),
        el("label", { for: "f-credit-bypass", style: "display:inline; margin-left: 6px" }, "Bypass: calls go on when the balance is spent")),
      field("debitLimitMinor", "Debit limit (minor units)", { type: "number", min: 0, value: a.debitLimitMinor }, "How far the balance may go below zero"),
      el("h3", {}, "Permissions"),
      permissionFields(parent ? parent.permissions || [] : a.permissions || [], a.permissions || []),
      el("div", {}, el("label", { for: "f-status" }, "Status"),
        el("select", { id: "f-status", name: "status" }, ["active", "suspended"].map((st) => el("option", { value: st, selected: a.status === st }, st)))),
    ] : null,
    el("button", { type: "submit" }, "Save"));
  const val = (f, n) => f.querySelector(`[name="${n}"]`).value.trim();
  form?.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const change = { version: a.version, name: val(form, "name"), timezone: val(form, "timezone"),
        lowBalanceThresholdMinor: Number(val(form, "lowBalanceThresholdMinor") || 0) };
      if (byParent) {
        Object.assign(change, {
          limits: Object.fromEntries(trunks.map(([k]) => [k, Number(val(form, `limits.${k}`) || 0)])),
          restrictions: restrictionsIn(form),
          credit: { bypass: form.querySelector('[name="credit.bypass"]').checked },
          debitLimitMinor: Number(val(form, "debitLimitMinor") || 0),
          permissions: permissionsIn(form),
          status: val(form, "status"),
        });
      }
      await api("PATCH", `/v1/accounts/${a.id}`, change);
      go(`/accounts/${a.id}`);
    } catch (err) {
      showErrors(form, err, alert);
    }
  });

  // Credit additions (AM-6) are the parent's too; each one carries its reason into the
  // audit log.
  const creditAlert = alertBox();
  const credit = byParent && writes ? el("form", { novalidate: true, "aria-labelledby": "credit-heading" },
    el("h2", { id: "credit-heading" }, "Add credit"), creditAlert,
    field("amountMinor", "Amount (minor units)", { type: "number", min: 1, required: true }, `In ${a.credit.currency}: 1000 is 10.00`),
    field("reason", "Reason", { required: true, maxlength: 200 }, "Kept in the audit log"),
    el("button", { type: "submit" }, "Add credit")) : null;
  credit?.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("POST", `/v1/accounts/${a.id}/credit-additions`,
        { amountMinor: Number(val(credit, "amountMinor") || 0), reason: val(credit, "reason"), version: a.version });
      go(`/accounts/${a.id}`);
    } catch (err) {
      showErrors(credit, err, creditAlert);
    }
  });
  // Deleting is the parent's too, and only for an account with nothing left in it: the
  // refusal names what is left (billing history stays: suspend such an account instead).
  const deleteAlert = alertBox();
  const removal = byParent && writes ? el("div", { class: "actions-explained" }, el("h2", {}, "Delete the account"), deleteAlert,
    el("p", { class: "hint" }, "Only an account with no child accounts, users, client accounts, numbers, subscriptions, porting requests, calls or invoices. An account with billing history is suspended instead."),
    el("button", { type: "button", class: "secondary", id: "delete-account", onclick: async () => {
      if (!(await confirmDialog("Delete the account", `${a.name} and its realm ${a.realm} are gone for good.`, "Delete"))) return;
      try {
        await api("DELETE", `/v1/accounts/${a.id}`);
        go(`/accounts/${a.parentId}?deleted=${encodeURIComponent(a.name)}`);
      } catch (err) {
        showErrors(removal, err, deleteAlert);
      }
    } }, "Delete account")) : null;
  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, ""), saved, facts,
      writes ? el("p", {}, el("a", { class: "button", href: `/accounts/new?parent=${a.id}` }, "Add a child account")) : null,
      alert, form, credit, removal, writes ? el("p", {}, el("a", { href: "/accounts" }, "Back to the accounts")) : null),
  };
}
