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
  return choleskySolve(a, b, d);
}

/** Solves A θ = b for symmetric positive definite A (lower triangle used), in place. */
function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]!;
    for (let k = 0; k < j; k++) s -= a[j * d + k]! ** 2;
    if (!(s > 0)) throw new Error("ridge: matrix not positive definite");
    const l = Math.sqrt(s);
    a[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k++) t -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = t / l;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * d + k]! * y[k]!;
    y[i] = s / a[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= a[k * d + i]! * x[k]!;
    x[i] = s / a[i * d + i]!;
  }
  return x;
}
