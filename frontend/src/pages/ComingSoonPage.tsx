import { Link } from "react-router";
import { usePageTitle } from "../lib/usePageTitle";

export function ComingSoonPage({ title, summary }: { title: string; summary: string }) {
  usePageTitle(title);
  return (
    <div className="page page--narrow">
      <div className="notice-page">
        <p className="notice-page__eyebrow">Coming soon</p>
        <h1>{title}</h1>
        <p className="notice-page__text">{summary}</p>
        <p className="notice-page__text">
          We’re building this part of Leaderful now. In the meantime, make sure your{" "}
          <Link to="/settings">profile</Link> tells colleagues what you know.
        </p>
        <Link className="btn btn--secondary" to="/">
          Back to home
        </Link>
      </div>
    </div>
  );
}
