/** Short, plain-language labels for durations, shares and ratings ("2.5 h", "83%", "4.5 / 5"); safe in the browser. */

const NO_VALUE = "—";

/** One decimal below 10 ("2.5"), whole numbers from 10 up ("14"); a trailing ".0" is dropped ("2"). */
function oneDecimalBelowTen(value: number): string {
  const tenths = Math.round(value * 10) / 10;
  return tenths < 10 ? String(tenths) : String(Math.round(value));
}

/** "under 1 min", "45 min", "2.5 h", "14 h", "3.2 days", "12 days"; "—" when there is no value. */
export function formatHours(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return NO_VALUE;
  // A negative duration can only come from clock skew between servers; show it as "no time at all".
  const safeHours = Math.max(0, hours);
  if (safeHours * 60 < 1) return "under 1 min";
  const minutes = Math.round(safeHours * 60);
  // Compare rounded values so 59.7 minutes reads "1 h", not "60 min", and 47.8 hours reads "2 days".
  if (minutes < 60) return `${minutes} min`;
  if (Math.round(safeHours) < 48) return `${oneDecimalBelowTen(safeHours)} h`;
  return `${oneDecimalBelowTen(safeHours / 24)} days`;
}

/** A share from 0 to 1 as a rounded percentage: 0.834 → "83%". */
export function formatPercent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return NO_VALUE;
  return `${Math.round(share * 100)}%`;
}

/** A rating out of five with at most one decimal: 4.46 → "4.5 / 5", 4 → "4 / 5". */
export function formatRating(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  return `${Math.round(value * 10) / 10} / 5`;
}
