// Sign-in with the organisation's domain, and the password reset that the emailed link
// opens (/reset-password?token=…).

import { api, el, field, showErrors, alertBox, go, session } from "../app.js";

export function signInPage() {
  const params = new URLSearchParams(location.search);
  const alert = alertBox();
  const form = el("form", { novalidate: true },
    params.get("expired") ? el("p", { class: "notice", role: "status" }, "Your session ended. Sign in again to go on where you were.") : null,
    params.get("reset") ? el("p", { class: "notice", role: "status" }, "Your password is changed. Sign in with the new one.") : null,
    alert,
    field("domain", "Organisation domain", { required: true, autocomplete: "organization", autofocus: true }, "Your company's sign-in domain, such as kenton-electronics.com"),
    field("username", "User name", { required: true, autocomplete: "username" }),
    field("password", "Password", { type: "password", required: true, autocomplete: "current-password" }),
    el("button", { type: "submit" }, "Sign in"),
    el("p", {}, el("a", { href: "/forgot-password" }, "Forgot password?")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = (n) => form.querySelector(`[name="${n}"]`).value.trim();
    try {
      const tok = await api("POST", "/v1/auth/login", { domain: v("domain"), username: v("username"), password: form.querySelector('[name="password"]').value });
      session.signIn(tok.token);
      const next = params.get("next");
      go(next && next.startsWith("/") && !next.startsWith("//") ? next : "/");
    } catch (err) {
      showErrors(form, err, alert);
    }
  });
  return { title: "Sign in", node: form };
}

export function forgotPage() {
  const alert = alertBox();
  const done = el("p", { class: "notice", role: "status", hidden: true });
  const form = el("form", { novalidate: true }, alert, done,
    el("p", {}, "We email a link to reset your password to the address we have for you."),
    field("domain", "Organisation domain", { required: true, autofocus: true }),
    field("username", "User name", { required: true, autocomplete: "username" }),
    el("button", { type: "submit" }, "Send the link"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = (n) => form.querySelector(`[name="${n}"]`).value.trim();
    try {
      await api("POST", "/v1/auth/password-reset", { domain: v("domain"), username: v("username") });
      alert.hidden = true;
      done.textContent = "If the user exists and has an email address, a link is on its way. It works for 30 minutes.";
      done.hidden = false;
      done.focus?.();
    } catch (err) {
      showErrors(form, err, alert);
    }
  });
  return { title: "Forgot password", node: form };
}

export function resetPage() {
  const token = new URLSearchParams(location.search).get("token") || "";
  const alert = alertBox();
  const form = el("form", { novalidate: true }, alert,
    token ? null : el("p", { class: "alert", role: "alert" }, "This page needs the link from the email. ", el("a", { href: "/forgot-password" }, "Ask for a new one.")),
    field("password", "New password", { type: "password", required: true, autocomplete: "new-password", autofocus: true },
      "12 or more characters, with three of: lower case, upper case, digits, symbols"),
    field("passwordConfirm", "Confirm new password", { type: "password", required: true, autocomplete: "new-password" }),
    el("button", { type: "submit", disabled: !token }, "Set the password"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const pw = form.querySelector('[name="password"]').value;
    if (pw !== form.querySelector('[name="passwordConfirm"]').value) {
      showErrors(form, { message: "Some fields need attention.", fields: [{ field: "passwordConfirm", reason: "must be the same password" }] }, alert);
      return;
    }
    try {
      await api("POST", "/v1/auth/password-reset/confirm", { token, password: pw });
      go("/sign-in?reset=1");
    } catch (err) {
      showErrors(form, err, alert);
    }
  });
  return { title: "Choose a new password", node: form };
}
