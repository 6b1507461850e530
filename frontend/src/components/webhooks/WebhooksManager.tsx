import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type SubmitEvent } from "react";
import type { WebhookOwner } from "../../api/client";
import { useFormErrors } from "../../lib/formErrors";
import { useCreateWebhook, webhooksQueryOptions } from "../../queries/webhooks";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { EmptyState, ErrorState, LoadingState } from "../States";
import { SecretCallout, type ShownSecret } from "./SecretCallout";
import { WebhookForm } from "./WebhookForm";
import { EMPTY_WEBHOOK, WEBHOOK_FIELDS, validateWebhook, type WebhookValues } from "./webhookValues";
import { WebhookItem } from "./WebhookItem";

/**
 * The webhooks of the organisation (`owner.slug` null: administrators) or of one community (its
 * stewards): the list with each one's state and last delivery, and a form to add one. The
 * signing secret is shown once, after creating or rotating, and kept only in this component.
 */
export function WebhooksManager({ owner }: { owner: WebhookOwner }) {
  const webhooks = useInfiniteQuery(webhooksQueryOptions(owner));
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const [values, setValues] = useState<WebhookValues>(EMPTY_WEBHOOK);
  const [form, formRef] = useFormErrors(WEBHOOK_FIELDS);

  const create = useCreateWebhook(owner, {
    onSuccess: ({ data }) => {
      setShown({ reason: "created", url: data.url, secret: data.secret });
      setValues(EMPTY_WEBHOOK);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending || !form.check(validateWebhook(values))) return;
    setShown(null);
    setDeleted(null);
    create.mutate({
      url: values.url.trim(),
      description: values.description.trim(),
      event_types: values.eventTypes,
      enabled: true,
      include_private_communities: owner.slug === null && values.includePrivate,
    });
  }

  const items = webhooks.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="stack">
      {shown && (
        <SecretCallout
          shown={shown}
          onDone={() => {
            setShown(null);
          }}
        />
      )}
      {deleted && <Alert tone="success">The webhook for {deleted} is deleted.</Alert>}

      <section aria-labelledby="webhook-list-title" className="stack stack--sm">
        <h2 id="webhook-list-title">Current webhooks</h2>
        {webhooks.isPending ? (
          <LoadingState label="Loading webhooks…" />
        ) : webhooks.isError ? (
          <ErrorState error={webhooks.error} title="The webhooks didn’t load" onRetry={() => void webhooks.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No webhooks yet">
            A webhook sends events to your service as they happen, so it need not poll. Add one below.
          </EmptyState>
        ) : (
          <>
            <ul className="webhook-list">
              {items.map((webhook) => (
                <WebhookItem
                  key={webhook.id}
                  owner={owner}
                  webhook={webhook}
                  onSecret={setShown}
                  onDeleted={(url) => {
                    setShown(null);
                    setDeleted(url);
                  }}
                />
              ))}
            </ul>
            {webhooks.hasNextPage && (
              <Button
                variant="secondary"
                loading={webhooks.isFetchingNextPage}
                onClick={() => void webhooks.fetchNextPage()}
              >
                {webhooks.isFetchingNextPage ? "Loading…" : "Show more webhooks"}
              </Button>
            )}
          </>
        )}
      </section>

      <WebhookForm
        idPrefix="new-webhook"
        title="Add a webhook"
        values={values}
        onChange={(changed, field) => {
          setValues((current) => ({ ...current, ...changed }));
          form.clearField(field);
        }}
        errors={form.errors}
        formRef={formRef}
        onSubmit={handleSubmit}
        pending={create.isPending}
        submitLabel="Add webhook"
        pendingLabel="Adding webhook…"
        showEnabled={false}
        showIncludePrivate={owner.slug === null}
      />
    </div>
  );
}
