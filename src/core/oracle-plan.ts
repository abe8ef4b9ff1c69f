/** Renamed: the clause rule lives in ./clauses.ts (issue 15). Kept so existing imports still resolve. */
export * from "./clauses.js";
