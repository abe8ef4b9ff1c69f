// The list pages' shared parts (claims.js, queue.js): a list read a page at a time, and its filters form.
import { t, api, el, named, select, errorText } from "./app.js";

/**
 * A list the API answers a page at a time (`?limit=&cursor=`, answered with `nextCursor`): the first page,
 * the items so far, the next cursor and the last error; `more()` appends the next page and calls `redraw`.
 */
export async function paged(path, filters, limit, key, redraw) {
  const query = (cursor) => {
    const p = new URLSearchParams({ ...filters, limit: String(limit) });
    if (cursor) p.set("cursor", cursor);
    return `${path}?${p}`;
  };
  const first = await api("GET", query());
  const list = {
    first,
    items: [...first[key]],
    next: first.nextCursor,
    error: null,
    async more() {
      try {
        const page = await api("GET", query(list.next));
        list.items.push(...page[key]);
        list.next = page.nextCursor;
      } catch (e) {
        list.error = errorText(e);
      }
      redraw();
    },
  };
  return list;
}

/**
 * A list page's filters (class, case state, product, then `extra`): applying them loads `/console/<page>` with
 * the chosen ones in its query string.
 */
export function filtersForm(page, filters, states, ...extra) {
  return el("form", { class: "filters", on: { submit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(e.target).entries()) if (v) p.set(k, String(v));
    location.href = `/console/${page}${p.size ? `?${p}` : ""}`;
  } } },
    select("classification", ["pass", "special-mention", "substandard", "doubtful", "loss"].map((c) => ({ value: c, label: named("console.class", c) })), filters.classification, t("console.filter.classification")),
    select("state", states.map((s) => ({ value: s, label: named("console.state", s) })), filters.state, t("console.filter.state")),
    select("product", ["mortgage", "consumer", "credit-card", "sme", "corporate"].map((p) => ({ value: p, label: named("console.product", p) })), filters.product, t("console.filter.product")),
    ...extra,
    el("button", { type: "submit", class: "primary" }, t("console.filter.apply")));
}
