// The porting desk, for operators (and the provider's administrators, who may look): the
// queue with its filters, and a request's detail with its timeline, documents, comments
// (private or public), the losing carrier's details, and only the moves the API allows
// the caller from the current state (the request's allowedMoves).

import { api, el, field, control, alertBox, showErrors, me, utc, utcAndLocal, zonedISO, admin, paged, filters, ApiError } from "../app.js";

const statuses = ["submitted", "pending", "scheduled", "rejected", "completed", "canceled"];

export async function deskPage() {
  const params = new URLSearchParams(location.search);
  const alert = alertBox();
  const form = el("form", { role: "search", "aria-label": "Filter the queue" },
    el("label", { for: "f-status" }, "Status"),
    el("select", { id: "f-status", name: "status" }, el("option", { value: "" }, "Open (not completed or canceled)"),
      statuses.map((s) => el("option", { value: s, selected: params.get("status") === s }, s))),
    field("accountId", "Account ID", { value: params.get("accountId") || "" }, "One account's requests"),
    field("from", "Due from (UTC)", { type: "date", value: params.get("from") || "" }),
    field("to", "Due until (UTC)", { type: "date", value: params.get("to") || "" }),
    el("button", { type: "submit" }, "Filter"));
  const body = el("tbody");
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "More");
  const count = el("p", { role: "status", class: "hint" });
  await paged({
    form, alert, more,
    query: () => filters(form, ["status", "accountId"]),
    path: (q) => `/v1/porting-requests?${q}`,
    show: (items, append, hasMore) => {
      if (!append) body.replaceChildren();
      for (const r of items) {
        body.append(el("tr", {}, el("td", {}, el("a", { href: `/porting/${r.id}` }, r.number)), el("td", {}, r.status),
          el("td", {}, utcAndLocal(r.confirmedAt || r.proposedAt, r.timezone)), el("td", {}, r.accountName || r.accountId), el("td", {}, r.losingCarrier.name || "—"),
          el("td", {}, r.losingCarrier.missing?.length ? `missing ${r.losingCarrier.missing.join(", ")}` : "complete")));
      }
      count.textContent = body.children.length ? `${body.children.length} requests${hasMore ? ", more to load" : ""}` : "The queue is empty.";
    },
  });
  return {
    title: "Porting desk",
    node: el("div", {}, el("p", { class: "hint" }, "Every account's requests, the soonest due first (its confirmed time once scheduled, else the proposed one)."),
      form, alert, count,
      el("div", { class: "table-wrap" }, el("table", {}, el("caption", {}, "Porting requests"),
        el("thead", {}, el("tr", {}, ["Number", "Status", "Due", "Account", "Losing carrier", "Details"].map((h) => el("th", { scope: "col" }, h)))), body)),
      more),
  };
}

// actedAs names who made a step by the role they acted in; operators also see the user.
const actedAs = { operator: "the porting desk", provider_admin: "the provider's administrator", reseller_admin: "the reseller's administrator",
  tenant_admin: "the account's administrator" };
export const byWhom = (s, operator) => (!s.byRole ? (s.by ? ` by ${s.by}` : "") : ` by ${actedAs[s.byRole] || s.byRole}${operator && s.by ? ` (${s.by})` : ""}`);

// moveLabels name each move as the desk's buttons say it.
const moveLabels = { pending: "Mark pending", scheduled: "Schedule", completed: "Complete", rejected: "Reject", canceled: "Cancel request", submitted: "Submit again" };

