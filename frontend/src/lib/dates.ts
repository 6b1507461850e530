const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** A calendar date ("2027-03-01") as the reader writes it, without a time-zone shift; "—" for null. */
export function formatDay(value: string | null | undefined): string {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return "—";
  const [, year, month, day] = match;
  return dayFormat.format(new Date(Number(year), Number(month) - 1, Number(day)));
}

/** Today's date in the reader's time zone, as "YYYY-MM-DD" (what `<input type="date">` uses). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
