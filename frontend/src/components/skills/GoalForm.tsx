import { useId, useState, type ReactNode, type SubmitEvent } from "react";
import type { GoalStatus, LearningGoal, LearningGoalCreate, LearningGoalUpdate, SkillRef } from "../../api/types";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { SelectField, TextAreaField, TextField } from "../Field";
import { useFormErrors } from "../../lib/formErrors";
import { useFormValues } from "../../lib/formValues";
import { GOAL_STATUS_LABELS, LEVELS, levelLabel } from "../../lib/skillLevels";
import { useCreateGoal, useUpdateGoal } from "../../queries/skills";
import { SkillPicker } from "../SkillPicker";

const NOTE_MAX = 2000;
const CREATE_FIELDS = ["skill", "target_level", "due_on", "note"] as const;
const EDIT_FIELDS = ["target_level", "status", "due_on", "note"] as const;

function TargetLevelField({
  value,
  error,
  onChange,
}: {
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const described = LEVELS.find((level) => String(level.value) === value);
  return (
    <SelectField
      label="Target level"
      name="target_level"
      value={value}
      error={error}
      hint={described ? described.description : "The level you want to reach."}
      onChange={(event) => {
        onChange(event.target.value);
      }}
    >
      <option value="">Choose a level</option>
      {LEVELS.map((level) => (
        <option key={level.value} value={level.value}>
          {levelLabel(level.value)}
        </option>
      ))}
    </SelectField>
  );
}

type GoalValues = Record<"target_level" | "due_on" | "note", string>;

/**
 * The fields every goal form shares: the target level, the due date and the note (the edit
 * form puts the status between the level and the date).
 */
function GoalFields({
  values,
  errors,
  onChange,
  hints = false,
  status,
}: {
  values: GoalValues;
  errors: Partial<Record<string, string>>;
  onChange: (field: keyof GoalValues, value: string) => void;
  /** The explanations a new goal needs; an edit leaves them out. */
  hints?: boolean;
  status?: ReactNode;
}) {
  return (
    <>
      <div className="form-grid">
        <TargetLevelField
          value={values.target_level}
          error={errors.target_level}
          onChange={(value) => {
            onChange("target_level", value);
          }}
        />
        {status}
        <TextField
          label="Due date"
          optional
          type="date"
          name="due_on"
          value={values.due_on}
          error={errors.due_on}
          hint={hints ? "When you’d like to get there." : undefined}
          onChange={(event) => {
            onChange("due_on", event.target.value);
          }}
        />
      </div>
      <TextAreaField
        label="Note"
        optional
        rows={2}
        maxLength={NOTE_MAX}
        name="note"
        value={values.note}
        error={errors.note}
        hint={
          hints
            ? "Why it matters to you, or how you plan to learn: mentors see your goals when you ask them."
            : undefined
        }
        onChange={(event) => {
          onChange("note", event.target.value);
        }}
      />
    </>
  );
}

interface NewGoalFormProps {
  /** A fixed skill (the skill page); without it the form offers a skill picker. */
  skill?: SkillRef;
  /** Shown in the picker next to skills that have a goal already. */
  note?: (slug: string) => string | null;
  /** Preselected target level (the mentorship page offers "competent"). */
  defaultTargetLevel?: number;
  onSaved: (goal: LearningGoal) => void;
  onCancel?: () => void;
}

/** POST /me/learning-goals. One goal per skill: the server's 409 says to change the first. */
export function NewGoalForm({ skill: fixedSkill, note, defaultTargetLevel, onSaved, onCancel }: NewGoalFormProps) {
  const id = useId();
  const [skill, setSkill] = useState<SkillRef | null>(fixedSkill ?? null);
  const [form, formRef] = useFormErrors(CREATE_FIELDS);
  const [values, set] = useFormValues(
    { target_level: defaultTargetLevel ? String(defaultTargetLevel) : "", due_on: "", note: "" },
    form.clearField,
  );

  const mutation = useCreateGoal({
    onSuccess: (goal) => {
      onSaved(goal);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    if (!skill) found.skill = "Choose the skill you want to learn.";
    if (!values.target_level) found.target_level = "Choose the level you want to reach.";
    if (values.note.length > NOTE_MAX) found.note = `Keep the note to ${NOTE_MAX} characters.`;
    if (!form.check(found) || !skill) return;
    const body: LearningGoalCreate = { skill: skill.slug, target_level: Number(values.target_level) };
    if (values.due_on) body.due_on = values.due_on;
    if (values.note.trim()) body.note = values.note.trim();
    mutation.mutate(body);
  }

  return (
    <form
      ref={formRef}
      className="form form--boxed"
      noValidate
      aria-label={fixedSkill ? `Set a learning goal for ${fixedSkill.name}` : "New learning goal"}
      onSubmit={handleSubmit}
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {!fixedSkill && (
        <SkillPicker
          label="Skill to learn"
          name={`${id}-skill`}
          value={skill}
          note={note}
          error={form.errors.fields.skill}
          onChange={(chosen) => {
            setSkill(chosen);
            form.clearField("skill");
          }}
        />
      )}
      <GoalFields values={values} errors={form.errors.fields} hints onChange={set} />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Saving…" : "Set goal"}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

/** PATCH /me/learning-goals/{id} with only what changed; an emptied note or date is cleared. */
export function EditGoalForm({
  goal,
  onSaved,
  onCancel,
}: {
  goal: LearningGoal;
  onSaved: (goal: LearningGoal) => void;
  onCancel: () => void;
}) {
  const [notice, setNotice] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(EDIT_FIELDS);
  const [values, set] = useFormValues<Record<"target_level" | "status" | "due_on" | "note", string>>(
    { target_level: String(goal.target_level), status: goal.status, due_on: goal.due_on ?? "", note: goal.note ?? "" },
    form.clearField,
    () => {
      setNotice(null);
    },
  );

  const mutation = useUpdateGoal(goal.id, {
    onSuccess: (saved) => {
      onSaved(saved);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    if (!values.target_level) found.target_level = "Choose the level you want to reach.";
    if (values.note.length > NOTE_MAX) found.note = `Keep the note to ${NOTE_MAX} characters.`;
    if (!form.check(found)) return;
    const changes: LearningGoalUpdate = {};
    const target = Number(values.target_level);
    if (target !== goal.target_level) changes.target_level = target;
    if (values.status !== goal.status) changes.status = values.status as GoalStatus;
    if (values.due_on !== (goal.due_on ?? "")) changes.due_on = values.due_on || null;
    const noteText = values.note.trim();
    if (noteText !== (goal.note ?? "")) changes.note = noteText || null;
    if (Object.keys(changes).length === 0) {
      setNotice("Nothing has changed.");
      return;
    }
    mutation.mutate(changes);
  }

  return (
    <form
      ref={formRef}
      className="form form--boxed"
      noValidate
      aria-label={`Change your goal for ${goal.skill.name}`}
      onSubmit={handleSubmit}
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {notice && <Alert tone="info">{notice}</Alert>}
      <GoalFields
        values={values}
        errors={form.errors.fields}
        onChange={set}
        status={
          <SelectField
            label="Status"
            name="status"
            value={values.status}
            error={form.errors.fields.status}
            hint="Mark it achieved when you get there, or dropped if it no longer matters."
            onChange={(event) => {
              set("status", event.target.value);
            }}
          >
            {(Object.keys(GOAL_STATUS_LABELS) as GoalStatus[]).map((status) => (
              <option key={status} value={status}>
                {GOAL_STATUS_LABELS[status]}
              </option>
            ))}
          </SelectField>
        }
      />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Saving…" : "Save goal"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