export async function portingPage(id) {
  const who = await me();
  const operator = who.role === "operator";
  const path = `/v1/porting-requests/${encodeURIComponent(id)}`;
  const alert = alertBox();
  const box = el("div");
  const status = el("p", { role: "status", class: "notice-live" });
  const draw = async (r) => {
    // Operators may not read accounts, and are not made to ask: the request carries the
    // account's name and zone.
    const acct = operator ? null : await api("GET", `/v1/accounts/${r.accountId}`).catch(() => null);
    const zone = acct?.timezone || r.timezone || "UTC";
    const patch = async (body, done) => {
      try {
        const next = await api("PATCH", path, { version: r.version, ...body });
        status.textContent = done;
        await draw(next);
      } catch (err) {
        showErrors(box, err, alert);
      }
    };

    // The state buttons: only the moves allowed now; scheduling asks for the confirmed
    // time, rejecting for the reason.
    const when = field("confirmedAt", `Confirmed time (${zone})`, { type: "datetime-local" }, "Required to schedule");
    const why = field("reason", "Reason", { maxlength: 200 }, "Required to reject");
    const moves = r.allowedMoves || [];
    const moveBox = moves.length ? el("fieldset", { class: "moves" }, el("legend", {}, "Move the request"),
      moves.includes("scheduled") ? when : null, moves.includes("rejected") || moves.includes("canceled") ? why : null,
      el("div", { class: "actions" }, moves.map((to) => el("button", { type: "button", "data-move": to, class: to === "rejected" || to === "canceled" ? "secondary" : null,
        onclick: () => {
          const body = { status: to };
          const reason = why.querySelector("input").value.trim();
          if (reason) body.reason = reason;
          if (to === "scheduled") {
            const local = when.querySelector("input").value;
            if (!local) {
              showErrors(box, new ApiError(422, { title: "Choose the confirmed time first.", errors: [{ field: "confirmedAt", reason: "is required to schedule" }] }), alert);
              return;
            }
            body.confirmedAt = zonedISO(local, zone);
          }
          patch(body, `The request is ${to}.`);
        } }, moveLabels[to] || to)))) : el("p", { class: "hint" }, `Nothing more can be done from ${r.status} by your role.`);

    const comment = el("form", { novalidate: true, "aria-labelledby": "comment-heading" }, el("h3", { id: "comment-heading" }, "Add a comment"),
      control("textarea", "comment", "Comment", { rows: 3, maxlength: 1000 }),
      operator ? el("p", {}, el("input", { type: "checkbox", id: "f-private", name: "private" }),
        el("label", { for: "f-private", class: "inline" }, "Private: for operators only")) : el("p", { class: "hint" }, "The porting desk is emailed your comment."),
      el("button", { type: "submit" }, "Add comment"));
    comment.addEventListener("submit", (e) => {
      e.preventDefault();
      patch({ comment: comment.querySelector("textarea").value.trim(), private: operator && comment.querySelector('[name="private"]').checked }, "The comment is added.");
    });

    const lc = r.losingCarrier || {};
    // Operators and the account's administrators complete the carrier's details until the
    // request is done; others only read them.
    const open = r.status !== "completed" && r.status !== "canceled" && (operator || admin(who.role));
    const carrier = open ? el("form", { novalidate: true, "aria-labelledby": "carrier-heading" }, el("h3", { id: "carrier-heading" }, "Losing carrier"),
      lc.missing?.length ? el("p", { class: "warning" }, `Scheduling still needs: ${lc.missing.join(", ")}.`) : el("p", { class: "hint" }, "Complete for scheduling."),
      field("losingCarrier.name", "Carrier", { value: lc.name || "", maxlength: 100 }),
      field("losingCarrier.accountNumber", "Account number at the carrier", { value: lc.accountNumber || "", maxlength: 50 }),
      field("losingCarrier.pin", "Port-out PIN", { value: "", maxlength: 20, autocomplete: "off" }, lc.pin ? `Set (${lc.pin}); type to replace it` : "Or the billing number"),
      field("losingCarrier.billingNumber", "Billing number", { value: lc.billingNumber || "", maxlength: 30 }),
      field("losingCarrier.signeeName", "Signed by", { value: lc.signeeName || "", maxlength: 100 }),
      field("losingCarrier.signedOn", "Signed on", { type: "date", value: lc.signedOn || "" }),
      el("button", { type: "submit" }, "Save the details")) : null;
    carrier?.addEventListener("submit", (e) => {
      e.preventDefault();
      const details = {};
      for (const k of ["name", "accountNumber", "pin", "billingNumber", "signeeName", "signedOn"]) {
        const v = carrier.querySelector(`[name="losingCarrier.${k}"]`).value.trim();
        if (v) details[k] = v;
      }
      patch({ losingCarrier: details }, "The losing carrier's details are saved.");
    });

    const docs = (r.documents || []).map((d) => el("li", {}, operator
      ? el("button", { type: "button", class: "linklike", onclick: async () => {
        try {
          const got = await api("GET", `${path}/documents/${d.id}`);
          window.open(got.downloadUrl, "_blank", "noopener");
        } catch (err) {
          showErrors(box, err, alert);
        }
      } }, `Download ${d.fileName}`)
      : d.fileName, el("span", { class: "hint" }, `${d.contentType}, requested ${utc(d.requestedAt)}`)));
    box.replaceChildren(alert,
      el("p", {}, "Status: ", el("span", { class: "status", id: "porting-status", tabindex: "-1" }, r.status)),
      el("dl", { class: "facts" },
        el("dt", {}, "Number"), el("dd", {}, r.number),
        el("dt", {}, "Owner"), el("dd", {}, `${r.ownerType}, ${r.ownerId}`),
        el("dt", {}, "Proposed"), el("dd", {}, utcAndLocal(r.proposedAt, zone)),
        r.confirmedAt ? [el("dt", {}, "Confirmed"), el("dd", {}, utcAndLocal(r.confirmedAt, zone))] : null,
        el("dt", {}, "Temporary number"), el("dd", {}, r.temporaryNumber || "—"),
        el("dt", {}, "Account"), el("dd", {}, acct ? `${acct.name} (${acct.realm}, ${zone})` : `${r.accountName || r.accountId} (${zone})`),
        el("dt", {}, "Losing carrier"), el("dd", {}, [lc.name, lc.accountNumber && `account ${lc.accountNumber}`, lc.pin && `PIN ${lc.pin}`,
          lc.billingNumber && `billing number ${lc.billingNumber}`, lc.signeeName && `signed by ${lc.signeeName}${lc.signedOn ? " on " + lc.signedOn : ""}`].filter(Boolean).join(", ") || "—")),
      moveBox,
      el("h2", {}, "Timeline"),
      el("ol", { class: "history" }, r.timeline.map((s) => el("li", {}, `${utc(s.at)}: `, el("strong", {}, s.commentOnly ? "comment" : s.status),
        byWhom(s, operator), s.reason ? ` (${s.reason})` : "", s.comment ? [": ", s.comment] : "", s.private ? el("span", { class: "badge" }, "private") : ""))),
      comment,
      el("h2", {}, "Documents"), docs.length ? el("ul", {}, docs) : el("p", { class: "hint" }, "No documents."),
      carrier,
      el("p", {}, el("a", { href: operator || who.role === "provider_admin" ? "/porting" : `/accounts/${r.accountId}/users/${r.userId}` }, "Back")));
  };
  try {
    await draw(await api("GET", path));
  } catch (err) {
    box.replaceChildren(el("p", { class: "alert", role: "alert" }, err.status === 404 ? "There is no such porting request." : err.message));
  }
  return { title: "Porting request", node: el("div", {}, status, box) };
}
