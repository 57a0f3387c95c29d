// The User Wizard: the Users tab with search, New user with the manual's toggles ("User"
// or "User and subscription"; "Create new subscription" or "Port in an existing
// subscription"), every field, the overview from the API's dry run with Previous and
// Save, the porting documents uploaded straight to their presigned URLs, and a user's
// page to edit them with their subscription and porting timeline.

import { api, el, field, control, alertBox, showErrors, me, may, admin, roleLabel, utc, go, table, zonedISO, todayIn, ApiError, paged, filters, confirmDialog } from "../app.js";
import { accountTabs, loadAccount } from "./customer.js";
import { byWhom } from "./porting.js";

export async function usersPage(id) {
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const who = await me();
  const params = new URLSearchParams(location.search);
  const alert = alertBox();
  const search = el("form", { role: "search", "aria-label": "Search users" },
    field("q", "Name, user name, email or number", { type: "search", value: params.get("q") || "" }, "A prefix of a word, any case"),
    el("label", { for: "f-type" }, "User type"),
    el("select", { id: "f-type", name: "type" }, el("option", { value: "" }, "Any"),
      [["user", "User"], ["basic", "Basic user"]].map(([v, n]) => el("option", { value: v, selected: params.get("type") === v }, n))),
    el("button", { type: "submit" }, "Search"));
  const list = el("div");
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "More");
  let items = [];
  await paged({
    form: search, alert, more,
    query: () => filters(search, ["q", "type"]),
    path: (q) => `/v1/accounts/${a.id}/users?${q}`,
    show: (page, append) => {
      items = append ? items.concat(page) : page;
      list.replaceChildren(items.length ? table("Users", ["Name", "User name", "Email", "Type", "Primary number", "Active"],
        items.map((u) => [el("a", { href: `/accounts/${a.id}/users/${u.id}` }, `${u.firstName} ${u.lastName}`.trim() || u.username),
          u.username, u.email || "", u.type === "basic" ? "Basic user" : admin(u.role) ? "Administrator" : "User", u.primaryNumber || "—",
          u.active ? "Yes" : `From ${u.activationDate}`]))
        : el("p", { class: "hint" }, "No user matches."));
    },
  });
  const adds = admin(who.role) && (await may("users.manage"));
  const deleted = params.get("deleted");
  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, "/users"), deleted ? el("p", { class: "notice", role: "status" }, `${deleted} is deleted.`) : null,
      el("h2", { class: "with-action" }, "Users", adds ? el("a", { class: "button", href: `/accounts/${a.id}/users/new` }, "New user") : null),
      search, alert, list, more),
  };
}

// addressFields are an address's five fields under prefix (invoiceAddress, …).
function addressFields(prefix, legend) {
  return el("fieldset", {}, el("legend", {}, legend),
    field(`${prefix}.name`, "Name", { required: true, autocomplete: "off" }, "The person or company it goes to"),
    field(`${prefix}.street`, "Street", { required: true }),
    field(`${prefix}.postalCode`, "Postal code", { required: true }),
    field(`${prefix}.city`, "City", { required: true }),
    field(`${prefix}.country`, "Country", { required: true, maxlength: 2, value: "SE" }, "Two letters: SE, NO, DK, FI"));
}

// radios is a labelled group of radio buttons; the first is checked.
function radios(name, legend, options) {
  return el("fieldset", { class: "toggle" }, el("legend", {}, legend),
    options.map(([value, label], i) => {
      const id = `${name}-${value}`.replace(/[^a-zA-Z0-9-]/g, "-");
      return el("span", { class: "choice" }, el("input", { type: "radio", name, id, value, checked: i === 0 }),
        el("label", { for: id, class: "inline" }, label));
    }));
}

// available reads up to 100 free numbers of a kind from the account's ranges.
async function available(accountId, kind) {
  const got = await api("GET", `/v1/accounts/${accountId}/numbers/available?kind=${kind}&limit=100`).catch(() => ({ items: [] }));
  return got.items.map((n) => n.number);
}

// numberSelect offers numbers to pick one (or, multiple, several) of.
const numberSelect = (name, label, numbers, attrs = {}, hint = "") => control("select", name, label, attrs, hint,
  attrs.multiple ? null : el("option", { value: "" }, attrs.required ? "Choose a number" : "None"),
  numbers.map((n) => el("option", { value: n }, n)));

