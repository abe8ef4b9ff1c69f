/** Authority limits by role: who may offer what on their own, and who may approve the rest (see ../mediation.ts). */
import { ValidationError } from "../errors.js";
import { DEFAULT_AUTHORITY, type AuthorityCheck, type AuthorityLimit } from "./types.js";

// Authority

export function limitOf(authority: Readonly<Record<string, AuthorityLimit>>, role: string): AuthorityLimit {
  const l = authority[role];
  if (!l) throw new ValidationError("proposerRole", `one-of:${Object.keys(authority).join("|")}`);
  return l;
}

/** The largest limits of any role: nobody may offer beyond them. */
export function maxAuthority(authority: Readonly<Record<string, AuthorityLimit>> = DEFAULT_AUTHORITY): { maxDiscountBps: number; maxInstallments: number } {
  const all = Object.values(authority);
  return { maxDiscountBps: Math.max(...all.map((a) => a.maxDiscountBps)), maxInstallments: Math.max(...all.map((a) => a.maxInstallments)) };
}

/**
 * Whether `role` may make an offer with this discount and installment count on its own authority, and
 * if not, who may approve it.
 */
export function checkAuthority(
  role: string, discountBps: number, installments: number, authority: Readonly<Record<string, AuthorityLimit>> = DEFAULT_AUTHORITY,
): AuthorityCheck {
  const l = limitOf(authority, role);
  const exceeds: AuthorityCheck["exceeds"] = [];
  if (discountBps > l.maxDiscountBps) exceeds.push("discount");
  if (installments > l.maxInstallments) exceeds.push("installments");
  const approverRoles = exceeds.length === 0
    ? []
    : Object.entries(authority)
      .filter(([, a]) => a.mayApprove && a.maxDiscountBps >= discountBps && a.maxInstallments >= installments)
      .sort(([, a], [, b]) => a.maxDiscountBps - b.maxDiscountBps || a.maxInstallments - b.maxInstallments)
      .map(([r]) => r);
  return {
    proposerRole: role,
    withinAuthority: exceeds.length === 0,
    limit: { maxDiscountBps: l.maxDiscountBps, maxInstallments: l.maxInstallments },
    exceeds,
    approverRoles,
  };
}

/**
 * Whether `role` may approve an offer with these terms (its own limits cover them and it may approve).
 */
export function mayApprove(role: string, discountBps: number, installments: number, authority: Readonly<Record<string, AuthorityLimit>> = DEFAULT_AUTHORITY): boolean {
  const l = authority[role];
  return !!l && l.mayApprove && l.maxDiscountBps >= discountBps && l.maxInstallments >= installments;
}
