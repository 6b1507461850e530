import type { ReactNode, RefObject, SubmitEvent } from "react";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { TextAreaField, TextField } from "../Field";
import type { FormErrors } from "../../lib/formErrors";
import { cx } from "../../lib/cx";
import { EVENT_TYPES, WEBHOOK_EVENTS } from "./events";
import type { WEBHOOK_FIELDS, WebhookValues } from "./webhookValues";

interface WebhookFormProps {
  /** Used in ids and the form's accessible name. */
  idPrefix: string;
  title: ReactNode;
  values: WebhookValues;
  onChange: (values: Partial<WebhookValues>, field: (typeof WEBHOOK_FIELDS)[number]) => void;
  errors: FormErrors;
  formRef: RefObject<HTMLFormElement | null>;
  onSubmit: (event: SubmitEvent<HTMLFormElement>) => void;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
  /** Edits show the enabled switch; a new webhook starts enabled. */
  showEnabled: boolean;
  /** Organisation webhooks may also carry private communities' events. */
  showIncludePrivate: boolean;
  onCancel?: () => void;
  before?: ReactNode;
}

export function WebhookForm({
  idPrefix,
  title,
  values,
  onChange,
  errors,
  formRef,
  onSubmit,
  pending,
  submitLabel,
  pendingLabel,
  showEnabled,
  showIncludePrivate,
  onCancel,
  before,
}: WebhookFormProps) {
  const titleId = `${idPrefix}-title`;
  const eventsError = errors.fields.event_types;
  return (
    <form ref={formRef} className="form form--boxed" noValidate onSubmit={onSubmit} aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      {before}
      {errors.message && <Alert tone="error">{errors.message}</Alert>}
      <TextField
        label="Payload URL"
        hint="Where Leaderful POSTs each event: an https address your service answers with 2xx within 10 seconds."
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        maxLength={2000}
        placeholder="https://example.com/hooks/leaderful"
        value={values.url}
        error={errors.fields.url}
        onChange={(event) => {
          onChange({ url: event.target.value }, "url");
        }}
      />
      <TextAreaField
        label="Description"
        optional
        hint="What receives these events, so others know what the webhook is for."
        rows={2}
        maxLength={500}
        value={values.description}
        error={errors.fields.description}
        onChange={(event) => {
          onChange({ description: event.target.value }, "description");
        }}
      />
      <fieldset
        className={cx("fieldset", eventsError && "field--invalid")}
        aria-describedby={eventsError ? `${idPrefix}-events-error` : undefined}
      >
        <legend className="field__label">Events</legend>
        <div className="choice-list">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="choice">
              <input
                type="checkbox"
                name="event_types"
                value={type}
                checked={values.eventTypes.includes(type)}
                aria-invalid={eventsError ? true : undefined}
                onChange={(event) => {
                  const { checked } = event.target;
                  const next = checked
                    ? EVENT_TYPES.filter((t) => t === type || values.eventTypes.includes(t))
                    : values.eventTypes.filter((t) => t !== type);
                  onChange({ eventTypes: next }, "event_types");
                }}
              />
              <span>
                <span className="choice__label">{WEBHOOK_EVENTS[type].label}</span>
                <span className="choice__description">
                  <code>{type}</code> · {WEBHOOK_EVENTS[type].description}
                </span>
              </span>
            </label>
          ))}
        </div>
        {eventsError && (
          <p className="field__error" id={`${idPrefix}-events-error`}>
            {eventsError}
          </p>
        )}
      </fieldset>
      {showIncludePrivate && (
        <label className="choice">
          <input
            type="checkbox"
            checked={values.includePrivate}
            onChange={(event) => {
              onChange({ includePrivate: event.target.checked }, "include_private_communities");
            }}
          />
          <span>
            <span className="choice__label">Include private communities</span>
            <span className="choice__description">
              Also send events from private communities. Off by default: their content stays among their members.
            </span>
          </span>
        </label>
      )}
      {showEnabled && (
        <label className="choice">
          <input
            type="checkbox"
            checked={values.enabled}
            onChange={(event) => {
              onChange({ enabled: event.target.checked }, "enabled");
            }}
          />
          <span>
            <span className="choice__label">Enabled</span>
            <span className="choice__description">Untick to pause deliveries; tick to resume them.</span>
          </span>
        </label>
      )}
      <div className="form__actions">
        <Button type="submit" loading={pending}>
          {pending ? pendingLabel : submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
