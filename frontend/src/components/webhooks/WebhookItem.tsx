import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type SubmitEvent } from "react";
import { ApiError, describeError } from "../../api/errors";
import type { Versioned, WebhookOwner } from "../../api/client";
import type { Webhook, WebhookUpdate } from "../../api/types";
import { useFormErrors } from "../../lib/formErrors";
import { formatDateTime } from "../../lib/format";
import {
  lastDeliveryQueryOptions,
  useDeleteWebhook,
  usePingWebhook,
  useRotateWebhookSecret,
  useUpdateWebhook,
  webhookKeys,
  webhookQueryOptions,
} from "../../queries/webhooks";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { ConfirmDialog } from "../ConfirmDialog";
import { LoadingState, ErrorState } from "../States";
import { DeliveriesPanel, DeliveryStatus } from "./DeliveriesPanel";
import { answerOf, eventLabel, inCatalogOrder, isEventType } from "./events";
import type { ShownSecret } from "./SecretCallout";
import { WebhookForm } from "./WebhookForm";
import { WEBHOOK_FIELDS, validateWebhook, type WebhookValues } from "./webhookValues";

interface WebhookItemProps {
  owner: WebhookOwner;
  webhook: Webhook;
  onSecret: (shown: ShownSecret) => void;
  onDeleted: (url: string) => void;
}

function valuesOf(webhook: Webhook): WebhookValues {
  return {
    url: webhook.url,
    description: webhook.description,
    eventTypes: webhook.event_types.filter(isEventType),
    enabled: webhook.enabled,
    includePrivate: webhook.include_private_communities,
  };
}

function changesBetween(base: WebhookValues, mine: WebhookValues): WebhookUpdate {
  const changes: WebhookUpdate = {};
  if (mine.url.trim() !== base.url) changes.url = mine.url.trim();
  if (mine.description.trim() !== base.description) changes.description = mine.description.trim();
  if ([...mine.eventTypes].sort().join() !== [...base.eventTypes].sort().join()) changes.event_types = mine.eventTypes;
  if (mine.enabled !== base.enabled) changes.enabled = mine.enabled;
  if (mine.includePrivate !== base.includePrivate) changes.include_private_communities = mine.includePrivate;
  return changes;
}

/** Enabled, paused by a person, or turned off by Leaderful after days of failures. */
function WebhookState({ webhook }: { webhook: Webhook }) {
  if (!webhook.enabled && webhook.disabled_reason) {
    return (
      <p className="webhook__state">
        <span className="badge badge--danger">Turned off automatically</span>{" "}
        <span>{webhook.disabled_reason} Fix the receiver, then edit the webhook and tick “Enabled” to resume.</span>
      </p>
    );
  }
  if (!webhook.enabled) {
    return (
      <p className="webhook__state">
        <span className="badge badge--neutral">Paused</span> <span>Nothing is sent until it is enabled again.</span>
      </p>
    );
  }
  if (webhook.failing_since) {
    return (
      <p className="webhook__state">
        <span className="badge badge--warning">Failing</span>{" "}
        <span>
          Every try has failed since {formatDateTime(webhook.failing_since)}. After 3 days without a success it is
          turned off.
        </span>
      </p>
    );
  }
  return (
    <p className="webhook__state">
      <span className="badge badge--success">Enabled</span>
    </p>
  );
}

function LastDelivery({ owner, webhook }: { owner: WebhookOwner; webhook: Webhook }) {
  const queryClient = useQueryClient();
  const last = useQuery(lastDeliveryQueryOptions(owner, webhook.id));
  const outcome = last.data && last.data.status !== "pending" ? last.data.status : null;
  const lastId = last.data?.id;
  const failing = webhook.failing_since !== null;
  const { slug } = owner;
  useEffect(() => {
    // A try that finished since the list was read (a ping that worked again, or a first
    // failure) changes the webhook's state: read the list again.
    if (lastId && outcome && (outcome === "succeeded") === failing) {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.list({ slug }) });
    }
  }, [lastId, outcome, failing, queryClient, slug]);
  if (last.isPending) return <p className="webhook__meta">Last delivery: loading…</p>;
  if (last.isError) return <p className="webhook__meta">Last delivery: couldn’t load ({describeError(last.error)})</p>;
  const delivery = last.data;
  if (!delivery) return <p className="webhook__meta">No deliveries yet.</p>;
  return (
    <p className="webhook__meta">
      Last delivery: {eventLabel(delivery.event_type)} <DeliveryStatus delivery={delivery} /> {answerOf(delivery)} ·{" "}
      <time dateTime={delivery.created_at}>{formatDateTime(delivery.created_at)}</time>
    </p>
  );
}

