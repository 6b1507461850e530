import type { ReactNode, Ref, SubmitEvent } from "react";
import { Link } from "react-router";
import type { JoinPolicy, Visibility } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextAreaField, TextField } from "../../components/Field";
import { cx } from "../../lib/cx";
import type { FormErrors } from "../../lib/formErrors";
import {
  DESCRIPTION_MAX,
  NAME_MAX,
  PURPOSE_MAX,
  PURPOSE_MIN,
  TERM_MAX_DAYS,
  NUDGE_MAX_MINUTES,
  TERM_MIN_DAYS,
  type FieldName,
  type Values,
} from "./communityForm";

const VISIBILITY_CHOICES: { value: Visibility; label: string; description: string }[] = [
  {
    value: "public",
    label: "Public",
    description: "Anyone at your organisation can find it, read along and see who leads it.",
  },
  {
    value: "private",
    label: "Private",
    description: "Only members and people they invite know it exists.",
  },
];

const JOIN_CHOICES: { value: JoinPolicy; label: string; description: string }[] = [
  { value: "open", label: "Anyone can join", description: "People join with one click." },
  { value: "approval", label: "Join on approval", description: "A moderator or steward approves each request." },
  { value: "invite", label: "Invitation only", description: "Stewards invite people; only invitees can join." },
];

interface CommunityFormProps {
  mode: "create" | "edit";
  values: Values;
  onFieldChange: (field: FieldName, value: string) => void;
  errors: FormErrors;
  formRef: Ref<HTMLFormElement>;
  onSubmit: (event: SubmitEvent<HTMLFormElement>) => void;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
  cancelTo: string;
  /** Shown above the fields (e.g. a conflict notice). */
  before?: ReactNode;
}

export function CommunityForm({
  mode,
  values,
  onFieldChange,
  errors,
  formRef,
  onSubmit,
  pending,
  submitLabel,
  pendingLabel,
  cancelTo,
  before,
}: CommunityFormProps) {
  const idPrefix = `community-${mode}`;
  const purposeLength = values.purpose.trim().length;

  function field(name: Exclude<FieldName, "visibility" | "join_policy">) {
    return {
      id: `${idPrefix}-${name}`,
      name,
      value: values[name],
      error: errors.fields[name],
      onChange: (event: { target: { value: string } }) => {
        onFieldChange(name, event.target.value);
      },
    };
  }

  return (
    <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-label={submitLabel}>
      {errors.message && <Alert tone="error">{errors.message}</Alert>}
      {before}

      <TextField label="Name" maxLength={NAME_MAX} autoComplete="off" {...field("name")} />

      {mode === "create" && (
        <TextField
          label="Web address"
          optional
          hint={
            <>
              The last part of the community’s address, <code>/communities/…</code>: lowercase letters, digits and
              hyphens. Leave it blank to make one from the name.
            </>
          }
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          maxLength={60}
          {...field("slug")}
        />
      )}

      <TextAreaField
        label="Purpose"
        rows={3}
        hint={
          <>
            A clear reason to meet is what keeps a community of practice alive. Say what members learn and do together,
            in {PURPOSE_MIN}–{PURPOSE_MAX} characters — it’s the first thing people see.{" "}
            <span className="field__counter">
              {purposeLength} of {PURPOSE_MAX} characters used.
            </span>
          </>
        }
        placeholder="e.g. We help each other write clearer incident reviews, and share templates that work."
        {...field("purpose")}
      />

      <TextAreaField
        label="Description"
        optional
        rows={6}
        maxLength={DESCRIPTION_MAX}
        hint="More about the community: who it’s for, how you meet, where to start. Markdown works: **bold**, _italic_, lists and [links](https://example.com)."
        {...field("description")}
      />

      <ChoiceGroup
        id={`${idPrefix}-visibility`}
        legend="Visibility"
        name="visibility"
        choices={VISIBILITY_CHOICES}
        value={values.visibility}
        error={errors.fields.visibility}
        onChange={(value) => {
          onFieldChange("visibility", value);
        }}
      />

      <ChoiceGroup
        id={`${idPrefix}-join_policy`}
        legend="Who can join"
        name="join_policy"
        choices={JOIN_CHOICES}
        value={values.join_policy}
        error={errors.fields.join_policy}
        disabled={(value) => values.visibility === "private" && value !== "invite"}
        hint={
          values.visibility === "private"
            ? "A private community is hidden from everyone who isn’t a member or invited, so nobody could find it to join or ask: invitation is the only way in."
            : undefined
        }
        onChange={(value) => {
          onFieldChange("join_policy", value);
        }}
      />

      <TextField
        label="Tags"
        optional
        hint="The skills this community is about, separated by commas, e.g. “python, data visualisation”. Up to 10."
        autoComplete="off"
        {...field("tags")}
      />

      <TextField
        label="Steward term (days)"
        optional
        type="number"
        inputMode="numeric"
        min={TERM_MIN_DAYS}
        max={TERM_MAX_DAYS}
        step={1}
        className="field--short"
        hint={`Leadership here rotates: with a term, each steward serves this many days (${TERM_MIN_DAYS}–${TERM_MAX_DAYS}) and then hands over, so more people get to lead. Members nominate the next stewards, and the last steward always stays until someone takes over. Leave blank for no fixed terms.`}
        {...field("steward_term_days")}
      />

      {mode === "edit" && (
        <TextField
          label="Ask experts after (minutes)"
          type="number"
          inputMode="numeric"
          min={0}
          max={NUDGE_MAX_MINUTES}
          step={1}
          className="field--short"
          hint="When a question has no answer for this long, up to three people skilled in its tags who are at work in their own time zone are asked to help; an hour later, the next ones. 0 turns this off."
          {...field("nudge_after_minutes")}
        />
      )}

      <div className="form__actions">
        <Button type="submit" loading={pending}>
          {pending ? pendingLabel : submitLabel}
        </Button>
        <Link className="btn btn--secondary" to={cancelTo}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

interface ChoiceGroupProps<T extends string> {
  id: string;
  legend: string;
  name: string;
  choices: { value: T; label: string; description: string }[];
  value: T;
  error?: string;
  hint?: string;
  disabled?: (value: T) => boolean;
  onChange: (value: T) => void;
}

/** Radio buttons in a fieldset, wired like the other fields (hint, error, aria-invalid). */
function ChoiceGroup<T extends string>({ id, legend, name, choices, value, error, hint, disabled, onChange }: ChoiceGroupProps<T>) {
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
      <div className="choice-list">
        {choices.map((choice) => {
          const isDisabled = disabled?.(choice.value) ?? false;
          return (
            <label key={choice.value} className={cx("choice", isDisabled && "choice--disabled")}>
              <input
                type="radio"
                name={name}
                value={choice.value}
                checked={value === choice.value}
                disabled={isDisabled}
                aria-invalid={error ? true : undefined}
                onChange={() => {
                  onChange(choice.value);
                }}
              />
              <span>
                <span className="choice__label">{choice.label}</span>
                <span className="choice__description">{choice.description}</span>
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
