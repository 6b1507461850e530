import { useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { useRegister } from "../../auth/queries";
import { useFormErrors } from "../../lib/formErrors";
import { safeNext } from "../../lib/next";
import { MIN_PASSWORD_LENGTH } from "../../lib/passwords";
import { usePageTitle } from "../../lib/usePageTitle";
import { AuthLayout } from "./AuthLayout";

const FIELDS = ["display_name", "email", "handle", "password"] as const;

type Values = Record<(typeof FIELDS)[number], string>;

function validate(values: Values): Record<string, string> {
  const found: Record<string, string> = {};
  if (!values.display_name.trim()) found.display_name = "Enter the name people will see.";
  if (!values.email.trim()) found.email = "Enter your email address.";
  else if (!/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) found.email = "Enter an email address like name@example.com.";
  if (values.password.length < MIN_PASSWORD_LENGTH) {
    found.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  return found;
}

export function RegisterPage() {
  usePageTitle("Create your account");
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get("next"));
  const [values, setValues] = useState<Values>({ display_name: "", email: "", handle: "", password: "" });
  const [form, formRef] = useFormErrors(FIELDS);

  const mutation = useRegister({
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
      },
    };
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || !form.check(validate(values))) return;
    const handle = values.handle.trim().replace(/^@/, "");
    mutation.mutate({
      email: values.email.trim(),
      password: values.password,
      display_name: values.display_name.trim(),
      ...(handle ? { handle } : {}),
    });
  }

  const signInLink = next ? `/signin?next=${encodeURIComponent(next)}` : "/signin";

  return (
    <AuthLayout
      title="Create your Leaderful account"
      intro="Join communities of practice, share what you know and find people to learn from."
      footer={
        <p>
          Already have an account? <Link to={signInLink}>Sign in</Link>
        </p>
      }
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <form ref={formRef} className="form" noValidate onSubmit={handleSubmit}>
        <TextField label="Full name" autoComplete="name" required {...field("display_name")} />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          required
          {...field("email")}
        />
        <TextField
          label="Handle"
          optional
          hint="How people mention you, like @sam: 3–30 lowercase letters, digits, - or _. Leave it empty and we’ll make one from your name."
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          {...field("handle")}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Common passwords are refused.`}
          required
          minLength={MIN_PASSWORD_LENGTH}
          {...field("password")}
        />
        <Button type="submit" className="btn--block" loading={mutation.isPending}>
          {mutation.isPending ? "Creating your account…" : "Create account"}
        </Button>
      </form>
    </AuthLayout>
  );
}
