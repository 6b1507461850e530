import { useEffect, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { describeError } from "../../api/errors";
import { useAuth } from "../../auth/context";
import { Alert } from "../../components/Alert";
import { Spinner } from "../../components/Spinner";
import { usePageTitle } from "../../lib/usePageTitle";
import { useVerifyEmail } from "../../queries/account";
import { AuthLayout } from "./AuthLayout";

/** Where the mailed verification link lands: confirms the address once, signed in or not. */
export function VerifyEmailPage() {
  usePageTitle("Confirm your e-mail address");
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token") ?? "";
  const auth = useAuth();
  const mutation = useVerifyEmail();
  const { mutate } = mutation;
  // A token works once: never send it twice (React runs effects twice in development).
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    mutate(token);
  }, [token, mutate]);

  const onward =
    auth.status === "authenticated" ? <Link to="/">Go to Leaderful</Link> : <Link to="/signin">Sign in</Link>;
  const resend =
    auth.status === "authenticated" ? (
      <>Use “Resend” in the banner at the top of any page to get a new link.</>
    ) : (
      <>Sign in and use “Resend” in the banner at the top of the page to get a new link.</>
    );

  return (
    <AuthLayout title="Confirm your e-mail address" footer={<p>{onward}</p>}>
      {!token ? (
        <Alert tone="error" title="This link is incomplete.">
          It has no token. Open the link from the e-mail again, or copy all of it. {resend}
        </Alert>
      ) : mutation.isSuccess ? (
        <Alert tone="success" title="Your e-mail address is confirmed.">
          Notifications and digests you choose can now reach you by e-mail.
        </Alert>
      ) : mutation.isError ? (
        <Alert tone="error" title="We could not confirm your address.">
          {describeError(mutation.error)} {resend}
        </Alert>
      ) : (
        <p className="auth__intro" role="status">
          <Spinner /> Confirming your address…
        </p>
      )}
    </AuthLayout>
  );
}
