import { useEffect, useRef, useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { useAuth } from "../auth/context";
import { useMe } from "../auth/queries";
import { PRIMARY_NAV } from "../navigation";
import { Brand } from "./Brand";
import { EmailBanner } from "./EmailBanner";
import { cx } from "../lib/cx";
import { HeaderSearch } from "./HeaderSearch";
import { useNotificationStream } from "../queries/notifications";
import { Button } from "./Button";
import { NotificationBell } from "./NotificationBell";
import { UserMenu } from "./UserMenu";

/** Header, primary navigation and the main landmark for every signed-in page. */
export function AppShell() {
  const { data: user } = useMe();
  const { signOut } = useAuth();
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const previousPath = useRef(pathname);
  // One live inbox stream per tab, for as long as someone is signed in here.
  const live = useNotificationStream();
  const [menuOpen, setMenuOpen] = useState(false);

  // After client-side navigation, start screen readers and keyboard users at the new content.
  useEffect(() => {
    if (previousPath.current === pathname) return;
    previousPath.current = pathname;
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="shell__header">
        <div className="shell__bar">
          <Brand />
          {/* Phones: the sections sit behind one button instead of a row that runs off the screen. */}
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="primary-nav"
            onClick={() => {
              setMenuOpen((open) => !open);
            }}
          >
            <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false" className="menu-button__icon">
              <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
            Menu
          </button>
          <nav id="primary-nav" className={cx("primary-nav", menuOpen && "primary-nav--open")} aria-label="Primary">
            <ul className="primary-nav__list">
              {PRIMARY_NAV.filter((item) => !item.adminOnly || user?.role === "admin").map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    end={item.to === "/"}
                    className="primary-nav__link"
                    onClick={() => {
                      setMenuOpen(false);
                    }}
                  >
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
            <HeaderSearch
              onSearched={() => {
                setMenuOpen(false);
              }}
            />
          </nav>
          <div className="shell__account">
            <NotificationBell live={live} />
            {user ? (
              <UserMenu user={user} />
            ) : (
              <Button variant="ghost" size="sm" onClick={() => void signOut()}>
                Sign out
              </Button>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="shell__main" tabIndex={-1} ref={mainRef}>
        {user && <EmailBanner key={`${user.id}:${user.email}`} user={user} />}
        <Outlet />
      </main>
      <footer className="shell__footer">
        <p>Leaderful — everyone can lead by sharing what they know.</p>
      </footer>
    </div>
  );
}
