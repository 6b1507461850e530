import { useQuery } from "@tanstack/react-query";
import { useState, type SubmitEvent } from "react";
import { Link } from "react-router";
import { describeError } from "../../api/errors";
import type { NotificationChannels, NotificationKind } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import { preferencesQueryOptions, useSaveNotificationPreferences } from "../../queries/notifications";
import { KIND_LABELS } from "./labels";

type Channel = "in_app" | "email" | "push";

const CHANNELS: readonly { key: Channel; label: string }[] = [
  { key: "in_app", label: "In the app" },
  { key: "email", label: "E-mail" },
  { key: "push", label: "Push" },
];

export function PreferencesPage() {
  usePageTitle("Notification settings");
  const preferences = useQuery(preferencesQueryOptions());

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
