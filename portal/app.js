// The portal's shell: white-label configuration, the session, calls to the /v1 API with
// its RFC 9457 problems mapped to fields, and the router that shows one page at a time.
// Plain ES modules: no build step, nothing loaded from elsewhere (docs/portal.md).

import { registerPage } from "./pages/register.js";
import { statusPage } from "./pages/status.js";
import { signInPage, forgotPage, resetPage } from "./pages/signin.js";
import { homePage } from "./pages/home.js";
import { tenantsPage, tenantPage } from "./pages/tenants.js";
import { accountsPage, newAccountPage, accountPage } from "./pages/accounts.js";
import { contactsPage, summariesPage, auditPage } from "./pages/customer.js";
import { usersPage, newUserPage, userPage } from "./pages/users.js";
import { softphonesPage, softphonePage } from "./pages/softphones.js";
import { deskPage, portingPage } from "./pages/porting.js";
import { accessPage } from "./pages/access.js";

// The signed-in user's token lives in sessionStorage: it dies with the tab, and a token
// expires within 15 minutes anyway.
const tokenKey = "provisio.token";

export const session = {
  token: () => sessionStorage.getItem(tokenKey),
  signIn(token) { sessionStorage.setItem(tokenKey, token); },
  signOut() { sessionStorage.removeItem(tokenKey); signedIn = null; own = null; },
};

let signedIn = null;
let own = null;

// me is the signed-in user (GET /v1/me), read once per sign-in.
export async function me() {
  if (!signedIn) signedIn = await api("GET", "/v1/me");
  return signedIn;
}

// may reports whether the signed-in user's own account holds a permission (the API checks
// the caller's account on each route: a screen never offers what it would refuse).
export async function may(permission) {
  const permissions = (await ownAccount())?.permissions || [];
  return permissions.includes(permission) || (permission === "numbers.view" && permissions.includes("numbers.manage"));
}

// ownAccount is the signed-in user's own account, read once per sign-in; null for those
// who may not read it (basic users, operators).
export async function ownAccount() {
  if (!own) {
    const who = await me();
    own = api("GET", `/v1/accounts/${who.accountId}`).catch(() => null);
  }
  return own;
}

// staff reports whether a role manages customers' registrations.
export const staff = (role) => role === "provider_admin" || role === "reseller_admin";

// admin reports whether a role administers accounts.
export const admin = (role) => staff(role) || role === "tenant_admin";

// roleLabel names a role as the screens do.
export const roleLabel = (role) => ({ operator: "Porting operator", basic_user: "Basic user" })[role] || (admin(role) ? "Administrator" : "User");

// desk reports whether a role works the porting desk.
export const desk = (role) => role === "operator" || role === "provider_admin";

// utc shows a time as the product does everywhere: 24-hour UTC.
export const utc = (at) => new Date(at).toISOString().slice(0, 19).replace("T", " ") + " UTC";

// utcAndLocal is an instant in UTC and, beside it, in the IANA zone tz (an account's), as
// the people on either side of a porting talk about it.
export const utcAndLocal = (at, tz) => !tz || tz === "UTC" ? utc(at)
  : `${utc(at)} (${new Intl.DateTimeFormat("sv-SE", { timeZone: tz, dateStyle: "short", timeStyle: "short" }).format(new Date(at))} ${tz})`;

// ApiError is a problem the API answered: its title, detail and per-field reasons.
export class ApiError extends Error {
  constructor(status, problem) {
    const text = problem.detail || problem.title || `HTTP ${status}`;
    super(text.charAt(0).toUpperCase() + text.slice(1));
    this.status = status;
    this.problem = problem;
    this.fields = problem.errors || [];
  }
}

