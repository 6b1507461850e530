import { useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { MIN_PASSWORD_LENGTH } from "../../lib/passwords";
import { usePageTitle } from "../../lib/usePageTitle";
import { useConfirmPasswordReset } from "../../queries/account";
import { AuthLayout } from "./AuthLayout";

const FIELDS = ["new_password", "confirm_password"] as const;
/** The server checks the new password under the registration's rules, as `password`. */
const ALIASES = { password: "new_password" } as const;

/** Where the mailed reset link lands: choose a new password; every session ends. */
export function ResetPasswordPage() {
  usePageTitle("Choose a new password");
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [form, formRef] = useFormErrors(FIELDS, ALIASES);
  const mutation = useConfirmPasswordReset({ onError: form.showServerError });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    if (password.length < MIN_PASSWORD_LENGTH) found.new_password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    if (confirm !== password) found.confirm_password = "The passwords don’t match.";
    if (form.check(found)) mutation.mutate({ token, newPassword: password });
  }

  const footer = (
    <p>
      <Link to="/forgot-password">Ask for a new link</Link> · <Link to="/signin">Sign in</Link>
    </p>
  );

  if (!token) {
    return (
      <AuthLayout title="Choose a new password" footer={footer}>
        <Alert tone="error" title="This link is incomplete.">
          It has no token. Open the link from the e-mail again, or ask for a new one.
        </Alert>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Choose a new password"
      intro="Setting a new password signs you out on every device."
      footer={footer}
    >
      {mutation.isSuccess ? (
        <Alert tone="success" title="Your password is changed.">
          Every session has ended. <Link to="/signin">Sign in with your new password</Link>.
        </Alert>
      ) : (
        <>
          {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
          <form ref={formRef} className="form" noValidate onSubmit={handleSubmit}>
            <TextField
              label="New password"
              type="password"
              name="new_password"
              autoComplete="new-password"
              hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
              required
              value={password}
              error={form.errors.fields.new_password}
              onChange={(event) => {
                setPassword(event.target.value);
                form.clearField("new_password");
              }}
            />
            <TextField
              label="Confirm new password"
              type="password"
              name="confirm_password"
              autoComplete="new-password"
              required
              value={confirm}
              error={form.errors.fields.confirm_password}
              onChange={(event) => {
                setConfirm(event.target.value);
                form.clearField("confirm_password");
              }}
            />
            <Button type="submit" className="btn--block" loading={mutation.isPending}>
              {mutation.isPending ? "Saving…" : "Set new password"}
            </Button>
          </form>
        </>
      )}
    </AuthLayout>
  );
}
