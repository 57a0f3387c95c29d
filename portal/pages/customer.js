// A customer's Main tab and its neighbours: the tabs every account page shares, contacts
// with their verified badges and password resets, internal number blocks, the call
// summaries grid with its selection arithmetic and Generate Invoice, and the audit log.

import { api, el, field, control, alertBox, showErrors, confirmDialog, me, may, admin, utc, table, paged, filters } from "../app.js";

// accountTabs are the pages of one account; current is the page's path below the
// account's. A tab the caller's role or account may not use is not shown.
export async function accountTabs(a, current) {
  const who = await me();
  const tabs = [["", "Main"], ["/contacts", "Contacts and numbers"], ["/users", "Users"],
    (await may("sip.manage")) ? ["/softphones", "Softphone clients"] : null,
    ["/summaries", "Call summaries"], ["/audit", "Audit log"], admin(who.role) ? ["/access", "Staff and integrations"] : null].filter(Boolean);
  return el("nav", { class: "tabs", "aria-label": `${a.name}: pages` },
    tabs.map(([path, label]) => el("a", { href: `/accounts/${a.id}${path}`, "aria-current": path === current ? "page" : null }, label)),
    who.accountId !== a.id && a.parentId ? el("a", { href: `/accounts/${a.parentId}`, class: "up" }, "Parent account") : null);
}

// loadAccount reads the account a page is about, or answers the page that says why not.
export async function loadAccount(id) {
  try {
    return { a: await api("GET", `/v1/accounts/${encodeURIComponent(id)}`) };
  } catch (err) {
    return { page: { title: "Account", node: el("p", { class: "alert", role: "alert" }, err.status === 404 ? "There is no such account." : err.message) } };
  }
}

// badge marks a verified (or not yet verified) email or mobile number.
const badge = (ok, what) => el("span", { class: ok ? "badge ok" : "badge" }, ok ? `${what} verified` : `${what} not verified`);

