import { useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { useAuth } from "../../auth/context";
import { useSignIn } from "../../auth/queries";
import { useFormErrors } from "../../lib/formErrors";
import { safeNext } from "../../lib/next";
import { usePageTitle } from "../../lib/usePageTitle";
import { AccountEmailField } from "./AccountEmailField";
import { AuthLayout } from "./AuthLayout";

const FIELDS = ["email", "password"] as const;
/** The OAuth2 password grant calls the email `username`. */
const ALIASES = { username: "email" } as const;

export function SignInPage() {
  usePageTitle("Sign in");
  const auth = useAuth();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get("next"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [form, formRef] = useFormErrors(FIELDS, ALIASES);

  const mutation = useSignIn({
    onError: form.showServerError,
    // On success the route guard sends the user on to `next`.
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    if (!email.trim()) found.email = "Enter your email address.";
    if (!password) found.password = "Enter your password.";
    if (form.check(found)) mutation.mutate({ email: email.trim(), password });
  }

  const registerLink = next ? `/register?next=${encodeURIComponent(next)}` : "/register";

  return (
    <AuthLayout
      title="Sign in to Leaderful"
      intro="Welcome back. Pick up where your communities left off."
      footer={
        <p>
          New to Leaderful? <Link to={registerLink}>Create an account</Link>
        </p>
      }
    >
      {form.errors.message ? (
        <Alert tone="error">{form.errors.message}</Alert>
      ) : (
        auth.endReason === "expired" && <Alert tone="info">Your session has ended. Please sign in again to continue.</Alert>
      )}
      <form ref={formRef} className="form" noValidate onSubmit={handleSubmit}>
        <AccountEmailField
          value={email}
          error={form.errors.fields.email}
          onChange={(value) => {
            setEmail(value);
            form.clearField("email");
          }}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          error={form.errors.fields.password}
          onChange={(event) => {
            setPassword(event.target.value);
            form.clearField("password");
          }}
        />
        <Button type="submit" className="btn--block" loading={mutation.isPending}>
          {mutation.isPending ? "Signing in…" : "Sign in"}
        </Button>
        <p className="form__aside">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
      </form>
    </AuthLayout>
  );
}
