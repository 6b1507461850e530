import { useState, type SubmitEvent } from "react";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { MIN_PASSWORD_LENGTH } from "../../lib/passwords";
import { useChangePassword, type PasswordOutcome } from "../../queries/account";

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

/** Says what the change did to personal access tokens, as the server reported it. */
function tokensOutcome({ kept, revoked }: PasswordOutcome): string {
  if (kept) return "Your personal access tokens keep working.";
  if (revoked === null) return "Your personal access tokens have been revoked.";
  if (revoked === 0) return "You had no personal access tokens to revoke.";
  return revoked === 1
    ? "Your personal access token has been revoked."
    : `Your ${revoked} personal access tokens have been revoked.`;
}

export function PasswordForm({ email }: { email: string }) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [keepTokens, setKeepTokens] = useState(false);
  const [done, setDone] = useState<PasswordOutcome | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);

  const mutation = useChangePassword(email, {
    onSuccess: (outcome) => {
      setValues(EMPTY);
      setKeepTokens(false);
      setDone(outcome);
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
        setDone(null);
      },
    };
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || !form.check(validate(values))) return;
    setDone(null);
    mutation.mutate({
      current_password: values.current_password,
      new_password: values.new_password,
      keep_personal_tokens: keepTokens,
    });
  }

  return (
    <>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {done && (
        <Alert tone="success" title="Your password is changed.">
          You’re still signed in here; every other device and browser has been signed out. {tokensOutcome(done)}
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
        <label className="choice">
          <input
            type="checkbox"
            name="keep_personal_tokens"
            checked={keepTokens}
            onChange={(event) => {
              setKeepTokens(event.target.checked);
              setDone(null);
            }}
          />
          <span>
            <span className="choice__label">Keep my personal access tokens</span>
            <span className="choice__description">
              Leave this off if a token may have leaked with your password: the change then revokes them all.
            </span>
          </span>
        </label>
        <div className="form__actions">
          <Button type="submit" loading={mutation.isPending}>
            {mutation.isPending ? "Changing password…" : "Change password"}
          </Button>
        </div>
      </form>
    </>
  );
}
