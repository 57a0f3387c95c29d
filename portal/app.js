// The portal's shell: white-label configuration, the session, calls to the /v1 API with
// its RFC 9457 problems mapped to fields, and the router that shows one page at a time.
// Plain ES modules: no build step, nothing loaded from elsewhere (docs/portal.md).

import { registerPage } from "./pages/register.js";
import { statusPage } from "./pages/status.js";
import { signInPage, forgotPage, resetPage } from "./pages/signin.js";
import { homePage } from "./pages/home.js";
import { tenantsPage, tenantPage } from "./pages/tenants.js";
import { accountsPage, newAccountPage, accountPage } from "./pages/accounts.js";

// The signed-in user's token lives in sessionStorage: it dies with the tab, and a token
// expires within 15 minutes anyway.
const tokenKey = "provisio.token";

export const session = {
  token: () => sessionStorage.getItem(tokenKey),
  signIn(token) { sessionStorage.setItem(tokenKey, token); },
  signOut() { sessionStorage.removeItem(tokenKey); signedIn = null; },
};

let signedIn = null;

// me is the signed-in user (GET /v1/me), read once per sign-in.
export async function me() {
  if (!signedIn) signedIn = await api("GET", "/v1/me");
  return signedIn;
}

// staff reports whether a role manages customers' registrations.
export const staff = (role) => role === "provider_admin" || role === "reseller_admin";

// admin reports whether a role administers accounts.
export const admin = (role) => staff(role) || role === "tenant_admin";

// utc shows a time as the product does everywhere: 24-hour UTC.
export const utc = (at) => new Date(at).toISOString().slice(0, 19).replace("T", " ") + " UTC";

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

// field is a labelled input with room for its error; name is the API's field path.
export function field(name, label, attrs = {}, hint = "") {
  const id = "f-" + name.replace(/[^a-zA-Z0-9]/g, "-");
  const input = el("input", { id, name, "aria-describedby": `${id}-hint ${id}-error`, ...attrs });
  return el("div", { class: "field" },
    el("label", { for: id }, label, hint ? el("span", { class: "hint", id: `${id}-hint` }, hint) : null),
    input,
    el("p", { class: "field-error", id: `${id}-error`, hidden: true }));
}

// showErrors puts each reason at its field (by the API's field path), and the rest, with
// the problem's title, in the form's alert, which takes the focus.
export function showErrors(form, err, alertBox) {
  for (const p of form.querySelectorAll(".field-error")) { p.hidden = true; p.textContent = ""; }
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  const rest = [];
  const fields = err.fields || [];
  for (const f of fields) {
    const input = form.querySelector(`[name="${CSS.escape(f.field)}"]`);
    if (!input) { rest.push(`${f.field}: ${f.reason}`); continue; }
    input.setAttribute("aria-invalid", "true");
    const p = document.getElementById(`${input.id}-error`);
    p.textContent = f.reason;
    p.hidden = false;
  }
  alertBox.replaceChildren(el("p", {}, err.message), rest.length ? el("ul", {}, rest.map((r) => el("li", {}, r))) : "");
  alertBox.hidden = false;
  alertBox.focus();
  const first = form.querySelector('[aria-invalid="true"]');
  if (first && !fields.length) first.focus();
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
  [/^\/tenant-creation$/, () => tenantsPage()],
  [/^\/tenant-creation\/([^/]+)$/, (m) => tenantPage(m[1])],
];

// go shows path, as a link would.
export function go(path) {
  history.pushState({}, "", path);
  render();
}

let stopPage = null;

// render shows the page of the current address, then moves the focus to its heading so a
// screen reader announces the new page.
export async function render() {
  if (stopPage) { stopPage(); stopPage = null; }
  const main = document.getElementById("main");
  const match = routes.map(([re, page]) => [location.pathname.match(re), page]).find(([m]) => m);
  const page = match ? await match[1](match[0]) : { title: "Not found", node: el("p", {}, "There is no such page. ", el("a", { href: "/" }, "Go to the start.")) };
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
    nav.replaceChildren(...[el("a", { href: "/" }, "Home"),
      who && admin(who.role) ? el("a", { href: "/accounts" }, "Accounts") : null,
      who && staff(who.role) ? el("a", { href: "/tenant-creation" }, "Tenant Creation") : null,
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