// api calls the API. An expired or refused token sends the user to sign in, keeping the
// page they were on to come back to.
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && token) {
    session.signOut();
    go(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}&expired=1`);
    throw new ApiError(401, data);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// el builds an element: el("p", {class: "hint"}, "text", child…).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

// control is a labelled form control (an input, a select, a textarea) with room for its
// hint and its error; name is the API's field path, which showErrors finds it by.
export function control(tag, name, label, attrs = {}, hint = "", ...children) {
  const id = "f-" + name.replace(/[^a-zA-Z0-9]/g, "-");
  return el("div", { class: "field" },
    el("label", { for: id }, label, hint ? el("span", { class: "hint", id: `${id}-hint` }, hint) : null),
    el(tag, { id, name, "aria-describedby": `${id}-hint ${id}-error`, ...attrs }, ...children),
    el("p", { class: "field-error", id: `${id}-error`, hidden: true }));
}

// field is a labelled input.
export const field = (name, label, attrs = {}, hint = "") => control("input", name, label, attrs, hint);

// showErrors puts each reason at its field (by the API's field path), and the rest, with
// the problem's title, in the form's alert, which takes the focus.
export function showErrors(form, err, alertBox) {
  for (const p of form.querySelectorAll(".field-error")) { p.hidden = true; p.textContent = ""; }
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  const rest = [];
  const fields = err.fields || [];
  for (const f of fields) {
    const input = form.querySelector(`[name="${CSS.escape(f.field)}"]`);
    const p = input && document.getElementById(`${input.id}-error`);
    if (!p) { rest.push(`${f.field}: ${f.reason}`); continue; }
    input.setAttribute("aria-invalid", "true");
    p.textContent = f.reason;
    p.hidden = false;
  }
  alertBox.replaceChildren(el("p", {}, err.message), rest.length ? el("ul", {}, rest.map((r) => el("li", {}, r))) : "");
  alertBox.hidden = false;
  alertBox.focus();
  const first = form.querySelector('[aria-invalid="true"]');
  if (first && !fields.length) first.focus();
}

// filters is the query of a filter form: each named field that is filled in, and the UTC
// day span of its from and to dates when it has them.
export function filters(form, names) {
  const q = new URLSearchParams();
  for (const n of names) {
    const v = form.querySelector(`[name="${n}"]`).value.trim();
    if (v) q.set(n, v);
  }
  const from = form.querySelector('[name="from"]')?.value, to = form.querySelector('[name="to"]')?.value;
  if (from) q.set("from", `${from}T00:00:00Z`);
  if (to) q.set("to", `${to}T23:59:59Z`);
  return q;
}

// paged shows a list a page at a time: path(q) is the API path for the query q, and
// show(items, append, hasMore) draws a page. The form's submit loads the first page again
// (keeping the form's fields in the address, for a reload or a link); More, shown while the API has a next page, appends
// it. It answers the first load.
export function paged({ form, alert, more, query, path, show }) {
  let cursor = "";
  const load = async (append) => {
    const q = query();
    if (append && cursor) q.set("cursor", cursor);
    try {
      const page = await api("GET", path(q));
      cursor = page.cursor || "";
      more.hidden = !cursor;
      show(page.items, append, Boolean(cursor));
      alert.hidden = true;
    } catch (err) {
      showErrors(form, err, alert);
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const shown = [...new FormData(form)].filter(([, v]) => typeof v === "string" && v.trim() !== "");
    history.replaceState({}, "", `${location.pathname}?${new URLSearchParams(shown)}`);
    load(false);
  });
  more.addEventListener("click", () => load(true));
  return load(false);
}

// table is a captioned table of rows of cells (text or nodes), scrolling sideways inside
// its own box on a narrow screen.
export function table(caption, headers, rows) {
  // The box takes the focus so the keyboard can scroll it too.
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, el("table", {}, el("caption", {}, caption),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c)))))));
}

// confirmDialog asks before an action that cannot be taken back; it answers whether the
// user confirmed. A modal dialog keeps the focus inside until it closes.
export function confirmDialog(title, message, confirmLabel) {
  return new Promise((resolve) => {
    const dialog = el("dialog", { "aria-labelledby": "dialog-title", "aria-describedby": "dialog-message" },
      el("h2", { id: "dialog-title" }, title), el("p", { id: "dialog-message" }, message));
    const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    dialog.append(el("div", { class: "actions" },
      el("button", { type: "button", onclick: () => close(true) }, confirmLabel),
      el("button", { type: "button", class: "secondary", onclick: () => close(false), autofocus: true }, "Cancel")));
    dialog.addEventListener("cancel", (e) => { e.preventDefault(); close(false); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

// todayIn is today's date (YYYY-MM-DD) in the IANA zone tz: the API's dates are in the
// account's zone, whose day may not be the browser's or UTC's.
export const todayIn = (tz) => new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

// zonedISO turns a datetime-local value ("2030-01-07T10:00"), meant in the IANA zone tz,
// into an RFC 3339 instant: the API takes times in the account's zone, whatever the
// browser's own.
export function zonedISO(local, tz) {
  const [date, time] = local.split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The zone's offset at that instant, read back from how the zone shows it.
  const offsetAt = (t) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - t;
  };
  let at = wall - offsetAt(wall);
  at = wall - offsetAt(at); // again, in case the first guess crossed a change of offset
  return new Date(at).toISOString().replace(".000Z", "Z");
}

// alertBox is a form's error summary: announced when it appears.
export const alertBox = () => el("div", { class: "alert", role: "alert", tabindex: "-1", hidden: true });

const routes = [
  [/^\/$/, () => (session.token() ? homePage() : signInPage())],
  [/^\/register$/, () => registerPage()],
  [/^\/registrations\/([^/]+)$/, (m) => statusPage(m[1])],
  [/^\/sign-in$/, () => signInPage()],
  [/^\/forgot-password$/, () => forgotPage()],
  [/^\/reset-password$/, () => resetPage()],
  [/^\/accounts$/, () => accountsPage()],
  [/^\/accounts\/new$/, () => newAccountPage()],
  [/^\/accounts\/([^/]+)$/, (m) => accountPage(m[1])],
  [/^\/accounts\/([^/]+)\/contacts$/, (m) => contactsPage(m[1])],
  [/^\/accounts\/([^/]+)\/summaries$/, (m) => summariesPage(m[1])],
  [/^\/accounts\/([^/]+)\/audit$/, (m) => auditPage(m[1])],
  [/^\/accounts\/([^/]+)\/access$/, (m) => accessPage(m[1])],
  [/^\/accounts\/([^/]+)\/users$/, (m) => usersPage(m[1])],
  [/^\/accounts\/([^/]+)\/users\/new$/, (m) => newUserPage(m[1])],
  [/^\/accounts\/([^/]+)\/users\/([^/]+)$/, (m) => userPage(m[1], m[2])],
  [/^\/accounts\/([^/]+)\/softphones$/, (m) => softphonesPage(m[1])],
  [/^\/accounts\/([^/]+)\/softphones\/([^/]+)$/, (m) => softphonePage(m[1], m[2])],
  [/^\/porting$/, () => deskPage()],
  [/^\/porting\/([^/]+)$/, (m) => portingPage(m[1])],
  [/^\/tenant-creation$/, () => tenantsPage()],
  [/^\/tenant-creation\/([^/]+)$/, (m) => tenantPage(m[1])],
];

// go shows path, as a link would.
export function go(path) {
  history.pushState({}, "", path);
  render();
}

let stopPage = null;
let latestRender = 0;

// render shows the page of the current address, then moves the focus to its heading so a
// screen reader announces the new page. Pages load over the network, so an earlier
// render can finish after a later one (an action's reload overtaken by the next
// action's): only the latest render may show its page, or the screen would go back to
// what it read before the last change.
export async function render() {
  if (stopPage) { stopPage(); stopPage = null; }
  const mine = ++latestRender;
  const main = document.getElementById("main");
  const match = routes.map(([re, page]) => [location.pathname.match(re), page]).find(([m]) => m);
  const page = match ? await match[1](match[0]) : { title: "Not found", node: el("p", {}, "There is no such page. ", el("a", { href: "/" }, "Go to the start.")) };
  if (mine !== latestRender) {
    page.stop?.();
    return;
  }
  document.title = `${page.title} · ${config.name}`;
  main.replaceChildren(el("h1", { tabindex: "-1" }, page.title), page.node);
  stopPage = page.stop || null;
  renderNav();
  (main.querySelector("[autofocus]") || main.querySelector("h1")).focus();
}

async function renderNav() {
  const nav = document.getElementById("nav");
  if (session.token()) {
    const who = await me().catch(() => null);
    // Each role's tools: administrators the accounts below theirs, users their own
    // account to read, operators the porting desk; a basic user only their own page.
    nav.replaceChildren(...[el("a", { href: "/" }, "Home"),
      who && admin(who.role) ? el("a", { href: "/accounts" }, "Accounts") : null,
      who && who.role === "user" ? el("a", { href: `/accounts/${who.accountId}` }, "Our account") : null,
      who && staff(who.role) ? el("a", { href: "/tenant-creation" }, "Tenant Creation") : null,
      who && desk(who.role) ? el("a", { href: "/porting" }, "Porting desk") : null,
      el("button", { type: "button", onclick: () => { session.signOut(); go("/sign-in"); } }, "Sign out")].filter(Boolean));
  } else {
    nav.replaceChildren(el("a", { href: "/register" }, "Register a company"), el("a", { href: "/sign-in" }, "Sign in"));
  }
}

let config = { name: "Provisio" };

// applyConfig shows the provider's name, logo and colours.
function applyConfig(c) {
  config = { ...config, ...c };
  document.getElementById("brand-name").textContent = config.name;
  const logo = document.getElementById("logo");
  if (config.logo) logo.src = config.logo; else logo.remove();
  const root = document.documentElement.style;
  const colors = config.colors || {};
  if (colors.primary) root.setProperty("--primary", colors.primary);
  if (colors.primaryText) root.setProperty("--primary-text", colors.primaryText);
  if (colors.accent) root.setProperty("--accent", colors.accent);
}

// Links inside the portal change the page without a reload.
document.addEventListener("click", (e) => {
  const a = e.target.closest("a");
  if (!a || a.origin !== location.origin || a.target || e.ctrlKey || e.metaKey || a.hasAttribute("download")) return;
  if (a.pathname.startsWith("/v1/")) return;
  e.preventDefault();
  go(a.pathname + a.search);
});
window.addEventListener("popstate", render);

applyConfig(await fetch("/config.json").then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
render();
