// Tenant Registration, public: a template, the tenant, the contact, then Create Tenant,
// which leads to the status page. The form checks what it can before sending; the
// API's reasons appear at their fields.

import { api, el, field, showErrors, alertBox, go, ApiError } from "../app.js";

const tabs = ["Template", "Tenant", "Contact"];

export async function registerPage() {
  const templates = (await api("GET", "/v1/templates")).items;
  const alert = alertBox();
  const form = el("form", { novalidate: true });
  const panels = {};

  const cards = el("div", { class: "cards", role: "radiogroup", "aria-labelledby": "tpl-legend" },
    templates.map((t, i) => {
      const id = `tpl-${t.id}`;
      return el("div", { class: "card" },
        el("input", { type: "radio", name: "templateId", id, value: t.id, checked: i === 0, "aria-describedby": `${id}-features` }),
        el("label", { for: id, style: "display:inline; margin-left: 6px" }, t.name),
        el("p", { class: "hint" }, t.description || ""),
        el("ul", { id: `${id}-features`, "aria-label": `${t.name} features` }, (t.features || []).map((f) => el("li", {}, f))),
        el("p", { class: "hint" }, `${t.limits.users} users, ${t.limits.twowayTrunks} two-way trunks`));
    }));
  const markSelected = () => cards.querySelectorAll(".card").forEach((c) => c.classList.toggle("selected", c.querySelector("input").checked));
  cards.addEventListener("change", markSelected);
  markSelected();
  panels.Template = el("div", {},
    el("h2", { id: "tpl-legend" }, "Choose a service template"),
    cards,
    el("p", { class: "field-error", id: "f-templateId-error", hidden: true }),
    el("label", { for: "f-schedule" }, "When", el("span", { class: "hint" }, "Off-peak waits for the provider's off-peak window")),
    el("select", { id: "f-schedule", name: "schedule" }, el("option", { value: "now" }, "Now"), el("option", { value: "off-peak" }, "Off-peak")));

  const adminName = field("tenant.adminUserName", "Admin user name", { autocomplete: "off", required: true, maxlength: 32 },
    "Starts with a letter; letters and digits, single dots or hyphens between them");
  const personnel = el("p", { class: "hint", "aria-live": "polite" });
  adminName.querySelector("input").addEventListener("input", (e) => {
    personnel.textContent = e.target.value ? `Personnel ID: prp${e.target.value}` : "";
  });
  panels.Tenant = el("div", {},
    el("h2", {}, "Your company"),
    field("tenant.name", "Tenant name", { required: true, maxlength: 64, autocomplete: "organization" }, "Letters and digits only, no spaces (KentonElectronics)"),
    field("tenant.shortName", "Short name", { required: true, maxlength: 16 }, "Letters and digits, at most 16"),
    field("tenant.upnSuffix", "UPN suffix", { required: true }, "Your sign-in domain, such as kenton-electronics.com"),
    adminName, personnel,
    field("tenant.password", "Password", { type: "password", required: true, autocomplete: "new-password" },
      "12 or more characters, with three of: lower case, upper case, digits, symbols"),
    field("passwordConfirm", "Confirm password", { type: "password", required: true, autocomplete: "new-password" }),
    field("tenant.ani", "ANI (the number your calls show)", { type: "tel", required: true, autocomplete: "tel" }, "In international form: +46812345678"));

  panels.Contact = el("div", {},
    el("h2", {}, "Contact person"),
    field("contact.name", "Name", { required: true, autocomplete: "name" }),
    field("contact.email", "Email", { type: "email", required: true, autocomplete: "email" }, "The administrator's email; the result of the registration is sent here"),
    field("contact.phone", "Phone", { type: "tel", required: true, autocomplete: "tel" }, "In international form: +46701234567"),
    el("button", { type: "submit" }, "Create Tenant"));

  // Tabs (WAI-ARIA tabs pattern): arrow keys move between them.
  const tablist = el("div", { role: "tablist", "aria-label": "Registration steps" });
  const show = (name, focus) => {
    for (const t of tabs) {
      const on = t === name;
      const tab = tablist.querySelector(`#tab-${t}`);
      tab.setAttribute("aria-selected", on);
      tab.tabIndex = on ? 0 : -1;
      panels[t].hidden = !on;
      if (on && focus) tab.focus();
    }
  };
  for (const t of tabs) {
    tablist.append(el("button", { type: "button", role: "tab", id: `tab-${t}`, "aria-controls": `panel-${t}`, onclick: () => show(t, true) }, t));
    panels[t].setAttribute("role", "tabpanel");
    panels[t].id = `panel-${t}`;
    panels[t].setAttribute("aria-labelledby", `tab-${t}`);
  }
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement.id.replace("tab-", ""));
    if (e.key === "ArrowRight") show(tabs[(i + 1) % tabs.length], true);
    if (e.key === "ArrowLeft") show(tabs[(i + tabs.length - 1) % tabs.length], true);
  });
  const next = (to) => el("button", { type: "button", class: "secondary", onclick: () => show(to, true) }, `Next: ${to}`);
  panels.Template.append(next("Tenant"));
  panels.Tenant.append(next("Contact"));
  form.append(alert, tablist, panels.Template, panels.Tenant, panels.Contact);
  show("Template");

  const value = (name) => form.querySelector(`[name="${name}"]`).value.trim();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = {
      templateId: form.querySelector('[name="templateId"]:checked')?.value || "",
      schedule: value("schedule"),
      tenant: { name: value("tenant.name"), shortName: value("tenant.shortName"), upnSuffix: value("tenant.upnSuffix"),
        adminUserName: value("tenant.adminUserName"), password: form.querySelector('[name="tenant.password"]').value, ani: value("tenant.ani") },
      contact: { name: value("contact.name"), email: value("contact.email"), phone: value("contact.phone") },
    };
    // What the form can check itself, before sending.
    const mine = [];
    for (const input of form.querySelectorAll("input[required]")) {
      if (!input.value.trim()) mine.push({ field: input.name, reason: "is required" });
    }
    if (form.querySelector('[name="passwordConfirm"]').value !== body.tenant.password) {
      mine.push({ field: "passwordConfirm", reason: "must be the same password" });
    }
    const errorTab = (fields) => tabs.find((t) => fields.some((f) => panels[t].querySelector(`[name="${CSS.escape(f.field)}"]`))) || "Template";
    if (mine.length) {
      show(errorTab(mine));
      showErrors(form, new ApiError(422, { title: "Some fields need attention.", errors: mine }), alert);
      return;
    }
    try {
      const reg = await api("POST", "/v1/registrations", body);
      go(`/registrations/${reg.id}`);
    } catch (err) {
      show(errorTab(err.fields || []));
      showErrors(form, err, alert);
    }
  });
  return { title: "Register your company", node: form };
}
