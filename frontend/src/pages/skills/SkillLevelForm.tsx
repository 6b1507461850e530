import { useId, useState, type SubmitEvent } from "react";
import type { SkillRef, UserSkill } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { useFormErrors } from "../../lib/formErrors";
import { LevelChoice } from "./LevelChoice";
import { useSetMySkill } from "../../queries/skills";

const FIELDS = ["level", "wants_to_teach"] as const;

interface SkillLevelFormProps {
  skill: SkillRef;
  /** The skill as it is on the profile now; absent when adding it. */
  current?: UserSkill | null;
  onSaved: (saved: UserSkill) => void;
  onCancel?: () => void;
}

/** Adds a skill to the caller's profile, or changes its level and "happy to teach" (PUT /me/skills/{slug}). */
export function SkillLevelForm({ skill, current, onSaved, onCancel }: SkillLevelFormProps) {
  const { data: me } = useMe();
  const id = useId();
  const [level, setLevel] = useState<number | null>(current?.level ?? null);
  const [teach, setTeach] = useState(current?.wants_to_teach ?? false);
  const [form, formRef] = useFormErrors(FIELDS);

  const mutation = useSetMySkill(skill.slug, me?.handle, {
    onSuccess: (saved) => {
      onSaved(saved);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    if (!form.check(level === null ? { level: `Choose how well you know ${skill.name}.` } : {}) || level === null) return;
    mutation.mutate({ level, wants_to_teach: teach });
  }

  return (
    <form
      ref={formRef}
      className="form form--boxed"
      noValidate
      aria-label={current ? `Change your level in ${skill.name}` : `Add ${skill.name} to your profile`}
      onSubmit={handleSubmit}
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <LevelChoice
        legend={`Your level in ${skill.name}`}
        name={`${id}-level`}
        value={level}
        hint="Be honest: colleagues’ endorsements and your answers add weight to it."
        error={form.errors.fields.level}
        onChange={(value) => {
          setLevel(value);
          form.clearField("level");
        }}
      />
      <label className="switch" htmlFor={`${id}-teach`}>
        <input
          id={`${id}-teach`}
          type="checkbox"
          role="switch"
          className="switch__input"
          checked={teach}
          onChange={(event) => {
            setTeach(event.target.checked);
          }}
        />
        <span className="switch__track" aria-hidden="true" />
        <span className="switch__label">Happy to teach it</span>
      </label>
      {form.errors.fields.wants_to_teach && <p className="field__error">{form.errors.fields.wants_to_teach}</p>}
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Saving…" : current ? "Save level" : "Add to my profile"}
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
