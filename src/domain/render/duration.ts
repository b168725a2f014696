const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 d 3 h", "1 h 5 min", "42 s": the two largest units are enough for a person reading a notification. */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return "unknown";
  if (milliseconds < MINUTE) return `${Math.round(milliseconds / SECOND)} s`;
  const units: Array<[number, string]> = [
    [DAY, "d"],
    [HOUR, "h"],
    [MINUTE, "min"],
  ];
  const parts: string[] = [];
  let rest = milliseconds;
  for (const [size, label] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${label}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith("0 ")).join(" ");
}

/** Whole minutes as a person reads them: "0 min", "45 min", "6 h", "1 d 2 h". */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return "unknown";
  return minutes < 1 ? "0 min" : formatDuration(Math.round(minutes) * MINUTE);
}

/** Milliseconds between two ISO 8601 times, or null when either is missing or unreadable. */
export function millisecondsBetween(startIso: string | null, endIso: string | null): number | null {
  if (startIso === null || endIso === null) return null;
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return end - start;
}

/** "2024-08-28 22:47:53 UTC": unambiguous for readers in any time zone, and stable for golden files. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return "—";
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "")} UTC`;
}
