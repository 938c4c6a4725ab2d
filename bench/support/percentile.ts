/** The p-quantile (0–1) of `values` by the nearest-rank method, rounded to `digits` decimals; NaN when empty. */
export function percentile(values: number[], p: number, digits = 2): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(digits));
}
