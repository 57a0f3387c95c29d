// Softphone client accounts: the list with its status columns and a create form, and an
// account's configuration summary, its SMS (each confirmed: the number must be a real
// mobile), Disable/Enable and Revoke all Keys explained, the edit form with the numbers
// read-only, and the clients registered now.

import { api, el, field, alertBox, showErrors, me, admin, utc, go, table, confirmDialog, paged, filters } from "../app.js";
import { accountTabs, loadAccount } from "./customer.js";

const statusNames = {
  created: "Created", installation_sms_sent: "Installation SMS sent", installed: "Installed",
  activation_sms_sent: "Activation SMS sent", activated: "Activated",
};

const smsLabels = { "installation-sms": "Send Installation SMS", "activation-sms": "Send Activation SMS" };

// sendSMS asks first (the SMS goes to the primary number, which must be a real mobile),
// then sends. It answers the client account as it is now, or null when not confirmed.
async function sendSMS(path, s, action) {
  const ok = await confirmDialog(smsLabels[action],
    `The SMS goes to ${s.primaryNumber}. It must be a real mobile phone that can receive text messages, or the link is lost (at most 3 SMS an hour).`,
    "Send SMS");
  return ok ? api("POST", `${path}/${action}`, { confirm: true }) : null;
}

export async function softphonesPage(id) {
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const who = await me();
  const writes = admin(who.role);
  const params = new URLSearchParams(location.search);
  const alert = alertBox();
  const search = el("form", { role: "search", "aria-label": "Search client accounts" },
    field("q", "Name or number", { type: "search", value: params.get("q") || "" }),
    el("label", { for: "f-lastStatus" }, "Last status"),
    el("select", { id: "f-lastStatus", name: "lastStatus" }, el("option", { value: "" }, "Any"),
      Object.entries(statusNames).map(([v, n]) => el("option", { value: v, selected: params.get("lastStatus") === v }, n))),
    el("button", { type: "submit" }, "Search"));
  const list = el("div");
  const status = el("p", { role: "status", class: "notice-live" });
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "More");
  let items = [];
  const listed = paged({
    form: search, alert, more,
    query: () => filters(search, ["q", "lastStatus"]),
    path: (q) => `/v1/accounts/${a.id}/sip-accounts?${q}`,
    show: (page, append) => {
      items = append ? items.concat(page) : page;
      // Each row ends with the SMS its status allows, as the account's page offers it.
      const rowAction = (s) => (s.allowedActions || []).filter((x) => x in smsLabels).map((x) => el("button", { type: "button", class: "secondary small",
        "aria-label": `${smsLabels[x]} to ${s.displayName}`, onclick: async () => {
          try {
            const next = await sendSMS(`/v1/accounts/${a.id}/sip-accounts/${s.id}`, s, x);
            if (!next) return;
            status.textContent = `${smsLabels[x]}: done for ${s.displayName}.`;
            search.requestSubmit();
          } catch (err) {
            showErrors(search, err, alert);
          }
        } }, smsLabels[x]));
      list.replaceChildren(items.length ? table("Softphone client accounts", ["Display name", "Primary number", "Last Status", "Last Status date", "Enabled", writes ? "Action" : null].filter(Boolean),
        items.map((s) => [el("a", { href: `/accounts/${a.id}/softphones/${s.id}` }, s.displayName), s.primaryNumber,
          statusNames[s.lastStatus] || s.lastStatus, utc(s.lastStatusDate), s.enabled ? "Yes" : "No", writes ? rowAction(s) : null].filter((c) => c !== null)))
        : el("p", { class: "hint" }, "No client account matches."));
    },
  });

  const createAlert = alertBox();
  const create = el("form", { novalidate: true, "aria-labelledby": "new-sip-heading" },
    el("h2", { id: "new-sip-heading" }, "New client account"), createAlert,
    field("displayName", "Display name", { required: true, maxlength: 64 }),
    field("email", "Email", { type: "email", required: true }),
    field("primaryNumber", "Primary number", { type: "tel", required: true }, "A real mobile number in international form (+46701234567): the SMS go to it"),
    field("secondaryNumber", "Secondary number", { type: "tel" }, "Optional"),
    el("button", { type: "submit" }, "Create"));
  create.addEventListener("submit", async (e) => {
    e.preventDefault();
    const val = (n) => create.querySelector(`[name="${n}"]`).value.trim();
    const body = { displayName: val("displayName"), email: val("email"), primaryNumber: val("primaryNumber") };
    if (val("secondaryNumber")) body.secondaryNumber = val("secondaryNumber");
    try {
      const s = await api("POST", `/v1/accounts/${a.id}/sip-accounts`, body);
      go(`/accounts/${a.id}/softphones/${s.id}`);
    } catch (err) {
      showErrors(create, err, createAlert);
    }
  });
  await listed;
  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, "/softphones"), el("h2", {}, "Softphone client accounts"), search, status, alert, list, more,
      writes ? create : null),
  };
}

// What each action does, said where it is offered.
const explain = {
  "installation-sms": "Texts the primary number a link that installs the softphone and configures it. A new link replaces the last one.",
  "activation-sms": "Texts the primary number a link to a page where the user confirms the activation, which enables the account.",
  disable: "The account can no longer call or be called; callers hear its disabled announcement. Enable it again at any time.",
  enable: "The account can call and be called again.",
  "revoke-keys": "Makes every key and link of the account unusable and disables it: the client must be installed and activated again (status Created).",
};

