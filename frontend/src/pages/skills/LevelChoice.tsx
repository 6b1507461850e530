import { useId, type ReactNode } from "react";
import { cx } from "../../lib/cx";
import { LEVELS } from "../../lib/skillLevels";

interface LevelChoiceProps {
  legend: ReactNode;
  /** The radio group's name; unique per form on the page. */
  name: string;
  value: number | null;
  onChange: (level: number) => void;
  hint?: ReactNode;
  error?: string;
  /** Levels that can't be picked (e.g. a goal below your current level). */
  disabled?: (level: number) => boolean;
}

/**
 * The five Dreyfus levels as radio buttons, each with one line saying what it means, so people
 * rate themselves against the same yardstick. Arrow keys move between levels (native radios).
 */
export function LevelChoice({ legend, name, value, onChange, hint, error, disabled }: LevelChoiceProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={cx("fieldset", error && "field--invalid")} aria-describedby={describedBy}>
      <legend className="field__label">{legend}</legend>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="choice-list level-choice">
        {LEVELS.map((level) => {
          const isDisabled = disabled?.(level.value) ?? false;
          return (
            <label key={level.value} className={cx("choice", isDisabled && "choice--disabled")}>
              <input
                type="radio"
                name={name}
                value={level.value}
                checked={value === level.value}
                disabled={isDisabled}
                aria-invalid={error ? true : undefined}
                onChange={() => {
                  onChange(level.value);
                }}
              />
              <span>
                <span className="choice__label">
                  {level.value} · {level.name}
                </span>
                <span className="choice__description">{level.description}</span>
              </span>
            </label>
          );
        })}
      </div>
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
