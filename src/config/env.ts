import { ValidationError } from "../core/errors.js";

/** An integer variable in [min, max], or `fallback` when unset. @throws ValidationError naming the variable */
export function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ValidationError(name, `must be an integer between ${min} and ${max}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ValidationError(name, `must be an integer between ${min} and ${max}`);
  return value;
}