export function WebhookItem({ owner, webhook, onSecret, onDeleted }: WebhookItemProps) {
  const [editing, setEditing] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const actions = useRef<HTMLDivElement>(null);
  const id = useId();
  const titleId = `${id}-title`;

  const ping = usePingWebhook(owner, webhook.id, {
    onSuccess: () => {
      setNotice({ tone: "success", text: "Ping sent. Its delivery shows below with your receiver’s answer." });
      setShowDeliveries(true);
    },
    onError: (error) => {
      setNotice({ tone: "error", text: describeError(error) });
    },
  });
  const rotate = useRotateWebhookSecret(owner, webhook.id, {
    onSuccess: (rotated) => {
      setConfirmRotate(false);
      onSecret({ reason: "rotated", url: rotated.url, secret: rotated.secret });
    },
  });
  const remove = useDeleteWebhook(owner, webhook.id, {
    onSuccess: () => {
      setConfirmDelete(false);
      onDeleted(webhook.url);
    },
  });

  return (
    <li className="webhook" aria-labelledby={titleId}>
      <div className="webhook__summary">
        <h3 id={titleId} className="webhook__url">
          {webhook.url}
        </h3>
        {webhook.description && <p className="webhook__description">{webhook.description}</p>}
        <WebhookState webhook={webhook} />
        <ul className="badge-list" aria-label="Events">
          {inCatalogOrder(webhook.event_types).map((type) => (
            <li key={type} className="badge">
              {eventLabel(type)}
            </li>
          ))}
        </ul>
        {webhook.include_private_communities && <p className="webhook__meta">Includes private communities.</p>}
        <LastDelivery owner={owner} webhook={webhook} />
        {webhook.previous_secret_expires_at && (
          <p className="webhook__meta">
            The previous secret also signs until {formatDateTime(webhook.previous_secret_expires_at)}.
          </p>
        )}
      </div>
      <div aria-live="polite">{notice && <Alert tone={notice.tone}>{notice.text}</Alert>}</div>
      {editing ? (
        <WebhookEditor
          owner={owner}
          webhookId={webhook.id}
          titleId={`${id}-edit`}
          onDone={(saved) => {
            setEditing(false);
            if (saved) setNotice({ tone: "success", text: "Your changes are saved." });
            requestAnimationFrame(() => actions.current?.querySelector("button")?.focus());
          }}
        />
      ) : (
        <div className="webhook__actions" ref={actions}>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              setNotice(null);
              setEditing(true);
            }}
          >
            Edit{" "}
            <span className="visually-hidden">{webhook.url}</span>
          </Button>
          <Button
            variant="secondary"
            size="sm"
            disabled={!webhook.enabled}
            title={webhook.enabled ? undefined : "Enable the webhook to send a ping"}
            loading={ping.isPending}
            onClick={() => {
              setNotice(null);
              ping.mutate();
            }}
          >
            {ping.isPending ? "Sending…" : "Send ping"}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            aria-expanded={showDeliveries}
            aria-controls={`${id}-deliveries`}
            onClick={() => {
              setShowDeliveries((shown) => !shown);
            }}
          >
            {showDeliveries ? "Hide deliveries" : "Deliveries"}
          </Button>
          <ConfirmDialog
            open={confirmRotate}
            onOpenChange={(open) => {
              setConfirmRotate(open);
              if (!open) rotate.reset();
            }}
            trigger={
              <Button variant="ghost" size="sm">
                Rotate secret
              </Button>
            }
            title="Rotate the signing secret?"
            onCloseAutoFocus={(event) => {
              // Focus goes to the new secret instead, once it is shown.
              if (rotate.isSuccess) event.preventDefault();
            }}
            description="A new secret signs every delivery from now on. The current one keeps signing beside it for 24 hours, so your receiver can switch over without missing a message."
            confirmLabel="Rotate secret"
            pendingLabel="Rotating…"
            pending={rotate.isPending}
            error={rotate.error ? describeError(rotate.error) : undefined}
            variant="primary"
            onConfirm={() => {
              rotate.mutate();
            }}
          />
          <ConfirmDialog
            open={confirmDelete}
            onOpenChange={(open) => {
              setConfirmDelete(open);
              if (!open) remove.reset();
            }}
            trigger={
              <Button variant="ghost" size="sm">
                Delete
              </Button>
            }
            title="Delete this webhook?"
            description={`Nothing more is sent to ${webhook.url}, and its delivery log goes too. This can’t be undone.`}
            confirmLabel="Delete webhook"
            pendingLabel="Deleting…"
            pending={remove.isPending}
            error={remove.error ? describeError(remove.error) : undefined}
            onConfirm={() => {
              remove.mutate();
            }}
          />
        </div>
      )}
      <div id={`${id}-deliveries`}>
        {showDeliveries && (
          <DeliveriesPanel owner={owner} webhookId={webhook.id} enabled={webhook.enabled} headingId={`${id}-deliveries-title`} />
        )}
      </div>
    </li>
  );
}

