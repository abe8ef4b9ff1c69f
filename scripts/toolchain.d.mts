// Types of scripts/toolchain.mjs (plain JavaScript: it runs before any install).
export const ROOT: string;
export const MIN_NODE_MAJOR: number;
export function ensureNode(): { node: string; version: string; provisioned: boolean };
export function staleReason(root?: string): { reason: string | null; lockHash: string; stamped?: boolean };
export function toolEnv(node: string, env?: Record<string, string | undefined>): Record<string, string>;
export function ensureInstall(node: string, version: string): boolean;
export function ensureToolchain(options?: { quiet?: boolean }): { node: string; version: string };
export function runUnder(node: string, command: string, args: string[], env?: Record<string, string>): Promise<number>;
export function apiNodeFlags(env?: Record<string, string | undefined>, execArgv?: string[]): string[];
export const API_THREADPOOL_SIZE: number;
export function apiEnv<E extends Record<string, string | undefined>>(env?: E): E & { UV_THREADPOOL_SIZE: string };
