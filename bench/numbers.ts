export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

/** Rounds to a number of significant-looking decimals for tables: 1234.5 → "1,235", 0.456 → "0.46". */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return "—";
  return value.toLocaleString("en-US", { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
}

/** A ratio for tables: "12×", "1.0×", "0.83×"; "—" when the denominator is zero. */
export function formatRatio(numerator: number, denominator: number): string {
  if (denominator === 0) return numerator === 0 ? "=" : "—";
  const ratio = numerator / denominator;
  return `${ratio >= 100 ? formatNumber(ratio) : ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}