export async function contactsPage(id) {
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const who = await me();
  const writes = admin(who.role);
  // Private notes are for the provider's staff: administrators of an account above.
  const staffAbove = writes && a.id !== who.accountId;
  const alert = alertBox();
  const list = el("div");
  const draw = async () => {
    const contacts = await api("GET", `/v1/accounts/${a.id}/contacts`);
    list.replaceChildren(table("Contacts", ["Name", "Email", "Mobile", "Public notes", staffAbove ? "Private notes" : null, writes ? "Actions" : null].filter(Boolean),
      contacts.items.map((c) => [c.name, [c.email, " ", badge(c.emailVerified, "email"), verify(c, "email")],
        c.mobile ? [c.mobile, " ", badge(c.mobileVerified, "mobile"), verify(c, "mobile")] : "—",
        c.publicNotes || "", staffAbove ? c.privateNotes || "" : null,
        writes ? el("span", { class: "row-actions" },
          el("button", { type: "button", class: "icon", "aria-label": `Reset the password of ${c.name}`, title: "Reset password", onclick: () => resetForm(c) }, "🔑"),
          el("button", { type: "button", class: "icon", "aria-label": `Edit ${c.name}`, title: "Edit", onclick: async () => {
            // The row may be older than the contact (a code sent, a password set): edit what is stored now.
            try {
              contactForm(await api("GET", `/v1/accounts/${a.id}/contacts/${c.id}`));
            } catch (err) {
              showErrors(list, err, alert);
            }
          } }, "✎"),
          el("button", { type: "button", class: "icon", "aria-label": `Delete ${c.name}`, title: "Delete", onclick: () => remove(c) }, "🗑")) : null]
        .filter((cell) => cell !== null))));
  };

  // Deleting a contact ends its sign-in; the account's last administrator stays (409).
  const remove = async (c) => {
    if (!(await confirmDialog("Delete the contact", `${c.name} can no longer sign in, and their sessions end. This cannot be undone.`, "Delete"))) return;
    try {
      await api("DELETE", `/v1/accounts/${a.id}/contacts/${c.id}`);
      alert.hidden = true;
      await draw();
      status.textContent = `${c.name} is deleted.`;
    } catch (err) {
      showErrors(list, err, alert);
    }
  };

  // Verification: a 6-digit code goes to the email or mobile, and the contact reads it back
  // (to you, or in the portal themselves).
  const verifyBox = el("div");
  const verify = (c, channel) => {
    if (!writes || (channel === "email" ? c.emailVerified : c.mobileVerified)) return null;
    return el("button", { type: "button", class: "secondary small", "aria-label": `Verify the ${channel} of ${c.name}`, onclick: async () => {
      const verifyAlert = alertBox();
      try {
        const sent = await api("POST", `/v1/accounts/${a.id}/contacts/${c.id}/verify-${channel}`);
        const form = el("form", { novalidate: true, "aria-labelledby": "verify-heading" },
          el("h3", { id: "verify-heading" }, `Verify the ${channel} of ${c.name}`), verifyAlert,
          field("code", "Code", { inputmode: "numeric", maxlength: 6, autocomplete: "one-time-code" }, `The 6 digits sent to ${sent.sentTo}, valid until ${utc(sent.expiresAt)}`),
          el("div", { class: "actions" }, el("button", { type: "submit" }, "Confirm"),
            el("button", { type: "button", class: "secondary", onclick: () => verifyBox.replaceChildren() }, "Cancel")));
        form.addEventListener("submit", async (e) => {
          e.preventDefault();
          try {
            await api("POST", `/v1/accounts/${a.id}/contacts/${c.id}/confirm`, { channel, code: form.querySelector('[name="code"]').value.trim() });
            verifyBox.replaceChildren();
            status.textContent = `The ${channel} of ${c.name} is verified.`;
            await draw();
          } catch (err) {
            showErrors(form, err, verifyAlert);
          }
        });
        verifyBox.replaceChildren(form);
        form.querySelector("input").focus();
      } catch (err) {
        showErrors(list, err, alert);
      }
    } }, "Verify");
  };

  // The + to the right of Contacts opens the form for a new contact, and a row's pencil
  // the same form for that contact. An edit sends only what changed: a new email or
  // mobile number is unverified again.
  const formBox = el("div");
  const contactForm = (c) => {
    const formAlert = alertBox();
    const generate = el("input", { type: "checkbox", id: "f-generate", name: "generate", checked: true });
    const typed = field("password", "Password", { type: "password", autocomplete: "new-password" }, "At least 12 characters");
    typed.hidden = true;
    generate.addEventListener("change", () => { typed.hidden = generate.checked; });
    const form = el("form", { novalidate: true, "aria-labelledby": "contact-form-heading" },
      el("h3", { id: "contact-form-heading" }, c ? `Edit ${c.name}` : "New contact"), formAlert,
      field("name", "Contact name", { required: true, maxlength: 64, value: c?.name || "" }),
      field("email", "Login email", { type: "email", required: true, value: c?.email || "" },
        c ? "A new address is unverified until the contact confirms it" : "The contact signs in with it"),
      field("mobile", "Mobile", { type: "tel", value: c?.mobile || "" }, "In international form: +46701234567"),
      c ? null : el("p", {}, generate, el("label", { for: "f-generate", class: "inline" }, "Auto Generate Password"),
        el("span", { class: "hint" }, "Generated and emailed to the contact once")),
      c ? null : typed,
      el("p", { class: "warning", id: "notes-warning" }, "Do not save passwords in either of the notes fields."),
      notes("publicNotes", "Public notes", "Shown in the customer portal"),
      staffAbove ? notes("privateNotes", "Private notes", "Shown only to your staff") : null,
      el("div", { class: "actions" }, el("button", { type: "submit" }, "Save"),
        el("button", { type: "button", class: "secondary", onclick: () => formBox.replaceChildren() }, "Cancel")));
    form.querySelector('[name="publicNotes"]').value = c?.publicNotes || "";
    if (staffAbove) form.querySelector('[name="privateNotes"]').value = c?.privateNotes || "";
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const val = (n) => form.querySelector(`[name="${n}"]`)?.value.trim() || "";
      const names = ["name", "email", "mobile", "publicNotes", staffAbove ? "privateNotes" : null].filter(Boolean);
      try {
        if (c) {
          const change = { version: c.version };
          for (const n of names) if (val(n) !== (c[n] || "")) change[n] = val(n);
          await api("PATCH", `/v1/accounts/${a.id}/contacts/${c.id}`, change);
        } else {
          const body = Object.fromEntries(names.map((n) => [n, val(n)]).filter(([n, v]) => v || n === "publicNotes"));
          if (!generate.checked) body.password = form.querySelector('[name="password"]').value;
          await api("POST", `/v1/accounts/${a.id}/contacts`, body);
        }
        formBox.replaceChildren();
        await draw();
        status.textContent = c ? `${val("name")} is saved.` : `${val("name")} is added.${generate.checked ? " A password is on its way to them." : ""}`;
      } catch (err) {
        showErrors(form, err, formAlert);
      }
    });
    formBox.replaceChildren(form);
    form.querySelector("input").focus();
  };

  // The key action: auto generate and email a new password, or type one.
  const resetBox = el("div");
  const resetForm = (c) => {
    const resetAlert = alertBox();
    const auto = el("input", { type: "radio", name: "how", id: "how-generate", value: "generate", checked: true });
    const manual = el("input", { type: "radio", name: "how", id: "how-type", value: "type" });
    const typedNew = field("newPassword", "New password", { type: "password", autocomplete: "new-password" });
    typedNew.hidden = true;
    for (const r of [auto, manual]) r.addEventListener("change", () => { typedNew.hidden = auto.checked; });
    const form = el("form", { novalidate: true, "aria-labelledby": "reset-heading" },
      el("h3", { id: "reset-heading" }, `Reset the password of ${c.name}`), resetAlert,
      el("fieldset", {}, el("legend", {}, "How"),
        el("p", {}, auto, el("label", { for: "how-generate", class: "inline" }, "Auto Generate & Email Password")),
        el("p", {}, manual, el("label", { for: "how-type", class: "inline" }, "Enter a password"))),
      typedNew,
      el("div", { class: "actions" }, el("button", { type: "submit" }, "Save"),
        el("button", { type: "button", class: "secondary", onclick: () => resetBox.replaceChildren() }, "Cancel")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api("POST", `/v1/accounts/${a.id}/contacts/${c.id}/password`,
          auto.checked ? { generate: true } : { password: form.querySelector('[name="newPassword"]').value });
        resetBox.replaceChildren();
        await draw();
        status.textContent = auto.checked ? `A new password is on its way to ${c.email}.` : `The password of ${c.name} is changed.`;
      } catch (err) {
        showErrors(form, err, resetAlert);
      }
    });
    resetBox.replaceChildren(form);
    form.querySelector("input").focus();
  };

  // Number range parameters: the account's ranges, inside its parent's; the wizard picks
  // numbers from them and blocks are cut from them.
  const manages = writes && (await may("numbers.manage"));
  const ranges = el("div");
  const rangeAlert = alertBox();
  const drawRanges = async () => {
    try {
      const got = await api("GET", `/v1/accounts/${a.id}/number-ranges`);
      ranges.replaceChildren(got.items.length ? table("Number ranges", ["From", "To", "Kind", "Numbers", manages ? "Release" : null].filter(Boolean),
        got.items.map((r) => [r.start, r.end, r.kind, String(r.size), manages ? el("button", { type: "button", class: "secondary small",
          "aria-label": `Release the range ${r.start} – ${r.end}`, onclick: async () => {
            try {
              await api("DELETE", `/v1/accounts/${a.id}/number-ranges/${r.id}`);
              status.textContent = `The range ${r.start} – ${r.end} is released.`;
              await drawRanges();
            } catch (err) {
              showErrors(rangeForm, err, rangeAlert);
            }
          } }, "Release") : null].filter((c) => c !== null)))
        : el("p", { class: "hint" }, "No number range yet."));
    } catch (err) {
      ranges.replaceChildren(el("p", { class: "hint" }, err.status === 403 ? "Your account may not see number ranges." : err.message));
    }
  };
  const rangeForm = el("form", { novalidate: true, "aria-labelledby": "range-heading" }, el("h3", { id: "range-heading" }, "Add a range"), rangeAlert,
    field("start", "First number", { type: "tel", required: true }, "International form: +46812340000"),
    field("end", "Last number", { type: "tel", required: true }),
    el("label", { for: "f-kind" }, "Kind"),
    el("select", { id: "f-kind", name: "kind" }, el("option", { value: "fixed" }, "Fixed"), el("option", { value: "mobile" }, "Mobile")),
    el("button", { type: "submit" }, "Add range"));
  rangeForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const val = (n) => rangeForm.querySelector(`[name="${n}"]`).value.trim();
    try {
      const r = await api("POST", `/v1/accounts/${a.id}/number-ranges`, { start: val("start"), end: val("end"), kind: val("kind") });
      rangeForm.reset();
      rangeAlert.hidden = true;
      status.textContent = `The range ${r.start} – ${r.end} (${r.size} numbers) is added.`;
      await drawRanges();
    } catch (err) {
      showErrors(rangeForm, err, rangeAlert);
    }
  });

  // Internal number blocks: the + assigns the next block of 100.
  const blocks = el("div");
  const blockAlert = alertBox();
  const drawBlocks = async () => {
    try {
      const got = await api("GET", `/v1/accounts/${a.id}/internal-number-blocks`);
      blocks.replaceChildren(got.items.length ? table("Internal number blocks", ["Numbers", "Extensions", "Size", "Assigned"],
        got.items.map((b) => [`${b.first} – ${b.last}`, `${b.firstExtension} – ${b.lastExtension}`, String(b.size), utc(b.createdAt)]))
        : el("p", { class: "hint" }, "No block is assigned yet."));
    } catch (err) {
      blocks.replaceChildren(el("p", { class: "hint" }, err.status === 403 ? "Your account may not see number blocks." : err.message));
    }
  };
  const assign = el("button", { type: "button", class: "icon", "aria-label": "Assign an internal number block", title: "Assign a block",
    onclick: async () => {
      try {
        const b = await api("POST", `/v1/accounts/${a.id}/internal-number-blocks`);
        blockAlert.hidden = true;
        status.textContent = `Block ${b.first} – ${b.last} is assigned.`;
        await drawBlocks();
      } catch (err) {
        showErrors(blocks, err, blockAlert);
      }
    } }, "+");
  const status = el("p", { role: "status", class: "notice-live" });

  await Promise.all([draw(), drawRanges(), drawBlocks()]);
  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, "/contacts"), status, alert,
      el("h2", { class: "with-action" }, "Contacts", writes ? el("button", { type: "button", class: "icon", "aria-label": "Add a contact", title: "Add a contact",
        onclick: () => contactForm() }, "+") : null),
      el("p", { class: "hint" }, "Check that each contact's email and mobile are verified; the contact confirms them with a code."),
      formBox, resetBox, verifyBox, list,
      el("h2", {}, "Number range parameters"),
      el("p", { class: "hint" }, "The account's numbers: each range lies inside one of its parent's and overlaps no other account's."),
      ranges, manages ? rangeForm : null,
      el("h2", { class: "with-action" }, "Internal number block", manages ? assign : null),
      el("p", { class: "hint" }, "Internal numbers serve functions such as SIP authentication. The number range parameters must be defined before a block can be assigned."),
      blockAlert, blocks),
  };
}

