import { Link } from "react-router";
import { useMe } from "../../auth/queries";
import { ErrorState, LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import { EmailForm } from "./EmailForm";
import { PasswordForm } from "./PasswordForm";
import { ProfileForm } from "./ProfileForm";
import { TokensPanel } from "./TokensPanel";

const SECTIONS = [
  { id: "profile", label: "Profile" },
  { id: "email", label: "E-mail" },
  { id: "password", label: "Password" },
  { id: "tokens", label: "Access tokens" },
  { id: "integrations", label: "Integrations", adminOnly: true },
  { id: "notifications", label: "Notifications" },
] as const;

export function SettingsPage() {
  usePageTitle("Settings");
  const me = useMe();

  return (
    <div className="page">
      <header className="page__header">
        <h1>Settings</h1>
        <p className="page__lead">Your profile, e-mail address, password, API access and notifications.</p>
      </header>
      {me.isPending ? (
        <LoadingState label="Loading your settings…" />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <div className="settings">
          <nav className="settings__nav" aria-label="Settings sections">
            <ul>
              {SECTIONS.filter((section) => !("adminOnly" in section) || me.data.role === "admin").map((section) => (
                <li key={section.id}>
                  <a href={`#${section.id}`}>{section.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="settings__sections">
            <section id="profile" className="panel" aria-labelledby="profile-title">
              <div className="panel__header">
                <h2 id="profile-title">Profile</h2>
                <p className="panel__lead">How colleagues see you across Leaderful.</p>
              </div>
              <ProfileForm key={me.data.id} user={me.data} />
            </section>
            <section id="email" className="panel" aria-labelledby="email-title">
              <div className="panel__header">
                <h2 id="email-title">E-mail address</h2>
                <p className="panel__lead">
                  Where Leaderful sends account e-mail, and the notifications and digests you choose once the address
                  is confirmed. You also sign in with it.
                </p>
              </div>
              <EmailForm user={me.data} />
            </section>
            <section id="password" className="panel" aria-labelledby="password-title">
              <div className="panel__header">
                <h2 id="password-title">Password</h2>
                <p className="panel__lead">
                  Changing it signs you out everywhere else and revokes your personal access tokens, unless you
                  choose to keep them.
                </p>
              </div>
              <PasswordForm email={me.data.email} />
            </section>
            <section id="tokens" className="panel" aria-labelledby="tokens-title">
              <div className="panel__header">
                <h2 id="tokens-title">Personal access tokens</h2>
                <p className="panel__lead">
                  For scripts and integrations that use the Leaderful API as you. Give each one only the scopes it
                  needs.
                </p>
              </div>
              <TokensPanel isAdmin={me.data.role === "admin"} />
            </section>
            {me.data.role === "admin" && (
              <section id="integrations" className="panel" aria-labelledby="integrations-title">
                <div className="panel__header">
                  <h2 id="integrations-title">Organisation webhooks</h2>
                  <p className="panel__lead">
                    Administrators only: send events from every community to your own services as they happen.
                  </p>
                </div>
                <Link className="btn btn--secondary" to="/settings/webhooks">
                  Manage organisation webhooks
                </Link>
              </section>
            )}
            <section id="notifications" className="panel" aria-labelledby="notifications-title">
              <div className="panel__header">
                <h2 id="notifications-title">Notifications</h2>
                <p className="panel__lead">
                  For each kind of news (answers, mentions, requests…), whether it reaches you in the app, by e-mail or
                  as a push notification.
                </p>
              </div>
              <Link className="btn btn--secondary" to="/settings/notifications">
                Choose your notification settings
              </Link>
            </section>
          </div>
        </div>
      )}
    </div>
  );
}
