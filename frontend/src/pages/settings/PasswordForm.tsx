import { useMutation } from "@tanstack/react-query";
import { useState, type SubmitEvent } from "react";
import { changePassword } from "../../api/client";
import { useAuth } from "../../auth/context";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { MIN_PASSWORD_LENGTH } from "../../lib/passwords";

const FIELDS = ["current_password", "new_password", "confirm_password"] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { current_password: "", new_password: "", confirm_password: "" };

function validate(values: Values): Record<string, string> {
  const found: Record<string, string> = {};
  if (!values.current_password) found.current_password = "Enter your current password.";
  if (values.new_password.length < MIN_PASSWORD_LENGTH) {
    found.new_password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  } else if (values.new_password === values.current_password) {
    found.new_password = "Choose a password different from your current one.";
  }
  if (values.confirm_password !== values.new_password) found.confirm_password = "The passwords don’t match.";
  return found;
}

export function PasswordForm({ email }: { email: string }) {
  const auth = useAuth();
  const [values, setValues] = useState<Values>(EMPTY);
  const [done, setDone] = useState(false);
  const [form, formRef] = useFormErrors(FIELDS);

  const mutation = useMutation({
    mutationFn: async ({ current_password, new_password }: Values) => {
      await changePassword({ current_password, new_password });
      // The change ends every session, this one included: sign in again with the new password.
      try {
        await auth.signIn(email, new_password);
      } catch {
        await auth.signOut();
      }
    },
    onSuccess: () => {
      setValues(EMPTY);
      setDone(true);
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
        setDone(false);
      },
    };
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || !form.check(validate(values))) return;
    setDone(false);
    mutation.mutate(values);
  }

  return (
    <>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {done && (
        <Alert tone="success" title="Your password is changed.">
          You’re still signed in here; every other device and browser has been signed out.
        </Alert>
      )}
      <form ref={formRef} className="form" noValidate onSubmit={handleSubmit}>
        {/* Lets password managers tie the new password to the account. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <TextField label="Current password" type="password" autoComplete="current-password" {...field("current_password")} />
        <div className="form-grid">
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            {...field("new_password")}
          />
          <TextField
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
            {...field("confirm_password")}
          />
        </div>
        <div className="form__actions">
          <Button type="submit" loading={mutation.isPending}>
            {mutation.isPending ? "Changing password…" : "Change password"}
          </Button>
        </div>
      </form>
    </>
  );
}