// notes is a contact's notes field, described by the warning against passwords in notes.
const notes = (name, label, hint) => control("textarea", name, label,
  { rows: 3, maxlength: 2000, "aria-describedby": `f-${name}-hint notes-warning f-${name}-error` }, hint);

// The grid's columns: the row's field, its heading, and whether its cells add up.
const columns = [
  ["start", "Start (UTC)"], ["calls", "Calls", true], ["answered", "Answered", true], ["minutes", "Minutes", true],
  ["averageSeconds", "Average (s)", true], ["cost", "Cost", true], ["invoiceId", "Invoice"]];

// cellText is a row's value as the grid shows it: 24-hour UTC times, money in units.
function cellText(row, key, currency) {
  switch (key) {
    case "start": return row.period === "monthly" ? row.start.slice(0, 7) : row.period === "daily" ? row.start.slice(0, 10) : utc(row.start).slice(0, 16);
    case "cost": return (row.costMinor / 100).toFixed(2) + " " + currency;
    case "minutes": return String(row.minutes);
    case "averageSeconds": return String(Math.round(row.averageSeconds * 10) / 10);
    case "invoiceId": return row.invoiceId || "";
    default: return String(row[key]);
  }
}

const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

export async function summariesPage(id) {
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const who = await me();
  // Invoices are made by the parent account's administrators.
  const invoices = admin(who.role) && a.id !== who.accountId;
  const params = new URLSearchParams(location.search);
  const alert = alertBox();
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 31 * 86400000).toISOString().slice(0, 10);
  const form = el("form", { "aria-label": "Which summaries" },
    el("fieldset", {}, el("legend", {}, "Period"),
      ["live", "daily", "monthly"].map((p) => el("span", { class: "choice" },
        el("input", { type: "radio", name: "period", id: `period-${p}`, value: p, checked: (params.get("period") || "daily") === p }),
        el("label", { for: `period-${p}`, class: "inline" }, { live: "Live (hourly)", daily: "Daily", monthly: "Monthly" }[p])))),
    field("from", "From (UTC date)", { type: "date", value: params.get("from") || monthAgo }),
    field("to", "To (UTC date)", { type: "date", value: params.get("to") || today }),
    el("button", { type: "submit" }, "Show"));
  const grid = el("div", { class: "table-wrap" });
  const selectionLine = el("p", { role: "status", id: "selection", class: "hint" }, "Select cells to see their sum and average.");
  const copyButtons = el("div", { class: "actions" });
  const exported = el("a", { hidden: true, download: `${a.realm}-summaries.csv`, id: "export-link" }, "Download the export again");
  const invoiceBox = el("div");
  let rows = [];
  let currency = a.credit.currency;
  const selected = new Set(); // "row:column" of the selected cells

  const cellsOf = () => [...selected].map((k) => k.split(":")).map(([r, c]) => [Number(r), Number(c)]);
  const describe = () => {
    const byColumn = new Map();
    for (const [r, c] of cellsOf()) if (columns[c][2]) byColumn.set(c, [...(byColumn.get(c) || []), r]);
    if (!selected.size) { selectionLine.textContent = "Select cells to see their sum and average."; return; }
    selectionLine.replaceChildren(...[...byColumn].map(([c, rs]) => {
      const values = rs.map((r) => (columns[c][0] === "cost" ? rows[r].costMinor / 100 : Number(cellText(rows[r], columns[c][0], currency))));
      const sum = values.reduce((x, y) => x + y, 0);
      const avg = sum / values.length;
      const name = columns[c][1];
      return el("span", { class: "sum" }, columns[c][0] === "averageSeconds"
        ? `${name}: average of ${values.length} averages ${avg.toFixed(1)} (an average of averages, not the true average)`
        : `${name}: sum ${Number(sum.toFixed(2))}, average ${avg.toFixed(2)} of ${values.length} cells`);
    }));
    if (!byColumn.size) selectionLine.textContent = `${selected.size} cells selected.`;
  };
  // The selection as text: its rows and columns in the grid's order, tab-separated.
  const selectionText = (headers) => {
    const cells = cellsOf();
    const rs = [...new Set(cells.map(([r]) => r))].sort((x, y) => x - y);
    const cs = [...new Set(cells.map(([, c]) => c))].sort((x, y) => x - y);
    const lines = rs.map((r) => cs.map((c) => (selected.has(`${r}:${c}`) ? cellText(rows[r], columns[c][0], currency) : "")));
    if (headers) lines.unshift(cs.map((c) => columns[c][1]));
    return lines;
  };
  const copy = async (headers) => {
    const text = selectionText(headers).map((l) => l.join("\t")).join("\n");
    try {
      await navigator.clipboard.writeText(text);
      selectionLine.textContent = `Copied ${selected.size} cells${headers ? " with their headers" : ""}.`;
    } catch {
      selectionLine.textContent = "The browser did not allow copying: use Export instead.";
    }
  };
  const exportCSV = () => {
    const csv = selectionText(true).map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n";
    if (exported.href) URL.revokeObjectURL(exported.href);
    exported.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    exported.hidden = false;
    exported.click();
  };
  copyButtons.append(
    el("button", { type: "button", class: "secondary", id: "copy", onclick: () => copy(false) }, "Copy"),
    el("button", { type: "button", class: "secondary", id: "copy-headers", onclick: () => copy(true) }, "Copy with Headers"),
    el("button", { type: "button", class: "secondary", id: "export", onclick: exportCSV }, "Export"),
    el("button", { type: "button", class: "secondary", onclick: () => { selected.clear(); drawGrid(); } }, "Clear selection"));

  const toggle = (r, c, extend) => {
    const k = `${r}:${c}`;
    if (!extend) selected.clear();
    if (selected.has(k) && extend) selected.delete(k); else selected.add(k);
    drawGrid();
    grid.querySelector(`[data-cell="${k}"]`)?.focus();
  };
  const drawGrid = () => {
    const period = form.querySelector('[name="period"]:checked').value;
    const pickable = invoices && period !== "live";
    const t = el("table", { role: "grid", "aria-label": "Call summaries", "aria-multiselectable": "true" },
      el("caption", {}, "Click a cell to select it; Ctrl-click or Shift-click (or Space) adds cells. Times are UTC, 24-hour."),
      el("thead", {}, el("tr", {}, pickable ? el("th", { scope: "col" }, "Action") : null, columns.map(([, h]) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((row, r) => el("tr", {},
        pickable ? el("td", {}, row.invoiceId ? "" : el("input", { type: "checkbox", name: "invoice", value: row.id, "aria-label": `Invoice ${cellText(row, "start", currency)}` })) : null,
        columns.map(([key], c) => {
          const k = `${r}:${c}`;
          return el("td", { tabindex: "0", "data-cell": k, "aria-selected": selected.has(k) ? "true" : "false", class: selected.has(k) ? "selected" : null,
            onclick: (e) => toggle(r, c, e.ctrlKey || e.metaKey || e.shiftKey),
            onkeydown: (e) => { if (e.key === " " || e.key === "Enter") { e.preventDefault(); toggle(r, c, true); } } },
          cellText(row, key, currency));
        })))));
    grid.replaceChildren(rows.length ? t : el("p", { class: "hint" }, "No calls in these dates."));
    describe();
  };
  const load = async () => {
    const q = new URLSearchParams({ period: form.querySelector('[name="period"]:checked').value,
      from: form.querySelector('[name="from"]').value, to: form.querySelector('[name="to"]').value });
    history.replaceState({}, "", `${location.pathname}?${q}`);
    try {
      const s = await api("GET", `/v1/accounts/${a.id}/summaries?${q}`);
      rows = s.rows;
      currency = s.currency || currency;
      selected.clear();
      alert.hidden = true;
      drawGrid();
    } catch (err) {
      showErrors(form, err, alert);
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });

  const generate = el("button", { type: "button", onclick: async () => {
    const ids = [...grid.querySelectorAll('[name="invoice"]:checked')].map((i) => i.value);
    if (!ids.length) { selectionLine.textContent = "Check the rows to invoice first."; return; }
    try {
      const inv = await api("POST", `/v1/accounts/${a.id}/invoices`, { summaryIds: ids });
      invoiceBox.replaceChildren(el("p", { class: "notice", role: "status" }, `Invoice ${inv.id} is made: ${inv.total} ${inv.currency}, status ${inv.status}. The billing system can now fetch it.`));
      await load();
      await drawInvoices();
    } catch (err) {
      showErrors(form, err, alert);
    }
  } }, "Generate Invoice");
  const invoiceList = el("div");
  const drawInvoices = async () => {
    const got = await api("GET", `/v1/accounts/${a.id}/invoices`).catch(() => ({ items: [] }));
    invoiceList.replaceChildren(got.items.length ? table("Invoices", ["Invoice", "Total", "Status", "Made"],
      got.items.map((i) => [i.id + (i.adjusts ? ` (adjusts ${i.adjusts})` : ""), `${i.total} ${i.currency}`, i.status, utc(i.createdAt)]))
      : el("p", { class: "hint" }, "No invoices yet."));
  };
  await load();
  await drawInvoices();
  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, "/summaries"), form, alert,
      el("h2", { class: "with-action" }, "Summary", invoices ? generate : null), invoiceBox,
      selectionLine, copyButtons, exported, grid,
      el("h2", {}, "Invoices"), invoiceList),
  };
}

