// Staff and integrations: the account's administrators (and, in the provider's account,
// porting operators) added; the API keys of the provider's machines (the switch, the
// billing system, the registrar), issued, rotated and revoked; and the account's webhook
// endpoints, with their delivery log. A secret is shown once, as the API answers it once.

import { api, el, field, alertBox, showErrors, confirmDialog, me, admin, staff, utc, table, roleLabel } from "../app.js";
import { accountTabs, loadAccount } from "./customer.js";

const jobs = [["switch", "Switch: posts call records"], ["billing", "Billing system: reads and acknowledges invoices"],
  ["registrar", "SIP registrar: reports softphone registrations"]];

const webhookEvents = ["registration.completed", "registration.failed", "porting.status_changed", "sip.activated", "sip.disabled",
  "invoice.issued", "balance.low"];

// secretShown is a secret the API answered once: copy it now or issue another.
function secretShown(what, secret) {
  return el("div", { class: "notice secret", role: "status" },
    el("p", {}, `${what}. Copy the secret now: it is shown this once and kept only as a hash.`),
    el("p", {}, el("code", { id: "secret" }, secret), " ",
      el("button", { type: "button", class: "secondary small", onclick: () => navigator.clipboard.writeText(secret) }, "Copy")));
}

export async function accessPage(id) {
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const who = await me();
  if (!admin(who.role)) {
    return { title: a.name, node: el("p", { class: "alert", role: "alert" }, "Only administrators manage staff and integrations.") };
  }
  const status = el("p", { role: "status", class: "notice-live" });
  const secretBox = el("div");
  const say = (text) => { secretBox.replaceChildren(); status.textContent = text; };
  const reveal = (what, secret) => { status.textContent = ""; secretBox.replaceChildren(secretShown(what, secret)); };

  // Staff: the account's administrators (and, in the provider's own, porting operators),
  // each a link to their page, where the role changes; and the form that adds one.
  const staffAlert = alertBox();
  const roles = [[`${a.kind}_admin`, "Administrator"]];
  if (a.kind === "provider" && who.role === "provider_admin") roles.push(["operator", roleLabel("operator")]);
  const members = el("div", { id: "staff-list" });
  const drawStaff = async () => {
    const got = (await Promise.all(roles.map(([r]) => api("GET", `/v1/accounts/${a.id}/users?role=${r}&limit=100`)))).flatMap((p) => p.items);
    members.replaceChildren(table("Staff", ["Name", "Email", "Role"],
      got.map((m) => [el("a", { href: `/accounts/${a.id}/users/${m.id}` }, `${m.firstName} ${m.lastName}`.trim() || m.username), m.email || "", roleLabel(m.role)])));
  };
  const staffForm = el("form", { novalidate: true, "aria-labelledby": "staff-heading" }, el("h3", { id: "staff-heading" }, "Add a staff member"), staffAlert,
    el("p", { class: "hint" }, "They sign in with their email; a generated password is emailed to them once. A user's role changes on their page."),
    field("firstName", "First name", { required: true, autocomplete: "off" }),
    field("lastName", "Last name", { required: true, autocomplete: "off" }),
    field("email", "Email", { type: "email", required: true, autocomplete: "off" }, "Their login name"),
    field("phone", "Phone", { type: "tel", required: true }, "International form: +46701234567"),
    el("label", { for: "f-role" }, "Role"),
    el("select", { id: "f-role", name: "role" }, roles.map(([v, n]) => el("option", { value: v }, n))),
    el("button", { type: "submit" }, "Add"));
  staffForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const val = (n) => staffForm.querySelector(`[name="${n}"]`).value.trim();
    try {
      const m = await api("POST", `/v1/accounts/${a.id}/staff`, Object.fromEntries(["firstName", "lastName", "email", "phone", "role"].map((n) => [n, val(n)])));
      staffForm.reset();
      staffAlert.hidden = true;
      await drawStaff();
      say(`${m.firstName} ${m.lastName} is added as ${roleLabel(m.role).toLowerCase()}; a password is on its way to ${m.email}.`);
    } catch (err) {
      showErrors(staffForm, err, staffAlert);
    }
  });

  // API keys: for the provider's and resellers' administrators, whose machines act in
  // an account's subtree.
  const keys = el("div", { id: "api-keys" });
  const keyAlert = alertBox();
  const drawKeys = async () => {
    const got = await api("GET", `/v1/accounts/${a.id}/api-keys`);
    keys.replaceChildren(got.items.length ? table("API keys", ["Name", "Job", "Status", "Created", "Last used", "Expires", "Actions"],
      got.items.map((k) => [k.name, k.job, k.status, utc(k.createdAt), k.lastUsedAt ? utc(k.lastUsedAt) : "never", k.expiresAt ? utc(k.expiresAt) : "—",
        k.status === "active" ? el("span", { class: "row-actions" },
          el("button", { type: "button", class: "secondary small", "aria-label": `Rotate ${k.name}, ${k.status}`, onclick: () => keyAction(k, "rotate") }, "Rotate"),
          el("button", { type: "button", class: "secondary small", "aria-label": `Revoke ${k.name}, ${k.status}`, onclick: () => keyAction(k, "revoke") }, "Revoke"))
          : k.status === "rotating" ? el("button", { type: "button", class: "secondary small", "aria-label": `Revoke ${k.name}, ${k.status}`, onclick: () => keyAction(k, "revoke") }, "Revoke") : ""]))
      : el("p", { class: "hint" }, "No API key yet."));
  };
  const keyAction = async (k, action) => {
    const ask = action === "rotate"
      ? ["Rotate the key", `A new key replaces ${k.name}. The old one keeps working for 24 hours, time to put the new secret in place.`, "Rotate"]
      : ["Revoke the key", `${k.name} stops working at once: the machine that uses it is refused from now on.`, "Revoke"];
    if (!(await confirmDialog(...ask))) return;
    try {
      const got = await api("POST", `/v1/accounts/${a.id}/api-keys/${k.id}/${action}`, action === "rotate" ? { graceSeconds: 86400 } : undefined);
      keyAlert.hidden = true;
      await drawKeys();
      if (action === "rotate") {
        reveal(`${got.name} has a successor`, got.secret);
      } else {
        say(`${k.name} is revoked.`);
      }
    } catch (err) {
      showErrors(keys, err, keyAlert);
    }
  };
  const keyForm = el("form", { novalidate: true, "aria-labelledby": "key-heading" }, el("h3", { id: "key-heading" }, "Issue a key"),
    el("label", { for: "f-job" }, "Job"),
    el("select", { id: "f-job", name: "job" }, jobs.map(([v, n]) => el("option", { value: v }, n))),
    field("name", "Name", { required: true, maxlength: 64, autocomplete: "off" }, "Which machine holds it, e.g. Switch Stockholm 1"),
    el("button", { type: "submit" }, "Issue"));
  keyForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const k = await api("POST", `/v1/accounts/${a.id}/api-keys`, { job: keyForm.querySelector('[name="job"]').value, name: keyForm.querySelector('[name="name"]').value.trim() });
      keyForm.reset();
      keyAlert.hidden = true;
      await drawKeys();
      reveal(`${k.name} is issued`, k.secret);
    } catch (err) {
      showErrors(keyForm, err, keyAlert);
    }
  });

  // Webhooks: the account's endpoints; each event goes to those of the account and of
  // the accounts above it.
  const hooks = el("div", { id: "webhooks" });
  const hookAlert = alertBox();
  const deliveries = el("div");
  const drawHooks = async () => {
    const got = await api("GET", `/v1/accounts/${a.id}/webhooks`);
    hooks.replaceChildren(got.items.length ? table("Webhook endpoints", ["URL", "Events", "Enabled", "Actions"],
      got.items.map((w) => [[w.url, w.description ? el("span", { class: "hint" }, w.description) : null], w.events.join(", "), w.enabled ? "Yes" : "No",
        el("span", { class: "row-actions" },
          el("button", { type: "button", class: "secondary small", "aria-label": `Deliveries: ${w.url}`, onclick: () => showDeliveries(w) }, "Deliveries"),
          el("button", { type: "button", class: "secondary small", "aria-label": `${w.enabled ? "Disable" : "Enable"}: ${w.url}`,
            onclick: () => hookAction(w, "PATCH", "", { version: w.version, enabled: !w.enabled }, `${w.url} is ${w.enabled ? "disabled" : "enabled"}.`) }, w.enabled ? "Disable" : "Enable"),
          el("button", { type: "button", class: "secondary small", "aria-label": `Roll secret: ${w.url}`, onclick: async () => {
            if (await confirmDialog("Roll the secret", "A new secret signs every delivery from now on; for 24 hours the old one signs them too, time to put the new one in place.", "Roll")) {
              hookAction(w, "POST", "/roll-secret", { graceSeconds: 86400 }, "");
            }
          } }, "Roll secret"),
          el("button", { type: "button", class: "secondary small", "aria-label": `Delete: ${w.url}`, onclick: async () => {
            if (await confirmDialog("Delete the endpoint", `${w.url} gets no more events.`, "Delete")) hookAction(w, "DELETE", "", undefined, `${w.url} is deleted.`);
          } }, "Delete"))]))
      : el("p", { class: "hint" }, "No webhook endpoint yet."));
  };
  const hookAction = async (w, method, tail, body, done) => {
    try {
      const got = await api(method, `/v1/accounts/${a.id}/webhooks/${w.id}${tail}`, body);
      hookAlert.hidden = true;
      deliveries.replaceChildren();
      await drawHooks();
      if (got?.secret) {
        reveal(`${w.url} has a new secret`, got.secret);
      } else {
        say(done);
      }
    } catch (err) {
      showErrors(hooks, err, hookAlert);
    }
  };
  const showDeliveries = async (w) => {
    try {
      const got = await api("GET", `/v1/accounts/${a.id}/webhooks/${w.id}/deliveries`);
      deliveries.replaceChildren(el("h3", { id: "deliveries-heading", tabindex: "-1" }, `Deliveries to ${w.url}`),
        got.items.length ? table("Deliveries, newest first", ["Event", "Status", "Attempts", "Last answer", "Created", ""],
          got.items.map((d) => {
            const last = d.attempts?.[d.attempts.length - 1];
            return [d.type, d.status, String(d.attempts?.length || 0), last ? (last.statusCode ? `HTTP ${last.statusCode}` : last.error || "—") : "—", utc(d.createdAt),
              el("button", { type: "button", class: "secondary small", "aria-label": `Send again: ${d.type}`, onclick: async () => {
                try {
                  await api("POST", `/v1/accounts/${a.id}/webhooks/${w.id}/deliveries/${d.id}/redeliver`);
                  say(`${d.type} is on its way again.`);
                  await showDeliveries(w);
                } catch (err) {
                  showErrors(deliveries, err, hookAlert);
                }
              } }, "Send again")];
          }))
          : el("p", { class: "hint" }, "Nothing delivered yet."));
      deliveries.querySelector("h3").focus();
    } catch (err) {
      showErrors(hooks, err, hookAlert);
    }
  };
  const hookForm = el("form", { novalidate: true, "aria-labelledby": "hook-heading" }, el("h3", { id: "hook-heading" }, "Add an endpoint"),
    field("url", "URL", { type: "url", required: true, maxlength: 2000, autocomplete: "off" }, "https, on a public address; requests are signed with the endpoint's secret"),
    field("description", "Description", { maxlength: 200 }),
    el("fieldset", {}, el("legend", {}, "Events"),
      webhookEvents.map((ev) => el("p", {}, el("input", { type: "checkbox", name: "events", value: ev, id: `f-event-${ev.replace(/[^a-z]/g, "-")}` }),
        el("label", { for: `f-event-${ev.replace(/[^a-z]/g, "-")}`, class: "inline" }, ev)))),
    el("button", { type: "submit" }, "Add endpoint"));
  hookForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const val = (n) => hookForm.querySelector(`[name="${n}"]`).value.trim();
    const body = { url: val("url"), events: [...hookForm.querySelectorAll('[name="events"]:checked')].map((c) => c.value) };
    if (val("description")) body.description = val("description");
    try {
      const w = await api("POST", `/v1/accounts/${a.id}/webhooks`, body);
      hookForm.reset();
      hookAlert.hidden = true;
      await drawHooks();
      reveal(`${w.url} is added`, w.secret);
    } catch (err) {
      showErrors(hookForm, err, hookAlert);
    }
  });

  const issuesKeys = staff(who.role);
  await Promise.all([drawStaff(), issuesKeys ? drawKeys() : null, drawHooks()]);
  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, "/access"), status, secretBox,
      el("h2", {}, "Staff"), members, staffForm,
      issuesKeys ? [el("h2", {}, "API keys"),
        el("p", { class: "hint" }, "The provider's machines sign in with a key: it acts only in its job and in this account's subtree."),
        keyAlert, keys, keyForm] : null,
      el("h2", {}, "Webhooks"),
      el("p", { class: "hint" }, "Events of this account and the accounts below it, posted to your endpoints, signed, and tried again with growing delays while an endpoint fails."),
      hookAlert, hooks, deliveries, hookForm),
  };
}
