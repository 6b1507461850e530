import { useState, type SubmitEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { useFormErrors } from "../../lib/formErrors";
import { usePageTitle } from "../../lib/usePageTitle";
import { useRequestPasswordReset } from "../../queries/account";
import { AccountEmailField } from "./AccountEmailField";
import { AuthLayout } from "./AuthLayout";

const FIELDS = ["email"] as const;

/** Asks for a password reset link. The answer never says whether the address has an account. */
export function ForgotPasswordPage() {
  usePageTitle("Forgot password");
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);
  const mutation = useRequestPasswordReset({
    onSuccess: (_data, address) => {
      setSentTo(address);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const address = email.trim();
    const found: Record<string, string> = {};
    if (!address) found.email = "Enter the e-mail address of your account.";
    else if (!/^[^\s@]+@[^\s@]+$/.test(address)) found.email = "Enter an e-mail address like name@example.com.";
    if (form.check(found)) mutation.mutate(address);
  }

  return (
    <AuthLayout
      title="Forgot your password?"
      intro="Enter the e-mail address of your account and we’ll send you a link to choose a new password."
      footer={
        <p>
          Remembered it? <Link to="/signin">Sign in</Link>
        </p>
      }
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {sentTo ? (
        <Alert tone="success" title="Check your inbox.">
          If an account uses {sentTo}, a link to reset its password is on its way. It works once, for one hour. No
          e-mail? Check your spam folder, or try again in a few minutes.
        </Alert>
      ) : (
        <form ref={formRef} className="form" noValidate onSubmit={handleSubmit}>
          <AccountEmailField
            value={email}
            error={form.errors.fields.email}
            onChange={(value) => {
              setEmail(value);
              form.clearField("email");
            }}
          />
          <Button type="submit" className="btn--block" loading={mutation.isPending}>
            {mutation.isPending ? "Sending…" : "Send me a reset link"}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
