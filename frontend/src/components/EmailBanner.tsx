import { useState } from "react";
import { Link } from "react-router";
import { describeError } from "../api/errors";
import type { Me } from "../api/types";
import { useResendVerification } from "../queries/account";
import { Alert } from "./Alert";
import { Button } from "./Button";

const DISMISSED_KEY = "leaderful.emailBanner.dismissed";

function dismissedFor(user: Me): boolean {
  try {
    return sessionStorage.getItem(DISMISSED_KEY) === `${user.id}:${user.email}`;
  } catch {
    return false;
  }
}

/**
 * On every signed-in page while the address is unverified (with "Resend") or refused by the
 * mail server. Dismissing hides it for this browser session, until the address changes.
 */
export function EmailBanner({ user }: { user: Me }) {
  const [dismissed, setDismissed] = useState(() => dismissedFor(user));
  const resend = useResendVerification();

  if (user.email_status === "verified" || dismissed) return null;

  function dismiss() {
    try {
      sessionStorage.setItem(DISMISSED_KEY, `${user.id}:${user.email}`);
    } catch {
      // Private modes may refuse storage: the banner then hides until the next page load.
    }
    setDismissed(true);
  }

  const undeliverable = user.email_status === "undeliverable";
  return (
    <section className="email-banner" aria-label="Your e-mail address">
      <Alert
        tone="warning"
        title={undeliverable ? "We can’t deliver e-mail to your address." : "Please confirm your e-mail address."}
      >
        {undeliverable ? (
          <p>
            The mail server refused {user.email}, so Leaderful sends you no e-mail.{" "}
            <Link to="/settings#email">Change your address</Link>
          </p>
        ) : (
          <p>
            We sent a link to <strong>{user.email}</strong>. Until you open it, notifications and digests don’t reach
            you by e-mail.
          </p>
        )}
        {resend.isSuccess && <p role="status">A new link is on its way. Check your inbox and spam folder.</p>}
        {resend.isError && <p role="alert">{describeError(resend.error)}</p>}
        <div className="email-banner__actions">
          {!undeliverable && (
            <Button size="sm" variant="secondary" loading={resend.isPending} onClick={() => {
                resend.mutate();
              }}
            >
              {resend.isPending ? "Sending…" : "Resend"}
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={dismiss}>
            Dismiss
          </Button>
        </div>
      </Alert>
    </section>
  );
}
