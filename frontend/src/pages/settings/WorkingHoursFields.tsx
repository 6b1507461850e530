import { useId } from "react";
import type { WorkingHours } from "../../api/types";

const DAYS = [
  { iso: 1, short: "Mon", name: "Monday" },
  { iso: 2, short: "Tue", name: "Tuesday" },
  { iso: 3, short: "Wed", name: "Wednesday" },
  { iso: 4, short: "Thu", name: "Thursday" },
  { iso: 5, short: "Fri", name: "Friday" },
  { iso: 6, short: "Sat", name: "Saturday" },
  { iso: 7, short: "Sun", name: "Sunday" },
] as const;

/** Working days (checkboxes) and the daily window (time inputs), in the person's own time zone. */
export function WorkingHoursFields({
  hours,
  error,
  onChange,
}: {
  hours: WorkingHours;
  error?: string | null;
  onChange: (next: WorkingHours) => void;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const overnight = hours.start && hours.end && hours.end < hours.start;

  function toggle(day: number, on: boolean) {
    const days = on ? [...hours.days, day] : hours.days.filter((d) => d !== day);
    onChange({ ...hours, days: [...new Set(days)].sort((a, b) => a - b) });
  }

  return (
    <fieldset
      className="fieldset working-hours"
      aria-describedby={error ? `${errorId} ${hintId}` : hintId}
      aria-invalid={error ? true : undefined}
    >
      <legend className="field__label">Working hours</legend>
      <p className="field__hint" id={hintId}>
        In your time zone. Questions that wait for an answer are put to you only then, at most three a day.
      </p>
      <div className="working-hours__days" role="group" aria-label="Working days">
        {DAYS.map((day) => (
          <label key={day.iso} className="working-hours__day">
            <input
              type="checkbox"
              checked={hours.days.includes(day.iso)}
              onChange={(event) => {
                toggle(day.iso, event.target.checked);
              }}
            />
            <span aria-hidden="true">{day.short}</span>
            <span className="visually-hidden">{day.name}</span>
          </label>
        ))}
      </div>
      <div className="working-hours__times">
        <label className="working-hours__time">
          <span className="field__label">Starts</span>
          <input
            className="input"
            type="time"
            value={hours.start}
            required
            onChange={(event) => {
              onChange({ ...hours, start: event.target.value });
            }}
          />
        </label>
        <label className="working-hours__time">
          <span className="field__label">Ends</span>
          <input
            className="input"
            type="time"
            value={hours.end}
            required
            onChange={(event) => {
              onChange({ ...hours, end: event.target.value });
            }}
          />
        </label>
      </div>
      {overnight && <p className="field__hint">Your working day crosses midnight: it ends the next morning.</p>}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
