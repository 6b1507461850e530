import { useMemo, useState, type SubmitEvent } from "react";
import type { Me, MeUpdate, WorkingHours } from "../../api/types";
import { useUpdateProfile } from "../../queries/account";
import { Alert } from "../../components/Alert";
import { Avatar } from "../../components/Avatar";
import { Button } from "../../components/Button";
import { TextAreaField, TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { formatDate } from "../../lib/format";
import { WorkingHoursFields } from "./WorkingHoursFields";

const FIELDS = ["display_name", "title", "bio", "location", "timezone", "avatar_url"] as const;
const ERROR_FIELDS = [...FIELDS, "working_hours"] as const;
type Values = Record<(typeof FIELDS)[number], string>;

/** The form's values; a person without a time zone starts from the browser's (saved with the form). */
function valuesOf(user: Me, suggestedZone: string | null): Values {
  return {
    display_name: user.display_name,
    title: user.title ?? "",
    bio: user.bio ?? "",
    location: user.location ?? "",
    timezone: user.timezone ?? suggestedZone ?? "",
    avatar_url: user.avatar_url ?? "",
  };
}

function savedOf(user: Me): Values {
  return valuesOf(user, null);
}

function sameHours(a: WorkingHours, b: WorkingHours): boolean {
  return a.start === b.start && a.end === b.end && a.days.join() === b.days.join();
}

/** Only what changed; an emptied optional field is sent as null (cleared). */
function changesBetween(before: Values, after: Values, hoursBefore: WorkingHours, hours: WorkingHours): MeUpdate {
  const changes: MeUpdate = {};
  for (const field of FIELDS) {
    const value = after[field].trim();
    if (value === before[field].trim()) continue;
    if (field === "display_name") changes.display_name = value;
    else changes[field] = value || null;
  }
  if (!sameHours(hoursBefore, hours)) changes.working_hours = hours;
  return changes;
}

function validate(values: Values, hours: WorkingHours, zones: readonly string[]): Record<string, string> {
  const found: Record<string, string> = {};
  if (!values.display_name.trim()) found.display_name = "Enter the name people will see.";
  const avatar = values.avatar_url.trim();
  if (avatar && !/^https?:\/\/\S+$/i.test(avatar)) found.avatar_url = "Enter a web address starting with https://";
  const zone = values.timezone.trim();
  if (zone && zones.length > 0 && !zones.includes(zone)) {
    found.timezone = "Choose a time zone from the list, such as Europe/Paris.";
  }
  if (hours.days.length === 0) found.working_hours = "Choose at least one working day.";
  else if (!hours.start || !hours.end) found.working_hours = "Enter when your working day starts and ends.";
  else if (hours.start === hours.end) found.working_hours = "Your working day needs a start and an end that differ.";
  return found;
}

function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  const all = new Set(["UTC", ...zones]);
  if (current) all.add(current);
  return [...all].sort((a, b) => a.localeCompare(b));
}

export function ProfileForm({ user }: { user: Me }) {
  const localZone = browserTimeZone();
  const [saved, setSaved] = useState<Values>(() => savedOf(user));
  const [values, setValues] = useState<Values>(() => valuesOf(user, localZone));
  const [savedHours, setSavedHours] = useState<WorkingHours>(user.working_hours);
  const [hours, setHours] = useState<WorkingHours>(user.working_hours);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(ERROR_FIELDS);
  const zones = useMemo(() => timeZones(""), []);
  const suggested = !user.timezone && localZone !== null && values.timezone === localZone;

  const mutation = useUpdateProfile({
    onSuccess: (updated) => {
      const next = savedOf(updated);
      setSaved(next);
      setValues(next);
      setSavedHours(updated.working_hours);
      setHours(updated.working_hours);
      setNotice("Your profile is saved.");
    },
    onError: form.showServerError,
  });

  function field(name: keyof Values) {
    return {
      name,
      value: values[name],
      error: form.errors.fields[name],
      onChange: (event: { target: { value: string } }) => {
        setValues((current) => ({ ...current, [name]: event.target.value }));
        form.clearField(name);
        setNotice(null);
      },
    };
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || !form.check(validate(values, hours, zones))) return;
    const changes = changesBetween(saved, values, savedHours, hours);
    if (Object.keys(changes).length === 0) {
      setNotice("Nothing has changed since your last save.");
      return;
    }
    setNotice(null);
    mutation.mutate(changes);
  }

  return (
    <>
      <div className="profile-summary">
        <Avatar name={values.display_name || user.display_name} url={values.avatar_url || null} size="lg" />
        <dl className="profile-summary__facts">
          <div>
            <dt>Handle</dt>
            <dd>@{user.handle}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>{formatDate(user.created_at)}</dd>
          </div>
          {user.role === "admin" && (
            <div>
              <dt>Role</dt>
              <dd>Administrator</dd>
            </div>
          )}
        </dl>
      </div>

      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}

      <form ref={formRef} className="form" noValidate onSubmit={handleSubmit}>
        <div className="form-grid">
          <TextField label="Name" autoComplete="name" required {...field("display_name")} />
          <TextField
            label="Title"
            optional
            hint="Your role, in your own words."
            autoComplete="organization-title"
            {...field("title")}
          />
        </div>
        <TextAreaField
          label="Bio"
          optional
          rows={4}
          hint="What you work on, and what colleagues can ask you about."
          {...field("bio")}
        />
        <div className="form-grid">
          <TextField label="Location" optional autoComplete="address-level2" {...field("location")} />
          <div className="field-with-action">
            <TextField
              label="Time zone"
              optional
              list="time-zone-names"
              autoComplete="off"
              spellCheck={false}
              placeholder="Type to search, e.g. Europe/Paris"
              hint={
                suggested
                  ? "Taken from your browser; saved with your profile. Questions reach you only in your working hours."
                  : "Questions on your skills reach you only in your working hours there. Without one, you are never nudged."
              }
              {...field("timezone")}
            />
            <datalist id="time-zone-names">
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            {localZone && localZone !== values.timezone && (
              <Button
                variant="ghost"
                size="sm"
                onClick={() => {
                  setValues((current) => ({ ...current, timezone: localZone }));
                  setNotice(null);
                }}
              >
                Use {localZone.replaceAll("_", " ")}
              </Button>
            )}
          </div>
        </div>
        <WorkingHoursFields
          hours={hours}
          error={form.errors.fields.working_hours}
          onChange={(next) => {
            setHours(next);
            form.clearField("working_hours");
            setNotice(null);
          }}
        />
        <TextField
          label="Photo URL"
          optional
          type="url"
          inputMode="url"
          hint="A link to a square image, starting with https://"
          spellCheck={false}
          {...field("avatar_url")}
        />
        <div className="form__actions">
          <Button type="submit" loading={mutation.isPending}>
            {mutation.isPending ? "Saving…" : "Save profile"}
          </Button>
        </div>
      </form>
    </>
  );
}
