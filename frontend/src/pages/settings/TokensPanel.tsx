import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState, type SubmitEvent } from "react";
import type { PersonalAccessTokenCreated, TokenScope } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { CopyButton } from "../../components/CopyButton";
import { SelectField, TextField } from "../../components/Field";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { cx } from "../../lib/cx";
import { useFormErrors } from "../../lib/formErrors";
import { formatDate } from "../../lib/format";
import { RevokeTokenButton } from "./RevokeTokenButton";
import { tokensQueryOptions, useCreateToken } from "../../queries/account";

const FIELDS = ["name", "scopes", "expires_in_days"] as const;

const SCOPES: { value: TokenScope; label: string; description: string; adminOnly?: boolean }[] = [
  { value: "read", label: "Read", description: "See what you can see: communities, posts, profiles." },
  { value: "write", label: "Write", description: "Post, comment, react and change things on your behalf." },
  { value: "admin", label: "Admin", description: "Use administrator endpoints.", adminOnly: true },
];

const EXPIRY_OPTIONS = [7, 30, 90, 365] as const;

export function TokensPanel({ isAdmin }: { isAdmin: boolean }) {
  const tokens = useInfiniteQuery(tokensQueryOptions());
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>(["read"]);
  const [expiresInDays, setExpiresInDays] = useState("30");
  const [created, setCreated] = useState<PersonalAccessTokenCreated | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);
  const secretHeading = useRef<HTMLHeadingElement>(null);

  const mutation = useCreateToken({
    onSuccess: (token) => {
      // The secret lives only in this component's state, never in the query cache.
      setCreated(token);
      setName("");
      setScopes(["read"]);
    },
    onError: form.showServerError,
  });

  useEffect(() => {
    if (created) secretHeading.current?.focus();
  }, [created]);

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = "Name the token after what will use it.";
    if (scopes.length === 0) found.scopes = "Choose at least one scope.";
    if (!form.check(found)) return;
    setCreated(null);
    setRevoked(null);
    mutation.mutate({ name: name.trim(), scopes, expires_in_days: Number(expiresInDays) });
  }

  const items = tokens.data?.pages.flatMap((page) => page.items) ?? [];
  const scopeError = form.errors.fields.scopes;

  return (
    <div className="stack">
      {created && (
        <section className="secret-callout" aria-labelledby="new-token-title">
          <h3 id="new-token-title" ref={secretHeading} tabIndex={-1} data-focus-target>
            Copy your new token now
          </h3>
          <p className="secret-callout__warning">
            This is the only time Leaderful shows “{created.name}”. Store it somewhere safe, like a password manager.
            If you lose it, revoke it and create a new one.
          </p>
          <div className="secret-callout__value">
            <code>{created.token}</code>
            <CopyButton value={created.token} label="Copy token" />
          </div>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              setCreated(null);
            }}
          >
            I’ve saved it
          </Button>
        </section>
      )}

      {revoked && <Alert tone="success">“{revoked}” is revoked.</Alert>}

      <form ref={formRef} className="form form--boxed" noValidate onSubmit={handleSubmit} aria-labelledby="create-token-title">
        <h3 id="create-token-title">Create a token</h3>
        {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
        <div className="form-grid">
          <TextField
            label="Name"
            hint="What will use it, e.g. “Weekly report script”."
            maxLength={100}
            value={name}
            error={form.errors.fields.name}
            onChange={(event) => {
              setName(event.target.value);
              form.clearField("name");
            }}
          />
          <SelectField
            label="Expires after"
            value={expiresInDays}
            error={form.errors.fields.expires_in_days}
            onChange={(event) => {
              setExpiresInDays(event.target.value);
              form.clearField("expires_in_days");
            }}
          >
            {EXPIRY_OPTIONS.map((days) => (
              <option key={days} value={String(days)}>
                {days === 365 ? "1 year" : `${days} days`}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset
          className={cx("fieldset", scopeError && "field--invalid")}
          aria-describedby={scopeError ? "token-scopes-error" : undefined}
        >
          <legend className="field__label">Scopes</legend>
          <div className="choice-list">
            {SCOPES.filter((scope) => isAdmin || !scope.adminOnly).map((scope) => (
              <label key={scope.value} className="choice">
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope.value}
                  checked={scopes.includes(scope.value)}
                  aria-invalid={scopeError ? true : undefined}
                  onChange={(event) => {
                    const { checked } = event.target;
                    setScopes((current) =>
                      checked ? [...current, scope.value] : current.filter((value) => value !== scope.value),
                    );
                    form.clearField("scopes");
                  }}
                />
                <span>
                  <span className="choice__label">{scope.label}</span>
                  <span className="choice__description">{scope.description}</span>
                </span>
              </label>
            ))}
          </div>
          {scopeError && (
            <p className="field__error" id="token-scopes-error">
              {scopeError}
            </p>
          )}
        </fieldset>
        <div className="form__actions">
          <Button type="submit" loading={mutation.isPending}>
            {mutation.isPending ? "Creating token…" : "Create token"}
          </Button>
        </div>
      </form>

      <section aria-labelledby="token-list-title" className="stack stack--sm">
        <h3 id="token-list-title">Your tokens</h3>
        {tokens.isPending ? (
          <LoadingState label="Loading your tokens…" />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} title="Your tokens didn’t load" onRetry={() => void tokens.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No tokens yet">
            Tokens let scripts and integrations use the Leaderful API as you. Create one above when you need it.
          </EmptyState>
        ) : (
          <>
            <ul className="token-list">
              {items.map((token) => (
                <li key={token.id} className="token-list__item">
                  <div className="token-list__main">
                    <p className="token-list__name">{token.name}</p>
                    <ul className="badge-list" aria-label="Scopes">
                      {token.scopes.map((scope) => (
                        <li key={scope} className="badge">
                          {scope}
                        </li>
                      ))}
                    </ul>
                    <p className="token-list__meta">
                      Created {formatDate(token.created_at)} ·{" "}
                      {token.expires_at ? `Expires ${formatDate(token.expires_at)}` : "Never expires"} ·{" "}
                      {token.last_used_at ? `Last used ${formatDate(token.last_used_at)}` : "Never used"}
                    </p>
                  </div>
                  <RevokeTokenButton token={token} onRevoked={setRevoked} />
                </li>
              ))}
            </ul>
            {tokens.hasNextPage && (
              <Button
                variant="secondary"
                loading={tokens.isFetchingNextPage}
                onClick={() => void tokens.fetchNextPage()}
              >
                {tokens.isFetchingNextPage ? "Loading…" : "Show more tokens"}
              </Button>
            )}
          </>
        )}
      </section>
    </div>
  );
}
