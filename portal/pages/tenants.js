// Tenant Creation Management: the staff's list of the registrations of their templates,
// with filters, and a registration's detail with the moves its status allows.

import { api, el, field, alertBox, showErrors, me, utc, paged, filters } from "../app.js";

const statuses = ["requested", "scheduled", "queued", "provisioning", "completed", "failed", "canceled"];

export async function tenantsPage() {
  const who = await me();
  const templates = (await api("GET", "/v1/templates")).items;
  const params = new URLSearchParams(location.search);
  const form = el("form", { role: "search", "aria-label": "Filter registrations" },
    field("q", "Tenant name or short name", { type: "search", value: params.get("q") || "" }, "A prefix, any case"),
    el("label", { for: "f-status" }, "Status"),
    el("select", { id: "f-status", name: "status" }, el("option", { value: "" }, "Any"),
      statuses.map((s) => el("option", { value: s, selected: params.get("status") === s }, s))),
    el("label", { for: "f-templateId" }, "Template"),
    el("select", { id: "f-templateId", name: "templateId" }, el("option", { value: "" }, "Any"),
      templates.map((t) => el("option", { value: t.id, selected: params.get("templateId") === t.id }, t.name))),
    field("from", "Submitted from", { type: "date", value: params.get("from") || "" }),
    field("to", "Submitted to", { type: "date", value: params.get("to") || "" }),
    el("button", { type: "submit" }, "Filter"));
  const alert = alertBox();
  const body = el("tbody");
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "More");
  const count = el("p", { role: "status", class: "hint" });
  await paged({
    form, alert, more,
    query: () => filters(form, ["q", "status", "templateId"]),
    path: (q) => `/v1/accounts/${who.accountId}/registrations?${q}`,
    show: (items, append, hasMore) => {
      if (!append) body.replaceChildren();
      for (const r of items) {
        body.append(el("tr", {},
          el("td", {}, el("a", { href: `/tenant-creation/${r.id}` }, r.tenantName)),
          el("td", {}, r.shortName),
          el("td", {}, r.templateId),
          el("td", {}, el("span", { class: "status" }, r.status)),
          el("td", {}, `${r.contactName} <${r.contactEmail}>`),
          el("td", {}, utc(r.createdAt))));
      }
      count.textContent = body.children.length ? `${body.children.length} shown${hasMore ? ", more to load" : ""}` : "No registrations match.";
    },
  });
  const table = el("div", { class: "table-wrap" }, el("table", {},
    el("caption", {}, "Registrations, newest first"),
    el("thead", {}, el("tr", {}, ["Tenant", "Short name", "Template", "Status", "Contact", "Submitted"].map((h) => el("th", { scope: "col" }, h)))),
    body));
  return { title: "Tenant Creation Management", node: el("div", {}, form, alert, count, table, more) };
}

export async function tenantPage(id) {
  const who = await me();
  const alert = alertBox();
  const box = el("div");
  const path = `/v1/accounts/${who.accountId}/registrations/${encodeURIComponent(id)}`;
  const draw = (r) => {
    const actions = el("div", { class: "actions" });
    const act = async (label, suffix, bodyOf) => {
      try {
        draw(await api("POST", `${path}/${suffix}`, bodyOf ? bodyOf() : undefined));
        document.getElementById("reg-status").focus();
      } catch (err) {
        showErrors(box, err, alert);
      }
    };
    if (r.status === "failed") {
      actions.append(el("button", { type: "button", onclick: () => act("Retry", "retry") }, "Retry"),
        el("p", { class: "hint" }, "Retry once the cause is fixed: the names are claimed again and the contact hears the new outcome."));
    }
    if (r.status === "scheduled") {
      const reason = field("reason", "Reason to cancel", { maxlength: 200 }, "Goes on the history; the names are released");
      actions.append(el("button", { type: "button", onclick: () => act("Provision now", "provision-now") }, "Provision now"),
        reason, el("button", { type: "button", class: "secondary", onclick: () => act("Cancel", "cancel", () => ({ reason: reason.querySelector("input").value.trim() })) }, "Cancel registration"));
    }
    box.replaceChildren(alert,
      el("p", {}, "Status: ", el("span", { class: "status", id: "reg-status", tabindex: "-1" }, r.status)),
      el("dl", { class: "facts" },
        el("dt", {}, "Tenant"), el("dd", {}, `${r.tenant.name} (${r.tenant.shortName})`),
        el("dt", {}, "UPN suffix"), el("dd", {}, r.tenant.upnSuffix),
        el("dt", {}, "Administrator"), el("dd", {}, `${r.tenant.adminUserName} (personnel ID prp${r.tenant.adminUserName})`),
        el("dt", {}, "ANI"), el("dd", {}, r.tenant.ani),
        el("dt", {}, "Template"), el("dd", {}, `${r.templateId}, ${r.schedule}`),
        el("dt", {}, "Contact"), el("dd", {}, `${r.contact.name}, ${r.contact.email}, ${r.contact.phone}`),
        r.accountId ? [el("dt", {}, "Account"), el("dd", {}, `${r.accountId} (realm ${r.realm})`)] : null),
      el("h2", {}, "History"),
      el("ol", { class: "history" }, r.history.map((h) => el("li", {}, `${utc(h.at)}: ${h.status}${h.reason ? " (" + h.reason + ")" : ""}`))),
      actions,
      el("p", {}, el("a", { href: "/tenant-creation" }, "Back to the list")));
  };
  try {
    draw(await api("GET", path));
  } catch (err) {
    box.replaceChildren(el("p", { class: "alert", role: "alert" }, err.status === 404 ? "There is no such registration." : err.message));
  }
  return { title: "Registration", node: box };
}