const steps = ["User or subscription", "The user", "Numbers", "Subscription", "Overview"];

export async function newUserPage(id) {
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const [fixed, mobile, ranges] = await Promise.all([available(a.id, "fixed"), available(a.id, "mobile"),
    api("GET", `/v1/accounts/${a.id}/number-ranges`).then((r) => r.items).catch(() => [])]);
  const alert = alertBox();
  const form = el("form", { novalidate: true, "aria-labelledby": "wizard-heading" });
  const panels = steps.map((name, i) => el("fieldset", { id: `step-${i}`, hidden: i > 0 }, el("legend", {}, `Step ${i + 1} of ${steps.length}: ${name}`)));

  const what = radios("what", "Create", [["user", "User"], ["subscription", "User and subscription"]]);
  const how = radios("how", "Subscription", [["new", "Create new subscription"], ["port-in", "Port in an existing subscription"]]);
  how.hidden = true;
  panels[0].append(what, how, el("p", { class: "hint" }, "A subscription is a mobile subscription with its SIM card; porting moves a number from another carrier."));

  const generated = el("input", { type: "checkbox", id: "f-generate", name: "generate", checked: true });
  const password = field("password", "Password", { type: "password", autocomplete: "new-password" }, "At least 12 characters");
  password.hidden = true;
  generated.addEventListener("change", () => { password.hidden = generated.checked; });
  panels[1].append(
    addressFields("invoiceAddress", "Invoice address: the buyer's legal address"),
    field("firstName", "First name", { required: true, autocomplete: "off" }),
    field("lastName", "Last name", { required: true, autocomplete: "off" }),
    el("label", { for: "f-type" }, "User type"),
    el("select", { id: "f-type", name: "type" }, el("option", { value: "user" }, "User: every core service"),
      el("option", { value: "basic" }, "Basic user: restricted access to the API and to presence")),
    field("username", "Custom username", { autocomplete: "off" }, "Optional, unique in the account; the user may sign in with it"),
    field("email", "Email", { type: "email", required: true, autocomplete: "off" }, "A login name, and where the user's emails go"),
    el("p", {}, generated, el("label", { for: "f-generate", class: "inline" }, "Generate a password"),
      el("span", { class: "hint" }, "Emailed to the user once")),
    password);

  panels[2].append(
    el("p", { id: "available-numbers" }, "Available numbers: ", ranges.length
      ? ranges.map((r) => `${r.start} – ${r.end} (${r.kind})`).join(", ") + "; the first free numbers of each kind are offered below."
      : "the organisation has no number range yet."),
    numberSelect("primaryNumber", "Primary number", fixed.concat(mobile), { required: true }, fixed.length + mobile.length
      ? "The free numbers of the organisation's ranges" : "The organisation's ranges have no free number: add a number range first"),
    numberSelect("aliases", "Aliases", fixed.concat(mobile), { multiple: true, size: 4 }, "Other numbers that reach the user; Ctrl-click to pick several"),
    field("activationDate", "Activation date", { type: "date" }, `In ${a.timezone}; empty: today. A later date keeps the user inactive until then`));

  const newFields = el("div", {}, numberSelect("subscription.number", "Mobile number", mobile, {}, "Empty: the next free mobile number"));
  const documentsField = control("input", "documents", "Porting documents", { type: "file", multiple: true, accept: "application/pdf,image/jpeg,image/png" },
    "PDF, JPEG or PNG: what addresses the number's current owner. Uploaded when you save");
  const documents = documentsField.querySelector("input");
  const portFields = el("div", { hidden: true },
    field("subscription.porting.number", "Number to port", { type: "tel" }, "The mobile number at the other carrier, in international form"),
    radios("subscription.porting.ownerType", "The number's owner", [["person", "A person"], ["organisation", "An organisation"]]),
    field("subscription.porting.ownerId", "Person or organisation number", { autocomplete: "off" }, "Personnummer (YYYYMMDD-XXXX) or organisationsnummer (XXXXXX-XXXX)"),
    field("subscription.porting.proposedAt", `Porting date and time (${a.timezone})`, { type: "datetime-local" }, "A proposal, Monday to Friday 08:00–17:00: the operators confirm the time"),
    numberSelect("subscription.porting.temporaryNumber", "Temporary mobile number", mobile, {}, "Optional: a number for the wait, released when the port completes"),
    el("fieldset", {}, el("legend", {}, "Losing carrier (optional now, needed before scheduling)"),
      field("subscription.porting.losingCarrier.name", "Carrier", { maxlength: 100 }),
      field("subscription.porting.losingCarrier.accountNumber", "Account number at the carrier", { maxlength: 50 }),
      field("subscription.porting.losingCarrier.pin", "Port-out PIN", { maxlength: 20, autocomplete: "off" })),
    documentsField);
  const sameAddress = el("input", { type: "checkbox", id: "f-same-address", checked: true });
  const simAddress = addressFields("subscription.simDeliveryAddress", "SIM delivery address");
  simAddress.hidden = true;
  sameAddress.addEventListener("change", () => { simAddress.hidden = sameAddress.checked; });
  panels[3].append(
    field("subscription.activationDate", "Subscription activation date", { type: "date", value: todayIn(a.timezone) }, `In ${a.timezone}`),
    el("p", {}, sameAddress, el("label", { for: "f-same-address", class: "inline" }, "Deliver the SIM card to the invoice address")),
    simAddress, newFields, portFields);

  const overview = el("div", { id: "overview" });
  panels[4].append(overview);

  // The toggles show or hide their fields, and the subscription's step with them.
  const subscription = () => form.querySelector('[name="what"]:checked').value === "subscription";
  const porting = () => subscription() && form.querySelector('[name="how"]:checked').value === "port-in";
  const toggle = () => {
    how.hidden = !subscription();
    newFields.hidden = porting();
    portFields.hidden = !porting();
  };
  form.addEventListener("change", (e) => { if (e.target.name === "what" || e.target.name === "how") toggle(); });

  const val = (n) => form.querySelector(`[name="${CSS.escape(n)}"]`)?.value.trim() || "";
  const address = (prefix) => Object.fromEntries(["name", "street", "postalCode", "city", "country"].map((k) => [k, val(`${prefix}.${k}`)]));
  const request = () => {
    const body = { type: val("type"), firstName: val("firstName"), lastName: val("lastName"), invoiceAddress: address("invoiceAddress"),
      email: val("email"), primaryNumber: val("primaryNumber"),
      aliases: [...form.querySelector('[name="aliases"]').selectedOptions].map((o) => o.value) };
    if (val("username")) body.username = val("username");
    if (!generated.checked) body.password = form.querySelector('[name="password"]').value;
    if (val("activationDate")) body.activationDate = val("activationDate");
    if (subscription()) {
      const sub = { kind: porting() ? "port-in" : "new", activationDate: val("subscription.activationDate"),
        simDeliveryAddress: sameAddress.checked ? body.invoiceAddress : address("subscription.simDeliveryAddress") };
      if (!porting() && val("subscription.number")) sub.number = val("subscription.number");
      if (porting()) {
        const local = val("subscription.porting.proposedAt");
        sub.porting = { number: val("subscription.porting.number"), ownerId: val("subscription.porting.ownerId"),
          ownerType: form.querySelector('[name="subscription.porting.ownerType"]:checked').value,
          proposedAt: local ? zonedISO(local, a.timezone) : "" };
        if (val("subscription.porting.temporaryNumber")) sub.porting.temporaryNumber = val("subscription.porting.temporaryNumber");
        const carrier = {};
        for (const k of ["name", "accountNumber", "pin"]) if (val(`subscription.porting.losingCarrier.${k}`)) carrier[k] = val(`subscription.porting.losingCarrier.${k}`);
        if (Object.keys(carrier).length) sub.porting.losingCarrier = carrier;
      }
      body.subscription = sub;
    }
    return body;
  };

  let step = 0;
  const nav = el("div", { class: "actions" });
  // order skips the subscription's step for a user alone.
  const order = () => (subscription() ? [0, 1, 2, 3, 4] : [0, 1, 2, 4]);
  const show = (i) => {
    step = i;
    panels.forEach((p, j) => { p.hidden = j !== i; });
    const seq = order();
    const at = seq.indexOf(i);
    const prev = seq[at - 1], next = seq[at + 1];
    nav.replaceChildren(...[
      prev !== undefined ? el("button", { type: "button", class: "secondary", onclick: () => show(prev) }, "Previous") : null,
      next === 4 ? el("button", { type: "button", onclick: review }, "Next: Overview")
        : next !== undefined ? el("button", { type: "button", onclick: () => show(next) }, `Next: ${steps[next]}`)
          : el("button", { type: "submit" }, "Save")].filter(Boolean));
    (panels[i].querySelector("input:not([type=hidden]), select") || panels[i].querySelector("legend")).focus();
  };
  // failed shows an error at its field, on the step that holds it.
  const failed = (err) => {
    const at = (err.fields || []).map((f) => panels.findIndex((p) => p.querySelector(`[name="${CSS.escape(f.field)}"]`))).find((i) => i >= 0);
    show(at === undefined ? step : at);
    showErrors(form, err, alert);
  };
  // review asks the API for the overview (a dry run writes nothing) and shows it.
  async function review() {
    if (porting() && !documents.files.length) {
      failed(new ApiError(422, { title: "Some fields need attention.", errors: [{ field: "documents", reason: "add the documents that address the number's owner" }] }));
      return;
    }
    try {
      const o = await api("POST", `/v1/accounts/${a.id}/users?dryRun=true`, request());
      alert.hidden = true;
      const s = o.subscription;
      const p = o.porting;
      overview.replaceChildren(
        el("p", {}, "Nothing is saved yet. Check what will be made, then Save."),
        el("dl", { class: "facts" },
          el("dt", {}, "Name"), el("dd", {}, `${o.firstName} ${o.lastName}`),
          el("dt", {}, "User type"), el("dd", {}, o.type === "basic" ? "Basic user" : "User"),
          el("dt", {}, "User name"), el("dd", {}, o.username),
          el("dt", {}, "Email"), el("dd", {}, o.email),
          el("dt", {}, "Invoice address"), el("dd", {}, Object.values(o.invoiceAddress || {}).join(", ")),
          el("dt", {}, "Numbers"), el("dd", {}, (o.numbers || [o.primaryNumber]).join(", ")),
          el("dt", {}, "Active"), el("dd", {}, o.active ? "From today" : `From ${o.activationDate}`),
          el("dt", {}, "Password"), el("dd", {}, generated.checked ? "Generated and emailed once" : "As typed"),
          s ? [el("dt", {}, "Subscription"), el("dd", {}, `${s.kind === "port-in" ? "Port in" : "New"}, active from ${s.activationDate}${s.number ? ", number " + s.number : ""}`),
            el("dt", {}, "SIM delivery"), el("dd", {}, Object.values(s.simDeliveryAddress || {}).join(", "))] : null,
          p ? [el("dt", {}, "Porting"), el("dd", {}, `${p.number} (${p.ownerType} ${p.ownerId}), proposed ${utc(p.proposedAt)}`),
            el("dt", {}, "Documents"), el("dd", {}, [...documents.files].map((f) => f.name).join(", "))] : null,
          el("dt", {}, "Emails"), el("dd", {}, (o.emails || []).join(", ") || "none")));
      show(4);
    } catch (err) {
      failed(err);
    }
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const made = await api("POST", `/v1/accounts/${a.id}/users`, request());
      if (made.porting?.id) await upload(made.porting.id, documents.files);
      go(`/accounts/${a.id}/users/${made.id}?created=1`);
    } catch (err) {
      failed(err);
    }
  });
  form.append(el("p", { id: "wizard-heading" }, `New user of ${a.name}`), alert, ...panels, nav);
  show(0);
  return { title: "New user", node: form };
}

