import { useMemo, useState, type SubmitEvent } from "react";
import type { Me, MeUpdate } from "../../api/types";
import { useUpdateProfile } from "../../queries/account";
import { Alert } from "../../components/Alert";
import { Avatar } from "../../components/Avatar";
import { Button } from "../../components/Button";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { formatDate } from "../../lib/format";

const FIELDS = ["display_name", "title", "bio", "location", "timezone", "avatar_url"] as const;
type Values = Record<(typeof FIELDS)[number], string>;

function valuesOf(user: Me): Values {
  return {
    display_name: user.display_name,
    title: user.title ?? "",
    bio: user.bio ?? "",
    location: user.location ?? "",
    timezone: user.timezone ?? "",
    avatar_url: user.avatar_url ?? "",
  };
}

/** Only what changed; an emptied optional field is sent as null (cleared). */
function changesBetween(before: Values, after: Values): MeUpdate {
  const changes: MeUpdate = {};
  for (const field of FIELDS) {
    const value = after[field].trim();
    if (value === before[field].trim()) continue;
    if (field === "display_name") changes.display_name = value;
    else changes[field] = value || null;
  }
  return changes;
}

function validate(values: Values): Record<string, string> {
  const found: Record<string, string> = {};
  if (!values.display_name.trim()) found.display_name = "Enter the name people will see.";
  const avatar = values.avatar_url.trim();
  if (avatar && !/^https?:\/\/\S+$/i.test(avatar)) found.avatar_url = "Enter a web address starting with https://";
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
  const [saved, setSaved] = useState<Values>(() => valuesOf(user));
  const [values, setValues] = useState<Values>(saved);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);
  const zones = useMemo(() => timeZones(values.timezone), [values.timezone]);
  const localZone = browserTimeZone();

  const mutation = useUpdateProfile({
    onSuccess: (updated) => {
      const next = valuesOf(updated);
      setSaved(next);
      setValues(next);
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
    if (mutation.isPending || !form.check(validate(values))) return;
    const changes = changesBetween(saved, values);
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
            <SelectField
              label="Time zone"
              optional
              hint="Questions reach people who are in working hours."
              {...field("timezone")}
            >
              <option value="">Not set</option>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll("_", " ")}
                </option>
              ))}
            </SelectField>
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
