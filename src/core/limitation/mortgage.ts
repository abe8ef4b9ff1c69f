import type { NormalClaim, Period } from "./types.js";

/**
 * 抵押权 must be exercised within the main claim's 诉讼时效 (民法典第419条); once the main claim has a
 * judgment, within the period to apply for its enforcement (担保制度解释（法释〔2020〕28号）第44条第1款).
 * The mortgage period therefore ends exactly when the period it follows ends.
 */
export function mortgagePeriod(claim: NormalClaim, follows: Period | undefined): Period | undefined {
  if (!claim.collateral || !follows) return undefined;
  const judged = follows.kind === "enforcement";
  return {
    kind: "mortgage",
    expiresAt: follows.expiresAt,
    ...(follows.extendedTo !== undefined ? { extendedTo: follows.extendedTo } : {}),
    status: follows.status,
    basis: [{
      event: follows.kind,
      effect: "follows",
      key: judged ? "mortgage-follows-enforcement" : "mortgage-follows-litigation",
      vars: { date: follows.extendedTo ?? follows.expiresAt },
    }],
    rule: "《民法典》第四百一十九条；《最高人民法院关于适用〈中华人民共和国民法典〉有关担保制度的解释》第四十四条第一款",
  };
}
