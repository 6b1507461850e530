import { useQuery } from "@tanstack/react-query";
import { useState, type SubmitEvent } from "react";
import { Link } from "react-router";
import { describeError } from "../../api/errors";
import type { DigestFrequency, NotificationChannels, NotificationKind } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import {
  notificationSettingsQueryOptions,
  preferencesQueryOptions,
  useSaveNotificationPreferences,
  useSaveNotificationSettings,
} from "../../queries/notifications";
import { KIND_LABELS } from "./labels";
import { PushOnThisDevice } from "./PushOnThisDevice";

type Channel = "in_app" | "email" | "push";

const DIGESTS: readonly { value: DigestFrequency; label: string; description: string }[] = [
  { value: "weekly", label: "Weekly", description: "On Mondays at 08:00 in your time zone." },
  { value: "daily", label: "Daily", description: "Every morning at 08:00 in your time zone." },
  { value: "off", label: "Off", description: "No digest." },
];

const CHANNELS: readonly { key: Channel; label: string }[] = [
  { key: "in_app", label: "In the app" },
  { key: "email", label: "E-mail" },
  { key: "push", label: "Push" },
];

export function PreferencesPage() {
  usePageTitle("Notification settings");
  const preferences = useQuery(preferencesQueryOptions());
  const settings = useQuery(notificationSettingsQueryOptions());

  return (
    <div className="page page--narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/settings">Settings</Link>
        <span aria-hidden="true"> / </span>
        <Link to="/notifications">Notifications</Link>
      </nav>
      <header className="page__header">
        <h1>Notification settings</h1>
        <p className="page__lead">
          Choose, for each kind of news, where it reaches you. With “In the app” off, it doesn’t appear in your
          notifications at all.
        </p>
      </header>
      <section aria-labelledby="digest-heading" className="stack">
        <h2 id="digest-heading">E-mail digest</h2>
        <p className="page__lead">
          Top posts in your communities, unanswered questions on your skills, news of the communities you steward and
          mentorship sessions due. Nothing is sent when there is nothing new.
        </p>
        {settings.isPending ? (
          <LoadingState label="Loading your digest setting…" />
        ) : settings.isError ? (
          <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
        ) : (
          <DigestForm saved={settings.data.email_digest} />
        )}
      </section>
      <PushOnThisDevice />
      <h2>Each kind of notification</h2>
      <p className="page__lead">
        E-mail goes out within a minute, then at most once every ten minutes with whatever arrived meanwhile; nothing you
        have already read in the app is mailed. Every e-mail has a one-click unsubscribe link.
      </p>
      {preferences.isPending ? (
        <LoadingState label="Loading your notification settings…" />
      ) : preferences.isError ? (
        <ErrorState error={preferences.error} onRetry={() => void preferences.refetch()} />
      ) : (
        <PreferencesForm saved={preferences.data.preferences} />
      )}
    </div>
  );
}

function DigestForm({ saved }: { saved: DigestFrequency }) {
  const [choice, setChoice] = useState<DigestFrequency>(saved);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSaveNotificationSettings({
    onSuccess: (result) => {
      setChoice(result.email_digest);
      setNotice("Your digest setting is saved.");
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    save.mutate({ email_digest: choice });
  }

  return (
    <form className="form" noValidate onSubmit={handleSubmit} aria-label="E-mail digest">
      <fieldset className="fieldset">
        <legend className="visually-hidden">How often the digest comes</legend>
        <div className="choice-list">
          {DIGESTS.map((item) => (
            <label key={item.value} className="choice">
              <input
                type="radio"
                name="email-digest"
                value={item.value}
                checked={choice === item.value}
                onChange={() => {
                  setNotice(null);
                  save.reset();
                  setChoice(item.value);
                }}
              />
              <span>
                <span className="choice__label">{item.label}</span>
                <span className="choice__description">{item.description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {notice && <Alert tone="success">{notice}</Alert>}
      {save.isError && <Alert tone="error">{describeError(save.error)}</Alert>}
      <div className="button-row">
        <Button type="submit" loading={save.isPending}>
          {save.isPending ? "Saving…" : "Save digest"}
        </Button>
      </div>
    </form>
  );
}

function ordered(rows: NotificationChannels[]): NotificationChannels[] {
  const order = Object.keys(KIND_LABELS);
  return [...rows].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

function PreferencesForm({ saved }: { saved: NotificationChannels[] }) {
  const [draft, setDraft] = useState(() => ordered(saved));
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSaveNotificationPreferences({
    onSuccess: (result) => {
      setDraft(ordered(result.preferences));
      setNotice("Your notification settings are saved.");
    },
  });
  const before = new Map(saved.map((row) => [row.kind, row]));
  const changed = draft.filter((row) => {
    const old = before.get(row.kind);
    return !old || CHANNELS.some(({ key }) => old[key] !== row[key]);
  });

  function toggle(kind: NotificationKind, channel: Channel, on: boolean) {
    setNotice(null);
    save.reset();
    setDraft((rows) => rows.map((row) => (row.kind === kind ? { ...row, [channel]: on } : row)));
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    if (changed.length === 0) {
      setNotice("Nothing changed.");
      return;
    }
    save.mutate({ preferences: changed });
  }

  return (
    <form className="form" noValidate onSubmit={handleSubmit} aria-label="Notification settings">
      <div className="table-scroll">
        <table className="prefs-table">
          <caption className="visually-hidden">Where each kind of notification reaches you</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              {CHANNELS.map((channel) => (
                <th key={channel.key} scope="col">
                  {channel.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {draft.map((row) => (
              <tr key={row.kind}>
                <th scope="row">{KIND_LABELS[row.kind]}</th>
                {CHANNELS.map((channel) => (
                  <td key={channel.key}>
                    <label className="prefs-table__choice">
                      <input
                        type="checkbox"
                        checked={row[channel.key]}
                        onChange={(event) => {
                          toggle(row.kind, channel.key, event.target.checked);
                        }}
                      />
                      <span className="visually-hidden">
                        {KIND_LABELS[row.kind]}: {channel.label}
                      </span>
                    </label>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {save.isError && <Alert tone="error">{describeError(save.error)}</Alert>}
      <div className="button-row">
        <Button type="submit" loading={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}
