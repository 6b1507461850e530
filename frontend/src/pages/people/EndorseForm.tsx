import { useState, type SubmitEvent } from "react";
import type { Endorsement, SkillRef, UserSummary } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextAreaField, TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { useEndorse } from "../../queries/people";
import { postIdFrom } from "./evidence";

const FIELDS = ["note", "evidence_post_id"] as const;
const NOTE_MAX = 2000;

interface EndorseFormProps {
  person: UserSummary;
  skill: SkillRef;
  /** The caller's endorsement, when changing it. */
  existing?: Endorsement | null;
  onSaved: (endorsement: Endorsement) => void;
  onCancel: () => void;
}

/**
 * PUT /users/{handle}/skills/{slug}/endorsement: a note, and optionally a post of theirs as
 * evidence. The API has no way to list one person's posts, so the evidence is a pasted link or id.
 */
export function EndorseForm({ person, skill, existing, onSaved, onCancel }: EndorseFormProps) {
  const [note, setNote] = useState(existing?.note ?? "");
  const [evidence, setEvidence] = useState(existing?.evidence_post_id ?? "");
  const [form, formRef] = useFormErrors(FIELDS);
  const firstName = person.display_name.split(/\s+/)[0] ?? person.display_name;

  const mutation = useEndorse(person.handle, skill.slug, {
    onSuccess: (endorsement) => {
      onSaved(endorsement);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    const postId = evidence.trim() ? postIdFrom(evidence) : null;
    if (evidence.trim() && !postId) {
      found.evidence_post_id = "Paste the post’s address (it ends in a long id), or leave this empty.";
    }
    if (note.length > NOTE_MAX) found.note = `Keep the note to ${NOTE_MAX} characters.`;
    if (!form.check(found)) return;
    // Sent in full: a PUT replaces the note and the evidence of an earlier endorsement.
    mutation.mutate({ note: note.trim() || null, evidence_post_id: postId, propose: false });
  }

  return (
    <form
      ref={formRef}
      className="form form--boxed"
      noValidate
      aria-label={`Endorse ${person.display_name} for ${skill.name}`}
      onSubmit={handleSubmit}
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <TextAreaField
        label="Note"
        optional
        rows={3}
        maxLength={NOTE_MAX}
        name="note"
        value={note}
        error={form.errors.fields.note}
        hint={`What have you seen ${firstName} do with ${skill.name}? A sentence helps others know what to ask them.`}
        onChange={(event) => {
          setNote(event.target.value);
          form.clearField("note");
        }}
      />
      <TextField
        label="Evidence: link to a post"
        optional
        name="evidence_post_id"
        value={evidence}
        error={form.errors.fields.evidence_post_id}
        spellCheck={false}
        autoComplete="off"
        inputMode="url"
        hint={`Paste the address of a post by ${firstName}, or of a question they answered, tagged with ${skill.name}. Endorsements that point to work count for more.`}
        onChange={(event) => {
          setEvidence(event.target.value);
          form.clearField("evidence_post_id");
        }}
      />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Saving…" : existing ? "Save endorsement" : "Endorse"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
