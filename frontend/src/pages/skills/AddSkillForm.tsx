import { useState, type SubmitEvent } from "react";
import { Link, useNavigate } from "react-router";
import type { SkillCategory, SkillCreate } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { existingSkillFrom, type ExistingSkill } from "./existingSkill";
import { CATEGORIES, CATEGORY_LABELS, isCategory } from "../../lib/skillLevels";
import { useCreateSkill } from "../../queries/skills";

const FIELDS = ["name", "category", "description", "aliases"] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { name: "", category: "", description: "", aliases: "" };

const NAME_MAX = 80;
const DESCRIPTION_MAX = 2000;
const ALIASES_MAX = 20;

function splitAliases(text: string): string[] {
  return text
    .split(",")
    .map((alias) => alias.trim())
    .filter(Boolean);
}

function validate(values: Values): Record<string, string> {
  const found: Record<string, string> = {};
  const name = values.name.trim();
  if (!name) found.name = "Enter the skill’s name.";
  else if (name.length > NAME_MAX) found.name = `Keep the name to ${NAME_MAX} characters.`;
  const aliases = splitAliases(values.aliases);
  if (aliases.length > ALIASES_MAX) found.aliases = `Up to ${ALIASES_MAX} other names.`;
  else if (aliases.some((alias) => alias.length > NAME_MAX)) found.aliases = `Keep each name to ${NAME_MAX} characters.`;
  if (values.description.length > DESCRIPTION_MAX) found.description = `Keep it to ${DESCRIPTION_MAX} characters.`;
  return found;
}

function toCreate(values: Values): SkillCreate {
  const body: SkillCreate = { name: values.name.trim() };
  if (isCategory(values.category)) body.category = values.category;
  const description = values.description.trim();
  if (description) body.description = description;
  const aliases = splitAliases(values.aliases);
  if (aliases.length > 0) body.aliases = aliases;
  return body;
}

/** Adds a skill to the shared list. A name that exists already (in any spelling) links to that skill. */
export function AddSkillForm({ onCancel }: { onCancel: () => void }) {
  const navigate = useNavigate();
  const [values, setValues] = useState<Values>(EMPTY);
  const [existing, setExisting] = useState<ExistingSkill | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);

  const mutation = useCreateSkill({
    onSuccess: async (skill) => {
      await navigate(`/skills/${skill.slug}`, {
        state: { notice: `“${skill.name}” is added. Add it to your profile, or set a goal to learn it.` },
      });
    },
    onError: (error) => {
      const found = existingSkillFrom(error);
      if (found) {
        setExisting(found);
        form.reset();
        return;
      }
      form.showServerError(error);
    },
  });

  function field(name: (typeof FIELDS)[number]) {
    return {
      name,
      value: values[name],
      error: form.errors.fields[name],
      onChange: (event: { target: { value: string } }) => {
        setValues((current) => ({ ...current, [name]: event.target.value }));
        form.clearField(name);
        if (name === "name" || name === "aliases") setExisting(null);
      },
    };
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || !form.check(validate(values))) return;
    setExisting(null);
    mutation.mutate(toCreate(values));
  }

  return (
    <form ref={formRef} className="form" noValidate aria-label="Add a skill" onSubmit={handleSubmit}>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {existing && (
        <Alert tone="warning" title="That skill is already on Leaderful">
          <p>{existing.detail}</p>
          {existing.slug && (
            <p>
              <Link to={`/skills/${existing.slug}`}>Go to {existing.name ?? existing.slug}</Link> to add it to your
              profile or set a learning goal.
            </p>
          )}
        </Alert>
      )}
      <div className="form-grid">
        <TextField label="Name" maxLength={NAME_MAX} autoComplete="off" {...field("name")} />
        <SelectField label="Category" optional {...field("category")}>
          <option value="">No category</option>
          {CATEGORIES.map((category: SkillCategory) => (
            <option key={category} value={category}>
              {CATEGORY_LABELS[category]}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Other names"
        optional
        hint="Abbreviations and spellings people search for, separated by commas, e.g. “JS, ECMAScript”."
        autoComplete="off"
        {...field("aliases")}
      />
      <TextAreaField
        label="Description"
        optional
        rows={3}
        maxLength={DESCRIPTION_MAX}
        hint="One or two sentences on what the skill covers."
        {...field("description")}
      />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Adding…" : "Add skill"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