/** Reads the webhook afresh (for its ETag), then edits it with If-Match; a 412 reloads it. */
function WebhookEditor({
  owner,
  webhookId,
  titleId,
  onDone,
}: {
  owner: WebhookOwner;
  webhookId: string;
  titleId: string;
  onDone: (saved: boolean) => void;
}) {
  const current = useQuery({ ...webhookQueryOptions(owner, webhookId), refetchOnMount: "always" });
  const [conflict, setConflict] = useState(false);
  if (current.isError) {
    return <ErrorState error={current.error} title="This webhook didn’t load" onRetry={() => void current.refetch()} />;
  }
  if (!current.isFetchedAfterMount || !current.data) return <LoadingState label="Loading the webhook…" />;
  return (
    // A newer version (after a 412) starts the form again from its values.
    <EditForm
      key={current.data.etag ?? String(current.data.data.version)}
      owner={owner}
      initial={current.data}
      titleId={titleId}
      onDone={onDone}
      reloading={current.isFetching}
      conflict={conflict}
      onConflict={() => {
        setConflict(true);
        void current.refetch();
      }}
    />
  );
}

function EditForm({
  owner,
  initial,
  titleId,
  onDone,
  reloading,
  conflict,
  onConflict,
}: {
  owner: WebhookOwner;
  initial: Versioned<Webhook>;
  titleId: string;
  onDone: (saved: boolean) => void;
  reloading: boolean;
  conflict: boolean;
  onConflict: () => void;
}) {
  const [base] = useState(() => ({ values: valuesOf(initial.data), etag: initial.etag }));
  const [values, setValues] = useState(base.values);
  const [nothingToSave, setNothingToSave] = useState(false);
  const [form, formRef] = useFormErrors(WEBHOOK_FIELDS);

  useEffect(() => {
    (formRef.current?.querySelector<HTMLElement>("[data-focus-target]") ?? formRef.current?.querySelector("input"))?.focus();
  }, [formRef]);

  const mutation = useUpdateWebhook(owner, initial.data.id, {
    onSuccess: () => {
      onDone(true);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 412) {
        onConflict();
        return;
      }
      form.showServerError(error);
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || reloading || !form.check(validateWebhook(values))) return;
    const changes = changesBetween(base.values, values);
    if (Object.keys(changes).length === 0) {
      setNothingToSave(true);
      return;
    }
    setNothingToSave(false);
    mutation.mutate({ changes, etag: base.etag });
  }

  return (
    <WebhookForm
      idPrefix={titleId}
      title="Edit webhook"
      values={values}
      onChange={(changed, field) => {
        setValues((v) => ({ ...v, ...changed }));
        setNothingToSave(false);
        form.clearField(field);
      }}
      errors={form.errors}
      formRef={formRef}
      onSubmit={handleSubmit}
      pending={mutation.isPending || reloading}
      submitLabel="Save changes"
      pendingLabel={reloading ? "Loading the latest version…" : "Saving…"}
      showEnabled
      showIncludePrivate={owner.slug === null}
      onCancel={() => {
        onDone(false);
      }}
      before={
        <>
          {conflict && (
            <div tabIndex={-1} data-focus-target>
              <Alert tone="warning" title="Someone changed this webhook meanwhile">
                Your changes weren’t saved, so nothing was overwritten. The form now shows the latest version: make your
                changes again and save.
              </Alert>
            </div>
          )}
          {nothingToSave && <Alert tone="info">Nothing to save: the webhook already reads like this.</Alert>}
        </>
      }
    />
  );
}
