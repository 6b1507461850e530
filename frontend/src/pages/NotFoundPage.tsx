import { Link, useLocation } from "react-router";
import { usePageTitle } from "../lib/usePageTitle";

export function NotFoundPage() {
  usePageTitle("Page not found");
  const { pathname } = useLocation();
  return (
    <div className="page page--narrow">
      <div className="notice-page">
        <p className="notice-page__eyebrow">404</p>
        <h1>We couldn’t find that page</h1>
        <p className="notice-page__text">
          There’s nothing at <code className="notice-page__path">{pathname}</code>. It may have moved, or the link may
          be mistyped.
        </p>
        <Link className="btn btn--primary" to="/">
          Go to home
        </Link>
      </div>
    </div>
  );
}