// upload sends each porting document straight to the bucket: the API hands out a URL to
// PUT it to, so the file never passes through a function.
async function upload(portingId, files) {
  for (const f of files) {
    const slot = await api("POST", `/v1/porting-requests/${portingId}/documents`, { fileName: f.name, contentType: f.type });
    const res = await fetch(slot.uploadUrl, { method: "PUT", headers: { "Content-Type": f.type }, body: f });
    if (!res.ok) throw new ApiError(res.status, { title: `${f.name} was not uploaded (HTTP ${res.status}): add it from the user's page` });
  }
}

export async function userPage(accountId, userId) {
  const { a, page } = await loadAccount(accountId);
  if (page) return page;
  const who = await me();
  const writes = admin(who.role) && (await may("users.manage"));
  const path = `/v1/accounts/${a.id}/users/${encodeURIComponent(userId)}`;
  let u;
  try {
    u = await api("GET", path);
  } catch (err) {
    return { title: a.name, node: el("p", { class: "alert", role: "alert" }, err.status === 404 ? "There is no such user." : err.message) };
  }
  const created = new URLSearchParams(location.search).get("created");
  const alert = alertBox();
  const s = u.subscription;
  const p = u.porting;
  const free = writes ? (await Promise.all([available(a.id, "fixed"), available(a.id, "mobile")])).flat() : [];
  const mine = [u.primaryNumber, ...(u.aliases || [])].filter(Boolean);
  const edit = writes ? el("form", { novalidate: true, "aria-labelledby": "edit-user-heading" }, el("h2", { id: "edit-user-heading" }, "Edit"), alert,
    field("firstName", "First name", { value: u.firstName }),
    field("lastName", "Last name", { value: u.lastName }),
    field("email", "Email", { type: "email", value: u.email || "" }),
    el("label", { for: "f-type" }, "User type"),
    el("select", { id: "f-type", name: "type" }, el("option", { value: "user", selected: u.type !== "basic" }, "User"),
      el("option", { value: "basic", selected: u.type === "basic" }, "Basic user")),
    numberSelect("primaryNumber", "Primary number", [...new Set(mine.concat(free))], {}, "Its own numbers and the free ones"),
    numberSelect("aliases", "Aliases", [...new Set(mine.concat(free))], { multiple: true, size: 4 }, "Numbers left out are released; Ctrl-click to pick several"),
    u.active ? null : field("activationDate", "Activation date", { type: "date", value: u.activationDate || "" }),
    addressFields("invoiceAddress", "Invoice address"),
    el("button", { type: "submit" }, "Save")) : null;
  if (edit) {
    // The form starts as the user is.
    edit.querySelector(`[name="primaryNumber"] option[value="${CSS.escape(u.primaryNumber || "")}"]`)?.setAttribute("selected", "");
    for (const n of u.aliases || []) edit.querySelector(`[name="aliases"] option[value="${CSS.escape(n)}"]`)?.setAttribute("selected", "");
    for (const [k, v] of Object.entries(u.invoiceAddress || {})) {
      const input = edit.querySelector(`[name="invoiceAddress.${k}"]`);
      if (input) input.value = v;
    }
  }
  edit?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const val = (n) => edit.querySelector(`[name="${n}"]`)?.value.trim();
    const change = { version: u.version, firstName: val("firstName"), lastName: val("lastName"), email: val("email"), type: val("type"),
      aliases: [...edit.querySelector('[name="aliases"]').selectedOptions].map((o) => o.value),
      invoiceAddress: Object.fromEntries(["name", "street", "postalCode", "city", "country"].map((k) => [k, val(`invoiceAddress.${k}`)])) };
    if (val("primaryNumber")) change.primaryNumber = val("primaryNumber");
    if (!u.active && val("activationDate")) change.activationDate = val("activationDate");
    try {
      await api("PATCH", path, change);
      go(`/accounts/${a.id}/users/${u.id}`);
    } catch (err) {
      showErrors(edit, err, alert);
    }
  });
  // The role: the account's administrator or a user (and, in the provider's own account,
  // a porting operator, which only its administrators grant). A basic user keeps its
  // role, and nobody changes their own.
  function roleChange() {
    if (u.type === "basic" || u.id === who.id) return null;
    const roles = [`${a.kind}_admin`, "user"];
    if (a.kind === "provider" && who.role === "provider_admin") roles.push("operator");
    const select = el("select", { id: "f-role", name: "role" }, roles.map((r) => el("option", { value: r, selected: r === u.role }, roleLabel(r))));
    return el("div", {}, el("label", { for: "f-role" }, "Role"), select,
      el("button", { type: "button", class: "secondary", id: "change-role",
        onclick: () => act("PUT", `${path}/role`, { role: select.value }, `${u.firstName} ${u.lastName} is now ${roleLabel(select.value).toLowerCase()}.`) }, "Change role"),
      el("p", { class: "hint" }, "Administrators manage the account; users see it and change nothing. Their sessions end, so the new role applies at once."));
  }
  // After creation: the user's sign-in (a reset link, disable or enable) and the
  // subscription's life (its SIM's address and dispatch, activation now, termination).
  const status = el("p", { role: "status", class: "notice-live" });
  const actAlert = alertBox();
  const act = async (method, url, body, done) => {
    try {
      await api(method, url, body);
      go(`/accounts/${a.id}/users/${u.id}?done=${encodeURIComponent(done)}`);
    } catch (err) {
      showErrors(actions, err, actAlert);
    }
  };
  const actions = writes ? el("div", { class: "actions-explained" }, el("h2", {}, "Sign-in"), actAlert,
    el("div", {}, el("button", { type: "button", class: "secondary", id: "send-reset", onclick: () => act("POST", `${path}/password-reset`, undefined, "A reset link is on its way to the user's email.") }, "Send a password reset link"),
      el("p", { class: "hint" }, "The user chooses a new password from a single-use link sent to their email.")),
    el("div", {}, u.disabled
      ? el("button", { type: "button", id: "enable-user", onclick: () => act("POST", `${path}/enable`, undefined, "The user is enabled.") }, "Enable user")
      : el("button", { type: "button", class: "secondary", id: "disable-user", onclick: () => act("POST", `${path}/disable`, undefined, "The user is disabled.") }, "Disable user"),
    el("p", { class: "hint" }, u.disabled ? "The user signs in again; sessions from before stay ended." : "The user is refused at sign-in and every session they hold ends.")),
    roleChange(),
    u.id === who.id ? null : el("div", {}, el("button", { type: "button", class: "secondary", id: "delete-user", onclick: async () => {
      if (!(await confirmDialog("Delete the user", `${u.firstName} ${u.lastName} can no longer sign in, and every number they hold is free again. This cannot be undone.`, "Delete"))) return;
      try {
        await api("DELETE", path);
        go(`/accounts/${a.id}/users?deleted=${encodeURIComponent(`${u.firstName} ${u.lastName}`)}`);
      } catch (err) {
        showErrors(actions, err, actAlert);
      }
    } }, "Delete user"), el("p", { class: "hint" }, "The account's last administrator is kept; the refusal says so."))) : null;
  const subPath = s ? `/v1/accounts/${a.id}/subscriptions/${s.id}` : "";
  const managesSubs = writes && s && (await may("subscriptions.manage"));
  let subscriptionActions = null;
  if (managesSubs && s.status !== "terminated") {
    const beforeDispatch = s.status === "ordered" && !s.sim?.iccid;
    const address = beforeDispatch ? el("form", { novalidate: true, "aria-labelledby": "sim-address-heading" },
      el("h3", { id: "sim-address-heading" }, "SIM delivery address"), addressFields("simDeliveryAddress", "Deliver the SIM to"),
      el("button", { type: "submit" }, "Save the address")) : null;
    address?.querySelectorAll("input").forEach((i) => { i.value = s.simDeliveryAddress?.[i.name.split(".")[1]] ?? i.value; });
    address?.addEventListener("submit", (e) => {
      e.preventDefault();
      act("PATCH", subPath, { version: s.version, simDeliveryAddress: Object.fromEntries([...address.querySelectorAll("input")].map((i) => [i.name.split(".")[1], i.value.trim()])) },
        "The SIM's delivery address is saved.");
    });
    const dispatch = beforeDispatch ? el("form", { novalidate: true, "aria-labelledby": "dispatch-heading" },
      el("h3", { id: "dispatch-heading" }, "SIM dispatched"),
      field("sim.iccid", "ICCID", { inputmode: "numeric", autocomplete: "off" }, "The SIM card's 19 or 20 digits, starting 89"),
      field("sim.dispatchedOn", "Dispatched on", { type: "date", value: todayIn(a.timezone) }),
      el("p", { class: "hint" }, "Once dispatched, the address and the dispatch are history."),
      el("button", { type: "submit" }, "Record the dispatch")) : null;
    dispatch?.addEventListener("submit", (e) => {
      e.preventDefault();
      act("PATCH", subPath, { version: s.version, sim: { iccid: dispatch.querySelector('[name="sim.iccid"]').value.trim(),
        dispatchedOn: dispatch.querySelector('[name="sim.dispatchedOn"]').value } }, "The SIM's dispatch is recorded.");
    });
    const reason = field("terminateReason", "Reason to terminate", { maxlength: 500 }, "Kept on the subscription; its number stays taken for 90 days");
    subscriptionActions = el("div", { class: "actions-explained" }, address, dispatch,
      s.status === "ordered" ? el("div", {}, el("button", { type: "button", id: "activate-now", onclick: () => act("POST", `${subPath}/activate`, undefined, "The subscription is active.") }, "Activate now"),
        el("p", { class: "hint" }, `Today becomes its activation date, instead of ${s.activationDate}.`)) : null,
      reason,
      el("button", { type: "button", class: "secondary", onclick: async () => {
        if (await confirmDialog("Terminate the subscription", "The subscription ends for good; its number is free again after 90 days.", "Terminate")) {
          act("POST", `${subPath}/terminate`, { reason: reason.querySelector("input").value.trim() }, "The subscription is terminated.");
        }
      } }, "Terminate subscription"));
  }
  const done = new URLSearchParams(location.search).get("done");
  if (done) status.textContent = done;

  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, "/users"), status,
      created ? el("p", { class: "notice", role: "status" }, `${u.firstName} ${u.lastName} is saved.`) : null,
      el("h2", {}, `${u.firstName} ${u.lastName}`.trim() || u.username),
      el("dl", { class: "facts" },
        el("dt", {}, "User name"), el("dd", {}, u.username),
        el("dt", {}, "Email"), el("dd", {}, u.email || "—"),
        el("dt", {}, "Type"), el("dd", {}, u.type === "basic" ? "Basic user" : "User"),
        el("dt", {}, "Role"), el("dd", { id: "user-role" }, roleLabel(u.role)),
        el("dt", {}, "Numbers"), el("dd", {}, (u.numbers || mine).join(", ") || "—"),
        el("dt", {}, "Active"), el("dd", {}, u.active ? "Yes" : `From ${u.activationDate}`),
        el("dt", {}, "Invoice address"), el("dd", {}, Object.values(u.invoiceAddress || {}).join(", ") || "—")),
      s ? [el("h2", {}, "Subscription"), el("dl", { class: "facts" },
        el("dt", {}, "Kind"), el("dd", {}, s.kind === "port-in" ? "Port in" : "New"),
        el("dt", {}, "Status"), el("dd", { id: "subscription-status" }, s.status),
        el("dt", {}, "Number"), el("dd", {}, s.number || "—"),
        el("dt", {}, "Activation date"), el("dd", {}, s.activationDate),
        el("dt", {}, "SIM delivery"), el("dd", {}, Object.values(s.simDeliveryAddress || {}).join(", ")),
        s.sim?.iccid ? [el("dt", {}, "SIM"), el("dd", {}, `${s.sim.iccid}, dispatched ${s.sim.dispatchedOn}`)] : null,
        s.terminatedAt ? [el("dt", {}, "Terminated"), el("dd", {}, `${utc(s.terminatedAt)}${s.terminationReason ? ": " + s.terminationReason : ""}; the number is free from ${utc(s.numberFreeAt)}`)] : null),
      subscriptionActions] : null,
      p ? [el("h2", {}, "Porting request"), el("p", {}, `${p.number}: `, el("strong", { id: "porting-status" }, p.status), " ",
        (await may("porting.request")) && p.id ? el("a", { href: `/porting/${p.id}` }, "Open the request") : null),
      el("ol", { class: "history", "aria-label": "Porting timeline" }, p.timeline.map((st) => el("li", {}, `${utc(st.at)}: ${st.commentOnly ? "comment" : st.status}${byWhom(st, false)}${st.reason ? " (" + st.reason + ")" : ""}${st.comment ? ": " + st.comment : ""}`)))] : null,
      edit, actions,
      el("p", {}, el("a", { href: `/accounts/${a.id}/users` }, "Back to the users"))),
  };
}