export async function auditPage(id) {
  const { a, page } = await loadAccount(id);
  if (page) return page;
  const alert = alertBox();
  const list = el("tbody");
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "More");
  const entity = el("select", { id: "f-entity", name: "entity" }, el("option", { value: "" }, "Everything"),
    ["account", "user", "subscription", "contact", "registration", "porting", "number_range", "number_block", "sip", "invoice", "api_key", "webhook"].map((e) => el("option", { value: e, selected: new URLSearchParams(location.search).get("entity") === e }, e)));
  const form = el("form", { "aria-label": "Filter the audit log" }, el("label", { for: "f-entity" }, "Entity"), entity, el("button", { type: "submit" }, "Filter"));
  await paged({
    form, alert, more,
    query: () => filters(form, ["entity"]),
    path: (q) => `/v1/accounts/${a.id}/audit-log?${q}`,
    show: (items, append) => {
      if (!append) list.replaceChildren();
      for (const entry of items) {
        const diff = el("pre", { class: "diff", hidden: true }, JSON.stringify(entry.diff || {}, null, 2));
        const view = el("button", { type: "button", class: "secondary small", "aria-expanded": "false",
          onclick: () => { diff.hidden = !diff.hidden; view.setAttribute("aria-expanded", String(!diff.hidden)); view.textContent = diff.hidden ? "View Difference" : "Hide Difference"; } },
        "View Difference");
        list.append(el("tr", {}, el("td", {}, utc(entry.at)), el("td", {}, entry.actor), el("td", {}, entry.action),
          el("td", {}, `${entry.entity} ${entry.entityId}`), el("td", {}, view, diff)));
      }
    },
  });
  return {
    title: a.name,
    node: el("div", {}, await accountTabs(a, "/audit"), el("h2", {}, "Audit log"),
      el("p", { class: "hint" }, "When the customer was made and every change since, newest first. View Difference shows what changed, as JSON; secrets are masked."),
      form, alert,
      el("div", { class: "table-wrap" }, el("table", {}, el("caption", {}, "Audit log"),
        el("thead", {}, el("tr", {}, ["When (UTC)", "Who", "Action", "What", "Difference"].map((h) => el("th", { scope: "col" }, h)))), list)),
      more),
  };
}
