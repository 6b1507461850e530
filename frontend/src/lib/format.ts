const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "28 Nov 2026" in the reader's locale; "—" for null. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : dateFormat.format(date);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : dateTimeFormat.format(date);
}

/** Up to two initials for an avatar placeholder. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => (part ? Array.from(part)[0] : "")).join("").toUpperCase() || "?";
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** "45 minutes", "3 hours", "2 days". */
export function formatDuration(minutes: number): string {
  if (minutes < 1) return "under a minute";
  if (minutes < 90) return pluralize(Math.round(minutes), "minute");
  const hours = minutes / 60;
  if (hours < 36) return pluralize(Math.round(hours), "hour");
  return pluralize(Math.round(hours / 24), "day");
}
