import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { ApiError, describeError } from "../../api/errors";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import { unsubscribeQueryOptions, useUnsubscribe } from "../../queries/notifications";

/**
 * Where the unsubscribe link of a notification mail or digest lands. Opening it changes nothing
 * (mail scanners follow links); the button does, without signing in: the link's signed token
 * says who and what.
 */
export function UnsubscribePage() {
  usePageTitle("Unsubscribe");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const described = useQuery(unsubscribeQueryOptions(token));
  const unsubscribe = useUnsubscribe(token);
  const invalid =
    token === "" ||
    (described.error instanceof ApiError && described.error.status === 422) ||
    (unsubscribe.error instanceof ApiError && unsubscribe.error.status === 422);

  return (
    <div className="page page--narrow">
      <header className="page__header">
        <h1>Unsubscribe</h1>
      </header>
      {invalid ? (
        <Alert tone="error">
          This unsubscribe link is not valid: it may be cut short or changed. You can still choose what reaches you by
          e-mail in your notification settings.
        </Alert>
      ) : described.isPending ? (
        <LoadingState label="Reading your unsubscribe link…" />
      ) : described.isError ? (
        <Alert tone="error">{describeError(described.error)}</Alert>
      ) : unsubscribe.isSuccess ? (
        <Alert tone="success">Done: you will no longer get {unsubscribe.data.description}.</Alert>
      ) : (
        <div className="stack">
          <p>
            Stop getting <strong>{described.data.description}</strong>? Nothing else changes.
          </p>
          {unsubscribe.isError && <Alert tone="error">{describeError(unsubscribe.error)}</Alert>}
          <div className="button-row">
            <Button
              type="button"
              loading={unsubscribe.isPending}
              onClick={() => {
                if (!unsubscribe.isPending) unsubscribe.mutate();
              }}
            >
              {unsubscribe.isPending ? "Unsubscribing…" : "Unsubscribe"}
            </Button>
          </div>
        </div>
      )}
      <p>
        <Link to="/settings/notifications">Change your notification settings</Link>
      </p>
    </div>
  );
}
