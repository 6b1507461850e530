import type { SubmitEvent } from "react";
import type { Mentorship, MentorshipCreate, SkillRef, UserSummary } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { SelectField, TextAreaField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { useFormValues } from "../../lib/formValues";
import { useRequestMentorship } from "../../queries/mentorship";

const FIELDS = ["mentor", "skill", "goal", "message"] as const;
const GOAL_MAX = 500;
const MESSAGE_MAX = 2000;

interface RequestFormProps {
  mentor: UserSummary;
  /** The skills the request can be about (theirs, or the recommended one). */
  skills: SkillRef[];
  defaultSkill?: string;
  /** What the request asks for, prefilled (e.g. from the caller's learning goal). */
  defaultGoal?: string;
  onSent: (mentorship: Mentorship) => void;
  onCancel: () => void;
}

/** POST /mentorships: ask someone to mentor you in one skill, saying what you want to learn. */
export function RequestForm({ mentor, skills, defaultSkill, defaultGoal, onSent, onCancel }: RequestFormProps) {
  const [form, formRef] = useFormErrors(FIELDS);
  const [values, set] = useFormValues(
    {
      skill: defaultSkill ?? (skills.length === 1 ? (skills[0]?.slug ?? "") : ""),
      goal: defaultGoal ?? "",
      message: "",
    },
    form.clearField,
  );
  const firstName = mentor.display_name.split(/\s+/)[0] ?? mentor.display_name;

  const mutation = useRequestMentorship({
    onSuccess: (mentorship) => {
      onSent(mentorship);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    const goal = values.goal.trim();
    if (!values.skill) found.skill = "Choose the skill you’d like help with.";
    if (!goal) found.goal = "Say what you want to learn: it’s what the mentor decides on.";
    else if (goal.length > GOAL_MAX) found.goal = `Keep the goal to ${GOAL_MAX} characters.`;
    if (values.message.length > MESSAGE_MAX) found.message = `Keep the message to ${MESSAGE_MAX} characters.`;
    if (!form.check(found)) return;
    const body: MentorshipCreate = { mentor: mentor.handle, skill: values.skill, goal };
    const message = values.message.trim();
    if (message) body.message = message;
    mutation.mutate(body);
  }

  return (
    <form
      ref={formRef}
      className="form form--boxed"
      noValidate
      aria-label={`Ask ${mentor.display_name} to mentor you`}
      onSubmit={handleSubmit}
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <p className="muted-note">
        To: {mentor.display_name} (@{mentor.handle})
      </p>
      <SelectField
        label="Skill"
        name="skill"
        value={values.skill}
        error={form.errors.fields.skill}
        onChange={(event) => {
          set("skill", event.target.value);
        }}
      >
        <option value="">Choose a skill</option>
        {skills.map((skill) => (
          <option key={skill.slug} value={skill.slug}>
            {skill.name}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="What do you want to learn?"
        rows={2}
        maxLength={GOAL_MAX}
        name="goal"
        value={values.goal}
        error={form.errors.fields.goal}
        hint="One or two sentences, e.g. “Run my first design critique with confidence.”"
        onChange={(event) => {
          set("goal", event.target.value);
        }}
      />
      <TextAreaField
        label={`Message to ${firstName}`}
        optional
        rows={3}
        maxLength={MESSAGE_MAX}
        name="message"
        value={values.message}
        error={form.errors.fields.message}
        hint="Where you are now, and how often you’d like to meet."
        onChange={(event) => {
          set("message", event.target.value);
        }}
      />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Sending…" : "Send request"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
