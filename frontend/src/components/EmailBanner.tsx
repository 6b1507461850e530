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
 * On a phone it is one line (a short title and the two buttons; the explanation is left out),
 * so the page's own content still starts on the first screen.
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
        title={
          <>
            <span className="email-banner__long">
              {undeliverable ? "We can’t deliver e-mail to your address." : "Please confirm your e-mail address."}
            </span>
            <span className="email-banner__short">
              {undeliverable ? "E-mail can’t reach you" : "Confirm your e-mail"}
            </span>
          </>
        }
      >
        {undeliverable ? (
          <p className="email-banner__detail">
            The mail server refused {user.email}, so Leaderful sends you no e-mail.{" "}
            <Link to="/settings#email">Change your address</Link>
          </p>
        ) : (
          <p className="email-banner__detail">
            We sent a link to <strong>{user.email}</strong>. Until you open it, notifications and digests don’t reach
            you by e-mail.
          </p>
        )}
        {resend.isSuccess && <p role="status">A new link is on its way. Check your inbox and spam folder.</p>}
        {resend.isError && <p role="alert">{describeError(resend.error)}</p>}
        <div className="email-banner__actions">
          {!undeliverable && (
            <Button
              size="sm"
              variant="secondary"
              loading={resend.isPending}
              onClick={() => {
                resend.mutate();
              }}
            >
              {resend.isPending ? "Sending…" : "Resend"}
            </Button>
          )}
          {undeliverable && (
            <Link className="btn btn--secondary btn--sm email-banner__fix" to="/settings#email">
              Change
            </Link>
          )}
          <Button size="sm" variant="ghost" className="email-banner__dismiss" aria-label="Dismiss" onClick={dismiss}>
            <span className="email-banner__dismiss-label">Dismiss</span>
            <span className="email-banner__dismiss-icon" aria-hidden="true">
              ×
            </span>
          </Button>
        </div>
      </Alert>
    </section>
  );
}
