// The public status page of a registration: its status and history, refreshing itself
// until the registration is completed, failed or canceled.

import { api, el, utc } from "../app.js";

const final = ["completed", "failed", "canceled"];


export async function statusPage(id) {
  const box = el("div", { "aria-live": "polite" });
  let timer = null;
  const draw = async () => {
    let reg;
    try {
      reg = await api("GET", `/v1/registrations/${encodeURIComponent(id)}`);
    } catch (err) {
      box.replaceChildren(el("p", { class: "alert", role: "alert" }, err.status === 404 ? "There is no such registration." : err.message));
      return;
    }
    box.replaceChildren(
      el("p", {}, "Status: ", el("span", { class: "status", id: "reg-status" }, reg.status)),
      el("dl", { class: "facts" },
        el("dt", {}, "Tenant"), el("dd", {}, reg.tenant.name),
        el("dt", {}, "Administrator"), el("dd", {}, `${reg.tenant.adminUserName} (personnel ID prp${reg.tenant.adminUserName})`),
        el("dt", {}, "Registration"), el("dd", {}, reg.id)),
      el("h2", {}, "History"),
      el("ol", { class: "history" }, (reg.history || []).map((h) =>
        el("li", {}, `${utc(h.at)}: ${h.status}${h.reason ? " (" + h.reason + ")" : ""}`))),
      final.includes(reg.status)
        ? el("p", { class: reg.status === "completed" ? "notice" : "alert" }, reg.status === "completed"
          ? "Your company is ready. The contact person has an email with how to sign in."
          : "The registration did not complete. The contact person has an email saying why.")
        : el("p", { class: "hint" }, "This page refreshes itself."));
    if (!final.includes(reg.status)) timer = setTimeout(draw, 2000);
  };
  await draw();
  return { title: "Registration status", node: box, stop: () => clearTimeout(timer) };
}
