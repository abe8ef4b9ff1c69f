// Sign-in: an API key is checked against GET /v1/me, then kept in this tab's session storage only.
import { ctx, t, el, fill, landing, remember } from "./app.js";

export function mount(view) {
  const next = new URLSearchParams(location.search).get("next");
  const status = el("p", { id: "signin-status", role: "status" });
  const input = el("input", { type: "password", id: "api-key", name: "apiKey", autocomplete: "off", required: true, spellcheck: "false" });
  const draw = () => {
    fill(view, el("section", { class: "card signin" },
      el("h1", {}, t("console.signin.title")),
      el("p", {}, t("console.signin.intro")),
      el("form", { id: "signin", on: { submit: (e) => { e.preventDefault(); void submit(); } } },
        el("label", { class: "field", for: "api-key" }, el("span", {}, t("console.signin.key"))), input,
        el("button", { type: "submit", class: "primary" }, t("console.signin.submit"))),
      status,
      el("p", { class: "hint" }, t("console.signin.storage")),
      el("p", { class: "hint" }, el("a", { href: "/verify" }, t("console.signin.court")))));
  };
  async function submit() {
    const key = input.value.trim();
    if (!key) return;
    status.textContent = t("console.signin.checking");
    status.className = "";
    const res = await fetch("/v1/me", { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) {
      status.textContent = t(res.status === 401 ? "console.signin.unknownKey" : "console.signin.failed", { status: res.status });
      status.className = "error";
      return;
    }
    remember(key, await res.json());
    location.href = next && next.startsWith("/console") ? next : landing();
  }
  ctx.redraw = draw;
  draw();
}
