// What a language switch must not lose: the values of a form in progress (app.js switchLang redraws every text
// and puts them back).

/**
 * What the fields of the page hold, keyed by their form (id, or the claim a row's form is for) and name, in
 * order: a language switch redraws every text and puts the values back, so a form in progress is kept.
 */
function fieldsOf(root) {
  const seen = new Map();
  return [...root.querySelectorAll("input, select, textarea")].filter((f) => f.name && f.type !== "hidden" && f.type !== "file").map((f) => {
    const owner = f.form?.id || f.closest("[data-form-for]")?.getAttribute("data-form-for") || f.form?.getAttribute("data-claim") || "";
    const base = `${owner}|${f.name}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}|${n}`, field: f };
  });
}

export function snapshotFields(root) {
  return new Map(fieldsOf(root).map(({ key, field }) => [key, field.type === "checkbox" || field.type === "radio" ? field.checked : field.value]));
}

export function restoreFields(root, saved) {
  const changed = [];
  for (const { key, field } of fieldsOf(root)) {
    if (!saved.has(key)) continue;
    const value = saved.get(key);
    if (field.type === "checkbox" || field.type === "radio") field.checked = value;
    else if (field.value !== value) {
      field.value = value;
      changed.push(field);
    }
  }
  // The pages keep some fields in their own state through input handlers: tell them, after every value is back.
  for (const f of changed) f.dispatchEvent(new Event("input", { bubbles: true }));
}
