import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState, type SubmitEvent } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/errors";
import type { Me, MentorProfile, MentorProfilePut } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { ErrorState, LoadingState } from "../../components/States";
import { useFormErrors } from "../../lib/formErrors";
import { useFormValues } from "../../lib/formValues";
import { browserTimeZone, timeZones } from "./labels";
import { pluralize } from "../../lib/format";
import { myMentorProfileQueryOptions, useSaveMentorProfile } from "../../queries/mentorship";

const FIELDS = ["accepting_mentees", "capacity", "about", "timezone"] as const;
const CAPACITY_MIN = 1;
const CAPACITY_MAX = 20;
const ABOUT_MAX = 2000;

/** GET/PUT /me/mentor-profile. A 404 means "not offering yet": the form starts from defaults. */
export function MentorProfilePanel({ me }: { me: Me }) {
  const profile = useQuery(myMentorProfileQueryOptions());
  const missing = profile.error instanceof ApiError && profile.error.status === 404;

  if (profile.isPending) return <LoadingState label="Loading your mentor profile…" />;
  if (profile.isError && !missing) {
    return <ErrorState error={profile.error} title="Your mentor profile didn’t load" onRetry={() => void profile.refetch()} />;
  }
  const current = profile.data ?? null;
  return (
    <div className="stack">
      {current ? (
        <p className="muted-note">
          {current.accepting_mentees ? (
            <span className="badge badge--success">Taking mentees</span>
          ) : (
            <span className="badge badge--neutral">Not taking mentees</span>
          )}
          {pluralize(current.active_mentees, "mentee")} now · {pluralize(current.open_slots, "place")} open
        </p>
      ) : (
        <Alert tone="info" title="You’re not offering to mentor yet">
          Say how many people you can mentor at once and a little about how you help. You’ll be suggested to colleagues
          who are learning the skills on <Link to="/me/skills">your profile</Link>.
        </Alert>
      )}
      {/* No key on `current`: the first save must not remount the form (and lose its notice). */}
      <MentorProfileForm me={me} current={current} />
    </div>
  );
}

function MentorProfileForm({ me, current }: { me: Me; current: MentorProfile | null }) {
  const id = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);
  const [values, set] = useFormValues(
    {
      accepting_mentees: current?.accepting_mentees ?? true,
      capacity: String(current?.capacity ?? 2),
      about: current?.about ?? "",
      timezone: current?.timezone ?? me.timezone ?? browserTimeZone() ?? "UTC",
    },
    form.clearField,
    () => {
      setNotice(null);
    },
  );
  const zones = useMemo(() => timeZones(values.timezone), [values.timezone]);

  const mutation = useSaveMentorProfile(me.handle, {
    onSuccess: (saved) => {
      setNotice(saved.accepting_mentees ? "Saved. Colleagues can now ask you to mentor them." : "Saved. You’re not taking new mentees.");
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    const capacity = Number(values.capacity);
    if (!Number.isInteger(capacity) || capacity < CAPACITY_MIN || capacity > CAPACITY_MAX) {
      found.capacity = `Enter a whole number from ${CAPACITY_MIN} to ${CAPACITY_MAX}.`;
    }
    if (!values.timezone) found.timezone = "Choose your time zone.";
    if (values.about.length > ABOUT_MAX) found.about = `Keep it to ${ABOUT_MAX} characters.`;
    if (!form.check(found)) return;
    const body: MentorProfilePut = {
      accepting_mentees: values.accepting_mentees,
      capacity,
      timezone: values.timezone,
      about: values.about.trim() || null,
    };
    mutation.mutate(body);
  }

  return (
    <form ref={formRef} className="form" noValidate aria-label="Mentor profile" onSubmit={handleSubmit}>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      <label className="switch" htmlFor={`${id}-accepting`}>
        <input
          id={`${id}-accepting`}
          type="checkbox"
          role="switch"
          className="switch__input"
          checked={values.accepting_mentees}
          onChange={(event) => {
            set("accepting_mentees", event.target.checked);
          }}
        />
        <span className="switch__track" aria-hidden="true" />
        <span className="switch__label">Taking new mentees</span>
      </label>
      <div className="form-grid">
        <TextField
          label="How many mentees at once"
          type="number"
          inputMode="numeric"
          min={CAPACITY_MIN}
          max={CAPACITY_MAX}
          className="field--short"
          name="capacity"
          value={values.capacity}
          error={form.errors.fields.capacity}
          hint={`From ${CAPACITY_MIN} to ${CAPACITY_MAX}. Requests stop when you’re full.`}
          onChange={(event) => {
            set("capacity", event.target.value);
          }}
        />
        <SelectField
          label="Time zone"
          name="timezone"
          value={values.timezone}
          error={form.errors.fields.timezone}
          hint="Mentees in nearby time zones are suggested first."
          onChange={(event) => {
            set("timezone", event.target.value);
          }}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </SelectField>
      </div>
      <TextAreaField
        label="About your mentoring"
        optional
        rows={4}
        maxLength={ABOUT_MAX}
        name="about"
        value={values.about}
        error={form.errors.fields.about}
        hint="What you can help with, and how you like to work: e.g. “Fortnightly 30-minute calls; I review your work in between.”"
        onChange={(event) => {
          set("about", event.target.value);
        }}
      />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Saving…" : current ? "Save mentor profile" : "Offer to mentor"}
        </Button>
      </div>
    </form>
  );
}
