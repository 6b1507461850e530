import { Link } from "react-router";

/**
 * Shown for every 404 from a community address. The API answers 404 both for communities that
 * don't exist and for private ones the caller may not see, and this page says the same thing in
 * both cases so that it never hints a private community exists. The page sets the title.
 */
export function CommunityNotFound() {
  return (
    <div className="page page--narrow">
      <div className="notice-page">
        <p className="notice-page__eyebrow">404</p>
        <h1>Community not found</h1>
        <p className="notice-page__text">
          We couldn’t find a community at this address. The link may be mistyped or out of date.
        </p>
        <div className="button-row">
          <Link className="btn btn--primary" to="/communities">
            Browse communities
          </Link>
          <Link className="btn btn--secondary" to="/communities/new">
            Start a community
          </Link>
        </div>
      </div>
    </div>
  );
}