export async function softphonePage(accountId, sipId) {
  const { a, page } = await loadAccount(accountId);
  if (page) return page;
  const who = await me();
  const writes = admin(who.role);
  const path = `/v1/accounts/${a.id}/sip-accounts/${encodeURIComponent(sipId)}`;
  const alert = alertBox();
  const box = el("div");
  const status = el("p", { role: "status", class: "notice-live" });
  const draw = async (s) => {
    const act = async (action, label, body) => {
      try {
        const next = await api("POST", `${path}/${action}`, body);
        status.textContent = `${label}: done. Last status: ${statusNames[next.lastStatus]}.`;
        await draw(next);
      } catch (err) {
        showErrors(box, err, alert);
      }
    };
    const sms = (action, label) => async () => {
      try {
        const next = await sendSMS(path, s, action);
        if (!next) return;
        status.textContent = `${label}: done. Last status: ${statusNames[next.lastStatus]}.`;
        await draw(next);
      } catch (err) {
        showErrors(box, err, alert);
      }
    };
    const offered = (s.allowedActions || []).filter((x) => x in explain)
      .filter((x) => !(x === "disable" && !s.enabled) && !(x === "enable" && s.enabled));
    const labels = { ...smsLabels, disable: "Disable account",
      enable: "Enable account", "revoke-keys": "Revoke all Keys" };
    const actions = writes ? el("div", { class: "actions-explained" }, offered.map((x) => el("div", {},
      el("button", { type: "button", class: x === "revoke-keys" || x === "disable" ? "secondary" : null,
        onclick: x.endsWith("-sms") ? sms(x, labels[x]) : () => act(x, labels[x]) }, labels[x]),
      el("p", { class: "hint" }, explain[x])))) : null;

    const editAlert = alertBox();
    const edit = writes ? el("form", { novalidate: true, "aria-labelledby": "edit-sip-heading" },
      el("h2", { id: "edit-sip-heading" }, "Edit"), editAlert,
      field("displayName", "Display name", { value: s.displayName, required: true, maxlength: 64 }),
      field("email", "Email", { type: "email", value: s.email }),
      field("disabledAnnouncement", "Disabled announcement", { value: s.disabledAnnouncement }, "The audio message callers hear while the account is disabled"),
      field("primaryNumberShown", "Primary number", { value: s.primaryNumber, readonly: true }, "Read-only: to change a number, delete the account and create it again"),
      field("secondaryNumberShown", "Secondary number", { value: s.secondaryNumber || "", readonly: true }, "Read-only: delete and re-create to change it"),
      el("button", { type: "submit" }, "Save")) : null;
    edit?.addEventListener("submit", async (e) => {
      e.preventDefault();
      const val = (n) => edit.querySelector(`[name="${n}"]`).value.trim();
      try {
        const next = await api("PATCH", path, { version: s.version, displayName: val("displayName"), email: val("email"), disabledAnnouncement: val("disabledAnnouncement") });
        status.textContent = "Saved.";
        await draw(next);
      } catch (err) {
        showErrors(edit, err, editAlert);
      }
    });
    const clients = await api("GET", `/v1/accounts/${a.id}/registered-clients`).catch(() => ({ items: [] }));
    const mine = clients.items.filter((c) => c.sipId === s.id);
    box.replaceChildren(alert,
      el("h2", {}, "Configuration summary"),
      el("dl", { class: "facts" },
        el("dt", {}, "Display name"), el("dd", {}, s.displayName),
        el("dt", {}, "User name"), el("dd", {}, s.username),
        el("dt", {}, "Domain"), el("dd", {}, a.realm),
        el("dt", {}, "Email"), el("dd", {}, s.email),
        el("dt", {}, "Primary number"), el("dd", {}, s.primaryNumber),
        el("dt", {}, "Secondary number"), el("dd", {}, s.secondaryNumber || "—"),
        el("dt", {}, "Enabled"), el("dd", { id: "sip-enabled" }, s.enabled ? "Yes" : "No"),
        el("dt", {}, "Last Status"), el("dd", { id: "sip-status" }, statusNames[s.lastStatus] || s.lastStatus),
        el("dt", {}, "Last Status date"), el("dd", {}, utc(s.lastStatusDate)),
        el("dt", {}, "Key version"), el("dd", {}, String(s.keyVersion)),
        s.lastSms ? [el("dt", {}, "Last SMS"), el("dd", {}, `${s.lastSms.kind} at ${utc(s.lastSms.sentAt)}`)] : null),
      actions,
      el("h2", {}, "Registered Clients"),
      mine.length ? table("Clients registered now", ["Contact", "User agent", "Registered", "Expires"],
        mine.map((c) => [c.contact, c.userAgent || "", utc(c.registeredAt), utc(c.expiresAt)]))
        : el("p", { class: "hint" }, "No client is registered now."),
      edit,
      writes ? el("div", {}, el("h2", {}, "Delete"),
        el("p", { class: "hint" }, "Deleting the client account frees its numbers; to change a number, delete it and create it again."),
        el("button", { type: "button", class: "secondary", id: "delete-sip", onclick: async () => {
          if (!(await confirmDialog("Delete the client account", `${s.displayName} stops working at once and its numbers are free again. This cannot be undone.`, "Delete"))) return;
          try {
            await api("DELETE", path);
            go(`/accounts/${a.id}/softphones`);
          } catch (err) {
            showErrors(box, err, alert);
          }
        } }, "Delete client account")) : null,
      el("p", {}, el("a", { href: `/accounts/${a.id}/softphones` }, "Back to the client accounts")));
  };
  try {
    await draw(await api("GET", path));
  } catch (err) {
    box.replaceChildren(el("p", { class: "alert", role: "alert" }, err.status === 404 ? "There is no such client account." : err.message));
  }
  return { title: a.name, node: el("div", {}, await accountTabs(a, "/softphones"), status, box) };
}
