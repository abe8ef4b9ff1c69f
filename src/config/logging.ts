import { ValidationError } from "../core/errors.js";

/**
 * REQUEST_LOG_LEVEL: the level of the one line logged per HTTP request — `debug` on the local dev chain, so
 * `npm start`'s terminal keeps its banner readable; `info` elsewhere.
 */
export function requestLogLevelFrom(env: NodeJS.ProcessEnv, devMode: boolean): "debug" | "info" {
  const v = env.REQUEST_LOG_LEVEL ?? (devMode ? "debug" : "info");
  if (v !== "debug" && v !== "info") throw new ValidationError("REQUEST_LOG_LEVEL", "must be debug or info");
  return v;
}
