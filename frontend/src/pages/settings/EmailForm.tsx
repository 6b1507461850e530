import { useState, type SubmitEvent } from "react";
import type { Me } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { useChangeEmail } from "../../queries/account";

const FIELDS = ["email", "current_password"] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { email: "", current_password: "" };

const STATUS = {
  verified: { label: "Verified", badge: "badge--success" },
  unverified: { label: "Not verified", badge: "badge--warning" },
  undeliverable: { label: "Undeliverable", badge: "badge--danger" },
} as const;

/** The address, whether mail reaches it, and changing it (with the current password). */
export function EmailForm({ user }: { user: Me }) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [changedTo, setChangedTo] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);
  const mutation = useChangeEmail({
    onSuccess: (updated) => {
      setValues(EMPTY);
      setChangedTo(updated.email);
    },
    onError: form.showServerError,
  });
  const status = STATUS[user.email_status];

  function field(name: keyof Values) {
    return {
      name,
      value: values[name],
      error: form.errors.fields[name],
      onChange: (event: { target: { value: string } }) => {
        setValues((current) => ({ ...current, [name]: event.target.value }));
        form.clearField(name);
        setChangedTo(null);
      },
    };
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    const email = values.email.trim();
    if (!email) found.email = "Enter your new e-mail address.";
    else if (!/^[^\s@]+@[^\s@]+$/.test(email)) found.email = "Enter an e-mail address like name@example.com.";
    else if (email.toLowerCase() === user.email) found.email = "This is already your address.";
    if (!values.current_password) found.current_password = "Enter your current password.";
    if (form.check(found)) mutation.mutate({ email, current_password: values.current_password });
  }

  return (
    <>
      <p className="email-status">
        <span>
          Your address: <strong>{user.email}</strong>
        </span>
        <span className={`badge ${status.badge}`}>{status.label}</span>
      </p>
      {user.email_status === "undeliverable" && (
        <Alert tone="error" title="Mail to this address bounces.">
          The mail server refused it for good
          {user.email_undeliverable_reason ? ` (“${user.email_undeliverable_reason}”)` : ""}, so Leaderful sends you no
          e-mail. Change it below.
        </Alert>
      )}
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {changedTo && (
        <Alert tone="success" title="Your address is changed.">
          We sent a link to {changedTo}: open it to confirm the address. Your previous address got a notice.
        </Alert>
      )}
      <form ref={formRef} className="form" noValidate onSubmit={handleSubmit} aria-label="Change e-mail address">
        <div className="form-grid">
          <TextField
            label="New e-mail address"
            type="email"
            autoComplete="email"
            inputMode="email"
            spellCheck={false}
            {...field("email")}
          />
          <TextField label="Current password" type="password" autoComplete="current-password" {...field("current_password")} />
        </div>
        <div className="form__actions">
          <Button type="submit" loading={mutation.isPending}>
            {mutation.isPending ? "Changing address…" : "Change address"}
          </Button>
        </div>
      </form>
    </>
  );
}
