import { solveSpd } from "../cholesky.js";

/**
 * Weighted ridge regression toward a prior, solved exactly (normal equations, Cholesky):
 *
 *   θ = argmin Σ_k r_k (y_k − θ·z_k)² + Σ_j λ_j (θ_j − μ_j)²
 *
 * with z_k = [1, x_k] (the intercept first). With no rows it returns the prior; the more rows, the more
 * the data decide. Pure and deterministic.
 */
export interface RidgeRow {
  x: Float64Array;
  y: number;
  /** Weight r_k ≥ 0. */
  weight: number;
}

/**
 * @param rows observations (x of length `prior.length − 1`)
 * @param prior μ, intercept first
 * @param lambda λ, intercept first; every λ_j > 0 keeps the system solvable
 */
export function ridge(rows: readonly RidgeRow[], prior: Float64Array, lambda: Float64Array): Float64Array {
  const d = prior.length;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    a[j * d + j] = lambda[j]!;
    b[j] = lambda[j]! * prior[j]!;
  }
  const z = new Float64Array(d);
  for (const row of rows) {
    if (!(row.weight > 0)) continue;
    z[0] = 1;
    z.set(row.x, 1);
    for (let i = 0; i < d; i++) {
      const zi = z[i]! * row.weight;
      if (zi === 0) continue;
      b[i]! += zi * row.y;
      for (let j = 0; j <= i; j++) a[i * d + j]! += zi * z[j]!;
    }
  }
  return solveSpd(a, b, d, "ridge regression");
}
